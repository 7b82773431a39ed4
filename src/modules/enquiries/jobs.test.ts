import { Value } from '@sinclair/typebox/value';
import { beforeEach, describe, expect, it } from 'vitest';
import { signedInClient, testAppEach } from '../../../test/app.ts';
import { TestClient } from '../../../test/client.ts';
import { DATABASES } from '../../../test/databases.ts';
import { EnquiryStatisticsPage } from './api.ts';
import { escalateOverdue } from './escalate-overdue.ts';
import { purgeEnquiries } from './purge-enquiries.ts';
import { sendDueWarnings } from './send-warnings.ts';
import { actOnCase, lastMail, sendEnquiry } from './testing.ts';

describe.each(DATABASES)('warnings, escalation, statistics and the purge on %s', (kind) => {
  let now = new Date('2026-10-12T02:00:00Z');
  const t = testAppEach(kind, { now: () => now });
  const db = () => t.database.db.kysely;
  const day = (date: string) => {
    now = new Date(`${date}T02:00:00Z`);
  };
  const publicUrl = 'https://zjhk.example';
  let officer: TestClient;
  let cases: { id: number; reference: string }[] = [];
  const statistics = async (query = 'year=2026') => JSON.parse((await t.app.inject({ url: `/api/v1/enquiry-statistics?${query}` })).body);

  beforeEach(async () => {
    day('2026-10-12');
    cases = [];
    officer = (await signedInClient(t, { email: 'officer@hkmao.example', role: 'agency-officer', organisationId: 'zj-hkmao', locale: 'zh-Hans' })).client;
    await signedInClient(t, { email: 'coordinator@commerce.example', role: 'custodian-coordinator', organisationId: 'zj-commerce', locale: 'zh-Hans' });
    await signedInClient(t, { email: 'coordinator@cmab.example', role: 'custodian-coordinator', organisationId: 'hk-cmab', locale: 'en' });
    // Monday 12 October 2026: three enquiries, each due in 3 working days of the Mainland calendar (Thursday 15).
    for (const email of ['a@example.org', 'b@example.org', 'c@example.org']) {
      const row = await sendEnquiry(new TestClient(t.app), db(), { email, locale: 'en' });
      cases.push({ id: row.id, reference: row.reference });
    }
  });

  it('warns each officer once a day of cases due within the warning lead, and of overdue ones', async () => {
    // Wednesday 14: due tomorrow, within the lead of one working day.
    const first = await sendDueWarnings({ db: db(), today: '2026-10-13', publicUrl });
    expect(first.sent).toBe(0);
    const due = await sendDueWarnings({ db: db(), today: '2026-10-14', publicUrl });
    const again = await sendDueWarnings({ db: db(), today: '2026-10-14', publicUrl });
    expect([due.sent, again.sent]).toEqual([1, 0]);
    const mail = await lastMail(db(), 'officer@hkmao.example');
    expect(mail?.subject).toBe('3 项咨询即将到期或已逾期');
    expect(mail?.text_body).toContain('即将到期：');
    for (const c of cases) expect(mail?.text_body).toContain(c.reference);
    expect(mail?.text_body).toContain('https://zjhk.example/zh-hans/workspace/enquiries');
  });

  it('escalates overdue cases once, tells the coordinators of the agency’s side, and leaves paused cases alone', async () => {
    const [a, b, c] = cases as [(typeof cases)[0], (typeof cases)[0], (typeof cases)[0]];
    // Waiting on the citizen: the clock is paused, so it is not overdue.
    expect((await actOnCase(officer, c.id, 'request-info', { body: 'Which city do you live in?' })).statusCode).toBe(303);
    const result = await escalateOverdue({ db: db(), today: '2026-10-16', now: new Date(), publicUrl });
    expect(result).toEqual({ escalated: 2, emails: 1 });
    const rows = await db().selectFrom('enquiries').select(['id', 'escalated_at']).where('id', 'in', [a.id, b.id, c.id]).orderBy('id').execute();
    expect(rows.map((r) => r.escalated_at !== null)).toEqual([true, true, false]);
    const mail = await lastMail(db(), 'coordinator@commerce.example');
    expect(mail?.subject).toBe('2 项咨询已超过时限');
    expect(mail?.text_body).toContain(a.reference);
    expect(await lastMail(db(), 'coordinator@cmab.example')).toBeUndefined();
    expect((await escalateOverdue({ db: db(), today: '2026-10-17', now: new Date(), publicUrl })).escalated).toBe(0);
    const timeline = await db().selectFrom('enquiry_events').select(['kind', 'visible_to_citizen']).where('enquiry_id', '=', a.id).where('kind', '=', 'escalated').execute();
    expect(timeline).toEqual([{ kind: 'escalated', visible_to_citizen: false }]);
    day('2026-10-16');
    const overdue = (await officer.get('/en/workspace/enquiries?overdue=1')).body;
    expect(overdue).toContain(a.reference);
    expect(overdue).not.toContain(c.reference);
  });

  /** A closed on Wednesday 14 (2 working days, on time) and rated 5; B on Friday 16 (4 working days, late) and rated 2; C still open. */
  const closeAandB = async () => {
    const [a, b] = cases as [(typeof cases)[0], (typeof cases)[0]];
    day('2026-10-14');
    expect((await actOnCase(officer, a.id, 'close', { outcome: 'answered', body: 'Answered.' })).statusCode).toBe(303);
    day('2026-10-16');
    expect((await actOnCase(officer, b.id, 'close', { outcome: 'resolved', body: 'Resolved.' })).statusCode).toBe(303);
    await db().updateTable('enquiries').set({ satisfaction: 5, rated_at: new Date() }).where('id', '=', a.id).execute();
    await db().updateTable('enquiries').set({ satisfaction: 2, rated_at: new Date() }).where('id', '=', b.id).execute();
  };

  it('counts received and closed cases, on time, median working days and satisfaction, on the page and in the open data', async () => {
    await closeAandB();
    const answer = await statistics();
    expect([...Value.Errors(EnquiryStatisticsPage, answer)].map((e) => `${e.path}: ${e.message}`)).toEqual([]);
    expect(answer.data).toEqual([{ agency: 'zj-hkmao', month: '2026-10', received: 3, closed: 2, closedOnTime: 1, onTimeRate: 0.5, medianWorkingDays: 3, averageSatisfaction: 3.5, ratings: 2 }]);
    expect((await statistics('year=2025')).data).toEqual([]);
    expect((await statistics('year=2026&agency=zj-hrss')).data).toEqual([]);
    expect((await t.app.inject({ url: '/api/v1/enquiry-statistics?year=1999' })).statusCode).toBe(400);
    const spec = JSON.parse((await t.app.inject({ url: '/api/v1/openapi.json' })).body);
    expect(spec.paths['/api/v1/enquiry-statistics'].get.operationId).toBe('listEnquiryStatistics');

    const page = await t.app.inject({ url: '/en/enquiries/statistics?year=2026' });
    expect(page.statusCode).toBe(200);
    const row = /<tr><th scope="row">Hong Kong and Macao Affairs Office[^<]*<\/th>([\s\S]*?)<\/tr>/.exec(page.body)?.[1] ?? '';
    const cells = [...row.matchAll(/<td[^>]*>([\s\S]*?)<\/td>/g)].map((m) => (m[1] ?? '').replace(/<[^>]+>/g, '').trim());
    expect(cells).toEqual(['October 2026', '3', '2', '50%', '3', '3.5 (2 ratings)']);
    expect(page.body).toContain('<svg');
  });

  it('purges the personal data of cases closed longer ago than the purge period, keeping the statistics', async () => {
    const [a, b] = cases as [(typeof cases)[0], (typeof cases)[0]];
    await closeAandB();
    const before = await statistics();
    await db()
      .updateTable('enquiries')
      .set({ closed_at: new Date('2024-09-01T00:00:00Z') })
      .where('id', '=', a.id)
      .execute();
    expect(await purgeEnquiries({ db: db(), now: new Date('2026-10-20T00:00:00Z') })).toEqual({ purged: 1 });
    const row = await db().selectFrom('enquiries').selectAll().where('id', '=', a.id).executeTakeFirstOrThrow();
    expect([row.name, row.email, row.phone, row.subject, row.description, row.user_id, row.satisfaction_comment]).toEqual([null, null, null, null, null, null, null]);
    expect([row.state, row.agency_id, row.outcome, row.working_days_taken, row.on_time, row.satisfaction]).toEqual(['closed', 'zj-hkmao', 'answered', 2, true, 5]);
    expect(row.purged_at).not.toBeNull();
    const bodies = await db().selectFrom('enquiry_events').select('body').where('enquiry_id', '=', a.id).where('body', 'is not', null).execute();
    expect(bodies).toEqual([]);
    // The mail about the case (acknowledgement, the officer's reply) is cleared with it; B's is kept.
    const mailAbout = (reference: string) =>
      db().selectFrom('mail_outbox').select(['to_address', 'subject', 'text_body', 'purged_at']).where('about_type', '=', 'enquiry').where('about_id', '=', reference).execute();
    const aMail = await mailAbout(a.reference);
    expect(aMail.length).toBeGreaterThanOrEqual(2);
    expect(aMail.map((m) => [m.to_address, m.subject, m.text_body, m.purged_at === null])).toEqual(aMail.map(() => ['', '', '', false]));
    expect(await db().selectFrom('mail_outbox').select('id').where('to_address', '=', 'a@example.org').execute()).toEqual([]);
    expect((await mailAbout(b.reference)).filter((m) => m.to_address === 'b@example.org').length).toBeGreaterThanOrEqual(1);
    // B was closed days ago: kept.
    expect((await db().selectFrom('enquiries').select('email').where('id', '=', b.id).executeTakeFirstOrThrow()).email).toBe('b@example.org');
    expect(await purgeEnquiries({ db: db(), now: new Date('2026-10-20T00:00:00Z') })).toEqual({ purged: 0 });
    const audit = await db().selectFrom('audit_events').select(['action', 'actor_type']).where('entity_id', '=', a.reference).where('action', '=', 'enquiry.purged').execute();
    expect(audit).toEqual([{ action: 'enquiry.purged', actor_type: 'system' }]);
    t.ctx.invalidate();
    expect((await statistics()).data).toEqual(before.data);
    const page = await officer.get(`/en/workspace/enquiries/${a.id}`);
    expect(page.body).toContain('The personal data of this enquiry was removed on');
    expect(page.body).not.toContain('a@example.org');
  });
});

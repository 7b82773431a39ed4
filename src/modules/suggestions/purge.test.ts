import { describe, expect, it } from 'vitest';
import { signedInClient, testAppEach } from '../../../test/app.ts';
import { DATABASES } from '../../../test/databases.ts';
import { SYSTEM } from '../../platform/audit/audit.ts';
import { queueMail } from '../../platform/mail/outbox.ts';
import { suggestionsModule } from './module.tsx';
import { monthsBefore, PURGE_SUGGESTIONS, purgeSuggestions } from './purge-suggestions.ts';
import { insertSuggestion, moveSuggestion, type NewSuggestion } from './queries.ts';

const NOW = new Date('2026-11-26T02:00:00Z');
const monthsAgo = (n: number) => monthsBefore(NOW, n);

const sample = (email: string): NewSuggestion & { year: number } => ({
  topic: 'health',
  commitmentId: null,
  language: 'zh-Hant',
  title: `原文標題 ${email}`,
  body: `原文內容，聯絡人 ${email}`,
  submitterType: 'enterprise',
  submitterName: '張大文',
  submitterOrganisation: '大文貿易有限公司',
  submitterEmail: email,
  userId: null,
  source: 'form',
  sourceRef: null,
  year: 2024,
});

describe('the purge period', () => {
  it('counts calendar months back, to the last day of a shorter month', () => {
    expect(monthsBefore(new Date('2026-11-26T02:00:00Z'), 24).toISOString()).toBe('2024-11-26T02:00:00.000Z');
    expect(monthsBefore(new Date('2026-03-31T10:00:00Z'), 1).toISOString()).toBe('2026-02-28T10:00:00.000Z');
    expect(monthsBefore(new Date('2024-03-31T10:00:00Z'), 1).toISOString()).toBe('2024-02-29T10:00:00.000Z');
    expect(monthsBefore(new Date('2026-01-15T00:00:00Z'), 13).toISOString()).toBe('2024-12-15T00:00:00.000Z');
  });
});

describe.each(DATABASES)('removing the personal data of long-closed suggestions on %s', (kind) => {
  // The purge acts on every suggestion there is, and the period is one setting for all: each test has its own app.
  const t = testAppEach(kind);
  const db = () => t.database.db.kysely;
  const row = (email: string) => db().selectFrom('suggestions').selectAll().where('source_ref', '=', email).executeTakeFirstOrThrow();
  /** A suggestion in a given state, closed the given number of months ago (source_ref names it in the test). */
  const make = async (email: string, state: 'received' | 'responded' | 'rejected', closedMonthsAgo?: number) => {
    const s = await insertSuggestion(db(), { ...sample(email), sourceRef: email });
    const closedAt = closedMonthsAgo === undefined ? null : monthsAgo(closedMonthsAgo);
    await db()
      .updateTable('suggestions')
      .set({ received_at: monthsAgo(40) })
      .where('id', '=', s.id)
      .execute();
    if (state === 'responded') {
      await moveSuggestion(db(), s.id, ['received'], {
        state,
        public_title: '公開標題',
        public_body: '公開內容',
        responsible_agency: 'hk-fstb',
        moderated_at: monthsAgo(39),
        response: JSON.stringify({ 'zh-Hant': '回應' }),
        responded_at: closedAt,
        closed_at: closedAt,
      });
    }
    if (state === 'rejected') await moveSuggestion(db(), s.id, ['received'], { state, reject_reason: '與協議無關', moderated_at: closedAt, closed_at: closedAt });
    return s.reference;
  };

  it('purges suggestions closed longer ago than the period (24 months unless changed), keeps what the statistics and the public need, and audits it', async () => {
    const old = await make('old.responded@example.org', 'responded', 30);
    const rejected = await make('old.rejected@example.org', 'rejected', 25);
    const recent = await make('recent@example.org', 'responded', 3);
    await make('still.open@example.org', 'received');
    // The mail about the old suggestion goes with its personal data; the recent one's stays.
    const mailTo = (email: string, reference: string) =>
      db()
        .transaction()
        .execute((trx) => queueMail(trx, { to: email, locale: 'zh-Hant', subject: `意見建議 ${reference}`, text: `${email} 您好` }, { about: { type: 'suggestion', id: reference } }));
    await mailTo('old.responded@example.org', old);
    await mailTo('recent@example.org', recent);

    const first = await purgeSuggestions({ db: db(), now: NOW, actor: SYSTEM });
    expect(first.purged).toBe(2);
    expect(first.closedBefore.toISOString()).toBe('2024-11-26T02:00:00.000Z');

    const purged = await row('old.responded@example.org');
    expect([purged.title, purged.body, purged.submitter_name, purged.submitter_organisation, purged.submitter_email, purged.user_id]).toEqual([null, null, null, null, null, null]);
    expect(purged.purged_at).not.toBeNull();
    // What stays: the public copy and response, and the fields statistics count by.
    expect([purged.state, purged.topic, purged.submitter_type, purged.language, purged.public_title, purged.response]).toEqual([
      'responded',
      'health',
      'enterprise',
      'zh-Hant',
      '公開標題',
      { 'zh-Hant': '回應' },
    ]);
    expect((await row('old.rejected@example.org')).reject_reason).toBe('與協議無關');
    expect((await row('recent@example.org')).submitter_email).toBe('recent@example.org');
    expect((await row('still.open@example.org')).submitter_email).toBe('still.open@example.org');
    const mail = await db().selectFrom('mail_outbox').select(['about_id', 'to_address', 'subject', 'text_body']).orderBy('id').execute();
    expect(mail).toEqual([
      { about_id: old, to_address: '', subject: '', text_body: '' },
      { about_id: recent, to_address: 'recent@example.org', subject: `意見建議 ${recent}`, text_body: 'recent@example.org 您好' },
    ]);

    const audited = await db().selectFrom('audit_events').select(['entity_id', 'actor_type']).where('action', '=', 'suggestion.purged').orderBy('id').execute();
    expect(audited.map((a) => a.entity_id).sort()).toEqual([old, rejected].sort());
    expect(audited.every((a) => a.actor_type === 'system')).toBe(true);
    // Safe to run again: nothing more to do.
    expect((await purgeSuggestions({ db: db(), now: NOW, actor: SYSTEM })).purged).toBe(0);

    // Coordinators see that the data is gone.
    const { client } = await signedInClient(t, { email: 'coordinator@example.org', role: 'custodian-coordinator', organisationId: 'zj-commerce', locale: 'en' });
    const page = await client.get(`/en/workspace/suggestions/${old}`);
    expect(page.body).toContain('Removed with the personal data');
    expect(page.body).not.toContain('old.responded@example.org');
  });

  it('follows the period the coordinators set, refusing one out of range, and runs as the daily job', async () => {
    await make('recent@example.org', 'responded', 3);
    await make('still.open@example.org', 'received');
    const { client } = await signedInClient(t, { email: 'settings.coordinator@example.org', role: 'custodian-coordinator', organisationId: 'hk-cmab', locale: 'en' });
    const form = await client.get('/en/workspace/suggestions/settings');
    expect(form.body).toContain('value="24"');
    const bad = await client.post('/en/workspace/suggestions/settings', { purgeAfterMonths: '0' });
    expect(bad.statusCode).toBe(200);
    expect(bad.body).toContain('Enter a whole number of months from 1 to 120');
    expect(bad.body).toContain('value="0"');
    const saved = await client.post('/en/workspace/suggestions/settings', { purgeAfterMonths: '2' });
    expect(saved.statusCode).toBe(303);
    expect((await db().selectFrom('suggestions_settings').select('purge_after_months').executeTakeFirstOrThrow()).purge_after_months).toBe(2);
    const audit = await db().selectFrom('audit_events').selectAll().where('action', '=', 'suggestion-settings.updated').executeTakeFirstOrThrow();
    expect(audit.changes).toEqual({ purgeAfterMonths: { before: 24, after: 2 } });
    // The public form states the period in force.
    expect((await t.app.inject({ url: '/en/suggestions/new' })).body).toContain('deleted 2 months after your suggestion is closed');

    const { handlers, recurring } = suggestionsModule.jobs?.(t.ctx.config) ?? { handlers: {} };
    expect(recurring?.map((r) => r.kind)).toEqual([PURGE_SUGGESTIONS]);
    const logged: unknown[] = [];
    const log = { info: (fields: object) => logged.push(fields), warn() {}, error() {} };
    await (handlers[PURGE_SUGGESTIONS] as (p: unknown, c: unknown) => Promise<void>)({}, { db: db(), log, job: {}, workerId: 'test', now: t.ctx.now });
    expect((await row('recent@example.org')).submitter_email).toBeNull();
    expect((await row('still.open@example.org')).submitter_email).toBe('still.open@example.org');
    expect(logged).toEqual([expect.objectContaining({ purged: 1 })]);
  });
});

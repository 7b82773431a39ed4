import { beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { signedInClient, testAppFor } from '../../../test/app.ts';
import { TestClient } from '../../../test/client.ts';
import { DATABASES } from '../../../test/databases.ts';
import { actOnCase, lastMail, sendEnquiry } from './testing.ts';

type Who = 'zjOfficer' | 'hkOfficer' | 'eduOfficer' | 'otherOfficer' | 'hkCoordinator' | 'zjCoordinator' | 'admin';

describe.each(DATABASES)('handling enquiries on %s', (kind) => {
  let now = new Date('2026-09-30T02:00:00Z');
  const t = testAppFor(kind, { now: () => now });
  const db = () => t.database.db.kysely;
  const day = (date: string) => {
    now = new Date(`${date}T02:00:00Z`);
  };
  const people = {} as Record<Who, TestClient>;

  const act = (who: Who, id: number, action: string, fields: Record<string, string>, prefix = 'en') => actOnCase(people[who], id, action, fields, prefix);
  const caseRow = (id: number) => db().selectFrom('enquiries').selectAll().where('id', '=', id).executeTakeFirstOrThrow();
  const events = async (id: number) => (await db().selectFrom('enquiry_events').select('kind').where('enquiry_id', '=', id).orderBy('id').execute()).map((e) => e.kind);

  /** A case of its own for the calling test: sent on the day the test sets, from a browser of its own (which keeps its /track session). */
  const receivedCase = async () => {
    const citizen = new TestClient(t.app);
    const row = await sendEnquiry(citizen, db());
    return { citizen, id: row.id, reference: row.reference };
  };
  /** A case received on the test's day, noted by its agency and transferred to the Labour and Welfare Bureau with a reason. */
  const transferredCase = async () => {
    const sent = await receivedCase();
    expect((await act('zjOfficer', sent.id, 'note', { body: 'x' })).statusCode).toBe(303);
    expect((await act('zjOfficer', sent.id, 'transfer', { agency: 'hk-lwb', reason: '涉及香港强积金，应由香港劳工及福利局答复。' }, 'zh-hans')).statusCode).toBe(303);
    return sent;
  };

  beforeAll(async () => {
    const make = async (who: Who, email: string, role: 'agency-officer' | 'custodian-coordinator' | 'administrator', organisationId: string | null, locale: 'en' | 'zh-Hant' | 'zh-Hans') => {
      people[who] = (await signedInClient(t, { email, role, organisationId, locale })).client;
    };
    await make('zjOfficer', 'officer@hkmao.example', 'agency-officer', 'zj-hkmao', 'zh-Hans');
    await make('hkOfficer', 'officer@lwb.example', 'agency-officer', 'hk-lwb', 'zh-Hant');
    await make('eduOfficer', 'officer@edb.example', 'agency-officer', 'hk-edb', 'en');
    await make('otherOfficer', 'officer@fstb.example', 'agency-officer', 'hk-fstb', 'en');
    await make('hkCoordinator', 'coordinator@cmab.example', 'custodian-coordinator', 'hk-cmab', 'en');
    await make('zjCoordinator', 'coordinator@commerce.example', 'custodian-coordinator', 'zj-commerce', 'zh-Hans');
    await make('admin', 'admin@example.org', 'administrator', null, 'en');
  });

  // Every test starts on Wednesday 30 September 2026, whichever test moved the clock before it.
  beforeEach(() => day('2026-09-30'));

  it('routes a case to its topic’s agency, where only its officers and the side’s coordinators see it and who sent it', async () => {
    // The workspace counts the open cases waiting for each person (other tests may have left some).
    const waiting = async (who: Who) => Number(/(\d+) enquir(?:y|ies) waiting for an answer/.exec((await people[who].get('/en/workspace')).body)?.[1] ?? 0);
    const [officerBefore, coordinatorBefore, otherBefore] = [await waiting('zjOfficer'), await waiting('zjCoordinator'), await waiting('hkOfficer')];
    const row = await receivedCase();
    expect([await waiting('zjOfficer'), await waiting('zjCoordinator'), await waiting('hkOfficer')]).toEqual([officerBefore + 1, coordinatorBefore + 1, otherBefore]);
    expect((await people.zjOfficer.get('/zh-hans/workspace/enquiries')).body).toContain(row.reference);
    expect((await people.hkOfficer.get('/zh-hant/workspace/enquiries')).body).not.toContain(row.reference);
    // New case mail to the agency's officers, without personal data.
    const notice = await lastMail(db(), 'officer@hkmao.example');
    expect(notice?.subject).toBe(`贵单位有新咨询 ${row.reference}`);
    expect(notice?.text_body).not.toContain('陈大文');

    for (const who of ['zjOfficer', 'zjCoordinator'] as const) {
      const page = await people[who].get(`/en/workspace/enquiries/${row.id}`);
      expect(page.statusCode, who).toBe(200);
      expect(page.body).toContain('陈大文');
      expect(page.body).toContain('citizen@example.org');
    }
    for (const who of ['hkOfficer', 'otherOfficer', 'hkCoordinator', 'admin'] as const) {
      const page = await people[who].get(`/en/workspace/enquiries/${row.id}`);
      expect(page.statusCode, who).toBe(403);
      expect(page.body).not.toContain('citizen@example.org');
    }
    // Someone else's agency cannot act on it either.
    expect((await act('zjOfficer', row.id, 'note', { body: 'x' })).statusCode).toBe(303);
    expect((await people.otherOfficer.post(`/en/workspace/enquiries/${row.id}/note`, { body: 'mine now', version: '1' }, { from: '/en/workspace/enquiries' })).statusCode).toBe(403);
  });

  it('transfers a case to a Hong Kong bureau with a reason: it leaves the queue and is counted on the Hong Kong calendar', async () => {
    const first = await receivedCase();
    const noReason = await act('zjOfficer', first.id, 'transfer', { agency: 'hk-lwb', reason: '' }, 'zh-hans');
    expect(noReason.statusCode).toBe(200);
    expect(noReason.body).toContain('请填写此项');
    const moved = await act('zjOfficer', first.id, 'transfer', { agency: 'hk-lwb', reason: '涉及香港强积金，应由香港劳工及福利局答复。' }, 'zh-hans');
    expect([moved.statusCode, moved.headers.location]).toEqual([303, '/zh-hans/workspace/enquiries?saved=transfer']);
    const row = await caseRow(first.id);
    // Received 30 September: on the Hong Kong calendar 3 working days end on 6 October (Mainland: 10 October).
    expect([row.agency_id, row.side, row.due_on, row.refusals, row.state]).toEqual(['hk-lwb', 'hong-kong', '2026-10-06', 1, 'open']);
    expect((await people.zjOfficer.get(`/en/workspace/enquiries/${first.id}`)).statusCode).toBe(403);
    expect((await people.zjOfficer.get('/en/workspace/enquiries')).body).not.toContain(first.reference);
    expect((await people.hkOfficer.get('/zh-hant/workspace/enquiries')).body).toContain(first.reference);
    const told = await lastMail(db(), 'citizen@example.org');
    expect(told?.subject).toBe(`您的咨询 ${first.reference} 已转交`);
    expect(told?.text_body).toContain('劳工及福利局');
    expect(told?.text_body).toContain('2026年10月6日');
    // The reason is internal.
    expect(told?.text_body).not.toContain('强积金');
    expect((await lastMail(db(), 'officer@lwb.example'))?.subject).toBe(`諮詢 ${first.reference} 已轉交貴單位`);
  });

  it('asks for more information, pausing the clock until the citizen answers at /track, then closes within the limit', async () => {
    const first = await transferredCase();
    const citizen = first.citizen;
    day('2026-10-05');
    const asked = await act('hkOfficer', first.id, 'request-info', { body: '請提供你的強積金計劃成員編號。' }, 'zh-hant');
    expect(asked.statusCode).toBe(303);
    expect(await caseRow(first.id)).toMatchObject({ state: 'awaiting-citizen', paused_since: '2026-10-05' });
    const question = await lastMail(db(), 'citizen@example.org');
    expect(question?.locale).toBe('zh-Hans');
    expect(question?.subject).toBe(`您的咨询 ${first.reference} 需要补充材料`);
    expect(question?.text_body).toContain('請提供你的強積金計劃成員編號。');
    const again = await people.hkOfficer.post(
      `/zh-hant/workspace/enquiries/${first.id}/request-info`,
      { body: '再問一次', version: String((await caseRow(first.id)).version) },
      { from: `/zh-hant/workspace/enquiries/${first.id}` },
    );
    expect(again.body).toContain('只可在諮詢處理中時進行');

    // Thursday 8 October: the citizen answers in the browser that sent the enquiry (its /track session).
    day('2026-10-08');
    const page = await citizen.get('/zh-hans/track/case');
    expect(page.body).toContain('請提供你的強積金計劃成員編號。');
    const version = /name="version" value="(\d+)"/.exec(page.body)?.[1] ?? '';
    const answered = await citizen.post('/zh-hans/track/case/reply', { body: '成员编号是 1234567。', version }, { from: '/zh-hans/track/case' });
    expect([answered.statusCode, answered.headers.location]).toEqual([303, '/zh-hans/track/case?saved=reply']);
    // 6, 7 and 8 October did not count: due on 9 October instead of 6.
    expect(await caseRow(first.id)).toMatchObject({ state: 'open', paused_since: null, paused_days: 3, due_on: '2026-10-09' });
    expect((await lastMail(db(), 'officer@lwb.example'))?.subject).toBe(`市民就諮詢 ${first.reference} 留言`);

    day('2026-10-09');
    const noOutcome = await act('hkOfficer', first.id, 'close', { outcome: '', body: '已答覆。' }, 'zh-hant');
    expect(noOutcome.body).toContain('請選擇一項');
    expect(noOutcome.body).not.toContain('請填寫此項');
    const closed = await act('hkOfficer', first.id, 'close', { outcome: 'answered', body: '你可於年滿65歲時提取強積金。' }, 'zh-hant');
    expect(closed.statusCode).toBe(303);
    expect(await caseRow(first.id)).toMatchObject({ state: 'closed', closed_on: '2026-10-09', outcome: 'answered', working_days_taken: 3, on_time: true });
    const final = await lastMail(db(), 'citizen@example.org');
    expect(final?.subject).toBe(`您的咨询 ${first.reference} 已办结`);
    expect(final?.text_body).toContain('办理结果：已解答');
    expect(await events(first.id)).toEqual(['received', 'note', 'transferred', 'info-requested', 'citizen-reply', 'closed']);
    const audit = (await db().selectFrom('audit_events').select('action').where('entity_id', '=', first.reference).orderBy('id').execute()).map((a) => a.action);
    expect(audit).toEqual(['enquiry.received', 'enquiry.noted', 'enquiry.transferred', 'enquiry.information-requested', 'enquiry.citizen-replied', 'enquiry.closed']);
    // Closed: nothing more can be done on it.
    expect((await act('hkOfficer', first.id, 'reply', { body: 'P.S.' })).statusCode).toBe(403);
  });

  it('extends the time limit only with a reason and up to the cap', async () => {
    day('2026-10-12');
    const row = await sendEnquiry(new TestClient(t.app), db(), { email: 'second@example.org', locale: 'en' });
    expect(row.due_on).toBe('2026-10-15');
    expect((await act('zjOfficer', row.id, 'extend', { days: '15', reason: '' })).body).toContain('Enter this');
    expect((await act('zjOfficer', row.id, 'extend', { days: 'three', reason: 'Waiting for the public security bureau.' })).body).toContain('Enter a whole number of working days, 1 or more');
    expect((await act('zjOfficer', row.id, 'extend', { days: '15', reason: 'Waiting for the public security bureau.' })).statusCode).toBe(303);
    expect(await caseRow(row.id)).toMatchObject({ extension_days: 15, due_on: '2026-11-05' });
    const told = await lastMail(db(), 'second@example.org');
    expect(told?.subject).toBe(`More time is needed for your enquiry ${row.reference}`);
    expect(told?.text_body).toContain('Waiting for the public security bureau.');
    expect(told?.text_body).toContain('5 November 2026');
    const over = await act('zjOfficer', row.id, 'extend', { days: '6', reason: 'More waiting.' });
    expect(over.body).toContain('This would take the extensions past the cap');
    expect(over.body).toContain('More waiting.');
    expect((await act('zjOfficer', row.id, 'extend', { days: '5', reason: 'More waiting.' })).statusCode).toBe(303);
    expect((await caseRow(row.id)).extension_days).toBe(20);
  });

  it('refuses an action on a case that changed since the page was shown, so nothing is done twice', async () => {
    const row = await sendEnquiry(new TestClient(t.app), db(), { email: 'third@example.org', locale: 'en' });
    const from = `/en/workspace/enquiries/${row.id}`;
    const version = /name="version" value="(\d+)"/.exec((await people.zjOfficer.get(from)).body)?.[1] ?? '';
    const once = await people.zjOfficer.post(`${from}/reply`, { version, body: 'Bring your Home Return Permit.' }, { from });
    const twice = await people.zjOfficer.post(`${from}/reply`, { version, body: 'Bring your Home Return Permit.' }, { from });
    expect(once.statusCode).toBe(303);
    expect(twice.statusCode).toBe(200);
    expect(twice.body).toContain('Someone has acted on this enquiry since you opened it');
    expect(twice.body).toContain('Bring your Home Return Permit.</textarea>');
    expect((await events(row.id)).filter((k) => k === 'reply')).toHaveLength(1);
    // An internal note never reaches the citizen's view.
    await act('zjOfficer', row.id, 'note', { body: 'Citizen called twice.' });
    const track = await t.app.inject({ url: `/en/track/case?reference=${row.reference}` });
    expect(track.body).not.toContain('Citizen called twice.');
  });

  it('sends a case refused by two agencies to the coordinators, who assign it', async () => {
    const row = await sendEnquiry(new TestClient(t.app), db(), { email: 'fourth@example.org', locale: 'en' });
    expect((await act('zjOfficer', row.id, 'transfer', { agency: 'hk-lwb', reason: 'A Hong Kong matter.' })).statusCode).toBe(303);
    const page = await people.hkOfficer.get(`/en/workspace/enquiries/${row.id}`);
    expect(page.body).toContain('Another agency has already passed this enquiry on');
    expect((await act('hkOfficer', row.id, 'transfer', { agency: 'hk-edb', reason: 'About schools, not labour.' })).statusCode).toBe(303);
    expect(await caseRow(row.id)).toMatchObject({ state: 'with-coordinators', agency_id: null, refusals: 2, side: 'hong-kong' });
    expect((await lastMail(db(), 'coordinator@commerce.example'))?.subject).toBe(`咨询 ${row.reference} 待分派`);
    for (const who of ['hkCoordinator', 'zjCoordinator'] as const) {
      expect((await people[who].get('/en/workspace/enquiries?state=with-coordinators')).body, who).toContain(row.reference);
      expect((await people[who].get(`/en/workspace/enquiries/${row.id}`)).statusCode, who).toBe(200);
    }
    expect((await people.eduOfficer.get(`/en/workspace/enquiries/${row.id}`)).statusCode).toBe(403);
    // Agencies cannot pick it up themselves; a coordinator assigns it.
    expect((await act('hkCoordinator', row.id, 'assign', { agency: '' })).body).toContain('Choose one');
    expect((await act('hkCoordinator', row.id, 'assign', { agency: 'hk-edb', reason: 'Schools: Education Bureau.' })).statusCode).toBe(303);
    expect(await caseRow(row.id)).toMatchObject({ state: 'open', agency_id: 'hk-edb', side: 'hong-kong', refusals: 2 });
    expect((await people.eduOfficer.get(`/en/workspace/enquiries/${row.id}`)).statusCode).toBe(200);
    expect((await lastMail(db(), 'fourth@example.org'))?.text_body).toContain('Education Bureau');
  });

  it('shows the citizen’s files to the handling agency only', async () => {
    const pdf = Buffer.from('%PDF-1.4\n1 0 obj<</Type/Catalog/Pages 2 0 R>>endobj 2 0 obj<</Type/Pages/Kids[]/Count 0>>endobj\ntrailer<</Root 1 0 R>>\n%%EOF\n');
    const sender = new TestClient(t.app);
    await db().deleteFrom('rate_limits').execute();
    const fields = {
      type: 'help',
      topic: 'residence-permit',
      subject: 'Lost permit',
      description: 'I lost my residence permit.',
      locale: 'en',
      name: 'Citizen',
      email: 'fifth@example.org',
      phone: '',
    };
    const sent = await sender.postMultipart(
      '/en/enquiries/new',
      [
        ...Object.entries(fields).map(([name, value]) => ({ name, value })),
        { name: 'consent', value: 'yes' },
        { name: 'intent', value: 'submit' },
        { name: 'attachments', filename: 'report.pdf', type: 'application/pdf', data: pdf },
      ],
      { from: '/en/enquiries/new' },
    );
    expect(sent.statusCode).toBe(303);
    const row = await db().selectFrom('enquiries').select('id').where('email', '=', 'fifth@example.org').executeTakeFirstOrThrow();
    const link = /href="(\/workspace\/enquiries\/\d+\/files\/[^"]+)"/.exec((await people.zjOfficer.get(`/en/workspace/enquiries/${row.id}`)).body)?.[1] ?? '';
    expect(link).not.toBe('');
    const file = await people.zjOfficer.get(link);
    expect(file.statusCode).toBe(200);
    expect(file.rawPayload.equals(pdf)).toBe(true);
    expect((await people.otherOfficer.get(link)).statusCode).toBe(403);
    // Not through the public address of implementation files either.
    const fileId = link.split('/')[5] ?? '';
    expect((await t.app.inject({ url: `/files/${fileId}/report.pdf` })).statusCode).toBe(404);
    // The citizen sees it on their case.
    const own = await sender.get('/en/track/case');
    const mine = /href="(\/track\/case\/files\/[^"]+)"/.exec(own.body)?.[1] ?? '';
    expect((await sender.get(mine)).statusCode).toBe(200);
    expect((await new TestClient(t.app).get(mine)).statusCode).toBe(404);
  });
});

import { FormatRegistry } from '@sinclair/typebox';
import { Value } from '@sinclair/typebox/value';
import { describe, expect, it } from 'vitest';
import { signedInClient, testAppFor } from '../../../test/app.ts';
import { TestClient } from '../../../test/client.ts';
import { DATABASES } from '../../../test/databases.ts';
import { SuggestionsPage } from './api.ts';

/** What the senders give: none of it may ever appear on a public page or in the open data. */
const PERSONAL = ['Sample Resident', 'first.sender@example.org', 'Lucky Star Trading', 'Second Sender', 'second.sender@example.org', 'third.sender@example.org'];

describe.each(DATABASES)('moderating and answering suggestions on %s', (kind) => {
  const t = testAppFor(kind);
  const db = () => t.database.db.kysely;
  const people: Record<'coordinator' | 'otherCoordinator' | 'officer' | 'otherOfficer' | 'admin', TestClient> = {} as never;
  const refs: Record<'first' | 'duplicate' | 'unwanted', string> = { first: '', duplicate: '', unwanted: '' };
  const work = (ref: string, action = '') => `/en/workspace/suggestions/${ref}${action ? `/${action}` : ''}`;
  const state = async (ref: string) => (await db().selectFrom('suggestions').selectAll().where('reference', '=', ref).executeTakeFirstOrThrow()).state;
  const mailsTo = (address: string) => db().selectFrom('mail_outbox').selectAll().where('to_address', '=', address).orderBy('id').execute();
  const anonymous = (url: string) => t.app.inject({ url });
  const expectNoPersonalData = (body: string) => {
    for (const secret of PERSONAL) expect(body).not.toContain(secret);
  };

  it('receives suggestions and queues them for the coordinators, received first; nobody else sees them', async () => {
    people.coordinator = (await signedInClient(t, { email: 'coordinator@example.org', role: 'custodian-coordinator', organisationId: 'hk-cmab', locale: 'en' })).client;
    people.otherCoordinator = (await signedInClient(t, { email: 'zj.coordinator@example.org', role: 'custodian-coordinator', organisationId: 'zj-hkmao', locale: 'zh-Hans' })).client;
    people.officer = (await signedInClient(t, { email: 'fstb.officer@example.org', role: 'agency-officer', organisationId: 'hk-fstb', locale: 'zh-Hant' })).client;
    people.otherOfficer = (await signedInClient(t, { email: 'itib.officer@example.org', role: 'agency-officer', organisationId: 'hk-itib', locale: 'en' })).client;
    people.admin = (await signedInClient(t, { email: 'admin@example.org', role: 'administrator', locale: 'en' })).client;

    // Before anything is published, the commitment's page (cached for visitors) invites a first suggestion.
    const empty = await anonymous('/en/agreements/zjhk-2023/commitments/11-2');
    expect(empty.body).toContain('No suggestion on this commitment has been published yet.');
    expect(empty.body).toContain('href="/en/suggestions/new?commitment=11-2"');

    const send = async (fields: Record<string, string>) => {
      const sent = await new TestClient(t.app).post('/en/suggestions/new', { subject: 'commitment:11-2', locale: 'en', submitterType: 'resident', consent: 'yes', ...fields });
      expect(sent.statusCode).toBe(303);
      return /reference=(.+)$/.exec(String(sent.headers.location))?.[1] as string;
    };
    refs.first = await send({
      title: 'Open a Hong Kong desk at the Hangzhou social insurance office',
      body: 'My name is Sample Resident of Lucky Star Trading. A desk that knows the 2020 measures would save Hong Kong people many trips.',
      submitterType: 'enterprise',
      organisation: 'Lucky Star Trading',
      name: 'Sample Resident',
      email: 'first.sender@example.org',
    });
    refs.duplicate = await send({ title: 'A Hong Kong counter for social insurance', body: 'Please set up a counter for Hong Kong residents.', name: 'Second Sender', email: 'second.sender@example.org', locale: 'zh-Hant' });
    refs.unwanted = await send({ title: 'Buy my product', body: 'Advertising.', email: 'third.sender@example.org' });

    const queue = await people.coordinator.get('/en/workspace/suggestions');
    expect(queue.statusCode).toBe(200);
    const positions = [refs.first, refs.duplicate, refs.unwanted].map((r) => queue.body.indexOf(r));
    expect(positions.every((p) => p > 0)).toBe(true);
    expect(positions).toEqual([...positions].sort((a, b) => a - b));
    expect(queue.body).toContain('Received (3)');

    // Officers see no suggestion before one is published for their agency; administrators none at all.
    const officerQueue = await people.officer.get('/en/workspace/suggestions');
    expect(officerQueue.statusCode).toBe(200);
    expect(officerQueue.body).not.toContain(refs.first);
    expect((await people.officer.get(work(refs.first))).statusCode).toBe(403);
    expect((await people.admin.get('/en/workspace/suggestions')).statusCode).toBe(403);
    expect((await people.admin.get(work(refs.first))).statusCode).toBe(403);
    expect((await people.officer.post(work(refs.first, 'publish'), { agency: 'hk-fstb', publicTitle: 'x', publicBody: 'y' }, { from: '/en/workspace/suggestions' })).statusCode).toBe(403);

    // Not public until published.
    expect((await anonymous(`/en/suggestions/${refs.first}`)).statusCode).toBe(404);
  });

  it('publishes a checked copy with the agency that must respond, keeping the original privately, and only once', async () => {
    const page = await people.coordinator.get(work(refs.first));
    expect(page.body).toContain('first.sender@example.org');
    expect(page.body).toContain('Lucky Star Trading');
    // The public copy starts as the original.
    expect(page.body).toContain('My name is Sample Resident of Lucky Star Trading.');

    const noAgency = await people.coordinator.post(work(refs.first, 'publish'), { agency: '', publicTitle: 'Open a Hong Kong desk', publicBody: 'Edited text.' }, { from: work(refs.first) });
    expect(noAgency.statusCode).toBe(200);
    expect(noAgency.body).toContain('id="field-agency-error"');
    expect(noAgency.body).toContain('Edited text.');
    const unknownAgency = await people.coordinator.post(work(refs.first, 'publish'), { agency: 'hk-nowhere', publicTitle: 'Open a Hong Kong desk', publicBody: 'Edited text.' }, { from: work(refs.first) });
    expect(unknownAgency.body).toContain('Choose one of the options');
    expect(await state(refs.first)).toBe('received');

    const publicText = 'A desk that knows the 2020 social insurance measures would save Hong Kong people many trips.';
    const published = await people.coordinator.post(work(refs.first, 'publish'), { agency: 'hk-fstb', publicTitle: 'Open a Hong Kong desk at the Hangzhou social insurance office', publicBody: publicText }, { from: work(refs.first) });
    expect(published.statusCode).toBe(303);
    expect(String(published.headers.location)).toContain('done=published');
    const row = await db().selectFrom('suggestions').selectAll().where('reference', '=', refs.first).executeTakeFirstOrThrow();
    expect([row.state, row.responsible_agency, row.public_body]).toEqual(['published', 'hk-fstb', publicText]);
    expect(row.body).toContain('Sample Resident');

    const again = await people.otherCoordinator.post(work(refs.first, 'publish'), { agency: 'hk-itib', publicTitle: 'Other', publicBody: 'Other' }, { from: work(refs.first) });
    expect(again.statusCode).toBe(200);
    expect(again.body).toContain('Another coordinator has decided on this suggestion already');
    expect((await db().selectFrom('suggestions').select('responsible_agency').where('reference', '=', refs.first).executeTakeFirstOrThrow()).responsible_agency).toBe('hk-fstb');

    const [toSender] = await mailsTo('first.sender@example.org').then((m) => m.filter((x) => x.subject.includes('published')));
    expect(toSender?.text_body).toContain('Financial Services and the Treasury Bureau');
    expect(toSender?.text_body).toContain(`/en/suggestions/${refs.first}`);
    const [toOfficer] = await mailsTo('fstb.officer@example.org');
    expect(toOfficer?.locale).toBe('zh-Hant');
    expect(toOfficer?.subject).toBe(`意見建議 ${refs.first} 等候貴部門回應`);
    expect(await mailsTo('itib.officer@example.org')).toHaveLength(0);

    // Now the agency's officers see it with its sender's details; other agencies' officers do not.
    expect((await people.officer.get('/en/workspace/suggestions')).body).toContain(refs.first);
    expect((await people.officer.get(work(refs.first))).body).toContain('first.sender@example.org');
    expect((await people.otherOfficer.get(work(refs.first))).statusCode).toBe(403);
    expect((await people.otherOfficer.get('/en/workspace/suggestions')).body).not.toContain(refs.first);

    const audit = await db().selectFrom('audit_events').selectAll().where('action', '=', 'suggestion.published').executeTakeFirstOrThrow();
    expect(audit.changes).toMatchObject({ responsibleAgency: { after: 'hk-fstb' }, publicCopyEdited: { after: true } });
  });

  it('merges a duplicate into the published suggestion, which counts its supporters', async () => {
    const page = await people.coordinator.get(work(refs.duplicate));
    expect(page.body).toContain(`<option value="${refs.first}"`);
    const missing = await people.coordinator.post(work(refs.duplicate, 'merge'), { target: '' }, { from: work(refs.duplicate) });
    expect(missing.body).toContain('id="field-target-error"');
    const notPublished = await people.coordinator.post(work(refs.duplicate, 'merge'), { target: refs.unwanted, confirm: 'yes' }, { from: work(refs.duplicate) });
    expect(notPublished.body).toContain('Choose a published suggestion from the list');
    expect(await state(refs.duplicate)).toBe('received');

    const merged = await people.coordinator.post(work(refs.duplicate, 'merge'), { target: refs.first, confirm: 'yes' }, { from: work(refs.duplicate) });
    expect(merged.statusCode).toBe(303);
    expect(await state(refs.duplicate)).toBe('merged');
    const [mail] = await mailsTo('second.sender@example.org').then((m) => m.filter((x) => x.subject.includes('合併')));
    expect(mail?.text_body).toContain(refs.first);

    const duplicatePage = await anonymous(`/en/suggestions/${refs.duplicate}`);
    expect(duplicatePage.statusCode).toBe(200);
    expect(duplicatePage.body).toContain(`href="/en/suggestions/${refs.first}"`);
    expect(duplicatePage.body).not.toContain('Please set up a counter');
    expectNoPersonalData(duplicatePage.body);
    expect((await anonymous(`/en/suggestions/${refs.first}`)).body).toContain('2 people');
  });

  it('rejects only with a reason, which is emailed', async () => {
    const noReason = await people.coordinator.post(work(refs.unwanted, 'reject'), { reason: '' }, { from: work(refs.unwanted) });
    expect(noReason.statusCode).toBe(200);
    expect(noReason.body).toContain('Give the reason');
    expect(await state(refs.unwanted)).toBe('received');
    const rejected = await people.coordinator.post(work(refs.unwanted, 'reject'), { reason: 'Advertising is not a suggestion.', confirm: 'yes' }, { from: work(refs.unwanted) });
    expect(rejected.statusCode).toBe(303);
    expect(await state(refs.unwanted)).toBe('rejected');
    const mail = (await mailsTo('third.sender@example.org')).at(-1);
    expect(mail?.subject).toBe(`Suggestion ${refs.unwanted}: not published`);
    expect(mail?.text_body).toContain('Advertising is not a suggestion.');
    expect((await anonymous(`/en/suggestions/${refs.unwanted}`)).statusCode).toBe(404);
    // Decided: it can be neither published nor merged any more.
    const late = await people.otherCoordinator.post(work(refs.unwanted, 'publish'), { agency: 'hk-fstb', publicTitle: 'x', publicBody: 'y' }, { from: work(refs.unwanted) });
    expect(late.statusCode).toBe(200);
    expect(await state(refs.unwanted)).toBe('rejected');
  });

  it('takes the official response from the responsible agency only, and tells every sender', async () => {
    const refused = await people.otherOfficer.post(work(refs.first, 'respond'), { responseEn: 'Not ours.' }, { from: '/en/workspace/suggestions' });
    expect(refused.statusCode).toBe(403);
    const empty = await people.officer.post(work(refs.first, 'respond'), { responseHant: '', responseEn: '' }, { from: work(refs.first) });
    expect(empty.statusCode).toBe(200);
    expect(empty.body).toContain('Enter this in at least one language');
    expect(await state(refs.first)).toBe('published');

    const answered = await people.officer.post(
      work(refs.first, 'respond'),
      { responseHant: '杭州市社保中心將於明年第一季設立港澳居民專窗。', responseEn: 'The Hangzhou social insurance centre will open a desk for Hong Kong and Macao residents in the first quarter of next year.' },
      { from: work(refs.first) },
    );
    expect(answered.statusCode).toBe(303);
    expect(await state(refs.first)).toBe('responded');
    const again = await people.coordinator.post(work(refs.first, 'respond'), { responseEn: 'A second answer.' }, { from: work(refs.first) });
    expect(again.body).toContain('This suggestion is not waiting for a response');

    const first = (await mailsTo('first.sender@example.org')).at(-1);
    expect(first?.subject).toBe(`Suggestion ${refs.first}: official response`);
    expect(first?.text_body).toContain('first quarter of next year');
    const second = (await mailsTo('second.sender@example.org')).at(-1);
    expect(second?.locale).toBe('zh-Hant');
    expect(second?.text_body).toContain(refs.duplicate);
    expect(second?.text_body).toContain('港澳居民專窗');
    expect(await mailsTo('third.sender@example.org').then((m) => m.filter((x) => x.subject.includes('response')))).toHaveLength(0);
  });

  it('shows the public pages, the commitment’s section and the open data without any personal data', async () => {
    const page = await anonymous(`/en/suggestions/${refs.first}`);
    expect(page.statusCode).toBe(200);
    expect(page.body).toContain('Open a Hong Kong desk at the Hangzhou social insurance office');
    expect(page.body).toContain('first quarter of next year');
    expect(page.body).toContain('Financial Services and the Treasury Bureau');
    expect(page.body).toContain('badge status-completed');
    expectNoPersonalData(page.body);
    const chinese = await anonymous(`/zh-hans/suggestions/${refs.first}`);
    // The response written in Traditional Chinese, shown in Simplified and marked as converted by machine.
    expect(chinese.body).toContain('港澳居民专窗');

    const list = await anonymous('/en/suggestions?commitment=11-2&status=responded');
    expect(list.body).toContain(refs.first);
    expect(list.body).not.toContain(refs.duplicate);
    expectNoPersonalData(list.body);
    expect((await anonymous('/en/suggestions?status=published')).body).not.toContain(refs.first);
    expect((await anonymous('/en/suggestions?topic=employment')).body).toContain('0 suggestions');

    // The commitment's page (cached before the suggestion was published) now lists it.
    const commitment = await anonymous('/en/agreements/zjhk-2023/commitments/11-2');
    expect(commitment.body).toContain('Suggestions on this commitment');
    expect(commitment.body).toContain(`href="/en/suggestions/${refs.first}"`);
    expect(commitment.body).toContain('Make a suggestion on this commitment');
    expectNoPersonalData(commitment.body);
    expect((await anonymous('/en/agreements/zjhk-2023/commitments/11-1')).body).not.toContain(refs.first);

    const api = await anonymous('/api/v1/suggestions?commitment=11-2');
    expect(api.statusCode).toBe(200);
    const body = JSON.parse(api.body);
    FormatRegistry.Set('date', (v) => /^\d{4}-\d{2}-\d{2}$/.test(v));
    expect([...Value.Errors(SuggestionsPage, body)].map((e) => `${e.path}: ${e.message}`)).toEqual([]);
    expect(body.total).toBe(1);
    expect(body.data[0]).toMatchObject({ reference: refs.first, status: 'responded', supporters: 2, responsibleAgency: 'hk-fstb', commitment: { code: '11-2' } });
    expectNoPersonalData(api.body);
    expect(JSON.parse((await anonymous('/api/v1/suggestions?status=published')).body).total).toBe(0);
    const paged = JSON.parse((await anonymous('/api/v1/suggestions?limit=1')).body);
    expect([paged.data.length, paged.next]).toEqual([1, null]);
    expect((await anonymous('/api/v1/suggestions?commitment=eleven')).statusCode).toBe(400);

    const openapi = JSON.parse((await anonymous('/api/v1/openapi.json')).body);
    expect(openapi.paths['/api/v1/suggestions'].get.operationId).toBe('listSuggestions');

    const actions = (await db().selectFrom('audit_events').select('action').where('entity_type', '=', 'suggestion').execute()).map((a) => a.action);
    expect(actions).toEqual(expect.arrayContaining(['suggestion.received', 'suggestion.published', 'suggestion.merged', 'suggestion.rejected', 'suggestion.responded']));
  });
});

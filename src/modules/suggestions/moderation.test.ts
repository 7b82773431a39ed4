import { Value } from '@sinclair/typebox/value';
import { beforeAll, describe, expect, it } from 'vitest';
import { signedInClient, testAppFor } from '../../../test/app.ts';
import { TestClient } from '../../../test/client.ts';
import { DATABASES } from '../../../test/databases.ts';
import { SuggestionsPage } from './api.ts';

/** What the senders give (with their addresses): none of it may ever appear on a public page or in the open data. */
const PERSONAL = ['Sample Resident', 'Lucky Star Trading', 'Second Sender'];
const PUBLIC_TITLE = 'Open a Hong Kong desk at the Hangzhou social insurance office';
const PUBLIC_TEXT = 'A desk that knows the 2020 social insurance measures would save Hong Kong people many trips.';
const RESPONSE = {
  responseHant: '杭州市社保中心將於明年第一季設立港澳居民專窗。',
  responseEn: 'The Hangzhou social insurance centre will open a desk for Hong Kong and Macao residents in the first quarter of next year.',
};

/**
 * Three suggestions one test sends on one commitment, in this order: one to publish, a duplicate of
 * it (in Traditional Chinese), and an advertisement; each sender's address is the test's own.
 */
interface Sent {
  commitment: string;
  first: string;
  duplicate: string;
  unwanted: string;
  from: { first: string; duplicate: string; unwanted: string };
}

describe.each(DATABASES)('moderating and answering suggestions on %s', (kind) => {
  const t = testAppFor(kind);
  const db = () => t.database.db.kysely;
  const people = {} as Record<'coordinator' | 'otherCoordinator' | 'officer' | 'otherOfficer' | 'admin', TestClient>;
  beforeAll(async () => {
    people.coordinator = (await signedInClient(t, { email: 'coordinator@example.org', role: 'custodian-coordinator', organisationId: 'hk-cmab', locale: 'en' })).client;
    people.otherCoordinator = (await signedInClient(t, { email: 'zj.coordinator@example.org', role: 'custodian-coordinator', organisationId: 'zj-hkmao', locale: 'zh-Hans' })).client;
    people.officer = (await signedInClient(t, { email: 'fstb.officer@example.org', role: 'agency-officer', organisationId: 'hk-fstb', locale: 'zh-Hant' })).client;
    people.otherOfficer = (await signedInClient(t, { email: 'itib.officer@example.org', role: 'agency-officer', organisationId: 'hk-itib', locale: 'en' })).client;
    people.admin = (await signedInClient(t, { email: 'admin@example.org', role: 'administrator', locale: 'en' })).client;
  });
  const work = (ref: string, action = '') => `/en/workspace/suggestions/${ref}${action ? `/${action}` : ''}`;
  const state = async (ref: string) => (await db().selectFrom('suggestions').selectAll().where('reference', '=', ref).executeTakeFirstOrThrow()).state;
  const mailsTo = (address: string) => db().selectFrom('mail_outbox').selectAll().where('to_address', '=', address).orderBy('id').execute();
  const anonymous = (url: string) => t.app.inject({ url });
  const expectNoPersonalData = (body: string, sent: Sent) => {
    for (const secret of [...PERSONAL, ...Object.values(sent.from)]) expect(body).not.toContain(secret);
  };

  /** Each test's senders come from an address of their own: the form takes ten suggestions per address in ten minutes. */
  let visitors = 0;
  /** The three suggestions of a test (`tag` names its senders), sent on a commitment as visitors send them. */
  const receive = async (tag: string, commitment: string): Promise<Sent> => {
    const ip = `198.51.100.${++visitors}`;
    const from = { first: `first.sender.${tag}@example.org`, duplicate: `second.sender.${tag}@example.org`, unwanted: `third.sender.${tag}@example.org` };
    const send = async (fields: Record<string, string>) => {
      const sent = await new TestClient(t.app, { ip }).post('/en/suggestions/new', { subject: `commitment:${commitment}`, locale: 'en', submitterType: 'resident', consent: 'yes', ...fields });
      expect(sent.statusCode).toBe(303);
      return /reference=(.+)$/.exec(String(sent.headers.location))?.[1] as string;
    };
    const first = await send({
      title: 'Open a Hong Kong desk at the Hangzhou social insurance office',
      body: 'My name is Sample Resident of Lucky Star Trading. A desk that knows the 2020 measures would save Hong Kong people many trips.',
      submitterType: 'enterprise',
      organisation: 'Lucky Star Trading',
      name: 'Sample Resident',
      email: from.first,
    });
    const duplicate = await send({
      title: 'A Hong Kong counter for social insurance',
      body: 'Please set up a counter for Hong Kong residents.',
      name: 'Second Sender',
      email: from.duplicate,
      locale: 'zh-Hant',
    });
    const unwanted = await send({ title: 'Buy my product', body: 'Advertising.', email: from.unwanted });
    return { commitment, first, duplicate, unwanted, from };
  };
  /** The first suggestion published, for the Financial Services and the Treasury Bureau to respond to. */
  const publish = async (sent: Sent) => {
    const published = await people.coordinator.post(work(sent.first, 'publish'), { agency: 'hk-fstb', publicTitle: PUBLIC_TITLE, publicBody: PUBLIC_TEXT }, { from: work(sent.first) });
    expect(published.statusCode).toBe(303);
    return published;
  };
  /** The duplicate merged into the first suggestion (published). */
  const merge = async (sent: Sent) => {
    const merged = await people.coordinator.post(work(sent.duplicate, 'merge'), { target: sent.first, confirm: 'yes' }, { from: work(sent.duplicate) });
    expect(merged.statusCode).toBe(303);
    return merged;
  };
  /** The advertisement rejected. */
  const reject = async (sent: Sent) => {
    const rejected = await people.coordinator.post(work(sent.unwanted, 'reject'), { reason: 'Advertising is not a suggestion.', confirm: 'yes' }, { from: work(sent.unwanted) });
    expect(rejected.statusCode).toBe(303);
    return rejected;
  };
  /** The agency's official response to the first suggestion (published). */
  const respond = async (sent: Sent) => {
    // Published for the officer's agency, it waits for them on their workspace until they answer it.
    const inbox = async () => Number(/(\d+) suggestions? waiting for you/.exec((await people.officer.get('/en/workspace')).body)?.[1] ?? 0);
    const before = await inbox();
    expect(before).toBeGreaterThan(0);
    const answered = await people.officer.post(work(sent.first, 'respond'), RESPONSE, { from: work(sent.first) });
    expect(answered.statusCode).toBe(303);
    expect(await inbox()).toBe(before - 1);
    return answered;
  };

  it('receives suggestions and queues them for the coordinators, received first; nobody else sees them', async () => {
    // Before anything is published on it, a commitment's page (cached for visitors) invites a first suggestion. No test publishes on 11-1.
    const empty = await anonymous('/en/agreements/zjhk-2023/commitments/11-1');
    expect(empty.body).toContain('No suggestion on this commitment has been published yet.');
    expect(empty.body).toContain('href="/en/suggestions/new?commitment=11-1"');

    // Other tests may have left suggestions waiting: the queue counts this test's three on top of them.
    const waiting = Number(/Received \((\d+)\)/.exec((await people.coordinator.get('/en/workspace/suggestions')).body)?.[1]);
    const sent = await receive('queue', '11-1');
    const queue = await people.coordinator.get('/en/workspace/suggestions');
    expect(queue.statusCode).toBe(200);
    const positions = [sent.first, sent.duplicate, sent.unwanted].map((r) => queue.body.indexOf(r));
    expect(positions.every((p) => p > 0)).toBe(true);
    expect(positions).toEqual([...positions].sort((a, b) => a - b));
    expect(queue.body).toContain(`Received (${waiting + 3})`);
    // The coordinators' workspace counts them among what waits for them.
    expect((await people.coordinator.get('/en/workspace')).body).toContain(`<a href="/en/workspace/suggestions">${waiting + 3} suggestions waiting for you</a>`);

    // Officers see no suggestion before one is published for their agency; administrators none at all.
    const officerQueue = await people.officer.get('/en/workspace/suggestions');
    expect(officerQueue.statusCode).toBe(200);
    expect(officerQueue.body).not.toContain(sent.first);
    expect((await people.officer.get(work(sent.first))).statusCode).toBe(403);
    expect((await people.admin.get('/en/workspace/suggestions')).statusCode).toBe(403);
    expect((await people.admin.get(work(sent.first))).statusCode).toBe(403);
    expect((await people.officer.post(work(sent.first, 'publish'), { agency: 'hk-fstb', publicTitle: 'x', publicBody: 'y' }, { from: '/en/workspace/suggestions' })).statusCode).toBe(403);

    // Not public until published.
    expect((await anonymous(`/en/suggestions/${sent.first}`)).statusCode).toBe(404);
  });

  it('publishes a checked copy with the agency that must respond, keeping the original privately, and only once', async () => {
    const sent = await receive('publish', '3-1');
    const officerMails = (await mailsTo('fstb.officer@example.org')).length;
    const otherOfficerMails = (await mailsTo('itib.officer@example.org')).length;
    const page = await people.coordinator.get(work(sent.first));
    expect(page.body).toContain(sent.from.first);
    expect(page.body).toContain('Lucky Star Trading');
    // The public copy starts as the original.
    expect(page.body).toContain('My name is Sample Resident of Lucky Star Trading.');

    const noAgency = await people.coordinator.post(work(sent.first, 'publish'), { agency: '', publicTitle: 'Open a Hong Kong desk', publicBody: 'Edited text.' }, { from: work(sent.first) });
    expect(noAgency.statusCode).toBe(200);
    expect(noAgency.body).toContain('id="field-agency-error"');
    expect(noAgency.body).toContain('Edited text.');
    const unknownAgency = await people.coordinator.post(
      work(sent.first, 'publish'),
      { agency: 'hk-nowhere', publicTitle: 'Open a Hong Kong desk', publicBody: 'Edited text.' },
      { from: work(sent.first) },
    );
    expect(unknownAgency.body).toContain('Choose one of the options');
    expect(await state(sent.first)).toBe('received');

    const published = await people.coordinator.post(work(sent.first, 'publish'), { agency: 'hk-fstb', publicTitle: PUBLIC_TITLE, publicBody: PUBLIC_TEXT }, { from: work(sent.first) });
    expect(published.statusCode).toBe(303);
    expect(String(published.headers.location)).toContain('done=published');
    const row = await db().selectFrom('suggestions').selectAll().where('reference', '=', sent.first).executeTakeFirstOrThrow();
    expect([row.state, row.responsible_agency, row.public_body]).toEqual(['published', 'hk-fstb', PUBLIC_TEXT]);
    expect(row.body).toContain('Sample Resident');

    const again = await people.otherCoordinator.post(work(sent.first, 'publish'), { agency: 'hk-itib', publicTitle: 'Other', publicBody: 'Other' }, { from: work(sent.first) });
    expect(again.statusCode).toBe(200);
    expect(again.body).toContain('Another coordinator has decided on this suggestion already');
    expect((await db().selectFrom('suggestions').select('responsible_agency').where('reference', '=', sent.first).executeTakeFirstOrThrow()).responsible_agency).toBe('hk-fstb');

    const [toSender] = await mailsTo(sent.from.first).then((m) => m.filter((x) => x.subject.includes('published')));
    expect(toSender?.text_body).toContain('Financial Services and the Treasury Bureau');
    expect(toSender?.text_body).toContain(`/en/suggestions/${sent.first}`);
    // What this publication sent the officers (other tests publish too).
    const [toOfficer] = (await mailsTo('fstb.officer@example.org')).slice(officerMails);
    expect(toOfficer?.locale).toBe('zh-Hant');
    expect(toOfficer?.subject).toBe(`意見建議 ${sent.first} 等候貴部門回應`);
    expect((await mailsTo('itib.officer@example.org')).slice(otherOfficerMails)).toHaveLength(0);

    // Now the agency's officers see it with its sender's details; other agencies' officers do not.
    expect((await people.officer.get('/en/workspace/suggestions')).body).toContain(sent.first);
    expect((await people.officer.get(work(sent.first))).body).toContain(sent.from.first);
    expect((await people.otherOfficer.get(work(sent.first))).statusCode).toBe(403);
    expect((await people.otherOfficer.get('/en/workspace/suggestions')).body).not.toContain(sent.first);

    const audit = await db().selectFrom('audit_events').selectAll().where('action', '=', 'suggestion.published').where('entity_id', '=', sent.first).executeTakeFirstOrThrow();
    expect(audit.changes).toMatchObject({ responsibleAgency: { after: 'hk-fstb' }, publicCopyEdited: { after: true } });
  });

  it('merges a duplicate into the published suggestion, which counts its supporters', async () => {
    const sent = await receive('merge', '3-1');
    await publish(sent);
    const page = await people.coordinator.get(work(sent.duplicate));
    expect(page.body).toContain(`<option value="${sent.first}"`);
    const missing = await people.coordinator.post(work(sent.duplicate, 'merge'), { target: '' }, { from: work(sent.duplicate) });
    expect(missing.body).toContain('id="field-target-error"');
    const notPublished = await people.coordinator.post(work(sent.duplicate, 'merge'), { target: sent.unwanted, confirm: 'yes' }, { from: work(sent.duplicate) });
    expect(notPublished.body).toContain('Choose a published suggestion from the list');
    expect(await state(sent.duplicate)).toBe('received');

    const merged = await people.coordinator.post(work(sent.duplicate, 'merge'), { target: sent.first, confirm: 'yes' }, { from: work(sent.duplicate) });
    expect(merged.statusCode).toBe(303);
    expect(await state(sent.duplicate)).toBe('merged');
    const [mail] = await mailsTo(sent.from.duplicate).then((m) => m.filter((x) => x.subject.includes('合併')));
    expect(mail?.text_body).toContain(sent.first);

    const duplicatePage = await anonymous(`/en/suggestions/${sent.duplicate}`);
    expect(duplicatePage.statusCode).toBe(200);
    expect(duplicatePage.body).toContain(`href="/en/suggestions/${sent.first}"`);
    expect(duplicatePage.body).not.toContain('Please set up a counter');
    expectNoPersonalData(duplicatePage.body, sent);
    expect((await anonymous(`/en/suggestions/${sent.first}`)).body).toContain('2 people');
  });

  it('rejects only with a reason, which is emailed', async () => {
    const sent = await receive('reject', '3-1');
    const noReason = await people.coordinator.post(work(sent.unwanted, 'reject'), { reason: '' }, { from: work(sent.unwanted) });
    expect(noReason.statusCode).toBe(200);
    expect(noReason.body).toContain('Give the reason');
    expect(await state(sent.unwanted)).toBe('received');
    const rejected = await people.coordinator.post(work(sent.unwanted, 'reject'), { reason: 'Advertising is not a suggestion.', confirm: 'yes' }, { from: work(sent.unwanted) });
    expect(rejected.statusCode).toBe(303);
    expect(await state(sent.unwanted)).toBe('rejected');
    const mail = (await mailsTo(sent.from.unwanted)).at(-1);
    expect(mail?.subject).toBe(`Suggestion ${sent.unwanted}: not published`);
    expect(mail?.text_body).toContain('Advertising is not a suggestion.');
    expect((await anonymous(`/en/suggestions/${sent.unwanted}`)).statusCode).toBe(404);
    // Decided: it can be neither published nor merged any more.
    const late = await people.otherCoordinator.post(work(sent.unwanted, 'publish'), { agency: 'hk-fstb', publicTitle: 'x', publicBody: 'y' }, { from: work(sent.unwanted) });
    expect(late.statusCode).toBe(200);
    expect(await state(sent.unwanted)).toBe('rejected');
  });

  it('takes the official response from the responsible agency only, and tells every sender', async () => {
    const sent = await receive('respond', '3-1');
    await publish(sent);
    await merge(sent);
    await reject(sent);
    const refused = await people.otherOfficer.post(work(sent.first, 'respond'), { responseEn: 'Not ours.' }, { from: '/en/workspace/suggestions' });
    expect(refused.statusCode).toBe(403);
    const empty = await people.officer.post(work(sent.first, 'respond'), { responseHant: '', responseEn: '' }, { from: work(sent.first) });
    expect(empty.statusCode).toBe(200);
    expect(empty.body).toContain('Enter this in at least one language');
    expect(await state(sent.first)).toBe('published');

    const answered = await people.officer.post(work(sent.first, 'respond'), RESPONSE, { from: work(sent.first) });
    expect(answered.statusCode).toBe(303);
    expect(await state(sent.first)).toBe('responded');
    const again = await people.coordinator.post(work(sent.first, 'respond'), { responseEn: 'A second answer.' }, { from: work(sent.first) });
    expect(again.body).toContain('This suggestion is not waiting for a response');

    const first = (await mailsTo(sent.from.first)).at(-1);
    expect(first?.subject).toBe(`Suggestion ${sent.first}: official response`);
    expect(first?.text_body).toContain('first quarter of next year');
    const second = (await mailsTo(sent.from.duplicate)).at(-1);
    expect(second?.locale).toBe('zh-Hant');
    expect(second?.text_body).toContain(sent.duplicate);
    expect(second?.text_body).toContain('港澳居民專窗');
    expect(await mailsTo(sent.from.unwanted).then((m) => m.filter((x) => x.subject.includes('response')))).toHaveLength(0);
  });

  it('shows the public pages, the commitment’s section and the open data without any personal data', async () => {
    // The commitment's page, cached for visitors before anything on it is published. No other test sends on 11-2.
    const before = await anonymous('/en/agreements/zjhk-2023/commitments/11-2');
    expect(before.body).toContain('No suggestion on this commitment has been published yet.');
    const sent = await receive('public', '11-2');
    await publish(sent);
    await merge(sent);
    await reject(sent);
    await respond(sent);

    const page = await anonymous(`/en/suggestions/${sent.first}`);
    expect(page.statusCode).toBe(200);
    expect(page.body).toContain('Open a Hong Kong desk at the Hangzhou social insurance office');
    expect(page.body).toContain('first quarter of next year');
    expect(page.body).toContain('Financial Services and the Treasury Bureau');
    expect(page.body).toContain('badge status-completed');
    expectNoPersonalData(page.body, sent);
    const chinese = await anonymous(`/zh-hans/suggestions/${sent.first}`);
    // The response written in Traditional Chinese, shown in Simplified and marked as converted by machine.
    expect(chinese.body).toContain('港澳居民专窗');

    const list = await anonymous('/en/suggestions?commitment=11-2&status=responded');
    expect(list.body).toContain(sent.first);
    expect(list.body).not.toContain(sent.duplicate);
    expectNoPersonalData(list.body, sent);
    expect((await anonymous('/en/suggestions?status=published')).body).not.toContain(sent.first);
    expect((await anonymous('/en/suggestions?topic=employment')).body).toContain('0 suggestions');

    // The commitment's page (cached before the suggestion was published) now lists it.
    const commitment = await anonymous('/en/agreements/zjhk-2023/commitments/11-2');
    expect(commitment.body).toContain('Suggestions on this commitment');
    expect(commitment.body).toContain(`href="/en/suggestions/${sent.first}"`);
    expect(commitment.body).toContain('Make a suggestion on this commitment');
    expectNoPersonalData(commitment.body, sent);
    expect((await anonymous('/en/agreements/zjhk-2023/commitments/11-1')).body).not.toContain(sent.first);

    const api = await anonymous('/api/v1/suggestions?commitment=11-2');
    expect(api.statusCode).toBe(200);
    const body = JSON.parse(api.body);
    expect([...Value.Errors(SuggestionsPage, body)].map((e) => `${e.path}: ${e.message}`)).toEqual([]);
    expect(body.total).toBe(1);
    expect(body.data[0]).toMatchObject({ reference: sent.first, status: 'responded', supporters: 2, responsibleAgency: 'hk-fstb', commitment: { code: '11-2' } });
    expectNoPersonalData(api.body, sent);
    // Other tests publish on other commitments: what follows counts this commitment's suggestions only.
    expect(JSON.parse((await anonymous('/api/v1/suggestions?commitment=11-2&status=published')).body).total).toBe(0);
    const paged = JSON.parse((await anonymous('/api/v1/suggestions?commitment=11-2&limit=1')).body);
    expect([paged.data.length, paged.next]).toEqual([1, null]);
    expect((await anonymous('/api/v1/suggestions?commitment=eleven')).statusCode).toBe(400);

    const openapi = JSON.parse((await anonymous('/api/v1/openapi.json')).body);
    expect(openapi.paths['/api/v1/suggestions'].get.operationId).toBe('listSuggestions');

    const actions = (
      await db().selectFrom('audit_events').select('action').where('entity_type', '=', 'suggestion').where('entity_id', 'in', [sent.first, sent.duplicate, sent.unwanted]).execute()
    ).map((a) => a.action);
    expect(actions).toEqual(expect.arrayContaining(['suggestion.received', 'suggestion.published', 'suggestion.merged', 'suggestion.rejected', 'suggestion.responded']));
  });
});

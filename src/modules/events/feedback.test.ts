import { describe, expect, it } from 'vitest';
import { signedInClient, testAppFor } from '../../../test/app.ts';
import { TestClient } from '../../../test/client.ts';
import { DATABASES } from '../../../test/databases.ts';
import { updateOccurrence } from './queries/occurrences.ts';
import { makeEvent } from './testing.ts';

/** Five days after the first date (2027-01-15 14:30–16:30 in Hangzhou). */
const AFTER = new Date('2027-01-20T02:00:00Z');

/** A complete, valid sending of the feedback form (the honeypot left empty, as people leave it). */
const valid = (extra: Record<string, string> = {}) => ({
  title: '建议每季座谈会提前公布议程',
  body: '希望主办单位至少提前两周公布议程，方便企业安排合适的人员参加。',
  locale: 'zh-Hans',
  submitterType: 'enterprise',
  organisation: '杭州示例贸易有限公司',
  name: '企业代表',
  email: 'enterprise.feedback@example.org',
  consent: 'yes',
  homepage: '',
  ...extra,
});

describe.each(DATABASES)('symposium feedback on %s', (kind) => {
  let clock = AFTER;
  const t = testAppFor(kind, { now: () => clock });
  const db = () => t.database.db.kysely;
  const suggestions = () => db().selectFrom('suggestions').selectAll().orderBy('id').execute();
  const mails = () => db().selectFrom('mail_outbox').selectAll().orderBy('id').execute();

  it('takes feedback after the symposium into the suggestions channel, linked to the date, on the event’s commitment, and emails the sender', async () => {
    clock = AFTER;
    const { event, occurrences } = await makeEvent(db());
    const slot = occurrences[0]?.slot as string;
    const path = `/zh-hans/events/${event.reference}/${slot}/feedback`;
    const visitor = new TestClient(t.app);

    const form = await visitor.get(path);
    expect(form.statusCode).toBe(200);
    expect(form.body).toContain('<h1>活动意见：港资企业座谈会</h1>');
    // Open for sixty days from the end: until 16 March 2027.
    expect(form.body).toContain('表单开放至 2027年3月16日。');
    expect(form.body).toContain('name="homepage"');
    expect(form.body).toMatch(/<option value="zh-Hans" selected/);

    const sent = await visitor.post(path, valid());
    expect(sent.statusCode).toBe(303);
    const location = String(sent.headers.location);
    const reference = /\?sent=(ZJHK-S-2027-\d{6})$/.exec(location)?.[1] as string;
    expect(location).toBe(`${path}?sent=${reference}`);

    const [row] = (await suggestions()).filter((s) => s.reference === reference);
    const commitment = await db().selectFrom('commitments').select('id').where('area_number', '=', 3).where('number', '=', 1).executeTakeFirstOrThrow();
    expect([row?.source, row?.source_ref, row?.state, row?.commitment_id, row?.topic, row?.language, row?.submitter_type, row?.submitter_organisation, row?.user_id]).toEqual([
      'symposium-feedback',
      `${event.reference}/${slot}`,
      'received',
      commitment.id,
      null,
      'zh-Hans',
      'enterprise',
      '杭州示例贸易有限公司',
      null,
    ]);

    const thanks = await visitor.get(location);
    expect(thanks.statusCode).toBe(200);
    expect(thanks.body).toContain('感谢您的意见');
    expect(thanks.body).toContain(reference);

    const mail = (await mails()).find((m) => m.to_address === 'enterprise.feedback@example.org');
    expect([mail?.locale, mail?.subject]).toEqual(['zh-Hans', `已收到意见建议 ${reference}`]);
    expect(mail?.text_body).toContain('企业代表：');

    // Audited as a suggestion received, with where it came from, and nothing of who sent it.
    const audit = await db().selectFrom('audit_events').selectAll().where('action', '=', 'suggestion.received').where('entity_id', '=', reference).executeTakeFirstOrThrow();
    expect((audit.changes as Record<string, { after: unknown }>).sourceRef?.after).toBe(`${event.reference}/${slot}`);
    for (const secret of ['enterprise.feedback@example.org', '企业代表', '提前两周']) expect(JSON.stringify(audit)).not.toContain(secret);

    // The coordinators see it in their queue with its source.
    const { client: coordinator } = await signedInClient(t, { email: 'custodian-coordinator-feedback@example.org', role: 'custodian-coordinator', organisationId: 'hk-cmab' });
    const queued = await coordinator.get(`/en/workspace/suggestions/${reference}`);
    expect(queued.statusCode).toBe(200);
    expect(queued.body).toContain('Feedback from a symposium');

    // Another date's thank-you page does not show this reference.
    const other = occurrences[1]?.slot as string;
    clock = new Date('2027-04-20T02:00:00Z');
    expect((await visitor.get(`/zh-hans/events/${event.reference}/${other}/feedback?sent=${reference}`)).statusCode).toBe(404);
  });

  it('fills in a signed-in person’s details, links the suggestion to their account, and files feedback on an event with no commitment under “other”', async () => {
    clock = AFTER;
    const { event, occurrences } = await makeEvent(db(), { commitmentIds: [], startsLocal: '2027-01-12T09:00', rrule: null });
    const slot = occurrences[0]?.slot as string;
    const { client, userId } = await signedInClient(t, { email: 'resident.signed-in@example.org', role: 'resident', locale: 'en' });
    const path = `/en/events/${event.reference}/${slot}/feedback`;
    const form = await client.get(path);
    expect(form.body).toContain('value="resident.signed-in@example.org"');
    expect(form.body).toContain('value="resident.signed-in"');
    const sent = await client.post(path, valid({ locale: 'en', submitterType: 'resident', name: '', email: 'resident.signed-in@example.org', title: 'Publish the agenda earlier' }));
    expect(sent.statusCode).toBe(303);
    const row = (await suggestions()).find((s) => s.user_id === userId);
    expect([row?.topic, row?.commitment_id, row?.source_ref, row?.submitter_organisation, row?.submitter_name]).toEqual(['other', null, `${event.reference}/${slot}`, null, null]);
  });

  it('says when the form is not open (before the end, sixty days on, a cancelled date) and stores nothing sent to it; 404 where no feedback is asked', async () => {
    const { event, occurrences } = await makeEvent(db());
    const [first, second] = occurrences as [(typeof occurrences)[number], (typeof occurrences)[number]];
    const path = (slot: string) => `/en/events/${event.reference}/${slot}/feedback`;
    const visitor = new TestClient(t.app);
    const before = (await suggestions()).length;

    // During the symposium: not yet.
    clock = new Date('2027-01-15T07:00:00Z');
    const early = await visitor.get(path(first.slot));
    expect(early.statusCode).toBe(200);
    expect(early.body).toContain('The feedback form opens when this event ends (15 Jan 2027, 16:30).');
    expect(early.body).not.toContain('name="title"');
    const refused = await visitor.post(path(first.slot), valid(), { from: '/en/suggestions/new' });
    expect(refused.statusCode).toBe(200);
    expect(refused.body).toContain('The feedback form opens when this event ends');

    // Sixty days after the end: closed.
    clock = new Date('2027-03-16T08:30:00Z');
    const late = await visitor.get(path(first.slot));
    expect(late.statusCode).toBe(200);
    expect(late.body).toContain('The feedback form for this event closed on 16 March 2027.');
    expect(late.body).toContain('href="/en/suggestions/new"');
    // A minute before, still open.
    clock = new Date('2027-03-16T08:29:00Z');
    expect((await visitor.get(path(first.slot))).body).toContain('name="title"');

    // A cancelled date takes none.
    await updateOccurrence(db(), second.id, { status: 'cancelled', cancelReason: 'Venue unavailable.' }, new Date());
    clock = new Date('2027-04-20T02:00:00Z');
    expect((await visitor.get(path(second.slot))).body).toContain('This date was cancelled, so it takes no feedback.');
    expect((await visitor.post(path(second.slot), valid(), { from: '/en/suggestions/new' })).body).toContain('This date was cancelled, so it takes no feedback.');
    expect((await suggestions()).length).toBe(before);

    // Events that ask for no feedback, drafts and unknown dates have no form at all.
    const forum = await makeEvent(db(), { type: 'forum', feedback: false });
    expect((await visitor.get(path(first.slot).replace(event.reference, forum.event.reference))).statusCode).toBe(404);
    const draft = await makeEvent(db(), { status: 'draft' });
    expect((await visitor.get(path(first.slot).replace(event.reference, draft.event.reference))).statusCode).toBe(404);
    expect((await visitor.get(path('2027-01-16'))).statusCode).toBe(404);
  });

  it('explains every mistake beside its field and keeps what was typed; a filled-in honeypot stores and sends nothing', async () => {
    clock = AFTER;
    const { event, occurrences } = await makeEvent(db());
    const path = `/zh-hant/events/${event.reference}/${occurrences[0]?.slot}/feedback`;
    const [before, mailsBefore] = [(await suggestions()).length, (await mails()).length];
    const visitor = new TestClient(t.app);

    const bad = await visitor.post(path, valid({ email: 'not-an-email', consent: '', submitterType: 'alien', title: '', locale: 'zh-Hant' }));
    expect(bad.statusCode).toBe(200);
    expect(bad.body).toContain('class="error-summary"');
    expect(bad.body).toContain('請剔選方格，表示同意個人資料收集聲明');
    for (const field of ['email', 'title', 'submitterType']) expect(bad.body).toContain(`id="field-${field}-error"`);
    expect(bad.body).toContain('希望主办单位至少提前两周公布议程，方便企业安排合适的人员参加。');
    expect(bad.body).toContain('value="not-an-email"');
    expect(bad.body).toContain('value="企业代表"');

    const trapped = await visitor.post(path, valid({ homepage: 'https://spam.example' }));
    expect(trapped.statusCode).toBe(200);
    expect(trapped.body).toContain('value="https://spam.example"');
    expect([(await suggestions()).length, (await mails()).length]).toEqual([before, mailsBefore]);
  });
});

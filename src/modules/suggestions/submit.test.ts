import { describe, expect, it } from 'vitest';
import { signedInClient, testAppFor } from '../../../test/app.ts';
import { TestClient } from '../../../test/client.ts';
import { DATABASES } from '../../../test/databases.ts';

/** A complete, valid sending of the form (the honeypot left empty, as people leave it). */
const valid = (extra: Record<string, string> = {}) => ({
  subject: 'commitment:11-2',
  title: '建议延长港人子女入学材料的受理时间',
  body: '希望教育部门在每年春季为在浙港人家庭子女入学设立专门受理窗口。',
  locale: 'zh-Hans',
  submitterType: 'resident',
  name: '陈小明',
  email: 'resident.one@example.org',
  consent: 'yes',
  homepage: '',
  ...extra,
});

describe.each(DATABASES)('sending a suggestion on %s', (kind) => {
  const t = testAppFor(kind);
  const db = () => t.database.db.kysely;
  const count = async () => (await db().selectFrom('suggestions').select('id').execute()).length;
  const mails = async () => db().selectFrom('mail_outbox').selectAll().orderBy('id').execute();
  /**
   * A visitor from an address of its own: the form is limited per address, so no test uses up
   * another's sendings (the signed-in person below sends from the default address, alone).
   */
  const visitorFrom = (ip: string) => new TestClient(t.app, { ip });

  it('preselects the commitment a link names, and the visitor’s language', async () => {
    const page = await t.app.inject({ url: '/zh-hans/suggestions/new?commitment=11-2' });
    expect(page.statusCode).toBe(200);
    expect(page.body).toMatch(/<option value="commitment:11-2" selected[^>]*>11-2 /);
    expect(page.body).toMatch(/<option value="zh-Hans" selected/);
    expect(page.body).toContain('<optgroup label="Topics"'.replace('Topics', '领域'));
    expect(page.body).toContain('name="homepage"');
    // Each of the 42 commitments can be chosen, and every topic of the knowledge base, and "other".
    expect(page.body.match(/value="commitment:\d+-\d+"/g)).toHaveLength(42);
    expect(page.body).toContain('value="topic:residence-permit"');
    expect(page.body).toContain('value="topic:other"');
    const unknown = await t.app.inject({ url: '/zh-hans/suggestions/new?commitment=99-9' });
    expect(unknown.body).not.toMatch(/<option value="commitment:[^"]+" selected/);
  });

  it('takes a suggestion without an account: a reference number at once, on the page and by email in the chosen language', async () => {
    const visitor = visitorFrom('192.0.2.11');
    // Only what this sending adds is looked at: other tests may have sent suggestions before.
    const rowsBefore = (await db().selectFrom('suggestions').select('id').execute()).map((r) => r.id);
    const mailsBefore = (await mails()).length;
    const eventsBefore = (await db().selectFrom('audit_events').select('id').where('action', '=', 'suggestion.received').execute()).map((e) => String(e.id));
    const sent = await visitor.post('/zh-hans/suggestions/new', valid());
    expect(sent.statusCode).toBe(303);
    const location = String(sent.headers.location);
    const reference = /reference=(ZJHK-S-\d{4}-\d{6})$/.exec(location)?.[1] as string;
    expect(reference).toMatch(/^ZJHK-S-2\d{3}-\d{6}$/);

    const confirmation = await visitor.get(location);
    expect(confirmation.statusCode).toBe(200);
    expect(confirmation.body).toContain(reference);
    expect(confirmation.body).toContain('已收到您的意见建议');
    expect(confirmation.body).not.toContain('resident.one@example.org');

    const added = await db()
      .selectFrom('suggestions')
      .selectAll()
      .where('id', 'not in', rowsBefore.length ? rowsBefore : [-1])
      .execute();
    expect(added).toHaveLength(1);
    const row = added[0] as (typeof added)[number];
    expect([row.reference, row.state, row.topic, row.language, row.submitter_type, row.source, row.user_id]).toEqual([reference, 'received', null, 'zh-Hans', 'resident', 'form', null]);
    const commitment = await db().selectFrom('commitments').select('id').where('area_number', '=', 11).where('number', '=', 2).executeTakeFirstOrThrow();
    expect(row.commitment_id).toBe(commitment.id);

    const [mail] = (await mails()).slice(mailsBefore);
    expect(mail?.to_address).toBe('resident.one@example.org');
    expect(mail?.locale).toBe('zh-Hans');
    expect(mail?.subject).toBe(`已收到意见建议 ${reference}`);
    expect(mail?.text_body).toContain('陈小明：');
    expect(mail?.text_body).toContain(reference);

    // The audit trail records the receipt, never who sent it or what they wrote.
    const events = (await db().selectFrom('audit_events').selectAll().where('action', '=', 'suggestion.received').orderBy('id').execute()).filter((e) => !eventsBefore.includes(String(e.id)));
    expect(events).toHaveLength(1);
    const event = events[0] as (typeof events)[number];
    expect(event.entity_id).toBe(reference);
    const trail = JSON.stringify(event);
    for (const secret of ['resident.one@example.org', '陈小明', '专门受理窗口']) expect(trail).not.toContain(secret);
    expect(event).not.toHaveProperty('ip');

    // Unknown references have no confirmation page.
    expect((await visitor.get('/zh-hans/suggestions/received?reference=ZJHK-S-2026-999999')).statusCode).toBe(404);
  });

  it('shows a filled-in honeypot as an error, keeps what was typed, and stores and sends nothing', async () => {
    const [before, mailsBefore] = [await count(), (await mails()).length];
    const trapped = await visitorFrom('192.0.2.12').post('/en/suggestions/new', valid({ homepage: 'https://spam.example', locale: 'en' }));
    expect(trapped.statusCode).toBe(200);
    expect(trapped.body).toContain('it is there to stop automated submissions');
    expect(trapped.body).toContain('建议延长港人子女入学材料的受理时间');
    expect(trapped.body).toContain('value="https://spam.example"');
    expect([await count(), (await mails()).length]).toEqual([before, mailsBefore]);
  });

  it('explains every mistake beside its field, in the page’s language, and loses nothing typed', async () => {
    const before = await count();
    const bad = await visitorFrom('192.0.2.13').post(
      '/zh-hant/suggestions/new',
      valid({ subject: 'commitment:99-9', email: 'not-an-email', consent: '', submitterType: 'alien', title: '', locale: 'zh-Hant' }),
    );
    expect(bad.statusCode).toBe(200);
    expect(bad.body).toContain('class="error-summary"');
    expect(bad.body).toContain('請剔選方格，表示同意個人資料收集聲明');
    expect(bad.body).toMatch(/id="field-email-error"/);
    expect(bad.body).toMatch(/id="field-subject-error"/);
    expect(bad.body).toMatch(/id="field-title-error"/);
    expect(bad.body).toMatch(/id="field-submitterType-error"/);
    expect(bad.body).toContain('希望教育部门在每年春季为在浙港人家庭子女入学设立专门受理窗口。');
    expect(bad.body).toContain('value="not-an-email"');
    expect(bad.body).toContain('value="陈小明"');
    const tooLong = await visitorFrom('192.0.2.13').post('/en/suggestions/new', valid({ body: 'x'.repeat(5001), locale: 'en' }));
    expect(tooLong.body).toContain('This is too long');
    expect(await count()).toBe(before);
  });

  it('links a signed-in person’s suggestion to their account, with their details filled in, and keeps an enterprise’s name only for enterprises', async () => {
    const { client, userId } = await signedInClient(t, { email: 'enterprise.rep@example.org', role: 'enterprise-representative', organisationId: 'hk-hkex', locale: 'en' });
    const form = await client.get('/en/suggestions/new?topic=business-investment');
    expect(form.body).toContain('value="enterprise.rep@example.org"');
    expect(form.body).toMatch(/<option value="topic:business-investment" selected/);
    const sent = await client.post(
      '/en/suggestions/new',
      valid({ subject: 'topic:business-investment', locale: 'en', submitterType: 'enterprise', organisation: 'Example Trading Ltd', email: 'enterprise.rep@example.org', name: '' }),
    );
    expect(sent.statusCode).toBe(303);
    const row = await db().selectFrom('suggestions').selectAll().where('user_id', '=', userId).executeTakeFirstOrThrow();
    expect([row.topic, row.commitment_id, row.submitter_type, row.submitter_organisation, row.submitter_name]).toEqual(['business-investment', null, 'enterprise', 'Example Trading Ltd', null]);
    const mail = (await mails()).at(-1);
    expect(mail?.text_body.startsWith('Hello,')).toBe(true);

    const resident = await visitorFrom('192.0.2.14').post(
      '/en/suggestions/new',
      valid({ subject: 'topic:other', locale: 'en', organisation: 'Should not be kept', email: 'resident.two@example.org' }),
    );
    expect(resident.statusCode).toBe(303);
    const kept = await db().selectFrom('suggestions').select(['submitter_organisation', 'topic']).where('submitter_email', '=', 'resident.two@example.org').executeTakeFirstOrThrow();
    expect(kept).toEqual({ submitter_organisation: null, topic: 'other' });
  });

  it('limits how often one address may send the form', async () => {
    // An address no other test sends from: its count starts at zero whatever ran before.
    const visitor = visitorFrom('192.0.2.15');
    const statuses: number[] = [];
    for (let i = 0; i < 11 && !statuses.includes(429); i += 1)
      statuses.push((await visitor.post('/zh-hans/suggestions/new', { title: `Attempt ${i}` }, { from: '/zh-hans/suggestions/new' })).statusCode);
    expect(statuses.slice(0, -1).every((s) => s === 200)).toBe(true);
    expect(statuses.at(-1)).toBe(429);
    // Ten sendings (or attempts) in ten minutes, the eleventh refused.
    expect(statuses).toHaveLength(11);
  });
});

import { describe, expect, it } from 'vitest';
import { signedInClient, testAppFor } from '../../../test/app.ts';
import { TestClient } from '../../../test/client.ts';
import { DATABASES } from '../../../test/databases.ts';
import { SYSTEM } from '../../platform/audit/audit.ts';
import { indexDocument } from '../../platform/search/index.ts';
import { loadTopics, readTopicsFile } from './load-topics.ts';
import { clearRateLimits, ENQUIRY_FIELDS, lastMail, sendEnquiry } from './testing.ts';

/** The smallest real PDF a reader accepts. */
const PDF = Buffer.from('%PDF-1.4\n1 0 obj<</Type/Catalog/Pages 2 0 R>>endobj 2 0 obj<</Type/Pages/Kids[]/Count 0>>endobj\ntrailer<</Root 1 0 R>>\n%%EOF\n');

describe.each(DATABASES)('sending an enquiry on %s', (kind) => {
  // Received on Wednesday 30 September 2026 in Hong Kong time, the day before National Day.
  const t = testAppFor(kind, { now: () => new Date('2026-09-30T02:00:00Z') });
  const db = () => t.database.db.kysely;
  const count = async (table: 'enquiries' | 'files' | 'mail_outbox') =>
    Number(
      (
        await db()
          .selectFrom(table)
          .select((eb) => eb.fn.countAll().as('n'))
          .executeTakeFirstOrThrow()
      ).n,
    );

  it('loads the topics and their routing from the reference file, and keeps a coordinator’s routing', async () => {
    const topics = await db().selectFrom('enquiry_topics').selectAll().orderBy('position').execute();
    expect(topics.map((x) => x.key)).toEqual(readTopicsFile().map((x) => x.key));
    const permit = topics.find((x) => x.key === 'residence-permit');
    expect([permit?.agency_id, permit?.category, permit?.name]).toEqual([
      'zj-hkmao',
      'residence-permit',
      { 'zh-Hant': '居住證及身份證明', 'zh-Hans': '居住证及身份证明', en: 'Residence permit and identity documents' },
    ]);
    await db().updateTable('enquiry_topics').set({ agency_id: 'zj-commerce' }).where('key', '=', 'employment').execute();
    const again = await loadTopics({ db: db(), actor: SYSTEM, entries: readTopicsFile().map((e) => (e.key === 'employment' || e.key === 'health' ? { ...e, agency: 'zj-drc' } : e)) });
    expect(again).toEqual({ created: 0, updated: 2 });
    const routed = new Map((await db().selectFrom('enquiry_topics').select(['key', 'agency_id', 'default_agency_id']).execute()).map((r) => [r.key, r]));
    expect(routed.get('employment')).toMatchObject({ agency_id: 'zj-commerce', default_agency_id: 'zj-drc' });
    expect(routed.get('health')).toMatchObject({ agency_id: 'zj-drc', default_agency_id: 'zj-drc' });
    await loadTopics({ db: db(), actor: SYSTEM });
    await db().updateTable('enquiry_topics').set({ agency_id: 'zj-hrss' }).where('key', '=', 'employment').execute();
    expect(await loadTopics({ db: db(), actor: SYSTEM })).toEqual({ created: 0, updated: 0 });
  });

  it('offers matching articles first, keeping everything typed, then sends the enquiry with a reference by email in its language', async () => {
    // Other tests of this block send enquiries too: count from what is there already.
    const before = { enquiries: await count('enquiries'), files: await count('files') };
    // An article written in Traditional Chinese only: the Simplified question must find it.
    await indexDocument(db(), {
      kind: 'article',
      key: 'applying-for-a-residence-permit',
      title: { 'zh-Hant': '港澳居民居住證怎麼申請' },
      body: { 'zh-Hant': '在內地居住半年以上的香港居民，可向居住地公安機關申領港澳台居民居住證。' },
      visibility: 'public',
      tags: ['category:residence-permit'],
    });
    const citizen = new TestClient(t.app);
    const form = await citizen.get('/zh-hans/enquiries/new');
    expect(form.statusCode).toBe(200);
    expect(form.body).toContain('<option value="zh-Hans" selected');
    await clearRateLimits(db());
    const step = await citizen.post('/zh-hans/enquiries/new', { ...ENQUIRY_FIELDS, intent: 'continue' });
    expect(step.statusCode).toBe(200);
    expect(step.body).toContain('这已解答我的问题');
    expect(step.body).toContain('href="/zh-hans/help/articles/applying-for-a-residence-permit"');
    expect(step.body).toContain('港澳居民居住证怎么申请');
    expect(step.body).toContain(`name="description" value="${ENQUIRY_FIELDS.description}"`);
    expect(step.body).toContain('个人信息收集声明');
    expect(await count('enquiries')).toBe(before.enquiries);
    // "Change my answers" goes back to the first step with what was typed.
    const back = await citizen.post('/zh-hans/enquiries/new', { ...ENQUIRY_FIELDS, intent: 'edit' });
    expect(back.body).toContain(`>${ENQUIRY_FIELDS.description}</textarea>`);

    const sent = await citizen.postMultipart(
      '/zh-hans/enquiries/new',
      [
        ...Object.entries(ENQUIRY_FIELDS).map(([name, value]) => ({ name, value })),
        { name: 'consent', value: 'yes' },
        { name: 'intent', value: 'submit' },
        { name: 'attachments', filename: '通行证.pdf', type: 'application/pdf', data: PDF },
      ],
      { from: '/zh-hans/enquiries/new' },
    );
    expect(sent.statusCode).toBe(303);
    expect(sent.headers.location).toBe('/zh-hans/enquiries/submitted');
    expect(await count('enquiries')).toBe(before.enquiries + 1);
    const row = await db().selectFrom('enquiries').selectAll().orderBy('id', 'desc').limit(1).executeTakeFirstOrThrow();
    expect(row.reference).toBe(`ZJHK-E-2026-${String(row.id).padStart(6, '0')}`);
    // Routed by topic to the Zhejiang Hong Kong and Macao Affairs Office; 3 working days on the Mainland calendar.
    expect([row.agency_id, row.side, row.state, row.received_on, row.time_limit, row.due_on, row.locale, row.user_id]).toEqual([
      'zj-hkmao',
      'zhejiang',
      'open',
      '2026-09-30',
      3,
      '2026-10-10',
      'zh-Hans',
      null,
    ]);
    expect(await count('files')).toBe(before.files + 1);

    const confirmation = await citizen.get(sent.headers.location as string);
    expect(confirmation.body).toContain(row.reference);
    expect(confirmation.body).toContain('2026年10月10日');
    const mail = await lastMail(db(), 'citizen@example.org');
    expect(mail?.locale).toBe('zh-Hans');
    expect(mail?.subject).toBe(`已收到您的咨询 ${row.reference}`);
    expect(mail?.text_body).toContain('浙江省人民政府港澳事务办公室');
    expect(mail?.text_body).toContain('3 个工作日内，即 2026年10月10日 前答复');
    expect(mail?.text_body).toContain(`/zh-hans/track?reference=${row.reference}`);
    const audit = await db().selectFrom('audit_events').selectAll().where('entity_id', '=', row.reference).executeTakeFirstOrThrow();
    expect(audit.action).toBe('enquiry.received');
    // The audit trail keeps no personal data: the purge could not remove it from there.
    expect(JSON.stringify(audit.changes)).not.toContain('陈大文');
    expect(JSON.stringify(audit.changes)).not.toContain('citizen@example.org');
  });

  it('refuses a filled-in trap field and bad input with messages beside the fields, keeping what was typed and writing nothing', async () => {
    const before = { enquiries: await count('enquiries'), files: await count('files'), mail: await count('mail_outbox') };
    const pendingBefore = (await db().selectFrom('pending_uploads').select('file_id').execute()).length;
    const citizen = new TestClient(t.app);
    await clearRateLimits(db());
    const trapped = await citizen.post('/en/enquiries/new', { ...ENQUIRY_FIELDS, homepage: 'https://spam.example', intent: 'submit', consent: 'yes' }, { from: '/en/enquiries/new' });
    expect(trapped.statusCode).toBe(200);
    expect(trapped.body).toContain('Leave this field empty: it is there to stop automated submissions');
    expect(trapped.body).toContain(ENQUIRY_FIELDS.description);

    const bad = await citizen.post(
      '/en/enquiries/new',
      { ...ENQUIRY_FIELDS, topic: 'astrology', email: 'not-an-address', phone: 'call me', subject: '', intent: 'submit', consent: 'yes' },
      { from: '/en/enquiries/new' },
    );
    expect(bad.statusCode).toBe(200);
    expect(bad.body).toContain('Choose one of the options');
    expect(bad.body).toContain('Enter an email address like name@example.org');
    expect(bad.body).toContain('Enter a telephone number');
    expect(bad.body).toContain('value="not-an-address"');
    expect(bad.body).toContain('value="call me"');

    const noConsent = await citizen.post('/en/enquiries/new', { ...ENQUIRY_FIELDS, intent: 'submit' }, { from: '/en/enquiries/new' });
    expect(noConsent.body).toContain('Tick the box to agree to the personal data statement');
    expect(noConsent.body).toContain(`name="subject" value="${ENQUIRY_FIELDS.subject}"`);

    const script = await citizen.postMultipart(
      '/en/enquiries/new',
      [
        ...Object.entries(ENQUIRY_FIELDS).map(([name, value]) => ({ name, value })),
        { name: 'consent', value: 'yes' },
        { name: 'intent', value: 'submit' },
        { name: 'attachments', filename: 'permit.pdf', type: 'application/pdf', data: Buffer.from('<html><script>alert(1)</script></html>') },
      ],
      { from: '/en/enquiries/new' },
    );
    expect(script.statusCode).toBe(200);
    expect(script.body).toContain('Attach PDF files, images');
    const tooMany = await citizen.postMultipart(
      '/en/enquiries/new',
      [
        ...Object.entries(ENQUIRY_FIELDS).map(([name, value]) => ({ name, value })),
        { name: 'consent', value: 'yes' },
        { name: 'intent', value: 'submit' },
        ...Array.from({ length: 6 }, (_, i) => ({ name: 'attachments', filename: `page-${i}.pdf`, type: 'application/pdf', data: PDF })),
      ],
      { from: '/en/enquiries/new' },
    );
    expect(tooMany.body).toContain('Attach at most 5 files');
    // The files that were fine wait as this browser's pending uploads, for the corrected form (see attachments.test.ts): five of the six.
    const pending = (await db().selectFrom('pending_uploads').select('file_id').execute()).length - pendingBefore;
    expect(pending).toBe(5);
    expect({ enquiries: await count('enquiries'), files: (await count('files')) - pending, mail: await count('mail_outbox') }).toEqual(before);
  });

  it('fills in a signed-in resident’s name and email, and lists their enquiries', async () => {
    const { client } = await signedInClient(t, { email: 'resident@example.org', role: 'resident', locale: 'en' });
    const form = await client.get('/en/enquiries/new');
    expect(form.body).toContain('value="resident@example.org"');
    const row = await sendEnquiry(client, db(), { email: 'resident@example.org', subject: 'Tax on my Hong Kong salary', topic: 'employment', type: 'help', locale: 'en' }, 'en');
    // A request for help: 5 working days, on the calendar of the Zhejiang employment department.
    expect([row.agency_id, row.time_limit, row.due_on]).toEqual(['zj-hrss', 5, '2026-10-13']);
    const mine = await client.get('/en/enquiries/mine');
    expect(mine.body).toContain(row.reference);
    expect(mine.body).toContain('Tax on my Hong Kong salary');
    // The owner opens it from the list without a code; nobody else can this way.
    const own = await client.get(`/en/track/case?reference=${row.reference}`);
    expect(own.statusCode).toBe(200);
    expect(own.body).toContain('Tax on my Hong Kong salary');
    const stranger = await new TestClient(t.app).get(`/en/track/case?reference=${row.reference}`);
    expect([stranger.statusCode, stranger.headers.location]).toEqual([303, '/en/track']);
  });

  it('lets coordinators change the routing and the time limits, audited, and refuses bad settings', async () => {
    const { client: coordinator } = await signedInClient(t, { email: 'settings@cmab.example', role: 'custodian-coordinator', organisationId: 'hk-cmab', locale: 'en' });
    const page = await coordinator.get('/en/workspace/enquiries/settings');
    expect(page.statusCode).toBe(200);
    const fields = Object.fromEntries(
      [...page.body.matchAll(/<select id="field-(topic-[a-z-]+)" name="\1"[^>]*>[\s\S]*?<option value="([a-z0-9-]+)" selected/g)].map((m) => [m[1] as string, m[2] as string]),
    );
    expect(fields['topic-residence-permit']).toBe('zj-hkmao');
    const base = { ...fields, limitEnquiry: '3', limitHelp: '5', limitComplaint: '7', extensionCap: '20', warningLead: '1', purgeMonths: '24' };
    const bad = await coordinator.post('/en/workspace/enquiries/settings', { ...base, limitEnquiry: '0', 'topic-other': 'hk-hkex' });
    expect(bad.statusCode).toBe(200);
    expect(bad.body).toContain('Enter a whole number from 1 to 60');
    expect(bad.body).toContain('Choose an organisation from the list');
    const saved = await coordinator.post('/en/workspace/enquiries/settings', { ...base, limitComplaint: '10', 'topic-other': 'zj-commerce' });
    expect([saved.statusCode, saved.headers.location]).toEqual([303, '/en/workspace/enquiries/settings?saved=1']);
    expect((await db().selectFrom('enquiry_settings').selectAll().executeTakeFirstOrThrow()).limit_complaint).toBe(10);
    const complaint = await sendEnquiry(new TestClient(t.app), db(), { type: 'complaint', topic: 'other' });
    expect([complaint.agency_id, complaint.time_limit]).toEqual(['zj-commerce', 10]);
    const audited = await db().selectFrom('audit_events').select(['action', 'entity_id']).where('action', 'in', ['enquiry-settings.updated', 'enquiry-topic.routed']).orderBy('id').execute();
    expect(audited).toEqual([
      { action: 'enquiry-settings.updated', entity_id: 'settings' },
      { action: 'enquiry-topic.routed', entity_id: 'other' },
    ]);
    const { client: officer } = await signedInClient(t, { email: 'officer-settings@hrss.example', role: 'agency-officer', organisationId: 'zj-hrss' });
    expect((await officer.get('/en/workspace/enquiries/settings')).statusCode).toBe(403);
  });
});

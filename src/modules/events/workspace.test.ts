import { describe, expect, it } from 'vitest';
import { signedInClient, testAppFor } from '../../../test/app.ts';
import { DATABASES } from '../../../test/databases.ts';
import { type EventRecord, findEvent } from './queries/events.ts';
import { findOccurrences } from './queries/occurrences.ts';
import { findRegistrations, insertRegistration } from './queries/registrations.ts';
import { newCheckInCode } from './register-for-event.ts';
import { makeEvent, makePerson } from './testing.ts';

const NOW = new Date('2026-12-01T02:00:00Z');

/** The form of a new quarterly symposium, as an officer of the Department of Commerce fills it in. */
const FORM = {
  type: 'symposium',
  status: 'published',
  titleHant: '港資企業座談會',
  titleHans: '港资企业座谈会',
  titleEn: 'Quarterly symposium for Hong Kong-invested enterprises',
  city: 'hangzhou',
  venueEn: 'Zhejiang Department of Commerce, Hangzhou',
  timeZone: 'Asia/Shanghai',
  startDate: '2027-01-15',
  startTime: '14:30',
  endDate: '',
  endTime: '16:30',
  frequency: 'monthly',
  interval: '3',
  repeatEnd: 'count',
  count: '4',
  until: '',
  registration: 'platform',
  capacity: '60',
  feedback: 'type',
  organisers: 'zj-commerce',
  questionKey: 'q1',
  'question-q1-labelEn': 'Name of your enterprise',
  'question-q1-labelHant': '企業名稱',
  'question-q1-kind': 'text',
  'question-q1-required': 'on',
};

describe.each(DATABASES)('the organisers’ workspace on %s', (kind) => {
  const t = testAppFor(kind, { now: () => NOW });
  const db = () => t.database.db.kysely;
  const officer = (label: string, organisationId = 'zj-commerce') => signedInClient(t, { email: `${label}@example.org`, role: 'agency-officer', organisationId });
  const eventsCount = async () => (await db().selectFrom('events').select('id').execute()).length;

  it('lets an officer create a quarterly series through the form: four dates at the right instants, listed with its next date', async () => {
    const { client } = await officer('agency-officer-create');
    const form = await client.get('/en/workspace/events/new');
    expect(form.statusCode).toBe(200);
    expect(form.body).toContain('<h1>New event</h1>');
    // The officer's agency is ticked for them.
    expect(form.body).toMatch(/id="field-organisers-zj-commerce" name="organisers" value="zj-commerce" checked/);
    const created = await client.post('/en/workspace/events/new', FORM);
    expect(created.statusCode).toBe(303);
    const location = created.headers.location as string;
    expect(location).toMatch(/^\/en\/workspace\/events\/ZJHK-V-2026-\d{6}\?done=created$/);
    const reference = location.split('/').at(-1)?.split('?')[0] as string;
    const event = (await findEvent(db(), reference)) as EventRecord;
    expect(event.questions).toEqual([{ key: 'q1', label: { 'zh-Hant': '企業名稱', en: 'Name of your enterprise' }, kind: 'text', required: true }]);
    expect((await findOccurrences(db(), event.id)).map((o) => o.startsAt.toISOString())).toEqual([
      '2027-01-15T06:30:00.000Z',
      '2027-04-15T06:30:00.000Z',
      '2027-07-15T06:30:00.000Z',
      '2027-10-15T06:30:00.000Z',
    ]);

    const page = await client.get(location);
    expect(page.body).toContain('The event is created.');
    expect(page.body).toContain('Repeats now: Every 3 months, 4 dates.');
    for (const slot of ['2027-01-15', '2027-04-15', '2027-07-15', '2027-10-15']) {
      expect(page.body).toContain(`href="/en/workspace/events/${reference}/${slot}"`);
      expect(page.body).toContain(`href="/en/workspace/events/${reference}/${slot}/registrations"`);
    }
    // The question is shown again under its key, and a blank row offers the next key.
    expect(page.body).toContain('name="question-q1-labelEn" type="text" value="Name of your enterprise"');
    expect(page.body).toContain('name="question-q2-labelEn"');

    const list = await client.get('/en/workspace/events');
    expect(list.body).toContain(`href="/en/workspace/events/${reference}"`);
    expect(list.body).toContain('15 January 2027');
    for (const [prefix, heading, title] of [
      ['zh-hant', '我主辦的活動', '港資企業座談會'],
      ['zh-hans', '我主办的活动', '港资企业座谈会'],
    ] as const) {
      const translated = await client.get(`/${prefix}/workspace/events`);
      expect(translated.body).toContain(`<h1>${heading}</h1>`);
      expect(translated.body).toContain(title);
    }
  });

  it('shows bad input again with an error beside each field, and stores nothing', async () => {
    const { client } = await officer('agency-officer-mistakes');
    const before = await eventsCount();
    const page = await client.post('/zh-hant/workspace/events/new', {
      ...FORM,
      titleHant: '',
      titleHans: '',
      titleEn: '',
      startTime: '2:30pm',
      onlineUrl: 'http://example.org',
      capacity: '',
      organisers: 'hk-ipd',
    });
    expect(page.statusCode).toBe(200);
    expect(page.body).toContain('class="error-summary"');
    for (const message of ['請最少以一種語言填寫', '請輸入時間，例如 14:30', '請輸入以 https:// 開頭的網址', '在本平台報名須填寫名額', '主辦單位須包括您所屬的部門'])
      expect(page.body).toContain(message);
    // What was typed is kept.
    expect(page.body).toContain('value="2:30pm"');
    expect(await eventsCount()).toBe(before);
  });

  it('refuses another agency’s event to an officer (403) and opens it to a coordinator', async () => {
    const { event, occurrences } = await makeEvent(db());
    const slot = occurrences[0]?.slot as string;
    const path = `/en/workspace/events/${event.reference}`;
    const { client: other } = await officer('agency-officer-other', 'hk-fstb');
    expect((await other.get(path)).statusCode).toBe(403);
    expect((await other.get(`${path}/${slot}`)).statusCode).toBe(403);
    // A form taken from a page the officer may see, posted at the event: refused as well.
    expect((await other.post(path, { ...FORM, organisers: 'hk-fstb' }, { from: '/en/workspace/events/new' })).statusCode).toBe(403);
    expect((await other.post(`${path}/${slot}/cancel`, { reason: 'Not mine to cancel.' }, { from: '/en/workspace/events/new' })).statusCode).toBe(403);
    expect((await findOccurrences(db(), event.id)).every((o) => o.status === 'scheduled')).toBe(true);
    expect((await other.get('/en/workspace/events')).body).not.toContain(event.reference);
    expect((await other.get('/en/workspace/events/ZJHK-V-2026-999999')).statusCode).toBe(404);

    const { client: coordinator } = await signedInClient(t, { email: 'custodian-coordinator@example.org', role: 'custodian-coordinator', organisationId: 'hk-cmab' });
    expect((await coordinator.get(path)).statusCode).toBe(200);
    expect((await coordinator.get('/en/workspace/events')).body).toContain(event.reference);
    const { client: resident } = await signedInClient(t, { email: 'resident@example.org', role: 'resident' });
    expect((await resident.get('/en/workspace/events')).statusCode).toBe(403);
  });

  it('cancels a date only with a reason, cancels its registrations and emails them; restores it without them', async () => {
    const { event, occurrences } = await makeEvent(db(), { startsLocal: '2027-02-10T10:00' });
    const first = occurrences[0] as (typeof occurrences)[number];
    const person = await makePerson(db(), 'resident-cancel', 'zh-Hans');
    await db()
      .transaction()
      .execute((trx) =>
        insertRegistration(trx, { occurrenceId: first.id, userId: person.id, state: 'confirmed', locale: 'zh-Hans', answers: {}, checkInCode: newCheckInCode(), year: 2026, now: NOW }),
      );
    const { client } = await officer('agency-officer-cancel');
    const page = `/en/workspace/events/${event.reference}/${first.slot}`;
    expect((await client.get(page)).body).toContain('Cancel this date');

    const refused = await client.post(`${page}/cancel`, { reason: '' }, { from: page });
    expect(refused.statusCode).toBe(200);
    expect(refused.body).toContain('Give the reason');
    expect((await findOccurrences(db(), event.id))[0]?.status).toBe('scheduled');

    const done = await client.post(`${page}/cancel`, { reason: 'The venue is closed for repairs.', confirm: 'yes' }, { from: page });
    expect(done.statusCode).toBe(303);
    expect(done.headers.location).toBe(`${page}?done=cancelled`);
    expect((await findOccurrences(db(), event.id))[0]).toMatchObject({ status: 'cancelled', cancelReason: 'The venue is closed for repairs.' });
    expect((await findRegistrations(db(), { occurrenceIds: [first.id] })).map((r) => r.state)).toEqual(['cancelled']);
    const mails = await db().selectFrom('mail_outbox').select(['to_address', 'locale', 'subject', 'text_body']).where('to_address', '=', person.email).execute();
    expect(mails.map((m) => [m.locale, m.subject.startsWith('活动已取消：港资企业座谈会')])).toEqual([['zh-Hans', true]]);
    expect(mails[0]?.text_body).toContain('The venue is closed for repairs.');

    const cancelled = await client.get(`${page}?done=cancelled`);
    expect(cancelled.body).toContain('Its registrations stay cancelled');
    expect((await client.post(`${page}/restore`, {}, { from: page })).headers.location).toBe(`${page}?done=restored`);
    expect((await findOccurrences(db(), event.id))[0]).toMatchObject({ status: 'scheduled', cancelReason: null });
    expect((await findRegistrations(db(), { occurrenceIds: [first.id] })).map((r) => r.state)).toEqual(['cancelled']);
  });

  it('changes one date on its own and refuses a capacity below the places held', async () => {
    const { event, occurrences } = await makeEvent(db(), { startsLocal: '2027-03-10T10:00', capacity: 5 });
    const first = occurrences[0] as (typeof occurrences)[number];
    for (const label of ['resident-one', 'resident-two']) {
      const person = await makePerson(db(), label);
      await db()
        .transaction()
        .execute((trx) => insertRegistration(trx, { occurrenceId: first.id, userId: person.id, state: 'confirmed', locale: 'en', answers: {}, checkInCode: newCheckInCode(), year: 2026, now: NOW }));
    }
    const { client } = await officer('agency-officer-change');
    const page = `/en/workspace/events/${event.reference}/${first.slot}`;
    const fields = {
      startDate: '2027-03-10',
      startTime: '10:00',
      endDate: '',
      endTime: '12:00',
      city: '',
      venueHant: '',
      venueHans: '',
      venueEn: '',
      onlineUrl: '',
      capacity: '1',
      noteHant: '',
      noteHans: '',
      noteEn: '',
    };
    const refused = await client.post(page, fields);
    expect(refused.statusCode).toBe(200);
    expect(refused.body).toContain('More places than this are already taken');
    const moved = await client.post(page, { ...fields, startTime: '15:00', endTime: '17:00', capacity: '', noteEn: 'Moved to the afternoon.' });
    expect(moved.headers.location).toBe(`${page}?done=changed`);
    const after = (await findOccurrences(db(), event.id))[0];
    expect(after).toMatchObject({ modified: true, sequence: 1, startsAt: new Date('2027-03-10T07:00:00Z'), note: { en: 'Moved to the afternoon.' } });
    const told = await db().selectFrom('mail_outbox').select(['to_address', 'text_body']).where('subject', 'like', 'Changed:%').orderBy('id').execute();
    expect(told.map((m) => m.to_address)).toEqual(['resident-one@example.org', 'resident-two@example.org']);
    expect(told[0]?.text_body).toContain('Moved to the afternoon.');
    expect((await client.get(`/en/workspace/events/${event.reference}`)).body).toContain('Changed on its own');
    const traditional = await client.get(`/zh-hant/workspace/events/${event.reference}/${first.slot}`);
    expect(traditional.statusCode).toBe(200);
    expect(traditional.body).toContain('已個別更改');
    expect(traditional.body).toContain('取消本場次');
  });
});

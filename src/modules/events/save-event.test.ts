import ICAL from 'ical.js';
import { beforeEach, describe, expect, it } from 'vitest';
import { DATABASES, freshDatabaseEach } from '../../../test/databases.ts';
import { SYSTEM } from '../../platform/audit/audit.ts';
import { systemClock } from '../../platform/clock.ts';
import type { Principal } from '../../platform/auth/roles.ts';
import type { RegistrationState } from './tables.ts';
import { loadConfig } from '../../config.ts';
import { findOrganisations } from '../organisations/index.ts';
import { cancelOccurrence, restoreOccurrence } from './cancel-occurrence.ts';
import { demoEvents } from './demo.ts';
import { changeOccurrence, occurrenceFormValues, readOccurrenceForm } from './change-occurrence.ts';
import { type EventRecord, findEvent, findEvents } from './queries/events.ts';
import { findOccurrences, type Occurrence } from './queries/occurrences.ts';
import { findRegistrations, insertRegistration } from './queries/registrations.ts';
import { newCheckInCode } from './register-for-event.ts';
import { eventFormValues, questionRows, readEventInput, saveEvent } from './save-event.ts';
import { mailSettings, makePerson } from './testing.ts';
import { findCommitments } from '../agreements/index.ts';

const NOW = new Date('2026-12-01T02:00:00Z');

/** A quarterly symposium in Hangzhou from 2027-01-15 14:30, four dates, 10 places, as the form sends it. */
const QUARTERLY: Record<string, string | string[]> = {
  type: 'symposium',
  status: 'published',
  titleHant: '港資企業座談會',
  titleHans: '港资企业座谈会',
  titleEn: 'Symposium for Hong Kong-invested enterprises',
  city: 'hangzhou',
  venueEn: 'Zhejiang Department of Commerce, Hangzhou',
  timeZone: 'Asia/Shanghai',
  startDate: '2027-01-15',
  startTime: '14:30',
  endTime: '16:30',
  frequency: 'monthly',
  interval: '3',
  repeatEnd: 'count',
  count: '4',
  registration: 'platform',
  capacity: '10',
  feedback: 'type',
  organisers: ['zj-commerce'],
};

describe.each(DATABASES)('saving events on %s', (kind) => {
  const t = freshDatabaseEach(kind);
  const db = () => t.db.kysely;
  const outbox = () => db().selectFrom('mail_outbox').select(['to_address', 'subject', 'locale', 'text_body', 'attachments']).orderBy('id').execute();

  /** The officers (or coordinators) of the current test, one account each. */
  let people = new Map<string, Principal>();
  beforeEach(() => {
    people = new Map();
  });
  async function officerOf(organisationId: string, role: 'agency-officer' | 'custodian-coordinator' = 'agency-officer'): Promise<Principal> {
    const key = `${role}-${organisationId}`;
    const known = people.get(key);
    if (known) return known;
    const person = await makePerson(db(), key);
    const principal: Principal = {
      user: { id: person.id, email: person.email, displayName: person.name, locale: 'en', emailVerified: true, twoFactorEnabled: true },
      roles: [{ role, organisationId, side: organisationId.startsWith('hk-') ? 'hong-kong' : 'zhejiang' }],
      session: { id: 'session', secondFactorDone: true },
    };
    people.set(key, principal);
    return principal;
  }

  async function save(body: Record<string, string | string[]>, options: { existing?: EventRecord; principal?: Principal } = {}) {
    const [organisations, commitments] = await Promise.all([findOrganisations(db()), findCommitments(db())]);
    return saveEvent({
      db: db(),
      input: readEventInput(body),
      existing: options.existing,
      principal: options.principal ?? (await officerOf('zj-commerce')),
      organisations: new Set(organisations.map((o) => o.id)),
      commitmentIds: new Set(commitments.map((c) => c.id)),
      removedReason: 'No longer part of the series.',
      now: NOW,
      year: 2026,
      mail: await mailSettings(db()),
      actor: SYSTEM,
    });
  }

  /** The form of an existing event as it is shown for editing, changed by `changes`. */
  const edited = (event: EventRecord, changes: Record<string, string | string[]>) => {
    const questions = Object.fromEntries(questionRows(event.questions).flatMap((q) => Object.entries(q.values).map(([f, v]) => [`question-${q.key}-${f}`, v])));
    return { ...eventFormValues(event), ...questions, questionKey: event.questions.map((q) => q.key), organisers: event.organisers, commitments: event.commitmentIds.map(String), ...changes };
  };

  async function created(body: Record<string, string | string[]> = QUARTERLY) {
    const result = await save(body);
    if (!result.ok) throw new Error(JSON.stringify(result.errors));
    const event = (await findEvent(db(), result.reference)) as EventRecord;
    return { event, occurrences: await findOccurrences(db(), event.id) };
  }

  async function register(occurrence: Occurrence, label: string, locale: 'zh-Hant' | 'zh-Hans' | 'en', state: RegistrationState = 'confirmed', answers: Record<string, string> = {}) {
    const person = await makePerson(db(), label, locale);
    await db()
      .transaction()
      .execute((trx) => insertRegistration(trx, { occurrenceId: occurrence.id, userId: person.id, state, locale, answers, checkInCode: newCheckInCode(), year: 2026, now: NOW }));
    return person;
  }

  const states = async (occurrence: Occurrence) => Object.fromEntries((await findRegistrations(db(), { occurrenceIds: [occurrence.id] })).map((r) => [r.name, r.state]));

  it('creates a quarterly series with four dates at 14:30 Hangzhou time, audited', async () => {
    const { event, occurrences } = await created();
    expect(event.reference).toMatch(/^ZJHK-V-2026-\d{6}$/);
    expect(event).toMatchObject({ rrule: 'FREQ=MONTHLY;INTERVAL=3;COUNT=4', startsLocal: '2027-01-15T14:30', durationMinutes: 120, capacity: 10, feedback: true, organisers: ['zj-commerce'] });
    expect(occurrences.map((o) => [o.slot, o.startsAt.toISOString(), o.endsAt.toISOString()])).toEqual([
      ['2027-01-15', '2027-01-15T06:30:00.000Z', '2027-01-15T08:30:00.000Z'],
      ['2027-04-15', '2027-04-15T06:30:00.000Z', '2027-04-15T08:30:00.000Z'],
      ['2027-07-15', '2027-07-15T06:30:00.000Z', '2027-07-15T08:30:00.000Z'],
      ['2027-10-15', '2027-10-15T06:30:00.000Z', '2027-10-15T08:30:00.000Z'],
    ]);
    const trail = await db().selectFrom('audit_events').select(['action', 'entity_id', 'changes']).where('entity_type', '=', 'event').execute();
    expect(trail.map((a) => [a.action, a.entity_id])).toEqual([['event.created', event.reference]]);
    expect((trail[0]?.changes as Record<string, { after: unknown }>).rrule?.after).toBe('FREQ=MONTHLY;INTERVAL=3;COUNT=4');
  });

  it('gives a field error for each mistake and stores nothing', async () => {
    const result = await save({
      ...QUARTERLY,
      titleHant: '',
      titleHans: '',
      titleEn: '',
      city: 'atlantis',
      onlineUrl: 'http://example.org/meeting',
      timeZone: 'Europe/Paris',
      startTime: '25:00',
      capacity: '',
      contactEmail: 'not an address',
      organisers: ['zj-commerce', 'no-such-agency'],
      commitments: ['999999'],
      questionKey: ['q1'],
      'question-q1-labelEn': 'Sector',
      'question-q1-kind': 'choice',
      'question-q1-optionsEn': 'Finance\nTrade',
      'question-q1-optionsHant': '金融',
    });
    expect(result).toEqual({
      ok: false,
      errors: {
        titleHant: 'one_language_required',
        city: 'invalid_choice',
        onlineUrl: 'invalid_url',
        timeZone: 'invalid_choice',
        startTime: 'event_invalid_time',
        capacity: 'event_capacity_required',
        contactEmail: 'invalid_email',
        organisers: 'unknown_organisation',
        commitments: 'invalid_choice',
        'question-q1-optionsHant': 'event_options_mismatch',
      },
    });
    // The rule's own mistakes land on the rule's fields.
    expect(await save({ ...QUARTERLY, count: '500' })).toEqual({ ok: false, errors: { count: 'event_rrule_too_many' } });
    expect(await save({ ...QUARTERLY, repeatEnd: 'until', until: '2026-01-01' })).toEqual({ ok: false, errors: { until: 'event_until_before_start' } });
    expect(await save({ ...QUARTERLY, endTime: '14:00' })).toEqual({ ok: false, errors: { endTime: 'event_ends_before_start' } });
    expect(await save({ ...QUARTERLY, registration: 'external', externalUrl: '' })).toEqual({ ok: false, errors: { externalUrl: 'required' } });
    // An officer organises for their own agency.
    expect(await save({ ...QUARTERLY, organisers: ['hk-ipd'] })).toEqual({ ok: false, errors: { organisers: 'event_own_agency_required' } });
    expect(await db().selectFrom('events').select('id').execute()).toEqual([]);
    expect(await db().selectFrom('event_occurrences').select('id').execute()).toEqual([]);
    expect(await db().selectFrom('audit_events').select('id').where('entity_type', '=', 'event').execute()).toEqual([]);
    // A coordinator may name any organisation.
    expect((await save({ ...QUARTERLY, organisers: ['hk-ipd'] }, { principal: await officerOf('hk-cmab', 'custodian-coordinator') })).ok).toBe(true);
  });

  it('moves the unmodified dates with the rule, keeps a date changed on its own, and emails registrants of dates that moved', async () => {
    const { event, occurrences } = await created();
    const [first, second] = occurrences as [Occurrence, Occurrence];
    await register(first, 'resident-a', 'zh-Hans');
    await register(second, 'resident-b', 'en');
    // The second date is moved on its own to 10:00.
    const form = readOccurrenceForm({ ...occurrenceFormValues(event, second), startTime: '10:00', endTime: '12:00' });
    expect(await changeOccurrence({ db: db(), event, occurrence: second, form, now: NOW, mail: await mailSettings(db()), actor: SYSTEM })).toEqual({ ok: true, told: 1, promoted: 0 });
    const before = (await outbox()).length;
    // The series moves to 15:00.
    expect((await save(edited(event, { startTime: '15:00', endTime: '17:00' }), { existing: event })).ok).toBe(true);
    const after = await findOccurrences(db(), event.id);
    expect(after.map((o) => [o.slot, o.startsAt.toISOString(), o.modified, o.sequence])).toEqual([
      ['2027-01-15', '2027-01-15T07:00:00.000Z', false, 1],
      ['2027-04-15', '2027-04-15T02:00:00.000Z', true, 1],
      ['2027-07-15', '2027-07-15T07:00:00.000Z', false, 1],
      ['2027-10-15', '2027-10-15T07:00:00.000Z', false, 1],
    ]);
    const mails = (await outbox()).slice(before);
    expect(mails.map((m) => [m.to_address, m.locale, m.subject])).toEqual([
      ['resident-a@example.org', 'zh-Hans', `活动变更：港资企业座谈会（${(await findRegistrations(db(), { occurrenceIds: [first.id] }))[0]?.reference}）`],
    ]);
    expect(mails[0]?.text_body).toContain('15:00');
  });

  it('cancels a date the rule no longer gives when someone registered, cancels the registration and emails it; removes an empty one', async () => {
    const { event, occurrences } = await created();
    const [, , third, fourth] = occurrences as [Occurrence, Occurrence, Occurrence, Occurrence];
    await register(fourth, 'resident-a', 'zh-Hant');
    await register(fourth, 'resident-b', 'en', 'waitlisted');
    expect((await save(edited(event, { count: '2' }), { existing: event })).ok).toBe(true);
    const after = await findOccurrences(db(), event.id);
    expect(after.map((o) => [o.slot, o.status])).toEqual([
      ['2027-01-15', 'scheduled'],
      ['2027-04-15', 'scheduled'],
      ['2027-10-15', 'cancelled'],
    ]);
    expect(after.some((o) => o.id === third.id)).toBe(false);
    expect(await states(fourth)).toEqual({ 'resident-a': 'cancelled', 'resident-b': 'cancelled' });
    const mails = await outbox();
    expect(mails.map((m) => [m.to_address, m.locale])).toEqual([
      ['resident-a@example.org', 'zh-Hant'],
      ['resident-b@example.org', 'en'],
    ]);
    expect(mails[0]?.subject).toMatch(/^活動已取消：港資企業座談會/);
    expect(mails[0]?.text_body).toContain('此日期已不再屬於本系列活動。');
    expect(mails[1]?.text_body).toContain('no longer part of the event’s series');
  });

  it('cancels the coming dates of a cancelled event, with the reason, and asks for one', async () => {
    const { event, occurrences } = await created();
    await register(occurrences[0] as Occurrence, 'resident-a', 'en');
    expect(await save(edited(event, { status: 'cancelled' }), { existing: event })).toEqual({ ok: false, errors: { cancelReason: 'reason_required' } });
    expect((await save(edited(event, { status: 'cancelled', cancelReason: 'The venue is closed for repairs.' }), { existing: event })).ok).toBe(true);
    const after = await findOccurrences(db(), event.id);
    expect(after.map((o) => [o.status, o.cancelReason])).toEqual(Array(4).fill(['cancelled', 'The venue is closed for repairs.']));
    expect(await states(occurrences[0] as Occurrence)).toEqual({ 'resident-a': 'cancelled' });
    const [mail] = await outbox();
    expect(mail?.subject).toMatch(/^Cancelled: Symposium/);
    expect(mail?.text_body).toContain('Reason: The venue is closed for repairs.');
  });

  it('refuses a smaller capacity than the places held, and fills a larger one from the waitlist', async () => {
    const { event, occurrences } = await created({ ...QUARTERLY, capacity: '2' });
    const first = occurrences[0] as Occurrence;
    await register(first, 'resident-a', 'en');
    await register(first, 'resident-b', 'en');
    await register(first, 'resident-c', 'en', 'waitlisted');
    expect(await save(edited(event, { capacity: '1' }), { existing: event })).toEqual({ ok: false, errors: { capacity: 'event_capacity_below_held' } });
    expect((await save(edited(event, { capacity: '3' }), { existing: event })).ok).toBe(true);
    expect(await states(first)).toEqual({ 'resident-a': 'confirmed', 'resident-b': 'confirmed', 'resident-c': 'confirmed' });
    expect((await outbox()).map((m) => m.to_address)).toEqual(['resident-c@example.org']);
  });

  it('keeps question keys stable: a new question never takes a key already used', async () => {
    const { event } = await created({
      ...QUARTERLY,
      questionKey: ['q1', 'q2'],
      'question-q1-labelEn': 'Company',
      'question-q1-kind': 'text',
      'question-q1-required': 'on',
      'question-q2-labelEn': 'Sector',
      'question-q2-labelHant': '行業',
      'question-q2-kind': 'choice',
      'question-q2-optionsEn': 'Finance\nTrade',
      'question-q2-optionsHant': '金融\n貿易',
    });
    expect(event.questions).toEqual([
      { key: 'q1', label: { en: 'Company' }, kind: 'text', required: true },
      {
        key: 'q2',
        label: { 'zh-Hant': '行業', en: 'Sector' },
        kind: 'choice',
        options: [
          { 'zh-Hant': '金融', en: 'Finance' },
          { 'zh-Hant': '貿易', en: 'Trade' },
        ],
        required: false,
      },
    ]);
    // Someone answers q2; then q2 is removed (its label cleared in every language).
    await register((await findOccurrences(db(), event.id))[0] as Occurrence, 'resident', 'en', 'confirmed', { q1: 'Example Ltd', q2: '1' });
    const cleared = { 'question-q2-labelEn': '', 'question-q2-labelHant': '', 'question-q2-optionsEn': '', 'question-q2-optionsHant': '' };
    expect((await save(edited(event, cleared), { existing: event })).ok).toBe(true);
    const withoutQ2 = (await findEvent(db(), event.reference)) as EventRecord;
    expect(withoutQ2.questions.map((q) => q.key)).toEqual(['q1']);
    // A new question, even one sent under the freed key, gets a key no answer has used.
    const result = await save(edited(withoutQ2, { questionKey: ['q1', 'q2'], 'question-q2-labelEn': 'Lunch?', 'question-q2-kind': 'yes-no' }), { existing: withoutQ2 });
    expect(result.ok).toBe(true);
    const saved = (await findEvent(db(), event.reference)) as EventRecord;
    expect(saved.questions.map((q) => [q.key, q.label.en, q.kind])).toEqual([
      ['q1', 'Company', 'text'],
      ['q3', 'Lunch?', 'yes-no'],
    ]);
  });

  it('changes one date on its own: refuses fewer places than held, cancels it with a reason and restores it', async () => {
    const { event, occurrences } = await created({ ...QUARTERLY, capacity: '3' });
    const first = occurrences[0] as Occurrence;
    await register(first, 'resident-a', 'zh-Hant');
    await register(first, 'resident-b', 'en');
    const mail = await mailSettings(db());
    const change = (values: Record<string, string>) =>
      changeOccurrence({ db: db(), event, occurrence: first, form: readOccurrenceForm({ ...occurrenceFormValues(event, first), ...values }), now: NOW, mail, actor: SYSTEM });
    expect(await change({ capacity: '1' })).toEqual({ ok: false, errors: { capacity: 'event_capacity_below_held' } });
    expect(await change({ city: 'ningbo', venueEn: 'Ningbo Trade Centre' })).toEqual({ ok: true, told: 2, promoted: 0 });
    const changed = (await findOccurrences(db(), event.id))[0] as Occurrence;
    expect(changed).toMatchObject({ modified: true, sequence: 1, own: { city: 'ningbo', venue: { en: 'Ningbo Trade Centre' }, onlineUrl: null, capacity: null } });
    expect((await outbox()).map((m) => m.subject)).toEqual([expect.stringMatching(/^活動有變/), expect.stringMatching(/^Changed: /)]);
    // Each carries the date as it is now, for the calendar that has it: same UID, next SEQUENCE, new place.
    const calendarOf = (m: { attachments: { filename: string; contentBase64: string }[] }) => {
      const ics = m.attachments.find((a) => a.filename === 'event.ics');
      return ics ? (new ICAL.Component(ICAL.parse(Buffer.from(ics.contentBase64, 'base64').toString('utf8'))).getFirstSubcomponent('vevent') as ICAL.Component) : undefined;
    };
    const changedEvent = calendarOf((await outbox())[1] as Parameters<typeof calendarOf>[0]);
    expect([changedEvent?.getFirstPropertyValue('uid'), changedEvent?.getFirstPropertyValue('sequence'), changedEvent?.getFirstPropertyValue('status')]).toEqual([
      `${event.reference}/${first.slot}`,
      1,
      'CONFIRMED',
    ]);
    expect(String(changedEvent?.getFirstPropertyValue('location'))).toContain('Ningbo Trade Centre');

    expect(await cancelOccurrence({ db: db(), event, occurrence: changed, reason: '  ', now: NOW, mail, actor: SYSTEM })).toEqual({ ok: false, error: 'reason_required' });
    expect((await findOccurrences(db(), event.id))[0]?.status).toBe('scheduled');
    expect(await cancelOccurrence({ db: db(), event, occurrence: changed, reason: 'Typhoon signal No. 8.', now: NOW, mail, actor: SYSTEM })).toEqual({ ok: true, registrations: expect.any(Array) });
    expect(await states(first)).toEqual({ 'resident-a': 'cancelled', 'resident-b': 'cancelled' });
    const cancelMails = (await outbox()).slice(2);
    expect(cancelMails.map((m) => [m.locale, m.text_body.includes('Typhoon signal No. 8.')])).toEqual([
      ['zh-Hant', true],
      ['en', true],
    ]);
    const cancelledEvent = calendarOf(cancelMails[1] as Parameters<typeof calendarOf>[0]);
    expect([cancelledEvent?.getFirstPropertyValue('uid'), cancelledEvent?.getFirstPropertyValue('sequence'), cancelledEvent?.getFirstPropertyValue('status')]).toEqual([
      `${event.reference}/${first.slot}`,
      2,
      'CANCELLED',
    ]);
    const cancelled = (await findOccurrences(db(), event.id))[0] as Occurrence;
    expect(await restoreOccurrence({ db: db(), event, occurrence: cancelled, actor: SYSTEM, now: new Date() })).toEqual({ ok: true });
    expect((await findOccurrences(db(), event.id))[0]).toMatchObject({ status: 'scheduled', cancelReason: null });
    // The registrations stay cancelled.
    expect(await states(first)).toEqual({ 'resident-a': 'cancelled', 'resident-b': 'cancelled' });
    const actions = await db().selectFrom('audit_events').select('action').where('entity_type', '=', 'event-occurrence').orderBy('id').execute();
    expect(actions.map((a) => a.action)).toEqual(['event.occurrence.changed', 'event.occurrence.cancelled', 'event.occurrence.restored']);
  });

  it('loads the illustrative demo events once, each marked illustrative in every language', async () => {
    const lines: string[] = [];
    const command = { config: loadConfig({}), db: t.db, actor: SYSTEM, now: systemClock, print: (line: string) => lines.push(line) };
    await demoEvents(command);
    await demoEvents(command);
    const events = await findEvents(db());
    expect(events.map((e) => [e.type, e.organisers, e.rrule]).sort()).toEqual([
      ['forum', ['hk-ipd'], 'FREQ=YEARLY;COUNT=3'],
      ['study-tour', ['zj-education'], null],
      ['symposium', ['zj-commerce'], 'FREQ=MONTHLY;INTERVAL=3;COUNT=4'],
    ]);
    for (const e of events) {
      expect(e.description['zh-Hant']).toContain('示例資料');
      expect(e.description['zh-Hans']).toContain('示例数据');
      expect(e.description.en).toContain('Illustrative example');
    }
    const commitments = await findCommitments(db());
    const code = (id: number) => ((c) => `${c?.areaNumber}-${c?.number}`)(commitments.find((c) => c.id === id));
    expect(Object.fromEntries(events.map((e) => [e.type, e.commitmentIds.map(code)]))).toEqual({ symposium: ['3-1'], forum: ['3-4'], 'study-tour': ['6-1'] });
    expect(await db().selectFrom('event_occurrences').select('id').execute()).toHaveLength(8);
    expect(lines).toEqual(['  events demo (illustrative): 3 events added', '  events demo: already loaded; nothing added']);
  });
});

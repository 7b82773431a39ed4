import { describe, expect, it } from 'vitest';
import { DATABASES, freshDatabaseEach } from '../../../test/databases.ts';
import { SYSTEM } from '../../platform/audit/audit.ts';
import { cancelRegistration } from './cancel-registration.ts';
import { decideRegistration } from './decide-registration.ts';
import { findRegistrations, findRegistration } from './queries/registrations.ts';
import { readAnswers, registerForEvent } from './register-for-event.ts';
import { sendReminders } from './send-reminders.ts';
import { mailSettings, makeEvent, makePerson } from './testing.ts';

const NOW = new Date('2026-12-01T02:00:00Z');

describe.each(DATABASES)('registration on %s', (kind) => {
  const t = freshDatabaseEach(kind);
  const db = () => t.db.kysely;
  const outbox = () => db().selectFrom('mail_outbox').select(['to_address', 'subject', 'locale', 'text_body', 'attachments']).orderBy('id').execute();

  async function register(
    event: Awaited<ReturnType<typeof makeEvent>>['event'],
    occurrence: Awaited<ReturnType<typeof makeEvent>>['occurrences'][number],
    person: { id: string; name: string; email: string },
    locale: 'zh-Hant' | 'zh-Hans' | 'en' = 'en',
  ) {
    return registerForEvent({ db: db(), event, occurrence, user: person, locale, answers: {}, actor: SYSTEM, now: NOW, year: 2026, mail: await mailSettings(db()) });
  }

  it('confirms exactly as many as there are places when 50 register at once; the rest wait in line', async () => {
    const { event, occurrences } = await makeEvent(db(), { capacity: 10 });
    const first = occurrences[0] as (typeof occurrences)[number];
    const people = await Promise.all(Array.from({ length: 50 }, (_, i) => makePerson(db(), `resident-${i}`)));
    const results = await Promise.all(people.map((p) => register(event, first, p)));
    expect(results.every((r) => r.ok)).toBe(true);
    const all = await findRegistrations(db(), { occurrenceIds: [first.id] });
    expect(all.filter((r) => r.state === 'confirmed')).toHaveLength(10);
    expect(all.filter((r) => r.state === 'waitlisted')).toHaveLength(40);
    // One email each: 10 confirmations with the .ics and QR code, 40 waitlist notices.
    const mails = await outbox();
    expect(mails).toHaveLength(50);
    expect(mails.filter((m) => m.attachments.length === 2)).toHaveLength(10);
  });

  it('gives a freed place to the first on the waitlist and emails them in their language', async () => {
    const { event, occurrences } = await makeEvent(db(), { capacity: 2 });
    const first = occurrences[0] as (typeof occurrences)[number];
    const people = [];
    for (const [label, locale] of [
      ['resident-a', 'en'],
      ['resident-b', 'en'],
      ['resident-c', 'zh-Hans'],
      ['resident-d', 'zh-Hant'],
    ] as const) {
      const person = await makePerson(db(), label);
      expect((await register(event, first, person, locale)).ok).toBe(true);
      people.push(person);
    }
    const a = people[0] as (typeof people)[number];
    const [ra] = await findRegistrations(db(), { userIds: [a.id] });
    const cancelled = await cancelRegistration({ db: db(), event, registration: ra as NonNullable<typeof ra>, actor: SYSTEM, now: NOW, mail: await mailSettings(db()) });
    expect(cancelled.ok && cancelled.promoted.map((r) => r.email)).toEqual(['resident-c@example.org']);
    const states = new Map((await findRegistrations(db(), { occurrenceIds: [first.id] })).map((r) => [r.email, r.state]));
    expect(Object.fromEntries(states)).toEqual({
      'resident-a@example.org': 'cancelled',
      'resident-b@example.org': 'confirmed',
      'resident-c@example.org': 'confirmed',
      'resident-d@example.org': 'waitlisted',
    });
    const promoted = (await outbox()).filter((m) => m.to_address === 'resident-c@example.org').at(-1);
    expect(promoted?.locale).toBe('zh-Hans');
    expect(promoted?.subject).toContain('您已获得名额');
    expect(promoted?.attachments.map((x) => x.filename)).toEqual(['event.ics', 'check-in.png']);
    // A cancelled registration is taken up again, at the end of the line.
    const again = await register(event, first, a);
    expect(again.ok && again.state).toBe('waitlisted');
    expect(again.ok && again.reference).toBe(ra?.reference);
  });

  it('allows one registration per person per date', async () => {
    const { event, occurrences } = await makeEvent(db());
    const person = await makePerson(db(), 'resident');
    expect((await register(event, occurrences[0] as (typeof occurrences)[number], person)).ok).toBe(true);
    expect(await register(event, occurrences[0] as (typeof occurrences)[number], person)).toEqual({ ok: false, error: 'already_registered' });
    // Another date of the series is another registration.
    expect((await register(event, occurrences[1] as (typeof occurrences)[number], person)).ok).toBe(true);
  });

  it('refuses registration for drafts, external registration, cancelled and started dates', async () => {
    const person = await makePerson(db(), 'resident');
    const draft = await makeEvent(db(), { status: 'draft' });
    expect(await register(draft.event, draft.occurrences[0] as (typeof draft.occurrences)[number], person)).toEqual({ ok: false, error: 'registration_closed' });
    const external = await makeEvent(db(), { registration: 'external', externalUrl: 'https://example.org/register' });
    expect(await register(external.event, external.occurrences[0] as (typeof external.occurrences)[number], person)).toEqual({ ok: false, error: 'registration_closed' });
    const past = await makeEvent(db(), { startsLocal: '2026-11-30T09:00', rrule: null });
    expect(await register(past.event, past.occurrences[0] as (typeof past.occurrences)[number], person)).toEqual({ ok: false, error: 'event_started' });
    expect(await db().selectFrom('event_registrations').select('id').execute()).toHaveLength(0);
  });

  it('takes registrations as pending when the organiser approves them; approval fills a place or the waitlist, rejection needs a reason', async () => {
    const { event, occurrences } = await makeEvent(db(), { capacity: 1, requiresApproval: true });
    const first = occurrences[0] as (typeof occurrences)[number];
    const organiser = await makePerson(db(), 'organiser');
    const [a, b, c] = await Promise.all(['resident-a', 'resident-b', 'resident-c'].map((l) => makePerson(db(), l)));
    const refs: string[] = [];
    for (const p of [a, b, c]) {
      const r = await register(event, first, p as NonNullable<typeof a>);
      expect(r.ok && r.state).toBe('pending');
      if (r.ok) refs.push(r.reference);
    }
    const decide = async (reference: string, decision: 'approve' | 'reject', reason = '') =>
      decideRegistration({ db: db(), event, reference, decision, reason, actor: SYSTEM, userId: organiser.id, now: NOW, mail: await mailSettings(db()) });
    expect(await decide(refs[0] as string, 'approve')).toEqual({ ok: true, state: 'confirmed' });
    expect(await decide(refs[1] as string, 'approve')).toEqual({ ok: true, state: 'waitlisted' });
    expect(await decide(refs[2] as string, 'reject')).toEqual({ ok: false, error: 'reason_required' });
    expect(await decide(refs[2] as string, 'reject', 'The event is for enterprises registered in Zhejiang.')).toEqual({ ok: true, state: 'rejected' });
    expect(await decide(refs[2] as string, 'approve')).toEqual({ ok: false, error: 'registration_not_pending' });
    const rejected = await findRegistration(db(), refs[2] as string);
    expect(rejected?.rejectReason).toBe('The event is for enterprises registered in Zhejiang.');
    const mail = (await outbox()).find((m) => m.to_address === 'resident-c@example.org' && m.subject.startsWith('Registration not accepted'));
    expect(mail?.text_body).toContain('registered in Zhejiang');
    // A rejected person cannot simply register again.
    expect(await register(event, first, c as NonNullable<typeof c>)).toEqual({ ok: false, error: 'registration_rejected' });
  });

  it('reminds confirmed registrants the day before, once, in their language', async () => {
    const { event, occurrences } = await makeEvent(db(), { capacity: 1 });
    const first = occurrences[0] as (typeof occurrences)[number];
    const [a, b] = await Promise.all([makePerson(db(), 'resident-a', 'zh-Hant'), makePerson(db(), 'resident-b')]);
    await register(event, first, a, 'zh-Hant');
    await register(event, first, b);
    const before = (await outbox()).length;
    // 2027-01-15 14:30 in Hangzhou: the day before is 2027-01-14.
    const at = new Date('2027-01-14T01:00:00Z');
    expect(await sendReminders({ db: db(), today: '2027-01-13', publicUrl: 'https://zjhk.example.org', now: new Date('2027-01-13T01:00:00Z') })).toEqual({ sent: 0 });
    expect(await sendReminders({ db: db(), today: '2027-01-14', publicUrl: 'https://zjhk.example.org', now: at })).toEqual({ sent: 1 });
    expect(await sendReminders({ db: db(), today: '2027-01-14', publicUrl: 'https://zjhk.example.org', now: at })).toEqual({ sent: 0 });
    const reminders = (await outbox()).slice(before);
    expect(reminders.map((m) => [m.to_address, m.subject])).toEqual([['resident-a@example.org', '明天舉行：港資企業座談會']]);
  });

  it('checks answers to the custom questions', () => {
    const questions = [
      { key: 'q1', label: { en: 'Company' }, kind: 'text' as const, required: true },
      { key: 'q2', label: { en: 'Sector' }, kind: 'choice' as const, options: [{ en: 'Finance' }, { en: 'Trade' }], required: false },
      { key: 'q3', label: { en: 'Lunch?' }, kind: 'yes-no' as const, required: true },
    ];
    expect(readAnswers(questions, { 'answer-q1': ' Example Ltd ', 'answer-q2': '1', 'answer-q3': 'no' })).toEqual({ answers: { q1: 'Example Ltd', q2: '1', q3: 'no' }, errors: {} });
    expect(readAnswers(questions, { 'answer-q2': '7', 'answer-q3': 'maybe' }).errors).toEqual({ 'answer-q1': 'required', 'answer-q2': 'invalid_choice', 'answer-q3': 'invalid_choice' });
  });
});

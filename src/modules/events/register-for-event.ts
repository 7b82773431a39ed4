import { randomInt } from 'node:crypto';
import type { Kysely } from 'kysely';
import { type Actor, audit, type RequestInfo } from '../../platform/audit/audit.ts';
import type { Database } from '../../platform/db/schema.ts';
import type { EventQuestion, RegistrationLocale, RegistrationState } from './tables.ts';
import type { FieldError } from '../../platform/http/forms.ts';
import { queueMail } from '../../platform/mail/outbox.ts';
import { confirmedEmail, pendingEmail, waitlistedEmail } from './emails.ts';
import type { MailSettings } from './promote-waitlisted.ts';
import type { EventRecord } from './queries/events.ts';
import { effective, lockOccurrence, type Occurrence } from './queries/occurrences.ts';
import { ACTIVE, countHeld, findRegistrations, insertRegistration, moveRegistration } from './queries/registrations.ts';

/** Check-in codes: no 0/O or 1/I, so a code read aloud or typed from paper is not mistaken. */
const CODE_ALPHABET = 'ABCDEFGHJKLMNPQRSTUVWXYZ23456789';
export const newCheckInCode = (): string => Array.from({ length: 8 }, () => CODE_ALPHABET[randomInt(CODE_ALPHABET.length)]).join('');

export type RegisterError = 'registration_closed' | 'event_started' | 'occurrence_cancelled' | 'already_registered' | 'registration_rejected';

/** Why registration is not open for an occurrence now, if it is not. */
export function closedReason(event: EventRecord, occurrence: Occurrence, now: Date): RegisterError | undefined {
  if (event.status !== 'published' || event.registration !== 'platform') return 'registration_closed';
  if (occurrence.status === 'cancelled') return 'occurrence_cancelled';
  if (occurrence.startsAt <= now) return 'event_started';
  return undefined;
}

/**
 * The answers to an event's questions, checked: required ones given, choices among the options
 * (stored as the option's number), yes/no as 'yes' or 'no', text at most 1,000 characters.
 */
export function readAnswers(questions: readonly EventQuestion[], body: Record<string, unknown>): { answers: Record<string, string>; errors: Record<string, FieldError> } {
  const answers: Record<string, string> = {};
  const errors: Record<string, FieldError> = {};
  for (const q of questions) {
    const raw = body[`answer-${q.key}`];
    const value = typeof raw === 'string' ? raw.trim() : '';
    if (!value) {
      if (q.required) errors[`answer-${q.key}`] = 'required';
      continue;
    }
    if (q.kind === 'text' && value.length > 1000) errors[`answer-${q.key}`] = 'too_long';
    else if (q.kind === 'yes-no' && value !== 'yes' && value !== 'no') errors[`answer-${q.key}`] = 'invalid_choice';
    else if (q.kind === 'choice' && !(/^\d+$/.test(value) && Number(value) < (q.options?.length ?? 0))) errors[`answer-${q.key}`] = 'invalid_choice';
    else answers[q.key] = value;
  }
  return { answers, errors };
}

/**
 * A person registers for an occurrence. Under the occurrence's row lock the places held are counted:
 * with a place free the registration is confirmed, otherwise it joins the waitlist; an event that
 * needs the organiser's approval takes it as pending. One registration a person: an active one is
 * refused, a cancelled one is taken up again (with a new place in line). The email (with the .ics
 * and the QR code once confirmed) is queued in the same transaction.
 */
export async function registerForEvent(options: {
  db: Kysely<Database>;
  event: EventRecord;
  occurrence: Occurrence;
  user: { id: string; name: string; email: string };
  locale: RegistrationLocale;
  answers: Record<string, string>;
  actor: Actor;
  request?: RequestInfo;
  now: Date;
  /** The year of registration in the platform's time zone (for the reference). */
  year: number;
  mail: MailSettings;
}): Promise<{ ok: true; reference: string; state: RegistrationState } | { ok: false; error: RegisterError }> {
  const { event, now } = options;
  return options.db.transaction().execute(async (trx) => {
    const occurrence = await lockOccurrence(trx, options.occurrence.id);
    const closed = occurrence ? closedReason(event, occurrence, now) : 'registration_closed';
    if (!occurrence || closed) return { ok: false, error: closed ?? 'registration_closed' };
    const [existing] = await findRegistrations(trx, { occurrenceIds: [occurrence.id], userIds: [options.user.id] });
    if (existing && ACTIVE.includes(existing.state)) return { ok: false, error: 'already_registered' };
    if (existing?.state === 'rejected') return { ok: false, error: 'registration_rejected' };

    const capacity = effective(event, occurrence).capacity ?? 0;
    const state: RegistrationState = event.requiresApproval ? 'pending' : (await countHeld(trx, occurrence.id)) < capacity ? 'confirmed' : 'waitlisted';
    let reference: string;
    let checkInCode: string;
    if (existing) {
      await moveRegistration(trx, existing.id, ['cancelled'], {
        state,
        locale: options.locale,
        answers: options.answers,
        waitlistedAt: state === 'waitlisted' ? now : null,
        cancelledAt: null,
        decidedAt: null,
        decidedBy: null,
      });
      ({ reference, checkInCode } = existing);
    } else {
      checkInCode = newCheckInCode();
      ({ reference } = await insertRegistration(trx, {
        occurrenceId: occurrence.id,
        userId: options.user.id,
        state,
        locale: options.locale,
        answers: options.answers,
        checkInCode,
        year: options.year,
        now,
      }));
    }
    await audit(trx, {
      actor: options.actor,
      action: existing ? 'event.registration.renewed' : 'event.registration.created',
      entity: { type: 'event-registration', id: reference },
      changes: { state: { before: existing?.state ?? null, after: state }, occurrence: { before: null, after: `${event.reference}/${occurrence.slot}` } },
      request: options.request,
    });
    const mail = { event, occurrence, registration: { reference, locale: options.locale, name: options.user.name, email: options.user.email, checkInCode }, ...options.mail };
    if (state === 'confirmed') await queueMail(trx, await confirmedEmail(mail));
    else if (state === 'pending') await queueMail(trx, pendingEmail(mail));
    else await queueMail(trx, waitlistedEmail(mail, await waitlistPosition(trx, occurrence.id, reference)));
    return { ok: true, reference, state };
  });
}

/** Where a waitlisted registration stands in line (1 = next to get a place). */
export async function waitlistPosition(db: Kysely<Database>, occurrenceId: number, reference: string): Promise<number> {
  const line = await findRegistrations(db, { occurrenceIds: [occurrenceId], states: ['waitlisted'] });
  line.sort((a, b) => (a.waitlistedAt?.getTime() ?? 0) - (b.waitlistedAt?.getTime() ?? 0) || a.id - b.id);
  return line.findIndex((r) => r.reference === reference) + 1;
}

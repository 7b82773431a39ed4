import type { Kysely } from 'kysely';
import { type Actor, audit, type RequestInfo } from '../../platform/audit/audit.ts';
import type { Database } from '../../platform/db/schema.ts';
import { findByCheckInCode } from './queries/check-in.ts';
import type { EventRecord } from './queries/events.ts';
import type { Occurrence } from './queries/occurrences.ts';
import { findRegistrations, moveRegistration, type Registration } from './queries/registrations.ts';

/** A check-in code as stored: eight of A–Z and 2–9. */
export const CHECK_IN_CODE = /^[A-Z2-9]{8}$/;

/** A code as typed or read out: any case, with spaces or dashes ("abcd-2345", "ABCD 2345"). */
export function normaliseCode(input: string): string {
  return input.toUpperCase().replace(/[\s\-‐‑–—]+/gu, '');
}

/** Why a code could not be checked in; each carries what the organiser at the door needs to be told. */
export type CheckInFailure =
  /** Not eight letters and digits: a typing mistake. */
  | { error: 'check_in_code_invalid' }
  /** No registration has this code. */
  | { error: 'check_in_code_unknown' }
  /** The code is for another date of the same event. */
  | { error: 'check_in_other_date'; slot: string }
  /** The code is for another event. */
  | { error: 'check_in_other_event' }
  /** The registration holds no place: pending, waitlisted, cancelled or rejected. */
  | { error: 'check_in_not_confirmed'; registration: Registration }
  /** Already checked in, at `registration.checkedInAt`. */
  | { error: 'check_in_already'; registration: Registration };

export type CheckInResult = ({ ok: true; registration: Registration } | ({ ok: false } & CheckInFailure)) & { code: string };

/**
 * An organiser checks a person in at the door by the code of their registration: the code must be
 * for this occurrence and the registration confirmed. It becomes attended, with when and by whom,
 * audited in the same transaction. Two phones checking the same code in at once: one succeeds, the
 * other is told it was already done.
 */
export async function checkInRegistration(options: {
  db: Kysely<Database>;
  event: EventRecord;
  occurrence: Occurrence;
  /** As typed: normalised here. */
  code: string;
  userId: string;
  actor: Actor;
  request?: RequestInfo;
  now: Date;
}): Promise<CheckInResult> {
  const { db, event, occurrence, now } = options;
  const code = normaliseCode(options.code);
  if (!CHECK_IN_CODE.test(code)) return { ok: false, error: 'check_in_code_invalid', code };
  const found = await findByCheckInCode(db, code);
  if (!found) return { ok: false, error: 'check_in_code_unknown', code };
  if (found.occurrence.id !== occurrence.id) {
    return found.event.id === event.id ? { ok: false, error: 'check_in_other_date', slot: found.occurrence.slot, code } : { ok: false, error: 'check_in_other_event', code };
  }
  const registration = found.registration;
  if (registration.state === 'attended') return { ok: false, error: 'check_in_already', registration, code };
  if (registration.state !== 'confirmed') return { ok: false, error: 'check_in_not_confirmed', registration, code };
  const moved = await db.transaction().execute(async (trx) => {
    if (!(await moveRegistration(trx, registration.id, ['confirmed'], { state: 'attended', checkedInAt: now, checkedInBy: options.userId }))) return false;
    await audit(trx, {
      actor: options.actor,
      action: 'event.registration.checked-in',
      entity: { type: 'event-registration', id: registration.reference },
      changes: { state: { before: 'confirmed', after: 'attended' }, checkedInAt: { before: null, after: now.toISOString() } },
      request: options.request,
    });
    return true;
  });
  if (moved) return { ok: true, registration: { ...registration, state: 'attended', checkedInAt: now }, code };
  // Someone else acted on it between the look-up and the move: say what it is now.
  const [current] = await findRegistrations(db, { references: [registration.reference] });
  if (current?.state === 'attended') return { ok: false, error: 'check_in_already', registration: current, code };
  return { ok: false, error: 'check_in_not_confirmed', registration: current ?? registration, code };
}

/**
 * Undoes a mistaken check-in: the registration is confirmed again, holding its place, without the
 * time and person of the check-in. Audited.
 */
export async function undoCheckIn(options: {
  db: Kysely<Database>;
  occurrence: Occurrence;
  reference: string;
  actor: Actor;
  request?: RequestInfo;
}): Promise<{ ok: true; registration: Registration } | { ok: false; error: 'registration_not_attended' }> {
  const { db, occurrence } = options;
  const [registration] = await findRegistrations(db, { references: [options.reference], occurrenceIds: [occurrence.id] });
  if (registration?.state !== 'attended') return { ok: false, error: 'registration_not_attended' };
  const undone = await db.transaction().execute(async (trx) => {
    if (!(await moveRegistration(trx, registration.id, ['attended'], { state: 'confirmed', checkedInAt: null, checkedInBy: null }))) return false;
    await audit(trx, {
      actor: options.actor,
      action: 'event.registration.check-in-undone',
      entity: { type: 'event-registration', id: registration.reference },
      changes: { state: { before: 'attended', after: 'confirmed' }, checkedInAt: { before: registration.checkedInAt?.toISOString() ?? null, after: null } },
      request: options.request,
    });
    return true;
  });
  return undone ? { ok: true, registration: { ...registration, state: 'confirmed', checkedInAt: null } } : { ok: false, error: 'registration_not_attended' };
}

import type { Kysely, Transaction } from 'kysely';
import { type Actor, audit, type RequestInfo } from '../../platform/audit/audit.ts';
import type { Database } from '../../platform/db/schema.ts';
import { queueMail } from '../../platform/mail/outbox.ts';
import { occurrenceCancelledEmail, TOLD } from './occurrence-emails.ts';
import type { MailSettings } from './promote-waitlisted.ts';
import type { EventRecord } from './queries/events.ts';
import { findOccurrenceById, lockOccurrence, type Occurrence, updateOccurrence } from './queries/occurrences.ts';
import { findRegistrations, moveRegistration } from './queries/registrations.ts';
import { expandSchedule } from './recurrence.ts';

/** An occurrence's name in the audit trail: the event's reference and the date. */
export const occurrenceEntity = (event: Pick<EventRecord, 'reference'>, occurrence: Pick<Occurrence, 'slot'>) => ({ type: 'event-occurrence', id: `${event.reference}/${occurrence.slot}` });

/** The longest reason kept. */
export const REASON_MAX = 2_000;

/**
 * Cancels the registrations of a cancelled occurrence that are still waiting for or holding a place,
 * and emails each person, in their language, with the reason (null: the date left the series).
 * Attended, rejected and already cancelled registrations stay as they are. Returns the references.
 */
export async function cancelRegistrationsOf(
  trx: Transaction<Database>,
  options: { event: EventRecord; occurrence: Occurrence; reason: string | null; now: Date; mail: MailSettings },
): Promise<string[]> {
  const { event, occurrence, now } = options;
  const cancelled: string[] = [];
  // As stored now, with its new SEQUENCE, for the .ics.
  const current = (await findOccurrenceById(trx, occurrence.id)) ?? occurrence;
  for (const r of await findRegistrations(trx, { occurrenceIds: [occurrence.id], states: TOLD })) {
    if (!(await moveRegistration(trx, r.id, TOLD, { state: 'cancelled', cancelledAt: now }))) continue;
    await queueMail(trx, occurrenceCancelledEmail(event, current, r, options.mail, options.reason));
    cancelled.push(r.reference);
  }
  return cancelled;
}

/**
 * Cancels one occurrence inside the caller's transaction (the caller holds its lock): the occurrence
 * with its reason, then its registrations, each person emailed; audited as one change.
 */
export async function cancelOccurrenceIn(
  trx: Transaction<Database>,
  options: { event: EventRecord; occurrence: Occurrence; reason: string; now: Date; mail: MailSettings; actor: Actor; request?: RequestInfo | undefined },
): Promise<string[]> {
  const { event, occurrence, reason } = options;
  await updateOccurrence(trx, occurrence.id, { status: 'cancelled', cancelReason: reason, bump: true }, options.now);
  const cancelledOccurrence: Occurrence = { ...occurrence, status: 'cancelled', cancelReason: reason };
  const registrations = await cancelRegistrationsOf(trx, { ...options, occurrence: cancelledOccurrence });
  await audit(trx, {
    actor: options.actor,
    action: 'event.occurrence.cancelled',
    entity: occurrenceEntity(event, occurrence),
    changes: {
      status: { before: occurrence.status, after: 'cancelled' },
      cancelReason: { before: occurrence.cancelReason, after: reason },
      ...(registrations.length ? { registrationsCancelled: { before: null, after: registrations } } : {}),
    },
    request: options.request,
  });
  return registrations;
}

export type CancelOccurrenceError = 'reason_required' | 'too_long' | 'occurrence_cancelled';

/**
 * The organiser cancels one date of an event, with a reason: the date is cancelled, every pending,
 * confirmed and waitlisted registration for it is cancelled, and each person is emailed in their language.
 */
export async function cancelOccurrence(options: {
  db: Kysely<Database>;
  event: EventRecord;
  occurrence: Occurrence;
  reason: string;
  now: Date;
  mail: MailSettings;
  actor: Actor;
  request?: RequestInfo;
}): Promise<{ ok: true; registrations: string[] } | { ok: false; error: CancelOccurrenceError }> {
  const reason = options.reason.trim();
  if (!reason) return { ok: false, error: 'reason_required' };
  if (reason.length > REASON_MAX) return { ok: false, error: 'too_long' };
  return options.db.transaction().execute(async (trx) => {
    const occurrence = await lockOccurrence(trx, options.occurrence.id);
    if (!occurrence || occurrence.status === 'cancelled') return { ok: false, error: 'occurrence_cancelled' } as const;
    const registrations = await cancelOccurrenceIn(trx, { ...options, occurrence, reason });
    return { ok: true, registrations } as const;
  });
}

export type RestoreOccurrenceError = 'event_occurrence_not_cancelled' | 'event_cancelled' | 'event_slot_not_in_series';

/**
 * Undoes the cancellation of a date: it is scheduled again. Its registrations stay cancelled (people
 * register again if they still want to come). A date the series' rule no longer gives cannot come back.
 */
export async function restoreOccurrence(options: {
  db: Kysely<Database>;
  event: EventRecord;
  occurrence: Occurrence;
  actor: Actor;
  request?: RequestInfo;
  now: Date;
}): Promise<{ ok: true } | { ok: false; error: RestoreOccurrenceError }> {
  const { event } = options;
  if (event.status === 'cancelled') return { ok: false, error: 'event_cancelled' };
  const dates = expandSchedule(event);
  if (!dates.ok || !dates.occurrences.some((d) => d.slot === options.occurrence.slot)) return { ok: false, error: 'event_slot_not_in_series' };
  return options.db.transaction().execute(async (trx) => {
    const occurrence = await lockOccurrence(trx, options.occurrence.id);
    if (occurrence?.status !== 'cancelled') return { ok: false, error: 'event_occurrence_not_cancelled' } as const;
    await updateOccurrence(trx, occurrence.id, { status: 'scheduled', cancelReason: null, bump: true }, options.now);
    await audit(trx, {
      actor: options.actor,
      action: 'event.occurrence.restored',
      entity: occurrenceEntity(event, occurrence),
      changes: { status: { before: 'cancelled', after: 'scheduled' }, cancelReason: { before: occurrence.cancelReason, after: null } },
      request: options.request,
    });
    return { ok: true } as const;
  });
}

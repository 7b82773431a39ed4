import type { Kysely } from 'kysely';
import { type Actor, audit, type RequestInfo } from '../../platform/audit/audit.ts';
import type { Database } from '../../platform/db/schema.ts';
import type { RegistrationState } from './tables.ts';
import { queueMail } from '../../platform/mail/outbox.ts';
import { confirmedEmail, rejectedEmail, waitlistedEmail } from './emails.ts';
import type { MailSettings } from './promote-waitlisted.ts';
import type { EventRecord } from './queries/events.ts';
import { effective, lockOccurrence } from './queries/occurrences.ts';
import { countHeld, findRegistrations, moveRegistration } from './queries/registrations.ts';
import { waitlistPosition } from './register-for-event.ts';

/**
 * The organiser decides on a pending registration. Approved, it takes a free place or, when the
 * occurrence is full, joins the waitlist (and is promoted from it like anyone else); rejected, it
 * needs a reason, which the person is sent.
 */
export async function decideRegistration(options: {
  db: Kysely<Database>;
  event: EventRecord;
  reference: string;
  decision: 'approve' | 'reject';
  reason: string;
  actor: Actor;
  userId: string;
  request?: RequestInfo;
  now: Date;
  mail: MailSettings;
}): Promise<{ ok: true; state: RegistrationState } | { ok: false; error: 'registration_not_pending' | 'reason_required' }> {
  const { event, now } = options;
  const reason = options.reason.trim();
  if (options.decision === 'reject' && !reason) return { ok: false, error: 'reason_required' };
  const [found] = await findRegistrations(options.db, { references: [options.reference] });
  if (found?.state !== 'pending') return { ok: false, error: 'registration_not_pending' };
  return options.db.transaction().execute(async (trx) => {
    const occurrence = await lockOccurrence(trx, found.occurrenceId);
    if (!occurrence || occurrence.eventId !== event.id) return { ok: false, error: 'registration_not_pending' };
    const capacity = effective(event, occurrence).capacity ?? 0;
    const state: RegistrationState = options.decision === 'reject' ? 'rejected' : (await countHeld(trx, occurrence.id)) < capacity ? 'confirmed' : 'waitlisted';
    const moved = await moveRegistration(trx, found.id, ['pending'], {
      state,
      decidedAt: now,
      decidedBy: options.userId,
      ...(state === 'rejected' ? { rejectReason: reason } : {}),
      ...(state === 'waitlisted' ? { waitlistedAt: now } : {}),
    });
    if (!moved) return { ok: false, error: 'registration_not_pending' };
    await audit(trx, {
      actor: options.actor,
      action: options.decision === 'approve' ? 'event.registration.approved' : 'event.registration.rejected',
      entity: { type: 'event-registration', id: found.reference },
      changes: { state: { before: 'pending', after: state }, ...(state === 'rejected' ? { reason: { before: null, after: reason } } : {}) },
      request: options.request,
    });
    const mail = { event, occurrence, registration: found, ...options.mail };
    if (state === 'confirmed') await queueMail(trx, await confirmedEmail(mail));
    else if (state === 'rejected') await queueMail(trx, rejectedEmail(mail, reason));
    else await queueMail(trx, waitlistedEmail(mail, await waitlistPosition(trx, occurrence.id, found.reference)));
    return { ok: true, state };
  });
}

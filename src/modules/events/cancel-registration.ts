import type { Kysely } from 'kysely';
import { type Actor, audit, type RequestInfo } from '../../platform/audit/audit.ts';
import type { Database } from '../../platform/db/schema.ts';
import { queueMail } from '../../platform/mail/outbox.ts';
import { cancelledEmail } from './emails.ts';
import { type MailSettings, promoteFromWaitlist } from './promote-waitlisted.ts';
import type { EventRecord } from './queries/events.ts';
import { lockOccurrence } from './queries/occurrences.ts';
import { findRegistrations, moveRegistration, type Registration } from './queries/registrations.ts';

/**
 * The person cancels their registration (pending, confirmed or on the waitlist) before the event
 * starts. A place it held goes at once to the first on the waitlist, who is emailed.
 */
export async function cancelRegistration(options: {
  db: Kysely<Database>;
  event: EventRecord;
  registration: Registration;
  actor: Actor;
  request?: RequestInfo;
  now: Date;
  mail: MailSettings;
}): Promise<{ ok: true; promoted: Registration[] } | { ok: false; error: 'registration_not_active' | 'event_started' }> {
  const { event, now } = options;
  return options.db.transaction().execute(async (trx) => {
    const occurrence = await lockOccurrence(trx, options.registration.occurrenceId);
    const [r] = await findRegistrations(trx, { references: [options.registration.reference] });
    if (!occurrence || !r) return { ok: false, error: 'registration_not_active' };
    if (occurrence.startsAt <= now) return { ok: false, error: 'event_started' };
    if (!(await moveRegistration(trx, r.id, ['pending', 'confirmed', 'waitlisted'], { state: 'cancelled', cancelledAt: now }))) return { ok: false, error: 'registration_not_active' };
    await audit(trx, {
      actor: options.actor,
      action: 'event.registration.cancelled',
      entity: { type: 'event-registration', id: r.reference },
      changes: { state: { before: r.state, after: 'cancelled' } },
      request: options.request,
    });
    await queueMail(trx, cancelledEmail({ event, occurrence, registration: r, ...options.mail }));
    const promoted = r.state === 'confirmed' ? await promoteFromWaitlist({ trx, event, occurrence, now, mail: options.mail }) : [];
    return { ok: true, promoted };
  });
}

import type { Transaction } from 'kysely';
import { audit, SYSTEM } from '../../platform/audit/audit.ts';
import type { Database } from '../../platform/db/schema.ts';
import { queueMail } from '../../platform/mail/outbox.ts';
import { promotedEmail, type MailContext } from './emails.ts';
import type { EventRecord } from './queries/events.ts';
import { effective, type Occurrence } from './queries/occurrences.ts';
import { countHeld, firstWaitlisted, moveRegistration, type Registration } from './queries/registrations.ts';

/** What the emails of a registration need besides the registration: where the platform is, and names. */
export type MailSettings = Pick<MailContext, 'publicUrl' | 'lookups'>;

/**
 * Fills the free places of an occurrence from its waitlist, first in first out, and emails each person
 * promoted. The caller holds the occurrence's lock (lockOccurrence) in `trx`, so no registration can
 * take a place between the count and the moves. Nothing moves once the occurrence has started or is
 * cancelled.
 */
export async function promoteFromWaitlist(options: { trx: Transaction<Database>; event: EventRecord; occurrence: Occurrence; now: Date; mail: MailSettings }): Promise<Registration[]> {
  const { trx, event, occurrence, now } = options;
  const capacity = effective(event, occurrence).capacity;
  if (occurrence.status !== 'scheduled' || occurrence.startsAt <= now || capacity === null) return [];
  const free = capacity - (await countHeld(trx, occurrence.id));
  const promoted: Registration[] = [];
  for (const r of await firstWaitlisted(trx, occurrence.id, free)) {
    if (!(await moveRegistration(trx, r.id, ['waitlisted'], { state: 'confirmed', decidedAt: now }))) continue;
    await audit(trx, {
      actor: SYSTEM,
      action: 'event.registration.promoted',
      entity: { type: 'event-registration', id: r.reference },
      changes: { state: { before: 'waitlisted', after: 'confirmed' } },
    });
    await queueMail(trx, await promotedEmail({ event, occurrence, registration: r, ...options.mail }));
    promoted.push({ ...r, state: 'confirmed' });
  }
  return promoted;
}

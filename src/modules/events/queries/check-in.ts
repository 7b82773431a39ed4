// Check-in at the door.
import { findEvents, type EventRecord } from './events.ts';
import { findOccurrenceById, type Occurrence } from './occurrences.ts';
import { findRegistrations, type Registration } from './registrations.ts';
import type { Q } from './common.ts';

/** A registration found by its check-in code, with the date and the event it is for. */
export interface CodeMatch {
  registration: Registration;
  occurrence: Occurrence;
  event: EventRecord;
}

/** The registration a check-in code belongs to (codes are unique across all events), if any. */
export async function findByCheckInCode(db: Q, code: string): Promise<CodeMatch | undefined> {
  const [registration] = await findRegistrations(db, { checkInCodes: [code] });
  if (!registration) return undefined;
  const occurrence = await findOccurrenceById(db, registration.occurrenceId);
  if (!occurrence) return undefined;
  const [event] = await findEvents(db, { ids: [occurrence.eventId] });
  return event ? { registration, occurrence, event } : undefined;
}

/** The people last checked in for an occurrence, the latest first: the door's list, each with an undo. */
export async function recentCheckIns(db: Q, occurrenceId: number, limit: number): Promise<{ reference: string; name: string; checkedInAt: Date }[]> {
  const rows = await db
    .selectFrom('event_registrations as r')
    .innerJoin('users as u', 'u.id', 'r.user_id')
    .select(['r.reference', 'u.display_name', 'r.checked_in_at'])
    .where('r.occurrence_id', '=', occurrenceId)
    .where('r.state', '=', 'attended')
    .orderBy('r.checked_in_at', 'desc')
    .orderBy('r.id', 'desc')
    .limit(limit)
    .execute();
  return rows.map((r) => ({ reference: r.reference, name: r.display_name, checkedInAt: r.checked_in_at as Date }));
}

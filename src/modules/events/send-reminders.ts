import { type Kysely, sql } from 'kysely';
import type { Database } from '../../platform/db/schema.ts';
import { queueMail } from '../../platform/mail/outbox.ts';
import { findOrganisations } from '../organisations/index.ts';
import { reminderEmail } from './emails.ts';
import { findEvents } from './queries/events.ts';
import { findOccurrenceById } from './queries/occurrences.ts';
import { findRegistrations } from './queries/registrations.ts';
import { findAreas, findCommitments } from '../agreements/index.ts';

export const SEND_REMINDERS = 'events.send-reminders';

/**
 * The day before an occurrence, each confirmed registrant is reminded in their own language. "The
 * day before" is counted in the event's time zone: an occurrence on `day + 1` there. A registration
 * is reminded once (`reminded_at`, set in the transaction that queues the message), so a job that
 * runs twice sends nothing twice.
 */
export async function sendReminders(options: { db: Kysely<Database>; today: string; publicUrl: string; now: Date }): Promise<{ sent: number }> {
  const { db } = options;
  const due = await db
    .selectFrom('event_registrations as r')
    .innerJoin('event_occurrences as o', 'o.id', 'r.occurrence_id')
    .innerJoin('events as e', 'e.id', 'o.event_id')
    .select(['r.reference', 'o.id as occurrenceId', 'e.id as eventId'])
    .where('r.state', '=', 'confirmed')
    .where('r.reminded_at', 'is', null)
    .where('o.status', '=', 'scheduled')
    .where('e.status', '=', 'published')
    // A window wide enough for any zone, then the exact day in the event's zone.
    .where('o.starts_at', '>', options.now)
    .where('o.starts_at', '<', new Date(options.now.getTime() + 3 * 86_400_000))
    .where(sql<boolean>`(o.starts_at at time zone e.time_zone)::date = ${options.today}::date + 1`)
    .execute();
  if (due.length === 0) return { sent: 0 };
  const [organisations, areas, commitments] = await Promise.all([findOrganisations(db), findAreas(db), findCommitments(db)]);
  const lookups = { organisations: new Map(organisations.map((o) => [o.id, o])), areas, commitments };
  const events = new Map((await findEvents(db, { ids: [...new Set(due.map((d) => d.eventId))] })).map((e) => [e.id, e]));
  let sent = 0;
  for (const d of due) {
    const event = events.get(d.eventId);
    const occurrence = await findOccurrenceById(db, d.occurrenceId);
    if (!event || !occurrence) continue;
    await db.transaction().execute(async (trx) => {
      const updated = await trx
        .updateTable('event_registrations')
        .set({ reminded_at: options.now })
        .where('reference', '=', d.reference)
        .where('reminded_at', 'is', null)
        .where('state', '=', 'confirmed')
        .executeTakeFirst();
      if (Number(updated.numUpdatedRows) !== 1) return;
      const [registration] = await findRegistrations(trx, { references: [d.reference] });
      if (!registration) return;
      await queueMail(trx, reminderEmail({ event, occurrence, registration, publicUrl: options.publicUrl, lookups }));
      sent += 1;
    });
  }
  return { sent };
}

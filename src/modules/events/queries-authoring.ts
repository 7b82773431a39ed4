import { sql } from 'kysely';
import { ACTIVE, anyOf, type Q } from './queries.ts';

/** What the organisers' list shows of an event besides the event: its next date and how many registered. */
export interface EventSummary {
  /** The next scheduled occurrence that has not started, if any. */
  next: { slot: string; startsAt: Date; endsAt: Date } | null;
  occurrences: number;
  /** Registrations that still count (pending, confirmed, waitlisted, attended), over all dates. */
  registrations: number;
}

export async function eventSummaries(db: Q, eventIds: readonly number[], now: Date): Promise<Map<number, EventSummary>> {
  const out = new Map<number, EventSummary>();
  if (eventIds.length === 0) return out;
  const [next, counts] = await Promise.all([
    db
      .selectFrom('event_occurrences')
      .select(['event_id', 'slot', 'starts_at', 'ends_at'])
      .distinctOn('event_id')
      .where('event_id', '=', anyOf(eventIds))
      .where('status', '=', 'scheduled')
      .where('starts_at', '>', now)
      .orderBy('event_id')
      .orderBy('starts_at')
      .execute(),
    db
      .selectFrom('event_occurrences as o')
      .leftJoin('event_registrations as r', 'r.occurrence_id', 'o.id')
      .select([
        'o.event_id',
        sql<number>`count(distinct o.id)::int`.as('occurrences'),
        sql<number>`count(r.id) filter (where r.state = ${anyOf(ACTIVE)})::int`.as('registrations'),
      ])
      .where('o.event_id', '=', anyOf(eventIds))
      .groupBy('o.event_id')
      .execute(),
  ]);
  for (const id of eventIds) out.set(id, { next: null, occurrences: 0, registrations: 0 });
  for (const c of counts) {
    const s = out.get(c.event_id) as EventSummary;
    s.occurrences = c.occurrences;
    s.registrations = c.registrations;
  }
  for (const n of next) (out.get(n.event_id) as EventSummary).next = { slot: n.slot, startsAt: n.starts_at, endsAt: n.ends_at };
  return out;
}

/**
 * The question keys registrants of an event have ever answered: a new question never takes one of
 * them, so old answers are never read as answers to it.
 */
export async function answeredKeys(db: Q, eventId: number): Promise<string[]> {
  const rows = await db
    .selectFrom('event_registrations as r')
    .innerJoin('event_occurrences as o', 'o.id', 'r.occurrence_id')
    .select(sql<string>`jsonb_object_keys(r.answers)`.as('key'))
    .distinct()
    .where('o.event_id', '=', eventId)
    .execute();
  return rows.map((r) => r.key);
}

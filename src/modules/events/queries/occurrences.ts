// Occurrences: the dates of an event, each with what it changes of the event, its attendance and report.
import { type Selectable, sql, type Transaction } from 'kysely';
import type { Database } from '../../../platform/db/schema.ts';
import type { LocalizedText } from '../../../platform/i18n/locales.ts';
import type { ExpandedOccurrence } from '../recurrence.ts';
import type { EventOccurrencesTable, OccurrenceStatus } from '../tables.ts';
import { anyOf, type Q } from './common.ts';
import type { EventValues } from './events.ts';
import { ACTIVE } from './registrations.ts';

export interface Occurrence {
  id: number;
  eventId: number;
  slot: string;
  startsAt: Date;
  endsAt: Date;
  status: OccurrenceStatus;
  modified: boolean;
  /** This occurrence's own values (null: as the event). */
  own: { city: string | null; venue: LocalizedText | null; onlineUrl: string | null; capacity: number | null };
  note: LocalizedText;
  cancelReason: string | null;
  attendance: number | null;
  report: LocalizedText;
  reportedAt: Date | null;
  sequence: number;
  updatedAt: Date;
}

type OccurrenceRow = Selectable<EventOccurrencesTable>;

function toOccurrence(r: OccurrenceRow): Occurrence {
  return {
    id: r.id,
    eventId: r.event_id,
    slot: r.slot,
    startsAt: r.starts_at,
    endsAt: r.ends_at,
    status: r.status,
    modified: r.modified,
    own: { city: r.city, venue: r.venue, onlineUrl: r.online_url, capacity: r.capacity },
    note: r.note,
    cancelReason: r.cancel_reason,
    attendance: r.attendance,
    report: r.report,
    reportedAt: r.reported_at,
    sequence: r.sequence,
    updatedAt: r.updated_at,
  };
}

/** What an occurrence is, the event's values filled in where it has none of its own. */
export interface Effective {
  city: string;
  venue: LocalizedText;
  onlineUrl: string | null;
  capacity: number | null;
}

export function effective(event: EventValues, o: Occurrence): Effective {
  return {
    city: o.own.city ?? event.city,
    venue: o.own.venue ?? event.venue,
    onlineUrl: o.own.onlineUrl ?? event.onlineUrl,
    capacity: o.own.capacity ?? event.capacity,
  };
}

export async function findOccurrences(db: Q, eventId: number): Promise<Occurrence[]> {
  const rows = await db.selectFrom('event_occurrences').selectAll().where('event_id', '=', eventId).orderBy('starts_at').execute();
  return rows.map(toOccurrence);
}

export async function findOccurrence(db: Q, eventId: number, slot: string): Promise<Occurrence | undefined> {
  const row = await db.selectFrom('event_occurrences').selectAll().where('event_id', '=', eventId).where('slot', '=', slot).executeTakeFirst();
  return row ? toOccurrence(row) : undefined;
}

export async function findOccurrenceById(db: Q, id: number): Promise<Occurrence | undefined> {
  const row = await db.selectFrom('event_occurrences').selectAll().where('id', '=', id).executeTakeFirst();
  return row ? toOccurrence(row) : undefined;
}

/** Locks an occurrence's row for the rest of the transaction: registrations for it queue here. */
export async function lockOccurrence(trx: Transaction<Database>, id: number): Promise<Occurrence | undefined> {
  const row = await trx.selectFrom('event_occurrences').selectAll().where('id', '=', id).forUpdate().executeTakeFirst();
  return row ? toOccurrence(row) : undefined;
}

export interface OccurrenceChanges {
  startsAt?: Date;
  endsAt?: Date;
  status?: OccurrenceStatus;
  modified?: boolean;
  city?: string | null;
  venue?: LocalizedText | null;
  onlineUrl?: string | null;
  capacity?: number | null;
  note?: LocalizedText;
  cancelReason?: string | null;
  attendance?: number | null;
  report?: LocalizedText;
  reportedAt?: Date | null;
  reportedBy?: string | null;
  /** Raise SEQUENCE: calendars must pick the change up. */
  bump?: boolean;
}

export async function updateOccurrence(db: Q, id: number, c: OccurrenceChanges, now: Date): Promise<void> {
  await db
    .updateTable('event_occurrences')
    .set({
      ...(c.startsAt !== undefined ? { starts_at: c.startsAt } : {}),
      ...(c.endsAt !== undefined ? { ends_at: c.endsAt } : {}),
      ...(c.status !== undefined ? { status: c.status } : {}),
      ...(c.modified !== undefined ? { modified: c.modified } : {}),
      ...(c.city !== undefined ? { city: c.city } : {}),
      ...(c.venue !== undefined ? { venue: c.venue === null ? null : JSON.stringify(c.venue) } : {}),
      ...(c.onlineUrl !== undefined ? { online_url: c.onlineUrl } : {}),
      ...(c.capacity !== undefined ? { capacity: c.capacity } : {}),
      ...(c.note !== undefined ? { note: JSON.stringify(c.note) } : {}),
      ...(c.cancelReason !== undefined ? { cancel_reason: c.cancelReason } : {}),
      ...(c.attendance !== undefined ? { attendance: c.attendance } : {}),
      ...(c.report !== undefined ? { report: JSON.stringify(c.report) } : {}),
      ...(c.reportedAt !== undefined ? { reported_at: c.reportedAt } : {}),
      ...(c.reportedBy !== undefined ? { reported_by: c.reportedBy } : {}),
      ...(c.bump ? { sequence: sql<number>`sequence + 1` } : {}),
      updated_at: now,
    })
    .where('id', '=', id)
    .execute();
}

/** What a change of the series did to its dates, for the emails to registrants. */
export interface SeriesChange {
  added: number[];
  /** Occurrences whose time moved (ids). */
  moved: number[];
  /** Dates the rule no longer gives: cancelled when someone registered, else removed. */
  cancelled: number[];
}

/**
 * Brings an event's occurrences in line with its rule: new dates are added; dates that are still
 * given move with the series unless an organiser changed them on their own; dates no longer given are
 * removed, or cancelled (with the reason) when anyone is registered for them.
 */
export async function syncOccurrences(trx: Transaction<Database>, eventId: number, dates: ExpandedOccurrence[], removedReason: string, now: Date): Promise<SeriesChange> {
  const existing = await findOccurrences(trx, eventId);
  const bySlot = new Map(existing.map((o) => [o.slot, o]));
  const change: SeriesChange = { added: [], moved: [], cancelled: [] };
  const wanted = new Set(dates.map((d) => d.slot));
  for (const d of dates) {
    const o = bySlot.get(d.slot);
    if (!o) {
      const row = await trx.insertInto('event_occurrences').values({ event_id: eventId, slot: d.slot, starts_at: d.startsAt, ends_at: d.endsAt }).returning('id').executeTakeFirstOrThrow();
      change.added.push(row.id);
    } else if (!o.modified && (o.startsAt.getTime() !== d.startsAt.getTime() || o.endsAt.getTime() !== d.endsAt.getTime())) {
      await updateOccurrence(trx, o.id, { startsAt: d.startsAt, endsAt: d.endsAt, bump: true }, now);
      change.moved.push(o.id);
    }
  }
  const gone = existing.filter((o) => !wanted.has(o.slot));
  if (gone.length) {
    const ids = gone.map((o) => o.id);
    const withPeople = new Set(
      (await trx.selectFrom('event_registrations').select('occurrence_id').distinct().where('occurrence_id', '=', anyOf(ids)).where('state', '=', anyOf(ACTIVE)).execute()).map((r) => r.occurrence_id),
    );
    for (const o of gone) {
      if (withPeople.has(o.id)) {
        if (o.status !== 'cancelled') {
          await updateOccurrence(trx, o.id, { status: 'cancelled', cancelReason: removedReason, bump: true }, now);
          change.cancelled.push(o.id);
        }
      } else {
        await trx.deleteFrom('event_occurrences').where('id', '=', o.id).execute();
      }
    }
  }
  return change;
}

// The public calendar, the commitments' pages and the feeds: public events' dates, read by filters.
import { type SelectQueryBuilder, sql } from 'kysely';
import type { Database } from '../../../platform/db/schema.ts';
import type { LocalizedText } from '../../../platform/i18n/locales.ts';
import type { EventStatus, EventType, OccurrenceStatus, RegistrationMode } from '../tables.ts';
import { anyOf, type Q } from './common.ts';

/** What the public calendar and the feeds narrow by. Unset: no narrowing. */
export interface CalendarFilter {
  /** Events linked to a commitment of this area (its number in the agreement). */
  areaNumber?: number;
  /** Events linked to this commitment (its id). */
  commitmentId?: number;
  type?: EventType;
  /** The occurrence's city (its own, or the event's). */
  city?: string;
  /** Events this organisation organises. */
  organiser?: string;
}

/** Events the public sees: every one but drafts (a cancelled event stays, its dates marked cancelled). */
const PUBLIC_STATUSES: readonly EventStatus[] = ['published', 'cancelled'];
/** The longest an occurrence may last (the migration's limit on duration_minutes): bounds range scans on starts_at. */
const LONGEST_MS = 20160 * 60_000;

type From = SelectQueryBuilder<Database, 'event_occurrences' | 'events', object>;

/**
 * The filters as conditions on occurrences `o` joined to events `e`. Organiser, commitment and area go
 * through the link tables' indexes (event_organisers_organisation, event_commitments_commitment).
 */
function narrow<S>(q: SelectQueryBuilder<Database, 'event_occurrences' | 'events', S>, db: Q, f: CalendarFilter): SelectQueryBuilder<Database, 'event_occurrences' | 'events', S> {
  let out = q.where('events.status', '=', anyOf(PUBLIC_STATUSES).$castTo<EventStatus>());
  if (f.type !== undefined) out = out.where('events.type', '=', f.type);
  const city = f.city;
  if (city !== undefined) {
    // The occurrence's own city, or the event's when it has none. Written out rather than as coalesce(), whose
    // selectivity the planner can only guess (0.5 %, a tenth of a big city's share): with each column's
    // statistics it walks the index on starts_at for a page instead of joining every coming date first.
    out = out.where((eb) => eb.or([eb('event_occurrences.city', '=', city), eb.and([eb('event_occurrences.city', 'is', null), eb('events.city', '=', city)])]));
  }
  if (f.organiser !== undefined) {
    out = out.where('event_occurrences.event_id', 'in', db.selectFrom('event_organisers').select('event_organisers.event_id').where('event_organisers.organisation_id', '=', f.organiser));
  }
  if (f.commitmentId !== undefined) {
    out = out.where('event_occurrences.event_id', 'in', db.selectFrom('event_commitments').select('event_commitments.event_id').where('event_commitments.commitment_id', '=', f.commitmentId));
  }
  if (f.areaNumber !== undefined) {
    out = out.where(
      'event_occurrences.event_id',
      'in',
      db
        .selectFrom('event_commitments')
        .innerJoin('commitments', 'commitments.id', 'event_commitments.commitment_id')
        .select('event_commitments.event_id')
        .where('commitments.area_number', '=', f.areaNumber),
    );
  }
  return out;
}

const occurrencesOfEvents = (db: Q) => db.selectFrom('event_occurrences').innerJoin('events', 'events.id', 'event_occurrences.event_id') as From;

// ---------------------------------------------------------------------------------------------------
// The calendar page

/** One date in the calendar: only what a list item or a day cell shows. */
export interface CalendarItem {
  occurrenceId: number;
  eventId: number;
  reference: string;
  slot: string;
  startsAt: Date;
  endsAt: Date;
  status: OccurrenceStatus;
  eventStatus: EventStatus;
  type: EventType;
  title: LocalizedText;
  /** The occurrence's city (its own, or the event's). */
  city: string;
  timeZone: string;
  registration: RegistrationMode;
  /** Places (the occurrence's own, or the event's); null without registration on the platform. */
  capacity: number | null;
}

/** Occurrences of public events with the filters, with what a calendar item shows. */
const calendarItems = (db: Q, filter: CalendarFilter) =>
  narrow(
    occurrencesOfEvents(db).select([
      'event_occurrences.id',
      'event_occurrences.event_id',
      'events.reference',
      'event_occurrences.slot',
      'event_occurrences.starts_at',
      'event_occurrences.ends_at',
      'event_occurrences.status',
      'events.status as event_status',
      'events.type',
      'events.title',
      sql<string>`coalesce(event_occurrences.city, events.city)`.as('city'),
      'events.time_zone',
      'events.registration',
      sql<number | null>`coalesce(event_occurrences.capacity, events.capacity)`.as('capacity'),
    ]),
    db,
    filter,
  );

type CalendarRow = Awaited<ReturnType<ReturnType<typeof calendarItems>['executeTakeFirstOrThrow']>>;

const toCalendarItem = (r: CalendarRow): CalendarItem => ({
  occurrenceId: r.id,
  eventId: r.event_id,
  reference: r.reference,
  slot: r.slot,
  startsAt: r.starts_at,
  endsAt: r.ends_at,
  status: r.status,
  eventStatus: r.event_status,
  type: r.type,
  title: r.title,
  city: r.city,
  timeZone: r.time_zone,
  registration: r.registration,
  capacity: r.capacity,
});

/** Which dates: those not over yet (soonest first), or those over (latest first). */
export type CalendarRange = { kind: 'upcoming'; now: Date } | { kind: 'past'; now: Date };

/**
 * A page of the calendar: occurrences of public events with the filters, in one query that walks
 * the index on starts_at. Ask for one more than a page holds to know whether there is a next page.
 */
export async function findCalendarItems(db: Q, options: { filter: CalendarFilter; range: CalendarRange; limit: number; offset?: number }): Promise<CalendarItem[]> {
  const { range } = options;
  let q = calendarItems(db, options.filter);
  if (range.kind === 'upcoming') {
    // Not over yet: started at most the longest duration ago (a range on the index) and ending later.
    q = q
      .where('event_occurrences.starts_at', '>=', new Date(range.now.getTime() - LONGEST_MS))
      .where('event_occurrences.ends_at', '>', range.now)
      .orderBy('event_occurrences.starts_at')
      .orderBy('event_occurrences.id');
  } else {
    q = q
      .where('event_occurrences.starts_at', '<', range.now)
      .where('event_occurrences.ends_at', '<=', range.now)
      .orderBy('event_occurrences.starts_at', 'desc')
      .orderBy('event_occurrences.id', 'desc');
  }
  const rows = await q
    .limit(options.limit)
    .offset(options.offset ?? 0)
    .execute();
  return rows.map(toCalendarItem);
}

/** A date in a month's grid: only what a day cell shows. */
export type MonthItem = Pick<CalendarItem, 'occurrenceId' | 'reference' | 'slot' | 'startsAt' | 'status' | 'title' | 'timeZone'>;

/**
 * Dates of public events starting in [from, to), with the filters, in order: a month holds hundreds, so
 * each carries little. The events of the month's dates are found first, and the dates joined to them by
 * id: asked in one go, the planner reads every event to join a month's dates (about 20 ms at 10,000
 * events on PostgreSQL, against 1 + 3 ms).
 */
export async function findMonthItems(db: Q, options: { filter: CalendarFilter; from: Date; to: Date; limit: number }): Promise<MonthItem[]> {
  const inMonth = await db.selectFrom('event_occurrences').select('event_id').distinct().where('starts_at', '>=', options.from).where('starts_at', '<', options.to).execute();
  if (inMonth.length === 0) return [];
  const rows = await narrow(
    occurrencesOfEvents(db).select([
      'event_occurrences.id',
      'events.reference',
      'event_occurrences.slot',
      'event_occurrences.starts_at',
      'event_occurrences.status',
      'events.title',
      'events.time_zone',
    ]),
    db,
    options.filter,
  )
    .where('events.id', '=', anyOf(inMonth.map((d) => d.event_id)))
    .where('event_occurrences.starts_at', '>=', options.from)
    .where('event_occurrences.starts_at', '<', options.to)
    .orderBy('event_occurrences.starts_at')
    .orderBy('event_occurrences.id')
    .limit(options.limit)
    .execute();
  return rows.map((r) => ({ occurrenceId: r.id, reference: r.reference, slot: r.slot, startsAt: r.starts_at, status: r.status, title: r.title, timeZone: r.time_zone }));
}

// ---------------------------------------------------------------------------------------------------
// Evidence: dates held, with attendance and report

export interface HeldItem extends CalendarItem {
  attendance: number | null;
  report: LocalizedText;
}

/** Dates of public events that took place (over, not cancelled), latest first, with their attendance and report. */
export async function findHeldItems(db: Q, options: { filter: CalendarFilter; now: Date; limit: number }): Promise<HeldItem[]> {
  const rows = await calendarItems(db, options.filter)
    .select(['event_occurrences.attendance', 'event_occurrences.report'])
    .where('event_occurrences.status', '=', 'scheduled')
    .where('event_occurrences.starts_at', '<', options.now)
    .where('event_occurrences.ends_at', '<=', options.now)
    .orderBy('event_occurrences.starts_at', 'desc')
    .orderBy('event_occurrences.id', 'desc')
    .limit(options.limit)
    .execute();
  return rows.map((r) => ({ ...toCalendarItem(r), attendance: r.attendance, report: r.report }));
}

// ---------------------------------------------------------------------------------------------------
// Feeds

/** What a feed writes of an occurrence and its event (never the online link). */
export interface FeedRow {
  event: {
    id: number;
    reference: string;
    type: EventType;
    status: EventStatus;
    title: LocalizedText;
    description: LocalizedText;
    city: string;
    venue: LocalizedText;
    timeZone: string;
    contactEmail: string | null;
  };
  occurrence: {
    id: number;
    slot: string;
    startsAt: Date;
    endsAt: Date;
    status: OccurrenceStatus;
    own: { city: string | null; venue: LocalizedText | null };
    note: LocalizedText;
    cancelReason: string | null;
    sequence: number;
    updatedAt: Date;
  };
}

/**
 * Occurrences of public events starting in [from, to), with the filters, in order: what a feed holds.
 * At most `limit`: the dates not over yet at `now` first (soonest first), then, as room remains, those
 * over (latest first). The events are read once each (a series has many dates), not once a date.
 */
export async function findFeedRows(db: Q, options: { filter: CalendarFilter; now: Date; from: Date; to: Date; limit: number }): Promise<FeedRow[]> {
  const { now, limit } = options;
  const inWindow = () =>
    narrow(
      occurrencesOfEvents(db).select([
        'event_occurrences.id',
        'event_occurrences.event_id',
        'event_occurrences.slot',
        'event_occurrences.starts_at',
        'event_occurrences.ends_at',
        'event_occurrences.status',
        'event_occurrences.city',
        'event_occurrences.venue',
        'event_occurrences.note',
        'event_occurrences.cancel_reason',
        'event_occurrences.sequence',
        'event_occurrences.updated_at',
      ]),
      db,
      options.filter,
    )
      .where('event_occurrences.starts_at', '>=', options.from)
      .where('event_occurrences.starts_at', '<', options.to);
  const coming = await inWindow().where('event_occurrences.ends_at', '>', now).orderBy('event_occurrences.starts_at').orderBy('event_occurrences.id').limit(limit).execute();
  const over =
    coming.length < limit
      ? await inWindow()
          .where('event_occurrences.ends_at', '<=', now)
          .orderBy('event_occurrences.starts_at', 'desc')
          .orderBy('event_occurrences.id', 'desc')
          .limit(limit - coming.length)
          .execute()
      : [];
  if (coming.length + over.length === 0) return [];
  const dates = [...over.reverse(), ...coming].sort((a, b) => a.starts_at.getTime() - b.starts_at.getTime() || a.id - b.id);
  const events = await db
    .selectFrom('events')
    .select(['id', 'reference', 'type', 'status', 'title', 'description', 'city', 'venue', 'time_zone', 'contact_email'])
    .where('id', '=', anyOf([...new Set(dates.map((d) => d.event_id))]))
    .execute();
  const byId = new Map(
    events.map((e) => [
      e.id,
      {
        id: e.id,
        reference: e.reference,
        type: e.type,
        status: e.status,
        title: e.title,
        description: e.description,
        city: e.city,
        venue: e.venue,
        timeZone: e.time_zone,
        contactEmail: e.contact_email,
      },
    ]),
  );
  return dates.flatMap((d) => {
    const event = byId.get(d.event_id);
    if (!event) return [];
    return [
      {
        event,
        occurrence: {
          id: d.id,
          slot: d.slot,
          startsAt: d.starts_at,
          endsAt: d.ends_at,
          status: d.status,
          own: { city: d.city, venue: d.venue },
          note: d.note,
          cancelReason: d.cancel_reason,
          sequence: d.sequence,
          updatedAt: d.updated_at,
        },
      },
    ];
  });
}

// ---------------------------------------------------------------------------------------------------
// The organiser filter's choices

/** Organisations that organise at least one public event. */
export async function findPublicOrganisers(db: Q): Promise<string[]> {
  const rows = await db
    .selectFrom('event_organisers')
    .innerJoin('events', 'events.id', 'event_organisers.event_id')
    .select('event_organisers.organisation_id')
    .distinct()
    .where('events.status', '=', anyOf(PUBLIC_STATUSES).$castTo<EventStatus>())
    .execute();
  return rows.map((r) => r.organisation_id);
}

/**
 * A fingerprint of everything a feed shows of events and their dates: it changes with any row added,
 * removed or changed (each change sets updated_at), whatever the order in which transactions commit.
 * Cheap beside building a feed: one pass over each table.
 */
export async function feedFingerprint(db: Q): Promise<string> {
  const { rows } = await sql<{ events: string; occurrences: string }>`
    select
      (select count(*) || ':' || coalesce(sum(hashtext(id::text || ':' || status || ':' || updated_at::text)::bigint), 0) from events) as events,
      (select count(*) || ':' || coalesce(sum(hashtext(id::text || ':' || updated_at::text)::bigint), 0) from event_occurrences) as occurrences
  `.execute(db);
  const row = rows[0];
  return row ? `${row.events}|${row.occurrences}` : '';
}

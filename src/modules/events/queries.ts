import { type Kysely, type Selectable, type SelectQueryBuilder, sql, type Transaction } from 'kysely';
import type { Database } from '../../platform/db/schema.ts';
import type {
  EventOccurrencesTable,
  EventQuestion,
  EventStatus,
  EventType,
  OccurrenceStatus,
  RegistrationLocale,
  RegistrationMode,
  RegistrationState,
} from './tables.ts';
import type { LocalizedText } from '../../platform/i18n/locales.ts';
import type { ExpandedOccurrence } from './recurrence.ts';

export type Q = Kysely<Database> | Transaction<Database>;

/** `column = any($1)`: a list as one array parameter. */
export function anyOf<T extends number | string>(values: readonly T[]) {
  return sql<T>`any(${values}::${sql.raw(typeof values[0] === 'string' ? 'text[]' : 'int[]')})`;
}

/** Registration states that hold a place. */
export const HOLDING: readonly RegistrationState[] = ['confirmed', 'attended'];
/** Registration states that still count as the person's registration (a new one is refused). */
export const ACTIVE: readonly RegistrationState[] = ['pending', 'confirmed', 'waitlisted', 'attended'];

// ---------------------------------------------------------------------------------------------------
// Events (series)

/** ZJHK-V-2026-000123: V for 活動 (events), numbered by year of creation and row id. */
export const eventReference = (year: number, id: number): string => `ZJHK-V-${year}-${String(id).padStart(6, '0')}`;
/** ZJHK-R-2026-000123 for registrations. */
export const registrationReference = (year: number, id: number): string => `ZJHK-R-${year}-${String(id).padStart(6, '0')}`;

export interface EventValues {
  type: EventType;
  status: EventStatus;
  title: LocalizedText;
  description: LocalizedText;
  city: string;
  venue: LocalizedText;
  onlineUrl: string | null;
  timeZone: string;
  startsLocal: string;
  durationMinutes: number;
  rrule: string | null;
  registration: RegistrationMode;
  externalUrl: string | null;
  capacity: number | null;
  requiresApproval: boolean;
  questions: EventQuestion[];
  feedback: boolean;
  contactEmail: string | null;
  organisers: string[];
  commitmentIds: number[];
}

export interface EventRecord extends EventValues {
  id: number;
  reference: string;
  createdBy: string | null;
  createdAt: Date;
  updatedAt: Date;
}

const eventColumns = (v: EventValues) => ({
  type: v.type,
  status: v.status,
  title: JSON.stringify(v.title),
  description: JSON.stringify(v.description),
  city: v.city,
  venue: JSON.stringify(v.venue),
  online_url: v.onlineUrl,
  time_zone: v.timeZone,
  starts_local: v.startsLocal,
  duration_minutes: v.durationMinutes,
  rrule: v.rrule,
  registration: v.registration,
  external_url: v.externalUrl,
  capacity: v.capacity,
  requires_approval: v.requiresApproval,
  questions: JSON.stringify(v.questions),
  feedback: v.feedback,
  contact_email: v.contactEmail,
});

async function setLinks(db: Q, eventId: number, v: Pick<EventValues, 'organisers' | 'commitmentIds'>): Promise<void> {
  await db.deleteFrom('event_organisers').where('event_id', '=', eventId).execute();
  await db.deleteFrom('event_commitments').where('event_id', '=', eventId).execute();
  if (v.organisers.length) await db.insertInto('event_organisers').values(v.organisers.map((organisation_id) => ({ event_id: eventId, organisation_id }))).execute();
  if (v.commitmentIds.length) await db.insertInto('event_commitments').values(v.commitmentIds.map((commitment_id) => ({ event_id: eventId, commitment_id }))).execute();
}

export async function insertEvent(db: Q, v: EventValues & { year: number; createdBy: string | null }): Promise<{ id: number; reference: string }> {
  const row = await db
    .insertInto('events')
    .values({ reference: `pending-${crypto.randomUUID()}`, ...eventColumns(v), created_by: v.createdBy })
    .returning('id')
    .executeTakeFirstOrThrow();
  const reference = eventReference(v.year, row.id);
  await db.updateTable('events').set({ reference }).where('id', '=', row.id).execute();
  await setLinks(db, row.id, v);
  return { id: row.id, reference };
}

export async function updateEvent(db: Q, id: number, v: EventValues): Promise<void> {
  await db
    .updateTable('events')
    .set({ ...eventColumns(v), updated_at: new Date() })
    .where('id', '=', id)
    .execute();
  await setLinks(db, id, v);
}

type EventRow = Selectable<Database['events']>;

function toEvent(r: EventRow, organisers: string[], commitmentIds: number[]): EventRecord {
  return {
    id: r.id,
    reference: r.reference,
    type: r.type,
    status: r.status,
    title: r.title,
    description: r.description,
    city: r.city,
    venue: r.venue,
    onlineUrl: r.online_url,
    timeZone: r.time_zone,
    startsLocal: r.starts_local,
    durationMinutes: r.duration_minutes,
    rrule: r.rrule,
    registration: r.registration,
    externalUrl: r.external_url,
    capacity: r.capacity,
    requiresApproval: r.requires_approval,
    questions: r.questions,
    feedback: r.feedback,
    contactEmail: r.contact_email,
    organisers,
    commitmentIds,
    createdBy: r.created_by,
    createdAt: r.created_at,
    updatedAt: r.updated_at,
  };
}

export interface EventFilter {
  ids?: readonly number[];
  references?: readonly string[];
  /** Events organised by any of these organisations. */
  organisers?: readonly string[];
  statuses?: readonly EventStatus[];
}

/** The organisers of some events, in a stable order. */
export async function findOrganisersOf(db: Q, eventIds: readonly number[]): Promise<Map<number, string[]>> {
  const out = new Map<number, string[]>(eventIds.map((id) => [id, []]));
  if (eventIds.length === 0) return out;
  const rows = await db.selectFrom('event_organisers').select(['event_id', 'organisation_id']).where('event_id', '=', anyOf(eventIds)).orderBy('event_id').orderBy('organisation_id').execute();
  for (const r of rows) out.get(r.event_id)?.push(r.organisation_id);
  return out;
}

/** The commitments some events serve. */
export async function findCommitmentsOf(db: Q, eventIds: readonly number[]): Promise<Map<number, number[]>> {
  const out = new Map<number, number[]>(eventIds.map((id) => [id, []]));
  if (eventIds.length === 0) return out;
  const rows = await db.selectFrom('event_commitments').select(['event_id', 'commitment_id']).where('event_id', '=', anyOf(eventIds)).orderBy('event_id').orderBy('commitment_id').execute();
  for (const r of rows) out.get(r.event_id)?.push(r.commitment_id);
  return out;
}

/** Events with their organisers and commitments, newest first. */
export async function findEvents(db: Q, f: EventFilter = {}): Promise<EventRecord[]> {
  if (Object.values(f).some((list) => list.length === 0)) return [];
  let q = db.selectFrom('events').selectAll();
  if (f.ids) q = q.where('id', '=', anyOf(f.ids));
  if (f.references) q = q.where('reference', '=', anyOf(f.references));
  if (f.statuses) q = q.where('status', '=', anyOf(f.statuses).$castTo<EventStatus>());
  if (f.organisers) {
    q = q.where('id', 'in', db.selectFrom('event_organisers').select('event_id').where('organisation_id', '=', anyOf(f.organisers)));
  }
  const rows = await q.orderBy('id', 'desc').execute();
  if (rows.length === 0) return [];
  const ids = rows.map((r) => r.id);
  const [organisers, commitments] = await Promise.all([findOrganisersOf(db, ids), findCommitmentsOf(db, ids)]);
  return rows.map((r) => toEvent(r, organisers.get(r.id) ?? [], commitments.get(r.id) ?? []));
}

export async function findEvent(db: Q, reference: string): Promise<EventRecord | undefined> {
  return (await findEvents(db, { references: [reference] }))[0];
}

// ---------------------------------------------------------------------------------------------------
// Occurrences

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

export function toOccurrence(r: OccurrenceRow): Occurrence {
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

export async function updateOccurrence(db: Q, id: number, c: OccurrenceChanges): Promise<void> {
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
      updated_at: new Date(),
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
export async function syncOccurrences(trx: Transaction<Database>, eventId: number, dates: ExpandedOccurrence[], removedReason: string): Promise<SeriesChange> {
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
      await updateOccurrence(trx, o.id, { startsAt: d.startsAt, endsAt: d.endsAt, bump: true });
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
          await updateOccurrence(trx, o.id, { status: 'cancelled', cancelReason: removedReason, bump: true });
          change.cancelled.push(o.id);
        }
      } else {
        await trx.deleteFrom('event_occurrences').where('id', '=', o.id).execute();
      }
    }
  }
  return change;
}

// ---------------------------------------------------------------------------------------------------
// Registrations

export interface Registration {
  id: number;
  reference: string;
  occurrenceId: number;
  userId: string;
  state: RegistrationState;
  locale: RegistrationLocale;
  answers: Record<string, string>;
  checkInCode: string;
  rejectReason: string | null;
  createdAt: Date;
  waitlistedAt: Date | null;
  decidedAt: Date | null;
  cancelledAt: Date | null;
  checkedInAt: Date | null;
  remindedAt: Date | null;
  /** The person, as their account says. */
  name: string;
  email: string;
}

function registrationsQuery(db: Q) {
  return db
    .selectFrom('event_registrations as r')
    .innerJoin('users as u', 'u.id', 'r.user_id')
    .select([
      'r.id',
      'r.reference',
      'r.occurrence_id',
      'r.user_id',
      'r.state',
      'r.locale',
      'r.answers',
      'r.check_in_code',
      'r.reject_reason',
      'r.created_at',
      'r.waitlisted_at',
      'r.decided_at',
      'r.cancelled_at',
      'r.checked_in_at',
      'r.reminded_at',
      'u.display_name',
      'u.email',
    ]);
}

type RegistrationRow = Awaited<ReturnType<ReturnType<typeof registrationsQuery>['executeTakeFirstOrThrow']>>;

function toRegistration(r: RegistrationRow): Registration {
  return {
    id: r.id,
    reference: r.reference,
    occurrenceId: r.occurrence_id,
    userId: r.user_id,
    state: r.state,
    locale: r.locale,
    answers: r.answers,
    checkInCode: r.check_in_code,
    rejectReason: r.reject_reason,
    createdAt: r.created_at,
    waitlistedAt: r.waitlisted_at,
    decidedAt: r.decided_at,
    cancelledAt: r.cancelled_at,
    checkedInAt: r.checked_in_at,
    remindedAt: r.reminded_at,
    name: r.display_name,
    email: r.email,
  };
}

export interface RegistrationFilter {
  occurrenceIds?: readonly number[];
  userIds?: readonly string[];
  references?: readonly string[];
  checkInCodes?: readonly string[];
  states?: readonly RegistrationState[];
}

/** Registrations in the order they came: the waitlist's order is by `waitlisted_at`, then id. */
export async function findRegistrations(db: Q, f: RegistrationFilter): Promise<Registration[]> {
  if (Object.values(f).some((list) => list.length === 0)) return [];
  let q = registrationsQuery(db);
  if (f.occurrenceIds) q = q.where('r.occurrence_id', '=', anyOf(f.occurrenceIds));
  if (f.userIds) q = q.where('r.user_id', '=', anyOf(f.userIds));
  if (f.references) q = q.where('r.reference', '=', anyOf(f.references));
  if (f.checkInCodes) q = q.where('r.check_in_code', '=', anyOf(f.checkInCodes));
  if (f.states) q = q.where('r.state', '=', anyOf(f.states).$castTo<RegistrationState>());
  const rows = await q.orderBy('r.created_at').orderBy('r.id').execute();
  return rows.map(toRegistration);
}

export async function findRegistration(db: Q, reference: string): Promise<Registration | undefined> {
  return (await findRegistrations(db, { references: [reference] }))[0];
}

/** Registrations of an occurrence per state. */
export async function countRegistrations(db: Q, occurrenceIds: readonly number[]): Promise<Map<number, Record<RegistrationState, number>>> {
  const out = new Map<number, Record<RegistrationState, number>>();
  if (occurrenceIds.length === 0) return out;
  const rows = await db
    .selectFrom('event_registrations')
    .select(['occurrence_id', 'state', sql<number>`count(*)::int`.as('n')])
    .where('occurrence_id', '=', anyOf(occurrenceIds))
    .groupBy(['occurrence_id', 'state'])
    .execute();
  for (const id of occurrenceIds) out.set(id, { pending: 0, confirmed: 0, waitlisted: 0, cancelled: 0, attended: 0, rejected: 0 });
  for (const r of rows) (out.get(r.occurrence_id) as Record<RegistrationState, number>)[r.state] = r.n;
  return out;
}

export async function insertRegistration(
  trx: Transaction<Database>,
  r: { occurrenceId: number; userId: string; state: RegistrationState; locale: RegistrationLocale; answers: Record<string, string>; checkInCode: string; year: number; now: Date },
): Promise<{ id: number; reference: string }> {
  const row = await trx
    .insertInto('event_registrations')
    .values({
      reference: `pending-${crypto.randomUUID()}`,
      occurrence_id: r.occurrenceId,
      user_id: r.userId,
      state: r.state,
      locale: r.locale,
      answers: JSON.stringify(r.answers),
      check_in_code: r.checkInCode,
      created_at: r.now,
      waitlisted_at: r.state === 'waitlisted' ? r.now : null,
    })
    .returning('id')
    .executeTakeFirstOrThrow();
  const reference = registrationReference(r.year, row.id);
  await trx.updateTable('event_registrations').set({ reference }).where('id', '=', row.id).execute();
  return { id: row.id, reference };
}

export interface RegistrationChanges {
  state: RegistrationState;
  locale?: RegistrationLocale;
  answers?: Record<string, string>;
  rejectReason?: string | null;
  waitlistedAt?: Date | null;
  decidedAt?: Date | null;
  decidedBy?: string | null;
  cancelledAt?: Date | null;
  checkedInAt?: Date | null;
  checkedInBy?: string | null;
}

/** Moves a registration from one of the expected states; false if it was in none of them (someone else acted first). */
export async function moveRegistration(db: Q, id: number, from: readonly RegistrationState[], c: RegistrationChanges): Promise<boolean> {
  const result = await db
    .updateTable('event_registrations')
    .set({
      state: c.state,
      ...(c.locale !== undefined ? { locale: c.locale } : {}),
      ...(c.answers !== undefined ? { answers: JSON.stringify(c.answers) } : {}),
      ...(c.rejectReason !== undefined ? { reject_reason: c.rejectReason } : {}),
      ...(c.waitlistedAt !== undefined ? { waitlisted_at: c.waitlistedAt } : {}),
      ...(c.decidedAt !== undefined ? { decided_at: c.decidedAt } : {}),
      ...(c.decidedBy !== undefined ? { decided_by: c.decidedBy } : {}),
      ...(c.cancelledAt !== undefined ? { cancelled_at: c.cancelledAt } : {}),
      ...(c.checkedInAt !== undefined ? { checked_in_at: c.checkedInAt } : {}),
      ...(c.checkedInBy !== undefined ? { checked_in_by: c.checkedInBy } : {}),
    })
    .where('id', '=', id)
    .where('state', '=', anyOf(from))
    .executeTakeFirst();
  return Number(result.numUpdatedRows) === 1;
}

/** Places held on an occurrence (confirmed and attended). */
export async function countHeld(db: Q, occurrenceId: number): Promise<number> {
  const row = await db
    .selectFrom('event_registrations')
    .select(sql<number>`count(*)::int`.as('n'))
    .where('occurrence_id', '=', occurrenceId)
    .where('state', '=', anyOf(HOLDING))
    .executeTakeFirstOrThrow();
  return row.n;
}

/** The first `n` on the waitlist: the earliest to join first. */
export async function firstWaitlisted(db: Q, occurrenceId: number, n: number): Promise<Registration[]> {
  if (n <= 0) return [];
  const rows = await registrationsQuery(db)
    .where('r.occurrence_id', '=', occurrenceId)
    .where('r.state', '=', 'waitlisted')
    .orderBy('r.waitlisted_at')
    .orderBy('r.id')
    .limit(n)
    .execute();
  return rows.map(toRegistration);
}

// ---------------------------------------------------------------------------------------------------
// The organisers' workspace

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

// ---------------------------------------------------------------------------------------------------
// Check-in at the door

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

// ---------------------------------------------------------------------------------------------------
// The public calendar, the commitments' pages and the feeds

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
  const rows = await q.limit(options.limit).offset(options.offset ?? 0).execute();
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
    occurrencesOfEvents(db).select(['event_occurrences.id', 'events.reference', 'event_occurrences.slot', 'event_occurrences.starts_at', 'event_occurrences.status', 'events.title', 'events.time_zone']),
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
      { id: e.id, reference: e.reference, type: e.type, status: e.status, title: e.title, description: e.description, city: e.city, venue: e.venue, timeZone: e.time_zone, contactEmail: e.contact_email },
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

/**
 * Clears the answers to the organisers' questions and the reasons for rejection of registrations for
 * dates that ended before `endedBefore` (the purge of personal data): who registered and whether they
 * came stay, for the attendance the commitments' indicators count. Returns how many were cleared.
 */
export async function clearPastRegistrationAnswers(db: Q, endedBefore: Date): Promise<number> {
  const result = await db
    .updateTable('event_registrations')
    // A rejection keeps an (empty) reason: the row's rule wants one.
    .set({ answers: '{}', reject_reason: sql<string | null>`case when reject_reason is null then null else '' end` })
    .where('occurrence_id', 'in', (q) => q.selectFrom('event_occurrences').select('id').where('ends_at', '<', endedBefore))
    .where((eb) => eb.or([eb(sql`answers`, '<>', sql`'{}'::jsonb`), eb('reject_reason', '<>', '')]))
    .executeTakeFirst();
  return Number(result.numUpdatedRows);
}

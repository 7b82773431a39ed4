// Events (series): what an organiser writes, with its organisers and commitments; and what the
// organisers' list shows of each.
import { type Selectable, sql } from 'kysely';
import { insertNumbered, referenceNumber } from '../../../platform/db/reference.ts';
import type { Database } from '../../../platform/db/schema.ts';
import type { LocalizedText } from '../../../platform/i18n/locales.ts';
import type { EventQuestion, EventStatus, EventType, RegistrationMode } from '../tables.ts';
import { anyOf, type Q } from './common.ts';
import { ACTIVE } from './registrations.ts';

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
  if (v.organisers.length)
    await db
      .insertInto('event_organisers')
      .values(v.organisers.map((organisation_id) => ({ event_id: eventId, organisation_id })))
      .execute();
  if (v.commitmentIds.length)
    await db
      .insertInto('event_commitments')
      .values(v.commitmentIds.map((commitment_id) => ({ event_id: eventId, commitment_id })))
      .execute();
}

export async function insertEvent(db: Q, v: EventValues & { year: number; createdBy: string | null }): Promise<{ id: number; reference: string }> {
  // ZJHK-V-2026-000123: V for 活動 (events), numbered by year of creation and row id.
  const saved = await insertNumbered(
    db,
    'events',
    (reference) =>
      db
        .insertInto('events')
        .values({ reference, ...eventColumns(v), created_by: v.createdBy })
        .returning('id')
        .executeTakeFirstOrThrow(),
    (id) => referenceNumber('ZJHK-V', v.year, id, 6),
  );
  await setLinks(db, saved.id, v);
  return saved;
}

export async function updateEvent(db: Q, id: number, v: EventValues, now: Date): Promise<void> {
  await db
    .updateTable('events')
    .set({ ...eventColumns(v), updated_at: now })
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
      .select(['o.event_id', sql<number>`count(distinct o.id)::int`.as('occurrences'), sql<number>`count(r.id) filter (where r.state = ${anyOf(ACTIVE)})::int`.as('registrations')])
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

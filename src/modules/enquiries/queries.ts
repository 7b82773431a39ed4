import { createHash } from 'node:crypto';
import { type ExpressionBuilder, type Kysely, type Selectable, sql, type Transaction, type Updateable } from 'kysely';
import { canonical } from '../../platform/canonical.ts';
import { json } from '../../platform/db/index.ts';
import type { Database } from '../../platform/db/schema.ts';
import type {
  EnquiriesTable,
  EnquiryEventKind,
  EnquiryEventsTable,
  EnquiryLocale,
  EnquiryOutcome,
  EnquiryState,
  EnquiryType,
} from './tables.ts';
import type { LocalizedText } from '../../platform/i18n/locales.ts';

type Q = Kysely<Database> | Transaction<Database>;

// ---------------------------------------------------------------------------------------------------
// Topics and settings

export interface Topic {
  key: string;
  name: LocalizedText;
  category: string | null;
  agencyId: string;
  defaultAgencyId: string;
  position: number;
}

export async function findTopics(db: Q): Promise<Topic[]> {
  const rows = await db.selectFrom('enquiry_topics').select(['key', 'name', 'category', 'agency_id', 'default_agency_id', 'position']).orderBy('position').execute();
  return rows.map((r) => ({ key: r.key, name: r.name, category: r.category, agencyId: r.agency_id, defaultAgencyId: r.default_agency_id, position: r.position }));
}

/**
 * Loads a topic from the reference file: a new topic is routed to the file's agency; an existing one
 * follows a changed default only if nobody changed its routing on the platform.
 */
export async function upsertTopic(db: Q, t: Omit<Topic, 'agencyId'>): Promise<'created' | 'updated' | 'unchanged'> {
  const existing = (await findTopics(db)).find((x) => x.key === t.key);
  if (!existing) {
    await db
      .insertInto('enquiry_topics')
      .values({ key: t.key, name: json(t.name), category: t.category, agency_id: t.defaultAgencyId, default_agency_id: t.defaultAgencyId, position: t.position })
      .execute();
    return 'created';
  }
  const same = JSON.stringify(canonical(existing.name)) === JSON.stringify(canonical(t.name)) && existing.category === t.category && existing.defaultAgencyId === t.defaultAgencyId && existing.position === t.position;
  if (same) return 'unchanged';
  await db
    .updateTable('enquiry_topics')
    .set({
      name: json(t.name),
      category: t.category,
      position: t.position,
      default_agency_id: t.defaultAgencyId,
      ...(existing.agencyId === existing.defaultAgencyId ? { agency_id: t.defaultAgencyId } : {}),
    })
    .where('key', '=', t.key)
    .execute();
  return 'updated';
}

export async function setTopicAgency(db: Q, key: string, agencyId: string, userId: string | null): Promise<void> {
  await db.updateTable('enquiry_topics').set({ agency_id: agencyId, updated_by: userId, updated_at: new Date() }).where('key', '=', key).execute();
}

export interface Settings {
  limits: Record<EnquiryType, number>;
  extensionCap: number;
  warningLead: number;
  purgeMonths: number;
}

export const DEFAULT_SETTINGS: Settings = { limits: { enquiry: 3, help: 5, complaint: 7 }, extensionCap: 20, warningLead: 1, purgeMonths: 24 };

function settingsColumns(s: Settings) {
  return { limit_enquiry: s.limits.enquiry, limit_help: s.limits.help, limit_complaint: s.limits.complaint, extension_cap: s.extensionCap, warning_lead: s.warningLead, purge_months: s.purgeMonths };
}

/** Writes the defaults unless settings exist (every start). */
export async function ensureSettings(db: Q): Promise<boolean> {
  const row = await db.insertInto('enquiry_settings').values(settingsColumns(DEFAULT_SETTINGS)).onConflict((oc) => oc.doNothing()).returning('id').executeTakeFirst();
  return row !== undefined;
}

export async function findSettings(db: Q): Promise<Settings> {
  const r = await db.selectFrom('enquiry_settings').selectAll().executeTakeFirst();
  if (!r) return DEFAULT_SETTINGS;
  return { limits: { enquiry: r.limit_enquiry, help: r.limit_help, complaint: r.limit_complaint }, extensionCap: r.extension_cap, warningLead: r.warning_lead, purgeMonths: r.purge_months };
}

export async function saveSettings(db: Q, s: Settings, userId: string | null): Promise<void> {
  await db.updateTable('enquiry_settings').set({ ...settingsColumns(s), updated_by: userId, updated_at: new Date() }).where('id', '=', true).execute();
}

// ---------------------------------------------------------------------------------------------------
// Cases

export interface Enquiry {
  id: number;
  reference: string;
  type: EnquiryType;
  topicKey: string;
  subject: string | null;
  description: string | null;
  locale: EnquiryLocale;
  name: string | null;
  email: string | null;
  phone: string | null;
  userId: string | null;
  agencyId: string | null;
  side: 'hong-kong' | 'zhejiang' | 'other';
  state: EnquiryState;
  receivedOn: string;
  timeLimit: number;
  extensionDays: number;
  pausedDays: number;
  pausedSince: string | null;
  dueOn: string;
  refusals: number;
  escalatedAt: Date | null;
  closedOn: string | null;
  outcome: EnquiryOutcome | null;
  workingDaysTaken: number | null;
  onTime: boolean | null;
  satisfaction: number | null;
  satisfactionComment: string | null;
  purgedAt: Date | null;
  version: number;
  createdAt: Date;
}

function toEnquiry(r: Selectable<EnquiriesTable>): Enquiry {
  return {
    id: r.id,
    reference: r.reference,
    type: r.type,
    topicKey: r.topic_key,
    subject: r.subject,
    description: r.description,
    locale: r.locale,
    name: r.name,
    email: r.email,
    phone: r.phone,
    userId: r.user_id,
    agencyId: r.agency_id,
    side: r.side,
    state: r.state,
    receivedOn: r.received_on,
    timeLimit: r.time_limit,
    extensionDays: r.extension_days,
    pausedDays: r.paused_days,
    pausedSince: r.paused_since,
    dueOn: r.due_on,
    refusals: r.refusals,
    escalatedAt: r.escalated_at,
    closedOn: r.closed_on,
    outcome: r.outcome,
    workingDaysTaken: r.working_days_taken,
    onTime: r.on_time,
    satisfaction: r.satisfaction,
    satisfactionComment: r.satisfaction_comment,
    purgedAt: r.purged_at,
    version: r.version,
    createdAt: r.created_at,
  };
}

/** Numbers references by year of receipt and row id: ZJHK-E-2026-000123. */
export function enquiryReference(year: number, id: number): string {
  return `ZJHK-E-${year}-${String(id).padStart(6, '0')}`;
}

export interface NewEnquiry {
  type: EnquiryType;
  topicKey: string;
  subject: string;
  description: string;
  locale: EnquiryLocale;
  name: string;
  email: string;
  phone: string | null;
  userId: string | null;
  agencyId: string;
  side: 'hong-kong' | 'zhejiang' | 'other';
  receivedOn: string;
  timeLimit: number;
  dueOn: string;
}

export async function insertEnquiry(db: Q, e: NewEnquiry): Promise<{ id: number; reference: string }> {
  const row = await db
    .insertInto('enquiries')
    .values({
      reference: `pending-${crypto.randomUUID()}`,
      type: e.type,
      topic_key: e.topicKey,
      subject: e.subject,
      description: e.description,
      locale: e.locale,
      name: e.name,
      email: e.email,
      phone: e.phone,
      user_id: e.userId,
      agency_id: e.agencyId,
      side: e.side,
      received_on: e.receivedOn,
      time_limit: e.timeLimit,
      due_on: e.dueOn,
    })
    .returning('id')
    .executeTakeFirstOrThrow();
  const reference = enquiryReference(Number(e.receivedOn.slice(0, 4)), row.id);
  await db.updateTable('enquiries').set({ reference }).where('id', '=', row.id).execute();
  return { id: row.id, reference };
}

export async function findEnquiry(db: Q, id: number): Promise<Enquiry | undefined> {
  const row = await db.selectFrom('enquiries').selectAll().where('id', '=', id).executeTakeFirst();
  return row ? toEnquiry(row) : undefined;
}

export async function findEnquiryByReference(db: Q, reference: string): Promise<Enquiry | undefined> {
  const row = await db.selectFrom('enquiries').selectAll().where('reference', '=', reference).executeTakeFirst();
  return row ? toEnquiry(row) : undefined;
}

export type CaseColumns = Omit<Updateable<EnquiriesTable>, 'id' | 'reference' | 'version' | 'created_at' | 'updated_at'>;

/**
 * Changes a case only if it is still at the version the person saw: two officers (or one double
 * click) cannot both act on the same state. False when it changed in the meantime.
 */
export async function updateCase(db: Q, id: number, seenVersion: number, changes: CaseColumns): Promise<boolean> {
  const result = await db
    .updateTable('enquiries')
    .set({ ...changes, version: sql<number>`version + 1`, updated_at: new Date() })
    .where('id', '=', id)
    .where('version', '=', seenVersion)
    .executeTakeFirst();
  return result.numUpdatedRows > 0n;
}

// ---------------------------------------------------------------------------------------------------
// The queue

export interface QueueFilter {
  /** Cases handled by these agencies (officers). */
  agencyIds?: string[];
  /** Cases of this side (coordinators), and every case with the coordinators. */
  sides?: ('hong-kong' | 'zhejiang')[];
  withCoordinators?: boolean;
  state?: EnquiryState | undefined;
  type?: EnquiryType | undefined;
  /** Open cases due before this day. */
  overdueOn?: string | undefined;
}

export interface QueueRow {
  id: number;
  reference: string;
  type: EnquiryType;
  topicKey: string;
  subject: string | null;
  agencyId: string | null;
  state: EnquiryState;
  receivedOn: string;
  dueOn: string;
  escalated: boolean;
}

/**
 * One predicate per place the person looks (their agencies, their side, the coordinators' tray),
 * joined with OR: each matches an index that leads with it, and the database can combine them.
 */
function scoped(filter: QueueFilter) {
  return (eb: ExpressionBuilder<Database, 'enquiries'>) => {
    const places = [];
    if (filter.agencyIds?.length) places.push(eb('agency_id', 'in', filter.agencyIds));
    if (filter.sides?.length) places.push(eb('side', 'in', filter.sides));
    if (filter.withCoordinators) places.push(eb('state', '=', 'with-coordinators'));
    const conditions = [places.length ? eb.or(places) : sql<boolean>`false`];
    if (filter.state) conditions.push(eb('state', '=', filter.state));
    else conditions.push(eb('state', '<>', 'closed'));
    if (filter.type) conditions.push(eb('type', '=', filter.type));
    if (filter.overdueOn) conditions.push(eb.and([eb('due_on', '<', filter.overdueOn), eb('state', '=', 'open')]));
    return eb.and(conditions);
  };
}

/**
 * The references of the cases a person may open (the rule `enquiry.view` in SQL): those handled by
 * their agencies, their side's, and, for coordinators, those with the coordinators. The audit page
 * shows a case's entries only to them.
 */
export function visibleCaseReferences(db: Kysely<Database>, who: { agencyIds: string[]; sides: ('hong-kong' | 'zhejiang')[]; coordinator: boolean }) {
  return db
    .selectFrom('enquiries')
    .select('reference as id')
    .where((eb) => {
      const places = [];
      if (who.agencyIds.length) places.push(eb('agency_id', 'in', who.agencyIds));
      if (who.sides.length) places.push(eb('side', 'in', who.sides));
      if (who.coordinator) places.push(eb('state', '=', 'with-coordinators'));
      return places.length ? eb.or(places) : sql<boolean>`false`;
    });
}

/** A page of the queue, soonest due first (closed cases: most recently closed first). */
export async function findQueue(db: Q, filter: QueueFilter, page: { limit: number; offset: number }): Promise<QueueRow[]> {
  let query = db
    .selectFrom('enquiries')
    .select(['id', 'reference', 'type', 'topic_key', 'subject', 'agency_id', 'state', 'received_on', 'due_on', 'escalated_at'])
    .where(scoped(filter));
  query = filter.state === 'closed' ? query.orderBy('closed_on', 'desc').orderBy('id', 'desc') : query.orderBy('due_on').orderBy('id');
  const rows = await query.limit(page.limit).offset(page.offset).execute();
  return rows.map((r) => ({
    id: r.id,
    reference: r.reference,
    type: r.type,
    topicKey: r.topic_key,
    subject: r.subject,
    agencyId: r.agency_id,
    state: r.state,
    receivedOn: r.received_on,
    dueOn: r.due_on,
    escalated: r.escalated_at !== null,
  }));
}

/** How many cases the filter finds. */
export async function countQueue(db: Q, filter: QueueFilter): Promise<number> {
  const row = await db
    .selectFrom('enquiries')
    .select(sql<string>`count(*)`.as('n'))
    .where(scoped(filter))
    .executeTakeFirstOrThrow();
  return Number(row.n);
}

/** The counts above the queue: open cases per state, and how many are overdue. */
export async function countOpenByState(db: Q, filter: Pick<QueueFilter, 'agencyIds' | 'sides' | 'withCoordinators'>, today: string): Promise<Record<EnquiryState | 'overdue', number>> {
  const rows = await db
    .selectFrom('enquiries')
    .select(['state', sql<string>`count(*)`.as('n'), sql<string>`count(*) filter (where state = 'open' and due_on < ${today})`.as('overdue')])
    .where(scoped(filter))
    .groupBy('state')
    .execute();
  const counts = { open: 0, 'awaiting-citizen': 0, 'with-coordinators': 0, closed: 0, overdue: 0 };
  for (const r of rows) {
    counts[r.state] = Number(r.n);
    counts.overdue += Number(r.overdue);
  }
  return counts;
}

/** A signed-in person's own cases, newest first. */
export async function findEnquiriesOfUser(db: Q, userId: string): Promise<QueueRow[]> {
  const rows = await db
    .selectFrom('enquiries')
    .select(['id', 'reference', 'type', 'topic_key', 'subject', 'agency_id', 'state', 'received_on', 'due_on', 'escalated_at'])
    .where('user_id', '=', userId)
    .orderBy('id', 'desc')
    .limit(200)
    .execute();
  return rows.map((r) => ({ id: r.id, reference: r.reference, type: r.type, topicKey: r.topic_key, subject: r.subject, agencyId: r.agency_id, state: r.state, receivedOn: r.received_on, dueOn: r.due_on, escalated: r.escalated_at !== null }));
}

// ---------------------------------------------------------------------------------------------------
// Timeline and attachments

export interface CaseEvent {
  id: number;
  kind: EnquiryEventKind;
  actor: 'citizen' | 'officer' | 'coordinator' | 'system';
  userId: string | null;
  userName: string | null;
  organisationId: string | null;
  toOrganisationId: string | null;
  body: string | null;
  days: number | null;
  outcome: EnquiryOutcome | null;
  visibleToCitizen: boolean;
  createdAt: Date;
  attachments: CaseFile[];
}

export interface CaseFile {
  id: string;
  name: string;
  size: number;
  mediaType: string;
}

export type NewEvent = Omit<Selectable<EnquiryEventsTable>, 'id' | 'enquiry_id' | 'created_at'>;

export async function insertEvent(db: Q, enquiryId: number, e: NewEvent): Promise<number> {
  const row = await db
    .insertInto('enquiry_events')
    .values({ enquiry_id: enquiryId, ...e })
    .returning('id')
    .executeTakeFirstOrThrow();
  return row.id;
}

export async function attachFiles(db: Q, enquiryId: number, eventId: number, fileIds: string[]): Promise<void> {
  if (fileIds.length) await db.insertInto('enquiry_attachments').values(fileIds.map((file_id) => ({ enquiry_id: enquiryId, event_id: eventId, file_id }))).execute();
}

/** A case's timeline, oldest first: all of it, or what the citizen may see. */
export async function findEvents(db: Q, enquiryId: number, options: { citizen: boolean }): Promise<CaseEvent[]> {
  let query = db
    .selectFrom('enquiry_events as e')
    .leftJoin('users as u', 'u.id', 'e.user_id')
    .select(['e.id', 'e.kind', 'e.actor', 'e.user_id', 'u.display_name', 'e.organisation_id', 'e.to_organisation_id', 'e.body', 'e.days', 'e.outcome', 'e.visible_to_citizen', 'e.created_at'])
    .where('e.enquiry_id', '=', enquiryId);
  if (options.citizen) query = query.where('e.visible_to_citizen', '=', true);
  const rows = await query.orderBy('e.id').execute();
  const files = await db
    .selectFrom('enquiry_attachments as a')
    .innerJoin('files as f', 'f.id', 'a.file_id')
    .select(['a.event_id', 'f.id', 'f.name', 'f.size', 'f.media_type'])
    .where('a.enquiry_id', '=', enquiryId)
    .orderBy('f.created_at')
    .execute();
  return rows.map((r) => ({
    id: r.id,
    kind: r.kind,
    actor: r.actor,
    userId: r.user_id,
    userName: r.display_name,
    organisationId: r.organisation_id,
    toOrganisationId: r.to_organisation_id,
    body: r.body,
    days: r.days,
    outcome: r.outcome as EnquiryOutcome | null,
    visibleToCitizen: r.visible_to_citizen,
    createdAt: r.created_at,
    attachments: files.filter((f) => f.event_id === r.id).map((f) => ({ id: f.id, name: f.name, size: f.size, mediaType: f.media_type })),
  }));
}

/** A file of a case, and whether the citizen may see it (the event it came with is visible to them). */
export async function findCaseFile(db: Q, enquiryId: number, fileId: string): Promise<{ visibleToCitizen: boolean } | undefined> {
  const row = await db
    .selectFrom('enquiry_attachments as a')
    .innerJoin('enquiry_events as e', 'e.id', 'a.event_id')
    .select('e.visible_to_citizen')
    .where('a.enquiry_id', '=', enquiryId)
    .where('a.file_id', '=', fileId)
    .executeTakeFirst();
  return row ? { visibleToCitizen: row.visible_to_citizen } : undefined;
}

// ---------------------------------------------------------------------------------------------------
// People to tell

export interface Recipient {
  userId: string;
  email: string;
  name: string;
  locale: EnquiryLocale;
  /** The agencies (officers) or coordinating organisations they act for here, and their sides. */
  organisationIds: string[];
  sides: ('hong-kong' | 'zhejiang' | 'other')[];
}

/** Active officers and coordinators with a verified address, of some agencies or of some sides' coordinators. */
export async function findStaff(db: Q, who: { officersOf?: string[]; coordinatorsOf?: ('hong-kong' | 'zhejiang')[] }): Promise<Recipient[]> {
  const officers = who.officersOf ?? [];
  const sides = who.coordinatorsOf ?? [];
  if (officers.length === 0 && sides.length === 0) return [];
  const rows = await db
    .selectFrom('users as u')
    .innerJoin('user_roles as r', 'r.user_id', 'u.id')
    .innerJoin('organisations as o', 'o.id', 'r.organisation_id')
    .select(['u.id', 'u.email', 'u.display_name', 'u.locale', 'r.organisation_id', 'o.side'])
    .where('u.disabled_at', 'is', null)
    .where('u.email_verified_at', 'is not', null)
    .where((eb) =>
      eb.or([
        ...(officers.length ? [eb.and([eb('r.role', '=', 'agency-officer'), eb('r.organisation_id', 'in', officers)])] : []),
        ...(sides.length ? [eb.and([eb('r.role', '=', 'custodian-coordinator'), eb('o.side', 'in', sides)])] : []),
      ]),
    )
    .orderBy('u.id')
    .execute();
  const people = new Map<string, Recipient>();
  for (const r of rows) {
    const person = people.get(r.id) ?? { userId: r.id, email: r.email, name: r.display_name, locale: r.locale, organisationIds: [], sides: [] };
    person.organisationIds.push(r.organisation_id as string);
    if (!person.sides.includes(r.side)) person.sides.push(r.side);
    people.set(r.id, person);
  }
  return [...people.values()];
}

// ---------------------------------------------------------------------------------------------------
// Tracking codes and sessions

export const sha256 = (text: string): string => createHash('sha256').update(text).digest('hex');

export async function countRecentCodes(db: Q, enquiryId: number, since: Date): Promise<number> {
  const row = await db.selectFrom('enquiry_track_codes').select(sql<string>`count(*)`.as('n')).where('enquiry_id', '=', enquiryId).where('created_at', '>=', since).executeTakeFirstOrThrow();
  return Number(row.n);
}

export async function insertTrackCode(db: Q, c: { enquiryId: number; codeHash: string; salt: string; expiresAt: Date }): Promise<void> {
  await db.insertInto('enquiry_track_codes').values({ enquiry_id: c.enquiryId, code_hash: c.codeHash, salt: c.salt, expires_at: c.expiresAt }).execute();
}

export interface TrackCode {
  id: number;
  codeHash: string;
  salt: string;
  expiresAt: Date;
  attempts: number;
  usedAt: Date | null;
}

/** The newest code sent for a case (only the newest counts: asking for a new one retires the others). */
export async function findNewestCode(db: Q, enquiryId: number): Promise<TrackCode | undefined> {
  const row = await db
    .selectFrom('enquiry_track_codes')
    .select(['id', 'code_hash', 'salt', 'expires_at', 'attempts', 'used_at'])
    .where('enquiry_id', '=', enquiryId)
    .orderBy('id', 'desc')
    .limit(1)
    .executeTakeFirst();
  return row ? { id: row.id, codeHash: row.code_hash, salt: row.salt, expiresAt: row.expires_at, attempts: row.attempts, usedAt: row.used_at } : undefined;
}

/** Counts an attempt at a code, if it has attempts left; false when it has none. */
export async function spendAttempt(db: Q, codeId: number, maxAttempts: number): Promise<boolean> {
  const result = await db.updateTable('enquiry_track_codes').set({ attempts: sql<number>`attempts + 1` }).where('id', '=', codeId).where('attempts', '<', maxAttempts).executeTakeFirst();
  return result.numUpdatedRows > 0n;
}

export async function useCode(db: Q, codeId: number): Promise<boolean> {
  const result = await db.updateTable('enquiry_track_codes').set({ used_at: new Date() }).where('id', '=', codeId).where('used_at', 'is', null).executeTakeFirst();
  return result.numUpdatedRows > 0n;
}

export async function insertTrackSession(db: Q, s: { tokenHash: string; enquiryId: number; expiresAt: Date }): Promise<void> {
  await db.insertInto('enquiry_track_sessions').values({ token_hash: s.tokenHash, enquiry_id: s.enquiryId, expires_at: s.expiresAt }).execute();
}

export async function findTrackSession(db: Q, tokenHash: string, now: Date): Promise<number | undefined> {
  const row = await db.selectFrom('enquiry_track_sessions').select('enquiry_id').where('token_hash', '=', tokenHash).where('expires_at', '>', now).executeTakeFirst();
  return row?.enquiry_id;
}

/** Removes sessions and codes that can no longer be used. */
export async function removeExpiredTracking(db: Q, now: Date): Promise<number> {
  const sessions = await db.deleteFrom('enquiry_track_sessions').where('expires_at', '<=', now).executeTakeFirst();
  const codes = await db.deleteFrom('enquiry_track_codes').where('expires_at', '<=', new Date(now.getTime() - 24 * 3600_000)).executeTakeFirst();
  return Number(sessions.numDeletedRows) + Number(codes.numDeletedRows);
}

// ---------------------------------------------------------------------------------------------------
// Scheduled work

export interface DueCase {
  id: number;
  reference: string;
  topicKey: string;
  agencyId: string;
  side: 'hong-kong' | 'zhejiang' | 'other';
  subject: string | null;
  dueOn: string;
  version: number;
}

/** Open cases (the clock running) due on or before a day, soonest first. */
export async function findOpenDueBy(db: Q, dueBy: string, options: { notEscalated?: boolean; before?: boolean } = {}): Promise<DueCase[]> {
  let query = db
    .selectFrom('enquiries')
    .select(['id', 'reference', 'topic_key', 'agency_id', 'side', 'subject', 'due_on', 'version'])
    .where('state', '=', 'open')
    .where('due_on', options.before ? '<' : '<=', dueBy);
  if (options.notEscalated) query = query.where('escalated_at', 'is', null);
  const rows = await query.orderBy('due_on').orderBy('id').execute();
  return rows.map((r) => ({ id: r.id, reference: r.reference, topicKey: r.topic_key, agencyId: r.agency_id as string, side: r.side, subject: r.subject, dueOn: r.due_on, version: r.version }));
}

/** Claims a person's digest for a day; false when they had it already. */
export async function claimDigest(db: Q, userId: string, day: string): Promise<boolean> {
  const row = await db.insertInto('enquiry_digests').values({ user_id: userId, sent_on: day }).onConflict((oc) => oc.doNothing()).returning('user_id').executeTakeFirst();
  return row !== undefined;
}

/** Closed cases not yet purged whose closing is older than a moment, oldest first. */
export async function findPurgeable(db: Q, closedBefore: Date, limit: number): Promise<{ id: number; reference: string }[]> {
  return await db
    .selectFrom('enquiries')
    .select(['id', 'reference'])
    .where('state', '=', 'closed')
    .where('purged_at', 'is', null)
    .where('closed_at', '<', closedBefore)
    .orderBy('closed_at')
    .orderBy('id')
    .limit(limit)
    .execute();
}

/**
 * Empties a closed case of personal data: who sent it, what they and the officers wrote, their
 * files, the comment with their rating. What the statistics count stays. Returns the removed files.
 */
export async function purgeCase(db: Q, id: number, now: Date): Promise<string[]> {
  const files = await db.deleteFrom('enquiry_attachments').where('enquiry_id', '=', id).returning('file_id').execute();
  const fileIds = files.map((f) => f.file_id);
  if (fileIds.length) await db.deleteFrom('files').where('id', 'in', fileIds).execute();
  await db.updateTable('enquiry_events').set({ body: null }).where('enquiry_id', '=', id).execute();
  await db.deleteFrom('enquiry_track_codes').where('enquiry_id', '=', id).execute();
  await db.deleteFrom('enquiry_track_sessions').where('enquiry_id', '=', id).execute();
  await db
    .updateTable('enquiries')
    .set({ subject: null, description: null, name: null, email: null, phone: null, user_id: null, satisfaction_comment: null, purged_at: now, version: sql<number>`version + 1`, updated_at: now })
    .where('id', '=', id)
    .where('state', '=', 'closed')
    .execute();
  return fileIds;
}

// ---------------------------------------------------------------------------------------------------
// Statistics

export interface StatisticsRow {
  agencyId: string | null;
  month: string;
  received: number;
  closed: number;
  closedOnTime: number;
  medianWorkingDays: number | null;
  averageSatisfaction: number | null;
  ratings: number;
}

/**
 * Per month (or for the whole year) and per handling agency (unless `overall`): cases received that month, and of those
 * closed that month how many within their time limit, the median working days taken and the average
 * satisfaction. Purged cases count like the others. A transferred case counts for the agency that
 * handles it now (the one that closed it).
 */
export async function findStatistics(db: Q, options: { year: number; agencyId?: string | undefined; overall?: boolean; wholeYear?: boolean }): Promise<StatisticsRow[]> {
  const from = `${options.year}-01-01`;
  const to = `${options.year}-12-31`;
  const agency = options.agencyId ? sql`and agency_id = ${options.agencyId}` : sql``;
  const key = options.overall ? sql`null::text` : sql`agency_id`;
  const period = sql.lit(options.wholeYear ? 'YYYY' : 'YYYY-MM');
  const result = await sql<{ agency_id: string | null; month: string; received: string | null; closed: string | null; on_time: string | null; median: number | string | null; satisfaction: number | string | null; ratings: string | null }>`
    with received as (
      select ${key} as agency_id, to_char(received_on, ${period}) as month, count(*) as received
      from enquiries where received_on between ${from}::date and ${to}::date ${agency}
      group by 1, 2
    ), closed as (
      select ${key} as agency_id, to_char(closed_on, ${period}) as month, count(*) as closed,
        count(*) filter (where on_time) as on_time,
        percentile_cont(0.5) within group (order by working_days_taken) as median,
        avg(satisfaction) as satisfaction, count(satisfaction) as ratings
      from enquiries where state = 'closed' and closed_on between ${from}::date and ${to}::date ${agency}
      group by 1, 2
    )
    select coalesce(r.agency_id, c.agency_id) as agency_id, coalesce(r.month, c.month) as month, r.received, c.closed, c.on_time, c.median, c.satisfaction, c.ratings
    from received r full outer join closed c on r.month = c.month and r.agency_id is not distinct from c.agency_id
    order by 1 nulls last, 2`.execute(db);
  return result.rows.map((r) => ({
    agencyId: r.agency_id,
    month: r.month,
    received: Number(r.received ?? 0),
    closed: Number(r.closed ?? 0),
    closedOnTime: Number(r.on_time ?? 0),
    medianWorkingDays: r.median === null ? null : Number(r.median),
    averageSatisfaction: r.satisfaction === null ? null : Math.round(Number(r.satisfaction) * 100) / 100,
    ratings: Number(r.ratings ?? 0),
  }));
}

/** The first and last years with cases (read from the index on the received day), or undefined. */
export async function findStatisticsYears(db: Q): Promise<{ first: number; last: number } | undefined> {
  const row = await db.selectFrom('enquiries').select([sql<string | null>`min(received_on)`.as('first'), sql<string | null>`max(received_on)`.as('last')]).executeTakeFirstOrThrow();
  return row.first && row.last ? { first: Number(row.first.slice(0, 4)), last: Number(row.last.slice(0, 4)) } : undefined;
}

/** Deletes the record of which officer got a deadline digest on which day, for days before `before` ('YYYY-MM-DD'): it only stops a second digest the same day. */
export async function deleteDigestsBefore(db: Q, before: string): Promise<number> {
  const result = await db.deleteFrom('enquiry_digests').where('sent_on', '<', before).executeTakeFirst();
  return Number(result.numDeletedRows);
}

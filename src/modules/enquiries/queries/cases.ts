// Cases: one enquiry each, changed only at the version the person saw; those falling due; the purge.
import { type Kysely, type Selectable, sql, type Transaction, type Updateable } from 'kysely';
import { insertNumbered, referenceNumber } from '../../../platform/db/reference.ts';
import type { Database } from '../../../platform/db/schema.ts';
import type { EnquiriesTable, EnquiryLocale, EnquiryOutcome, EnquiryState, EnquiryType } from '../tables.ts';

type Q = Kysely<Database> | Transaction<Database>;

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

/** Inserts a case, its reference numbered by year of receipt and row id: ZJHK-E-2026-000123. */
export async function insertEnquiry(db: Q, e: NewEnquiry): Promise<{ id: number; reference: string }> {
  return insertNumbered(
    db,
    'enquiries',
    (reference) =>
      db
        .insertInto('enquiries')
        .values({
          reference,
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
        .executeTakeFirstOrThrow(),
    (id) => referenceNumber('ZJHK-E', Number(e.receivedOn.slice(0, 4)), id, 6),
  );
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
export async function updateCase(db: Q, id: number, seenVersion: number, changes: CaseColumns, now: Date): Promise<boolean> {
  const result = await db
    .updateTable('enquiries')
    .set({ ...changes, version: sql<number>`version + 1`, updated_at: now })
    .where('id', '=', id)
    .where('version', '=', seenVersion)
    .executeTakeFirst();
  return result.numUpdatedRows > 0n;
}

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

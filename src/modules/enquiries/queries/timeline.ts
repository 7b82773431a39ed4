// A case's timeline and its attachments.
import type { Kysely, Selectable, Transaction } from 'kysely';
import type { Database } from '../../../platform/db/schema.ts';
import type { EnquiryEventKind, EnquiryEventsTable, EnquiryOutcome } from '../tables.ts';

type Q = Kysely<Database> | Transaction<Database>;

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
  if (fileIds.length)
    await db
      .insertInto('enquiry_attachments')
      .values(fileIds.map((file_id) => ({ enquiry_id: enquiryId, event_id: eventId, file_id })))
      .execute();
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

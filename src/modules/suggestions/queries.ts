import { type Kysely, type RawBuilder, type Selectable, type SqlBool, sql, type Transaction, type Updateable } from 'kysely';
import { insertNumbered, referenceNumber } from '../../platform/db/reference.ts';
import type { Database } from '../../platform/db/schema.ts';
import type { SubmitterType, SuggestionLocale, SuggestionSource, SuggestionState, SuggestionsTable } from './tables.ts';
import type { LocalizedText } from '../../platform/i18n/locales.ts';
import { SUGGESTION_STATES } from './schemas.ts';

type Q = Kysely<Database> | Transaction<Database>;

/** `column = any($1)`: a list as one array parameter. */
function anyOf<T extends number | string>(values: readonly T[]) {
  return sql<T>`any(${values}::${sql.raw(typeof values[0] === 'string' ? 'text[]' : 'int[]')})`;
}

// ---------------------------------------------------------------------------------------------------
// Suggestions

export interface NewSuggestion {
  topic: string | null;
  commitmentId: number | null;
  language: SuggestionLocale;
  title: string;
  body: string;
  submitterType: SubmitterType;
  submitterName: string | null;
  submitterOrganisation: string | null;
  submitterEmail: string | null;
  userId: string | null;
  source: SuggestionSource | null;
  sourceRef: string | null;
}

export async function insertSuggestion(db: Q, s: NewSuggestion & { year: number }): Promise<{ id: number; reference: string }> {
  const insert = (reference: string) =>
    db
      .insertInto('suggestions')
      .values({
        reference,
        topic: s.topic,
        commitment_id: s.commitmentId,
        language: s.language,
        title: s.title,
        body: s.body,
        submitter_type: s.submitterType,
        submitter_name: s.submitterName,
        submitter_organisation: s.submitterOrganisation,
        submitter_email: s.submitterEmail,
        user_id: s.userId,
        source: s.source,
        source_ref: s.sourceRef,
      })
      .returning('id')
      .executeTakeFirstOrThrow();
  // Numbered by year of receipt and row id: ZJHK-S-2026-000123.
  return insertNumbered(db, 'suggestions', insert, (id) => referenceNumber('ZJHK-S', s.year, id, 6));
}

/** The people who made the same suggestion: itself and every suggestion merged into it. */
const supporters = sql<number>`1 + (select count(*)::int from suggestions m where m.merged_into_id = s.id)`;

/** What anyone may see of a published suggestion: its checked public copy, never the submitter. */
export interface PublicSuggestion {
  id: number;
  reference: string;
  state: 'published' | 'responded';
  topic: string | null;
  commitmentId: number | null;
  language: SuggestionLocale;
  title: string;
  body: string;
  responsibleAgency: string;
  response: LocalizedText | null;
  receivedAt: Date;
  publishedAt: Date;
  respondedAt: Date | null;
  supporters: number;
}

export interface PublicFilter {
  states?: readonly ('published' | 'responded')[];
  topic?: string;
  commitmentIds?: readonly number[];
  references?: readonly string[];
  limit: number;
  offset: number;
}

/** The conditions of a filter, as one expression any query over `suggestions as s` can take. */
function conditions(parts: RawBuilder<SqlBool>[]) {
  return sql<SqlBool>`${sql.join(parts, sql` and `)}`;
}

function publicCondition(f: Omit<PublicFilter, 'limit' | 'offset'>) {
  return conditions([
    sql<SqlBool>`s.state = ${anyOf(f.states?.length ? f.states : ['published', 'responded'])}`,
    ...(f.topic ? [sql<SqlBool>`s.topic = ${f.topic}`] : []),
    ...(f.commitmentIds ? [sql<SqlBool>`s.commitment_id = ${anyOf(f.commitmentIds.length ? f.commitmentIds : [0])}`] : []),
    ...(f.references ? [sql<SqlBool>`s.reference = ${anyOf(f.references.length ? f.references : [''])}`] : []),
  ]);
}

/** Published and responded suggestions, the most recently published first, with how many match. */
export async function findPublicSuggestions(db: Q, f: PublicFilter): Promise<{ rows: PublicSuggestion[]; total: number }> {
  const [rows, count] = await Promise.all([
    db
      .selectFrom('suggestions as s')
      .where(publicCondition(f))
      .select([
        's.id',
        's.reference',
        's.state',
        's.topic',
        's.commitment_id',
        's.language',
        's.public_title',
        's.public_body',
        's.responsible_agency',
        's.response',
        's.received_at',
        's.moderated_at',
        's.responded_at',
      ])
      .select(supporters.as('supporters'))
      .orderBy('s.moderated_at', 'desc')
      .orderBy('s.id', 'desc')
      .limit(f.limit)
      .offset(f.offset)
      .execute(),
    db
      .selectFrom('suggestions as s')
      .where(publicCondition(f))
      .select((eb) => eb.fn.countAll<number>().as('n'))
      .executeTakeFirstOrThrow(),
  ]);
  return {
    total: Number(count.n),
    rows: rows.map((r) => ({
      id: r.id,
      reference: r.reference,
      state: r.state as PublicSuggestion['state'],
      topic: r.topic,
      commitmentId: r.commitment_id,
      language: r.language,
      title: r.public_title ?? '',
      body: r.public_body ?? '',
      responsibleAgency: r.responsible_agency ?? '',
      response: r.response,
      receivedAt: r.received_at,
      publishedAt: r.moderated_at ?? r.received_at,
      respondedAt: r.responded_at,
      supporters: Number(r.supporters),
    })),
  };
}

/** Everything about a suggestion, personal data included: for coordinators and the responsible agency. */
export interface Suggestion {
  id: number;
  reference: string;
  state: SuggestionState;
  topic: string | null;
  commitmentId: number | null;
  language: SuggestionLocale;
  /** The original, as sent (null once purged). */
  title: string | null;
  body: string | null;
  submitterType: SubmitterType;
  submitterName: string | null;
  submitterOrganisation: string | null;
  submitterEmail: string | null;
  userId: string | null;
  source: SuggestionSource | null;
  sourceRef: string | null;
  publicTitle: string | null;
  publicBody: string | null;
  responsibleAgency: string | null;
  mergedIntoId: number | null;
  mergedIntoReference: string | null;
  rejectReason: string | null;
  response: LocalizedText | null;
  receivedAt: Date;
  moderatedAt: Date | null;
  moderatedBy: string | null;
  respondedAt: Date | null;
  respondedBy: string | null;
  closedAt: Date | null;
  purgedAt: Date | null;
  supporters: number;
}

type Row = Selectable<SuggestionsTable> & { merged_into_reference: string | null; supporters: number };

function toSuggestion(r: Row): Suggestion {
  return {
    id: r.id,
    reference: r.reference,
    state: r.state,
    topic: r.topic,
    commitmentId: r.commitment_id,
    language: r.language,
    title: r.title,
    body: r.body,
    submitterType: r.submitter_type,
    submitterName: r.submitter_name,
    submitterOrganisation: r.submitter_organisation,
    submitterEmail: r.submitter_email,
    userId: r.user_id,
    source: r.source,
    sourceRef: r.source_ref,
    publicTitle: r.public_title,
    publicBody: r.public_body,
    responsibleAgency: r.responsible_agency,
    mergedIntoId: r.merged_into_id,
    mergedIntoReference: r.merged_into_reference,
    rejectReason: r.reject_reason,
    response: r.response,
    receivedAt: r.received_at,
    moderatedAt: r.moderated_at,
    moderatedBy: r.moderated_by,
    respondedAt: r.responded_at,
    respondedBy: r.responded_by,
    closedAt: r.closed_at,
    purgedAt: r.purged_at,
    supporters: Number(r.supporters),
  };
}

function fullSelect(db: Q) {
  return db
    .selectFrom('suggestions as s')
    .leftJoin('suggestions as target', 'target.id', 's.merged_into_id')
    .selectAll('s')
    .select(['target.reference as merged_into_reference'])
    .select(supporters.as('supporters'));
}

export async function findSuggestion(db: Q, reference: string): Promise<Suggestion | undefined> {
  const row = await fullSelect(db).where('s.reference', '=', reference).executeTakeFirst();
  return row ? toSuggestion(row as Row) : undefined;
}

export interface QueueFilter {
  states: readonly SuggestionState[];
  /** Officers see only the suggestions their agencies must respond to. */
  agencies?: readonly string[];
  limit: number;
  offset: number;
}

function queueCondition(f: Pick<QueueFilter, 'states' | 'agencies'>) {
  return conditions([
    sql<SqlBool>`s.state = ${anyOf(f.states.length ? f.states : ['received'])}`,
    ...(f.agencies ? [sql<SqlBool>`s.responsible_agency = ${anyOf(f.agencies.length ? f.agencies : [''])}`] : []),
  ]);
}

/**
 * The workspace queue: received suggestions first (oldest first, as they came in), then those
 * waiting for a response, then closed ones (most recently closed first).
 */
export async function findQueue(db: Q, f: QueueFilter): Promise<{ rows: Suggestion[]; total: number }> {
  const rank = sql<number>`case s.state when 'received' then 0 when 'published' then 1 else 2 end`;
  const [rows, count] = await Promise.all([
    fullSelect(db)
      .where(queueCondition(f))
      .orderBy(rank)
      .orderBy(sql`case when s.closed_at is null then s.received_at end`)
      .orderBy('s.closed_at', 'desc')
      .orderBy('s.id')
      .limit(f.limit)
      .offset(f.offset)
      .execute(),
    db
      .selectFrom('suggestions as s')
      .where(queueCondition(f))
      .select((eb) => eb.fn.countAll<number>().as('n'))
      .executeTakeFirstOrThrow(),
  ]);
  return { rows: rows.map((r) => toSuggestion(r as Row)), total: Number(count.n) };
}

/** How many suggestions are in each state (for an officer: of their agencies). */
export async function countByState(db: Q, agencies?: readonly string[]): Promise<Record<SuggestionState, number>> {
  const rows = await db
    .selectFrom('suggestions as s')
    .where(queueCondition({ states: SUGGESTION_STATES, ...(agencies ? { agencies } : {}) }))
    .select(['s.state', (eb) => eb.fn.countAll<number>().as('n')])
    .groupBy('s.state')
    .execute();
  const counts: Record<SuggestionState, number> = { received: 0, published: 0, responded: 0, rejected: 0, merged: 0 };
  for (const row of rows) counts[row.state] = Number(row.n);
  return counts;
}

/**
 * Moves a suggestion on only if it is still in one of the expected states: of two coordinators
 * deciding at the same time, one wins and the other is told.
 */
export async function moveSuggestion(db: Q, id: number, from: readonly SuggestionState[], changes: Updateable<SuggestionsTable>): Promise<boolean> {
  const result = await db.updateTable('suggestions').set(changes).where('id', '=', id).where('state', '=', anyOf(from)).executeTakeFirst();
  return Number(result.numUpdatedRows) === 1;
}

/** A suggestion that can take duplicates: published or responded, locked until the transaction ends. */
export async function lockMergeTarget(db: Transaction<Database>, reference: string): Promise<{ id: number; reference: string; state: SuggestionState } | undefined> {
  return db.selectFrom('suggestions').select(['id', 'reference', 'state']).where('reference', '=', reference).where('state', 'in', ['published', 'responded']).forUpdate().executeTakeFirst();
}

export interface MergeTarget {
  id: number;
  reference: string;
  title: string;
  topic: string | null;
  commitmentId: number | null;
}

/** The suggestions a duplicate may be merged into, those on the same subject first. */
export async function findMergeTargets(db: Q, subject: { topic: string | null; commitmentId: number | null }, limit = 500): Promise<MergeTarget[]> {
  const same = subject.commitmentId !== null ? sql<number>`case when s.commitment_id = ${subject.commitmentId} then 0 else 1 end` : sql<number>`case when s.topic = ${subject.topic} then 0 else 1 end`;
  const rows = await db
    .selectFrom('suggestions as s')
    .select(['s.id', 's.reference', 's.public_title', 's.topic', 's.commitment_id'])
    .where('s.state', 'in', ['published', 'responded'])
    .orderBy(same)
    .orderBy('s.moderated_at', 'desc')
    .limit(limit)
    .execute();
  return rows.map((r) => ({ id: r.id, reference: r.reference, title: r.public_title ?? '', topic: r.topic, commitmentId: r.commitment_id }));
}

/** Whom to tell of a response: the submitter and those whose duplicates were merged into it (while their details are kept). */
export async function findSubmittersOf(db: Q, id: number): Promise<{ reference: string; email: string; name: string | null; language: SuggestionLocale }[]> {
  const rows = await db
    .selectFrom('suggestions')
    .select(['reference', 'submitter_email', 'submitter_name', 'language'])
    .where((eb) => eb.or([eb('id', '=', id), eb('merged_into_id', '=', id)]))
    .where('submitter_email', 'is not', null)
    .where('purged_at', 'is', null)
    .orderBy('id')
    .execute();
  return rows.map((r) => ({ reference: r.reference, email: r.submitter_email as string, name: r.submitter_name, language: r.language }));
}

/** The active officers of an agency, to be told a suggestion awaits their response. */
export async function findAgencyOfficers(db: Q, organisationId: string): Promise<{ email: string; name: string; locale: SuggestionLocale }[]> {
  const rows = await db
    .selectFrom('user_roles as r')
    .innerJoin('users as u', 'u.id', 'r.user_id')
    .select(['u.email', 'u.display_name', 'u.locale'])
    .where('r.role', '=', 'agency-officer')
    .where('r.organisation_id', '=', organisationId)
    .where('u.disabled_at', 'is', null)
    .where('u.email_verified_at', 'is not', null)
    .distinct()
    .orderBy('u.email')
    .execute();
  return rows.map((r) => ({ email: r.email, name: r.display_name, locale: r.locale }));
}

// ---------------------------------------------------------------------------------------------------
// Settings and the purge of personal data

export interface SuggestionSettings {
  purgeAfterMonths: number;
  updatedAt: Date;
  updatedBy: string | null;
}

export async function readSettings(db: Q): Promise<SuggestionSettings> {
  const row = await db.selectFrom('suggestions_settings').selectAll().where('id', '=', 1).executeTakeFirstOrThrow();
  return { purgeAfterMonths: row.purge_after_months, updatedAt: row.updated_at, updatedBy: row.updated_by };
}

export async function updateSettings(db: Q, values: { purgeAfterMonths: number; userId: string; at: Date }): Promise<void> {
  await db.updateTable('suggestions_settings').set({ purge_after_months: values.purgeAfterMonths, updated_by: values.userId, updated_at: values.at }).where('id', '=', 1).execute();
}

/**
 * Removes the personal data (original title and text, name, organisation, email, account link) of up
 * to `limit` suggestions closed before `closedBefore`. What is left counts in statistics: state,
 * subject, language, submitter type, dates, and the public copy.
 */
export async function purgePersonalData(db: Q, closedBefore: Date, now: Date, limit: number): Promise<{ id: number; reference: string; state: SuggestionState }[]> {
  const due = db.selectFrom('suggestions').select('id').where('purged_at', 'is', null).where('closed_at', '<', closedBefore).orderBy('closed_at').limit(limit);
  return db
    .updateTable('suggestions')
    .set({ title: null, body: null, submitter_name: null, submitter_organisation: null, submitter_email: null, user_id: null, purged_at: now })
    .where('id', 'in', due)
    .returning(['id', 'reference', 'state'])
    .execute();
}

/** The references of suggestions the public sees (published or responded): their audit entries show to every auditor. */
export function publicSuggestionReferences(db: Kysely<Database>) {
  return db.selectFrom('suggestions').select('reference as id').where('state', 'in', ['published', 'responded']);
}

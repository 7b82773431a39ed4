import { type Selectable, sql } from 'kysely';
import { groupBy } from '../../../platform/collections.ts';
import { json } from '../../../platform/db/index.ts';
import { insertNumbered, referenceNumber } from '../../../platform/db/reference.ts';
import type { Side } from '../../../platform/db/schema.ts';
import type { LocalizedText } from '../../../platform/i18n/locales.ts';
import type { ProgressUpdatesTable, UpdateState } from '../tables.ts';
import { anyOf, type FileRef, type Q } from './shared.ts';

/** Progress updates: their figures, evidence and linked project agreements, and their way through approval. */

export interface UpdateValue {
  periodId: number;
  value: number | null;
  text: LocalizedText | null;
}

export interface ProgressUpdate {
  id: number;
  reference: string;
  actionId: number;
  commitmentId: number;
  organisationId: string;
  side: Side;
  narrative: LocalizedText;
  state: UpdateState;
  returnReason: string | null;
  authorId: string | null;
  authorName: string | null;
  submittedAt: Date | null;
  decidedBy: string | null;
  decidedAt: Date | null;
  approvedAt: Date | null;
  illustrative: boolean;
  createdAt: Date;
  updatedAt: Date;
}

export interface UpdateDetail extends ProgressUpdate {
  values: UpdateValue[];
  attachments: FileRef[];
  projectAgreementIds: number[];
}

function toUpdate(row: Selectable<ProgressUpdatesTable> & { author_name: string | null }): ProgressUpdate {
  return {
    id: row.id,
    reference: row.reference,
    actionId: row.action_id,
    commitmentId: row.commitment_id,
    organisationId: row.organisation_id,
    side: row.side,
    narrative: row.narrative,
    state: row.state,
    returnReason: row.return_reason,
    authorId: row.author_id,
    authorName: row.author_name,
    submittedAt: row.submitted_at,
    decidedBy: row.decided_by,
    decidedAt: row.decided_at,
    approvedAt: row.approved_at,
    illustrative: row.illustrative,
    createdAt: row.created_at,
    updatedAt: row.updated_at,
  };
}

export interface UpdateFilter {
  ids?: number[];
  /** Or else: updates that report figures for indicator periods overlapping these dates. */
  orReportingOn?: { from: string; to: string };
  actionIds?: number[];
  commitmentIds?: number[];
  organisationIds?: string[];
  states?: UpdateState[];
  side?: Side;
  /** Approved on or after / before (dates, 'YYYY-MM-DD', in UTC days). */
  approvedFrom?: string;
  approvedBefore?: string;
  limit?: number;
}

export async function findUpdates(db: Q, filter: UpdateFilter = {}): Promise<ProgressUpdate[]> {
  let query = db.selectFrom('progress_updates as u').leftJoin('users', 'users.id', 'u.author_id').selectAll('u').select('users.display_name as author_name');
  const none = sql<boolean>`false`;
  if (filter.ids) query = filter.ids.length ? query.where('u.id', '=', anyOf(filter.ids)) : query.where(none);
  if (filter.actionIds) query = filter.actionIds.length ? query.where('u.action_id', '=', anyOf(filter.actionIds)) : query.where(none);
  if (filter.commitmentIds) query = filter.commitmentIds.length ? query.where('u.commitment_id', '=', anyOf(filter.commitmentIds)) : query.where(none);
  if (filter.organisationIds) query = filter.organisationIds.length ? query.where('u.organisation_id', '=', anyOf(filter.organisationIds)) : query.where(none);
  // One state is compared plainly, so that the partial indexes on approved updates serve.
  if (filter.states)
    query = filter.states.length === 1 ? query.where('u.state', '=', filter.states[0] as UpdateState) : filter.states.length ? query.where('u.state', '=', anyOf(filter.states)) : query.where(none);
  if (filter.side) query = query.where('u.side', '=', filter.side);
  const from = filter.approvedFrom ? new Date(`${filter.approvedFrom}T00:00:00Z`) : undefined;
  const before = filter.approvedBefore ? new Date(`${filter.approvedBefore}T00:00:00Z`) : undefined;
  const reporting = filter.orReportingOn;
  if (from || before) {
    query = query.where((eb) => {
      const approved = eb.and([...(from ? [eb('u.approved_at', '>=', from)] : []), ...(before ? [eb('u.approved_at', '<', before)] : [])]);
      if (!reporting) return approved;
      const reportingOn = eb(
        'u.id',
        'in',
        eb
          .selectFrom('update_indicator_values as v')
          .innerJoin('indicator_periods as p', 'p.id', 'v.period_id')
          .select('v.update_id')
          .where('p.starts_on', '<=', reporting.to)
          .where('p.ends_on', '>=', reporting.from),
      );
      return eb.or([approved, reportingOn]);
    });
  }
  const approvedOnly = filter.states?.length === 1 && filter.states[0] === 'approved';
  query = approvedOnly ? query.orderBy('u.approved_at', 'desc').orderBy('u.id', 'desc') : query.orderBy('u.updated_at', 'desc').orderBy('u.id', 'desc');
  if (filter.limit) query = query.limit(filter.limit);
  return (await query.execute()).map(toUpdate);
}

export async function findUpdate(db: Q, id: number): Promise<UpdateDetail | undefined> {
  const update = (await findUpdates(db, { ids: [id] }))[0];
  if (!update) return undefined;
  const [values, attachments, agreements] = await Promise.all([
    db.selectFrom('update_indicator_values').select(['period_id', 'value', 'text']).where('update_id', '=', id).orderBy('period_id').execute(),
    db
      .selectFrom('update_attachments as a')
      .innerJoin('files as f', 'f.id', 'a.file_id')
      .select(['f.id', 'f.name', 'f.media_type', 'f.size'])
      .where('a.update_id', '=', id)
      .orderBy('f.created_at')
      .execute(),
    db.selectFrom('update_project_agreements').select('project_agreement_id').where('update_id', '=', id).orderBy('project_agreement_id').execute(),
  ]);
  return {
    ...update,
    values: values.map((v) => ({ periodId: v.period_id, value: v.value, text: v.text })),
    attachments: attachments.map((f) => ({ id: f.id, name: f.name, mediaType: f.media_type, size: f.size })),
    projectAgreementIds: agreements.map((a) => a.project_agreement_id),
  };
}

/** The attachments of many updates at once (public history lists them). */
export async function findAttachments(db: Q, updateIds: number[]): Promise<Map<number, FileRef[]>> {
  if (updateIds.length === 0) return new Map();
  const rows = await db
    .selectFrom('update_attachments as a')
    .innerJoin('files as f', 'f.id', 'a.file_id')
    .select(['a.update_id', 'f.id', 'f.name', 'f.media_type', 'f.size'])
    .where('a.update_id', '=', anyOf(updateIds))
    .orderBy('f.created_at')
    .execute();
  return new Map([...groupBy(rows, (r) => r.update_id)].map(([id, list]) => [id, list.map((r) => ({ id: r.id, name: r.name, mediaType: r.media_type, size: r.size }))]));
}

export interface UpdateContent {
  narrative: LocalizedText;
  values: UpdateValue[];
  projectAgreementIds: number[];
}

export async function insertUpdate(
  db: Q,
  u: { actionId: number; commitmentId: number; organisationId: string; side: Side; authorId: string; year: number } & UpdateContent,
): Promise<{ id: number; reference: string }> {
  const insert = (reference: string) =>
    db
      .insertInto('progress_updates')
      .values({
        reference,
        action_id: u.actionId,
        commitment_id: u.commitmentId,
        organisation_id: u.organisationId,
        side: u.side,
        narrative: json(u.narrative),
        author_id: u.authorId,
      })
      .returning('id')
      .executeTakeFirstOrThrow();
  // References are numbered by year of creation and row id: ZJHK-U-2026-000123.
  const saved = await insertNumbered(db, 'progress_updates', insert, (id) => referenceNumber('ZJHK-U', u.year, id, 6));
  await setUpdateLinks(db, saved.id, u);
  return saved;
}

export async function setUpdateContent(db: Q, id: number, content: UpdateContent, now: Date): Promise<void> {
  await db
    .updateTable('progress_updates')
    .set({ narrative: json(content.narrative), updated_at: now })
    .where('id', '=', id)
    .execute();
  await setUpdateLinks(db, id, content);
}

/** An update's figures and project agreements, as given (its narrative is written with it). */
async function setUpdateLinks(db: Q, id: number, content: UpdateContent): Promise<void> {
  await db.deleteFrom('update_indicator_values').where('update_id', '=', id).execute();
  if (content.values.length) {
    await db
      .insertInto('update_indicator_values')
      .values(content.values.map((v) => ({ update_id: id, period_id: v.periodId, value: v.value, text: v.text ? json(v.text) : null })))
      .execute();
  }
  await db.deleteFrom('update_project_agreements').where('update_id', '=', id).execute();
  if (content.projectAgreementIds.length) {
    await db
      .insertInto('update_project_agreements')
      .values(content.projectAgreementIds.map((project_agreement_id) => ({ update_id: id, project_agreement_id })))
      .execute();
  }
}

export async function attachFiles(db: Q, updateId: number, fileIds: string[]): Promise<void> {
  if (fileIds.length)
    await db
      .insertInto('update_attachments')
      .values(fileIds.map((file_id) => ({ update_id: updateId, file_id })))
      .execute();
}

export async function detachFiles(db: Q, updateId: number, fileIds: string[]): Promise<void> {
  if (fileIds.length) await db.deleteFrom('update_attachments').where('update_id', '=', updateId).where('file_id', '=', anyOf(fileIds)).execute();
}

/**
 * Moves an update from one state to another, only if it is still in the state the caller saw
 * (two coordinators deciding at once: the second finds nothing to change).
 */
export async function moveUpdate(
  db: Q,
  id: number,
  from: UpdateState[],
  to: { state: UpdateState; returnReason?: string | null; submittedAt?: Date; decidedBy?: string; decidedAt?: Date; approvedAt?: Date },
  now: Date,
): Promise<boolean> {
  const result = await db
    .updateTable('progress_updates')
    .set({
      state: to.state,
      return_reason: to.returnReason ?? null,
      ...(to.submittedAt ? { submitted_at: to.submittedAt } : {}),
      ...(to.decidedBy ? { decided_by: to.decidedBy, decided_at: to.decidedAt ?? now } : {}),
      ...(to.approvedAt ? { approved_at: to.approvedAt } : {}),
      updated_at: now,
    })
    .where('id', '=', id)
    .where('state', 'in', from)
    .executeTakeFirst();
  return result.numUpdatedRows > 0n;
}

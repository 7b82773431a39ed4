import { type Selectable, sql } from 'kysely';
import { groupBy } from '../../../platform/collections.ts';
import { json } from '../../../platform/db/index.ts';
import type { LocalizedText } from '../../../platform/i18n/locales.ts';
import type { ActionStatus, ActionsTable } from '../tables.ts';
import { anyOf, type Q } from './shared.ts';

/** Actions under the commitments, their partners, and the tree they form. */

export interface Action {
  id: number;
  commitmentId: number;
  parentId: number | null;
  decisionId: number | null;
  title: LocalizedText;
  description: LocalizedText;
  leadHongKong: string | null;
  leadZhejiang: string | null;
  partners: string[];
  startsOn: string | null;
  endsOn: string | null;
  status: ActionStatus;
  statusReason: string | null;
  illustrative: boolean;
  updatedAt: Date;
}

function toAction(row: Selectable<ActionsTable>, partners: string[]): Action {
  return {
    id: row.id,
    commitmentId: row.commitment_id,
    parentId: row.parent_id,
    decisionId: row.decision_id,
    title: row.title,
    description: row.description,
    leadHongKong: row.lead_hong_kong,
    leadZhejiang: row.lead_zhejiang,
    partners,
    startsOn: row.starts_on,
    endsOn: row.ends_on,
    status: row.status,
    statusReason: row.status_reason,
    illustrative: row.illustrative,
    updatedAt: row.updated_at,
  };
}

export interface ActionFilter {
  ids?: number[];
  commitmentIds?: number[];
  /** Actions this organisation leads (either side) or partners in. */
  organisationIds?: string[];
}

export async function findActions(db: Q, filter: ActionFilter = {}): Promise<Action[]> {
  let query = db.selectFrom('actions').selectAll();
  if (filter.ids) query = filter.ids.length ? query.where('id', '=', anyOf(filter.ids)) : query.where(sql<boolean>`false`);
  if (filter.commitmentIds) query = filter.commitmentIds.length ? query.where('commitment_id', '=', anyOf(filter.commitmentIds)) : query.where(sql<boolean>`false`);
  if (filter.organisationIds) {
    const orgs = filter.organisationIds.length ? filter.organisationIds : [''];
    query = query.where((eb) =>
      eb.or([
        eb('lead_hong_kong', '=', anyOf(orgs)),
        eb('lead_zhejiang', '=', anyOf(orgs)),
        eb('id', 'in', eb.selectFrom('action_partners').select('action_id').where('organisation_id', '=', anyOf(orgs))),
      ]),
    );
  }
  const rows = await query.orderBy('commitment_id').orderBy('id').execute();
  const partners = await findPartners(
    db,
    rows.map((r) => r.id),
  );
  return rows.map((r) => toAction(r, partners.get(r.id) ?? []));
}

async function findPartners(db: Q, actionIds: number[]): Promise<Map<number, string[]>> {
  if (actionIds.length === 0) return new Map();
  const rows = await db.selectFrom('action_partners').select(['action_id', 'organisation_id']).where('action_id', '=', anyOf(actionIds)).orderBy('organisation_id').execute();
  return new Map([...groupBy(rows, (r) => r.action_id)].map(([id, list]) => [id, list.map((r) => r.organisation_id)]));
}

export async function findAction(db: Q, id: number): Promise<Action | undefined> {
  return (await findActions(db, { ids: [id] }))[0];
}

export type ActionValues = Omit<Action, 'id' | 'illustrative' | 'updatedAt'>;

function actionColumns(a: ActionValues) {
  return {
    commitment_id: a.commitmentId,
    parent_id: a.parentId,
    decision_id: a.decisionId,
    title: json(a.title),
    description: json(a.description),
    lead_hong_kong: a.leadHongKong,
    lead_zhejiang: a.leadZhejiang,
    starts_on: a.startsOn,
    ends_on: a.endsOn,
    status: a.status,
    status_reason: a.statusReason,
  };
}

export async function insertAction(db: Q, a: ActionValues, createdBy: string | null): Promise<number> {
  const row = await db
    .insertInto('actions')
    .values({ ...actionColumns(a), created_by: createdBy })
    .returning('id')
    .executeTakeFirstOrThrow();
  await setPartners(db, row.id, a.partners);
  return row.id;
}

export async function updateAction(db: Q, id: number, a: ActionValues, now: Date): Promise<void> {
  await db
    .updateTable('actions')
    .set({ ...actionColumns(a), updated_at: now })
    .where('id', '=', id)
    .execute();
  await setPartners(db, id, a.partners);
}

async function setPartners(db: Q, actionId: number, partners: string[]): Promise<void> {
  await db.deleteFrom('action_partners').where('action_id', '=', actionId).execute();
  if (partners.length)
    await db
      .insertInto('action_partners')
      .values(partners.map((organisation_id) => ({ action_id: actionId, organisation_id })))
      .execute();
}

/** The ids of an action and everything below it. */
export async function findSubtreeIds(db: Q, id: number): Promise<number[]> {
  const result = await sql<{ id: number }>`
    with recursive tree(id) as (
      select id from actions where id = ${id}
      union all
      select a.id from actions a join tree t on a.parent_id = t.id
    )
    select id from tree`.execute(db);
  return result.rows.map((r) => r.id);
}

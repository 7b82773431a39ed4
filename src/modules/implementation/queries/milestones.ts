import { type Selectable, sql } from 'kysely';
import { json } from '../../../platform/db/index.ts';
import type { LocalizedText } from '../../../platform/i18n/locales.ts';
import type { MilestoneStatus, MilestonesTable } from '../tables.ts';
import { anyOf, type Q } from './shared.ts';

/** The milestones of actions. */

export interface Milestone {
  id: number;
  actionId: number;
  title: LocalizedText;
  dueOn: string;
  status: MilestoneStatus;
  metOn: string | null;
  evidence: LocalizedText;
  illustrative: boolean;
}

/** A milestone as its row holds it (the digest's query selects milestones too). */
export function toMilestone(row: Selectable<MilestonesTable>): Milestone {
  return { id: row.id, actionId: row.action_id, title: row.title, dueOn: row.due_on, status: row.status, metOn: row.met_on, evidence: row.evidence, illustrative: row.illustrative };
}

export async function findMilestones(db: Q, filter: { actionIds?: number[]; ids?: number[] } = {}): Promise<Milestone[]> {
  let query = db.selectFrom('milestones').selectAll();
  if (filter.actionIds) query = filter.actionIds.length ? query.where('action_id', '=', anyOf(filter.actionIds)) : query.where(sql<boolean>`false`);
  if (filter.ids) query = filter.ids.length ? query.where('id', '=', anyOf(filter.ids)) : query.where(sql<boolean>`false`);
  return (await query.orderBy('due_on').orderBy('id').execute()).map(toMilestone);
}

/** Just what roll-ups and counts need, for every milestone at once. */
export async function findMilestoneStates(db: Q): Promise<{ actionId: number; status: MilestoneStatus; dueOn: string }[]> {
  const rows = await db.selectFrom('milestones').select(['action_id', 'status', 'due_on']).execute();
  return rows.map((r) => ({ actionId: r.action_id, status: r.status, dueOn: r.due_on }));
}

export type MilestoneValues = Omit<Milestone, 'id' | 'illustrative'>;

function milestoneColumns(m: MilestoneValues) {
  return { action_id: m.actionId, title: json(m.title), due_on: m.dueOn, status: m.status, met_on: m.metOn, evidence: json(m.evidence) };
}

export async function insertMilestone(db: Q, m: MilestoneValues): Promise<number> {
  return (await db.insertInto('milestones').values(milestoneColumns(m)).returning('id').executeTakeFirstOrThrow()).id;
}

export async function updateMilestone(db: Q, id: number, m: MilestoneValues, now: Date): Promise<void> {
  await db
    .updateTable('milestones')
    .set({ ...milestoneColumns(m), updated_at: now })
    .where('id', '=', id)
    .execute();
}

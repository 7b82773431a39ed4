import { type Kysely, type Selectable, sql, type Transaction } from 'kysely';
import { groupBy } from '../../platform/collections.ts';
import { json } from '../../platform/db/index.ts';
import type { Database, Side } from '../../platform/db/schema.ts';
import type {
  ActionStatus,
  ActionsTable,
  IndicatorsTable,
  MeetingType,
  MilestoneStatus,
  MilestonesTable,
  ProgressUpdatesTable,
  ProjectAgreementParty,
  ProjectAgreementStatus,
  ProjectAgreementsTable,
  UpdateState,
} from './tables.ts';
import type { EventCountType } from '../events/index.ts';
import type { LocalizedText } from '../../platform/i18n/locales.ts';
import { commitmentCode } from '../agreements/index.ts';

type Q = Kysely<Database> | Transaction<Database>;

/**
 * `column = any($1)`: a list as one array parameter. A list of `in` parameters stops at 65,535 values
 * (the protocol's limit), which an annual report's periods or an area's actions can pass.
 */
function anyOf<T extends number | string>(values: readonly T[]) {
  return sql<T>`any(${values}::${sql.raw(typeof values[0] === 'string' ? 'text[]' : 'int[]')})`;
}

// ---------------------------------------------------------------------------------------------------
// Actions

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

export async function updateAction(db: Q, id: number, a: ActionValues): Promise<void> {
  await db
    .updateTable('actions')
    .set({ ...actionColumns(a), updated_at: new Date() })
    .where('id', '=', id)
    .execute();
  await setPartners(db, id, a.partners);
}

async function setPartners(db: Q, actionId: number, partners: string[]): Promise<void> {
  await db.deleteFrom('action_partners').where('action_id', '=', actionId).execute();
  if (partners.length) await db.insertInto('action_partners').values(partners.map((organisation_id) => ({ action_id: actionId, organisation_id }))).execute();
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

// ---------------------------------------------------------------------------------------------------
// Milestones

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

function toMilestone(row: Selectable<MilestonesTable>): Milestone {
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

export async function updateMilestone(db: Q, id: number, m: MilestoneValues): Promise<void> {
  await db
    .updateTable('milestones')
    .set({ ...milestoneColumns(m), updated_at: new Date() })
    .where('id', '=', id)
    .execute();
}

// ---------------------------------------------------------------------------------------------------
// Indicators, their periods, and the approved actuals of each side

export interface Actual {
  side: Side;
  value: number | null;
  text: LocalizedText | null;
  updateId: number;
  recordedAt: Date;
  confirmedBy: string | null;
  confirmedAt: Date | null;
}

/**
 * The occurrences of events an indicator fed by events counts in one period: all of them, and those
 * organised by each side (an occurrence organised by both sides counts for each).
 */
export interface EventCount {
  total: number;
  hongKong: number;
  zhejiang: number;
}

export interface Period {
  id: number;
  indicatorId: number;
  startsOn: string;
  endsOn: string;
  targetValue: number | null;
  targetText: LocalizedText | null;
  /** The figures approved updates reported (an indicator fed by events shows `counted` instead). */
  actuals: Actual[];
  /**
   * For an indicator fed by events, the occurrences held in the period so far: null until the
   * period has begun, and until the counts are attached (event-counts.ts withEventCounts).
   */
  counted: EventCount | null;
}

export interface Indicator {
  id: number;
  commitmentId: number;
  actionId: number | null;
  name: LocalizedText;
  description: LocalizedText;
  unit: LocalizedText;
  measure: IndicatorsTable['measure'];
  direction: IndicatorsTable['direction'];
  scope: IndicatorsTable['scope'];
  baselineValue: number | null;
  baselineText: LocalizedText | null;
  baselineOn: string | null;
  source: LocalizedText;
  /** What events held on the platform the indicator counts ('any', or one type); null: actuals come from progress updates. */
  countsEvents: EventCountType | null;
  illustrative: boolean;
  /** The commitment's key in addresses, '3-1' (the calendar's filter for an indicator fed by events). */
  commitmentCode: string;
  periods: Period[];
}

export interface IndicatorFilter {
  ids?: number[];
  commitmentIds?: number[];
  /** Only the periods overlapping these dates (a report's year). */
  periodsWithin?: { from: string; to: string };
  /** At most this many indicators (in order), for pages that show a few of many. */
  limit?: number;
}

export async function findIndicators(db: Q, filter: IndicatorFilter = {}): Promise<Indicator[]> {
  let query = db.selectFrom('indicators as i').innerJoin('commitments as c', 'c.id', 'i.commitment_id').selectAll('i').select(['c.area_number', 'c.number as commitment_number']);
  if (filter.ids) query = filter.ids.length ? query.where('i.id', '=', anyOf(filter.ids)) : query.where(sql<boolean>`false`);
  if (filter.commitmentIds) query = filter.commitmentIds.length ? query.where('i.commitment_id', '=', anyOf(filter.commitmentIds)) : query.where(sql<boolean>`false`);
  query = query.orderBy('i.commitment_id').orderBy('i.id');
  if (filter.limit) query = query.limit(filter.limit);
  const rows = await query.execute();
  const periods = await findPeriods(
    db,
    rows.map((r) => r.id),
    filter.periodsWithin,
  );
  return rows.map((r) => ({
    id: r.id,
    commitmentId: r.commitment_id,
    actionId: r.action_id,
    name: r.name,
    description: r.description,
    unit: r.unit,
    measure: r.measure,
    direction: r.direction,
    scope: r.scope,
    baselineValue: r.baseline_value,
    baselineText: r.baseline_text,
    baselineOn: r.baseline_on,
    source: r.source,
    countsEvents: r.counts_events,
    illustrative: r.illustrative,
    commitmentCode: commitmentCode({ areaNumber: r.area_number, number: r.commitment_number }),
    periods: periods.get(r.id) ?? [],
  }));
}

/** How many indicators the commitments have (the dashboard shows a few and counts the rest). */
export async function countIndicators(db: Q, commitmentIds: number[]): Promise<number> {
  if (commitmentIds.length === 0) return 0;
  const row = await db.selectFrom('indicators').select((eb) => eb.fn.countAll<string>().as('n')).where('commitment_id', '=', anyOf(commitmentIds)).executeTakeFirstOrThrow();
  return Number(row.n);
}

async function findPeriods(db: Q, indicatorIds: number[], within?: { from: string; to: string }): Promise<Map<number, Period[]>> {
  if (indicatorIds.length === 0) return new Map();
  let wanted = db.selectFrom('indicator_periods').where('indicator_id', '=', anyOf(indicatorIds));
  if (within) wanted = wanted.where('starts_on', '<=', within.to).where('ends_on', '>=', within.from);
  const [rows, actuals] = await Promise.all([
    wanted.selectAll().orderBy('indicator_id').orderBy('starts_on').execute(),
    db.selectFrom('indicator_actuals').selectAll().where('period_id', 'in', wanted.select('id')).orderBy('side').execute(),
  ]);
  const byPeriod = groupBy(actuals, (a) => a.period_id);
  const periods: Period[] = rows.map((r) => ({
    id: r.id,
    indicatorId: r.indicator_id,
    startsOn: r.starts_on,
    endsOn: r.ends_on,
    targetValue: r.target_value,
    targetText: r.target_text,
    actuals: (byPeriod.get(r.id) ?? []).map((a) => ({ side: a.side, value: a.value, text: a.text, updateId: a.update_id, recordedAt: a.recorded_at, confirmedBy: a.confirmed_by, confirmedAt: a.confirmed_at })),
    counted: null,
  }));
  return groupBy(periods, (p) => p.indicatorId);
}

export type IndicatorValues = Omit<Indicator, 'id' | 'illustrative' | 'commitmentCode' | 'periods'>;

function indicatorColumns(i: IndicatorValues) {
  return {
    commitment_id: i.commitmentId,
    action_id: i.actionId,
    name: json(i.name),
    description: json(i.description),
    unit: json(i.unit),
    measure: i.measure,
    direction: i.direction,
    scope: i.scope,
    baseline_value: i.baselineValue,
    baseline_text: i.baselineText ? json(i.baselineText) : null,
    baseline_on: i.baselineOn,
    source: json(i.source),
    counts_events: i.countsEvents,
  };
}

export async function insertIndicator(db: Q, i: IndicatorValues): Promise<number> {
  return (await db.insertInto('indicators').values(indicatorColumns(i)).returning('id').executeTakeFirstOrThrow()).id;
}

export async function updateIndicator(db: Q, id: number, i: IndicatorValues): Promise<void> {
  await db
    .updateTable('indicators')
    .set({ ...indicatorColumns(i), updated_at: new Date() })
    .where('id', '=', id)
    .execute();
}

export interface PeriodValues {
  startsOn: string;
  endsOn: string;
  targetValue: number | null;
  targetText: LocalizedText | null;
}

/** Adds a period or changes the target of the one starting on the same day. */
export async function savePeriod(db: Q, indicatorId: number, p: PeriodValues): Promise<number> {
  const values = { ends_on: p.endsOn, target_value: p.targetValue, target_text: p.targetText ? json(p.targetText) : null };
  const row = await db
    .insertInto('indicator_periods')
    .values({ indicator_id: indicatorId, starts_on: p.startsOn, ...values })
    .onConflict((oc) => oc.columns(['indicator_id', 'starts_on']).doUpdateSet(values))
    .returning('id')
    .executeTakeFirstOrThrow();
  return row.id;
}

/** Publishes an approved update's figures: each becomes its side's actual for the period. */
export async function writeActuals(db: Q, updateId: number, side: Side, at: Date): Promise<void> {
  const values = await db.selectFrom('update_indicator_values').selectAll().where('update_id', '=', updateId).execute();
  for (const v of values) {
    const columns = { value: v.value, text: v.text ? json(v.text) : null, update_id: updateId, recorded_at: at, confirmed_by: null, confirmed_at: null };
    await db
      .insertInto('indicator_actuals')
      .values({ period_id: v.period_id, side, ...columns })
      .onConflict((oc) => oc.columns(['period_id', 'side']).doUpdateSet(columns))
      .execute();
  }
}

export async function confirmActual(db: Q, periodId: number, side: Side, userId: string, at: Date): Promise<boolean> {
  const result = await db
    .updateTable('indicator_actuals')
    .set({ confirmed_by: userId, confirmed_at: at })
    .where('period_id', '=', periodId)
    .where('side', '=', side)
    .where('confirmed_at', 'is', null)
    .executeTakeFirst();
  return result.numUpdatedRows > 0n;
}

/** One period of an indicator fed by events, as counted at an instant. */
export interface PeriodEventCount extends EventCount {
  periodId: number;
  /** The period has begun (a period yet to begin has no actual, not a zero). */
  begun: boolean;
  /** When the next occurrence this period counts starts (its count changes then); null if none is to come. */
  nextStart: Date | null;
}

/**
 * Counts, for every period of the indicators fed by events (or of some of them), the occurrences
 * that period counts: of published events linked to the indicator's commitment (of its type, unless
 * 'any'), not cancelled, started by `now`, and starting within the period's days in `timeZone`. Per
 * side by the organisers' side, an occurrence organised by both sides counting for each. One grouped
 * query for all periods.
 */
export async function countEventOccurrences(db: Q, options: { now: Date; timeZone: string; indicatorIds?: readonly number[] }): Promise<PeriodEventCount[]> {
  const { now, timeZone, indicatorIds } = options;
  if (indicatorIds && indicatorIds.length === 0) return [];
  const only = indicatorIds ? sql`and i.id = ${anyOf(indicatorIds)}` : sql``;
  const sideOf = (side: Side) =>
    sql<boolean>`exists (select 1 from event_organisers eo join organisations g on g.id = eo.organisation_id where eo.event_id = e.id and g.side = ${side})`;
  const result = await sql<{ period_id: number; begun: boolean; total: number; hong_kong: number; zhejiang: number; next_start: Date | string | null }>`
    with counting as (
      select p.id as period_id, i.commitment_id, i.counts_events,
             (p.starts_on::timestamp at time zone ${timeZone}) as from_at,
             ((p.ends_on + 1)::timestamp at time zone ${timeZone}) as to_at
      from indicator_periods p
      join indicators i on i.id = p.indicator_id
      where i.counts_events is not null ${only}
    ),
    held as (
      select o.id, o.starts_at, e.type, ec.commitment_id, ${sideOf('hong-kong')} as hong_kong, ${sideOf('zhejiang')} as zhejiang
      from event_occurrences o
      join events e on e.id = o.event_id
      join event_commitments ec on ec.event_id = e.id
      where e.status = 'published' and o.status = 'scheduled'
        and ec.commitment_id in (select commitment_id from counting)
        and o.starts_at >= (select min(from_at) from counting) and o.starts_at < (select max(to_at) from counting)
    )
    select c.period_id,
           c.from_at <= ${now}::timestamptz as begun,
           (count(h.id) filter (where h.starts_at <= ${now}::timestamptz))::int as total,
           (count(h.id) filter (where h.starts_at <= ${now}::timestamptz and h.hong_kong))::int as hong_kong,
           (count(h.id) filter (where h.starts_at <= ${now}::timestamptz and h.zhejiang))::int as zhejiang,
           min(h.starts_at) filter (where h.starts_at > ${now}::timestamptz) as next_start
    from counting c
    left join held h on h.commitment_id = c.commitment_id
      and (c.counts_events = 'any' or h.type = c.counts_events)
      and h.starts_at >= c.from_at and h.starts_at < c.to_at
    group by c.period_id, c.from_at
    order by c.period_id`.execute(db);
  return result.rows.map((r) => ({
    periodId: r.period_id,
    begun: r.begun,
    total: Number(r.total),
    hongKong: Number(r.hong_kong),
    zhejiang: Number(r.zhejiang),
    nextStart: r.next_start === null ? null : new Date(r.next_start),
  }));
}

// ---------------------------------------------------------------------------------------------------
// Progress updates

export interface UpdateValue {
  periodId: number;
  value: number | null;
  text: LocalizedText | null;
}

export interface FileRef {
  id: string;
  name: string;
  mediaType: string;
  size: number;
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
  let query = db
    .selectFrom('progress_updates as u')
    .leftJoin('users', 'users.id', 'u.author_id')
    .selectAll('u')
    .select('users.display_name as author_name');
  const none = sql<boolean>`false`;
  if (filter.ids) query = filter.ids.length ? query.where('u.id', '=', anyOf(filter.ids)) : query.where(none);
  if (filter.actionIds) query = filter.actionIds.length ? query.where('u.action_id', '=', anyOf(filter.actionIds)) : query.where(none);
  if (filter.commitmentIds) query = filter.commitmentIds.length ? query.where('u.commitment_id', '=', anyOf(filter.commitmentIds)) : query.where(none);
  if (filter.organisationIds) query = filter.organisationIds.length ? query.where('u.organisation_id', '=', anyOf(filter.organisationIds)) : query.where(none);
  // One state is compared plainly, so that the partial indexes on approved updates serve.
  if (filter.states) query = filter.states.length === 1 ? query.where('u.state', '=', filter.states[0] as UpdateState) : filter.states.length ? query.where('u.state', '=', anyOf(filter.states)) : query.where(none);
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

/** The update (if any) a file is attached to, and whether it is approved: who may download depends on it. */
export async function findFileUse(db: Q, fileId: string): Promise<{ update?: ProgressUpdate; projectAgreementId?: number } | undefined> {
  const attached = await db.selectFrom('update_attachments').select('update_id').where('file_id', '=', fileId).executeTakeFirst();
  if (attached) {
    const update = (await findUpdates(db, { ids: [attached.update_id] }))[0];
    return update ? { update } : undefined;
  }
  const document = await db.selectFrom('project_agreement_documents').select('project_agreement_id').where('file_id', '=', fileId).executeTakeFirst();
  return document ? { projectAgreementId: document.project_agreement_id } : undefined;
}

export interface UpdateContent {
  narrative: LocalizedText;
  values: UpdateValue[];
  projectAgreementIds: number[];
}

/** Numbers references by year of creation and row id: ZJHK-U-2026-000123. */
export function updateReference(year: number, id: number): string {
  return `ZJHK-U-${year}-${String(id).padStart(6, '0')}`;
}

export async function insertUpdate(
  db: Q,
  u: { actionId: number; commitmentId: number; organisationId: string; side: Side; authorId: string; year: number } & UpdateContent,
): Promise<{ id: number; reference: string }> {
  const row = await db
    .insertInto('progress_updates')
    .values({
      reference: `pending-${crypto.randomUUID()}`,
      action_id: u.actionId,
      commitment_id: u.commitmentId,
      organisation_id: u.organisationId,
      side: u.side,
      narrative: json(u.narrative),
      author_id: u.authorId,
    })
    .returning('id')
    .executeTakeFirstOrThrow();
  const reference = updateReference(u.year, row.id);
  await db.updateTable('progress_updates').set({ reference }).where('id', '=', row.id).execute();
  await setUpdateContent(db, row.id, u);
  return { id: row.id, reference };
}

export async function setUpdateContent(db: Q, id: number, content: UpdateContent): Promise<void> {
  await db.updateTable('progress_updates').set({ narrative: json(content.narrative), updated_at: new Date() }).where('id', '=', id).execute();
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
  if (fileIds.length) await db.insertInto('update_attachments').values(fileIds.map((file_id) => ({ update_id: updateId, file_id }))).execute();
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
): Promise<boolean> {
  const result = await db
    .updateTable('progress_updates')
    .set({
      state: to.state,
      return_reason: to.returnReason ?? null,
      ...(to.submittedAt ? { submitted_at: to.submittedAt } : {}),
      ...(to.decidedBy ? { decided_by: to.decidedBy, decided_at: to.decidedAt ?? new Date() } : {}),
      ...(to.approvedAt ? { approved_at: to.approvedAt } : {}),
      updated_at: new Date(),
    })
    .where('id', '=', id)
    .where('state', 'in', from)
    .executeTakeFirst();
  return result.numUpdatedRows > 0n;
}

// ---------------------------------------------------------------------------------------------------
// Project agreements

export interface ProjectAgreement {
  id: number;
  reference: string;
  title: LocalizedText;
  summary: LocalizedText;
  parties: ProjectAgreementParty[];
  signedOn: string;
  signedPlace: LocalizedText;
  startsOn: string | null;
  endsOn: string | null;
  status: ProjectAgreementStatus;
  sourceUrl: string | null;
  illustrative: boolean;
  commitmentIds: number[];
  documents: FileRef[];
}

export async function findProjectAgreements(db: Q, filter: { ids?: number[]; commitmentIds?: number[] } = {}): Promise<ProjectAgreement[]> {
  let query = db.selectFrom('project_agreements').selectAll();
  if (filter.ids) query = filter.ids.length ? query.where('id', '=', anyOf(filter.ids)) : query.where(sql<boolean>`false`);
  if (filter.commitmentIds) {
    const ids = filter.commitmentIds.length ? filter.commitmentIds : [-1];
    query = query.where('id', 'in', db.selectFrom('project_agreement_commitments').select('project_agreement_id').where('commitment_id', '=', anyOf(ids)));
  }
  const rows: Selectable<ProjectAgreementsTable>[] = await query.orderBy('signed_on', 'desc').orderBy('id', 'desc').execute();
  if (rows.length === 0) return [];
  const ids = rows.map((r) => r.id);
  const [links, documents] = await Promise.all([
    db.selectFrom('project_agreement_commitments').selectAll().where('project_agreement_id', '=', anyOf(ids)).orderBy('commitment_id').execute(),
    db
      .selectFrom('project_agreement_documents as d')
      .innerJoin('files as f', 'f.id', 'd.file_id')
      .select(['d.project_agreement_id', 'f.id', 'f.name', 'f.media_type', 'f.size'])
      .where('d.project_agreement_id', '=', anyOf(ids))
      .orderBy('f.created_at')
      .execute(),
  ]);
  return rows.map((r) => ({
    id: r.id,
    reference: r.reference,
    title: r.title,
    summary: r.summary,
    parties: r.parties,
    signedOn: r.signed_on,
    signedPlace: r.signed_place,
    startsOn: r.starts_on,
    endsOn: r.ends_on,
    status: r.status,
    sourceUrl: r.source_url,
    illustrative: r.illustrative,
    commitmentIds: links.filter((l) => l.project_agreement_id === r.id).map((l) => l.commitment_id),
    documents: documents.filter((d) => d.project_agreement_id === r.id).map((d) => ({ id: d.id, name: d.name, mediaType: d.media_type, size: d.size })),
  }));
}

export type ProjectAgreementValues = Omit<ProjectAgreement, 'id' | 'reference' | 'illustrative' | 'documents'>;

function projectAgreementColumns(p: ProjectAgreementValues) {
  return {
    title: json(p.title),
    summary: json(p.summary),
    parties: json(p.parties),
    signed_on: p.signedOn,
    signed_place: json(p.signedPlace),
    starts_on: p.startsOn,
    ends_on: p.endsOn,
    status: p.status,
    source_url: p.sourceUrl,
  };
}

export async function saveProjectAgreement(db: Q, id: number | undefined, p: ProjectAgreementValues): Promise<{ id: number; reference: string }> {
  let saved: { id: number; reference: string };
  if (id === undefined) {
    const row = await db
      .insertInto('project_agreements')
      .values({ reference: `pending-${crypto.randomUUID()}`, ...projectAgreementColumns(p) })
      .returning('id')
      .executeTakeFirstOrThrow();
    const reference = `ZJHK-P-${p.signedOn.slice(0, 4)}-${String(row.id).padStart(4, '0')}`;
    await db.updateTable('project_agreements').set({ reference }).where('id', '=', row.id).execute();
    saved = { id: row.id, reference };
  } else {
    const row = await db
      .updateTable('project_agreements')
      .set({ ...projectAgreementColumns(p), updated_at: new Date() })
      .where('id', '=', id)
      .returning(['id', 'reference'])
      .executeTakeFirstOrThrow();
    saved = row;
  }
  await db.deleteFrom('project_agreement_commitments').where('project_agreement_id', '=', saved.id).execute();
  if (p.commitmentIds.length) {
    await db
      .insertInto('project_agreement_commitments')
      .values(p.commitmentIds.map((commitment_id) => ({ project_agreement_id: saved.id, commitment_id })))
      .execute();
  }
  return saved;
}

export async function addProjectAgreementDocuments(db: Q, id: number, fileIds: string[]): Promise<void> {
  if (fileIds.length) await db.insertInto('project_agreement_documents').values(fileIds.map((file_id) => ({ project_agreement_id: id, file_id }))).execute();
}

// ---------------------------------------------------------------------------------------------------
// Meetings

export interface MeetingDecision {
  id: number;
  number: number;
  text: LocalizedText;
  commitmentId: number | null;
}

export interface Meeting {
  id: number;
  reference: string;
  type: MeetingType;
  title: LocalizedText;
  heldOn: string;
  place: LocalizedText;
  minutes: LocalizedText;
  illustrative: boolean;
  participants: string[];
  decisions: MeetingDecision[];
}

export async function findMeetings(db: Q, filter: { ids?: number[] } = {}): Promise<Meeting[]> {
  let query = db.selectFrom('meetings').selectAll();
  if (filter.ids) query = filter.ids.length ? query.where('id', '=', anyOf(filter.ids)) : query.where(sql<boolean>`false`);
  const rows = await query.orderBy('held_on', 'desc').orderBy('id', 'desc').execute();
  if (rows.length === 0) return [];
  const ids = rows.map((r) => r.id);
  const [participants, decisions] = await Promise.all([
    db.selectFrom('meeting_participants').selectAll().where('meeting_id', '=', anyOf(ids)).orderBy('organisation_id').execute(),
    db.selectFrom('meeting_decisions').selectAll().where('meeting_id', '=', anyOf(ids)).orderBy('number').execute(),
  ]);
  return rows.map((r) => ({
    id: r.id,
    reference: r.reference,
    type: r.type,
    title: r.title,
    heldOn: r.held_on,
    place: r.place,
    minutes: r.minutes,
    illustrative: r.illustrative,
    participants: participants.filter((p) => p.meeting_id === r.id).map((p) => p.organisation_id),
    decisions: decisions.filter((d) => d.meeting_id === r.id).map((d) => ({ id: d.id, number: d.number, text: d.text, commitmentId: d.commitment_id })),
  }));
}

export type MeetingValues = Omit<Meeting, 'id' | 'reference' | 'illustrative' | 'decisions'> & { decisions: Omit<MeetingDecision, 'id'>[] };

export async function saveMeeting(db: Q, id: number | undefined, m: MeetingValues): Promise<{ id: number; reference: string }> {
  const columns = { type: m.type, title: json(m.title), held_on: m.heldOn, place: json(m.place), minutes: json(m.minutes) };
  let saved: { id: number; reference: string };
  if (id === undefined) {
    const row = await db
      .insertInto('meetings')
      .values({ reference: `pending-${crypto.randomUUID()}`, ...columns })
      .returning('id')
      .executeTakeFirstOrThrow();
    const reference = `ZJHK-M-${m.heldOn.slice(0, 4)}-${String(row.id).padStart(3, '0')}`;
    await db.updateTable('meetings').set({ reference }).where('id', '=', row.id).execute();
    saved = { id: row.id, reference };
  } else {
    saved = await db
      .updateTable('meetings')
      .set({ ...columns, updated_at: new Date() })
      .where('id', '=', id)
      .returning(['id', 'reference'])
      .executeTakeFirstOrThrow();
  }
  await db.deleteFrom('meeting_participants').where('meeting_id', '=', saved.id).execute();
  if (m.participants.length) await db.insertInto('meeting_participants').values(m.participants.map((organisation_id) => ({ meeting_id: saved.id, organisation_id }))).execute();
  // Decisions are kept by number, so actions created from one stay linked when the minutes are edited.
  const existing = await db.selectFrom('meeting_decisions').select(['id', 'number']).where('meeting_id', '=', saved.id).execute();
  for (const d of m.decisions) {
    const values = { text: json(d.text), commitment_id: d.commitmentId };
    if (existing.some((e) => e.number === d.number)) {
      await db.updateTable('meeting_decisions').set(values).where('meeting_id', '=', saved.id).where('number', '=', d.number).execute();
    } else {
      await db
        .insertInto('meeting_decisions')
        .values({ meeting_id: saved.id, number: d.number, ...values })
        .execute();
    }
  }
  const removed = existing.filter((e) => !m.decisions.some((d) => d.number === e.number)).map((e) => e.id);
  if (removed.length) {
    await db.updateTable('actions').set({ decision_id: null }).where('decision_id', '=', anyOf(removed)).execute();
    await db.deleteFrom('meeting_decisions').where('id', '=', anyOf(removed)).execute();
  }
  return saved;
}

/** The plenary held before a date, if any: "progress since the previous plenary" starts there. */
export async function findPreviousPlenary(db: Q, before: string): Promise<{ id: number; heldOn: string; reference: string } | undefined> {
  const row = await db
    .selectFrom('meetings')
    .select(['id', 'held_on', 'reference'])
    .where('type', '=', 'plenary')
    .where('held_on', '<', before)
    .orderBy('held_on', 'desc')
    .limit(1)
    .executeTakeFirst();
  return row ? { id: row.id, heldOn: row.held_on, reference: row.reference } : undefined;
}

// ---------------------------------------------------------------------------------------------------
// The officers' digest

export interface DigestRecipient {
  userId: string;
  email: string;
  locale: 'zh-Hant' | 'zh-Hans' | 'en';
  displayName: string;
  organisationIds: string[];
}

/** Officers and coordinators of an agency, with a verified address and an active account. */
export async function findDigestRecipients(db: Q): Promise<DigestRecipient[]> {
  const rows = await db
    .selectFrom('users as u')
    .innerJoin('user_roles as r', 'r.user_id', 'u.id')
    .select(['u.id', 'u.email', 'u.locale', 'u.display_name', 'r.organisation_id'])
    .where('r.role', 'in', ['agency-officer', 'custodian-coordinator'])
    .where('r.organisation_id', 'is not', null)
    .where('u.disabled_at', 'is', null)
    .where('u.email_verified_at', 'is not', null)
    .orderBy('u.id')
    .execute();
  const map = new Map<string, DigestRecipient>();
  for (const r of rows) {
    const entry = map.get(r.id) ?? { userId: r.id, email: r.email, locale: r.locale, displayName: r.display_name, organisationIds: [] };
    entry.organisationIds.push(r.organisation_id as string);
    map.set(r.id, entry);
  }
  return [...map.values()];
}

/** Claims today's digest for a person; false when one was already sent today. */
export async function claimDigest(db: Q, userId: string, day: string): Promise<boolean> {
  const row = await db.insertInto('milestone_digests').values({ user_id: userId, sent_on: day }).onConflict((oc) => oc.doNothing()).returning('user_id').executeTakeFirst();
  return row !== undefined;
}

/** Scheduled milestones due by a date (overdue included) of actions some organisations lead. */
export async function findOpenMilestonesFor(db: Q, organisationIds: string[], dueBy: string): Promise<(Milestone & { actionTitle: LocalizedText })[]> {
  if (organisationIds.length === 0) return [];
  const rows = await db
    .selectFrom('milestones as m')
    .innerJoin('actions as a', 'a.id', 'm.action_id')
    .selectAll('m')
    .select('a.title as action_title')
    .where('m.status', '=', 'scheduled')
    .where('m.due_on', '<=', dueBy)
    .where((eb) => eb.or([eb('a.lead_hong_kong', '=', anyOf(organisationIds)), eb('a.lead_zhejiang', '=', anyOf(organisationIds))]))
    .orderBy('m.due_on')
    .execute();
  return rows.map((r) => ({ ...toMilestone(r), actionTitle: r.action_title }));
}

export type { ActionStatus, MilestoneStatus, UpdateState };

/** Deletes the record of which officer got a milestone digest on which day, for days before `before` ('YYYY-MM-DD'): it only stops a second digest the same day. */
export async function deleteDigestsBefore(db: Q, before: string): Promise<number> {
  const result = await db.deleteFrom('milestone_digests').where('sent_on', '<', before).executeTakeFirst();
  return Number(result.numDeletedRows);
}

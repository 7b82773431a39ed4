import { sql } from 'kysely';
import { groupBy } from '../../../platform/collections.ts';
import { json } from '../../../platform/db/index.ts';
import type { Side } from '../../../platform/db/schema.ts';
import type { LocalizedText } from '../../../platform/i18n/locales.ts';
import type { SideCounts } from '../../../platform/indicator-counts.ts';
import { commitmentCode } from '../../agreements/index.ts';
import type { IndicatorsTable } from '../tables.ts';
import { anyOf, type Q } from './shared.ts';

/** Indicators, their periods, and the approved actuals of each side. */

interface Actual {
  side: Side;
  value: number | null;
  text: LocalizedText | null;
  updateId: number;
  recordedAt: Date;
  confirmedBy: string | null;
  confirmedAt: Date | null;
}

/**
 * What an indicator counts on the platform instead of taking its actuals from progress updates: one of
 * the count sources the modules declare ('events') and one of its choices ('promotion'). Stored as
 * 'events:promotion'.
 */
export interface CountedBy {
  source: string;
  choice: string;
}

/** The stored form of what an indicator counts, 'events:promotion' (also the indicator form's value). */
export function countedByValue(countedBy: CountedBy): string {
  return `${countedBy.source}:${countedBy.choice}`;
}

/** 'events:promotion' → { source: 'events', choice: 'promotion' }; anything else → null. */
export function parseCountedBy(value: string | null | undefined): CountedBy | null {
  const at = value ? value.indexOf(':') : -1;
  return value && at > 0 && at < value.length - 1 ? { source: value.slice(0, at), choice: value.slice(at + 1) } : null;
}

export interface Period {
  id: number;
  indicatorId: number;
  startsOn: string;
  endsOn: string;
  targetValue: number | null;
  targetText: LocalizedText | null;
  /** The figures approved updates reported (a counted indicator shows `counted` instead). */
  actuals: Actual[];
  /**
   * For a counted indicator, the records counted in the period so far: null until the period has
   * begun, and until the counts are attached (indicator-counts.ts attachCounts).
   */
  counted: SideCounts | null;
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
  /** What the indicator counts on the platform; null: its actuals come from progress updates. */
  countedBy: CountedBy | null;
  illustrative: boolean;
  /** The commitment's key in addresses, '3-1' (the filter of the records a counted indicator links to). */
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
    countedBy: parseCountedBy(r.counted_by),
    illustrative: r.illustrative,
    commitmentCode: commitmentCode({ areaNumber: r.area_number, number: r.commitment_number }),
    periods: periods.get(r.id) ?? [],
  }));
}

/** How many indicators the commitments have (the dashboard shows a few and counts the rest). */
export async function countIndicators(db: Q, commitmentIds: number[]): Promise<number> {
  if (commitmentIds.length === 0) return 0;
  const row = await db
    .selectFrom('indicators')
    .select((eb) => eb.fn.countAll<string>().as('n'))
    .where('commitment_id', '=', anyOf(commitmentIds))
    .executeTakeFirstOrThrow();
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
    actuals: (byPeriod.get(r.id) ?? []).map((a) => ({
      side: a.side,
      value: a.value,
      text: a.text,
      updateId: a.update_id,
      recordedAt: a.recorded_at,
      confirmedBy: a.confirmed_by,
      confirmedAt: a.confirmed_at,
    })),
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
    counted_by: i.countedBy ? countedByValue(i.countedBy) : null,
  };
}

export async function insertIndicator(db: Q, i: IndicatorValues): Promise<number> {
  return (await db.insertInto('indicators').values(indicatorColumns(i)).returning('id').executeTakeFirstOrThrow()).id;
}

export async function updateIndicator(db: Q, id: number, i: IndicatorValues, now: Date): Promise<void> {
  await db
    .updateTable('indicators')
    .set({ ...indicatorColumns(i), updated_at: now })
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

/** One period of a counted indicator: what its source is asked to count. */
export interface CountedPeriod {
  indicatorId: number;
  periodId: number;
  commitmentId: number;
  countedBy: CountedBy;
  startsOn: string;
  endsOn: string;
}

/** The periods of every counted indicator (or of some of them), for their sources to count. */
export async function findCountedPeriods(db: Q, indicatorIds?: readonly number[]): Promise<CountedPeriod[]> {
  if (indicatorIds && indicatorIds.length === 0) return [];
  let query = db
    .selectFrom('indicator_periods as p')
    .innerJoin('indicators as i', 'i.id', 'p.indicator_id')
    .select(['i.id as indicator_id', 'p.id as period_id', 'i.commitment_id', 'i.counted_by', 'p.starts_on', 'p.ends_on'])
    .where('i.counted_by', 'is not', null);
  if (indicatorIds) query = query.where('i.id', '=', anyOf(indicatorIds));
  const rows = await query.orderBy('p.id').execute();
  return rows.flatMap((r) => {
    const countedBy = parseCountedBy(r.counted_by);
    return countedBy ? [{ indicatorId: r.indicator_id, periodId: r.period_id, commitmentId: r.commitment_id, countedBy, startsOn: r.starts_on, endsOn: r.ends_on }] : [];
  });
}

import type { Kysely } from 'kysely';
import { todayIn } from '../../platform/clock.ts';
import type { Database, Side } from '../../platform/db/schema.ts';
import type { LocalizedText } from '../../platform/i18n/locales.ts';
import type { IndicatorCountRequest, IndicatorCountSource, SideCounts } from '../../platform/indicator-counts.ts';
import { type ActualFigure, type Reading, readActuals } from './progress.ts';
import { type CountedBy, countedByValue, findCountedPeriods, type Indicator, type Period } from './queries/indicators.ts';

/**
 * Counted indicators ("promotion activities a year"): their actuals are not reported in progress
 * updates but counted from records other modules keep on the platform, through the count sources the
 * modules declare in their manifests (`indicatorCounts`, platform/indicator-counts.ts). Implementation
 * reads the sources from the app's modules and never names the modules behind them.
 */

/** The counts of every begun period of the counted indicators, at one instant. */
export interface IndicatorCounts {
  /** By period id; a period not (yet) begun has no entry. */
  periods: Map<number, SideCounts>;
  /** When a count changes next by itself: counts taken before then hold until then (or until the records change). */
  nextChange: Date | null;
}

const NOTHING: SideCounts = { total: 0, hongKong: 0, zhejiang: 0 };

/**
 * Counts the actuals of every counted indicator (or of some of them): the periods in one query, then
 * each source counts its own in one. A period yet to begin has no actual (not a zero); an indicator
 * whose source the app lacks has none either.
 */
export async function countActuals(
  db: Kysely<Database>,
  sources: readonly IndicatorCountSource[],
  options: { now: Date; timeZone: string; indicatorIds?: readonly number[] },
): Promise<IndicatorCounts> {
  const { now, timeZone } = options;
  const counts: IndicatorCounts = { periods: new Map(), nextChange: null };
  const periods = sources.length ? await findCountedPeriods(db, options.indicatorIds) : [];
  if (periods.length === 0) return counts;
  const today = todayIn(timeZone, now);
  await Promise.all(
    sources.map(async (source) => {
      const requests: IndicatorCountRequest[] = periods
        .filter((p) => p.countedBy.source === source.kind)
        .map((p) => ({ indicatorId: p.indicatorId, periodId: p.periodId, commitmentId: p.commitmentId, choice: p.countedBy.choice, startsOn: p.startsOn, endsOn: p.endsOn }));
      if (requests.length === 0) return;
      const counted = await source.count(db, requests, { now, timeZone });
      for (const request of requests) if (request.startsOn <= today) counts.periods.set(request.periodId, counted.periods.get(request.periodId) ?? NOTHING);
      if (counted.nextChange && (!counts.nextChange || counted.nextChange < counts.nextChange)) counts.nextChange = counted.nextChange;
    }),
  );
  return counts;
}

/** The indicators with the counts of the counted ones attached to their periods (others unchanged). */
export function attachCounts<I extends Indicator>(indicators: I[], counts: Pick<IndicatorCounts, 'periods'>): I[] {
  return indicators.map((indicator) => (indicator.countedBy === null ? indicator : { ...indicator, periods: indicator.periods.map((p) => ({ ...p, counted: counts.periods.get(p.id) ?? null })) }));
}

/**
 * What the public sees for one period: for a counted indicator, the records counted (one joint
 * figure, or each side's with the number of records as total, a record of both sides counting once
 * in it); otherwise the approved actuals of each side.
 */
export function periodReading(indicator: Pick<Indicator, 'scope' | 'measure' | 'countedBy'>, period: Pick<Period, 'actuals' | 'counted'>, textOf: (text: LocalizedText) => string | null): Reading {
  if (indicator.countedBy === null) {
    return readActuals(
      indicator.scope,
      indicator.measure,
      period.actuals.map((a) => ({ side: a.side, value: a.value, text: a.text ? textOf(a.text) : null, confirmed: a.confirmedAt !== null })),
    );
  }
  const counted = period.counted;
  if (!counted) return { kind: 'none' };
  if (indicator.scope === 'joint') return { kind: 'agreed', value: counted.total, text: null, recordedBy: [], confirmed: true };
  const figure = (side: Side, value: number): ActualFigure => ({ side, value, text: null, confirmed: true });
  return { kind: 'per-side', hongKong: figure('hong-kong', counted.hongKong), zhejiang: figure('zhejiang', counted.zhejiang), total: counted.total };
}

/** The source an indicator counts from and its choice, if the app has them. */
export function countingOf(sources: readonly IndicatorCountSource[], countedBy: CountedBy | null): { source: IndicatorCountSource; choice: IndicatorCountSource['choices'][number] } | undefined {
  if (countedBy === null) return undefined;
  const source = sources.find((s) => s.kind === countedBy.source);
  const choice = source?.choices.find((c) => c.value === countedBy.choice);
  return source && choice ? { source, choice } : undefined;
}

/** Every choice of every source, as the indicator form offers and stores them: 'events:any', 'events:promotion' … */
export function countChoices(sources: readonly IndicatorCountSource[]): string[] {
  return sources.flatMap((source) => source.choices.map((choice) => countedByValue({ source: source.kind, choice: choice.value })));
}

/** The page listing the records an indicator counts (below the language prefix), if the app has its source. */
export function countedRecordsPath(sources: readonly IndicatorCountSource[], indicator: Pick<Indicator, 'countedBy' | 'commitmentCode'>): string | undefined {
  const counting = countingOf(sources, indicator.countedBy);
  return counting ? counting.source.recordsPath(indicator.commitmentCode, counting.choice.value) : undefined;
}

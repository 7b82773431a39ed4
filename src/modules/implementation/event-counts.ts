import type { Kysely } from 'kysely';
import type { Database, Side } from '../../platform/db/schema.ts';
import { EVENT_TYPES, type EventCountType } from '../events/index.ts';
import type { LocalizedText } from '../../platform/i18n/locales.ts';
import { type ActualFigure, type Reading, readActuals } from './progress.ts';
import { countEventOccurrences, type EventCount, type Indicator, type Period } from './queries.ts';

/**
 * Indicators fed by events ("promotion activities a year"): their actuals are not reported in
 * progress updates but counted from the events held on the platform for their commitment.
 */

/** What an indicator may count: events of any type, or of one. */
export const EVENT_COUNT_CHOICES: readonly EventCountType[] = ['any', ...EVENT_TYPES];

export function isEventCountType(value: string): value is EventCountType {
  return (EVENT_COUNT_CHOICES as readonly string[]).includes(value);
}

/** The counts of every begun period of the indicators fed by events, at one instant. */
export interface EventCounts {
  /** By period id; a period not (yet) begun has no entry. */
  periods: Map<number, EventCount>;
  /** When the next counted occurrence starts: counts taken before then hold until then (or until events change). */
  nextStart: Date | null;
}

export const NO_EVENT_COUNTS: EventCounts = { periods: new Map(), nextStart: null };

/** Counts the occurrences of events every indicator fed by events (or some of them) counts, in one query. */
export async function countEvents(db: Kysely<Database>, options: { now: Date; timeZone: string; indicatorIds?: readonly number[] }): Promise<EventCounts> {
  const rows = await countEventOccurrences(db, options);
  const periods = new Map<number, EventCount>();
  let nextStart: Date | null = null;
  for (const row of rows) {
    if (row.begun) periods.set(row.periodId, { total: row.total, hongKong: row.hongKong, zhejiang: row.zhejiang });
    if (row.nextStart && (!nextStart || row.nextStart < nextStart)) nextStart = row.nextStart;
  }
  return { periods, nextStart };
}

/** The indicators with the counts of those fed by events attached to their periods (others unchanged). */
export function withEventCounts(indicators: Indicator[], counts: EventCounts): Indicator[] {
  return indicators.map((indicator) =>
    indicator.countsEvents === null ? indicator : { ...indicator, periods: indicator.periods.map((p) => ({ ...p, counted: counts.periods.get(p.id) ?? null })) },
  );
}

/**
 * What the public sees for one period: for an indicator fed by events, the occurrences counted (one
 * joint figure, or each side's with the number of occurrences as total, an occurrence organised by
 * both sides counting once in it); otherwise the approved actuals of each side.
 */
export function periodReading(indicator: Pick<Indicator, 'scope' | 'measure' | 'countsEvents'>, period: Pick<Period, 'actuals' | 'counted'>, textOf: (text: LocalizedText) => string | null): Reading {
  if (indicator.countsEvents === null) {
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

/** The calendar of the events an indicator counts: its commitment's, of its type. */
export function eventsCalendarPath(indicator: Pick<Indicator, 'commitmentCode' | 'countsEvents'>): string {
  const query = new URLSearchParams({ commitment: indicator.commitmentCode });
  if (indicator.countsEvents && indicator.countsEvents !== 'any') query.set('type', indicator.countsEvents);
  return `/events?${query.toString()}`;
}

import { type Kysely, sql } from 'kysely';
import type { Database, Side } from '../../platform/db/schema.ts';
import type { IndicatorCountRequest, IndicatorCountResult, IndicatorCountSource, SideCounts } from '../../platform/indicator-counts.ts';
import { EVENT_TYPES, type EventCountType } from './tables.ts';

/** What an indicator may count: events of any type, or of one. */
const CHOICES: readonly EventCountType[] = ['any', ...EVENT_TYPES];

/**
 * Counts, for each period asked about, the occurrences of published events linked to the indicator's
 * commitment (of its type, unless 'any'), not cancelled, started by `now`, and starting within the
 * period's days in `timeZone`. Per side by the organisers' side, an occurrence organised by both sides
 * counting for each. One grouped query for all the periods.
 */
async function countOccurrences(db: Kysely<Database>, requests: readonly IndicatorCountRequest[], at: { now: Date; timeZone: string }): Promise<IndicatorCountResult> {
  if (requests.length === 0) return { periods: new Map(), nextChange: null };
  const { now, timeZone } = at;
  const column = <K extends keyof IndicatorCountRequest>(key: K) => requests.map((r) => r[key]);
  const sideOf = (side: Side) => sql<boolean>`exists (select 1 from event_organisers eo join organisations g on g.id = eo.organisation_id where eo.event_id = e.id and g.side = ${side})`;
  const result = await sql<{ period_id: number; total: number; hong_kong: number; zhejiang: number; next_start: Date | string | null }>`
    with counting as (
      select r.period_id, r.commitment_id, r.choice,
             (r.starts_on::date::timestamp at time zone ${timeZone}) as from_at,
             ((r.ends_on::date + 1)::timestamp at time zone ${timeZone}) as to_at
      from unnest(${column('periodId')}::int[], ${column('commitmentId')}::int[], ${column('choice')}::text[], ${column('startsOn')}::text[], ${column('endsOn')}::text[])
        as r(period_id, commitment_id, choice, starts_on, ends_on)
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
           (count(h.id) filter (where h.starts_at <= ${now}::timestamptz))::int as total,
           (count(h.id) filter (where h.starts_at <= ${now}::timestamptz and h.hong_kong))::int as hong_kong,
           (count(h.id) filter (where h.starts_at <= ${now}::timestamptz and h.zhejiang))::int as zhejiang,
           min(h.starts_at) filter (where h.starts_at > ${now}::timestamptz) as next_start
    from counting c
    left join held h on h.commitment_id = c.commitment_id
      and (c.choice = 'any' or h.type = c.choice)
      and h.starts_at >= c.from_at and h.starts_at < c.to_at
    group by c.period_id
    order by c.period_id`.execute(db);
  const periods = new Map<number, SideCounts>();
  let nextChange: Date | null = null;
  for (const row of result.rows) {
    periods.set(row.period_id, { total: Number(row.total), hongKong: Number(row.hong_kong), zhejiang: Number(row.zhejiang) });
    const next = row.next_start === null ? null : new Date(row.next_start);
    if (next && (!nextChange || next < nextChange)) nextChange = next;
  }
  return { periods, nextChange };
}

/** Indicators fed by events ("promotion activities a year"): their actuals are the dates of the events held for their commitment. */
export const eventIndicatorCounts: IndicatorCountSource = {
  kind: 'events',
  choices: CHOICES.map((choice) => ({ value: choice, label: choice === 'any' ? 'events.indicatorCounts.any' : `events.type.${choice}` })),
  label: 'events.indicatorCounts.label',
  hint: 'events.indicatorCounts.hint',
  badge: 'events.indicatorCounts.badge',
  note: 'events.indicatorCounts.note',
  recordsLink: 'events.indicatorCounts.link',
  noFigure: 'events.indicatorCounts.noFigure',
  count: countOccurrences,
  /** The calendar of the events counted: the commitment's, of the type counted. */
  recordsPath(commitmentCode, choice) {
    const query = new URLSearchParams({ commitment: commitmentCode });
    if (choice !== 'any') query.set('type', choice);
    return `/events?${query.toString()}`;
  },
};

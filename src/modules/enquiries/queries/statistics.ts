// Statistics: cases received and closed per month and agency.
import { type Kysely, sql, type Transaction } from 'kysely';
import type { Database } from '../../../platform/db/schema.ts';

type Q = Kysely<Database> | Transaction<Database>;

export interface StatisticsRow {
  agencyId: string | null;
  month: string;
  received: number;
  closed: number;
  closedOnTime: number;
  medianWorkingDays: number | null;
  averageSatisfaction: number | null;
  ratings: number;
}

/**
 * Per month (or for the whole year) and per handling agency (unless `overall`): cases received that month, and of those
 * closed that month how many within their time limit, the median working days taken and the average
 * satisfaction. Purged cases count like the others. A transferred case counts for the agency that
 * handles it now (the one that closed it).
 */
export async function findStatistics(db: Q, options: { year: number; agencyId?: string | undefined; overall?: boolean; wholeYear?: boolean }): Promise<StatisticsRow[]> {
  const from = `${options.year}-01-01`;
  const to = `${options.year}-12-31`;
  const agency = options.agencyId ? sql`and agency_id = ${options.agencyId}` : sql``;
  const key = options.overall ? sql`null::text` : sql`agency_id`;
  const period = sql.lit(options.wholeYear ? 'YYYY' : 'YYYY-MM');
  const result = await sql<{
    agency_id: string | null;
    month: string;
    received: string | null;
    closed: string | null;
    on_time: string | null;
    median: number | string | null;
    satisfaction: number | string | null;
    ratings: string | null;
  }>`
    with received as (
      select ${key} as agency_id, to_char(received_on, ${period}) as month, count(*) as received
      from enquiries where received_on between ${from}::date and ${to}::date ${agency}
      group by 1, 2
    ), closed as (
      select ${key} as agency_id, to_char(closed_on, ${period}) as month, count(*) as closed,
        count(*) filter (where on_time) as on_time,
        percentile_cont(0.5) within group (order by working_days_taken) as median,
        avg(satisfaction) as satisfaction, count(satisfaction) as ratings
      from enquiries where state = 'closed' and closed_on between ${from}::date and ${to}::date ${agency}
      group by 1, 2
    )
    select coalesce(r.agency_id, c.agency_id) as agency_id, coalesce(r.month, c.month) as month, r.received, c.closed, c.on_time, c.median, c.satisfaction, c.ratings
    from received r full outer join closed c on r.month = c.month and r.agency_id is not distinct from c.agency_id
    order by 1 nulls last, 2`.execute(db);
  return result.rows.map((r) => ({
    agencyId: r.agency_id,
    month: r.month,
    received: Number(r.received ?? 0),
    closed: Number(r.closed ?? 0),
    closedOnTime: Number(r.on_time ?? 0),
    medianWorkingDays: r.median === null ? null : Number(r.median),
    averageSatisfaction: r.satisfaction === null ? null : Math.round(Number(r.satisfaction) * 100) / 100,
    ratings: Number(r.ratings ?? 0),
  }));
}

/** The first and last years with cases (read from the index on the received day), or undefined. */
export async function findStatisticsYears(db: Q): Promise<{ first: number; last: number } | undefined> {
  const row = await db
    .selectFrom('enquiries')
    .select([sql<string | null>`min(received_on)`.as('first'), sql<string | null>`max(received_on)`.as('last')])
    .executeTakeFirstOrThrow();
  return row.first && row.last ? { first: Number(row.first.slice(0, 4)), last: Number(row.last.slice(0, 4)) } : undefined;
}

import type { FastifyRateLimitStore, FastifyRateLimitStoreCtor } from '@fastify/rate-limit';
import { type Kysely, sql } from 'kysely';
import type { Database } from '../db/schema.ts';

/**
 * A store for @fastify/rate-limit that keeps its counters in the database, so that several app
 * processes on one PostgreSQL count together (an in-memory store would let each allow the limit).
 * Each route counts separately. Old windows are removed by the daily housekeeping job.
 */
export function databaseRateLimitStore(db: Kysely<Database>): FastifyRateLimitStoreCtor {
  class DatabaseStore implements FastifyRateLimitStore {
    constructor(
      _options: unknown,
      private readonly prefix = 'global',
    ) {}

    incr(key: string, callback: (error: Error | null, result?: { current: number; ttl: number }) => void, timeWindow: number): void {
      const id = `${this.prefix}|${key}`;
      const window = sql`${timeWindow} * interval '1 millisecond'`;
      sql<{ hits: number; ttl: number }>`
        insert into rate_limits (key, window_start, hits) values (${id}, now(), 1)
        on conflict (key) do update set
          hits = case when rate_limits.window_start + ${window} <= now() then 1 else rate_limits.hits + 1 end,
          window_start = case when rate_limits.window_start + ${window} <= now() then now() else rate_limits.window_start end
        returning hits, greatest(0, ceil(extract(epoch from (window_start + ${window} - now())) * 1000))::integer as ttl`
        .execute(db)
        .then(({ rows }) => {
          const row = rows[0];
          callback(null, { current: Number(row?.hits ?? 1), ttl: Number(row?.ttl ?? timeWindow) });
        })
        .catch((error: Error) => callback(error));
    }

    /** The plugin passes the route as `routeInfo` among the merged limit parameters. */
    child(params: unknown): FastifyRateLimitStore {
      const route = (params as { routeInfo?: { method?: string | string[]; url?: string } }).routeInfo;
      return new DatabaseStore(undefined, `${[route?.method ?? ''].flat().join(',')} ${route?.url ?? ''}`);
    }
  }
  return DatabaseStore as unknown as FastifyRateLimitStoreCtor;
}

/** Removes counters whose window ended long ago. */
export async function purgeRateLimits(db: Kysely<Database>): Promise<number> {
  const result = await db.deleteFrom('rate_limits').where('window_start', '<', sql<Date>`now() - interval '1 day'`).executeTakeFirst();
  return Number(result.numDeletedRows);
}

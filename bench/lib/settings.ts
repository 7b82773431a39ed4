// What every benchmark reads from the environment.
import { BenchError } from './server.ts';

export type DatabaseKind = 'pglite' | 'postgres';

export interface Settings {
  /** BENCH_SECONDS: seconds of load per URL (default 10). */
  seconds: number;
  /** BENCH_ONLY=pglite|postgres: one database only (default both). */
  databases: DatabaseKind[];
  /** BENCH_PG_ADMIN_URL: where the benchmark creates and drops its PostgreSQL databases. */
  adminUrl: string;
}

export function readSettings(env: NodeJS.ProcessEnv): Settings {
  const rawSeconds = env.BENCH_SECONDS ?? '';
  const seconds = rawSeconds === '' ? 10 : Number(rawSeconds);
  if (!Number.isFinite(seconds) || seconds <= 0) throw new BenchError(`BENCH_SECONDS must be a positive number (got "${rawSeconds}")`);
  const only = env.BENCH_ONLY ?? '';
  if (only !== '' && only !== 'pglite' && only !== 'postgres') throw new BenchError(`BENCH_ONLY must be pglite or postgres (got "${only}")`);
  return {
    seconds,
    databases: only === '' ? ['pglite', 'postgres'] : [only],
    adminUrl: env.BENCH_PG_ADMIN_URL || 'postgres://postgres@127.0.0.1:5432/postgres',
  };
}

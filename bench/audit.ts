// Audited writes per second: 20 concurrent writers, each running transactions that make one small
// write and append one audit record, on PostgreSQL and on PGlite. Two variants on the same database:
// "before", the trail as it was until December 2026 (one advisory lock held by every audited
// transaction until commit, plain SHA-256, one chain; copied here into its own table), and "now", the
// platform's audit() (keyed chains, a transaction takes one of several chains). Verifies the trail
// afterwards. The two variants run twice each, taking turns. Prints figures; exits 0 (1 only when the
// benchmark itself could not run).
// Env: BENCH_SECONDS (default 10), BENCH_ONLY=pglite|postgres,
// BENCH_PG_ADMIN_URL (default postgres://postgres@127.0.0.1:5432/postgres), BENCH_WRITERS (default 20).
import { createHash, randomBytes } from 'node:crypto';
import os from 'node:os';
import { Kysely, PostgresDialect, sql, type Transaction } from 'kysely';
import pg from 'pg';
import { audit, verifyAuditTrail } from '../src/platform/audit/audit.ts';
import { canonical } from '../src/platform/canonical.ts';
import { type Db, migrate, openDatabase } from '../src/platform/db/index.ts';
import type { Database } from '../src/platform/db/schema.ts';
import { installKeys } from '../src/platform/secrets.ts';
import { onEachDatabase } from './lib/environments.ts';
import { runBenchmark, table } from './lib/output.ts';
import { saveResults } from './lib/results.ts';
import type { DatabaseKind } from './lib/settings.ts';
import { readSettings } from './lib/settings.ts';
import { BenchError } from './lib/server.ts';

const WARMUP_SECONDS = 1;

// --- the trail as it was before: one lock for every audited transaction, held to commit ----------

const BEFORE_LOCK = 7_201_932_023;
const BEFORE_GENESIS = '0'.repeat(64);

async function createBeforeTable(db: Kysely<Database>): Promise<void> {
  await sql`
    create table bench_audit_before (
      id bigint generated always as identity primary key,
      occurred_at timestamptz not null, actor_type text not null, actor_id text, actor_label text not null,
      on_behalf_of text, action text not null, entity_type text not null, entity_id text not null,
      changes jsonb not null, request_id text, ip text, prev_hash text not null, hash text not null unique
    )`.execute(db);
}

async function auditBefore(trx: Transaction<Database>, entityId: string): Promise<void> {
  await sql`select pg_advisory_xact_lock(${BEFORE_LOCK})`.execute(trx);
  const last = await sql<{ hash: string }>`select hash from bench_audit_before order by id desc limit 1`.execute(trx);
  const prevHash = last.rows[0]?.hash ?? BEFORE_GENESIS;
  const fields = {
    occurred_at: new Date(),
    actor_type: 'system',
    actor_id: null,
    actor_label: 'system',
    on_behalf_of: null,
    action: 'bench.written',
    entity_type: 'bench-thing',
    entity_id: entityId,
    changes: { n: { before: null, after: 1 } },
    request_id: null,
    ip: null,
  };
  const content = canonical({ ...fields, occurred_at: fields.occurred_at.toISOString() });
  const hash = createHash('sha256').update(prevHash).update('\n').update(JSON.stringify(content)).digest('hex');
  await sql`
    insert into bench_audit_before (occurred_at, actor_type, actor_id, actor_label, on_behalf_of, action, entity_type, entity_id, changes, request_id, ip, prev_hash, hash)
    values (${fields.occurred_at}, ${fields.actor_type}, null, ${fields.actor_label}, null, ${fields.action}, ${fields.entity_type}, ${fields.entity_id},
            ${JSON.stringify(fields.changes)}::jsonb, null, null, ${prevHash}, ${hash})`.execute(trx);
}

// --- the load ------------------------------------------------------------------------------------

type Variant = 'before' | 'now';

/** One transaction: the small write an audited change makes, and its audit record. */
async function audited(db: Kysely<Database>, variant: Variant): Promise<void> {
  await db.transaction().execute(async (trx) => {
    const row = await sql<{ id: string }>`insert into bench_things (n) values (1) returning id`.execute(trx);
    const id = String(row.rows[0]?.id);
    if (variant === 'before') await auditBefore(trx, id);
    else await audit(trx, { actor: { type: 'system', label: 'system' }, action: 'bench.written', entity: { type: 'bench-thing', id }, changes: { n: { before: null, after: 1 } } });
  });
}

interface Figures {
  database: DatabaseKind;
  variant: Variant;
  writers: number;
  seconds: number;
  commits: number;
  perSecond: number;
  p50: number;
  p95: number;
  verified: string;
}

async function load(db: Kysely<Database>, variant: Variant, writers: number, seconds: number): Promise<{ commits: number; latencies: number[] }> {
  const latencies: number[] = [];
  let commits = 0;
  const warmupEnds = Date.now() + WARMUP_SECONDS * 1000;
  const ends = warmupEnds + seconds * 1000;
  await Promise.all(
    Array.from({ length: writers }, async () => {
      while (Date.now() < ends) {
        const started = performance.now();
        await audited(db, variant);
        if (Date.now() > warmupEnds) {
          latencies.push(performance.now() - started);
          commits += 1;
        }
      }
    }),
  );
  latencies.sort((a, b) => a - b);
  return { commits, latencies };
}

const percentile = (sorted: number[], p: number): number => sorted[Math.min(sorted.length - 1, Math.floor((sorted.length * p) / 100))] ?? 0;

async function main(): Promise<number> {
  const settings = readSettings(process.env);
  const rawWriters = process.env.BENCH_WRITERS ?? '20';
  const writers = Number(rawWriters);
  if (!Number.isInteger(writers) || writers <= 0) throw new BenchError(`BENCH_WRITERS must be a positive whole number (got "${rawWriters}")`);
  installKeys(randomBytes(32));
  const results = { runs: [] as Figures[], failures: [] as string[], notes: [] as string[] };

  await onEachDatabase('audit', settings, results, async (database, environment) => {
    const opened: Db = await openDatabase({ dataDir: environment.env.DATA_DIR as string, ...(environment.env.DATABASE_URL ? { databaseUrl: environment.env.DATABASE_URL } : {}) });
    // On PostgreSQL every writer gets its own connection (the platform's pool keeps 10).
    const pool = environment.env.DATABASE_URL ? new pg.Pool({ connectionString: environment.env.DATABASE_URL, max: writers + 1 }) : undefined;
    // Dropping the throwaway database at the end ends any connection still open (57P01): expected then.
    pool?.on('error', (error) => {
      if ((error as { code?: string }).code !== '57P01') console.error(`postgres writer connection: ${error.message}`);
    });
    const writersDb = pool ? new Kysely<Database>({ dialect: new PostgresDialect({ pool }) }) : opened.kysely;
    try {
      await migrate(opened);
      await sql`create table bench_things (id bigint generated always as identity primary key, n int not null)`.execute(opened.kysely);
      await createBeforeTable(opened.kysely);
      // The variants take turns, so that a machine busy with something else slows both alike.
      for (const variant of ['before', 'now', 'before', 'now'] as const) {
        console.error(`${database}: ${variant}, ${writers} writers, ${settings.seconds} s`);
        const { commits, latencies } = await load(writersDb, variant, writers, settings.seconds);
        const verified = variant === 'now' ? await verifyAuditTrail(opened.kysely).then((r) => (r.broken ? `BROKEN at ${r.broken.id}` : `${r.checked} records intact`)) : '(not keyed)';
        results.runs.push({
          database,
          variant,
          writers,
          seconds: settings.seconds,
          commits,
          perSecond: Math.round(commits / settings.seconds),
          p50: Number(percentile(latencies, 50).toFixed(1)),
          p95: Number(percentile(latencies, 95).toFixed(1)),
          verified,
        });
      }
    } finally {
      if (writersDb !== opened.kysely) await writersDb.destroy();
      await opened.close();
    }
  });

  console.log(`\nAudited writes (one small write + one audit record a transaction), ${writers} concurrent writers, ${os.cpus().length} CPUs`);
  table(
    ['database', 'trail', 'commits', 'per second', 'p50 ms', 'p95 ms', 'verify'],
    results.runs.map((r) => [r.database, r.variant, String(r.commits), String(r.perSecond), String(r.p50), String(r.p95), r.verified]),
    2,
  );
  for (const note of results.notes) console.log(`note: ${note}`);
  for (const failure of results.failures) console.log(`FAILED: ${failure}`);
  if (results.runs.length > 0) saveResults('audit', { writers, seconds: settings.seconds, ...results });
  return results.failures.length > 0 && results.runs.length === 0 ? 1 : 0;
}

runBenchmark(main);

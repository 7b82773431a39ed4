import { type Kysely, sql } from 'kysely';
import { json } from '../db/index.ts';
import type { Database, JobState } from '../db/schema.ts';

/**
 * Durable jobs. A job is a row in `jobs`: written in the caller's transaction (so it exists if and
 * only if the change that asked for it does), claimed by a worker under a lease, then marked done,
 * retried later with backoff, or failed for good. Delivery is at least once: a worker that dies
 * after doing the work but before marking it done leaves a lease that runs out, and the job runs
 * again, so handlers must be safe to repeat.
 */

export interface Job {
  id: string;
  kind: string;
  payload: unknown;
  state: JobState;
  runAt: Date;
  /** Attempts started so far, this one included once claimed. */
  attempts: number;
  maxAttempts: number;
  lockedBy: string | null;
  lockedUntil: Date | null;
  lastError: string | null;
  dedupeKey: string | null;
  createdAt: Date;
  finishedAt: Date | null;
}

interface JobRow {
  id: string | number | bigint;
  kind: string;
  payload: unknown;
  state: JobState;
  run_at: Date;
  attempts: number;
  max_attempts: number;
  locked_by: string | null;
  locked_until: Date | null;
  last_error: string | null;
  dedupe_key: string | null;
  created_at: Date;
  finished_at: Date | null;
}

export const DEFAULT_MAX_ATTEMPTS = 8;
/** How long a claimed job is the claimer's before another worker may take it over. */
export const DEFAULT_LEASE_MS = 5 * 60_000;
const MAX_ERROR_LENGTH = 2_000;

function toJob(row: JobRow): Job {
  return {
    id: String(row.id),
    kind: row.kind,
    payload: row.payload,
    state: row.state,
    runAt: row.run_at,
    attempts: row.attempts,
    maxAttempts: row.max_attempts,
    lockedBy: row.locked_by,
    lockedUntil: row.locked_until,
    lastError: row.last_error,
    dedupeKey: row.dedupe_key,
    createdAt: row.created_at,
    finishedAt: row.finished_at,
  };
}

function interval(ms: number) {
  return sql`(${Math.max(0, Math.round(ms))} * interval '1 millisecond')`;
}

export interface EnqueueOptions {
  /** Run no earlier than this instant. */
  runAt?: Date;
  /** Run no earlier than this many milliseconds from now (ignored when runAt is given). */
  delayMs?: number;
  maxAttempts?: number;
  /** At most one job ever has this key: enqueueing it again does nothing. */
  dedupeKey?: string;
}

/**
 * Adds a job. Pass the transaction of the change the job belongs to, so that a rolled-back change
 * leaves no job. Returns the job's id, or null when a job with the same dedupe key already exists.
 */
export async function enqueue(db: Kysely<Database>, kind: string, payload: unknown = {}, options: EnqueueOptions = {}): Promise<string | null> {
  const maxAttempts = options.maxAttempts ?? DEFAULT_MAX_ATTEMPTS;
  if (!Number.isInteger(maxAttempts) || maxAttempts < 1) throw new RangeError(`maxAttempts must be a whole number of at least 1 (got ${maxAttempts})`);
  const runAt = options.runAt ?? sql<Date>`now() + ${interval(options.delayMs ?? 0)}`;
  const row = await db
    .insertInto('jobs')
    .values({ kind, payload: json(payload), run_at: runAt, max_attempts: maxAttempts, dedupe_key: options.dedupeKey ?? null })
    .onConflict((oc) => oc.column('dedupe_key').doNothing())
    .returning('id')
    .executeTakeFirst();
  return row ? String(row.id) : null;
}

export interface ClaimOptions {
  /** Names the claimer; only it may complete or fail what it claimed. */
  workerId: string;
  limit: number;
  leaseMs?: number;
  /** Only jobs of these kinds (those the worker has handlers for); others wait for a worker that has. */
  kinds?: readonly string[];
}

/**
 * Takes up to `limit` jobs that are due, or whose previous claimer's lease has run out, and leases
 * them to the worker. Rows another worker is claiming at the same moment are skipped, not waited
 * for, so concurrent workers never take the same job.
 */
export async function claim(db: Kysely<Database>, options: ClaimOptions): Promise<Job[]> {
  await failAbandoned(db);
  const lease = interval(options.leaseMs ?? DEFAULT_LEASE_MS);
  const { rows } = await sql<JobRow>`
    with next as (
      select id from jobs
      where ((state = 'queued' and run_at <= now())
         or (state = 'running' and locked_until < now() and attempts < max_attempts))
        and ${options.kinds ? sql`kind in (${sql.join(options.kinds.length ? options.kinds : [''])})` : sql`true`}
      order by run_at, id
      limit ${options.limit}
      for update skip locked
    )
    update jobs
    set state = 'running', attempts = jobs.attempts + 1, locked_by = ${options.workerId}, locked_until = now() + ${lease}
    from next
    where jobs.id = next.id
    returning jobs.*`.execute(db);
  return rows.map(toJob).sort((a, b) => a.runAt.getTime() - b.runAt.getTime() || Number(a.id) - Number(b.id));
}

/** A job whose last allowed attempt was abandoned (its lease ran out) fails instead of running again. */
async function failAbandoned(db: Kysely<Database>): Promise<void> {
  await sql`
    update jobs
    set state = 'failed', finished_at = now(), locked_until = null,
        last_error = concat_ws(E'\n', last_error, 'the worker running the last attempt stopped before finishing it (lease expired)')
    where state = 'running' and locked_until < now() and attempts >= max_attempts`.execute(db);
}

/** The claim a worker holds on a job: the job id, the claimer and which attempt it is. */
function held(db: Kysely<Database>, job: Job, workerId: string) {
  return db.updateTable('jobs').where('id', '=', job.id).where('state', '=', 'running').where('locked_by', '=', workerId).where('attempts', '=', job.attempts);
}

/** Marks a claimed job done. False when the worker had lost its lease (another worker took the job over). */
export async function complete(db: Kysely<Database>, job: Job, workerId: string): Promise<boolean> {
  const result = await held(db, job, workerId).set({ state: 'done', finished_at: sql<Date>`now()`, locked_until: null }).executeTakeFirst();
  return result.numUpdatedRows > 0n;
}

export interface FailOptions {
  /** When to try again; the default is retryDelayMs(job.attempts). */
  retryDelayMs?: number;
  /** Fail for good, whatever attempts are left. */
  permanent?: boolean;
}

/**
 * Records a failed attempt: the job is queued again after a backoff, or, when it has used its last
 * attempt (or the failure is permanent), marked failed. False when the worker had lost its lease.
 */
export async function fail(db: Kysely<Database>, job: Job, workerId: string, error: unknown, options: FailOptions = {}): Promise<boolean> {
  const lastError = describeError(error);
  const final = options.permanent === true || job.attempts >= job.maxAttempts;
  const update = final
    ? { state: 'failed' as const, finished_at: sql<Date>`now()`, locked_until: null, last_error: lastError }
    : {
        state: 'queued' as const,
        run_at: sql<Date>`now() + ${interval(options.retryDelayMs ?? retryDelayMs(job.attempts))}`,
        locked_until: null,
        last_error: lastError,
      };
  const result = await held(db, job, workerId).set(update).executeTakeFirst();
  return result.numUpdatedRows > 0n;
}

/** Pushes a claimed job's lease forward (a long job keeps its claim this way). False when it was lost. */
export async function extendLease(db: Kysely<Database>, job: Job, workerId: string, leaseMs: number = DEFAULT_LEASE_MS): Promise<boolean> {
  const result = await held(db, job, workerId)
    .set({ locked_until: sql<Date>`now() + ${interval(leaseMs)}` })
    .executeTakeFirst();
  return result.numUpdatedRows > 0n;
}

const BACKOFF_BASE_MS = 10_000;
const BACKOFF_CAP_MS = 60 * 60_000;

/**
 * How long to wait before the next attempt after `attempts` failed ones: 2^attempts × 10 s, capped
 * at one hour, of which a random part (up to a half) is taken off so that jobs failing together
 * do not all come back together.
 */
export function retryDelayMs(attempts: number, random: () => number = Math.random): number {
  const full = Math.min(BACKOFF_BASE_MS * 2 ** Math.max(0, attempts), BACKOFF_CAP_MS);
  return Math.round(full * (1 - random() / 2));
}

/** The message kept in last_error: the error's own words, not its stack. */
export function describeError(error: unknown): string {
  const text = error instanceof Error ? (error.name && error.name !== 'Error' ? `${error.name}: ${error.message}` : error.message) : String(error);
  return text.length > MAX_ERROR_LENGTH ? `${text.slice(0, MAX_ERROR_LENGTH - 1)}…` : text;
}

/** Puts a failed job back in the queue with its attempts reset (an administrator's "try again"). */
export async function retryJob(db: Kysely<Database>, id: string): Promise<boolean> {
  const result = await db
    .updateTable('jobs')
    .set({ state: 'queued', attempts: 0, run_at: sql<Date>`now()`, finished_at: null, locked_by: null, locked_until: null })
    .where('id', '=', id)
    .where('state', '=', 'failed')
    .executeTakeFirst();
  return result.numUpdatedRows > 0n;
}

/** Deletes finished jobs older than `olderThanDays` (done ones by default; failed ones only when asked). */
export async function purgeJobs(db: Kysely<Database>, olderThanDays: number, states: ('done' | 'failed')[] = ['done']): Promise<number> {
  if (!(olderThanDays >= 0)) throw new RangeError(`olderThanDays must be zero or more (got ${olderThanDays})`);
  if (states.length === 0) return 0;
  const result = await db.deleteFrom('jobs').where('state', 'in', states).where('finished_at', '<', sql<Date>`now() - ${olderThanDays} * interval '1 day'`).executeTakeFirst();
  return Number(result.numDeletedRows);
}

/** One job by id (for tests, admin pages and handlers that need more than the payload). */
export async function findJob(db: Kysely<Database>, id: string): Promise<Job | undefined> {
  const row = await db.selectFrom('jobs').selectAll().where('id', '=', id).executeTakeFirst();
  return row ? toJob(row as JobRow) : undefined;
}

import { randomBytes } from 'node:crypto';
import { hostname } from 'node:os';
import type { Kysely } from 'kysely';
import { type Clock, systemClock } from '../clock.ts';
import type { Database } from '../db/schema.ts';
import { claim, complete, DEFAULT_LEASE_MS, extendLease, fail, type Job, retryDelayMs } from './queue.ts';
import { enqueueRecurring, type Recurring } from './schedule.ts';

/** Logs as pino does: an object of fields, then a message. A pino logger fits. */
interface JobLog {
  info(fields: object, message: string): void;
  warn(fields: object, message: string): void;
  error(fields: object, message: string): void;
}

export interface JobContext {
  job: Job;
  db: Kysely<Database>;
  log: JobLog;
  workerId: string;
  /** The platform's clock (the app's; a test may set it): what "now" and "today" mean to the job's work. */
  now: Clock;
}

/** Does a job's work; throwing retries it later (or fails it for good, for a PermanentJobError). */
export type JobHandler<Payload = unknown> = (payload: Payload, ctx: JobContext) => Promise<void>;

/** Handlers by job kind; each may declare the payload it expects. */
export type JobHandlers = Record<string, JobHandler<never>>;

/** Thrown by a handler when trying again cannot help (the job's subject no longer exists, say). */
export class PermanentJobError extends Error {
  override name = 'PermanentJobError';
}

export interface WorkerOptions {
  db: Kysely<Database>;
  handlers: JobHandlers;
  /** How often to look for due jobs when there is nothing to do (default 1 s). */
  pollMs?: number;
  /** Jobs run at the same time by this worker (default 1). */
  concurrency?: number;
  /** How long a claim lasts without news from this worker (default 5 min); it is renewed while a job runs. */
  leaseMs?: number;
  /** Recurring jobs whose next occurrence the worker keeps enqueued. */
  recurring?: Recurring[];
  /** Wait before the next attempt after `attempts` failed ones (default retryDelayMs: exponential with jitter). */
  retryDelay?: (attempts: number) => number;
  log?: JobLog;
  /** Names this worker in jobs.locked_by (default host:pid:random). */
  workerId?: string;
  /** The clock handed to handlers (default the real one). Leases, retries and schedules keep real time. */
  now?: Clock;
}

export interface Worker {
  id: string;
  /** Stops claiming jobs and resolves once the jobs already running have finished. */
  stop(): Promise<void>;
}

const SILENT: JobLog = { info() {}, warn() {}, error() {} };

interface Runner {
  db: Kysely<Database>;
  handlers: JobHandlers;
  leaseMs: number;
  retryDelay: (attempts: number) => number;
  log: JobLog;
  workerId: string;
  now: Clock;
}

function runner(options: WorkerOptions): Runner {
  return {
    db: options.db,
    handlers: options.handlers,
    leaseMs: options.leaseMs ?? DEFAULT_LEASE_MS,
    retryDelay: options.retryDelay ?? retryDelayMs,
    log: options.log ?? SILENT,
    workerId: options.workerId ?? `${hostname()}:${process.pid}:${randomBytes(4).toString('hex')}`,
    now: options.now ?? systemClock,
  };
}

function positive(name: string, value: number): number {
  if (!Number.isInteger(value) || value < 1) throw new RangeError(`${name} must be a whole number of at least 1 (got ${value})`);
  return value;
}

function jobFields(job: Job): Record<string, unknown> {
  return { jobId: job.id, kind: job.kind, attempt: job.attempts, maxAttempts: job.maxAttempts };
}

/** Renews the lease on a job every third of the lease while its handler runs. */
function keepLease(r: Runner, job: Job): () => void {
  const timer = setInterval(
    () => {
      extendLease(r.db, job, r.workerId, r.leaseMs).then(
        (held) => {
          if (!held) r.log.warn(jobFields(job), 'lost the lease on a running job; another worker may run it again');
        },
        (error: unknown) => r.log.warn({ ...jobFields(job), err: error }, 'could not renew the lease on a running job'),
      );
    },
    Math.max(1, Math.floor(r.leaseMs / 3)),
  );
  timer.unref();
  return () => clearInterval(timer);
}

/** Runs one claimed job and records how it went. Never throws. */
async function runJob(r: Runner, job: Job): Promise<void> {
  const started = Date.now();
  const handler = r.handlers[job.kind] as JobHandler | undefined;
  try {
    if (!handler) {
      const known = Object.keys(r.handlers).sort().join(', ') || 'none';
      await fail(r.db, job, r.workerId, new PermanentJobError(`no handler for job kind "${job.kind}" (this worker handles: ${known})`), { permanent: true });
      r.log.error(jobFields(job), `job failed: no handler for kind "${job.kind}"`);
      return;
    }
    await runHandler(r, job, handler, started);
  } catch (error) {
    // Only the bookkeeping can land here (the database went away); the lease runs out and the job runs again.
    r.log.error({ ...jobFields(job), err: error }, 'could not record the outcome of a job');
  }
}

async function runHandler(r: Runner, job: Job, handler: JobHandler, started: number): Promise<void> {
  const release = keepLease(r, job);
  let outcome: { ok: true } | { ok: false; error: unknown };
  try {
    await handler(job.payload, { job, db: r.db, log: r.log, workerId: r.workerId, now: r.now });
    outcome = { ok: true };
  } catch (error) {
    outcome = { ok: false, error };
  } finally {
    release();
  }
  const fields = { ...jobFields(job), ms: Date.now() - started };
  if (outcome.ok) {
    const held = await complete(r.db, job, r.workerId);
    if (held) r.log.info(fields, 'job done');
    else r.log.warn(fields, 'job finished after its lease was lost; another worker may have run it too');
    return;
  }
  const permanent = outcome.error instanceof PermanentJobError;
  const final = permanent || job.attempts >= job.maxAttempts;
  const held = await fail(r.db, job, r.workerId, outcome.error, { permanent, retryDelayMs: r.retryDelay(job.attempts) });
  if (!held) r.log.warn({ ...fields, err: outcome.error }, 'job failed after its lease was lost');
  else if (final) r.log.error({ ...fields, err: outcome.error }, 'job failed for good');
  else r.log.warn({ ...fields, err: outcome.error }, 'job failed; it will be tried again');
}

/**
 * Runs due jobs until none is left, `concurrency` at a time, and returns how many attempts it made.
 * For commands and tests; a server runs startWorker instead.
 */
export async function runDueJobs(options: WorkerOptions): Promise<number> {
  const r = runner(options);
  const concurrency = positive('concurrency', options.concurrency ?? 1);
  let attempts = 0;
  for (;;) {
    const jobs = await claim(r.db, { workerId: r.workerId, limit: concurrency, leaseMs: r.leaseMs, kinds: Object.keys(r.handlers) });
    if (jobs.length === 0) return attempts;
    attempts += jobs.length;
    await Promise.all(jobs.map((job) => runJob(r, job)));
  }
}

/** A sleep that a finishing job or stop() cuts short; a wake-up while awake is kept for the next sleep. */
function alarm() {
  let pending = false;
  let ring: (() => void) | undefined;
  return {
    wake() {
      pending = true;
      ring?.();
    },
    sleep(ms: number): Promise<void> {
      if (pending) {
        pending = false;
        return Promise.resolve();
      }
      return new Promise((resolve) => {
        const timer = setTimeout(finish, ms);
        function finish() {
          clearTimeout(timer);
          ring = undefined;
          pending = false;
          resolve();
        }
        ring = finish;
      });
    },
  };
}

/**
 * Starts a worker that polls for due jobs and runs them, at most `concurrency` at a time, and keeps
 * the recurring jobs' next occurrences enqueued. Any number of workers may share one database.
 */
export function startWorker(options: WorkerOptions): Worker {
  const r = runner(options);
  const concurrency = positive('concurrency', options.concurrency ?? 1);
  const pollMs = positive('pollMs', options.pollMs ?? 1_000);
  const recurring = options.recurring ?? [];
  const enqueued = new Set<string>();
  const active = new Set<Promise<void>>();
  const clock = alarm();
  let stopping = false;

  async function tick(): Promise<void> {
    if (recurring.length > 0) await enqueueRecurring(r.db, recurring, r.now(), enqueued);
    const free = concurrency - active.size;
    if (free <= 0 || stopping) return;
    for (const job of await claim(r.db, { workerId: r.workerId, limit: free, leaseMs: r.leaseMs, kinds: Object.keys(r.handlers) })) {
      const running: Promise<void> = runJob(r, job).finally(() => {
        active.delete(running);
        clock.wake();
      });
      active.add(running);
    }
  }

  const loop = (async () => {
    while (!stopping) {
      try {
        await tick();
      } catch (error) {
        r.log.error({ workerId: r.workerId, err: error }, 'job worker could not reach the queue; trying again');
      }
      if (!stopping) await clock.sleep(pollMs);
    }
    await Promise.all(active);
  })();

  return {
    id: r.workerId,
    stop() {
      stopping = true;
      clock.wake();
      return loop;
    },
  };
}

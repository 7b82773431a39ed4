import { sql } from 'kysely';
import { pino } from 'pino';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { DATABASES, freshDatabase, freshDatabaseEach, type TestDatabase } from '../../../test/databases.ts';
import { openDatabase } from '../db/index.ts';
import { claim, complete, DEFAULT_MAX_ATTEMPTS, enqueue, findJob, purgeJobs, retryDelayMs, retryJob } from './queue.ts';
import { type JobContext, PermanentJobError, runDueJobs, startWorker } from './worker.ts';

async function waitUntil(condition: () => Promise<boolean>, timeoutMs = 20_000): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  while (!(await condition())) {
    if (Date.now() > deadline) throw new Error(`condition not met within ${timeoutMs} ms`);
    await new Promise((resolve) => setTimeout(resolve, 10));
  }
}

describe('retry backoff', () => {
  it('doubles from 20 s, loses at most half to jitter, and stops growing at one hour', () => {
    expect(retryDelayMs(1, () => 0)).toBe(20_000);
    expect(retryDelayMs(1, () => 1)).toBe(10_000);
    expect(retryDelayMs(2, () => 0)).toBe(40_000);
    expect(retryDelayMs(8, () => 0)).toBe(2_560_000);
    expect(retryDelayMs(9, () => 0)).toBe(3_600_000);
    expect(retryDelayMs(30, () => 0.5)).toBe(2_700_000);
  });
});

describe.each(DATABASES)('jobs on %s', (kind) => {
  const t = freshDatabaseEach(kind, { empty: true });

  const jobState = async (id: string | null) => {
    const job = await findJob(t.db.kysely, id as string);
    if (!job) throw new Error(`job ${id} is gone`);
    return job;
  };
  const makeDue = (id: string | null) =>
    t.db.kysely
      .updateTable('jobs')
      .set({ run_at: sql<Date>`now()` })
      .where('id', '=', id as string)
      .execute();

  it('never runs a job enqueued in a rolled-back transaction, and runs a committed one once', async () => {
    await expect(
      t.db.kysely.transaction().execute(async (trx) => {
        await enqueue(trx, 'test.record', { n: 1 });
        throw new Error('the change failed');
      }),
    ).rejects.toThrow('the change failed');
    await t.db.kysely.transaction().execute((trx) => enqueue(trx, 'test.record', { n: 2 }));

    const seen: unknown[] = [];
    const handlers = { 'test.record': async (payload: { n: number }) => void seen.push(payload) };
    expect(await runDueJobs({ db: t.db.kysely, handlers })).toBe(1);
    expect(await runDueJobs({ db: t.db.kysely, handlers })).toBe(0);
    expect(seen).toEqual([{ n: 2 }]);
    const rows = await t.db.kysely.selectFrom('jobs').select(['state', 'attempts', 'finished_at']).execute();
    expect(rows).toEqual([{ state: 'done', attempts: 1, finished_at: expect.any(Date) }]);
  });

  it('retries a failing handler with growing delays and fails it after max attempts, keeping the last error', async () => {
    const id = await enqueue(t.db.kysely, 'test.flaky', {}, { maxAttempts: 3 });
    let calls = 0;
    const handlers = {
      'test.flaky': async () => {
        calls += 1;
        throw new Error(`boom ${calls}`);
      },
    };
    const delays: number[] = [];
    for (let attempt = 1; attempt <= 2; attempt += 1) {
      const before = Date.now();
      expect(await runDueJobs({ db: t.db.kysely, handlers })).toBe(1);
      const job = await jobState(id);
      expect(job).toMatchObject({ state: 'queued', attempts: attempt, lastError: `boom ${attempt}`, lockedUntil: null });
      delays.push(job.runAt.getTime() - before);
      expect(await runDueJobs({ db: t.db.kysely, handlers })).toBe(0);
      await makeDue(id);
    }
    expect(delays[0]).toBeGreaterThanOrEqual(10_000 - 1_000);
    expect(delays[0]).toBeLessThanOrEqual(20_000 + 1_000);
    expect(delays[1]).toBeGreaterThanOrEqual(20_000 - 1_000);
    expect(delays[1]).toBeLessThanOrEqual(40_000 + 1_000);

    expect(await runDueJobs({ db: t.db.kysely, handlers })).toBe(1);
    expect(await jobState(id)).toMatchObject({ state: 'failed', attempts: 3, lastError: 'boom 3', finishedAt: expect.any(Date) });
    await makeDue(id);
    expect(await runDueJobs({ db: t.db.kysely, handlers })).toBe(0);
    expect(calls).toBe(3);

    expect(await retryJob(t.db.kysely, id as string)).toBe(true);
    expect(await runDueJobs({ db: t.db.kysely, handlers, retryDelay: () => 0 })).toBe(3);
    expect(await jobState(id)).toMatchObject({ state: 'failed', attempts: 3, lastError: 'boom 6' });
  });

  it('uses eight attempts unless told otherwise', async () => {
    const id = await enqueue(t.db.kysely, 'test.broken');
    let calls = 0;
    const handlers = {
      'test.broken': async () => {
        calls += 1;
        throw new TypeError('always');
      },
    };
    await runDueJobs({ db: t.db.kysely, handlers, retryDelay: () => 0 });
    expect(calls).toBe(DEFAULT_MAX_ATTEMPTS);
    expect(await jobState(id)).toMatchObject({ state: 'failed', attempts: 8, lastError: 'TypeError: always' });
  });

  it('leaves a job of a kind it has no handler for to a worker that has one, and fails one whose handler says retrying cannot help', async () => {
    const unknown = await enqueue(t.db.kysely, 'test.nobody');
    const hopeless = await enqueue(t.db.kysely, 'test.hopeless');
    const handlers = {
      'test.hopeless': async () => {
        throw new PermanentJobError('the enquiry was deleted');
      },
    };
    expect(await runDueJobs({ db: t.db.kysely, handlers, retryDelay: () => 0 })).toBe(1);
    expect(await jobState(unknown)).toMatchObject({ state: 'queued', attempts: 0 });
    expect(await jobState(hopeless)).toMatchObject({ state: 'failed', attempts: 1, lastError: 'PermanentJobError: the enquiry was deleted' });
    expect(await runDueJobs({ db: t.db.kysely, handlers: { 'test.nobody': async () => {} } })).toBe(1);
    expect(await jobState(unknown)).toMatchObject({ state: 'done', attempts: 1 });
  });

  it('runs a job scheduled for later only once it is due', async () => {
    const later = await enqueue(t.db.kysely, 'test.later', {}, { delayMs: 60_000 });
    const at = await enqueue(t.db.kysely, 'test.later', {}, { runAt: new Date(Date.now() + 3_600_000) });
    const handlers = { 'test.later': async () => {} };
    expect(await runDueJobs({ db: t.db.kysely, handlers })).toBe(0);
    expect((await jobState(later)).runAt.getTime()).toBeGreaterThan(Date.now() + 50_000);
    await makeDue(later);
    expect(await runDueJobs({ db: t.db.kysely, handlers })).toBe(1);
    expect((await jobState(later)).state).toBe('done');
    expect((await jobState(at)).state).toBe('queued');
  });

  it('enqueues a job with a dedupe key once', async () => {
    const key = 'digest:2026-11-26:user-42';
    const first = await enqueue(t.db.kysely, 'test.digest', { user: 42 }, { dedupeKey: key });
    const second = await t.db.kysely.transaction().execute((trx) => enqueue(trx, 'test.digest', { user: 42 }, { dedupeKey: key }));
    expect(first).not.toBeNull();
    expect(second).toBeNull();
    const { count } = await t.db.kysely
      .selectFrom('jobs')
      .select((eb) => eb.fn.countAll<string>().as('count'))
      .executeTakeFirstOrThrow();
    expect(Number(count)).toBe(1);
  });

  it('lets another worker take over a job whose lease ran out, and not the worker that lost it', async () => {
    const id = await enqueue(t.db.kysely, 'test.crash');
    const [taken] = await claim(t.db.kysely, { workerId: 'worker-a', limit: 5, leaseMs: 60_000 });
    expect(taken).toMatchObject({ id, state: 'running', attempts: 1, lockedBy: 'worker-a' });
    expect(await claim(t.db.kysely, { workerId: 'worker-b', limit: 5 })).toEqual([]);

    // worker-a dies without a word; its lease runs out.
    await t.db.kysely
      .updateTable('jobs')
      .set({ locked_until: sql<Date>`now() - interval '1 second'` })
      .where('id', '=', id as string)
      .execute();
    const [retaken] = await claim(t.db.kysely, { workerId: 'worker-b', limit: 5 });
    expect(retaken).toMatchObject({ id, state: 'running', attempts: 2, lockedBy: 'worker-b' });
    expect(await complete(t.db.kysely, taken!, 'worker-a')).toBe(false);
    expect(await complete(t.db.kysely, retaken!, 'worker-b')).toBe(true);
    expect(await jobState(id)).toMatchObject({ state: 'done', attempts: 2, lockedUntil: null });
  });

  it('fails a job whose last attempt was abandoned instead of running it again', async () => {
    const id = await enqueue(t.db.kysely, 'test.crash', {}, { maxAttempts: 1 });
    await claim(t.db.kysely, { workerId: 'worker-a', limit: 1 });
    await t.db.kysely
      .updateTable('jobs')
      .set({ locked_until: sql<Date>`now() - interval '1 second'` })
      .where('id', '=', id as string)
      .execute();
    expect(await claim(t.db.kysely, { workerId: 'worker-b', limit: 1 })).toEqual([]);
    expect(await jobState(id)).toMatchObject({ state: 'failed', attempts: 1, lastError: expect.stringMatching(/lease expired/) });
  });

  it('purges finished jobs older than the given number of days', async () => {
    const old = await enqueue(t.db.kysely, 'test.old');
    const recent = await enqueue(t.db.kysely, 'test.recent');
    const broken = await enqueue(t.db.kysely, 'test.broken', {}, { maxAttempts: 1 });
    await runDueJobs({
      db: t.db.kysely,
      handlers: {
        'test.old': async () => {},
        'test.recent': async () => {},
        'test.broken': async () => {
          throw new Error('no');
        },
      },
    });
    await t.db.kysely
      .updateTable('jobs')
      .set({ finished_at: sql<Date>`now() - interval '31 days'` })
      .where('id', 'in', [old as string, broken as string])
      .execute();
    expect(await purgeJobs(t.db.kysely, 30)).toBe(1);
    expect(await findJob(t.db.kysely, old as string)).toBeUndefined();
    expect(await findJob(t.db.kysely, recent as string)).toBeDefined();
    expect(await purgeJobs(t.db.kysely, 30, ['done', 'failed'])).toBe(1);
    expect(await findJob(t.db.kysely, broken as string)).toBeUndefined();
  });

  it('renews the lease while a long job runs, so no other worker takes it over', async () => {
    const id = await enqueue(t.db.kysely, 'test.long');
    let intruders = 0;
    const handlers = {
      'test.long': async () => {
        for (let i = 0; i < 6; i += 1) {
          await new Promise((resolve) => setTimeout(resolve, 100));
          intruders += (await claim(t.db.kysely, { workerId: 'intruder', limit: 1, leaseMs: 300 })).length;
        }
      },
    };
    expect(await runDueJobs({ db: t.db.kysely, handlers, leaseMs: 300 })).toBe(1);
    expect(intruders).toBe(0);
    expect(await jobState(id)).toMatchObject({ state: 'done', attempts: 1 });
  });

  it('runs jobs in the background, at most `concurrency` at a time, and stop() waits for the running ones', async () => {
    let release!: () => void;
    const gate = new Promise<void>((resolve) => {
      release = resolve;
    });
    let running = 0;
    let mostAtOnce = 0;
    const finished: string[] = [];
    const handlers = {
      'test.slow': async (_payload: unknown, ctx: JobContext) => {
        running += 1;
        mostAtOnce = Math.max(mostAtOnce, running);
        await gate;
        running -= 1;
        finished.push(ctx.job.id);
      },
    };
    const ids = await t.db.kysely.transaction().execute(async (trx) => Promise.all([1, 2, 3].map((n) => enqueue(trx, 'test.slow', { n }))));
    const worker = startWorker({ db: t.db.kysely, handlers, pollMs: 10, concurrency: 2, log: pino({ level: 'silent' }) });
    await waitUntil(async () => running === 2);
    let stopped = false;
    const stopping = worker.stop().then(() => {
      stopped = true;
    });
    await new Promise((resolve) => setTimeout(resolve, 50));
    expect(stopped).toBe(false);
    release();
    await stopping;
    expect(mostAtOnce).toBe(2);
    expect(finished).toHaveLength(2);
    const states = await Promise.all(ids.map(async (id) => (await jobState(id)).state));
    expect(states.sort()).toEqual(['done', 'done', 'queued']);
  });
});

describe.runIf(DATABASES.includes('postgres'))('two workers on one PostgreSQL database', () => {
  let t: TestDatabase;
  beforeEach(async () => {
    t = await freshDatabase('postgres', { empty: true });
  });
  afterEach(async () => {
    await t.drop();
  });

  it('never run the same job twice', async () => {
    const other = await openDatabase({ databaseUrl: t.url, dataDir: '', onConnectionLost: () => {} });
    try {
      await sql`create table job_runs (job_id bigint primary key, worker text not null)`.execute(t.db.kysely);
      const total = 200;
      await t.db.kysely.transaction().execute(async (trx) => {
        for (let n = 0; n < total; n += 1) await enqueue(trx, 'test.once', { n });
      });
      const runs: { jobId: string; workerId: string }[] = [];
      const handlers = {
        'test.once': async (_payload: unknown, ctx: JobContext) => {
          runs.push({ jobId: ctx.job.id, workerId: ctx.workerId });
          await sql`insert into job_runs (job_id, worker) values (${ctx.job.id}, ${ctx.workerId})`.execute(ctx.db);
          await new Promise((resolve) => setTimeout(resolve, 2));
        },
      };
      const workers = [t.db, other].map((db, i) => startWorker({ db: db.kysely, handlers, pollMs: 5, concurrency: 4, workerId: `worker-${i}`, retryDelay: () => 0 }));
      const finished = async () => {
        const { count } = await t.db.kysely
          .selectFrom('jobs')
          .select((eb) => eb.fn.countAll<string>().as('count'))
          .where('state', 'in', ['done', 'failed'])
          .executeTakeFirstOrThrow();
        return Number(count) === total;
      };
      await waitUntil(finished, 60_000);
      await Promise.all(workers.map((w) => w.stop()));

      expect(runs).toHaveLength(total);
      expect(new Set(runs.map((r) => r.jobId)).size).toBe(total);
      const perWorker = new Map<string, number>();
      for (const r of runs) perWorker.set(r.workerId, (perWorker.get(r.workerId) ?? 0) + 1);
      expect([...perWorker.keys()].sort()).toEqual(['worker-0', 'worker-1']);
      const states = await t.db.kysely.selectFrom('jobs').select(['state', 'attempts']).distinct().execute();
      expect(states).toEqual([{ state: 'done', attempts: 1 }]);
      const { rows } = await sql<{ count: string }>`select count(*) as count from job_runs`.execute(t.db.kysely);
      expect(Number(rows[0]?.count)).toBe(total);
    } finally {
      await other.close();
    }
  });
});

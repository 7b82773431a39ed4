import { describe, expect, it } from 'vitest';
import { DATABASES, freshDatabaseEach } from '../../../test/databases.ts';
import { enqueueRecurring, nextOccurrence, parseEvery, recurring } from './schedule.ts';
import { startWorker } from './worker.ts';

describe('recurring schedules', () => {
  it('reads "daily at HH:MM in Area/City"', () => {
    expect(parseEvery('daily at 09:00 in Asia/Hong_Kong')).toEqual({ hour: 9, minute: 0, timeZone: 'Asia/Hong_Kong' });
    expect(parseEvery('Daily at 7:05 in UTC')).toEqual({ hour: 7, minute: 5, timeZone: 'UTC' });
  });

  it('refuses what it cannot read, saying what it expected', () => {
    expect(() => parseEvery('every morning')).toThrow(/expected "daily at HH:MM in Area\/City"/);
    expect(() => parseEvery('daily at 09:00')).toThrow(/expected/);
    expect(() => parseEvery('daily at 24:00 in UTC')).toThrow(/no time of day/);
    expect(() => parseEvery('daily at 09:00 in Mars/Olympus')).toThrow(/time zone/);
    expect(() => recurring('digest', 'weekly')).toThrow(/cannot read/);
  });

  it('finds the next occurrence in the rule’s time zone, today or tomorrow', () => {
    const rule = parseEvery('daily at 09:00 in Asia/Hong_Kong');
    expect(nextOccurrence(rule, new Date('2026-11-26T00:30:00Z'))).toEqual({ runAt: new Date('2026-11-26T01:00:00Z'), local: '2026-11-26T09:00' });
    expect(nextOccurrence(rule, new Date('2026-11-26T01:00:00Z'))).toEqual({ runAt: new Date('2026-11-26T01:00:00Z'), local: '2026-11-26T09:00' });
    expect(nextOccurrence(rule, new Date('2026-11-26T01:00:01Z'))).toEqual({ runAt: new Date('2026-11-27T01:00:00Z'), local: '2026-11-27T09:00' });
    // Hong Kong's new year starts at 16:00 UTC on 31 December.
    const late = parseEvery('daily at 00:15 in Asia/Hong_Kong');
    expect(nextOccurrence(late, new Date('2026-12-31T15:30:00Z'))).toEqual({ runAt: new Date('2026-12-31T16:15:00Z'), local: '2027-01-01T00:15' });
    expect(nextOccurrence(late, new Date('2026-12-31T16:30:00Z'))).toEqual({ runAt: new Date('2027-01-01T16:15:00Z'), local: '2027-01-02T00:15' });
  });

  it('follows a zone’s summer time', () => {
    const rule = parseEvery('daily at 09:00 in Europe/London');
    expect(nextOccurrence(rule, new Date('2026-07-01T10:00:00Z')).runAt).toEqual(new Date('2026-07-02T08:00:00Z'));
    expect(nextOccurrence(rule, new Date('2026-12-01T10:00:00Z')).runAt).toEqual(new Date('2026-12-02T09:00:00Z'));
    // The clocks go forward on 29 March 2026 at 01:00 UTC.
    expect(nextOccurrence(rule, new Date('2026-03-28T10:00:00Z')).runAt).toEqual(new Date('2026-03-29T08:00:00Z'));
  });
});

describe.each(DATABASES)('recurring jobs on %s', (kind) => {
  const t = freshDatabaseEach(kind, { empty: true });

  const digest = recurring('reminders.digest', 'daily at 09:00 in Asia/Hong_Kong', { payload: { audience: 'officers' } });

  it('enqueues each occurrence once, however many workers tick', async () => {
    const now = new Date('2026-11-26T00:30:00Z');
    expect(await enqueueRecurring(t.db.kysely, [digest], now)).toBe(1);
    // Another process (its own memory of what it enqueued) ticking a minute later.
    expect(await enqueueRecurring(t.db.kysely, [digest], new Date('2026-11-26T00:31:00Z'))).toBe(0);
    // After 09:00 the next day's occurrence is due to be enqueued.
    expect(await enqueueRecurring(t.db.kysely, [digest], new Date('2026-11-26T01:00:01Z'))).toBe(1);
    const jobs = await t.db.kysely.selectFrom('jobs').select(['kind', 'payload', 'run_at', 'dedupe_key', 'state']).orderBy('run_at').execute();
    expect(jobs).toEqual([
      {
        kind: 'reminders.digest',
        payload: { audience: 'officers', scheduledFor: '2026-11-26T01:00:00.000Z' },
        run_at: new Date('2026-11-26T01:00:00Z'),
        dedupe_key: 'recurring:reminders.digest:2026-11-26T09:00:Asia/Hong_Kong',
        state: 'queued',
      },
      {
        kind: 'reminders.digest',
        payload: { audience: 'officers', scheduledFor: '2026-11-27T01:00:00.000Z' },
        run_at: new Date('2026-11-27T01:00:00Z'),
        dedupe_key: 'recurring:reminders.digest:2026-11-27T09:00:Asia/Hong_Kong',
        state: 'queued',
      },
    ]);
  });

  it('remembers what it enqueued, so ticks between occurrences do not write', async () => {
    const known = new Set<string>();
    const now = new Date('2026-11-26T00:30:00Z');
    expect(await enqueueRecurring(t.db.kysely, [digest], now, known)).toBe(1);
    await t.db.kysely.deleteFrom('jobs').execute();
    expect(await enqueueRecurring(t.db.kysely, [digest], now, known)).toBe(0);
    expect(await t.db.kysely.selectFrom('jobs').selectAll().execute()).toEqual([]);
  });

  it('is kept enqueued by a running worker', async () => {
    const worker = startWorker({ db: t.db.kysely, handlers: { 'reminders.digest': async () => {} }, pollMs: 10, recurring: [digest] });
    try {
      const deadline = Date.now() + 10_000;
      let jobs: { run_at: Date }[] = [];
      while (jobs.length === 0 && Date.now() < deadline) {
        await new Promise((resolve) => setTimeout(resolve, 10));
        jobs = await t.db.kysely.selectFrom('jobs').select('run_at').where('kind', '=', 'reminders.digest').execute();
      }
      expect(jobs).toHaveLength(1);
      expect(jobs[0]?.run_at).toEqual(nextOccurrence(digest.rule, new Date()).runAt);
    } finally {
      await worker.stop();
    }
  });
});

import type { Kysely } from 'kysely';
import type { Database } from '../db/schema.ts';
import { enqueue } from './queue.ts';

/**
 * Recurring jobs. A recurring job is plain data ("run `kind` daily at 09:00 in Asia/Hong_Kong");
 * the worker calls enqueueRecurring on every tick, which enqueues each one's next occurrence with
 * a dedupe key naming that occurrence, so however many workers tick, an occurrence is one job.
 * Because the next occurrence is enqueued ahead of time, a platform that was down at 09:00 runs
 * that day's job when it comes back; one that was never up before 09:00 starts with the next day.
 */

export interface DailyRule {
  hour: number;
  minute: number;
  timeZone: string;
}

export interface Recurring {
  kind: string;
  /** As written, e.g. 'daily at 09:00 in Asia/Hong_Kong'. */
  every: string;
  rule: DailyRule;
  payload: Record<string, unknown>;
  maxAttempts?: number;
}

export interface Occurrence {
  runAt: Date;
  /** The wall-clock time in the rule's zone, 'YYYY-MM-DDTHH:MM'. */
  local: string;
}

const DAILY = /^daily at (\d{1,2}):(\d{2}) in (\S+)$/i;

/** Reads 'daily at HH:MM in Area/City'; throws naming what is wrong. */
export function parseEvery(every: string): DailyRule {
  const match = DAILY.exec(every.trim());
  if (!match) throw new Error(`cannot read the schedule "${every}" (expected "daily at HH:MM in Area/City", e.g. "daily at 09:00 in Asia/Hong_Kong")`);
  const hour = Number(match[1]);
  const minute = Number(match[2]);
  const timeZone = match[3] as string;
  if (hour > 23 || minute > 59) throw new Error(`the schedule "${every}" names no time of day`);
  try {
    new Intl.DateTimeFormat('en', { timeZone });
  } catch {
    throw new Error(`the schedule "${every}" names a time zone this system does not know`);
  }
  return { hour, minute, timeZone };
}

/** Declares a recurring job; the schedule is checked now, so a typo stops the start, not the 09:00 run. */
export function recurring(kind: string, every: string, options: { payload?: Record<string, unknown>; maxAttempts?: number } = {}): Recurring {
  return {
    kind,
    every,
    rule: parseEvery(every),
    payload: options.payload ?? {},
    ...(options.maxAttempts !== undefined ? { maxAttempts: options.maxAttempts } : {}),
  };
}

interface WallClock {
  year: number;
  month: number;
  day: number;
  hour: number;
  minute: number;
  second: number;
}

const formatters = new Map<string, Intl.DateTimeFormat>();

function wallClock(instant: Date, timeZone: string): WallClock {
  let format = formatters.get(timeZone);
  if (!format) {
    format = new Intl.DateTimeFormat('en-US', {
      timeZone,
      hourCycle: 'h23',
      year: 'numeric',
      month: 'numeric',
      day: 'numeric',
      hour: 'numeric',
      minute: 'numeric',
      second: 'numeric',
    });
    formatters.set(timeZone, format);
  }
  const parts = format.formatToParts(instant);
  const part = (type: Intl.DateTimeFormatPartTypes) => Number(parts.find((p) => p.type === type)?.value);
  return { year: part('year'), month: part('month'), day: part('day'), hour: part('hour'), minute: part('minute'), second: part('second') };
}

/** How far the zone's clock is ahead of UTC at an instant, in milliseconds. */
function zoneOffsetMs(instant: Date, timeZone: string): number {
  const c = wallClock(instant, timeZone);
  const asUtc = Date.UTC(c.year, c.month - 1, c.day, c.hour, c.minute, c.second);
  return asUtc - Math.floor(instant.getTime() / 1000) * 1000;
}

/** The instant at which the zone's clocks show the given date and time (an hour that a clock change skips or repeats gives one of its neighbours). */
function zonedTime(year: number, month: number, day: number, hour: number, minute: number, timeZone: string): Date {
  const asUtc = Date.UTC(year, month - 1, day, hour, minute);
  const first = asUtc - zoneOffsetMs(new Date(asUtc), timeZone);
  return new Date(asUtc - zoneOffsetMs(new Date(first), timeZone));
}

const pad = (n: number) => String(n).padStart(2, '0');

/** The rule's first occurrence at or after `now`. */
export function nextOccurrence(rule: DailyRule, now: Date): Occurrence {
  const today = wallClock(now, rule.timeZone);
  for (let days = 0; ; days += 1) {
    const date = new Date(Date.UTC(today.year, today.month - 1, today.day + days));
    const [year, month, day] = [date.getUTCFullYear(), date.getUTCMonth() + 1, date.getUTCDate()];
    const runAt = zonedTime(year, month, day, rule.hour, rule.minute, rule.timeZone);
    if (runAt.getTime() >= now.getTime()) {
      return { runAt, local: `${year}-${pad(month)}-${pad(day)}T${pad(rule.hour)}:${pad(rule.minute)}` };
    }
  }
}

/** Names one occurrence of a recurring job; enqueueing it twice makes one job. */
function occurrenceKey(job: Recurring, occurrence: Occurrence): string {
  return `recurring:${job.kind}:${occurrence.local}:${job.rule.timeZone}`;
}

/**
 * Makes sure each recurring job's next occurrence is in the queue. `known` remembers the keys this
 * process already enqueued, so that ticks between occurrences do not touch the database.
 * Returns how many jobs were added.
 */
export async function enqueueRecurring(db: Kysely<Database>, jobs: Recurring[], now: Date, known: Set<string> = new Set()): Promise<number> {
  let added = 0;
  for (const job of jobs) {
    const occurrence = nextOccurrence(job.rule, now);
    const dedupeKey = occurrenceKey(job, occurrence);
    if (known.has(dedupeKey)) continue;
    const payload = { ...job.payload, scheduledFor: occurrence.runAt.toISOString() };
    const id = await enqueue(db, job.kind, payload, {
      runAt: occurrence.runAt,
      dedupeKey,
      ...(job.maxAttempts !== undefined ? { maxAttempts: job.maxAttempts } : {}),
    });
    known.add(dedupeKey);
    if (id !== null) added += 1;
  }
  return added;
}

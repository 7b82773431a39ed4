/**
 * Growing delays after failed sign-ins, counted in the database so that every app node counts
 * together. Nothing is ever locked for good: a few failures are free, then each further failure makes
 * the next attempt wait longer (doubling, up to a ceiling), and the count is forgotten a day after
 * the last failure. A refused attempt does not look at the password and does not count.
 */
import { isIPv6 } from 'node:net';
import { type Kysely, sql, type Transaction } from 'kysely';
import type { Database } from '../db/schema.ts';
import { keys, mac } from '../secrets.ts';

type Q = Kysely<Database> | Transaction<Database>;

export type ThrottleKind = 'account' | 'ip' | 'device' | 'second-factor';

export interface ThrottlePolicy {
  /** Failures that cost nothing. */
  free: number;
  /** The wait after the first failure past the free ones; it doubles with each further failure. */
  firstDelaySeconds: number;
  /** The longest wait. */
  maxDelaySeconds: number;
}

/**
 * An address: 3 free failures, then 5 s, 10 s, 20 s … up to 15 minutes. The person who owns it signs
 * in from a device they used before whatever the count (see devices.ts), so this slows guessing
 * without locking them out. An IP address (or IPv6 /64 network) serves offices and mobile networks
 * behind one address, so it gets more room; a known device gets the address's rule for itself; the
 * second step (a six-digit code) the same, per account.
 */
export const THROTTLE_POLICIES: Record<ThrottleKind, ThrottlePolicy> = {
  account: { free: 3, firstDelaySeconds: 5, maxDelaySeconds: 15 * 60 },
  ip: { free: 10, firstDelaySeconds: 5, maxDelaySeconds: 30 * 60 },
  device: { free: 3, firstDelaySeconds: 5, maxDelaySeconds: 15 * 60 },
  'second-factor': { free: 3, firstDelaySeconds: 10, maxDelaySeconds: 15 * 60 },
};

/** A count is forgotten this long after its last failure (and its row purged). */
const THROTTLE_FORGET_HOURS = 24;

/** The wait after `failures` failures in a row under a policy, in seconds (0: none). */
function throttleDelaySeconds(policy: ThrottlePolicy, failures: number): number {
  if (failures <= policy.free) return 0;
  return Math.min(policy.maxDelaySeconds, policy.firstDelaySeconds * 2 ** (failures - policy.free - 1));
}

/** An IPv6 address counts by its /64 network: one subscriber usually holds the whole of it. */
function ipSubject(ip: string): string {
  if (!isIPv6(ip) || /^::ffff:\d+\.\d+\.\d+\.\d+$/i.test(ip)) return ip.replace(/^::ffff:/i, '');
  const [head = '', tail = ''] = ip.toLowerCase().split('::');
  const left = head ? head.split(':') : [];
  const right = tail ? tail.split(':') : [];
  const groups = ip.includes('::') ? [...left, ...Array(8 - left.length - right.length).fill('0'), ...right] : left;
  return `${groups
    .slice(0, 4)
    .map((g) => g.replace(/^0+(?=.)/, ''))
    .join(':')}::/64`;
}

/**
 * The row key for what is counted: the kind and an HMAC of the subject, so the table holds no
 * address or IP in the clear. Addresses are compared without case, as accounts are found.
 */
export function throttleKey(kind: ThrottleKind, subject: string): string {
  const normalised = kind === 'account' ? subject.trim().toLowerCase() : kind === 'ip' ? ipSubject(subject) : subject;
  return `${kind}:${mac(keys().device, `throttle/${kind}/${normalised}`)}`;
}

/** How many seconds the next attempt must wait under any of these keys (0: it may go ahead). */
export async function throttleWait(db: Q, keysToCheck: string[], now: Date): Promise<number> {
  if (keysToCheck.length === 0) return 0;
  const row = await db
    .selectFrom('sign_in_throttles')
    .select((eb) => eb.fn.max('blocked_until').as('until'))
    .where('key', 'in', keysToCheck)
    .where('blocked_until', '>', now)
    .executeTakeFirst();
  const until = row?.until ? new Date(row.until as Date | string) : undefined;
  return until ? Math.max(1, Math.ceil((until.getTime() - now.getTime()) / 1000)) : 0;
}

/**
 * Counts one failure under a key and sets how long the next attempt must wait. The increment is one
 * statement (an upsert), so failures on several nodes at once are all counted.
 */
export async function recordFailure(db: Q, key: string, policy: ThrottlePolicy, now: Date): Promise<number> {
  const forgetBefore = new Date(now.getTime() - THROTTLE_FORGET_HOURS * 3_600_000);
  const row = await db
    .insertInto('sign_in_throttles')
    .values({ key, failures: 1, last_failed_at: now, blocked_until: null })
    .onConflict((oc) =>
      oc.column('key').doUpdateSet({
        failures: sql<number>`case when sign_in_throttles.last_failed_at < ${forgetBefore} then 1 else sign_in_throttles.failures + 1 end`,
        last_failed_at: now,
      }),
    )
    .returning('failures')
    .executeTakeFirstOrThrow();
  const delay = throttleDelaySeconds(policy, row.failures);
  if (delay > 0) {
    const until = new Date(now.getTime() + delay * 1000);
    await db
      .updateTable('sign_in_throttles')
      .set({ blocked_until: sql<Date>`greatest(coalesce(blocked_until, ${until}), ${until})` })
      .where('key', '=', key)
      .execute();
  }
  return delay;
}

/** Forgets the failures under these keys (after the right password: an account's count starts again). */
export async function clearFailures(db: Q, keysToClear: string[]): Promise<void> {
  if (keysToClear.length) await db.deleteFrom('sign_in_throttles').where('key', 'in', keysToClear).execute();
}

/** Removes the counts not added to for a day (the daily purge: they hold who tried, hashed). */
export async function purgeThrottles(db: Q, now: Date): Promise<number> {
  const result = await db
    .deleteFrom('sign_in_throttles')
    .where('last_failed_at', '<', new Date(now.getTime() - THROTTLE_FORGET_HOURS * 3_600_000))
    .executeTakeFirst();
  return Number(result.numDeletedRows);
}

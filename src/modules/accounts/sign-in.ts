import type { Kysely } from 'kysely';
import { audit, type RequestInfo } from '../../platform/audit/audit.ts';
import { knownDevice, rememberDevice } from '../../platform/auth/devices.ts';
import { hashPassword, needsRehash, verifyPassword, verifyPasswordTiming } from '../../platform/auth/passwords.ts';
import { createSession, type SessionSettings } from '../../platform/auth/sessions.ts';
import { clearFailures, recordFailure, THROTTLE_POLICIES, throttleKey, throttleWait } from '../../platform/auth/throttle.ts';
import type { Database } from '../../platform/db/schema.ts';
import { findUserByEmail, updateUser } from './queries.ts';

export type SignInResult =
  | { ok: true; userId: string; sessionSecret: string; deviceCookie: string }
  | { ok: false; reason: 'invalid_credentials' }
  | { ok: false; reason: 'rate_limited'; retryAfterSeconds: number };

/**
 * Checks an email and password and starts a new session. Unknown addresses, wrong passwords and
 * disabled accounts get the same answer in the same time. Failures are counted by address and by IP
 * (and by device, from a known one), each with growing delays; an attempt that must still wait is
 * refused without looking at the password. The right password from a device that signed in to this
 * account before goes through whatever the address's and the IP's counts, so nobody can lock the
 * owner out by failing on purpose.
 */
export async function signIn(options: {
  db: Kysely<Database>;
  email: string;
  password: string;
  /** The device cookie the browser sent, if any. */
  deviceCookie?: string | undefined;
  session: SessionSettings;
  request: RequestInfo & { userAgent?: string | undefined };
  now: Date;
}): Promise<SignInResult> {
  const { db, now } = options;
  const email = options.email.trim();
  const user = await findUserByEmail(db, email);
  const device = user ? knownDevice(options.deviceCookie, user.id, now) : undefined;
  const accountKey = throttleKey('account', email);
  const ipKey = throttleKey('ip', options.request.ip ?? 'unknown');
  const deviceKey = device ? throttleKey('device', device) : undefined;
  // A known device answers only for itself; anyone else waits for the address and the IP.
  const wait = await throttleWait(db, deviceKey ? [deviceKey] : [accountKey, ipKey], now);
  if (wait > 0) return { ok: false, reason: 'rate_limited', retryAfterSeconds: wait };

  const valid = user?.password_hash ? await verifyPassword(user.password_hash, options.password) : await verifyPasswordTiming(options.password);
  if (!user || !valid || user.disabled_at) {
    await db.transaction().execute(async (trx) => {
      for (const key of [accountKey, ipKey, ...(deviceKey ? [deviceKey] : [])]) {
        await recordFailure(trx, key, THROTTLE_POLICIES[key.slice(0, key.indexOf(':')) as keyof typeof THROTTLE_POLICIES], now);
      }
      // The trail names accounts by id only: a failure on an address with no account is counted, not recorded.
      if (user) {
        await audit(trx, {
          actor: { type: 'system', label: 'anonymous visitor' },
          action: 'user.sign_in_failed',
          entity: { type: 'user', id: user.id },
          changes: {},
          request: options.request,
        });
      }
    });
    return { ok: false, reason: 'invalid_credentials' };
  }
  const rehash = user.password_hash && needsRehash(user.password_hash) ? await hashPassword(options.password) : undefined;
  const sessionSecret = await db.transaction().execute(async (trx) => {
    if (rehash) await updateUser(trx, user.id, { password_hash: rehash }, now);
    await clearFailures(trx, [accountKey, ...(deviceKey ? [deviceKey] : [])]);
    await audit(trx, {
      actor: { type: 'user', id: user.id },
      action: 'user.signed_in',
      entity: { type: 'user', id: user.id },
      changes: {},
      request: options.request,
    });
    return await createSession(trx, { userId: user.id, settings: options.session, secondFactor: false, ip: options.request.ip, userAgent: options.request.userAgent });
  });
  return { ok: true, userId: user.id, sessionSecret, deviceCookie: rememberDevice(options.deviceCookie, user.id, now) };
}

import type { Kysely } from 'kysely';
import { audit, type RequestInfo } from '../../platform/audit/audit.ts';
import { hashPassword, needsRehash, verifyPassword, verifyPasswordTiming } from '../../platform/auth/passwords.ts';
import { createSession, type SessionSettings } from '../../platform/auth/sessions.ts';
import type { Database } from '../../platform/db/schema.ts';
import { countRecentFailedSignIns, findUserByEmail, updateUser } from './queries.ts';

/** Failed attempts on one address within the window before further attempts are refused. */
export const MAX_FAILED_SIGN_INS = 5;
export const FAILED_SIGN_IN_WINDOW_MINUTES = 15;

export type SignInResult =
  | { ok: true; userId: string; sessionSecret: string }
  | { ok: false; reason: 'invalid_credentials' }
  | { ok: false; reason: 'rate_limited'; retryAfterSeconds: number };

/**
 * Checks an email and password and starts a new session. Unknown addresses, wrong passwords and
 * disabled accounts get the same answer in the same time; every failure is audited, and an address
 * with too many recent failures is refused for a while whatever the password.
 */
export async function signIn(options: {
  db: Kysely<Database>;
  email: string;
  password: string;
  session: SessionSettings;
  request: RequestInfo & { userAgent?: string | undefined };
}): Promise<SignInResult> {
  const { db } = options;
  const email = options.email.trim();
  const since = new Date(Date.now() - FAILED_SIGN_IN_WINDOW_MINUTES * 60_000);
  if ((await countRecentFailedSignIns(db, email, since)) >= MAX_FAILED_SIGN_INS) {
    return { ok: false, reason: 'rate_limited', retryAfterSeconds: FAILED_SIGN_IN_WINDOW_MINUTES * 60 };
  }
  const user = await findUserByEmail(db, email);
  const valid = user?.password_hash ? await verifyPassword(user.password_hash, options.password) : await verifyPasswordTiming(options.password);
  if (!user || !valid || user.disabled_at) {
    await db.transaction().execute((trx) =>
      audit(trx, {
        actor: { type: 'system', label: 'anonymous visitor' },
        action: 'user.sign_in_failed',
        entity: { type: 'sign-in', id: email.toLowerCase() },
        changes: {},
        request: options.request,
      }),
    );
    return { ok: false, reason: 'invalid_credentials' };
  }
  const rehash = user.password_hash && needsRehash(user.password_hash) ? await hashPassword(options.password) : undefined;
  const sessionSecret = await db.transaction().execute(async (trx) => {
    if (rehash) await updateUser(trx, user.id, { password_hash: rehash });
    await audit(trx, {
      actor: { type: 'user', id: user.id },
      action: 'user.signed_in',
      entity: { type: 'user', id: user.id },
      changes: {},
      request: options.request,
    });
    return await createSession(trx, { userId: user.id, settings: options.session, secondFactor: false, ip: options.request.ip, userAgent: options.request.userAgent });
  });
  return { ok: true, userId: user.id, sessionSecret };
}

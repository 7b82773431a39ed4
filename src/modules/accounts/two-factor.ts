import type { Kysely } from 'kysely';
import { audit, type RequestInfo } from '../../platform/audit/audit.ts';
import { markSecondFactor } from '../../platform/auth/sessions.ts';
import { clearFailures, recordFailure, THROTTLE_POLICIES, throttleKey, throttleWait } from '../../platform/auth/throttle.ts';
import { hashRecoveryCode, newRecoveryCodes, newTotpSecret, openTotpSecret, sealTotpSecret, verifyRecoveryCode, verifyTotp } from '../../platform/auth/totp.ts';
import type { Database } from '../../platform/db/schema.ts';

/** The secret being enrolled: made on the first visit and kept (sealed) until a code from it is confirmed. */
export async function pendingTotpSecret(db: Kysely<Database>, userId: string): Promise<string> {
  const row = await db.selectFrom('users').select(['totp_secret', 'totp_enabled_at']).where('id', '=', userId).executeTakeFirstOrThrow();
  const pending = row.totp_secret && !row.totp_enabled_at ? openTotpSecret(userId, row.totp_secret) : undefined;
  if (pending) return pending;
  const secret = newTotpSecret();
  await db
    .updateTable('users')
    .set({ totp_secret: sealTotpSecret(userId, secret) })
    .where('id', '=', userId)
    .where('totp_enabled_at', 'is', null)
    .execute();
  return secret;
}

/**
 * Turns two-step verification on once the person proves their app works, and returns the recovery
 * codes to show them once (stored salted and hashed). The current session counts as having passed
 * the second step.
 */
export async function enableTwoFactor(options: {
  db: Kysely<Database>;
  userId: string;
  label: string;
  sessionId: string;
  code: string;
  request: RequestInfo;
  now: Date;
}): Promise<{ ok: true; recoveryCodes: string[] } | { ok: false }> {
  const { db, userId, now } = options;
  const row = await db.selectFrom('users').select(['totp_secret', 'totp_enabled_at']).where('id', '=', userId).executeTakeFirstOrThrow();
  if (!row.totp_secret || row.totp_enabled_at) return { ok: false };
  const secret = openTotpSecret(userId, row.totp_secret);
  if (!secret) return { ok: false };
  const result = verifyTotp({ secret, code: options.code });
  if (!result.ok) return { ok: false };
  const codes = newRecoveryCodes();
  const hashes = await Promise.all(codes.map((c) => hashRecoveryCode(c)));
  await db.transaction().execute(async (trx) => {
    await trx.updateTable('users').set({ totp_enabled_at: now, totp_last_step: result.step, updated_at: now }).where('id', '=', userId).execute();
    await trx.deleteFrom('recovery_codes').where('user_id', '=', userId).execute();
    await trx
      .insertInto('recovery_codes')
      .values(hashes.map((hash) => ({ user_id: userId, code_hash: hash })))
      .execute();
    await markSecondFactor(trx, options.sessionId);
    await audit(trx, {
      actor: { type: 'user', id: userId },
      action: 'user.two_factor_enabled',
      entity: { type: 'user', id: userId },
      changes: { totp_enabled_at: { before: null, after: now } },
      request: options.request,
    });
  });
  return { ok: true, recoveryCodes: codes };
}

export type SecondFactorOutcome = { outcome: 'ok' } | { outcome: 'invalid' } | { outcome: 'rate_limited'; retryAfterSeconds: number };

/**
 * Checks the second step at sign-in: a code from the app, or an unused recovery code. Wrong codes
 * are counted per account with growing delays (whoever is here already has the password).
 */
export async function passSecondFactor(options: {
  db: Kysely<Database>;
  userId: string;
  label: string;
  sessionId: string;
  code?: string;
  recoveryCode?: string;
  request: RequestInfo;
  now: Date;
}): Promise<SecondFactorOutcome> {
  const { db, userId, now } = options;
  const key = throttleKey('second-factor', userId);
  const wait = await throttleWait(db, [key], now);
  if (wait > 0) return { outcome: 'rate_limited', retryAfterSeconds: wait };
  const row = await db.selectFrom('users').select(['totp_secret', 'totp_enabled_at', 'totp_last_step']).where('id', '=', userId).executeTakeFirstOrThrow();
  const actor = { type: 'user' as const, id: userId };
  // Salted hashes cannot be looked up: the typed code is compared with each unused one.
  let recoveryHash: string | undefined;
  if (!options.code && options.recoveryCode) {
    const unused = await db.selectFrom('recovery_codes').select('code_hash').where('user_id', '=', userId).where('used_at', 'is', null).execute();
    for (const candidate of unused) {
      if (await verifyRecoveryCode(options.recoveryCode, candidate.code_hash)) recoveryHash = candidate.code_hash;
    }
  }
  const ok = await db.transaction().execute(async (trx) => {
    let method: 'app' | 'recovery code' | undefined;
    if (options.code && row.totp_secret && row.totp_enabled_at) {
      const secret = openTotpSecret(userId, row.totp_secret);
      const result = secret ? verifyTotp({ secret, code: options.code, ...(row.totp_last_step !== null ? { lastUsedStep: Number(row.totp_last_step) } : {}) }) : { ok: false as const };
      if (result.ok) {
        // A code is good once: the step is remembered so that the same code cannot be replayed.
        await trx.updateTable('users').set({ totp_last_step: result.step }).where('id', '=', userId).execute();
        method = 'app';
      }
    } else if (recoveryHash) {
      const used = await trx.updateTable('recovery_codes').set({ used_at: now }).where('user_id', '=', userId).where('code_hash', '=', recoveryHash).where('used_at', 'is', null).executeTakeFirst();
      if (Number(used.numUpdatedRows) === 1) method = 'recovery code';
    }
    if (!method) return false;
    await clearFailures(trx, [key]);
    await markSecondFactor(trx, options.sessionId);
    await audit(trx, { actor, action: 'user.second_factor_passed', entity: { type: 'user', id: userId }, changes: { method: { before: null, after: method } }, request: options.request });
    return true;
  });
  if (!ok) {
    await db.transaction().execute(async (trx) => {
      await recordFailure(trx, key, THROTTLE_POLICIES['second-factor'], now);
      await audit(trx, { actor, action: 'user.second_factor_failed', entity: { type: 'user', id: userId }, changes: {}, request: options.request });
    });
  }
  return ok ? { outcome: 'ok' } : { outcome: 'invalid' };
}

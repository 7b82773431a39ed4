import type { Kysely } from 'kysely';
import { audit, type RequestInfo } from '../../platform/audit/audit.ts';
import { markSecondFactor } from '../../platform/auth/sessions.ts';
import { hashRecoveryCode, newRecoveryCodes, newTotpSecret, verifyTotp } from '../../platform/auth/totp.ts';
import type { Database } from '../../platform/db/schema.ts';

export const MAX_FAILED_SECOND_FACTORS = 5;
const WINDOW_MINUTES = 15;

async function recentFailures(db: Kysely<Database>, userId: string): Promise<number> {
  const row = await db
    .selectFrom('audit_events')
    .select((eb) => eb.fn.countAll<string>().as('n'))
    .where('action', '=', 'user.second_factor_failed')
    .where('entity_id', '=', userId)
    .where('occurred_at', '>', new Date(Date.now() - WINDOW_MINUTES * 60_000))
    .executeTakeFirstOrThrow();
  return Number(row.n);
}

/** The secret being enrolled: made on the first visit and kept until a code from it is confirmed. */
export async function pendingTotpSecret(db: Kysely<Database>, userId: string): Promise<string> {
  const row = await db.selectFrom('users').select(['totp_secret', 'totp_enabled_at']).where('id', '=', userId).executeTakeFirstOrThrow();
  if (row.totp_secret && !row.totp_enabled_at) return row.totp_secret;
  const secret = newTotpSecret();
  await db.updateTable('users').set({ totp_secret: secret }).where('id', '=', userId).where('totp_enabled_at', 'is', null).execute();
  return secret;
}

/**
 * Turns two-step verification on once the person proves their app works, and returns the recovery
 * codes to show them once. The current session counts as having passed the second step.
 */
export async function enableTwoFactor(options: {
  db: Kysely<Database>;
  userId: string;
  label: string;
  sessionId: string;
  code: string;
  request: RequestInfo;
}): Promise<{ ok: true; recoveryCodes: string[] } | { ok: false }> {
  const { db, userId } = options;
  const row = await db.selectFrom('users').select(['totp_secret', 'totp_enabled_at']).where('id', '=', userId).executeTakeFirstOrThrow();
  if (!row.totp_secret || row.totp_enabled_at) return { ok: false };
  const result = verifyTotp({ secret: row.totp_secret, code: options.code });
  if (!result.ok) return { ok: false };
  const codes = newRecoveryCodes();
  await db.transaction().execute(async (trx) => {
    const now = new Date();
    await trx.updateTable('users').set({ totp_enabled_at: now, totp_last_step: result.step, updated_at: now }).where('id', '=', userId).execute();
    await trx.deleteFrom('recovery_codes').where('user_id', '=', userId).execute();
    await trx
      .insertInto('recovery_codes')
      .values(codes.map((c) => ({ user_id: userId, code_hash: hashRecoveryCode(c) })))
      .execute();
    await markSecondFactor(trx, options.sessionId, now);
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

/** Checks the second step at sign-in: a code from the app, or an unused recovery code. */
export async function passSecondFactor(options: {
  db: Kysely<Database>;
  userId: string;
  label: string;
  sessionId: string;
  code?: string;
  recoveryCode?: string;
  request: RequestInfo;
}): Promise<'ok' | 'invalid' | 'rate_limited'> {
  const { db, userId } = options;
  if ((await recentFailures(db, userId)) >= MAX_FAILED_SECOND_FACTORS) return 'rate_limited';
  const row = await db.selectFrom('users').select(['totp_secret', 'totp_enabled_at', 'totp_last_step']).where('id', '=', userId).executeTakeFirstOrThrow();
  const actor = { type: 'user' as const, id: userId };
  const ok = await db.transaction().execute(async (trx) => {
    let method: 'app' | 'recovery code' | undefined;
    if (options.code && row.totp_secret && row.totp_enabled_at) {
      const result = verifyTotp({ secret: row.totp_secret, code: options.code, ...(row.totp_last_step !== null ? { lastUsedStep: Number(row.totp_last_step) } : {}) });
      if (result.ok) {
        // A code is good once: the step is remembered so that the same code cannot be replayed.
        await trx.updateTable('users').set({ totp_last_step: result.step }).where('id', '=', userId).execute();
        method = 'app';
      }
    } else if (options.recoveryCode) {
      const used = await trx
        .updateTable('recovery_codes')
        .set({ used_at: new Date() })
        .where('user_id', '=', userId)
        .where('code_hash', '=', hashRecoveryCode(options.recoveryCode))
        .where('used_at', 'is', null)
        .executeTakeFirst();
      if (Number(used.numUpdatedRows) === 1) method = 'recovery code';
    }
    if (!method) return false;
    await markSecondFactor(trx, options.sessionId);
    await audit(trx, { actor, action: 'user.second_factor_passed', entity: { type: 'user', id: userId }, changes: { method: { before: null, after: method } }, request: options.request });
    return true;
  });
  if (!ok) {
    await db.transaction().execute((trx) =>
      audit(trx, { actor, action: 'user.second_factor_failed', entity: { type: 'user', id: userId }, changes: {}, request: options.request }),
    );
  }
  return ok ? 'ok' : 'invalid';
}

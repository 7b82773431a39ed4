import type { Kysely } from 'kysely';
import { audit, type RequestInfo } from '../../platform/audit/audit.ts';
import { checkPasswordPolicy, hashPassword } from '../../platform/auth/passwords.ts';
import { endUserSessions, secretId } from '../../platform/auth/sessions.ts';
import type { Database } from '../../platform/db/schema.ts';
import { type FieldError, type FormResult, hasErrors } from '../../platform/http/forms.ts';
import { findUsableToken, findUserById, markTokenUsed, updateUser } from './queries.ts';

export type ResetFields = 'token' | 'password' | 'confirmPassword';

/**
 * Sets a new password from a reset link. Every session of the account ends (whoever had the old
 * password is out), and the address counts as confirmed: the link reached it.
 */
export async function resetPassword(options: {
  db: Kysely<Database>;
  form: FormResult<ResetFields>;
  request: RequestInfo;
  now: Date;
}): Promise<{ ok: true } | { ok: false; invalidLink: true } | { ok: false; errors: Partial<Record<ResetFields, FieldError>> }> {
  const { db, form, now } = options;
  const tokenId = secretId(form.values.token);
  const token = await findUsableToken(db, tokenId, 'reset-password', now);
  const user = token?.user_id ? await findUserById(db, token.user_id) : undefined;
  if (!token || !user || user.disabled_at) return { ok: false, invalidLink: true };
  const errors = { ...form.errors };
  if (!errors.password) {
    const problem = checkPasswordPolicy(form.values.password, { email: user.email, displayName: user.display_name })[0];
    if (problem) errors.password = problem;
  }
  if (!errors.password && !errors.confirmPassword && form.values.password !== form.values.confirmPassword) errors.confirmPassword = 'passwords_differ';
  if (hasErrors(errors)) return { ok: false, errors };
  const passwordHash = await hashPassword(form.values.password);
  const done = await db.transaction().execute(async (trx) => {
    // The link may have been used meanwhile: checked again under lock.
    if (!(await findUsableToken(trx, tokenId, 'reset-password', now))) return false;
    await markTokenUsed(trx, tokenId, now);
    await updateUser(trx, user.id, { password_hash: passwordHash, ...(user.email_verified_at ? {} : { email_verified_at: now }) }, now);
    await endUserSessions(trx, user.id);
    await audit(trx, {
      actor: { type: 'user', id: user.id },
      action: 'user.password_reset',
      entity: { type: 'user', id: user.id },
      changes: { password_hash: { before: '(hidden)', after: '(hidden)' } },
      request: options.request,
    });
    return true;
  });
  return done ? { ok: true } : { ok: false, invalidLink: true };
}

import type { Kysely } from 'kysely';
import { audit, personalChange, type RequestInfo } from '../../platform/audit/audit.ts';
import { verifyPassword } from '../../platform/auth/passwords.ts';
import type { Principal } from '../../platform/auth/roles.ts';
import { secretId } from '../../platform/auth/sessions.ts';
import type { Database } from '../../platform/db/schema.ts';
import { type FieldError, type FormResult, hasErrors } from '../../platform/http/forms.ts';
import { translator } from '../../platform/i18n/messages.ts';
import { queueMail } from '../../platform/mail/outbox.ts';
import { platformLink } from './emails.ts';
import { findUsableToken, findUserByEmail, findUserById, issueToken, markTokenUsed, updateUser } from './queries.ts';

export type ChangeEmailFields = 'newEmail' | 'password';
const CHANGE_EMAIL_HOURS = 24;

/** Asks to change the account's address: a link goes to the new address, which changes when it is opened. */
export async function requestEmailChange(options: {
  db: Kysely<Database>;
  principal: Principal;
  form: FormResult<ChangeEmailFields>;
  publicUrl: string;
  request: RequestInfo;
  now: Date;
}): Promise<{ ok: true } | { ok: false; errors: Partial<Record<ChangeEmailFields, FieldError>> }> {
  const { db, principal, form, now } = options;
  const user = await findUserById(db, principal.user.id);
  if (!user) return { ok: false, errors: { newEmail: 'required' } };
  const errors = { ...form.errors };
  if (!errors.newEmail && form.values.newEmail.toLowerCase() === user.email.toLowerCase()) errors.newEmail = 'same_email';
  // Accounts made through an identity service have no password: the signed-in session is the proof.
  if (user.password_hash && !errors.password && !(await verifyPassword(user.password_hash, form.values.password))) errors.password = 'wrong_password';
  if (user.password_hash && !form.values.password) errors.password = 'required';
  if (!errors.newEmail && (await findUserByEmail(db, form.values.newEmail))) errors.newEmail = 'email_taken';
  if (hasErrors(errors)) return { ok: false, errors };
  await db.transaction().execute(async (trx) => {
    const secret = await issueToken(trx, { purpose: 'change-email', userId: user.id, email: form.values.newEmail, ttlMs: CHANGE_EMAIL_HOURS * 3_600_000, now });
    const t = translator(user.locale);
    const link = platformLink(options.publicUrl, user.locale, '/confirm-email-change', { token: secret });
    await queueMail(
      trx,
      {
        to: form.values.newEmail,
        locale: user.locale,
        subject: t('email.emailChange.subject'),
        text: `${t('email.emailChange.body', { name: user.display_name, link })}\n\n${t('email.signature')}\n`,
      },
      { purgeAfter: new Date(now.getTime() + CHANGE_EMAIL_HOURS * 3_600_000) },
    );
    await audit(trx, {
      actor: { type: 'user', id: user.id },
      action: 'user.email_change_requested',
      entity: { type: 'user', id: user.id },
      changes: { requested_email: personalChange(null, form.values.newEmail) },
      request: options.request,
    });
  });
  return { ok: true };
}

/** Changes the address when the link sent to it is opened, and tells the old address. */
export async function confirmEmailChange(options: { db: Kysely<Database>; token: string; request: RequestInfo; now: Date }): Promise<{ ok: true; email: string } | { ok: false }> {
  const { now } = options;
  return await options.db.transaction().execute(async (trx) => {
    const token = await findUsableToken(trx, secretId(options.token), 'change-email', now);
    const user = token?.user_id ? await findUserById(trx, token.user_id) : undefined;
    if (!token || !user || (await findUserByEmail(trx, token.email))) return { ok: false };
    await markTokenUsed(trx, token.id, now);
    await updateUser(trx, user.id, { email: token.email, email_verified_at: now }, now);
    const t = translator(user.locale);
    await queueMail(trx, {
      to: user.email,
      locale: user.locale,
      subject: t('email.emailChanged.subject'),
      text: `${t('email.emailChanged.body', { name: user.display_name, email: token.email })}\n\n${t('email.signature')}\n`,
    });
    await audit(trx, {
      actor: { type: 'user', id: user.id },
      action: 'user.email_changed',
      entity: { type: 'user', id: user.id },
      changes: { email: personalChange(user.email, token.email) },
      request: options.request,
    });
    return { ok: true, email: token.email };
  });
}

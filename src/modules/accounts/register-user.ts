import { randomUUID } from 'node:crypto';
import type { Kysely } from 'kysely';
import { audit, type RequestInfo } from '../../platform/audit/audit.ts';
import { checkPasswordPolicy, hashPassword } from '../../platform/auth/passwords.ts';
import type { Database } from '../../platform/db/schema.ts';
import { type FieldError, type FormResult, hasErrors } from '../../platform/http/forms.ts';
import type { Locale } from '../../platform/i18n/locales.ts';
import { queueMail } from '../../platform/mail/outbox.ts';
import { alreadyRegisteredEmail } from './emails.ts';
import { findUserByEmail, insertRole, insertUser } from './queries.ts';
import { sendVerification } from './send-verification.ts';

export type RegisterFields = 'displayName' | 'email' | 'password' | 'confirmPassword' | 'locale';

/**
 * Creates a resident's account and sends the link that confirms their email; they sign in once it
 * is confirmed. The answer is the same whether or not the address has an account already, so the
 * form tells nobody which addresses are registered: the owner of an existing address is sent an
 * email saying so (with links to sign in and to reset the password) instead, and both ways hash the
 * password and queue one message in one transaction. The form's own checks (required, lengths) are
 * done by the caller; this adds the password policy.
 */
export async function registerUser(options: {
  db: Kysely<Database>;
  form: FormResult<RegisterFields>;
  publicUrl: string;
  request: RequestInfo;
  now: Date;
}): Promise<{ ok: true } | { ok: false; errors: Partial<Record<RegisterFields, FieldError>> }> {
  const { values } = options.form;
  const errors = { ...options.form.errors };
  if (!errors.password) {
    const problem = checkPasswordPolicy(values.password, { email: values.email, displayName: values.displayName })[0];
    if (problem) errors.password = problem;
  }
  if (!errors.password && !errors.confirmPassword && values.password !== values.confirmPassword) errors.confirmPassword = 'passwords_differ';
  if (hasErrors(errors)) return { ok: false, errors };

  // Hashed either way, so that an existing address does not answer sooner.
  const passwordHash = await hashPassword(values.password);
  const existing = await findUserByEmail(options.db, values.email);
  if (existing) {
    await tellOwner(options.db, existing, options);
    return { ok: true };
  }
  const userId = randomUUID();
  const locale = values.locale as Locale;
  try {
    await options.db.transaction().execute(async (trx) => {
      await insertUser(trx, { id: userId, email: values.email, displayName: values.displayName, locale, passwordHash });
      await insertRole(trx, { userId, role: 'resident', organisationId: null, grantedBy: null });
      await sendVerification(trx, { user: { id: userId, email: values.email, display_name: values.displayName, locale }, publicUrl: options.publicUrl, now: options.now });
      await audit(trx, {
        actor: { type: 'user', id: userId },
        action: 'user.registered',
        entity: { type: 'user', id: userId },
        changes: { email: { before: null, after: values.email }, display_name: { before: null, after: values.displayName }, role: { before: null, after: 'resident' } },
        request: options.request,
      });
    });
  } catch (error) {
    // Two registrations for one address at the same moment: the unique index decides; the owner is told.
    if (!/users_email|unique/i.test((error as Error).message)) throw error;
    const winner = await findUserByEmail(options.db, values.email);
    if (winner) await tellOwner(options.db, winner, options);
  }
  return { ok: true };
}

async function tellOwner(db: Kysely<Database>, owner: { id: string; email: string; display_name: string; locale: Locale }, options: { publicUrl: string; request: RequestInfo }): Promise<void> {
  await db.transaction().execute(async (trx) => {
    await queueMail(trx, alreadyRegisteredEmail({ to: owner.email, name: owner.display_name, locale: owner.locale, publicUrl: options.publicUrl }));
    await audit(trx, {
      actor: { type: 'system', label: 'anonymous visitor' },
      action: 'user.registration_repeated',
      entity: { type: 'user', id: owner.id },
      changes: {},
      request: options.request,
    });
  });
}

import { randomUUID } from 'node:crypto';
import type { Kysely } from 'kysely';
import { audit, type RequestInfo } from '../../platform/audit/audit.ts';
import { checkPasswordPolicy, hashPassword } from '../../platform/auth/passwords.ts';
import { createSession, type SessionSettings } from '../../platform/auth/sessions.ts';
import type { Database } from '../../platform/db/schema.ts';
import { type FieldError, type FormResult, hasErrors } from '../../platform/http/forms.ts';
import type { Locale } from '../../platform/i18n/locales.ts';
import { findUserByEmail, insertRole, insertUser } from './queries.ts';
import { sendVerification } from './send-verification.ts';

export type RegisterFields = 'displayName' | 'email' | 'password' | 'confirmPassword' | 'locale';

/**
 * Creates a resident's account, signs them in and sends the link that confirms their email. The
 * form's own checks (required, lengths) are done by the caller; this adds the password policy and
 * the one-account-per-address rule.
 */
export async function registerUser(options: {
  db: Kysely<Database>;
  form: FormResult<RegisterFields>;
  publicUrl: string;
  session: SessionSettings;
  request: RequestInfo & { userAgent?: string | undefined };
}): Promise<{ ok: true; userId: string; sessionSecret: string } | { ok: false; errors: Partial<Record<RegisterFields, FieldError>> }> {
  const { values } = options.form;
  const errors = { ...options.form.errors };
  if (!errors.password) {
    const problem = checkPasswordPolicy(values.password, { email: values.email, displayName: values.displayName })[0];
    if (problem) errors.password = problem;
  }
  if (!errors.password && !errors.confirmPassword && values.password !== values.confirmPassword) errors.confirmPassword = 'passwords_differ';
  if (!errors.email && (await findUserByEmail(options.db, values.email))) errors.email = 'email_taken';
  if (hasErrors(errors)) return { ok: false, errors };

  const passwordHash = await hashPassword(values.password);
  const userId = randomUUID();
  const locale = values.locale as Locale;
  try {
    const sessionSecret = await options.db.transaction().execute(async (trx) => {
      await insertUser(trx, { id: userId, email: values.email, displayName: values.displayName, locale, passwordHash });
      await insertRole(trx, { userId, role: 'resident', organisationId: null, grantedBy: null });
      await sendVerification(trx, { user: { id: userId, email: values.email, display_name: values.displayName, locale }, publicUrl: options.publicUrl });
      await audit(trx, {
        actor: { type: 'user', id: userId },
        action: 'user.registered',
        entity: { type: 'user', id: userId },
        changes: { email: { before: null, after: values.email }, display_name: { before: null, after: values.displayName }, role: { before: null, after: 'resident' } },
        request: options.request,
      });
      return await createSession(trx, { userId, settings: options.session, secondFactor: false, ip: options.request.ip, userAgent: options.request.userAgent });
    });
    return { ok: true, userId, sessionSecret };
  } catch (error) {
    // Two registrations for one address at the same moment: the unique index decides, the loser is told.
    if (/users_email|unique/i.test((error as Error).message)) return { ok: false, errors: { email: 'email_taken' } };
    throw error;
  }
}

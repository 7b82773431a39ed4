import type { Kysely } from 'kysely';
import { audit, type RequestInfo } from '../../platform/audit/audit.ts';
import type { Database } from '../../platform/db/schema.ts';
import { queueMail } from '../../platform/mail/outbox.ts';
import { platformLink, resetEmail } from './emails.ts';
import { findUserByEmail, issueToken } from './queries.ts';

export const RESET_PASSWORD_MINUTES = 60;
/** Reset emails one account may be sent in an hour: enough for a lost message, not for a mail bomb. */
export const MAX_RESETS_PER_HOUR = 3;

/**
 * Sends a password-reset link to the account with this address, if there is one. The caller shows
 * the same answer either way, so the form does not reveal which addresses have accounts.
 */
export async function requestPasswordReset(options: { db: Kysely<Database>; email: string; publicUrl: string; request: RequestInfo }): Promise<void> {
  const user = await findUserByEmail(options.db, options.email);
  if (!user || user.disabled_at) return;
  const recent = await options.db
    .selectFrom('user_tokens')
    .select((eb) => eb.fn.countAll<string>().as('n'))
    .where('user_id', '=', user.id)
    .where('purpose', '=', 'reset-password')
    .where('created_at', '>', new Date(Date.now() - 3_600_000))
    .executeTakeFirstOrThrow();
  if (Number(recent.n) >= MAX_RESETS_PER_HOUR) return;
  await options.db.transaction().execute(async (trx) => {
    const secret = await issueToken(trx, { purpose: 'reset-password', userId: user.id, email: user.email, ttlMs: RESET_PASSWORD_MINUTES * 60_000 });
    const link = platformLink(options.publicUrl, user.locale, '/reset-password', { token: secret });
    await queueMail(trx, resetEmail({ to: user.email, name: user.display_name, locale: user.locale, link }), { purgeAfter: new Date(Date.now() + RESET_PASSWORD_MINUTES * 60_000) });
    await audit(trx, {
      actor: { type: 'system', label: 'anonymous visitor' },
      action: 'user.password_reset_requested',
      entity: { type: 'user', id: user.id },
      changes: {},
      request: options.request,
    });
  });
}

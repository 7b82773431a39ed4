import type { Kysely } from 'kysely';
import { audit, type RequestInfo } from '../../platform/audit/audit.ts';
import type { Database } from '../../platform/db/schema.ts';
import type { Locale } from '../../platform/i18n/locales.ts';
import { queueMail } from '../../platform/mail/outbox.ts';
import { platformLink, resetEmail, resetNoAccountEmail } from './emails.ts';
import { countRecentTokensFor, findUserByEmail, issueToken, withdrawAddressTokens } from './queries.ts';

const RESET_PASSWORD_MINUTES = 60;
/** Reset emails one address may be sent in an hour: enough for a lost message, not for a mail bomb. */
const MAX_RESETS_PER_HOUR = 3;

/**
 * Answers a password-reset request with the same work whether or not an account uses the address, so
 * that neither the answer nor its time tells which addresses have accounts: the same count of recent
 * requests for the address, then in one transaction a reset token (one that no account can use when
 * there is none), one queued message (the link, or "no account uses this address" with a link to
 * register) and one audit entry.
 */
export async function requestPasswordReset(options: { db: Kysely<Database>; email: string; publicUrl: string; locale: Locale; request: RequestInfo; now: Date }): Promise<void> {
  const { now } = options;
  const found = await findUserByEmail(options.db, options.email);
  const user = found && !found.disabled_at ? found : undefined;
  const email = user?.email ?? options.email.trim();
  if ((await countRecentTokensFor(options.db, email, 'reset-password', new Date(now.getTime() - 3_600_000))) >= MAX_RESETS_PER_HOUR) return;
  await options.db.transaction().execute(async (trx) => {
    // An account's earlier links are withdrawn by issueToken; an address's without one, here: the same statement either way.
    if (!user) await withdrawAddressTokens(trx, email, 'reset-password', now);
    const secret = await issueToken(trx, { purpose: 'reset-password', userId: user?.id ?? null, email, ttlMs: RESET_PASSWORD_MINUTES * 60_000, now });
    const locale = user?.locale ?? options.locale;
    const link = platformLink(options.publicUrl, locale, '/reset-password', { token: secret });
    await queueMail(trx, user ? resetEmail({ to: email, name: user.display_name, locale, link }) : resetNoAccountEmail({ to: email, locale, publicUrl: options.publicUrl }), {
      purgeAfter: new Date(now.getTime() + RESET_PASSWORD_MINUTES * 60_000),
    });
    await audit(trx, {
      actor: { type: 'system', label: 'anonymous visitor' },
      action: 'user.password_reset_requested',
      // No account: nothing to name (the trail holds no addresses).
      entity: { type: 'user', id: user?.id ?? '-' },
      changes: {},
      request: options.request,
    });
  });
}

import type { Transaction } from 'kysely';
import type { Database } from '../../platform/db/schema.ts';
import { queueMail } from '../../platform/mail/outbox.ts';
import { platformLink, verificationEmail } from './emails.ts';
import { issueToken, type UserRow } from './queries.ts';

const VERIFY_EMAIL_HOURS = 24;

/** Sends (again) the link that confirms a user's email address; earlier links stop working. */
export async function sendVerification(trx: Transaction<Database>, options: { user: Pick<UserRow, 'id' | 'email' | 'display_name' | 'locale'>; publicUrl: string; now: Date }): Promise<void> {
  const { user, now } = options;
  const secret = await issueToken(trx, { purpose: 'verify-email', userId: user.id, email: user.email, ttlMs: VERIFY_EMAIL_HOURS * 3_600_000, now });
  const link = platformLink(options.publicUrl, user.locale, '/verify-email', { token: secret });
  await queueMail(trx, verificationEmail({ to: user.email, name: user.display_name, locale: user.locale, link }), { purgeAfter: new Date(now.getTime() + VERIFY_EMAIL_HOURS * 3_600_000) });
}

import type { Kysely } from 'kysely';
import { audit, type RequestInfo } from '../../platform/audit/audit.ts';
import { secretId } from '../../platform/auth/sessions.ts';
import type { Database } from '../../platform/db/schema.ts';
import { findUsableToken, findUserById, markTokenUsed, updateUser } from './queries.ts';

/** Confirms an email address from the emailed link; false when the link is unknown, used or expired. */
export async function verifyEmail(options: { db: Kysely<Database>; token: string; request: RequestInfo; now: Date }): Promise<boolean> {
  const { now } = options;
  return await options.db.transaction().execute(async (trx) => {
    const token = await findUsableToken(trx, secretId(options.token), 'verify-email', now);
    if (!token?.user_id) return false;
    const user = await findUserById(trx, token.user_id);
    // A link sent to an address the account no longer has proves nothing.
    if (!user || user.email.toLowerCase() !== token.email.toLowerCase()) return false;
    await markTokenUsed(trx, token.id, now);
    if (user.email_verified_at) return true;
    await updateUser(trx, user.id, { email_verified_at: now }, now);
    await audit(trx, {
      actor: { type: 'user', id: user.id },
      action: 'user.email_verified',
      entity: { type: 'user', id: user.id },
      changes: { email_verified_at: { before: null, after: now } },
      request: options.request,
    });
    return true;
  });
}

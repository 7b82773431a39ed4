import { randomUUID } from 'node:crypto';
import type { Kysely } from 'kysely';
import { type Actor, audit, personalChange } from '../../platform/audit/audit.ts';
import { ORGANISATION_ROLES, type Role } from '../../platform/auth/roles.ts';
import type { Database } from '../../platform/db/schema.ts';
import { HttpError } from '../../platform/http/errors.ts';
import type { Locale } from '../../platform/i18n/locales.ts';
import { platformLink } from './emails.ts';
import { findUserByEmail, insertRole, insertUser, issueToken } from './queries.ts';

export const SET_PASSWORD_HOURS = 72;

/**
 * Creates an account with a role, from the command line (the first administrator, say). The person
 * sets their own password through the returned link; the address counts as confirmed because the
 * operator vouches for it.
 */
export async function createUser(options: {
  db: Kysely<Database>;
  email: string;
  displayName: string;
  locale: Locale;
  role: Role;
  organisationId: string | null;
  publicUrl: string;
  actor: Actor;
  now: Date;
}): Promise<{ userId: string; setPasswordLink: string }> {
  const { db, role, organisationId, now } = options;
  if (ORGANISATION_ROLES.includes(role) && !organisationId) throw new HttpError(400, 'organisation_required', `The role ${role} needs an organisation (--organisation)`);
  if (await findUserByEmail(db, options.email)) throw new HttpError(409, 'email_taken', `An account with ${options.email} exists already`);
  const userId = randomUUID();
  const secret = await db.transaction().execute(async (trx) => {
    if (organisationId && !(await trx.selectFrom('organisations').select('id').where('id', '=', organisationId).executeTakeFirst())) {
      throw new HttpError(400, 'organisation_not_found', `No organisation ${organisationId}`);
    }
    await insertUser(trx, { id: userId, email: options.email, displayName: options.displayName, locale: options.locale, passwordHash: null, emailVerifiedAt: now });
    await insertRole(trx, { userId, role, organisationId, grantedBy: null });
    const link = await issueToken(trx, { purpose: 'reset-password', userId, email: options.email, ttlMs: SET_PASSWORD_HOURS * 3_600_000, now });
    await audit(trx, {
      actor: options.actor,
      action: 'user.created',
      entity: { type: 'user', id: userId },
      changes: { email: personalChange(null, options.email), role: { before: null, after: role }, organisation_id: { before: null, after: organisationId } },
    });
    return link;
  });
  return { userId, setPasswordLink: platformLink(options.publicUrl, options.locale, '/reset-password', { token: secret }) };
}

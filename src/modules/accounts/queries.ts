import { type Kysely, sql, type Transaction } from 'kysely';
import { json } from '../../platform/db/index.ts';
import type { Database } from '../../platform/db/schema.ts';
import type { UserTokensTable } from './tables.ts';
import type { Role } from '../../platform/auth/roles.ts';
import { newSecret, secretId } from '../../platform/auth/sessions.ts';

type Q = Kysely<Database> | Transaction<Database>;

export interface UserRow {
  id: string;
  email: string;
  display_name: string;
  locale: 'zh-Hant' | 'zh-Hans' | 'en';
  password_hash: string | null;
  email_verified_at: Date | null;
  disabled_at: Date | null;
}

const userColumns = ['id', 'email', 'display_name', 'locale', 'password_hash', 'email_verified_at', 'disabled_at'] as const;

export async function findUserByEmail(db: Q, email: string): Promise<UserRow | undefined> {
  return await db.selectFrom('users').select(userColumns).where(sql<string>`lower(email)`, '=', email.toLowerCase()).executeTakeFirst();
}

export async function findUserById(db: Q, id: string): Promise<UserRow | undefined> {
  return await db.selectFrom('users').select(userColumns).where('id', '=', id).executeTakeFirst();
}

export async function insertUser(
  db: Q,
  user: { id: string; email: string; displayName: string; locale: UserRow['locale']; passwordHash: string | null; emailVerifiedAt?: Date | null },
): Promise<void> {
  await db
    .insertInto('users')
    .values({
      id: user.id,
      email: user.email,
      display_name: user.displayName,
      locale: user.locale,
      password_hash: user.passwordHash,
      email_verified_at: user.emailVerifiedAt ?? null,
    })
    .execute();
}

export async function insertRole(db: Q, grant: { userId: string; role: Role; organisationId: string | null; grantedBy: string | null }): Promise<void> {
  await db.insertInto('user_roles').values({ user_id: grant.userId, role: grant.role, organisation_id: grant.organisationId, granted_by: grant.grantedBy }).execute();
}

export async function findRoles(db: Q, userId: string) {
  return await db
    .selectFrom('user_roles as r')
    .leftJoin('organisations as o', 'o.id', 'r.organisation_id')
    .select(['r.role', 'r.organisation_id', 'o.name as organisation_name'])
    .where('r.user_id', '=', userId)
    .orderBy('r.id')
    .execute();
}

export async function updateUser(db: Q, id: string, changes: { password_hash?: string; email_verified_at?: Date; email?: string }, now: Date): Promise<void> {
  await db
    .updateTable('users')
    .set({ ...changes, updated_at: now })
    .where('id', '=', id)
    .execute();
}

export type TokenPurpose = UserTokensTable['purpose'];

async function insertToken(
  db: Q,
  token: { id: string; purpose: TokenPurpose; userId: string | null; email: string; expiresAt: Date; payload?: Record<string, unknown>; createdBy?: string | null; createdAt: Date },
): Promise<void> {
  await db
    .insertInto('user_tokens')
    .values({
      id: token.id,
      purpose: token.purpose,
      user_id: token.userId,
      email: token.email,
      expires_at: token.expiresAt,
      payload: json(token.payload ?? {}),
      created_by: token.createdBy ?? null,
      created_at: token.createdAt,
    })
    .execute();
}

/** A token that exists, has this purpose, is unused and unexpired — locked for the rest of the transaction. */
export async function findUsableToken(db: Q, id: string, purpose: TokenPurpose, now: Date) {
  return await db.selectFrom('user_tokens').selectAll().where('id', '=', id).where('purpose', '=', purpose).where('used_at', 'is', null).where('expires_at', '>', now).forUpdate().executeTakeFirst();
}

export async function markTokenUsed(db: Q, id: string, now: Date): Promise<void> {
  await db.updateTable('user_tokens').set({ used_at: now }).where('id', '=', id).execute();
}

/** Unused tokens of a kind are withdrawn when a new one is sent: only the newest link works. */
async function withdrawTokens(db: Q, userId: string, purpose: TokenPurpose, now: Date): Promise<void> {
  await db.updateTable('user_tokens').set({ used_at: now }).where('user_id', '=', userId).where('purpose', '=', purpose).where('used_at', 'is', null).execute();
}

/**
 * Issues the secret of an emailed link and stores only its hash. A user's earlier unused links of the
 * same purpose stop working: only the newest one does.
 */
export async function issueToken(
  db: Q,
  token: { purpose: TokenPurpose; userId: string | null; email: string; ttlMs: number; payload?: Record<string, unknown>; createdBy?: string | null; now: Date },
): Promise<string> {
  const secret = newSecret();
  if (token.userId) await withdrawTokens(db, token.userId, token.purpose, token.now);
  await insertToken(db, {
    id: secretId(secret),
    purpose: token.purpose,
    userId: token.userId,
    email: token.email,
    expiresAt: new Date(token.now.getTime() + token.ttlMs),
    createdAt: token.now,
    ...(token.payload ? { payload: token.payload } : {}),
    createdBy: token.createdBy ?? null,
  });
  return secret;
}

/** Withdraws the unused tokens of a purpose issued for an address that has no account behind them. */
export async function withdrawAddressTokens(db: Q, email: string, purpose: TokenPurpose, now: Date): Promise<void> {
  await db
    .updateTable('user_tokens')
    .set({ used_at: now })
    .where(sql`lower(email)`, '=', email.toLowerCase())
    .where('user_id', 'is', null)
    .where('purpose', '=', purpose)
    .where('used_at', 'is', null)
    .execute();
}

/** Tokens of a purpose issued for an address since an instant (with or without an account behind it). */
export async function countRecentTokensFor(db: Q, email: string, purpose: TokenPurpose, since: Date): Promise<number> {
  const row = await db
    .selectFrom('user_tokens')
    .select((eb) => eb.fn.countAll<string>().as('n'))
    .where(sql`lower(email)`, '=', email.toLowerCase())
    .where('purpose', '=', purpose)
    .where('created_at', '>', since)
    .executeTakeFirstOrThrow();
  return Number(row.n);
}

/** People whose name or email contains the text (all, newest first, when empty). */
export async function searchUsers(db: Q, text: string, limit = 100) {
  let query = db.selectFrom('users').select(['id', 'email', 'display_name', 'email_verified_at', 'totp_enabled_at', 'disabled_at', 'last_login_at']).orderBy('created_at', 'desc').limit(limit);
  if (text) {
    const like = `%${text.replace(/[%_\\]/g, '\\$&')}%`;
    query = query.where((eb) => eb.or([eb('email', 'ilike', like), eb('display_name', 'ilike', like)]));
  }
  return await query.execute();
}

// ---------------------------------------------------------------------------------------------------
// The purges of the account of personal data (retention.ts)

/** Deletes the tokens whose link has expired (with the address they were sent to). */
export async function deleteExpiredTokens(db: Q, now: Date): Promise<number> {
  const result = await db.deleteFrom('user_tokens').where('expires_at', '<=', now).executeTakeFirst();
  return Number(result.numDeletedRows);
}

/** Deletes the requests to represent an organisation that were rejected or withdrawn before `before`. */
export async function deleteClosedRepresentationRequests(db: Q, before: Date): Promise<number> {
  const result = await db.deleteFrom('representation_requests').where('state', 'in', ['rejected', 'withdrawn']).where(sql<Date>`coalesce(decided_at, created_at)`, '<', before).executeTakeFirst();
  return Number(result.numDeletedRows);
}

/** Self-registered accounts made before `before` whose address was never confirmed and that never signed in. */
export async function findUnconfirmedAccounts(db: Q, before: Date, limit: number): Promise<string[]> {
  const rows = await db
    .selectFrom('users')
    .select('id')
    .where('email_verified_at', 'is', null)
    .where('last_login_at', 'is', null)
    .where('password_hash', 'is not', null)
    .where('created_at', '<', before)
    .orderBy('created_at')
    .limit(limit)
    .execute();
  return rows.map((r) => r.id);
}

/** Deletes an account (its sessions, tokens, roles and codes go with it); false when records still refer to it. */
export async function deleteUnreferencedUser(db: Kysely<Database>, id: string): Promise<boolean> {
  try {
    const result = await db.deleteFrom('users').where('id', '=', id).executeTakeFirst();
    return result.numDeletedRows > 0n;
  } catch (error) {
    // 23503: another record (an enquiry, a file) refers to the account: it stays.
    if ((error as { code?: string }).code === '23503') return false;
    throw error;
  }
}

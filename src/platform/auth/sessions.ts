import { createHash, randomBytes } from 'node:crypto';
import type { Kysely, Transaction } from 'kysely';
import { systemClock } from '../clock.ts';
import type { Database } from '../db/schema.ts';
import type { Principal, RoleGrant } from './roles.ts';

type Q = Kysely<Database> | Transaction<Database>;

/** The plain name (http); what a request carries is `sessionCookieName(publicUrl)`. */
export { SESSION_COOKIE, sessionCookieName } from './cookies.ts';

export interface SessionSettings {
  /** A session unused for this long ends. */
  idleMinutes: number;
  /** A session ends this long after sign-in, however busy. */
  maxHours: number;
}

/** A random secret for a cookie or an emailed link; only its hash is stored. */
export function newSecret(): string {
  return randomBytes(32).toString('base64url');
}

export function secretId(secret: string): string {
  return createHash('sha256').update(secret).digest('hex');
}

/**
 * Sessions keep real time, whatever the platform's clock says (CLOCK_START, a test's fixed day): a
 * session's idle and absolute limits are spans of a person's real time at the keyboard. The functions
 * below take the instant only so that a test can check those limits; everything else leaves it out.
 */

/** Starts a session (always a new id: signing in never reuses one) and returns the cookie's secret. */
export async function createSession(
  db: Q,
  options: { userId: string; settings: SessionSettings; secondFactor: boolean; ip?: string | undefined; userAgent?: string | undefined; now?: Date },
): Promise<string> {
  const now = options.now ?? systemClock();
  const secret = newSecret();
  await db
    .insertInto('sessions')
    .values({
      id: secretId(secret),
      user_id: options.userId,
      created_at: now,
      last_seen_at: now,
      expires_at: new Date(now.getTime() + options.settings.maxHours * 3_600_000),
      second_factor_at: options.secondFactor ? now : null,
      ip: options.ip ?? null,
      user_agent: options.userAgent?.slice(0, 300) ?? null,
    })
    .execute();
  await db.updateTable('users').set({ last_login_at: now }).where('id', '=', options.userId).execute();
  return secret;
}

/** Loads who holds a session cookie; null when it is unknown, expired, idle too long, or the user is disabled. */
export async function loadPrincipal(db: Kysely<Database>, secret: string, settings: SessionSettings, now: Date = systemClock()): Promise<Principal | null> {
  const id = secretId(secret);
  const row = await db
    .selectFrom('sessions as s')
    .innerJoin('users as u', 'u.id', 's.user_id')
    .select([
      's.id as session_id',
      's.last_seen_at',
      's.expires_at',
      's.second_factor_at',
      'u.id',
      'u.email',
      'u.display_name',
      'u.locale',
      'u.email_verified_at',
      'u.totp_enabled_at',
      'u.disabled_at',
    ])
    .where('s.id', '=', id)
    .executeTakeFirst();
  if (!row) return null;
  const idleSince = now.getTime() - row.last_seen_at.getTime();
  if (row.disabled_at || row.expires_at.getTime() <= now.getTime() || idleSince > settings.idleMinutes * 60_000) {
    await db.deleteFrom('sessions').where('id', '=', id).execute();
    return null;
  }
  // Record activity at most once a minute: enough for the idle timeout, without a write per request.
  if (idleSince > 60_000) await db.updateTable('sessions').set({ last_seen_at: now }).where('id', '=', id).execute();
  const grants = await db
    .selectFrom('user_roles as r')
    .leftJoin('organisations as o', 'o.id', 'r.organisation_id')
    .select(['r.role', 'r.organisation_id', 'o.side'])
    .where('r.user_id', '=', row.id)
    .orderBy('r.id')
    .execute();
  return {
    user: {
      id: row.id,
      email: row.email,
      displayName: row.display_name,
      locale: row.locale,
      emailVerified: row.email_verified_at !== null,
      twoFactorEnabled: row.totp_enabled_at !== null,
    },
    roles: grants.map((g): RoleGrant => ({ role: g.role, organisationId: g.organisation_id, side: g.side ?? null })),
    session: { id, secondFactorDone: row.second_factor_at !== null },
  };
}

export async function endSession(db: Q, secret: string): Promise<void> {
  await db.deleteFrom('sessions').where('id', '=', secretId(secret)).execute();
}

/** Ends every session of a user but, optionally, the one in use (after a password change, say). */
export async function endUserSessions(db: Q, userId: string, exceptSessionId?: string): Promise<void> {
  let query = db.deleteFrom('sessions').where('user_id', '=', userId);
  if (exceptSessionId) query = query.where('id', '!=', exceptSessionId);
  await query.execute();
}

export async function markSecondFactor(db: Q, sessionId: string, now: Date = systemClock()): Promise<void> {
  await db.updateTable('sessions').set({ second_factor_at: now }).where('id', '=', sessionId).execute();
}

// Tracking codes and sessions: how a citizen without an account follows their case.
import { createHash } from 'node:crypto';
import { type Kysely, sql, type Transaction } from 'kysely';
import type { Database } from '../../../platform/db/schema.ts';

type Q = Kysely<Database> | Transaction<Database>;

export const sha256 = (text: string): string => createHash('sha256').update(text).digest('hex');

export async function countRecentCodes(db: Q, enquiryId: number, since: Date): Promise<number> {
  const row = await db.selectFrom('enquiry_track_codes').select(sql<string>`count(*)`.as('n')).where('enquiry_id', '=', enquiryId).where('created_at', '>=', since).executeTakeFirstOrThrow();
  return Number(row.n);
}

export async function insertTrackCode(db: Q, c: { enquiryId: number; codeHash: string; salt: string; expiresAt: Date }): Promise<void> {
  await db.insertInto('enquiry_track_codes').values({ enquiry_id: c.enquiryId, code_hash: c.codeHash, salt: c.salt, expires_at: c.expiresAt }).execute();
}

export interface TrackCode {
  id: number;
  codeHash: string;
  salt: string;
  expiresAt: Date;
  attempts: number;
  usedAt: Date | null;
}

/** The newest code sent for a case (only the newest counts: asking for a new one retires the others). */
export async function findNewestCode(db: Q, enquiryId: number): Promise<TrackCode | undefined> {
  const row = await db
    .selectFrom('enquiry_track_codes')
    .select(['id', 'code_hash', 'salt', 'expires_at', 'attempts', 'used_at'])
    .where('enquiry_id', '=', enquiryId)
    .orderBy('id', 'desc')
    .limit(1)
    .executeTakeFirst();
  return row ? { id: row.id, codeHash: row.code_hash, salt: row.salt, expiresAt: row.expires_at, attempts: row.attempts, usedAt: row.used_at } : undefined;
}

/** Counts an attempt at a code, if it has attempts left; false when it has none. */
export async function spendAttempt(db: Q, codeId: number, maxAttempts: number): Promise<boolean> {
  const result = await db.updateTable('enquiry_track_codes').set({ attempts: sql<number>`attempts + 1` }).where('id', '=', codeId).where('attempts', '<', maxAttempts).executeTakeFirst();
  return result.numUpdatedRows > 0n;
}

export async function useCode(db: Q, codeId: number, now: Date): Promise<boolean> {
  const result = await db.updateTable('enquiry_track_codes').set({ used_at: now }).where('id', '=', codeId).where('used_at', 'is', null).executeTakeFirst();
  return result.numUpdatedRows > 0n;
}

export async function insertTrackSession(db: Q, s: { tokenHash: string; enquiryId: number; expiresAt: Date }): Promise<void> {
  await db.insertInto('enquiry_track_sessions').values({ token_hash: s.tokenHash, enquiry_id: s.enquiryId, expires_at: s.expiresAt }).execute();
}

export async function findTrackSession(db: Q, tokenHash: string, now: Date): Promise<number | undefined> {
  const row = await db.selectFrom('enquiry_track_sessions').select('enquiry_id').where('token_hash', '=', tokenHash).where('expires_at', '>', now).executeTakeFirst();
  return row?.enquiry_id;
}

/** Removes sessions and codes that can no longer be used. */
export async function removeExpiredTracking(db: Q, now: Date): Promise<number> {
  const sessions = await db.deleteFrom('enquiry_track_sessions').where('expires_at', '<=', now).executeTakeFirst();
  const codes = await db
    .deleteFrom('enquiry_track_codes')
    .where('expires_at', '<=', new Date(now.getTime() - 24 * 3600_000))
    .executeTakeFirst();
  return Number(sessions.numDeletedRows) + Number(codes.numDeletedRows);
}

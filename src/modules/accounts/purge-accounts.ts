import type { Kysely } from 'kysely';
import type { Database } from '../../platform/db/schema.ts';
import { deleteClosedRepresentationRequests, deleteExpiredTokens, deleteUnreferencedUser, findUnconfirmedAccounts } from './queries.ts';

/** The daily job that removes the accounts' personal data past its period. */
export const PURGE_ACCOUNTS = 'accounts.purge';

/** A registration whose address was never confirmed is deleted this long after it was made (its link lasted a day). */
export const UNCONFIRMED_ACCOUNT_DAYS = 30;
/** A request to represent an organisation that was rejected or withdrawn is deleted this long after. */
export const CLOSED_REQUEST_MONTHS = 12;

const DAY = 86_400_000;

/** Links (password reset, address check, address change, invitation) go with their expiry, and the address they were sent to with them. */
export async function purgeExpiredTokens(db: Kysely<Database>, now: Date): Promise<number> {
  return await deleteExpiredTokens(db, now);
}

/** Rejected and withdrawn requests to represent an organisation (position, organisation, reason) go a year after. */
export async function purgeClosedRepresentationRequests(db: Kysely<Database>, now: Date): Promise<number> {
  const before = new Date(now.getTime());
  before.setUTCMonth(before.getUTCMonth() - CLOSED_REQUEST_MONTHS);
  return await deleteClosedRepresentationRequests(db, before);
}

/**
 * Registrations never confirmed and never used go 30 days after they were made: someone gave an
 * address that was not theirs, or changed their mind. An account something else refers to stays.
 */
export async function purgeUnconfirmedAccounts(db: Kysely<Database>, now: Date): Promise<number> {
  const ids = await findUnconfirmedAccounts(db, new Date(now.getTime() - UNCONFIRMED_ACCOUNT_DAYS * DAY), 1_000);
  let deleted = 0;
  for (const id of ids) if (await deleteUnreferencedUser(db, id)) deleted++;
  return deleted;
}

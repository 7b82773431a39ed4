import type { Kysely } from 'kysely';
import type { Database } from '../../platform/db/schema.ts';
import { clearPastRegistrationAnswers } from './queries/registrations.ts';

/** The daily job that clears what registrants wrote, once their date is long past. */
export const PURGE_REGISTRATIONS = 'events.purge-registrations';

/**
 * Answers to an organiser's questions (and a rejection's reason) are kept a year after the date
 * ends: time for the organiser's report and for questions about it; who came stays for attendance.
 */
export const REGISTRATION_ANSWER_MONTHS = 12;

export async function purgeRegistrationAnswers(db: Kysely<Database>, now: Date): Promise<number> {
  const endedBefore = new Date(now.getTime());
  endedBefore.setUTCMonth(endedBefore.getUTCMonth() - REGISTRATION_ANSWER_MONTHS);
  return await clearPastRegistrationAnswers(db, endedBefore);
}

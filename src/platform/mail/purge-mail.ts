import { type Kysely, sql } from 'kysely';
import type { Database } from '../db/schema.ts';

/** The daily job that clears the personal data of mail that has served its purpose. */
export const PURGE_MAIL = 'mail.purge';

/** What a cleared message keeps: nothing about its recipient or its content. */
const CLEARED = {
  to_address: '',
  subject: '',
  text_body: '',
  html_body: null,
  attachments: '[]',
  last_error: null,
  smtp_response: null,
} as const;

/**
 * Clears the recipient, subject, bodies, attachments and errors of messages that have served their
 * purpose: sent (or given up on) more than `retentionDays` ago, or past their own `purge_after` (the
 * expiry of the token in the link they carry). A message not yet sent or given up on is never
 * cleared: it has yet to do its work. The row stays as a skeleton (locale, state, dates, Message-ID,
 * what it was about) for the delivery figures. Returns how many were cleared.
 */
export async function purgeMail(db: Kysely<Database>, options: { now: Date; retentionDays: number }): Promise<number> {
  if (!Number.isInteger(options.retentionDays) || options.retentionDays < 1) throw new RangeError(`retentionDays must be a whole number of at least 1 (got ${options.retentionDays})`);
  const sentBefore = new Date(options.now.getTime() - options.retentionDays * 86_400_000);
  const result = await db
    .updateTable('mail_outbox')
    .set({ ...CLEARED, purged_at: options.now })
    .where('purged_at', 'is', null)
    // Done with: handed to the server (even if the bookkeeping after it is unfinished), or given up on.
    .where((eb) => eb.or([eb('state', '<>', 'queued'), eb('accepted_at', 'is not', null)]))
    .where((eb) => eb.or([eb(sql<Date>`coalesce(accepted_at, sent_at, created_at)`, '<', sentBefore), eb('purge_after', '<=', options.now)]))
    .executeTakeFirst();
  return Number(result.numUpdatedRows);
}

/**
 * Clears every message about a record (an enquiry, a suggestion) whose personal data is being purged:
 * call it in the purge's transaction. A message about it still waiting to be sent is given up on.
 */
export async function clearMailAbout(db: Kysely<Database>, about: { type: string; id: string }, now: Date): Promise<number> {
  const result = await db
    .updateTable('mail_outbox')
    .set({ ...CLEARED, purged_at: now, state: sql`case when state = 'queued' and accepted_at is null then 'failed' else state end` })
    .where('about_type', '=', about.type)
    .where('about_id', '=', about.id)
    .where('purged_at', 'is', null)
    .executeTakeFirst();
  return Number(result.numUpdatedRows);
}

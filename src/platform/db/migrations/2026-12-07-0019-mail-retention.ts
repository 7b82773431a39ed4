import { type Kysely, sql } from 'kysely';

/**
 * Mail sent exactly once and kept no longer than its purpose:
 * - `message_token`: the random part of the message's stable Message-ID (`<outbox-{id}.{token}@{domain}>`),
 *   made at insert, so a retry after a crash sends the same id and the receiving server drops the copy;
 * - `accepted_at`, `smtp_response`: the SMTP server's acceptance, recorded before any other bookkeeping;
 * - `purge_after`: when the message's personal data goes, if earlier than the retention period after
 *   sending (a message carrying a link with a token goes when the token expires);
 * - `about_type`, `about_id`: the record the message is about (an enquiry, a suggestion), whose purge
 *   clears it too;
 * - `purged_at`: when recipient, subject, body, attachments and error were cleared (the row stays as a
 *   skeleton: locale, state, dates, what it was about).
 */
export async function up(db: Kysely<unknown>): Promise<void> {
  await sql`alter table mail_outbox add column message_token text not null default replace(gen_random_uuid()::text, '-', '')`.execute(db);
  await sql`alter table mail_outbox add column accepted_at timestamptz`.execute(db);
  await sql`alter table mail_outbox add column smtp_response text`.execute(db);
  await sql`alter table mail_outbox add column purge_after timestamptz`.execute(db);
  await sql`alter table mail_outbox add column about_type text check (about_type ~ '^[a-z][a-z0-9-]*$')`.execute(db);
  await sql`alter table mail_outbox add column about_id text`.execute(db);
  await sql`alter table mail_outbox add column purged_at timestamptz`.execute(db);
  await sql`alter table mail_outbox add constraint mail_outbox_about check ((about_type is null) = (about_id is null))`.execute(db);
  // A message sent before this migration was accepted when it was marked sent.
  await sql`update mail_outbox set accepted_at = sent_at where state = 'sent'`.execute(db);
  await sql`alter table mail_outbox add constraint mail_outbox_accepted check ((state = 'sent') <= (accepted_at is not null))`.execute(db);
  await sql`create index mail_outbox_about on mail_outbox (about_type, about_id) where about_type is not null`.execute(db);
  await sql`create index mail_outbox_unpurged on mail_outbox (created_at) where purged_at is null and state <> 'queued'`.execute(db);
}

export async function down(db: Kysely<unknown>): Promise<void> {
  await sql`drop index mail_outbox_unpurged`.execute(db);
  await sql`drop index mail_outbox_about`.execute(db);
  await sql`alter table mail_outbox drop constraint mail_outbox_accepted`.execute(db);
  await sql`alter table mail_outbox drop constraint mail_outbox_about`.execute(db);
  for (const column of ['purged_at', 'about_id', 'about_type', 'purge_after', 'smtp_response', 'accepted_at', 'message_token']) {
    await sql`alter table mail_outbox drop column ${sql.ref(column)}`.execute(db);
  }
}

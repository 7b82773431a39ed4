import { type Kysely, sql } from 'kysely';

/**
 * Upload slots: the uploads running now, per account and per address, so that every app process on
 * one PostgreSQL counts them together; a slot ends with its request, or at `expires_at` when the
 * process holding it was killed.
 *
 * Pending uploads: a file sent with a form that was refused (a mistyped figure, a missing consent),
 * kept so the corrected form can be sent without choosing the file again. Personal data (evidence,
 * an enquiry's attachments): bound to whoever sent it (`owner`: the account, or a random cookie of
 * the browser, kept only as its hash), usable for 24 hours, and deleted with its file by the daily
 * housekeeping purge after that, or at once when the form is sent or the file removed.
 */
export async function up(db: Kysely<unknown>): Promise<void> {
  await sql`
    create table upload_slots (
      id text primary key,
      holder text not null,
      expires_at timestamptz not null
    )`.execute(db);
  await sql`create index upload_slots_holder on upload_slots (holder, expires_at)`.execute(db);
  await sql`
    create table pending_uploads (
      file_id text primary key references files (id) on delete cascade,
      owner text not null,
      field text not null,
      created_at timestamptz not null default now()
    )`.execute(db);
  await sql`create index pending_uploads_owner on pending_uploads (owner)`.execute(db);
  await sql`create index pending_uploads_created_at on pending_uploads (created_at)`.execute(db);
  await sql`comment on table pending_uploads is 'Personal data: files sent with a form that failed validation, bound to their sender; usable 24 hours, then deleted with their file by the daily purge'`.execute(
    db,
  );
}

export async function down(db: Kysely<unknown>): Promise<void> {
  await sql`drop table pending_uploads`.execute(db);
  await sql`drop table upload_slots`.execute(db);
}

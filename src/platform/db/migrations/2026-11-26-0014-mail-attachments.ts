import { type Kysely, sql } from 'kysely';

/** Files sent with a message (an .ics invitation, an inline QR code): name, type, base64 content, optional content id. */
export async function up(db: Kysely<unknown>): Promise<void> {
  await sql`alter table mail_outbox add column attachments jsonb not null default '[]'::jsonb`.execute(db);
}

export async function down(db: Kysely<unknown>): Promise<void> {
  await sql`alter table mail_outbox drop column attachments`.execute(db);
}

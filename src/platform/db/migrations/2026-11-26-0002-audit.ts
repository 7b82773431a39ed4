import { type Kysely, sql } from 'kysely';

export async function up(db: Kysely<unknown>): Promise<void> {
  await sql`
    create table audit_events (
      id bigint generated always as identity primary key,
      occurred_at timestamptz not null,
      actor_type text not null check (actor_type in ('user', 'system', 'command')),
      actor_id text,
      actor_label text not null,
      on_behalf_of text,
      action text not null,
      entity_type text not null,
      entity_id text not null,
      changes jsonb not null,
      request_id text,
      ip text,
      prev_hash text not null,
      hash text not null unique
    )`.execute(db);
  await sql`create index audit_events_entity on audit_events (entity_type, entity_id, id)`.execute(db);
  await sql`create index audit_events_actor on audit_events (actor_id, id)`.execute(db);
  // Append-only: no update, delete or truncate, whoever asks.
  await sql`
    create function audit_events_append_only() returns trigger language plpgsql as $$
    begin
      raise exception 'audit_events is append-only: % is not allowed', tg_op using errcode = 'insufficient_privilege';
    end
    $$`.execute(db);
  await sql`create trigger audit_events_no_change before update or delete on audit_events for each row execute function audit_events_append_only()`.execute(db);
  await sql`create trigger audit_events_no_truncate before truncate on audit_events for each statement execute function audit_events_append_only()`.execute(db);
}

export async function down(db: Kysely<unknown>): Promise<void> {
  await sql`drop table audit_events`.execute(db);
  await sql`drop function audit_events_append_only()`.execute(db);
}

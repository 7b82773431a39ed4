import { type Kysely, sql } from 'kysely';

/** Requests to represent an enterprise (or other organisation), decided by administrators. */
export async function up(db: Kysely<unknown>): Promise<void> {
  await sql`
    create table representation_requests (
      id integer generated always as identity primary key,
      user_id text not null references users (id) on delete cascade,
      organisation_id text references organisations (id),
      organisation_name text,
      position text not null,
      state text not null default 'pending' check (state in ('pending', 'approved', 'rejected', 'withdrawn')),
      reason text,
      decided_by text references users (id),
      decided_at timestamptz,
      created_at timestamptz not null default now(),
      check (organisation_id is not null or organisation_name is not null),
      check ((state = 'rejected') <= (reason is not null))
    )`.execute(db);
  await sql`create index representation_requests_pending on representation_requests (state, created_at)`.execute(db);
}

export async function down(db: Kysely<unknown>): Promise<void> {
  await sql`drop table representation_requests`.execute(db);
}

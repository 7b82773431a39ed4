import { type Kysely, sql } from 'kysely';

/**
 * Suggestions (意見建議): what people send, how coordinators moderate it (publish with a checked public
 * copy and a responsible agency, merge into a duplicate, reject with a reason), the official response,
 * and the removal of personal data after the purge period (one row of settings).
 */
export async function up(db: Kysely<unknown>): Promise<void> {
  await sql`
    create table suggestions (
      id integer generated always as identity primary key,
      reference text not null unique,
      state text not null default 'received' check (state in ('received', 'published', 'responded', 'rejected', 'merged')),
      topic text check (topic ~ '^[a-z0-9-]{1,64}$'),
      commitment_id integer references commitments (id),
      language text not null check (language in ('zh-Hant', 'zh-Hans', 'en')),
      title text,
      body text,
      submitter_type text not null check (submitter_type in ('resident', 'enterprise', 'other')),
      submitter_name text,
      submitter_organisation text,
      submitter_email text,
      user_id text references users (id) on delete set null,
      source text check (source in ('form', 'symposium-feedback')),
      source_ref text,
      public_title text,
      public_body text,
      responsible_agency text references organisations (id),
      merged_into_id integer references suggestions (id),
      reject_reason text,
      response jsonb,
      received_at timestamptz not null default now(),
      moderated_at timestamptz,
      moderated_by text references users (id) on delete set null,
      responded_at timestamptz,
      responded_by text references users (id) on delete set null,
      closed_at timestamptz,
      purged_at timestamptz,
      check ((topic is null) <> (commitment_id is null)),
      check (state not in ('published', 'responded') or (public_title is not null and public_body is not null and responsible_agency is not null)),
      check (state <> 'responded' or (response is not null and responded_at is not null)),
      check ((state = 'merged') = (merged_into_id is not null)),
      check (merged_into_id <> id),
      check (state <> 'rejected' or reject_reason is not null),
      check ((state in ('responded', 'rejected', 'merged')) = (closed_at is not null)),
      check (purged_at is not null or (title is not null and body is not null)),
      check (purged_at is null or closed_at is not null)
    )`.execute(db);
  await sql`create index suggestions_queue on suggestions (state, received_at)`.execute(db);
  await sql`create index suggestions_public_commitment on suggestions (commitment_id, received_at) where state in ('published', 'responded')`.execute(db);
  await sql`create index suggestions_agency on suggestions (responsible_agency, state)`.execute(db);
  await sql`create index suggestions_merged_into on suggestions (merged_into_id) where merged_into_id is not null`.execute(db);
  await sql`create index suggestions_to_purge on suggestions (closed_at) where purged_at is null and closed_at is not null`.execute(db);
  await sql`
    create table suggestions_settings (
      id integer primary key default 1 check (id = 1),
      purge_after_months integer not null default 24 check (purge_after_months between 1 and 120),
      updated_by text references users (id) on delete set null,
      updated_at timestamptz not null default now()
    )`.execute(db);
  await sql`insert into suggestions_settings (id) values (1)`.execute(db);
}

export async function down(db: Kysely<unknown>): Promise<void> {
  await sql`drop table suggestions_settings`.execute(db);
  await sql`drop table suggestions`.execute(db);
}

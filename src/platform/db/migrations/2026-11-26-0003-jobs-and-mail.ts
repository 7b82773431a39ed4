import { type Kysely, sql } from 'kysely';

export async function up(db: Kysely<unknown>): Promise<void> {
  await sql`
    create table jobs (
      id bigint generated always as identity primary key,
      kind text not null,
      payload jsonb not null default '{}',
      state text not null default 'queued' check (state in ('queued', 'running', 'done', 'failed')),
      run_at timestamptz not null default now(),
      attempts integer not null default 0 check (attempts >= 0),
      max_attempts integer not null default 8 check (max_attempts > 0),
      locked_by text,
      locked_until timestamptz,
      last_error text,
      dedupe_key text unique,
      created_at timestamptz not null default now(),
      finished_at timestamptz,
      check ((state = 'running') = (locked_until is not null)),
      check ((state in ('done', 'failed')) = (finished_at is not null))
    )`.execute(db);
  // What a worker looks for: due jobs, and running jobs whose lease has run out.
  await sql`create index jobs_due on jobs (run_at) where state = 'queued'`.execute(db);
  await sql`create index jobs_leased on jobs (locked_until) where state = 'running'`.execute(db);
  await sql`create index jobs_finished on jobs (finished_at) where state in ('done', 'failed')`.execute(db);

  await sql`
    create table mail_outbox (
      id bigint generated always as identity primary key,
      to_address text not null,
      locale text not null check (locale in ('zh-Hant', 'zh-Hans', 'en')),
      subject text not null,
      text_body text not null,
      html_body text,
      state text not null default 'queued' check (state in ('queued', 'sent', 'failed')),
      attempts integer not null default 0 check (attempts >= 0),
      last_error text,
      message_id text,
      created_at timestamptz not null default now(),
      sent_at timestamptz,
      check ((state = 'sent') = (sent_at is not null))
    )`.execute(db);
  await sql`create index mail_outbox_state on mail_outbox (state, created_at)`.execute(db);
}

export async function down(db: Kysely<unknown>): Promise<void> {
  await sql`drop table mail_outbox`.execute(db);
  await sql`drop table jobs`.execute(db);
}

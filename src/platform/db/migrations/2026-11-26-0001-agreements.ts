import { type Kysely, sql } from 'kysely';

export async function up(db: Kysely<unknown>): Promise<void> {
  await sql`
    create table agreements (
      id text primary key,
      title jsonb not null,
      signed_on date not null,
      signed_place jsonb not null,
      effective_from date not null,
      expires_on date not null check (expires_on >= effective_from),
      renewable boolean not null,
      official_locales jsonb not null,
      custodians jsonb not null,
      renewal_status text check (renewal_status in ('negotiating', 'renewed', 'lapsed')),
      renewed_by_id text references agreements (id),
      renewal_note text,
      renewal_recorded_at timestamptz,
      revision integer not null default 1,
      content_sha256 text not null,
      created_at timestamptz not null default now(),
      updated_at timestamptz not null default now(),
      check ((renewal_status = 'renewed') = (renewed_by_id is not null))
    )`.execute(db);
  await sql`
    create table agreement_texts (
      agreement_id text not null references agreements (id) on delete cascade,
      locale text not null check (locale in ('zh-Hant', 'zh-Hans', 'en')),
      authority text not null check (authority in ('official', 'unofficial-translation')),
      document jsonb not null,
      primary key (agreement_id, locale)
    )`.execute(db);
  await sql`
    create table agreement_areas (
      agreement_id text not null references agreements (id) on delete cascade,
      number integer not null check (number > 0),
      label jsonb not null,
      heading jsonb not null,
      title jsonb not null,
      primary key (agreement_id, number)
    )`.execute(db);
  await sql`
    create table commitments (
      id integer generated always as identity primary key,
      agreement_id text not null,
      area_number integer not null,
      number integer not null check (number > 0),
      text jsonb not null,
      unique (agreement_id, area_number, number),
      foreign key (agreement_id, area_number) references agreement_areas (agreement_id, number) on delete cascade
    )`.execute(db);
  await sql`
    create table agreement_revisions (
      id integer generated always as identity primary key,
      agreement_id text not null references agreements (id) on delete cascade,
      revision integer not null,
      content_sha256 text not null,
      changes jsonb not null,
      created_at timestamptz not null default now(),
      unique (agreement_id, revision)
    )`.execute(db);
  await sql`
    create table agreement_status_events (
      id integer generated always as identity primary key,
      agreement_id text not null references agreements (id) on delete cascade,
      renewal_status text check (renewal_status in ('negotiating', 'renewed', 'lapsed')),
      renewed_by_id text references agreements (id),
      note text,
      recorded_by text not null,
      recorded_at timestamptz not null default now()
    )`.execute(db);
  await sql`create index agreement_status_events_agreement on agreement_status_events (agreement_id, recorded_at)`.execute(db);
}

export async function down(db: Kysely<unknown>): Promise<void> {
  for (const table of ['agreement_status_events', 'agreement_revisions', 'commitments', 'agreement_areas', 'agreement_texts', 'agreements']) {
    await sql`drop table ${sql.table(table)}`.execute(db);
  }
}

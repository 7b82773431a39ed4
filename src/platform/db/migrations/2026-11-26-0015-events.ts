import { type Kysely, sql } from 'kysely';

/**
 * Events (活動): promotion activities, symposiums, forums, exhibitions, study tours. An event is a
 * series (a one-off event is a series of one) whose occurrences are written out from its RRULE; an
 * occurrence may be moved, changed or cancelled on its own. People register for an occurrence: one
 * registration a person, held places counted under a lock on the occurrence's row.
 */
export async function up(db: Kysely<unknown>): Promise<void> {
  await sql`
    create table events (
      id integer generated always as identity primary key,
      reference text not null unique,
      type text not null check (type in ('promotion', 'symposium', 'forum', 'exhibition', 'study-tour', 'training', 'other')),
      status text not null default 'draft' check (status in ('draft', 'published', 'cancelled')),
      title jsonb not null,
      description jsonb not null default '{}'::jsonb,
      city text not null check (city ~ '^[a-z0-9-]{1,40}$'),
      venue jsonb not null default '{}'::jsonb,
      online_url text check (online_url ~ '^https://'),
      time_zone text not null,
      -- The first occurrence, as wall-clock time in time_zone ('YYYY-MM-DDTHH:MM'), and its length.
      starts_local text not null check (starts_local ~ '^\\d{4}-\\d{2}-\\d{2}T\\d{2}:\\d{2}$'),
      duration_minutes integer not null check (duration_minutes between 1 and 20160),
      rrule text,
      registration text not null default 'off' check (registration in ('off', 'platform', 'external')),
      external_url text check (external_url ~ '^https?://'),
      capacity integer check (capacity between 1 and 100000),
      requires_approval boolean not null default false,
      questions jsonb not null default '[]'::jsonb,
      feedback boolean not null default false,
      contact_email text,
      created_by text references users (id) on delete set null,
      created_at timestamptz not null default now(),
      updated_at timestamptz not null default now(),
      check (registration <> 'external' or external_url is not null),
      check (registration <> 'platform' or capacity is not null)
    )`.execute(db);
  await sql`
    create table event_organisers (
      event_id integer not null references events (id) on delete cascade,
      organisation_id text not null references organisations (id),
      primary key (event_id, organisation_id)
    )`.execute(db);
  await sql`create index event_organisers_organisation on event_organisers (organisation_id, event_id)`.execute(db);
  await sql`
    create table event_commitments (
      event_id integer not null references events (id) on delete cascade,
      commitment_id integer not null references commitments (id),
      primary key (event_id, commitment_id)
    )`.execute(db);
  await sql`create index event_commitments_commitment on event_commitments (commitment_id, event_id)`.execute(db);
  await sql`
    create table event_occurrences (
      id integer generated always as identity primary key,
      event_id integer not null references events (id) on delete cascade,
      -- The date the rule gives it, in the event's time zone: its key in URLs and its RECURRENCE-ID.
      slot date not null,
      starts_at timestamptz not null,
      ends_at timestamptz not null,
      status text not null default 'scheduled' check (status in ('scheduled', 'cancelled')),
      -- Set when an organiser changed this occurrence alone: a later change of the series keeps it.
      modified boolean not null default false,
      city text check (city ~ '^[a-z0-9-]{1,40}$'),
      venue jsonb,
      online_url text check (online_url ~ '^https://'),
      capacity integer check (capacity between 1 and 100000),
      note jsonb not null default '{}'::jsonb,
      cancel_reason text,
      attendance integer check (attendance >= 0),
      report jsonb not null default '{}'::jsonb,
      reported_at timestamptz,
      reported_by text references users (id) on delete set null,
      sequence integer not null default 0,
      updated_at timestamptz not null default now(),
      unique (event_id, slot),
      check (ends_at > starts_at),
      check (status <> 'cancelled' or cancel_reason is not null)
    )`.execute(db);
  await sql`create index event_occurrences_starts on event_occurrences (starts_at, event_id)`.execute(db);
  await sql`
    create table event_registrations (
      id integer generated always as identity primary key,
      reference text not null unique,
      occurrence_id integer not null references event_occurrences (id) on delete cascade,
      user_id text not null references users (id) on delete cascade,
      state text not null check (state in ('pending', 'confirmed', 'waitlisted', 'cancelled', 'attended', 'rejected')),
      locale text not null check (locale in ('zh-Hant', 'zh-Hans', 'en')),
      answers jsonb not null default '{}'::jsonb,
      check_in_code text not null unique check (check_in_code ~ '^[A-Z2-9]{8}$'),
      reject_reason text,
      created_at timestamptz not null default now(),
      -- When it joined the waitlist: the first in is the first promoted.
      waitlisted_at timestamptz,
      decided_at timestamptz,
      decided_by text references users (id) on delete set null,
      cancelled_at timestamptz,
      checked_in_at timestamptz,
      checked_in_by text references users (id) on delete set null,
      reminded_at timestamptz,
      unique (occurrence_id, user_id),
      check (state <> 'rejected' or reject_reason is not null),
      check (state <> 'waitlisted' or waitlisted_at is not null),
      check (state <> 'attended' or checked_in_at is not null)
    )`.execute(db);
  await sql`create index event_registrations_occurrence on event_registrations (occurrence_id, state)`.execute(db);
  await sql`create index event_registrations_waitlist on event_registrations (occurrence_id, waitlisted_at, id) where state = 'waitlisted'`.execute(db);
  await sql`create index event_registrations_user on event_registrations (user_id, created_at)`.execute(db);
  await sql`alter table indicators add column counts_events text check (counts_events in ('any', 'promotion', 'symposium', 'forum', 'exhibition', 'study-tour', 'training', 'other'))`.execute(db);
}

export async function down(db: Kysely<unknown>): Promise<void> {
  await sql`alter table indicators drop column counts_events`.execute(db);
  await sql`drop table event_registrations`.execute(db);
  await sql`drop table event_occurrences`.execute(db);
  await sql`drop table event_commitments`.execute(db);
  await sql`drop table event_organisers`.execute(db);
  await sql`drop table events`.execute(db);
}

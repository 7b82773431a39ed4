import { type Kysely, sql } from 'kysely';

/**
 * Working-day calendars: per calendar and year, whether the list is official (with its source) or
 * provisional, and the days that differ from Monday to Friday (holidays; on the Mainland also the
 * Saturdays and Sundays worked in exchange). Loaded from data/calendars/, kept by administrators.
 */
export async function up(db: Kysely<unknown>): Promise<void> {
  await sql`
    create table calendar_years (
      calendar text not null check (calendar in ('hong-kong', 'mainland')),
      year integer not null check (year between 1900 and 2199),
      status text not null check (status in ('official', 'provisional')),
      source jsonb,
      basis text,
      reference_sha256 text,
      edited_by_admin boolean not null default false,
      updated_by text references users (id),
      updated_at timestamptz not null default now(),
      primary key (calendar, year),
      check (status = 'provisional' or source is not null)
    )`.execute(db);
  await sql`
    create table calendar_days (
      calendar text not null,
      date date not null,
      year integer not null,
      kind text not null check (kind in ('holiday', 'working-weekend')),
      name jsonb not null default '{}',
      primary key (calendar, date),
      foreign key (calendar, year) references calendar_years (calendar, year) on delete cascade,
      check (extract(year from date) = year),
      check (kind = 'holiday' or extract(isodow from date) in (6, 7))
    )`.execute(db);
}

export async function down(db: Kysely<unknown>): Promise<void> {
  await sql`drop table calendar_days`.execute(db);
  await sql`drop table calendar_years`.execute(db);
}

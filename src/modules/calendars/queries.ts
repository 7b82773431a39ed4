import { type Kysely, sql, type Transaction } from 'kysely';
import type { CalendarDayKind, CalendarName } from '../../platform/calendar/working-days.ts';
import { json } from '../../platform/db/index.ts';
import type { Database } from '../../platform/db/schema.ts';
import type { CalendarSource, CalendarYearStatus } from '../../platform/db/tables/calendars.ts';
import type { LocalizedText } from '../../platform/i18n/locales.ts';

type Q = Kysely<Database> | Transaction<Database>;

export interface CalendarYear {
  calendar: CalendarName;
  year: number;
  status: CalendarYearStatus;
  source: CalendarSource | null;
  basis: string | null;
  referenceSha256: string | null;
  editedByAdmin: boolean;
  updatedAt: Date;
  holidays: number;
  workingWeekends: number;
}

export interface CalendarDay {
  calendar: CalendarName;
  date: string;
  kind: CalendarDayKind;
  name: LocalizedText;
}

/** What a year says about itself (its days are kept apart). */
export type CalendarYearFields = Pick<CalendarYear, 'status' | 'source' | 'basis'>;

function yearsQuery(db: Q) {
  return db
    .selectFrom('calendar_years as y')
    .leftJoin('calendar_days as d', (join) => join.onRef('d.calendar', '=', 'y.calendar').onRef('d.year', '=', 'y.year'))
    .select([
      'y.calendar',
      'y.year',
      'y.status',
      'y.source',
      'y.basis',
      'y.reference_sha256',
      'y.edited_by_admin',
      'y.updated_at',
      sql<number>`(count(d.date) filter (where d.kind = 'holiday'))::int`.as('holidays'),
      sql<number>`(count(d.date) filter (where d.kind = 'working-weekend'))::int`.as('working_weekends'),
    ])
    .groupBy(['y.calendar', 'y.year'])
    .orderBy('y.calendar')
    .orderBy('y.year');
}

type YearRow = Awaited<ReturnType<ReturnType<typeof yearsQuery>['execute']>>[number];

function toYear(r: YearRow): CalendarYear {
  return {
    calendar: r.calendar,
    year: r.year,
    status: r.status,
    source: r.source,
    basis: r.basis,
    referenceSha256: r.reference_sha256,
    editedByAdmin: r.edited_by_admin,
    updatedAt: r.updated_at,
    holidays: r.holidays,
    workingWeekends: r.working_weekends,
  };
}

/** Every year of both calendars, with how many days of each kind it lists. */
export async function findCalendarYears(db: Q): Promise<CalendarYear[]> {
  return (await yearsQuery(db).execute()).map(toYear);
}

export async function findCalendarYear(db: Q, calendar: CalendarName, year: number): Promise<CalendarYear | undefined> {
  const row = await yearsQuery(db).where('y.calendar', '=', calendar).where('y.year', '=', year).executeTakeFirst();
  return row ? toYear(row) : undefined;
}

/** The listed days of a calendar, of one year or of several, in date order. */
export async function findCalendarDays(db: Q, calendar: CalendarName, years?: number[]): Promise<CalendarDay[]> {
  let query = db.selectFrom('calendar_days').select(['calendar', 'date', 'kind', 'name']).where('calendar', '=', calendar);
  if (years) {
    if (years.length === 0) return [];
    query = query.where('year', 'in', years);
  }
  return await query.orderBy('date').execute();
}

export async function findCalendarDay(db: Q, calendar: CalendarName, date: string): Promise<CalendarDay | undefined> {
  return await db.selectFrom('calendar_days').select(['calendar', 'date', 'kind', 'name']).where('calendar', '=', calendar).where('date', '=', date).executeTakeFirst();
}

/**
 * Writes a year's own fields. `referenceSha256` is the reference-file entry it comes from; a change
 * on the platform passes null with the person who made it, and the year is the platform's from then on.
 * With `createOnly`, an existing year is left alone; returns whether the year was written.
 */
export async function saveCalendarYear(
  db: Q,
  key: { calendar: CalendarName; year: number },
  fields: CalendarYearFields,
  origin: ({ referenceSha256: string } | { editedBy: string | null }) & { at: Date },
  createOnly = false,
): Promise<boolean> {
  const values = {
    status: fields.status,
    source: fields.source ? json(fields.source) : null,
    basis: fields.basis,
    reference_sha256: 'referenceSha256' in origin ? origin.referenceSha256 : null,
    edited_by_admin: !('referenceSha256' in origin),
    updated_by: 'editedBy' in origin ? origin.editedBy : null,
    updated_at: origin.at,
  };
  const result = await db
    .insertInto('calendar_years')
    .values({ calendar: key.calendar, year: key.year, ...values })
    .onConflict((oc) => (createOnly ? oc.columns(['calendar', 'year']).doNothing() : oc.columns(['calendar', 'year']).doUpdateSet(values)))
    .executeTakeFirst();
  return Number(result.numInsertedOrUpdatedRows ?? 0) > 0;
}

/** Marks a year as changed on the platform (a day added or removed). */
export async function markCalendarYearEdited(db: Q, calendar: CalendarName, year: number, editedBy: string | null, now: Date): Promise<void> {
  await db
    .updateTable('calendar_years')
    .set({ edited_by_admin: true, reference_sha256: null, updated_by: editedBy, updated_at: now })
    .where('calendar', '=', calendar)
    .where('year', '=', year)
    .execute();
}

/** Adds days; a date the calendar lists already is left as it is. Returns how many were added. */
export async function insertCalendarDays(db: Q, days: CalendarDay[]): Promise<number> {
  if (days.length === 0) return 0;
  const result = await db
    .insertInto('calendar_days')
    .values(days.map((d) => ({ calendar: d.calendar, date: d.date, year: Number(d.date.slice(0, 4)), kind: d.kind, name: json(d.name) })))
    .onConflict((oc) => oc.columns(['calendar', 'date']).doNothing())
    .executeTakeFirst();
  return Number(result.numInsertedOrUpdatedRows ?? 0);
}

/** Removes one day; returns it, or undefined if the calendar did not list it. */
export async function deleteCalendarDay(db: Q, calendar: CalendarName, date: string): Promise<CalendarDay | undefined> {
  return await db.deleteFrom('calendar_days').where('calendar', '=', calendar).where('date', '=', date).returning(['calendar', 'date', 'kind', 'name']).executeTakeFirst();
}

export async function deleteCalendarDaysOfYear(db: Q, calendar: CalendarName, year: number): Promise<void> {
  await db.deleteFrom('calendar_days').where('calendar', '=', calendar).where('year', '=', year).execute();
}

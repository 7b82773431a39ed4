import { createHash } from 'node:crypto';
import fs from 'node:fs';
import { fileURLToPath } from 'node:url';
import { Value } from '@sinclair/typebox/value';
import type { Kysely } from 'kysely';
import { type Actor, audit, diff } from '../../platform/audit/audit.ts';
import { calendarStore } from '../../platform/calendar/store.ts';
import { CALENDAR_NAMES, type CalendarName, dayNumber } from '../../platform/calendar/working-days.ts';
import type { Database } from '../../platform/db/schema.ts';
import { type CalendarDay, type CalendarYear, type CalendarYearFields, deleteCalendarDaysOfYear, findCalendarDays, findCalendarYears, insertCalendarDays, saveCalendarYear } from './queries.ts';
import { dayProblem, yearProblem } from './rules.ts';
import { type CalendarFile, CalendarFileSchema } from './schemas.ts';

export const CALENDAR_FILES: Record<CalendarName, string> = {
  'hong-kong': fileURLToPath(new URL('../../../data/calendars/hong-kong.json', import.meta.url)),
  mainland: fileURLToPath(new URL('../../../data/calendars/mainland.json', import.meta.url)),
};

/** One year of a reference file, as the database keeps it. */
export interface CalendarYearEntry {
  calendar: CalendarName;
  year: number;
  fields: CalendarYearFields;
  days: CalendarDay[];
  /** Of the year's entry in the file: a year whose entry did not change is not touched. */
  sha256: string;
}

/** Reads and checks one reference file: its shape, and every day against the rules the admin pages apply. */
export function readCalendarFile(file: string, expected: CalendarName): CalendarYearEntry[] {
  const content: unknown = JSON.parse(fs.readFileSync(file, 'utf8'));
  const first = Value.Errors(CalendarFileSchema, content).First();
  if (first) throw new Error(`${file}: ${first.path} ${first.message}`);
  const data = content as CalendarFile;
  if (data.calendar !== expected) throw new Error(`${file}: says it is the ${data.calendar} calendar, expected ${expected}`);
  return Object.entries(data.years).map(([key, entry]) => {
    const year = Number(key);
    const fields: CalendarYearFields = { status: entry.status, source: entry.source, basis: entry.basis ?? null };
    const wrongYear = yearProblem(fields);
    if (wrongYear) throw new Error(`${file}: ${year}: ${wrongYear.error}`);
    const days: CalendarDay[] = [
      ...entry.holidays.map((d) => ({ calendar: expected, date: d.date, kind: 'holiday' as const, name: d.name })),
      ...entry.workingWeekends.map((d) => ({ calendar: expected, date: d.date, kind: 'working-weekend' as const, name: d.name })),
    ];
    const seen = new Set<string>();
    for (const day of days) {
      try {
        dayNumber(day.date);
      } catch {
        throw new Error(`${file}: ${year}: ${day.date} is not a date`);
      }
      const problem = dayProblem({ ...day, year });
      if (problem) throw new Error(`${file}: ${year}: ${day.date} (${day.kind}): ${problem}`);
      if (seen.has(day.date)) throw new Error(`${file}: ${year}: ${day.date} is listed twice`);
      seen.add(day.date);
    }
    days.sort((a, b) => a.date.localeCompare(b.date));
    return { calendar: expected, year, fields, days, sha256: createHash('sha256').update(JSON.stringify(entry)).digest('hex') };
  });
}

export function readCalendarFiles(files: Record<CalendarName, string> = CALENDAR_FILES): CalendarYearEntry[] {
  return CALENDAR_NAMES.flatMap((name) => readCalendarFile(files[name], name));
}

/** What the audit trail keeps of a year: its fields and the dates it lists (names are in the data). */
function yearSummary(fields: CalendarYearFields, days: readonly CalendarDay[]): Record<string, unknown> {
  return {
    status: fields.status,
    source: fields.source,
    basis: fields.basis,
    holidays: days.filter((d) => d.kind === 'holiday').map((d) => d.date),
    workingWeekends: days.filter((d) => d.kind === 'working-weekend').map((d) => d.date),
  };
}

export interface LoadResult {
  created: number;
  updated: number;
  keptEdited: number;
  unchanged: number;
}

/**
 * Loads the reference calendars (on every start): adds the years the database lacks, and refreshes a
 * year whose entry in the file changed, unless an administrator has changed that year on the
 * platform: such a year is never overwritten. Each change is audited; nothing is deleted.
 */
export async function loadCalendars(options: { db: Kysely<Database>; actor: Actor; entries?: CalendarYearEntry[]; progress?: (line: string) => void; now: Date }): Promise<LoadResult> {
  const entries = options.entries ?? readCalendarFiles();
  const result: LoadResult = { created: 0, updated: 0, keptEdited: 0, unchanged: 0 };
  const kept: string[] = [];
  await options.db.transaction().execute(async (trx) => {
    const existing = new Map<string, CalendarYear>((await findCalendarYears(trx)).map((y) => [`${y.calendar}/${y.year}`, y]));
    for (const entry of entries) {
      const id = `${entry.calendar}/${entry.year}`;
      const before = existing.get(id);
      if (before?.editedByAdmin) {
        result.keptEdited += 1;
        kept.push(id);
        continue;
      }
      if (before && before.referenceSha256 === entry.sha256) {
        result.unchanged += 1;
        continue;
      }
      const beforeSummary = before ? yearSummary(before, await findCalendarDays(trx, entry.calendar, [entry.year])) : null;
      await saveCalendarYear(trx, entry, entry.fields, { referenceSha256: entry.sha256, at: options.now });
      if (before) await deleteCalendarDaysOfYear(trx, entry.calendar, entry.year);
      await insertCalendarDays(trx, entry.days);
      await audit(trx, {
        actor: options.actor,
        action: before ? 'calendar-year.reloaded' : 'calendar-year.loaded',
        entity: { type: 'calendar-year', id },
        changes: diff(beforeSummary, yearSummary(entry.fields, entry.days)),
      });
      if (before) result.updated += 1;
      else result.created += 1;
    }
  });
  if (result.created + result.updated > 0) calendarStore(options.db).invalidate();
  options.progress?.(
    `  calendars: ${result.created} years added, ${result.updated} updated from the file, ${result.keptEdited} kept as edited by an administrator${kept.length ? ` (${kept.join(', ')})` : ''}, ${result.unchanged} unchanged`,
  );
  return result;
}

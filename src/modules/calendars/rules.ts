import { type CalendarDayKind, type CalendarName, weekdayOf } from '../../platform/calendar/working-days.ts';
import type { CalendarSource, CalendarYearStatus } from '../../platform/db/tables/calendars.ts';

/** Why a day cannot be listed in a calendar's year (an error code of the admin form), or undefined. */
export function dayProblem(day: { calendar: CalendarName; year: number; date: string; kind: CalendarDayKind }): string | undefined {
  if (Number(day.date.slice(0, 4)) !== day.year) return 'calendar_date_outside_year';
  if (day.kind !== 'working-weekend') return undefined;
  // Hong Kong has no make-up working days: only the Mainland moves work onto weekends (调休).
  if (day.calendar === 'hong-kong') return 'calendar_no_make_up_days';
  return weekdayOf(day.date) >= 6 ? undefined : 'calendar_not_weekend';
}

/** Why a year's status does not fit what is said about it (field and error code), or undefined. */
export function yearProblem(year: { status: CalendarYearStatus; source: CalendarSource | null; basis: string | null }): { field: 'source' | 'basis'; error: string } | undefined {
  if (year.status === 'official' && !year.source) return { field: 'source', error: 'calendar_official_needs_source' };
  if (year.status === 'provisional' && !year.basis) return { field: 'basis', error: 'calendar_provisional_needs_basis' };
  return undefined;
}

import type { WorkingCalendars } from '../../platform/calendar/store.ts';
import { CALENDAR_NAMES, type CalendarName } from '../../platform/calendar/working-days.ts';
import { Choice, Day, type FieldError, Fields, type FieldsOf, hasErrors, readForm, Text } from '../../platform/http/forms.ts';
import type { CalendarYear } from './queries.ts';

const CALCULATOR_FORM = Fields({
  calendar: Choice(CALENDAR_NAMES),
  from: Day(),
  days: Text(10),
});
type CalculatorFields = FieldsOf<typeof CALCULATOR_FORM>;

/** What the calculator shows: the fields as typed, their errors, and the answer once they are right. */
export interface CalculatorState {
  values: Record<CalculatorFields, string>;
  errors: Partial<Record<CalculatorFields, FieldError>>;
  /** The end of the time limit, and the years on the way with no list or only a provisional one. */
  result?: { calendar: CalendarName; from: string; days: number; due: string; uncovered: number[]; provisional: number[] };
}

/** Longer limits than this are not time limits the platform sets (an extension is capped far below). */
const MAX_CALCULATED_DAYS = 366;

/**
 * The public calculator: the end of a time limit of `days` working days from a date on a calendar,
 * exactly as enquiries count it, and which years on the way had no list, or only a provisional one.
 */
export function calculateTimeLimit(query: Record<string, unknown>, calendars: WorkingCalendars, years: CalendarYear[]): CalculatorState {
  const form = readForm(query, CALCULATOR_FORM);
  const v = form.values;
  const errors = { ...form.errors };
  if (v.days && !errors.days && (!/^\d+$/.test(v.days) || Number(v.days) > MAX_CALCULATED_DAYS)) errors.days = 'calendar_invalid_days';
  if (hasErrors(errors)) return { values: v, errors };
  const calendar = v.calendar as CalendarName;
  const days = Number(v.days);
  const due = calendars[calendar].addWorkingDays(v.from, days);
  const span: number[] = [];
  for (let y = Number(v.from.slice(0, 4)); y <= Number(due.slice(0, 4)); y += 1) span.push(y);
  const known = new Map(years.filter((y) => y.calendar === calendar).map((y) => [y.year, y.status]));
  return {
    values: v,
    errors,
    result: {
      calendar,
      from: v.from,
      days,
      due,
      uncovered: span.filter((y) => !known.has(y)),
      provisional: span.filter((y) => known.get(y) === 'provisional'),
    },
  };
}

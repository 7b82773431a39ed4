/**
 * Calendar dates as the platform takes them, in query strings and in forms: YYYY-MM-DD, a day that
 * exists (no 2027-13-45, no 2026-02-29), between EARLIEST_DATE and LATEST_DATE. The schema is checked
 * by the route's validation before a handler runs; forms check the same rule with isDate.
 */
import { Type as T } from '@sinclair/typebox';
import { DATE_SHAPE } from './date-shape.ts';
import { HttpError } from './errors.ts';

/** The range of dates the platform takes: wide enough for any baseline or plan, narrow enough for every database and date library. */
const EARLIEST_DATE = '1900-01-01';
const LATEST_DATE = '2199-12-31';

/** A real calendar date in the platform's range (the format 'date' checks the day exists in its month). */
export const DateSchema = T.String({ format: 'date', pattern: `^${DATE_SHAPE}$`, description: `A calendar date, YYYY-MM-DD, from ${EARLIEST_DATE} to ${LATEST_DATE}` });

/** A date filter as a form sends it: a date, or empty for "any". */
export const DateOrEmptySchema = T.Union([T.Literal(''), DateSchema]);

const DATE = new RegExp(`^${DATE_SHAPE}$`);

/** A real calendar date written YYYY-MM-DD, in the platform's range: the rule of DateSchema. */
export function isDate(value: string): boolean {
  if (!DATE.test(value)) return false;
  const d = new Date(`${value}T00:00:00Z`);
  return !Number.isNaN(d.getTime()) && d.toISOString().slice(0, 10) === value;
}

/** A period whose end is before its start ("from" after "to"): its totals would mean nothing. */
export function isReversed(from: string | undefined, to: string | undefined): boolean {
  return Boolean(from && to && from > to);
}

/** Refuses a query whose period ends before it starts (400, naming the end), as the API answers it. */
export function refuseReversed(query: Record<string, unknown>, from: string, to: string): void {
  const start = query[from];
  const end = query[to];
  if (typeof start === 'string' && typeof end === 'string' && isReversed(start, end)) {
    throw new HttpError(400, 'reversed_range', `The period ends before it starts: ${to} is before ${from}`, [{ field: `querystring.${to}`, message: `must not be before ${from}` }]);
  }
}

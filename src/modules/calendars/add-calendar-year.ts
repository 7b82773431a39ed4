import type { Kysely } from 'kysely';
import { type Actor, audit, diff, type RequestInfo } from '../../platform/audit/audit.ts';
import { calendarStore } from '../../platform/calendar/store.ts';
import { CALENDAR_NAMES, type CalendarName } from '../../platform/calendar/working-days.ts';
import type { Database } from '../../platform/db/schema.ts';
import { Choice, type FieldError, Fields, type FieldsOf, type FormResult, hasErrors, Text } from '../../platform/http/forms.ts';
import { editorOf } from './edited-by.ts';
import { findCalendarYear, saveCalendarYear } from './queries.ts';
import { FIRST_YEAR, LAST_YEAR } from './schemas.ts';

export const NEW_YEAR_FORM = Fields({
  calendar: Choice(CALENDAR_NAMES),
  year: Text(4),
  basis: Text(2000),
});
export type NewYearFields = FieldsOf<typeof NEW_YEAR_FORM>;

/**
 * Adds a year to a calendar, provisional until its official list is entered: the basis says how its
 * days are being worked out. Its days are then added one by one.
 */
export async function addCalendarYear(options: {
  db: Kysely<Database>;
  form: FormResult<NewYearFields>;
  actor: Actor;
  request?: RequestInfo;
  now: Date;
}): Promise<{ ok: true; calendar: CalendarName; year: number } | { ok: false; errors: Partial<Record<NewYearFields, FieldError>> }> {
  const { db, form } = options;
  const v = form.values;
  const errors = { ...form.errors };
  const calendar = v.calendar as CalendarName;
  const year = Number(v.year);
  if (v.year && !errors.year && (!/^\d{4}$/.test(v.year) || year < FIRST_YEAR || year > LAST_YEAR)) errors.year = 'calendar_invalid_year';
  if (!hasErrors(errors) && (await findCalendarYear(db, calendar, year))) errors.year = 'calendar_year_exists';
  if (hasErrors(errors)) return { ok: false, errors };

  const fields = { status: 'provisional' as const, source: null, basis: v.basis };
  const created = await db.transaction().execute(async (trx) => {
    // Two people adding the same year at once: the second finds it taken and nothing is written.
    if (!(await saveCalendarYear(trx, { calendar, year }, fields, { editedBy: editorOf(options.actor), at: options.now }, true))) return false;
    await audit(trx, {
      actor: options.actor,
      action: 'calendar-year.created',
      entity: { type: 'calendar-year', id: `${calendar}/${year}` },
      changes: diff(null, { ...fields }),
      request: options.request,
    });
    return true;
  });
  if (!created) return { ok: false, errors: { year: 'calendar_year_exists' } };
  calendarStore(db).invalidate();
  return { ok: true, calendar, year };
}

import type { Kysely } from 'kysely';
import { type Actor, audit, diff, type RequestInfo } from '../../platform/audit/audit.ts';
import { calendarStore } from '../../platform/calendar/store.ts';
import type { CalendarDayKind, CalendarName } from '../../platform/calendar/working-days.ts';
import type { Database } from '../../platform/db/schema.ts';
import { Choice, Day, type FieldError, Fields, type FieldsOf, type FormResult, hasErrors, localizedFields, localizedValue } from '../../platform/http/forms.ts';
import { editorOf } from './edited-by.ts';
import { findCalendarDay, insertCalendarDays, markCalendarYearEdited } from './queries.ts';
import { dayProblem } from './rules.ts';
import { DAY_KINDS } from './schemas.ts';

export const DAY_FORM = Fields({
  date: Day(),
  kind: Choice(DAY_KINDS),
  ...localizedFields('name', 200),
});
export type DayFields = FieldsOf<typeof DAY_FORM>;

/**
 * Lists a day in a calendar's year: a holiday, or (Mainland only) a Saturday or Sunday worked in
 * exchange. A date already listed is refused: remove it first to change it. The name is needed in
 * all three languages, as the public page shows it.
 */
export async function addCalendarDay(options: {
  db: Kysely<Database>;
  calendar: CalendarName;
  year: number;
  form: FormResult<DayFields>;
  actor: Actor;
  request?: RequestInfo;
  now: Date;
}): Promise<{ ok: true } | { ok: false; errors: Partial<Record<DayFields, FieldError>> }> {
  const { db, calendar, year, form } = options;
  const v = form.values;
  const errors = { ...form.errors };
  for (const field of ['nameHant', 'nameHans', 'nameEn'] as const) if (!v[field]) errors[field] ??= 'required';
  const kind = v.kind as CalendarDayKind;
  if (!errors.date && !errors.kind && v.date) {
    const problem = dayProblem({ calendar, year, date: v.date, kind });
    if (problem) errors[problem === 'calendar_date_outside_year' ? 'date' : 'kind'] = problem;
    else if (await findCalendarDay(db, calendar, v.date)) errors.date = 'calendar_date_listed';
  }
  if (hasErrors(errors)) return { ok: false, errors };

  const day = { calendar, date: v.date, kind, name: localizedValue(v, 'name') };
  const added = await db.transaction().execute(async (trx) => {
    // Two people adding the same date at once: the second finds it taken and nothing else is written.
    if ((await insertCalendarDays(trx, [day])) === 0) return false;
    await markCalendarYearEdited(trx, calendar, year, editorOf(options.actor), options.now);
    await audit(trx, {
      actor: options.actor,
      action: 'calendar-day.added',
      entity: { type: 'calendar-day', id: `${calendar}/${day.date}` },
      changes: diff(null, { kind: day.kind, name: day.name }),
      request: options.request,
    });
    return true;
  });
  if (!added) return { ok: false, errors: { date: 'calendar_date_listed' } };
  calendarStore(db).invalidate();
  return { ok: true };
}

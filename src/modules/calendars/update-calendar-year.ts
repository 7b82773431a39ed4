import type { Kysely } from 'kysely';
import { type Actor, audit, diff, type RequestInfo } from '../../platform/audit/audit.ts';
import type { Database } from '../../platform/db/schema.ts';
import type { CalendarSource, CalendarYearStatus } from '../../platform/db/tables/calendars.ts';
import { Choice, Day, type FieldError, Fields, type FieldsOf, type FormResult, hasErrors, Optional, Text } from '../../platform/http/forms.ts';
import { editorOf } from './edited-by.ts';
import { type CalendarYear, type CalendarYearFields, saveCalendarYear } from './queries.ts';
import { CALENDAR_STATUSES } from './schemas.ts';

export const YEAR_FORM = Fields({
  status: Choice(CALENDAR_STATUSES),
  sourcePublisher: Optional(Text(300)),
  sourceTitle: Optional(Text(300)),
  sourceDate: Optional(Day()),
  sourceUrl: Optional(Text(500)),
  sourceNote: Optional(Text(2000)),
  basis: Optional(Text(2000)),
});
export type YearFields = FieldsOf<typeof YEAR_FORM>;

const URL_PATTERN = /^https?:\/\/[^\s/]+\.[^\s]+$/;

/** The form values of a year's fields. */
export function yearFormValues(y: CalendarYearFields): Record<YearFields, string> {
  return {
    status: y.status,
    sourcePublisher: y.source?.publisher ?? '',
    sourceTitle: y.source?.title ?? '',
    sourceDate: y.source?.date ?? '',
    sourceUrl: y.source?.url ?? '',
    sourceNote: y.source?.note ?? '',
    basis: y.basis ?? '',
  };
}

/**
 * Reads a year's fields from the form. An official year names its source (publisher, title, web
 * address); a provisional one says how its dates were worked out. A source given at all is complete.
 */
function readYearFields(form: FormResult<YearFields>): { fields: CalendarYearFields; errors: Partial<Record<YearFields, FieldError>> } {
  const v = form.values;
  const errors = { ...form.errors };
  const status = v.status as CalendarYearStatus;
  const anySource = Boolean(v.sourcePublisher || v.sourceTitle || v.sourceUrl || v.sourceDate || v.sourceNote);
  if (status === 'official' || anySource) {
    for (const field of ['sourcePublisher', 'sourceTitle', 'sourceUrl'] as const) if (!v[field]) errors[field] ??= 'required';
  }
  if (v.sourceUrl && !errors.sourceUrl && !URL_PATTERN.test(v.sourceUrl)) errors.sourceUrl = 'calendar_invalid_url';
  if (status === 'provisional' && !v.basis) errors.basis ??= 'required';
  const source: CalendarSource | null = anySource
    ? { publisher: v.sourcePublisher, title: v.sourceTitle, date: v.sourceDate || null, url: v.sourceUrl, ...(v.sourceNote ? { note: v.sourceNote } : {}) }
    : null;
  return { fields: { status, source, basis: v.basis || null }, errors };
}

/** Sets a year's status and source (or the basis of a provisional year). */
export async function updateCalendarYear(options: {
  db: Kysely<Database>;
  year: CalendarYear;
  form: FormResult<YearFields>;
  actor: Actor;
  request?: RequestInfo;
  now: Date;
}): Promise<{ ok: true } | { ok: false; errors: Partial<Record<YearFields, FieldError>> }> {
  const { db, year } = options;
  const { fields, errors } = readYearFields(options.form);
  if (hasErrors(errors)) return { ok: false, errors };
  const before: CalendarYearFields = { status: year.status, source: year.source, basis: year.basis };
  const changes = diff({ ...before }, { ...fields });
  if (Object.keys(changes).length === 0) return { ok: true };
  await db.transaction().execute(async (trx) => {
    await saveCalendarYear(trx, year, fields, { editedBy: editorOf(options.actor), at: options.now });
    await audit(trx, {
      actor: options.actor,
      action: 'calendar-year.updated',
      entity: { type: 'calendar-year', id: `${year.calendar}/${year.year}` },
      changes,
      request: options.request,
    });
  });
  return { ok: true };
}

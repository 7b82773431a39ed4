import type { Kysely } from 'kysely';
import { type Actor, audit, diff, type RequestInfo } from '../../platform/audit/audit.ts';
import type { Database } from '../../platform/db/schema.ts';
import { type FieldError, Fields, type FieldsOf, type FormResult, hasErrors, localizedFields, localizedFormValues, localizedValue, readForm, Text } from '../../platform/http/forms.ts';
import type { LocalizedText } from '../../platform/i18n/locales.ts';
import { occurrenceEntity } from './cancel-occurrence.ts';
import type { EventRecord } from './queries/events.ts';
import { type Occurrence, updateOccurrence } from './queries/occurrences.ts';
import { countRegistrations } from './queries/registrations.ts';

/** The longest report kept, per language. */
const REPORT_MAX = 4_000;
/** More than any venue holds: a typing slip beyond it. */
const ATTENDANCE_MAX = 1_000_000;

const REPORT_FORM = Fields({
  attendance: Text(12),
  ...localizedFields('report', REPORT_MAX),
});

export type ReportField = FieldsOf<typeof REPORT_FORM>;
export type ReportErrors = Partial<Record<ReportField, FieldError>>;

export function readReportForm(body: unknown): FormResult<ReportField> {
  return readForm(body, REPORT_FORM);
}

/** Why a report cannot be recorded for an occurrence now, if it cannot. */
export function reportClosedReason(occurrence: Occurrence, now: Date): 'event_not_started' | 'occurrence_cancelled' | undefined {
  if (occurrence.status === 'cancelled') return 'occurrence_cancelled';
  if (occurrence.startsAt > now) return 'event_not_started';
  return undefined;
}

/** How many were checked in: what the attendance field offers until a number is recorded. */
export async function checkedInCount(db: Kysely<Database>, occurrenceId: number): Promise<number> {
  return (await countRegistrations(db, [occurrenceId])).get(occurrenceId)?.attended ?? 0;
}

/** The form's values: the recorded report, or the number checked in and empty texts. */
export async function reportFormValues(db: Kysely<Database>, occurrence: Occurrence): Promise<Record<string, string>> {
  const attendance = occurrence.attendance ?? (await checkedInCount(db, occurrence.id));
  return { attendance: String(attendance), ...localizedFormValues('report', occurrence.report) };
}

/**
 * After an occurrence has started, its organiser records how many attended (by default those
 * checked in) and a short report in at least one language; shown on the event's and its
 * commitments' pages. Recorded again, it replaces the last one. Audited with what changed.
 */
export async function recordReport(options: {
  db: Kysely<Database>;
  event: EventRecord;
  occurrence: Occurrence;
  form: FormResult<ReportField>;
  userId: string;
  actor: Actor;
  request?: RequestInfo;
  now: Date;
}): Promise<{ ok: true } | { ok: false; closed?: 'event_not_started' | 'occurrence_cancelled'; errors: ReportErrors }> {
  const { occurrence, now } = options;
  const closed = reportClosedReason(occurrence, now);
  if (closed) return { ok: false, closed, errors: {} };
  const v = options.form.values;
  const errors: ReportErrors = { ...options.form.errors };
  const attendance = /^\d+$/.test(v.attendance) ? Number(v.attendance) : Number.NaN;
  if (v.attendance && !errors.attendance && !(Number.isSafeInteger(attendance) && attendance <= ATTENDANCE_MAX)) errors.attendance = 'event_invalid_attendance';
  const report: LocalizedText = localizedValue(v, 'report');
  if (Object.keys(report).length === 0 && !errors.reportHant && !errors.reportHans && !errors.reportEn) errors.reportHant = 'one_language_required';
  if (hasErrors(errors)) return { ok: false, errors };

  await options.db.transaction().execute(async (trx) => {
    await updateOccurrence(trx, occurrence.id, { attendance, report, reportedAt: now, reportedBy: options.userId }, now);
    await audit(trx, {
      actor: options.actor,
      action: 'event.occurrence.reported',
      entity: occurrenceEntity(options.event, occurrence),
      changes: diff({ attendance: occurrence.attendance, report: occurrence.reportedAt ? occurrence.report : null }, { attendance, report }),
      request: options.request,
    });
  });
  return { ok: true };
}

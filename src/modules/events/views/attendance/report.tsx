import type { PageContext } from '../../../../platform/html/context.ts';
import { ErrorSummary, Form, LocalizedFields, Notice, TextField } from '../../../../platform/html/forms.tsx';
import { Layout } from '../../../../platform/html/layout.tsx';
import type { FieldError } from '../../../../platform/http/forms.ts';
import type { EventRecord } from '../../queries/events.ts';
import type { Occurrence } from '../../queries/occurrences.ts';
import { workspaceOccurrencePath } from '../parts.tsx';
import { crumbs, DateLine, DateLinks, instantText } from './parts.tsx';

type Errors = Partial<Record<string, FieldError>>;
type Values = Record<string, string>;

export function ReportPage({
  ctx,
  event,
  occurrence,
  values,
  errors,
  closed,
  checkedIn,
  saved,
}: {
  ctx: PageContext;
  event: EventRecord;
  occurrence: Occurrence;
  values: Values;
  errors: Errors;
  closed: 'event_not_started' | 'occurrence_cancelled' | undefined;
  checkedIn: number;
  saved: boolean;
}) {
  const { t } = ctx;
  const title = t('events.attendance.report.title', { title: ctx.text(event.title), date: ctx.date(occurrence.slot) });
  const labels = {
    attendance: t('events.attendance.report.attendance'),
    reportHant: t('events.attendance.report.report'),
    reportHans: t('events.attendance.report.report'),
    reportEn: t('events.attendance.report.report'),
  };
  return (
    <Layout ctx={ctx} title={title} breadcrumbs={crumbs(ctx, event, occurrence, t('events.attendance.report.crumb'))}>
      <h1>{title}</h1>
      <DateLine ctx={ctx} event={event} occurrence={occurrence} />
      {saved && <Notice>{t('events.attendance.report.saved')}</Notice>}
      {closed === 'event_not_started' ? (
        <p role="status">{t('events.attendance.report.notStarted', { date: instantText(ctx, occurrence.startsAt, event.timeZone) })}</p>
      ) : closed === 'occurrence_cancelled' ? (
        <p role="status">{t('events.attendance.report.cancelled')}</p>
      ) : (
        <>
          {occurrence.reportedAt && <p class="meta">{t('events.attendance.report.last', { time: instantText(ctx, occurrence.reportedAt, event.timeZone) })}</p>}
          <ErrorSummary ctx={ctx} errors={errors} labels={labels} />
          <Form ctx={ctx} action={ctx.href(`${workspaceOccurrencePath(event.reference, occurrence.slot)}/report`)}>
            <TextField
              ctx={ctx}
              name="attendance"
              inputmode="numeric"
              label={labels.attendance}
              hint={t('events.attendance.report.attendanceHint', { n: checkedIn })}
              value={values.attendance ?? ''}
              error={errors.attendance}
            />
            <LocalizedFields ctx={ctx} prefix="report" legend={labels.reportHant} hint={t('events.attendance.report.reportHint')} values={values} errors={errors} multiline />
            <button type="submit">{t('events.attendance.report.save')}</button>
          </Form>
        </>
      )}
      <DateLinks ctx={ctx} event={event} occurrence={occurrence} here="report" />
    </Layout>
  );
}

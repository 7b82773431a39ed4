import type { RegistrationState } from '../../tables.ts';
import type { PageContext } from '../../../../platform/html/context.ts';
import { ErrorSummary, errorText, Form, LocalizedFields, Notice, SelectField, TextArea, TextField } from '../../../../platform/html/forms.tsx';
import { Layout } from '../../../../platform/html/layout.tsx';
import type { FieldError } from '../../../../platform/http/forms.ts';
import type { MessageKey } from '../../../../platform/i18n/messages.ts';
import { eventCities } from '../../cities.ts';
import type { OccurrenceField } from '../../change-occurrence.ts';
import type { EventRecord } from '../../queries/events.ts';
import { effective, type Occurrence } from '../../queries/occurrences.ts';
import { cityName, When, workspaceEventPath, workspaceOccurrencePath } from '../parts.tsx';
import { CountsText, crumbs, OccurrenceStatus } from './parts.tsx';

type Errors = Partial<Record<string, FieldError>>;
type Values = Record<string, string>;
type Counts = Record<RegistrationState, number>;

/** One date of an event: change it on its own, cancel it with a reason, or undo a cancellation. */
export function OccurrencePage({
  ctx,
  event,
  occurrence,
  values,
  errors,
  cancelValues,
  cancelError,
  restoreError,
  counts,
  notice,
}: {
  ctx: PageContext;
  event: EventRecord;
  occurrence: Occurrence;
  values: Values;
  errors: Errors;
  cancelValues: Values;
  cancelError?: FieldError | undefined;
  restoreError?: FieldError | undefined;
  counts: Counts | undefined;
  notice?: MessageKey | undefined;
}) {
  const { t } = ctx;
  const eventTitle = ctx.text(event.title);
  const title = t('events.authoring.occurrence.title', { title: eventTitle, date: ctx.date(occurrence.slot) });
  const path = workspaceOccurrencePath(event.reference, occurrence.slot);
  const e = effective(event, occurrence);
  const labels: Record<OccurrenceField, string> = {
    startDate: t('events.authoring.field.startDate'),
    startTime: t('events.authoring.field.startTime'),
    endDate: t('events.authoring.field.endDate'),
    endTime: t('events.authoring.field.endTime'),
    city: t('events.authoring.field.city'),
    venueHant: t('events.authoring.field.venue'),
    venueHans: t('events.authoring.field.venue'),
    venueEn: t('events.authoring.field.venue'),
    onlineUrl: t('events.authoring.field.onlineUrl'),
    capacity: t('events.authoring.field.capacity'),
    noteHant: t('events.authoring.field.note'),
    noteHans: t('events.authoring.field.note'),
    noteEn: t('events.authoring.field.note'),
  };
  const asEvent = (value: string) => t('events.authoring.occurrence.asEvent', { value });
  return (
    <Layout ctx={ctx} title={title} breadcrumbs={crumbs(ctx, { label: eventTitle, href: ctx.href(workspaceEventPath(event.reference)) }, { label: ctx.date(occurrence.slot) })}>
      <h1>{title}</h1>
      {notice && <Notice>{t(notice)}</Notice>}
      <dl class="facts">
        <dt>{t('events.authoring.dates.when')}</dt>
        <dd>
          <When ctx={ctx} startsAt={occurrence.startsAt} endsAt={occurrence.endsAt} timeZone={event.timeZone} />
        </dd>
        <dt>{t('events.authoring.dates.status')}</dt>
        <dd>
          <OccurrenceStatus ctx={ctx} occurrence={occurrence} />
          {occurrence.cancelReason && occurrence.status === 'cancelled' && <> {t('events.authoring.occurrence.reason', { reason: occurrence.cancelReason })}</>}
        </dd>
        <dt>{t('events.authoring.field.city')}</dt>
        <dd>{cityName(ctx, e.city)}</dd>
        {e.capacity !== null && event.registration === 'platform' && (
          <>
            <dt>{t('events.authoring.field.capacity')}</dt>
            <dd>{t('events.authoring.occurrence.held', { held: (counts?.confirmed ?? 0) + (counts?.attended ?? 0), capacity: e.capacity, waiting: counts?.waitlisted ?? 0 })}</dd>
          </>
        )}
        <dt>{t('events.authoring.dates.registrations')}</dt>
        <dd>
          <CountsText ctx={ctx} counts={counts} />
          {event.registration === 'platform' && (
            <>
              {' · '}
              <a href={ctx.href(`${path}/registrations`)}>{t('events.authoring.dates.registrationsLink', { date: ctx.date(occurrence.slot) })}</a>
              {' · '}
              <a href={ctx.href(`${path}/check-in`)}>{t('events.attendance.links.checkIn')}</a>
            </>
          )}
          {' · '}
          <a href={ctx.href(`${path}/report`)}>{t('events.attendance.links.report')}</a>
        </dd>
      </dl>

      {occurrence.status === 'cancelled' ? (
        <section aria-labelledby="restore-title">
          <h2 id="restore-title">{t('events.authoring.restore.title')}</h2>
          <p>{t('events.authoring.restore.hint')}</p>
          {restoreError && <p class="error-message">{errorText(ctx, restoreError)}</p>}
          <Form ctx={ctx} action={ctx.href(`${path}/restore`)}>
            <button type="submit">{t('events.authoring.restore.button')}</button>
          </Form>
        </section>
      ) : (
        <>
          <section aria-labelledby="change-title">
            <h2 id="change-title">{t('events.authoring.change.title')}</h2>
            <p class="hint">{t('events.authoring.change.hint')}</p>
            <ErrorSummary ctx={ctx} errors={errors} labels={labels} />
            <Form ctx={ctx} action={ctx.href(path)}>
              <p class="hint">{t('events.authoring.change.zone', { zone: event.timeZone })}</p>
              <TextField ctx={ctx} name="startDate" type="date" label={labels.startDate} value={values.startDate ?? ''} error={errors.startDate} />
              <TextField ctx={ctx} name="startTime" label={labels.startTime} hint={t('events.authoring.field.timeHint')} value={values.startTime ?? ''} error={errors.startTime} />
              <TextField ctx={ctx} name="endDate" type="date" label={labels.endDate} hint={t('events.authoring.field.endDateHint')} value={values.endDate ?? ''} error={errors.endDate} />
              <TextField ctx={ctx} name="endTime" label={labels.endTime} hint={t('events.authoring.field.timeHint')} value={values.endTime ?? ''} error={errors.endTime} />
              <SelectField
                ctx={ctx}
                name="city"
                label={labels.city}
                value={values.city ?? ''}
                blank={asEvent(cityName(ctx, event.city))}
                error={errors.city}
                options={eventCities().map((c) => ({ value: c.key, label: ctx.text(c.name) }))}
              />
              <LocalizedFields ctx={ctx} prefix="venue" legend={labels.venueHant} hint={asEvent(ctx.text(event.venue) || '—')} values={values} errors={errors} />
              <TextField ctx={ctx} name="onlineUrl" label={labels.onlineUrl} hint={asEvent(event.onlineUrl ?? '—')} value={values.onlineUrl ?? ''} error={errors.onlineUrl} />
              {event.registration === 'platform' && (
                <TextField ctx={ctx} name="capacity" inputmode="numeric" label={labels.capacity} hint={asEvent(String(event.capacity ?? '—'))} value={values.capacity ?? ''} error={errors.capacity} />
              )}
              <LocalizedFields ctx={ctx} prefix="note" legend={labels.noteHant} hint={t('events.authoring.field.noteHint')} values={values} errors={errors} />
              <button type="submit">{t('events.authoring.change.button')}</button>
            </Form>
          </section>
          <section aria-labelledby="cancel-title">
            <h2 id="cancel-title">{t('events.authoring.cancel.title')}</h2>
            <p>{t('events.authoring.cancel.hint')}</p>
            <Form ctx={ctx} action={ctx.href(`${path}/cancel`)}>
              <TextArea
                ctx={ctx}
                name="reason"
                label={t('events.authoring.cancel.reason')}
                hint={t('events.authoring.cancel.reasonHint')}
                value={cancelValues.reason ?? ''}
                error={cancelError}
                rows={3}
              />
              <button type="submit" class="danger">
                {t('events.authoring.cancel.button')}
              </button>
            </Form>
          </section>
        </>
      )}
    </Layout>
  );
}

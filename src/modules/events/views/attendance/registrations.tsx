import type { RegistrationState } from '../../tables.ts';
import type { PageContext } from '../../../../platform/html/context.ts';
import { errorText, Form, Notice, SelectField, TextArea } from '../../../../platform/html/forms.tsx';
import { Layout } from '../../../../platform/html/layout.tsx';
import type { FieldError } from '../../../../platform/http/forms.ts';
import type { EventRecord } from '../../queries/events.ts';
import type { Occurrence } from '../../queries/occurrences.ts';
import type { Registration } from '../../queries/registrations.ts';
import { RegistrationBadge, workspaceOccurrencePath } from '../parts.tsx';
import { answerText, crumbs, DateLine, DateLinks, instantText, STATE_ORDER } from './parts.tsx';

type Counts = Record<RegistrationState, number>;

export interface DecideError {
  reference: string;
  error: FieldError;
  reason: string;
}

/** The registrations of one date: counts, the list with answers, approval of pending ones, and the exports. */
export function RegistrationsPage({
  ctx,
  event,
  occurrence,
  counts,
  capacity,
  registrations,
  state,
  decideError,
  notice,
}: {
  ctx: PageContext;
  event: EventRecord;
  occurrence: Occurrence;
  counts: Counts;
  capacity: number | null;
  registrations: Registration[];
  /** The state the list is filtered by ('' for all). */
  state: RegistrationState | '';
  decideError?: DecideError | undefined;
  notice?: string | undefined;
}) {
  const { t } = ctx;
  const title = t('events.attendance.registrations.title', { title: ctx.text(event.title), date: ctx.date(occurrence.slot) });
  const base = `${workspaceOccurrencePath(event.reference, occurrence.slot)}/registrations`;
  const query = state ? `?state=${state}` : '';
  const held = counts.confirmed + counts.attended;
  return (
    <Layout ctx={ctx} title={title} breadcrumbs={crumbs(ctx, event, occurrence, t('events.attendance.registrations.crumb'))}>
      <h1>{title}</h1>
      <DateLine ctx={ctx} event={event} occurrence={occurrence} />
      {notice && <Notice>{notice}</Notice>}
      <DateLinks ctx={ctx} event={event} occurrence={occurrence} here="registrations" />
      {capacity !== null && <p>{t('events.attendance.places', { held, capacity, waiting: counts.waitlisted })}</p>}
      <ul class="totals" aria-label={t('events.attendance.counts')}>
        {STATE_ORDER.map((s) => (
          <li>
            <strong>{counts[s]}</strong> {t(`events.registration.state.${s}`)}
          </li>
        ))}
      </ul>
      <form method="get" action={ctx.href(base)} class="filters" role="search" aria-label={t('events.attendance.filter.label')}>
        <SelectField
          ctx={ctx}
          id="filter-state"
          name="state"
          label={t('events.attendance.filter.state')}
          value={state}
          options={[{ value: '', label: t('events.attendance.filter.any') }, ...STATE_ORDER.map((s) => ({ value: s, label: t(`events.registration.state.${s}`) }))]}
        />
        <button type="submit">{t('events.attendance.filter.apply')}</button>
      </form>
      <ul class="actions">
        <li>
          <a href={ctx.href(`${base}.xlsx${query}`)} download>
            {t('events.attendance.download.xlsx')}
          </a>
        </li>
        <li>
          <a href={ctx.href(`${base}.csv${query}`)} download>
            {t('events.attendance.download.csv')}
          </a>
        </li>
      </ul>
      {decideError && (
        <div class="error-summary" role="alert" tabIndex={-1}>
          <h2>{t('form.errorSummary')}</h2>
          <ul>
            <li>
              <a href={`#reason-${decideError.reference}`}>
                {decideError.reference}: {errorText(ctx, decideError.error)}
              </a>
            </li>
          </ul>
        </div>
      )}
      {registrations.length === 0 ? (
        <p>{t('events.attendance.list.none')}</p>
      ) : (
        <div class="table-scroll">
          <table class="queue">
            <caption>{t('events.attendance.list.caption', { n: registrations.length })}</caption>
            <thead>
              <tr>
                <th scope="col">{t('events.attendance.col.reference')}</th>
                <th scope="col">{t('events.attendance.col.name')}</th>
                <th scope="col">{t('events.attendance.col.email')}</th>
                <th scope="col">{t('events.attendance.col.state')}</th>
                {event.questions.map((q) => (
                  <th scope="col">{ctx.text(q.label)}</th>
                ))}
                <th scope="col">{t('events.attendance.col.registeredAt')}</th>
                <th scope="col">{t('events.attendance.col.checkedInAt')}</th>
                <th scope="col">{t('events.attendance.col.decision')}</th>
              </tr>
            </thead>
            <tbody>
              {registrations.map((r) => (
                <tr>
                  <th scope="row">{r.reference}</th>
                  <td>{r.name}</td>
                  <td>
                    <a href={`mailto:${r.email}`}>{r.email}</a>
                  </td>
                  <td>
                    <RegistrationBadge ctx={ctx} state={r.state} />
                    {r.state === 'rejected' && r.rejectReason && <p class="meta">{t('events.registration.reason', { reason: r.rejectReason })}</p>}
                  </td>
                  {event.questions.map((q) => (
                    <td class="pre-line">{answerText(ctx, q, r.answers[q.key])}</td>
                  ))}
                  <td>{instantText(ctx, r.createdAt, event.timeZone)}</td>
                  <td>{r.checkedInAt ? instantText(ctx, r.checkedInAt, event.timeZone) : ''}</td>
                  <td>
                    {r.state === 'pending' && (
                      <DecideForms ctx={ctx} action={ctx.href(`${base}/${r.reference}/decide`)} registration={r} error={decideError?.reference === r.reference ? decideError : undefined} />
                    )}
                  </td>
                </tr>
              ))}
            </tbody>
          </table>
        </div>
      )}
    </Layout>
  );
}

/** Approve, or reject with a reason the person is sent. */
function DecideForms({ ctx, action, registration, error }: { ctx: PageContext; action: string; registration: Registration; error: DecideError | undefined }) {
  const { t } = ctx;
  return (
    <>
      <Form ctx={ctx} action={action}>
        <input type="hidden" name="decision" value="approve" />
        <button type="submit" aria-label={t('events.attendance.approveNamed', { name: registration.name })}>
          {t('events.attendance.approve')}
        </button>
      </Form>
      <Form ctx={ctx} action={action}>
        <input type="hidden" name="decision" value="reject" />
        <TextArea ctx={ctx} id={`reason-${registration.reference}`} name="reason" label={t('events.attendance.rejectReason')} value={error?.reason ?? ''} error={error?.error} rows={2} />
        <button type="submit" class="secondary" aria-label={t('events.attendance.rejectNamed', { name: registration.name })}>
          {t('events.attendance.reject')}
        </button>
      </Form>
    </>
  );
}

import type { EventQuestion, RegistrationState } from '../tables.ts';
import type { PageContext } from '../../../platform/html/context.ts';
import { ErrorSummary, errorText, Form, LocalizedFields, Notice, SelectField, TextArea, TextField } from '../../../platform/html/forms.tsx';
import { Layout } from '../../../platform/html/layout.tsx';
import type { FieldError } from '../../../platform/http/forms.ts';
import { LOCALE_INFO } from '../../../platform/i18n/locales.ts';
import { SuggestionForm } from '../../suggestions/index.ts';
import type { CheckInFailure } from '../check-in-registration.ts';
import type { EventRecord, Occurrence, Registration } from '../queries.ts';
import type { FeedbackWindow } from '../send-feedback.ts';
import { occurrencePath, RegistrationBadge, When, workspaceEventPath, workspaceOccurrencePath } from './parts.tsx';

type Errors = Partial<Record<string, FieldError>>;
type Values = Record<string, string>;
type Counts = Record<RegistrationState, number>;

/** The states in the order an organiser reads them: who comes first, then who waits, then who does not. */
export const STATE_ORDER: readonly RegistrationState[] = ['confirmed', 'attended', 'pending', 'waitlisted', 'cancelled', 'rejected'];

const formats = new Map<string, Intl.DateTimeFormat>();
function format(ctx: Pick<PageContext, 'locale'>, timeZone: string, options: Intl.DateTimeFormatOptions): Intl.DateTimeFormat {
  const key = `${ctx.locale}|${timeZone}|${JSON.stringify(options)}`;
  let f = formats.get(key);
  if (!f) {
    f = new Intl.DateTimeFormat(LOCALE_INFO[ctx.locale].intl, { ...options, timeZone });
    formats.set(key, f);
  }
  return f;
}

/** "15 Jan 2027, 14:32": an instant in the event's zone, as the language writes it. */
export function instantText(ctx: Pick<PageContext, 'locale'>, at: Date, timeZone: string): string {
  return format(ctx, timeZone, { dateStyle: 'medium', timeStyle: 'short', hourCycle: 'h23' }).format(at);
}

/** "15 January 2027": the day of an instant in the event's zone. */
export function dayText(ctx: Pick<PageContext, 'locale'>, at: Date, timeZone: string): string {
  return format(ctx, timeZone, { dateStyle: 'long' }).format(at);
}

/** An answer to a custom question as the organiser reads it: the text, Yes/No, or the option chosen, in the page's language. */
export function answerText(ctx: Pick<PageContext, 't' | 'text'>, q: EventQuestion, value: string | undefined): string {
  if (value === undefined || value === '') return '';
  if (q.kind === 'yes-no') return value === 'yes' ? ctx.t('events.register.yes') : value === 'no' ? ctx.t('events.register.no') : value;
  if (q.kind === 'choice') {
    const option = q.options?.[Number(value)];
    return option ? ctx.text(option) : value;
  }
  return value;
}

const crumbs = (ctx: PageContext, event: EventRecord, occurrence: Occurrence, here: string) => [
  { label: ctx.t('impl.workspace.title'), href: ctx.href('/workspace') },
  { label: ctx.t('events.workspace.title'), href: ctx.href('/workspace/events') },
  { label: ctx.text(event.title), href: ctx.href(workspaceEventPath(event.reference)) },
  { label: ctx.date(occurrence.slot), href: ctx.href(workspaceOccurrencePath(event.reference, occurrence.slot)) },
  { label: here },
];

/** The ways between the organiser's pages of one date. */
function DateLinks({ ctx, event, occurrence, here }: { ctx: PageContext; event: EventRecord; occurrence: Occurrence; here: 'registrations' | 'check-in' | 'report' }) {
  const base = workspaceOccurrencePath(event.reference, occurrence.slot);
  const links = [
    ...(event.registration === 'platform'
      ? [
          { key: 'registrations', label: ctx.t('events.attendance.links.registrations'), href: `${base}/registrations` },
          { key: 'check-in', label: ctx.t('events.attendance.links.checkIn'), href: `${base}/check-in` },
        ]
      : []),
    { key: 'report', label: ctx.t('events.attendance.links.report'), href: `${base}/report` },
    { key: 'date', label: ctx.t('events.attendance.links.date'), href: base },
  ].filter((l) => l.key !== here);
  return (
    <ul class="actions">
      {links.map((l) => (
        <li>
          <a href={ctx.href(l.href)}>{l.label}</a>
        </li>
      ))}
    </ul>
  );
}

function DateLine({ ctx, event, occurrence }: { ctx: PageContext; event: EventRecord; occurrence: Occurrence }) {
  return (
    <p class="lead">
      <When ctx={ctx} startsAt={occurrence.startsAt} endsAt={occurrence.endsAt} timeZone={event.timeZone} />
      {occurrence.status === 'cancelled' && (
        <>
          {' '}
          <span class="badge status-discontinued">{ctx.t('events.attendance.cancelledDate')}</span>
        </>
      )}
    </p>
  );
}

// ---------------------------------------------------------------------------------------------------
// Registrations

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
                  <td>{r.state === 'pending' && <DecideForms ctx={ctx} action={ctx.href(`${base}/${r.reference}/decide`)} registration={r} error={decideError?.reference === r.reference ? decideError : undefined} />}</td>
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

// ---------------------------------------------------------------------------------------------------
// Check-in

/** What the last check-in attempt came to. */
export type CheckInOutcome =
  | { ok: true; registration: Registration }
  | { ok: false; failure: CheckInFailure; code: string }
  | { ok: 'undone'; name: string }
  | { ok: 'undo-failed'; error: FieldError };

/** The message for a failed check-in, naming what the organiser needs to know. */
export function failureText(ctx: PageContext, failure: CheckInFailure, code: string, timeZone: string): string {
  const { t } = ctx;
  switch (failure.error) {
    case 'check_in_code_invalid':
      return code ? t('events.attendance.checkIn.error.invalid', { code }) : t('events.attendance.checkIn.error.empty');
    case 'check_in_code_unknown':
      return t('events.attendance.checkIn.error.unknown', { code });
    case 'check_in_other_date':
      return t('events.attendance.checkIn.error.otherDate', { code, date: ctx.date(failure.slot) });
    case 'check_in_other_event':
      return t('events.attendance.checkIn.error.otherEvent', { code });
    case 'check_in_not_confirmed':
      return t('events.attendance.checkIn.error.notConfirmed', { code, name: failure.registration.name, state: t(`events.registration.state.${failure.registration.state}`) });
    case 'check_in_already':
      return t('events.attendance.checkIn.error.already', {
        code,
        name: failure.registration.name,
        time: failure.registration.checkedInAt ? instantText(ctx, failure.registration.checkedInAt, timeZone) : '',
      });
  }
}

/** The code box: one large field a phone fills in with capitals, no corrections and no suggestions. */
function CodeField({ ctx, value, error, autofocus }: { ctx: PageContext; value: string; error: string | undefined; autofocus: boolean }) {
  const { t } = ctx;
  const described = ['field-code-hint', error ? 'field-code-error' : ''].filter(Boolean).join(' ');
  return (
    <div class={error ? 'field field-error check-in-field' : 'field check-in-field'}>
      <label for="field-code">{t('events.attendance.checkIn.code')}</label>
      <p class="hint" id="field-code-hint">
        {t('events.attendance.checkIn.codeHint')}
      </p>
      {error && (
        <p class="error-message" id="field-code-error">
          {error}
        </p>
      )}
      <input
        id="field-code"
        name="code"
        type="text"
        value={value}
        inputMode="text"
        autocapitalize="characters"
        autocomplete="off"
        autocorrect="off"
        spellcheck={false}
        enterkeyhint="go"
        maxLength={20}
        autofocus={autofocus}
        aria-describedby={described}
        aria-invalid={error ? 'true' : undefined}
      />
    </div>
  );
}

/** The door: type a code (or arrive from a scanned QR code), see who it is, and the running count. */
export function CheckInPage({
  ctx,
  event,
  occurrence,
  outcome,
  value,
  tally,
  recent,
}: {
  ctx: PageContext;
  event: EventRecord;
  occurrence: Occurrence;
  outcome?: CheckInOutcome | undefined;
  /** The code as typed, shown again after a failure. */
  value: string;
  tally: { checkedIn: number; expected: number };
  recent: { reference: string; name: string; checkedInAt: Date }[];
}) {
  const { t } = ctx;
  const title = t('events.attendance.checkIn.title', { title: ctx.text(event.title) });
  const base = `${workspaceOccurrencePath(event.reference, occurrence.slot)}/check-in`;
  const error = outcome && outcome.ok === false ? failureText(ctx, outcome.failure, outcome.code, event.timeZone) : undefined;
  return (
    <Layout ctx={ctx} title={title} breadcrumbs={crumbs(ctx, event, occurrence, t('events.attendance.checkIn.crumb'))}>
      <h1>{title}</h1>
      <DateLine ctx={ctx} event={event} occurrence={occurrence} />
      {outcome?.ok === true && (
        <div class="reference-panel check-in-success" role="status">
          <p class="reference">✓ {t('events.attendance.checkIn.success')}</p>
          <p>
            <strong class="check-in-name">{outcome.registration.name}</strong>
          </p>
          <p>{t('events.attendance.checkIn.successDetail', { reference: outcome.registration.reference, time: outcome.registration.checkedInAt ? instantText(ctx, outcome.registration.checkedInAt, event.timeZone) : '' })}</p>
          <Form ctx={ctx} action={ctx.href(`${base}/undo`)}>
            <input type="hidden" name="registration" value={outcome.registration.reference} />
            <button type="submit" class="secondary">
              {t('events.attendance.checkIn.undo')}
            </button>
          </Form>
        </div>
      )}
      {outcome?.ok === 'undone' && <Notice>{t('events.attendance.checkIn.undone', { name: outcome.name })}</Notice>}
      {outcome?.ok === 'undo-failed' && (
        <p class="error-message" role="alert">
          {errorText(ctx, outcome.error)}
        </p>
      )}
      {error && (
        <div class="error-summary" role="alert" tabIndex={-1}>
          <h2>{t('events.attendance.checkIn.failed')}</h2>
          <p>
            <a href="#field-code">{error}</a>
          </p>
        </div>
      )}
      <p class="check-in-tally" role="status">
        <strong>{t('events.attendance.checkIn.tally', { n: tally.checkedIn, total: tally.expected })}</strong>
      </p>
      <Form ctx={ctx} action={ctx.href(base)} class="check-in-form">
        <CodeField ctx={ctx} value={value} error={error} autofocus />
        <button type="submit" class="check-in-button">
          {t('events.attendance.checkIn.button')}
        </button>
      </Form>
      <p class="hint">{t('events.attendance.checkIn.scanHint')}</p>
      {recent.length > 0 && (
        <section aria-labelledby="recent-check-ins">
          <h2 id="recent-check-ins">{t('events.attendance.checkIn.recent')}</h2>
          <ul class="plain">
            {recent.map((r) => (
              <li>
                {r.name} · {instantText(ctx, r.checkedInAt, event.timeZone)}{' '}
                <Form ctx={ctx} action={ctx.href(`${base}/undo`)} class="inline">
                  <input type="hidden" name="registration" value={r.reference} />
                  <button type="submit" class="secondary" aria-label={t('events.attendance.checkIn.undoNamed', { name: r.name })}>
                    {t('events.attendance.checkIn.undoShort')}
                  </button>
                </Form>
              </li>
            ))}
          </ul>
        </section>
      )}
      <DateLinks ctx={ctx} event={event} occurrence={occurrence} here="check-in" />
    </Layout>
  );
}

/** Where a scanned QR code lands: who the code is for, and a button to check them in; or a box to type a code. */
export function CodeLookupPage({
  ctx,
  value,
  error,
  found,
}: {
  ctx: PageContext;
  value: string;
  error?: string | undefined;
  found?: { event: EventRecord; occurrence: Occurrence; registration: Registration } | undefined;
}) {
  const { t } = ctx;
  const title = found ? t('events.attendance.lookup.confirm', { name: found.registration.name }) : t('events.attendance.lookup.title');
  const breadcrumbs = [
    { label: t('impl.workspace.title'), href: ctx.href('/workspace') },
    { label: t('events.workspace.title'), href: ctx.href('/workspace/events') },
    { label: t('events.attendance.lookup.title') },
  ];
  if (found) {
    const { event, occurrence, registration } = found;
    const door = workspaceOccurrencePath(event.reference, occurrence.slot);
    const problem: CheckInFailure | undefined =
      registration.state === 'attended' ? { error: 'check_in_already', registration } : registration.state !== 'confirmed' ? { error: 'check_in_not_confirmed', registration } : undefined;
    return (
      <Layout ctx={ctx} title={title} breadcrumbs={breadcrumbs}>
        <h1>{title}</h1>
        <dl class="facts">
          <dt>{t('events.attendance.lookup.person')}</dt>
          <dd>
            <strong>{registration.name}</strong> ({registration.reference})
          </dd>
          <dt>{t('events.attendance.lookup.event')}</dt>
          <dd>{ctx.text(event.title)}</dd>
          <dt>{t('events.attendance.lookup.when')}</dt>
          <dd>
            <When ctx={ctx} startsAt={occurrence.startsAt} endsAt={occurrence.endsAt} timeZone={event.timeZone} />
          </dd>
          <dt>{t('events.attendance.lookup.state')}</dt>
          <dd>
            <RegistrationBadge ctx={ctx} state={registration.state} />
          </dd>
        </dl>
        {problem ? (
          <p class="error-message" role="alert">
            {failureText(ctx, problem, registration.checkInCode, event.timeZone)}
          </p>
        ) : (
          <Form ctx={ctx} action={ctx.href(`${door}/check-in`)} class="check-in-form">
            <input type="hidden" name="code" value={registration.checkInCode} />
            <button type="submit" class="check-in-button">
              {t('events.attendance.checkIn.button')}
            </button>
          </Form>
        )}
        <p>
          <a href={ctx.href(`${door}/check-in`)}>{t('events.attendance.lookup.door')}</a>
        </p>
      </Layout>
    );
  }
  return (
    <Layout ctx={ctx} title={title} breadcrumbs={breadcrumbs}>
      <h1>{title}</h1>
      <p>{t('events.attendance.lookup.intro')}</p>
      {error && (
        <div class="error-summary" role="alert" tabIndex={-1}>
          <h2>{t('events.attendance.checkIn.failed')}</h2>
          <p>
            <a href="#field-code">{error}</a>
          </p>
        </div>
      )}
      <form method="get" action={ctx.href('/workspace/events/check-in')} class="check-in-form">
        <CodeField ctx={ctx} value={value} error={error} autofocus={false} />
        <button type="submit" class="check-in-button">
          {t('events.attendance.lookup.find')}
        </button>
      </form>
    </Layout>
  );
}

// ---------------------------------------------------------------------------------------------------
// Attendance and report

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
            <TextField ctx={ctx} name="attendance" inputmode="numeric" label={labels.attendance} hint={t('events.attendance.report.attendanceHint', { n: checkedIn })} value={values.attendance ?? ''} error={errors.attendance} />
            <LocalizedFields ctx={ctx} prefix="report" legend={labels.reportHant} hint={t('events.attendance.report.reportHint')} values={values} errors={errors} multiline />
            <button type="submit">{t('events.attendance.report.save')}</button>
          </Form>
        </>
      )}
      <DateLinks ctx={ctx} event={event} occurrence={occurrence} here="report" />
    </Layout>
  );
}

// ---------------------------------------------------------------------------------------------------
// Symposium feedback (public)

const publicCrumbs = (ctx: PageContext, event: EventRecord, occurrence: Occurrence) => [
  { label: ctx.t('events.title'), href: ctx.href('/events') },
  { label: ctx.text(event.title), href: ctx.href(occurrencePath(event.reference, occurrence.slot)) },
  { label: ctx.t('events.attendance.feedback.crumb') },
];

function feedbackTitle(ctx: PageContext, event: EventRecord) {
  return ctx.t('events.attendance.feedback.title', { title: ctx.text(event.title) });
}

/** The feedback form after a symposium: the suggestion's text and the sender's details, as on the suggestion form. */
export function FeedbackPage({
  ctx,
  event,
  occurrence,
  closesAt,
  values,
  errors,
  purgeAfterMonths,
}: {
  ctx: PageContext;
  event: EventRecord;
  occurrence: Occurrence;
  closesAt: Date;
  values: Values;
  errors: Errors;
  purgeAfterMonths: number;
}) {
  const { t } = ctx;
  const title = feedbackTitle(ctx, event);
  return (
    <Layout ctx={ctx} title={title} breadcrumbs={publicCrumbs(ctx, event, occurrence)}>
      <h1>{title}</h1>
      <p class="lead">
        <When ctx={ctx} startsAt={occurrence.startsAt} endsAt={occurrence.endsAt} timeZone={event.timeZone} />
      </p>
      <p>{t('events.attendance.feedback.intro')}</p>
      <p>{t('events.attendance.feedback.closesOn', { date: dayText(ctx, closesAt, event.timeZone) })}</p>
      <SuggestionForm
        ctx={ctx}
        action={ctx.href(`${occurrencePath(event.reference, occurrence.slot)}/feedback`)}
        values={values}
        errors={errors}
        purgeAfterMonths={purgeAfterMonths}
        hints={{ title: t('events.attendance.feedback.titleHint'), body: t('events.attendance.feedback.bodyHint') }}
        submit={t('events.attendance.feedback.submit')}
      />
    </Layout>
  );
}

/** The form is not open: not yet (before the end), any more (60 days on), or never (a cancelled date). */
export function FeedbackClosedPage({ ctx, event, occurrence, window }: { ctx: PageContext; event: EventRecord; occurrence: Occurrence; window: Exclude<FeedbackWindow, { open: true }> }) {
  const { t } = ctx;
  const title = feedbackTitle(ctx, event);
  const message =
    window.reason === 'feedback_not_yet'
      ? t('events.attendance.feedback.notYet', { date: instantText(ctx, window.opensAt, event.timeZone) })
      : window.reason === 'feedback_closed'
        ? t('events.attendance.feedback.closed', { date: dayText(ctx, window.closedAt, event.timeZone) })
        : t('events.attendance.feedback.cancelled');
  return (
    <Layout ctx={ctx} title={title} breadcrumbs={publicCrumbs(ctx, event, occurrence)}>
      <h1>{title}</h1>
      <p class="lead">
        <When ctx={ctx} startsAt={occurrence.startsAt} endsAt={occurrence.endsAt} timeZone={event.timeZone} />
      </p>
      <Notice>{message}</Notice>
      <ul class="plain">
        <li>
          <a href={ctx.href(occurrencePath(event.reference, occurrence.slot))}>{t('events.attendance.feedback.backToEvent')}</a>
        </li>
        <li>
          <a href={ctx.href('/suggestions/new')}>{t('events.attendance.feedback.suggestionInstead')}</a>
        </li>
      </ul>
    </Layout>
  );
}

/** Shown once the feedback is in: its ZJHK-S reference, and what happens next. */
export function FeedbackThanksPage({ ctx, event, occurrence, reference }: { ctx: PageContext; event: EventRecord; occurrence: Occurrence; reference: string }) {
  const { t } = ctx;
  const title = t('events.attendance.feedback.thanks');
  return (
    <Layout ctx={ctx} title={title} breadcrumbs={publicCrumbs(ctx, event, occurrence)}>
      <h1>{title}</h1>
      <div class="reference-panel" role="status">
        <p>{t('events.attendance.feedback.reference')}</p>
        <p class="reference">{reference}</p>
      </div>
      <p>{t('suggestions.received.email')}</p>
      <p>{t('events.attendance.feedback.next')}</p>
      <ul class="plain">
        <li>
          <a href={ctx.href(occurrencePath(event.reference, occurrence.slot))}>{t('events.attendance.feedback.backToEvent')}</a>
        </li>
        <li>
          <a href={ctx.href('/suggestions')}>{t('suggestions.received.browse')}</a>
        </li>
      </ul>
    </Layout>
  );
}

import type { PageContext } from '../../../../platform/html/context.ts';
import { errorText, Form, Notice } from '../../../../platform/html/forms.tsx';
import { Layout } from '../../../../platform/html/layout.tsx';
import type { FieldError } from '../../../../platform/http/forms.ts';
import type { CheckInFailure } from '../../check-in-registration.ts';
import type { EventRecord } from '../../queries/events.ts';
import type { Occurrence } from '../../queries/occurrences.ts';
import type { Registration } from '../../queries/registrations.ts';
import { RegistrationBadge, When, workspaceOccurrencePath } from '../parts.tsx';
import { crumbs, DateLine, DateLinks, instantText } from './parts.tsx';

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
          <p>
            {t('events.attendance.checkIn.successDetail', {
              reference: outcome.registration.reference,
              time: outcome.registration.checkedInAt ? instantText(ctx, outcome.registration.checkedInAt, event.timeZone) : '',
            })}
          </p>
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

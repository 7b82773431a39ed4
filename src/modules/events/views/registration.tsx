import type { EventQuestion, RegistrationState } from '../tables.ts';
import type { PageContext } from '../../../platform/html/context.ts';
import { ErrorSummary, Form, LocaleField, Notice, SelectField, TextArea } from '../../../platform/html/forms.tsx';
import { Layout } from '../../../platform/html/layout.tsx';
import type { FieldError } from '../../../platform/http/forms.ts';
import type { EventRecord } from '../queries/events.ts';
import { effective, type Occurrence } from '../queries/occurrences.ts';
import type { Registration } from '../queries/registrations.ts';
import { cityName, eventPath, occurrencePath, RegistrationBadge, When } from './parts.tsx';

type Errors = Partial<Record<string, FieldError>>;

const crumbs = (ctx: PageContext, event: EventRecord, occurrence: Occurrence, here: string) => [
  { label: ctx.t('events.title'), href: ctx.href('/events') },
  { label: ctx.text(event.title), href: ctx.href(occurrencePath(event.reference, occurrence.slot)) },
  { label: here },
];

/** The box on an occurrence's page: places left, the visitor's registration, or how to register. */
export function RegistrationBox({
  ctx,
  event,
  occurrence,
  counts,
  mine,
  closed,
}: {
  ctx: PageContext;
  event: EventRecord;
  occurrence: Occurrence;
  counts: Record<RegistrationState, number>;
  mine: Registration | undefined;
  /** Why registration is not open now, if it is not. */
  closed: string | undefined;
}) {
  const { t } = ctx;
  if (event.registration === 'off') return null;
  if (event.registration === 'external')
    return (
      <section class="registration" aria-labelledby="registration-title">
        <h2 id="registration-title">{t('events.register.title')}</h2>
        <p>{t('events.register.external')}</p>
        {event.externalUrl && (
          <p>
            <a href={event.externalUrl} rel="noopener">
              {t('events.register.externalLink')}
            </a>
          </p>
        )}
      </section>
    );
  const capacity = effective(event, occurrence).capacity ?? 0;
  const held = counts.confirmed + counts.attended;
  const left = Math.max(0, capacity - held);
  const registerHref = ctx.href(`${occurrencePath(event.reference, occurrence.slot)}/register`);
  return (
    <section class="registration" aria-labelledby="registration-title">
      <h2 id="registration-title">{t('events.register.title')}</h2>
      <p>
        {left > 0 ? t('events.register.placesLeft', { left, capacity }) : t('events.register.full', { capacity, waiting: counts.waitlisted })}
        {event.requiresApproval && ` ${t('events.register.approvalNeeded')}`}
      </p>
      {mine && !['cancelled'].includes(mine.state) ? (
        <p>
          {t('events.register.yours')} <RegistrationBadge ctx={ctx} state={mine.state} /> <a href={ctx.href(`/events/registrations/${mine.reference}`)}>{mine.reference}</a>
        </p>
      ) : closed ? (
        <p>{t(`events.register.closed.${closed as 'registration_closed'}`)}</p>
      ) : ctx.principal ? (
        <p>
          <a class="button" href={registerHref}>
            {left > 0 || event.requiresApproval ? t('events.register.button') : t('events.register.waitlistButton')}
          </a>
        </p>
      ) : (
        <p>
          <a class="button" href={ctx.href(`/login?next=${encodeURIComponent(registerHref)}`)}>
            {t('events.register.signIn')}
          </a>{' '}
          {t('events.register.signInHint')}
        </p>
      )}
    </section>
  );
}

function QuestionField({ ctx, q, value, error }: { ctx: PageContext; q: EventQuestion; value: string; error: FieldError | undefined }) {
  const name = `answer-${q.key}`;
  const label = `${ctx.text(q.label)}${q.required ? '' : ` ${ctx.t('events.register.optional')}`}`;
  if (q.kind === 'text') return <TextArea ctx={ctx} name={name} label={label} value={value} error={error} rows={3} />;
  const options =
    q.kind === 'yes-no'
      ? [
          { value: 'yes', label: ctx.t('events.register.yes') },
          { value: 'no', label: ctx.t('events.register.no') },
        ]
      : (q.options ?? []).map((o, i) => ({ value: String(i), label: ctx.text(o) }));
  return <SelectField ctx={ctx} name={name} label={label} value={value} error={error} blank="—" options={options} />;
}

export function RegisterPage({
  ctx,
  event,
  occurrence,
  values,
  errors,
  full,
}: {
  ctx: PageContext;
  event: EventRecord;
  occurrence: Occurrence;
  values: Record<string, string>;
  errors: Errors;
  full: boolean;
}) {
  const { t } = ctx;
  const title = t('events.register.pageTitle', { title: ctx.text(event.title) });
  const labels: Record<string, string> = { locale: t('events.register.language'), ...Object.fromEntries(event.questions.map((q) => [`answer-${q.key}`, ctx.text(q.label)])) };
  const where = effective(event, occurrence);
  return (
    <Layout ctx={ctx} title={title} breadcrumbs={crumbs(ctx, event, occurrence, t('events.register.title'))}>
      <h1>{title}</h1>
      <p class="lead">
        <When ctx={ctx} startsAt={occurrence.startsAt} endsAt={occurrence.endsAt} timeZone={event.timeZone} /> · {cityName(ctx, where.city)}
      </p>
      {full && !event.requiresApproval && <Notice>{t('events.register.fullNotice')}</Notice>}
      {event.requiresApproval && <Notice>{t('events.register.approvalNotice')}</Notice>}
      <ErrorSummary ctx={ctx} errors={errors} labels={labels} />
      <Form ctx={ctx} action={ctx.href(`${occurrencePath(event.reference, occurrence.slot)}/register`)}>
        <p>{t('events.register.as', { name: ctx.principal?.user.displayName ?? '', email: ctx.principal?.user.email ?? '' })}</p>
        {event.questions.map((q) => (
          <QuestionField ctx={ctx} q={q} value={values[`answer-${q.key}`] ?? ''} error={errors[`answer-${q.key}`]} />
        ))}
        <LocaleField ctx={ctx} label={labels.locale as string} value={values.locale} error={errors.locale} />
        <p class="hint">{t('events.register.privacy')}</p>
        <button type="submit">{full && !event.requiresApproval ? t('events.register.waitlistButton') : t('events.register.button')}</button>
      </Form>
    </Layout>
  );
}

/** A person's own registration: its state, the check-in code and QR once confirmed, and the way to cancel. */
export function RegistrationPage({
  ctx,
  event,
  occurrence,
  registration,
  position,
  qr,
  cancelError,
  done,
}: {
  ctx: PageContext;
  event: EventRecord;
  occurrence: Occurrence;
  registration: Registration;
  /** Place on the waitlist (1 = next). */
  position: number;
  /** The check-in QR code as SVG markup made by the qrcode library (confirmed registrations only). */
  qr: string | null;
  cancelError: FieldError | undefined;
  done: 'registered' | 'cancelled' | undefined;
}) {
  const { t } = ctx;
  const title = t('events.registration.title', { reference: registration.reference });
  const where = effective(event, occurrence);
  const holds = registration.state === 'confirmed' || registration.state === 'attended';
  const cancellable = ['pending', 'confirmed', 'waitlisted'].includes(registration.state) && occurrence.status === 'scheduled';
  const icsHref = ctx.href(`${occurrencePath(event.reference, occurrence.slot)}/event.ics`);
  return (
    <Layout ctx={ctx} title={title} breadcrumbs={crumbs(ctx, event, occurrence, registration.reference)}>
      <h1>{title}</h1>
      {done && <Notice>{t(`events.registration.done.${done}`)}</Notice>}
      <dl class="facts">
        <dt>{t('events.registration.event')}</dt>
        <dd>
          <a href={ctx.href(occurrencePath(event.reference, occurrence.slot))}>{ctx.text(event.title)}</a>
        </dd>
        <dt>{t('events.registration.when')}</dt>
        <dd>
          <When ctx={ctx} startsAt={occurrence.startsAt} endsAt={occurrence.endsAt} timeZone={event.timeZone} />
          {occurrence.status === 'cancelled' && <strong> {t('events.registration.occurrenceCancelled', { reason: occurrence.cancelReason ?? '' })}</strong>}
        </dd>
        <dt>{t('events.registration.where')}</dt>
        <dd>{[ctx.text(where.venue), cityName(ctx, where.city)].filter(Boolean).join(', ')}</dd>
        <dt>{t('events.registration.status')}</dt>
        <dd>
          <RegistrationBadge ctx={ctx} state={registration.state} />
          {registration.state === 'waitlisted' && ` ${t('events.registration.position', { position })}`}
          {registration.state === 'rejected' && registration.rejectReason && ` ${t('events.registration.reason', { reason: registration.rejectReason })}`}
        </dd>
        {holds && where.onlineUrl && (
          <>
            <dt>{t('events.registration.online')}</dt>
            <dd>
              <a href={where.onlineUrl} rel="noopener">
                {where.onlineUrl}
              </a>
            </dd>
          </>
        )}
      </dl>
      {holds && (
        <section aria-labelledby="check-in">
          <h2 id="check-in">{t('events.registration.checkInTitle')}</h2>
          <p>{t('events.registration.checkInHint')}</p>
          <p class="check-in-code">
            <span class="visually-hidden">{t('events.registration.codeLabel')} </span>
            <strong>{registration.checkInCode}</strong>
          </p>
          {/* The SVG is made by the qrcode library from our own URL; it has no script and no style. */}
          {qr && <div class="qr" dangerouslySetInnerHTML={{ __html: qr }} />}
          <p>
            <a href={icsHref}>{t('events.registration.addToCalendar')}</a>
          </p>
        </section>
      )}
      {cancellable && (
        <section aria-labelledby="cancel">
          <h2 id="cancel">{t('events.registration.cancelTitle')}</h2>
          <p>{registration.state === 'confirmed' ? t('events.registration.cancelHintPlace') : t('events.registration.cancelHint')}</p>
          {cancelError && (
            <p class="error-message" role="alert">
              {t(`form.error.${cancelError as 'event_started'}`)}
            </p>
          )}
          <Form ctx={ctx} action={ctx.href(`/events/registrations/${registration.reference}/cancel`)}>
            <button type="submit" class="secondary">
              {t('events.registration.cancelButton')}
            </button>
          </Form>
        </section>
      )}
      <p>
        <a href={ctx.href('/events/mine')}>{t('events.mine.title')}</a> · <a href={ctx.href(eventPath(event.reference))}>{t('events.registration.seriesLink')}</a>
      </p>
    </Layout>
  );
}

/** Everything the signed-in person registered for, the coming ones first. */
export function MyRegistrationsPage({ ctx, rows }: { ctx: PageContext; rows: { registration: Registration; event: EventRecord; occurrence: Occurrence }[] }) {
  const { t } = ctx;
  const title = t('events.mine.title');
  return (
    <Layout ctx={ctx} title={title} breadcrumbs={[{ label: t('events.title'), href: ctx.href('/events') }, { label: title }]}>
      <h1>{title}</h1>
      {rows.length === 0 ? (
        <p>
          {t('events.mine.none')} <a href={ctx.href('/events')}>{t('events.mine.browse')}</a>
        </p>
      ) : (
        <table>
          <caption class="visually-hidden">{title}</caption>
          <thead>
            <tr>
              <th scope="col">{t('events.registration.event')}</th>
              <th scope="col">{t('events.registration.when')}</th>
              <th scope="col">{t('events.registration.status')}</th>
              <th scope="col">{t('events.registration.reference')}</th>
            </tr>
          </thead>
          <tbody>
            {rows.map(({ registration: r, event, occurrence }) => (
              <tr>
                <td>
                  <a href={ctx.href(occurrencePath(event.reference, occurrence.slot))}>{ctx.text(event.title)}</a>
                </td>
                <td>
                  <When ctx={ctx} startsAt={occurrence.startsAt} endsAt={occurrence.endsAt} timeZone={event.timeZone} />
                </td>
                <td>
                  <RegistrationBadge ctx={ctx} state={r.state} />
                </td>
                <td>
                  <a href={ctx.href(`/events/registrations/${r.reference}`)}>{r.reference}</a>
                </td>
              </tr>
            ))}
          </tbody>
        </table>
      )}
    </Layout>
  );
}

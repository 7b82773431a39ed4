import type { PageContext } from '../../../../platform/html/context.ts';
import { Notice } from '../../../../platform/html/forms.tsx';
import { Layout } from '../../../../platform/html/layout.tsx';
import type { FieldError } from '../../../../platform/http/forms.ts';
import { SuggestionForm } from '../../../suggestions/index.ts';
import type { EventRecord } from '../../queries/events.ts';
import type { Occurrence } from '../../queries/occurrences.ts';
import type { FeedbackWindow } from '../../send-feedback.ts';
import { occurrencePath, When } from '../parts.tsx';
import { dayText, instantText } from './parts.tsx';

type Errors = Partial<Record<string, FieldError>>;
type Values = Record<string, string>;

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

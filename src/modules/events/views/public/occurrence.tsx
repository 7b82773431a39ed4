import type { PageContext } from '../../../../platform/html/context.ts';
import { Layout } from '../../../../platform/html/layout.tsx';
import { Localized, LocalizedBlock } from '../../../../platform/html/localized.tsx';
import type { EventRecord } from '../../queries/events.ts';
import type { Occurrence } from '../../queries/occurrences.ts';
import { eventPath, type Lookups, occurrencePath, When } from '../parts.tsx';
import { AboutEvent, CancelledBadge, ContactFact, Eyebrow, OrganiserLinks, StatusNotices, Struck, WhereText } from './parts.tsx';

/** The days after an occurrence's end during which its feedback form is open. */
const FEEDBACK_DAYS = 60;

/**
 * One date of an event: when (in the event's zone), where, its note or cancellation, the registration
 * box, add-to-calendar links, and after the event its attendance, report and feedback form.
 */
export function OccurrencePage({
  ctx,
  lookups,
  event,
  occurrence,
  dates,
  panel,
  links,
  canManage,
  now,
}: {
  ctx: PageContext;
  lookups: Lookups;
  event: EventRecord;
  occurrence: Occurrence;
  /** How many dates the event has. */
  dates: number;
  panel: preact.VNode | null;
  /** Add-to-calendar links; null when there is nothing to add (cancelled or over). */
  links: { google: string; outlook: string; office365: string; ics: string } | null;
  canManage: boolean;
  now: Date;
}) {
  const { t } = ctx;
  const title = ctx.text(event.title);
  const cancelled = occurrence.status === 'cancelled';
  const ended = occurrence.endsAt <= now;
  const city = occurrence.own.city ?? event.city;
  const venue = occurrence.own.venue ?? event.venue;
  const online = (occurrence.own.onlineUrl ?? event.onlineUrl) !== null;
  const feedbackOpen = event.feedback && ended && !cancelled && now.getTime() - occurrence.endsAt.getTime() <= FEEDBACK_DAYS * 86_400_000;
  const reported = occurrence.attendance !== null || ctx.text(occurrence.report) !== '';
  return (
    <Layout
      ctx={ctx}
      title={`${title} (${ctx.date(occurrence.slot)})`}
      breadcrumbs={[{ label: t('events.title'), href: ctx.href('/events') }, { label: title, href: ctx.href(eventPath(event.reference)) }, { label: ctx.date(occurrence.slot) }]}
    >
      <Eyebrow ctx={ctx} event={event} />
      <h1>
        <Struck struck={cancelled}>
          <Localized ctx={ctx} text={event.title} />
        </Struck>
        {cancelled && (
          <>
            {' '}
            <CancelledBadge ctx={ctx} />
          </>
        )}
      </h1>
      <StatusNotices ctx={ctx} event={event} canManage={canManage} />
      {cancelled && <p class="notice">{t('events.calendar.occurrence.cancelled', { reason: occurrence.cancelReason ?? '' })}</p>}
      {occurrence.modified && !cancelled && dates > 1 && <p class="notice">{t('events.calendar.occurrence.changed')}</p>}
      <dl class="facts">
        <dt>{t('events.calendar.event.when')}</dt>
        <dd>
          <Struck struck={cancelled}>
            <When ctx={ctx} startsAt={occurrence.startsAt} endsAt={occurrence.endsAt} timeZone={event.timeZone} />
          </Struck>
        </dd>
        <dt>{t('events.calendar.event.where')}</dt>
        <dd>
          <WhereText ctx={ctx} city={city} venue={venue} online={online} />
        </dd>
        <dt>{t('events.calendar.event.organisers')}</dt>
        <dd>
          <OrganiserLinks ctx={ctx} lookups={lookups} ids={event.organisers} />
        </dd>
        <ContactFact ctx={ctx} event={event} />
      </dl>
      {ctx.text(occurrence.note) && (
        <section aria-labelledby="note">
          <h2 id="note">{t('events.calendar.occurrence.note')}</h2>
          <LocalizedBlock ctx={ctx} text={occurrence.note} />
        </section>
      )}
      {ended && !cancelled && (
        <section aria-labelledby="after">
          <h2 id="after">{t('events.calendar.occurrence.afterTitle')}</h2>
          {occurrence.attendance !== null && <p>{t('events.calendar.occurrence.attendance', { n: occurrence.attendance })}</p>}
          {ctx.text(occurrence.report) && (
            <>
              <h3>{t('events.calendar.occurrence.report')}</h3>
              <LocalizedBlock ctx={ctx} text={occurrence.report} />
            </>
          )}
          {!reported && <p>{t('events.calendar.occurrence.notReported')}</p>}
          {feedbackOpen && (
            <p>
              <a class="button" href={ctx.href(`${occurrencePath(event.reference, occurrence.slot)}/feedback`)}>
                {t('events.calendar.occurrence.feedback')}
              </a>{' '}
              <span class="muted">{t('events.calendar.occurrence.feedbackHint')}</span>
            </p>
          )}
        </section>
      )}
      {!ended && panel}
      {links && (
        <section aria-labelledby="add-to-calendar">
          <h2 id="add-to-calendar">{t('events.calendar.occurrence.addTitle')}</h2>
          <ul class="actions">
            <li>
              <a href={links.google} rel="noopener">
                {t('events.calendar.occurrence.google')}
              </a>
            </li>
            <li>
              <a href={links.outlook} rel="noopener">
                {t('events.calendar.occurrence.outlook')}
              </a>
            </li>
            <li>
              <a href={links.office365} rel="noopener">
                {t('events.calendar.occurrence.office365')}
              </a>
            </li>
            <li>
              <a href={links.ics} download>
                {t('events.calendar.occurrence.ics')}
              </a>
            </li>
          </ul>
        </section>
      )}
      <AboutEvent ctx={ctx} event={event} lookups={lookups} />
      <p>
        <a href={ctx.href(eventPath(event.reference))}>{t('events.calendar.occurrence.series', { n: dates })}</a>
      </p>
    </Layout>
  );
}

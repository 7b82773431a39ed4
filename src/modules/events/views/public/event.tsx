import type { RegistrationMode } from '../../tables.ts';
import type { PageContext } from '../../../../platform/html/context.ts';
import { Layout } from '../../../../platform/html/layout.tsx';
import { Localized } from '../../../../platform/html/localized.tsx';
import type { EventRecord } from '../../queries/events.ts';
import type { Occurrence } from '../../queries/occurrences.ts';
import { readRule } from '../../recurrence.ts';
import { type Lookups, occurrencePath, typeName, whenText } from '../parts.tsx';
import { AboutEvent, CancelledBadge, ContactFact, Eyebrow, OrganiserLinks, StatusNotices, Struck, WhereText } from './parts.tsx';

/** "Every 3 months, 4 times": an event's repetition in words. */
function repetitionText(ctx: PageContext, rrule: string | null): string {
  const { t } = ctx;
  if (!rrule) return t('events.calendar.rule.once');
  const rule = readRule(rrule);
  if (!rule) return t('events.calendar.rule.custom');
  const every = t(`events.calendar.rule.${rule.frequency}`, { n: rule.interval });
  if (rule.count) return `${every}${t('events.calendar.rule.count', { n: rule.count })}`;
  if (rule.until) return `${every}${t('events.calendar.rule.until', { date: ctx.date(rule.until) })}`;
  return every;
}

function registrationText(ctx: PageContext, event: Pick<EventRecord, 'registration' | 'capacity' | 'requiresApproval'>): string {
  const { t } = ctx;
  const mode: RegistrationMode = event.registration;
  if (mode === 'off') return t('events.calendar.registration.off');
  if (mode === 'external') return t('events.calendar.registration.external');
  const capacity = event.capacity ?? 0;
  return event.requiresApproval ? t('events.calendar.registration.platformApproval', { capacity }) : t('events.calendar.registration.platform', { capacity });
}

/** An event: what it is, who organises it, the commitments it serves, how it repeats, and its dates. */
export function EventPage({ ctx, lookups, event, occurrences, canManage, now }: { ctx: PageContext; lookups: Lookups; event: EventRecord; occurrences: Occurrence[]; canManage: boolean; now: Date }) {
  const { t } = ctx;
  const title = ctx.text(event.title);
  return (
    <Layout ctx={ctx} title={title} breadcrumbs={[{ label: t('events.title'), href: ctx.href('/events') }, { label: title }]}>
      <Eyebrow ctx={ctx} event={event} />
      <h1>
        <Localized ctx={ctx} text={event.title} />
      </h1>
      <StatusNotices ctx={ctx} event={event} canManage={canManage} />
      <dl class="facts">
        <dt>{t('events.calendar.event.type')}</dt>
        <dd>{typeName(ctx, event.type)}</dd>
        <dt>{t('events.calendar.event.organisers')}</dt>
        <dd>
          <OrganiserLinks ctx={ctx} lookups={lookups} ids={event.organisers} />
        </dd>
        <dt>{t('events.calendar.event.where')}</dt>
        <dd>
          <WhereText ctx={ctx} city={event.city} venue={event.venue} online={event.onlineUrl !== null} />
        </dd>
        <dt>{t('events.calendar.event.repeats')}</dt>
        <dd>{repetitionText(ctx, event.rrule)}</dd>
        <dt>{t('events.calendar.event.registration')}</dt>
        <dd>
          {registrationText(ctx, event)}
          {event.registration === 'external' && event.externalUrl && (
            <>
              {' '}
              <a href={event.externalUrl} rel="noopener">
                {t('events.register.externalLink')}
              </a>
            </>
          )}
        </dd>
        <ContactFact ctx={ctx} event={event} />
      </dl>
      <AboutEvent ctx={ctx} event={event} lookups={lookups} />
      <section aria-labelledby="dates">
        <h2 id="dates">{t('events.calendar.event.dates')}</h2>
        <ol class="plain">
          {occurrences.map((o) => {
            const cancelled = o.status === 'cancelled';
            return (
              <li>
                <Struck struck={cancelled}>
                  <a href={ctx.href(occurrencePath(event.reference, o.slot))}>{whenText(ctx, o.startsAt, o.endsAt, event.timeZone)}</a>
                </Struck>
                {cancelled && (
                  <>
                    {' '}
                    <CancelledBadge ctx={ctx} />
                  </>
                )}
                {!cancelled && o.endsAt <= now && <span class="muted"> ({t('events.calendar.event.past')})</span>}
              </li>
            );
          })}
        </ol>
      </section>
    </Layout>
  );
}

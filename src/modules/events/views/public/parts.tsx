// What the public pages of events share: dates as listed, the facts of an event, the calendar's address.
import type { ComponentChildren } from 'preact';
import type { PageContext } from '../../../../platform/html/context.ts';
import { Localized, LocalizedBlock } from '../../../../platform/html/localized.tsx';
import { filterQuery, type FilterValues } from '../../feeds.ts';
import type { CalendarItem } from '../../queries/calendar.ts';
import type { EventRecord } from '../../queries/events.ts';
import { type CommitmentInfo, commitmentLabel, commitmentPath } from '../../../agreements/index.ts';
import { cityName, type Lookups, occurrencePath, organisationName, typeName, When, workspaceEventPath } from '../parts.tsx';

/** How registration stands for a date, as the calendar shows it. */
export type RegistrationStatus = 'open' | 'full' | 'closed' | 'external' | 'none';

/** The registration status of a date: places held against its capacity, and whether it has started. */
export function registrationStatus(item: Pick<CalendarItem, 'registration' | 'eventStatus' | 'status' | 'startsAt' | 'capacity'>, held: number, now: Date): RegistrationStatus {
  if (item.registration === 'off') return 'none';
  if (item.registration === 'external') return 'external';
  if (item.eventStatus !== 'published' || item.status === 'cancelled' || item.startsAt <= now) return 'closed';
  return held >= (item.capacity ?? 0) ? 'full' : 'open';
}

const STATUS_BADGE: Record<RegistrationStatus, string> = {
  open: 'badge status-completed',
  full: 'badge status-in-progress',
  closed: 'badge status-discontinued',
  external: 'badge',
  none: 'badge',
};

/** "Cancelled", as a word and not a colour only. */
export function CancelledBadge({ ctx, whole = false }: { ctx: PageContext; whole?: boolean }) {
  return <span class="badge status-discontinued">{ctx.t(whole ? 'events.calendar.eventCancelled' : 'events.calendar.cancelled')}</span>;
}

/** A title that is struck through when its date is cancelled (the badge beside it says so in words). */
export function Struck({ struck, children }: { struck: boolean; children: ComponentChildren }) {
  return struck ? <s>{children}</s> : children;
}

export const shorten = (text: string, max: number) => (text.length > max ? `${text.slice(0, max - 1).trimEnd()}…` : text);

const listSeparator = (ctx: PageContext) => (ctx.locale === 'en' ? ', ' : '、');
export const colon = (ctx: PageContext) => (ctx.locale === 'en' ? ': ' : '：');

function organisersText(ctx: PageContext, lookups: Lookups, ids: readonly string[]): string {
  return ids.map((id) => organisationName(ctx, lookups.organisations, id)).join(listSeparator(ctx));
}

/** The calendar with some filters and its view: '/events?area=3&view=month&month=2027-03'. */
export function calendarPath(values: FilterValues, view: { view?: 'month'; month?: string; when?: 'past'; page?: number } = {}): string {
  const params = new URLSearchParams(filterQuery(values));
  if (view.view) params.set('view', view.view);
  if (view.month) params.set('month', view.month);
  if (view.when) params.set('when', view.when);
  if (view.page && view.page > 1) params.set('page', String(view.page));
  const text = params.toString();
  return `/events${text ? `?${text}` : ''}`;
}

export function ListItem({
  ctx,
  lookups,
  item,
  organisers,
  status,
  heading = 'h3',
}: {
  ctx: PageContext;
  lookups: Lookups;
  item: CalendarItem;
  organisers: readonly string[];
  status?: RegistrationStatus;
  heading?: 'h3' | 'h4';
}) {
  const { t } = ctx;
  const cancelled = item.status === 'cancelled';
  const Heading = heading;
  return (
    <li>
      <Heading>
        <Struck struck={cancelled}>
          <a href={ctx.href(occurrencePath(item.reference, item.slot))}>
            <Localized ctx={ctx} text={item.title} />
          </a>
        </Struck>
        {cancelled && (
          <>
            {' '}
            <CancelledBadge ctx={ctx} />
          </>
        )}
      </Heading>
      <p class="meta">
        <When ctx={ctx} startsAt={item.startsAt} endsAt={item.endsAt} timeZone={item.timeZone} /> · {typeName(ctx, item.type)} · {cityName(ctx, item.city)}
      </p>
      {organisers.length > 0 && <p class="meta">{t('events.calendar.organisedBy', { names: organisersText(ctx, lookups, organisers) })}</p>}
      {status && !cancelled && (
        <p class="meta">
          <span class={STATUS_BADGE[status]}>{t(`events.calendar.status.${status}`)}</span>
        </p>
      )}
    </li>
  );
}

export function OrganiserLinks({ ctx, lookups, ids }: { ctx: PageContext; lookups: Lookups; ids: readonly string[] }) {
  return (
    <>
      {ids.map((id, i) => (
        <>
          {i > 0 && listSeparator(ctx)}
          <a href={ctx.href(calendarPath({ organiser: id }))}>{organisationName(ctx, lookups.organisations, id)}</a>
        </>
      ))}
    </>
  );
}

/** The event's contact address, as a term of a facts list (nothing without one). */
export function ContactFact({ ctx, event }: { ctx: PageContext; event: EventRecord }) {
  if (!event.contactEmail) return null;
  return (
    <>
      <dt>{ctx.t('events.calendar.event.contact')}</dt>
      <dd>
        <a href={`mailto:${event.contactEmail}`}>{event.contactEmail}</a>
      </dd>
    </>
  );
}

/** The event's description (when it has one) and the commitments it serves. */
export function AboutEvent({ ctx, event, lookups }: { ctx: PageContext; event: EventRecord; lookups: Lookups }) {
  return (
    <>
      {ctx.text(event.description) && (
        <section aria-labelledby="description">
          <h2 id="description">{ctx.t('events.calendar.event.description')}</h2>
          <LocalizedBlock ctx={ctx} text={event.description} />
        </section>
      )}
      <CommitmentLinks ctx={ctx} lookups={lookups} ids={event.commitmentIds} />
    </>
  );
}

function CommitmentLinks({ ctx, lookups, ids }: { ctx: PageContext; lookups: Lookups; ids: readonly number[] }) {
  const commitments = ids.map((id) => lookups.commitments.find((c) => c.id === id)).filter((c): c is CommitmentInfo => c !== undefined);
  if (commitments.length === 0) return null;
  return (
    <section aria-labelledby="commitments">
      <h2 id="commitments">{ctx.t('events.calendar.event.commitments')}</h2>
      <ul>
        {commitments.map((c) => (
          <li>
            <a href={ctx.href(commitmentPath(c))}>{commitmentLabel(ctx, lookups.areas, c)}</a>
            {colon(ctx)}
            {shorten(ctx.text(c.text), ctx.locale === 'en' ? 160 : 70)}
          </li>
        ))}
      </ul>
    </section>
  );
}

/** Where, in words: the venue and city, and "online" (never the link). */
export function WhereText({ ctx, city, venue, online }: { ctx: PageContext; city: string; venue: EventRecord['venue']; online: boolean }) {
  const { t } = ctx;
  const venueText = ctx.text(venue);
  const isOnline = online || city === 'online';
  // 'Online' is said below; 'elsewhere' says nothing next to a venue.
  const cityText = city === 'online' || (city === 'elsewhere' && venueText) ? '' : cityName(ctx, city);
  const showCity = cityText !== '' && !venueText.includes(cityText);
  return (
    <>
      {venueText && <Localized ctx={ctx} text={venue} />}
      {showCity && (
        <>
          {venueText && (ctx.locale === 'en' ? ', ' : '，')}
          {cityText}
        </>
      )}
      {isOnline && (
        <>
          {(venueText || showCity) && <br />}
          {t('events.calendar.event.online')} <span class="muted">({t('events.calendar.event.onlineHint')})</span>
        </>
      )}
    </>
  );
}

export function Eyebrow({ ctx, event }: { ctx: PageContext; event: EventRecord }) {
  return (
    <p class="eyebrow">
      {typeName(ctx, event.type)} · {event.reference}
    </p>
  );
}

export function StatusNotices({ ctx, event, canManage }: { ctx: PageContext; event: EventRecord; canManage: boolean }) {
  const { t } = ctx;
  return (
    <>
      {event.status === 'draft' && <p class="notice">{t('events.calendar.event.draft')}</p>}
      {event.status === 'cancelled' && <p class="notice">{t('events.calendar.event.cancelledNotice')}</p>}
      {canManage && (
        <p>
          <a href={ctx.href(workspaceEventPath(event.reference))}>{t('events.calendar.event.manage')}</a>
        </p>
      )}
    </>
  );
}

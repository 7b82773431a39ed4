import type { ComponentChildren } from 'preact';
import type { EventType, RegistrationMode } from '../tables.ts';
import type { PageContext } from '../../../platform/html/context.ts';
import { ErrorSummary, SelectField } from '../../../platform/html/forms.tsx';
import { Layout } from '../../../platform/html/layout.tsx';
import type { FieldError } from '../../../platform/http/forms.ts';
import { LOCALE_INFO } from '../../../platform/i18n/locales.ts';
import { EVENT_TYPES } from '../tables.ts';
import { Localized, LocalizedBlock } from '../../../platform/html/localized.tsx';
import { FEED_DAYS, FEED_MAX_DATES, feedPath, FILTER_NAMES, type FilterName, filterQuery, type FilterValues, webcalUrl } from '../feeds.ts';
import type { CalendarItem, EventRecord, HeldItem, MonthItem, Occurrence } from '../queries.ts';
import { localOf, readRule } from '../recurrence.ts';
import { cityName, eventPath, type Lookups, occurrencePath, organisationName, typeName, When, whenText, workspaceEventPath } from './parts.tsx';
import { areaName, commitmentCode, type CommitmentInfo, commitmentLabel, commitmentPath } from '../../agreements/index.ts';

type Errors = Partial<Record<string, FieldError>>;

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
function CancelledBadge({ ctx, whole = false }: { ctx: PageContext; whole?: boolean }) {
  return <span class="badge status-discontinued">{ctx.t(whole ? 'events.calendar.eventCancelled' : 'events.calendar.cancelled')}</span>;
}

/** A title that is struck through when its date is cancelled (the badge beside it says so in words). */
function Struck({ struck, children }: { struck: boolean; children: ComponentChildren }) {
  return struck ? <s>{children}</s> : <>{children}</>;
}

const shorten = (text: string, max: number) => (text.length > max ? `${text.slice(0, max - 1).trimEnd()}…` : text);

const listSeparator = (ctx: PageContext) => (ctx.locale === 'en' ? ', ' : '、');
const colon = (ctx: PageContext) => (ctx.locale === 'en' ? ': ' : '：');

function organisersText(ctx: PageContext, lookups: Lookups, ids: readonly string[]): string {
  return ids.map((id) => organisationName(ctx, lookups.organisations, id)).join(listSeparator(ctx));
}

// ---------------------------------------------------------------------------------------------------
// Addresses

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

/** 'March 2027' / '2027年3月' for 'YYYY-MM'. */
export function monthLabel(ctx: PageContext, month: string): string {
  let f = monthFormats.get(ctx.locale);
  if (!f) {
    f = new Intl.DateTimeFormat(LOCALE_INFO[ctx.locale].intl, { year: 'numeric', month: 'long', timeZone: 'UTC' });
    monthFormats.set(ctx.locale, f);
  }
  return f.format(new Date(`${month}-01T00:00:00Z`));
}
const monthFormats = new Map<string, Intl.DateTimeFormat>();

/** The month before or after 'YYYY-MM'. */
export function addMonths(month: string, n: number): string {
  const d = new Date(`${month}-01T00:00:00Z`);
  d.setUTCMonth(d.getUTCMonth() + n);
  return d.toISOString().slice(0, 7);
}

// ---------------------------------------------------------------------------------------------------
// The calendar page

export interface ListMode {
  view: 'list';
  when: 'upcoming' | 'past';
  page: number;
  hasNext: boolean;
  items: CalendarItem[];
  organisers: Map<number, string[]>;
  held: Map<number, number>;
  now: Date;
}

export interface MonthMode {
  view: 'month';
  /** 'YYYY-MM' */
  month: string;
  /** Each date with its day in its event's zone, 'YYYY-MM-DD', in order. */
  items: { item: MonthItem; day: string; time: string }[];
  truncated: number | null;
  /** Today in the platform's zone, 'YYYY-MM-DD'. */
  today: string;
}

const collators = new Map<string, Intl.Collator>();
function collatorOf(ctx: PageContext): Intl.Collator {
  let c = collators.get(ctx.locale);
  if (!c) {
    c = new Intl.Collator(LOCALE_INFO[ctx.locale].intl);
    collators.set(ctx.locale, c);
  }
  return c;
}

function FilterForm({ ctx, lookups, organisers, values, errors, mode }: { ctx: PageContext; lookups: Lookups; organisers: string[]; values: FilterValues; errors: Errors; mode: ListMode | MonthMode }) {
  const { t } = ctx;
  const any = t('events.calendar.any');
  const collator = collatorOf(ctx);
  const byName = (a: { label: string }, b: { label: string }) => collator.compare(a.label, b.label);
  const organiserIds = values.organiser && !organisers.includes(values.organiser) ? [...organisers, values.organiser] : organisers;
  return (
    <form method="get" action={ctx.href('/events')} class="filters" role="search" aria-label={t('events.calendar.filters')}>
      {mode.view === 'month' && (
        <>
          <input type="hidden" name="view" value="month" />
          <input type="hidden" name="month" value={mode.month} />
        </>
      )}
      {mode.view === 'list' && mode.when === 'past' && <input type="hidden" name="when" value="past" />}
      <SelectField
        ctx={ctx}
        id="field-area"
        name="area"
        label={t('events.calendar.area')}
        value={values.area ?? ''}
        error={errors.area}
        blank={any}
        options={lookups.areas.map((a) => ({ value: String(a.number), label: areaName(ctx, a) }))}
      />
      <SelectField
        ctx={ctx}
        id="field-commitment"
        name="commitment"
        label={t('events.calendar.commitment')}
        value={values.commitment ?? ''}
        error={errors.commitment}
        blank={any}
        groups={lookups.areas.map((area) => ({
          label: areaName(ctx, area),
          options: lookups.commitments
            .filter((c) => c.agreementId === area.agreementId && c.areaNumber === area.number)
            .map((c) => ({ value: commitmentCode(c), label: `${commitmentCode(c)} ${shorten(ctx.text(c.text), ctx.locale === 'en' ? 70 : 30)}` })),
        }))}
      />
      <SelectField ctx={ctx} id="field-type" name="type" label={t('events.calendar.type')} value={values.type ?? ''} error={errors.type} blank={any} options={EVENT_TYPES.map((type) => ({ value: type, label: typeName(ctx, type) }))} />
      <SelectField ctx={ctx} id="field-city" name="city" label={t('events.calendar.city')} value={values.city ?? ''} error={errors.city} blank={any} options={lookups.cities.map((c) => ({ value: c.key, label: ctx.text(c.name) }))} />
      <SelectField
        ctx={ctx}
        id="field-organiser"
        name="organiser"
        label={t('events.calendar.organiser')}
        value={values.organiser ?? ''}
        error={errors.organiser}
        blank={any}
        options={organiserIds.map((id) => ({ value: id, label: organisationName(ctx, lookups.organisations, id) })).sort(byName)}
      />
      <button type="submit">{t('events.calendar.apply')}</button>
      {FILTER_NAMES.some((name) => values[name]) && (
        <p>
          <a href={ctx.href(calendarPath({}, mode.view === 'month' ? { view: 'month', month: mode.month } : mode.when === 'past' ? { when: 'past' } : {}))}>{t('events.calendar.clear')}</a>
        </p>
      )}
    </form>
  );
}

/** The switches between the list and the month, and between coming and past events. */
function ViewSwitch({ ctx, values, mode, thisMonth }: { ctx: PageContext; values: FilterValues; mode: ListMode | MonthMode; thisMonth: string }) {
  const { t } = ctx;
  const link = (href: string, current: boolean, label: string) => (
    <li>
      <a href={ctx.href(href)} aria-current={current ? 'page' : undefined}>
        {current ? <strong>{label}</strong> : label}
      </a>
    </li>
  );
  const month = mode.view === 'month' ? mode.month : thisMonth;
  return (
    <nav aria-label={t('events.calendar.views')}>
      <ul class="actions">
        {link(calendarPath(values), mode.view === 'list' && mode.when === 'upcoming', t('events.calendar.upcoming'))}
        {link(calendarPath(values, { when: 'past' }), mode.view === 'list' && mode.when === 'past', t('events.calendar.past'))}
        {link(calendarPath(values, { view: 'month', month }), mode.view === 'month', `${t('events.calendar.view.month')}${colon(ctx)}${monthLabel(ctx, month)}`)}
      </ul>
    </nav>
  );
}

function ListItem({ ctx, lookups, item, organisers, status, heading = 'h3' }: { ctx: PageContext; lookups: Lookups; item: CalendarItem; organisers: readonly string[]; status?: RegistrationStatus; heading?: 'h3' | 'h4' }) {
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

function ListView({ ctx, lookups, values, mode }: { ctx: PageContext; lookups: Lookups; values: FilterValues; mode: ListMode }) {
  const { t } = ctx;
  if (mode.items.length === 0) return <p role="status">{t(mode.when === 'past' ? 'events.calendar.nonePast' : 'events.calendar.noneUpcoming')}</p>;
  // Consecutive dates of one month (in each event's zone) under the month's name.
  const groups: { month: string; items: CalendarItem[] }[] = [];
  for (const item of mode.items) {
    const month = localOf(item.startsAt, item.timeZone).slice(0, 7);
    const last = groups.at(-1);
    if (last && last.month === month) last.items.push(item);
    else groups.push({ month, items: [item] });
  }
  const pageHref = (page: number) => ctx.href(calendarPath(values, { ...(mode.when === 'past' ? { when: 'past' as const } : {}), page }));
  return (
    <>
      {groups.map((g) => (
        <section aria-labelledby={`month-${g.month}`}>
          <h2 id={`month-${g.month}`}>{monthLabel(ctx, g.month)}</h2>
          <ol class="updates">
            {g.items.map((item) => (
              <ListItem
                ctx={ctx}
                lookups={lookups}
                item={item}
                organisers={mode.organisers.get(item.eventId) ?? []}
                status={mode.when === 'upcoming' ? registrationStatus(item, mode.held.get(item.occurrenceId) ?? 0, mode.now) : undefined}
              />
            ))}
          </ol>
        </section>
      ))}
      {(mode.page > 1 || mode.hasNext) && (
        <nav class="pager" aria-label={t('events.calendar.pages')}>
          {mode.page > 1 && (
            <a rel="prev" href={pageHref(mode.page - 1)}>
              ← {t('events.calendar.previousPage')}
            </a>
          )}
          <span>{t('events.calendar.pageNumber', { page: mode.page })}</span>
          {mode.hasNext && (
            <a rel="next" href={pageHref(mode.page + 1)}>
              {t('events.calendar.nextPage')} →
            </a>
          )}
        </nav>
      )}
    </>
  );
}

/** Monday first: the weekday names of a week, short and long. */
const weekdayNames = new Map<string, { short: string; long: string }[]>();
function weekdays(ctx: PageContext): { short: string; long: string }[] {
  const known = weekdayNames.get(ctx.locale);
  if (known) return known;
  const intl = LOCALE_INFO[ctx.locale].intl;
  const short = new Intl.DateTimeFormat(intl, { weekday: 'short', timeZone: 'UTC' });
  const long = new Intl.DateTimeFormat(intl, { weekday: 'long', timeZone: 'UTC' });
  // 2024-01-01 was a Monday.
  const names = Array.from({ length: 7 }, (_, i) => {
    const d = new Date(Date.UTC(2024, 0, 1 + i));
    return { short: short.format(d), long: long.format(d) };
  });
  weekdayNames.set(ctx.locale, names);
  return names;
}

function MonthView({ ctx, values, mode }: { ctx: PageContext; values: FilterValues; mode: MonthMode }) {
  const { t } = ctx;
  const [year, month] = mode.month.split('-').map(Number) as [number, number];
  const days = new Date(Date.UTC(year, month, 0)).getUTCDate();
  const lead = (new Date(Date.UTC(year, month - 1, 1)).getUTCDay() + 6) % 7;
  const cells: (number | null)[] = [...Array.from({ length: lead }, () => null), ...Array.from({ length: days }, (_, i) => i + 1)];
  while (cells.length % 7) cells.push(null);
  const weeks = Array.from({ length: cells.length / 7 }, (_, w) => cells.slice(w * 7, w * 7 + 7));
  const byDay = new Map<string, MonthMode['items']>();
  for (const entry of mode.items) byDay.set(entry.day, [...(byDay.get(entry.day) ?? []), entry]);
  const names = weekdays(ctx);
  const previous = addMonths(mode.month, -1);
  const next = addMonths(mode.month, 1);
  const label = monthLabel(ctx, mode.month);
  return (
    <>
      <h2 id="month-title">{label}</h2>
      <nav class="pager month-pager" aria-label={t('events.calendar.months')}>
        <a rel="prev" href={ctx.href(calendarPath(values, { view: 'month', month: previous }))}>
          ← {t('events.calendar.previousMonth', { month: monthLabel(ctx, previous) })}
        </a>
        {mode.today.slice(0, 7) !== mode.month && <a href={ctx.href(calendarPath(values, { view: 'month', month: mode.today.slice(0, 7) }))}>{t('events.calendar.thisMonth')}</a>}
        <a rel="next" href={ctx.href(calendarPath(values, { view: 'month', month: next }))}>
          {t('events.calendar.nextMonth', { month: monthLabel(ctx, next) })} →
        </a>
      </nav>
      <p role="status">{mode.items.length === 0 ? t('events.calendar.monthEmpty') : t('events.calendar.monthCount', { n: mode.items.length })}</p>
      {mode.truncated !== null && <p class="notice">{t('events.calendar.monthTruncated', { n: mode.truncated })}</p>}
      <div class="table-scroll">
        <table class="month-calendar" aria-labelledby="month-title">
          <thead>
            <tr>
              {names.map((n) => (
                <th scope="col">
                  <abbr title={n.long}>{n.short}</abbr>
                </th>
              ))}
            </tr>
          </thead>
          <tbody>
            {weeks.map((week) => (
              <tr>
                {week.map((day) => {
                  if (day === null) return <td class="outside" />;
                  const date = `${mode.month}-${String(day).padStart(2, '0')}`;
                  const entries = byDay.get(date) ?? [];
                  const today = date === mode.today;
                  return (
                    <td class={today ? 'today' : undefined} aria-current={today ? 'date' : undefined}>
                      <time dateTime={date} class="day-number">
                        {day}
                      </time>
                      {today && <span class="visually-hidden"> ({t('events.calendar.today')})</span>}
                      {entries.length > 0 && (
                        <ul class="plain">
                          {entries.map(({ item, time }) => (
                            <li class={item.status === 'cancelled' ? 'cancelled' : undefined}>
                              <time dateTime={item.startsAt.toISOString()}>{time}</time>{' '}
                              <Struck struck={item.status === 'cancelled'}>
                                <a href={ctx.href(occurrencePath(item.reference, item.slot))}>
                                  <Localized ctx={ctx} text={item.title} />
                                </a>
                              </Struck>
                              {item.status === 'cancelled' && (
                                <>
                                  {' '}
                                  <CancelledBadge ctx={ctx} />
                                </>
                              )}
                            </li>
                          ))}
                        </ul>
                      )}
                    </td>
                  );
                })}
              </tr>
            ))}
          </tbody>
        </table>
      </div>
      <p class="muted">{t('events.calendar.monthZoneNote')}</p>
    </>
  );
}

/** A feed's two addresses: to subscribe (webcal://) and the plain one. */
function FeedLinks({ ctx, publicUrl, path, label }: { ctx: PageContext; publicUrl: string; path: string; label: string }) {
  const { t } = ctx;
  return (
    <li>
      {label}
      {colon(ctx)}
      <a href={webcalUrl(publicUrl, path)}>{t('events.calendar.feeds.subscribe')}</a> · <a href={`${publicUrl.replace(/\/+$/, '')}${path}`}>{t('events.calendar.feeds.address')}</a>
    </li>
  );
}

/** What the calendar page shows below the site's header: the same for every visitor, so it is rendered apart and kept. */
export function CalendarBody({
  ctx,
  lookups,
  organisers,
  values,
  errors,
  mode,
  publicUrl,
  thisMonth,
}: {
  ctx: PageContext;
  lookups: Lookups;
  /** Organisations that organise public events (the organiser filter's choices). */
  organisers: string[];
  values: FilterValues;
  errors: Errors;
  mode: ListMode | MonthMode;
  publicUrl: string;
  /** This month in the platform's zone, 'YYYY-MM'. */
  thisMonth: string;
}) {
  const { t } = ctx;
  const title = t('events.title');
  const labels: Record<FilterName, string> = {
    area: t('events.calendar.area'),
    commitment: t('events.calendar.commitment'),
    type: t('events.calendar.type'),
    city: t('events.calendar.city'),
    organiser: t('events.calendar.organiser'),
  };
  const filtered = FILTER_NAMES.some((name) => values[name]) && Object.keys(errors).length === 0;
  return (
    <>
      <h1>{title}</h1>
      <p class="lead">{t('events.calendar.intro')}</p>
      <ErrorSummary ctx={ctx} errors={errors} labels={labels} />
      <FilterForm ctx={ctx} lookups={lookups} organisers={organisers} values={values} errors={errors} mode={mode} />
      <ViewSwitch ctx={ctx} values={values} mode={mode} thisMonth={thisMonth} />
      {mode.view === 'list' ? <ListView ctx={ctx} lookups={lookups} values={values} mode={mode} /> : <MonthView ctx={ctx} values={values} mode={mode} />}
      <section aria-labelledby="feeds">
        <h2 id="feeds">{t('events.calendar.feeds.title')}</h2>
        <p>{t('events.calendar.feeds.intro', { ...FEED_DAYS, max: FEED_MAX_DATES })}</p>
        <ul>
          {filtered && <FeedLinks ctx={ctx} publicUrl={publicUrl} path={feedPath(ctx.locale, values)} label={t('events.calendar.feeds.current')} />}
          <FeedLinks ctx={ctx} publicUrl={publicUrl} path={feedPath(ctx.locale, {})} label={t('events.calendar.feeds.all')} />
        </ul>
      </section>
    </>
  );
}

/** The calendar page: the visitor's layout around the body, rendered before by CalendarBody (so escaped already). */
export function CalendarPage({ ctx, body }: { ctx: PageContext; body: string }) {
  const title = ctx.t('events.title');
  return (
    <Layout ctx={ctx} title={title} breadcrumbs={[{ label: title }]}>
      <div class="calendar" dangerouslySetInnerHTML={{ __html: body }} />
    </Layout>
  );
}

// ---------------------------------------------------------------------------------------------------
// An event and one of its dates

/** "Every 3 months, 4 times": an event's repetition in words. */
export function repetitionText(ctx: PageContext, rrule: string | null): string {
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

function OrganiserLinks({ ctx, lookups, ids }: { ctx: PageContext; lookups: Lookups; ids: readonly string[] }) {
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
function ContactFact({ ctx, event }: { ctx: PageContext; event: EventRecord }) {
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
function AboutEvent({ ctx, event, lookups }: { ctx: PageContext; event: EventRecord; lookups: Lookups }) {
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
function WhereText({ ctx, city, venue, online }: { ctx: PageContext; city: string; venue: EventRecord['venue']; online: boolean }) {
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

function Eyebrow({ ctx, event }: { ctx: PageContext; event: EventRecord }) {
  return (
    <p class="eyebrow">
      {typeName(ctx, event.type)} · {event.reference}
    </p>
  );
}

function StatusNotices({ ctx, event, canManage }: { ctx: PageContext; event: EventRecord; canManage: boolean }) {
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

/** The days after an occurrence's end during which its feedback form is open. */
export const FEEDBACK_DAYS = 60;

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

// ---------------------------------------------------------------------------------------------------
// On a commitment's page

/** "Events" on a commitment's page: the next dates, and those held with their attendance and report (the evidence). */
export function CommitmentEventsSection({
  ctx,
  lookups,
  commitment,
  upcoming,
  held,
  organisers,
  publicUrl,
}: {
  ctx: PageContext;
  lookups: Lookups;
  commitment: CommitmentInfo;
  upcoming: CalendarItem[];
  held: HeldItem[];
  organisers: Map<number, string[]>;
  publicUrl: string;
}) {
  const { t } = ctx;
  const code = commitmentCode(commitment);
  const feed = feedPath(ctx.locale, { commitment: code });
  return (
    <section aria-labelledby="events" class="events">
      <h2 id="events">{t('events.calendar.section.title')}</h2>
      <p>{t('events.calendar.section.intro')}</p>
      {upcoming.length > 0 && (
        <>
          <h3>{t('events.calendar.section.upcoming')}</h3>
          <ol class="updates">
            {upcoming.map((item) => (
              <ListItem ctx={ctx} lookups={lookups} item={item} organisers={organisers.get(item.eventId) ?? []} heading="h4" />
            ))}
          </ol>
        </>
      )}
      {held.length > 0 && (
        <>
          <h3>{t('events.calendar.section.held')}</h3>
          <ol class="updates">
            {held.map((item) => (
              <li>
                <h4>
                  <a href={ctx.href(occurrencePath(item.reference, item.slot))}>
                    <Localized ctx={ctx} text={item.title} />
                  </a>
                </h4>
                <p class="meta">
                  <When ctx={ctx} startsAt={item.startsAt} endsAt={item.endsAt} timeZone={item.timeZone} /> · {typeName(ctx, item.type as EventType)} · {cityName(ctx, item.city)}
                </p>
                <p class="evidence">{item.attendance !== null ? t('events.calendar.occurrence.attendance', { n: item.attendance }) : t('events.calendar.occurrence.notReported')}</p>
                {ctx.text(item.report) && <LocalizedBlock ctx={ctx} text={item.report} />}
              </li>
            ))}
          </ol>
        </>
      )}
      <ul class="actions">
        <li>
          <a href={ctx.href(calendarPath({ commitment: code }))}>{t('events.calendar.section.calendar')}</a>
        </li>
        <li>
          <a href={ctx.href(calendarPath({ commitment: code }, { when: 'past' }))}>{t('events.calendar.section.past')}</a>
        </li>
        <li>
          {t('events.calendar.section.feed')}
          {colon(ctx)}
          <a href={webcalUrl(publicUrl, feed)}>{t('events.calendar.feeds.subscribe')}</a> ·{' '}
          <a href={`${publicUrl.replace(/\/+$/, '')}${feed}`}>{t('events.calendar.feeds.address')}</a>
        </li>
      </ul>
    </section>
  );
}

import type { PageContext } from '../../../../platform/html/context.ts';
import { ErrorSummary, SelectField } from '../../../../platform/html/forms.tsx';
import { Layout } from '../../../../platform/html/layout.tsx';
import type { FieldError } from '../../../../platform/http/forms.ts';
import { LOCALE_INFO } from '../../../../platform/i18n/locales.ts';
import { EVENT_TYPES } from '../../tables.ts';
import { Localized } from '../../../../platform/html/localized.tsx';
import { FEED_DAYS, FEED_MAX_DATES, feedPath, FILTER_NAMES, type FilterName, type FilterValues, webcalUrl } from '../../feeds.ts';
import type { CalendarItem, MonthItem } from '../../queries/calendar.ts';
import { localOf } from '../../recurrence.ts';
import { areaName, commitmentCode } from '../../../agreements/index.ts';
import { type Lookups, occurrencePath, organisationName, typeName } from '../parts.tsx';
import { calendarPath, CancelledBadge, colon, ListItem, registrationStatus, shorten, Struck } from './parts.tsx';

type Errors = Partial<Record<string, FieldError>>;

/** 'March 2027' / '2027年3月' for 'YYYY-MM'. */
function monthLabel(ctx: PageContext, month: string): string {
  let f = monthFormats.get(ctx.locale);
  if (!f) {
    f = new Intl.DateTimeFormat(LOCALE_INFO[ctx.locale].intl, { year: 'numeric', month: 'long', timeZone: 'UTC' });
    monthFormats.set(ctx.locale, f);
  }
  return f.format(new Date(`${month}-01T00:00:00Z`));
}
const monthFormats = new Map<string, Intl.DateTimeFormat>();

/** The month before or after 'YYYY-MM'. */
function addMonths(month: string, n: number): string {
  const d = new Date(`${month}-01T00:00:00Z`);
  d.setUTCMonth(d.getUTCMonth() + n);
  return d.toISOString().slice(0, 7);
}

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

function FilterForm({
  ctx,
  lookups,
  organisers,
  values,
  errors,
  mode,
}: {
  ctx: PageContext;
  lookups: Lookups;
  organisers: string[];
  values: FilterValues;
  errors: Errors;
  mode: ListMode | MonthMode;
}) {
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
      <SelectField
        ctx={ctx}
        id="field-type"
        name="type"
        label={t('events.calendar.type')}
        value={values.type ?? ''}
        error={errors.type}
        blank={any}
        options={EVENT_TYPES.map((type) => ({ value: type, label: typeName(ctx, type) }))}
      />
      <SelectField
        ctx={ctx}
        id="field-city"
        name="city"
        label={t('events.calendar.city')}
        value={values.city ?? ''}
        error={errors.city}
        blank={any}
        options={lookups.cities.map((c) => ({ value: c.key, label: ctx.text(c.name) }))}
      />
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

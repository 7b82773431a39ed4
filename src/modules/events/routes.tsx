import { Type as T } from '@sinclair/typebox';
import { renderToString } from 'preact-render-to-string';
import { authorize } from '../../platform/auth/authorize.ts';
import type { PageContext } from '../../platform/html/context.ts';
import { renderPage } from '../../platform/html/layout.tsx';
import { notFound } from '../../platform/http/errors.ts';
import { pageRoute } from '../../platform/http/pages.ts';
import type { App, AppContext } from '../../platform/module.ts';
import { calendarLinks } from './calendar-links.ts';
import { eventCities } from './cities.ts';
import { toCalendarEntry } from './entries.ts';
import { readCalendarFilter } from './feeds.ts';
import { type CalendarFilter, findCalendarItems, findMonthItems, findPublicOrganisers } from './queries/calendar.ts';
import { type EventRecord, findEvent, findOrganisersOf } from './queries/events.ts';
import { findOccurrences } from './queries/occurrences.ts';
import { countRegistrations } from './queries/registrations.ts';
import type { EventsReadModel } from './read-model.ts';
import { localOf } from './recurrence.ts';
import { registrationPanel } from './registration.tsx';
import type { Lookups } from './views/parts.tsx';
import { occurrencePath } from './views/parts.tsx';
import { CalendarBody, CalendarPage, type ListMode, type MonthMode } from './views/public/calendar.tsx';
import { EventPage } from './views/public/event.tsx';
import { OccurrencePage } from './views/public/occurrence.tsx';
import { DateSchema } from '../../platform/http/dates.ts';

/** Dates a page of the list shows. */
const PAGE_SIZE = 20;
/** The list goes this many pages deep at most (further back, narrow the filters). */
const MAX_PAGE = 500;
/** Dates a month shows at most. */
const MONTH_LIMIT = 1000;
/** Pages for anonymous visitors that depend on the time of day (what is over, what is open) are kept this long. */
const TIME_BUCKET_MS = 5 * 60_000;

const Filters = {
  area: T.Optional(T.String({ maxLength: 100 })),
  commitment: T.Optional(T.String({ maxLength: 100 })),
  organiser: T.Optional(T.String({ maxLength: 100 })),
  type: T.Optional(T.String({ maxLength: 100 })),
  city: T.Optional(T.String({ maxLength: 100 })),
};
const CalendarQuery = T.Object({
  ...Filters,
  view: T.Optional(T.String({ maxLength: 20 })),
  month: T.Optional(T.String({ maxLength: 20 })),
  when: T.Optional(T.String({ maxLength: 20 })),
  page: T.Optional(T.String({ maxLength: 20 })),
});
const EventParams = T.Object({ reference: T.String({ pattern: '^ZJHK-V-\\d{4}-\\d{6}$' }) });
const OccurrenceParams = T.Object({ reference: T.String({ pattern: '^ZJHK-V-\\d{4}-\\d{6}$' }), slot: DateSchema });

/** Calendar data kept at once for every visitor (signed in or not): the most recently asked go last out. */
const DATA_KEPT = 500;
/** Rendered calendar bodies kept at once (a month's is some 50 kB). */
const BODIES_KEPT = 200;

/**
 * Values by key, with the read model's stamp in the key: the calendar's data by query, and its
 * rendered bodies by address (what one visitor's page read or rendered serves the next one's,
 * signed in or not). Bounded, the least recently asked going first; a failed load is not kept.
 */
class Recent {
  private readonly entries = new Map<string, Promise<unknown>>();

  constructor(private readonly limit: number) {}

  get<T>(key: string, load: () => Promise<T>): Promise<T> {
    const hit = this.entries.get(key);
    if (hit) {
      this.entries.delete(key);
      this.entries.set(key, hit);
      return hit as Promise<T>;
    }
    const value = load();
    this.entries.set(key, value);
    if (this.entries.size > this.limit) this.entries.delete(this.entries.keys().next().value as string);
    value.catch(() => this.entries.delete(key));
    return value;
  }

  clear(): void {
    this.entries.clear();
  }
}

/** 'YYYY-MM' of a month the calendar can show, or undefined. */
function readMonth(value: string | undefined): string | undefined {
  if (!value || !/^\d{4}-(0[1-9]|1[0-2])$/.test(value)) return undefined;
  const year = Number(value.slice(0, 4));
  return year >= 2000 && year <= 2100 ? value : undefined;
}

/** The public calendar (list and month), an event's page and a date's page. */
export function eventPublicRoutes(app: App, ctx: AppContext, model: EventsReadModel): void {
  const db = ctx.db.kysely;
  const publicUrl = ctx.config.publicUrl.replace(/\/+$/, '');
  const recent = new Recent(DATA_KEPT);
  const bodies = new Recent(BODIES_KEPT);
  ctx.onInvalidate(() => {
    recent.clear();
    bodies.clear();
  });

  const lookups = async (): Promise<Lookups> => {
    const [commitments, areas, organisations] = await Promise.all([model.commitments(), model.areas(), model.organisations()]);
    return { commitments, areas, organisations, cities: eventCities(), timeZone: ctx.config.timeZone };
  };
  /** The organiser filter's choices, read again when events change. */
  const publicOrganisers = () => model.memo('calendar:organisers', () => findPublicOrganisers(db));

  /** A page's address and language under the read model's stamp (and, for pages that change as dates pass, a few minutes' time bucket). */
  const pageKey = (page: PageContext, timely: boolean): string => `${page.locale}|${page.path}|${model.stamp()}|${timely ? Math.floor(ctx.now().getTime() / TIME_BUCKET_MS) : 0}`;

  /** Anonymous visitors get cached pages; signed-in visitors' pages are rendered each time (their layout is theirs). */
  const cached = async (page: PageContext, timely: boolean, render: () => Promise<preact.VNode>): Promise<string | Buffer> => {
    if (page.principal) return renderPage(await render());
    return ctx.pages.load(pageKey(page, timely), async () => renderPage(await render()));
  };

  /** A public event, or one its organisers may see as a draft; otherwise 404. */
  const visibleEvent = async (reference: string, principal: PageContext['principal']): Promise<EventRecord> => {
    const event = await findEvent(db, reference);
    if (!event || (event.status === 'draft' && !authorize(principal, 'event.manage', event))) return notFound('event');
    return event;
  };

  /** What a list page shows besides names: its dates, their organisers and the places held. */
  const listData = (filter: CalendarFilter, when: 'upcoming' | 'past', pageNumber: number, now: Date) =>
    recent.get(`list|${JSON.stringify(filter)}|${when}|${pageNumber}|${model.stamp()}|${Math.floor(now.getTime() / TIME_BUCKET_MS)}`, async () => {
      const rows = await findCalendarItems(db, { filter, range: { kind: when, now }, limit: PAGE_SIZE + 1, offset: (pageNumber - 1) * PAGE_SIZE });
      const items = rows.slice(0, PAGE_SIZE);
      // Places held matter only where registration on the platform is still open.
      const open = when === 'upcoming' ? items.filter((i) => i.registration === 'platform' && i.status === 'scheduled' && i.startsAt > now) : [];
      const [organisers, counts] = await Promise.all([
        findOrganisersOf(db, [...new Set(items.map((i) => i.eventId))]),
        countRegistrations(
          db,
          open.map((i) => i.occurrenceId),
        ),
      ]);
      const held = new Map([...counts].map(([id, c]) => [id, c.confirmed + c.attended]));
      return { items, hasNext: rows.length > PAGE_SIZE, organisers, held };
    });

  /** A month's dates, each on its day in its event's zone. */
  const monthData = (filter: CalendarFilter, month: string) =>
    recent.get(`month|${JSON.stringify(filter)}|${month}|${model.stamp()}`, async () => {
      const [year, m] = month.split('-').map(Number) as [number, number];
      // A day either side: a date is placed on its day in its event's zone, which may be the day before or after in UTC.
      const rows = await findMonthItems(db, { filter, from: new Date(Date.UTC(year, m - 1, 1) - 86_400_000), to: new Date(Date.UTC(year, m, 1) + 86_400_000), limit: MONTH_LIMIT + 1 });
      const items = rows
        .slice(0, MONTH_LIMIT)
        .map((item) => ({ item, local: localOf(item.startsAt, item.timeZone) }))
        .filter((x) => x.local.startsWith(month))
        .map(({ item, local }) => ({ item, day: local.slice(0, 10), time: local.slice(11) }));
      return { items, truncated: rows.length > MONTH_LIMIT ? MONTH_LIMIT : null };
    });

  pageRoute(app, ctx.assets, '/events', { querystring: CalendarQuery }, async (request, _reply, page) => {
    const q = request.query;
    const isMonth = q.view === 'month';
    // The body is the same for every visitor: rendered once, then only each signed-in visitor's layout is.
    const body = () =>
      bodies.get(pageKey(page, !isMonth), async () => {
        const [known, organisers] = await Promise.all([lookups(), publicOrganisers()]);
        const { filter, values, errors } = readCalendarFilter(q, known);
        const valid = Object.keys(errors).length === 0;
        const now = ctx.now();
        const today = ctx.today();
        let mode: ListMode | MonthMode;
        if (isMonth) {
          const month = readMonth(q.month) ?? today.slice(0, 7);
          const data = valid ? await monthData(filter, month) : { items: [], truncated: null };
          mode = { view: 'month', month, ...data, today };
        } else {
          const when = q.when === 'past' ? 'past' : 'upcoming';
          const pageNumber = Math.min(MAX_PAGE, Math.max(1, /^\d{1,4}$/.test(q.page ?? '') ? Number(q.page) : 1));
          const data = valid ? await listData(filter, when, pageNumber, now) : { items: [], hasNext: false, organisers: new Map<number, string[]>(), held: new Map<number, number>() };
          mode = { view: 'list', when, page: pageNumber, ...data, now };
        }
        return renderToString(<CalendarBody ctx={page} lookups={known} organisers={organisers} values={values} errors={errors} mode={mode} publicUrl={publicUrl} thisMonth={today.slice(0, 7)} />);
      });
    return cached(page, !isMonth, async () => <CalendarPage ctx={page} body={await body()} />);
  });

  pageRoute(app, ctx.assets, '/events/:reference', { params: EventParams }, async (request, _reply, page) =>
    cached(page, true, async () => {
      const event = await visibleEvent(request.params.reference, page.principal);
      const [occurrences, known] = await Promise.all([findOccurrences(db, event.id), lookups()]);
      return <EventPage ctx={page} lookups={known} event={event} occurrences={occurrences} canManage={authorize(page.principal, 'event.manage', event)} now={ctx.now()} />;
    }),
  );

  pageRoute(app, ctx.assets, '/events/:reference/:slot', { params: OccurrenceParams }, async (request, _reply, page) =>
    cached(page, true, async () => {
      const event = await visibleEvent(request.params.reference, page.principal);
      const [occurrences, known] = await Promise.all([findOccurrences(db, event.id), lookups()]);
      const occurrence = occurrences.find((o) => o.slot === request.params.slot) ?? notFound('event');
      const now = ctx.now();
      const panel = await registrationPanel({ db, page, event, occurrence, now });
      const path = occurrencePath(event.reference, occurrence.slot);
      const current = occurrence.status === 'scheduled' && occurrence.endsAt > now;
      const links = current ? { ...calendarLinks(toCalendarEntry({ event, occurrence, locale: page.locale, publicUrl, ...known })), ics: page.href(`${path}/event.ics`) } : null;
      return (
        <OccurrencePage
          ctx={page}
          lookups={known}
          event={event}
          occurrence={occurrence}
          dates={occurrences.length}
          panel={panel}
          links={links}
          canManage={authorize(page.principal, 'event.manage', event)}
          now={now}
        />
      );
    }),
  );
}

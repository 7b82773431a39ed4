import { createHash } from 'node:crypto';
import { Type as T } from '@sinclair/typebox';
import type { FastifyReply, FastifyRequest } from 'fastify';
import { authorize } from '../../platform/auth/authorize.ts';
import { EVENT_TYPES, type EventType } from './tables.ts';
import { localeHref } from '../../platform/html/context.ts';
import { HttpError } from '../../platform/http/errors.ts';
import type { FieldError } from '../../platform/http/forms.ts';
import { keepCompressed } from '../../platform/http/precompressed.ts';
import { LOCALE_INFO, LOCALES, type Locale } from '../../platform/i18n/locales.ts';
import { type Translate, translator } from '../../platform/i18n/messages.ts';
import { displayText } from '../../platform/i18n/script.ts';
import type { App, AppContext } from '../../platform/module.ts';
import type { Organisation } from '../organisations/index.ts';
import { eventCities, isCity } from './cities.ts';
import { toCalendarEntry } from './entries.ts';
import { calendarFeed } from './ical.ts';
import { type CalendarFilter, feedFingerprint, findFeedRows } from './queries/calendar.ts';
import { findCommitmentsOf, findEvent, findOrganisersOf } from './queries/events.ts';
import { findOccurrence } from './queries/occurrences.ts';
import type { EventsReadModel } from './read-model.ts';
import { DateSchema } from '../../platform/http/dates.ts';
import { type AreaInfo, commitmentCode, type CommitmentInfo } from '../agreements/index.ts';

/**
 * A feed holds the dates starting from FEED_DAYS.past days ago to FEED_DAYS.ahead days ahead, at most
 * FEED_MAX_DATES of them (those not over yet first, soonest first). A calendar program fetches a feed
 * every hour, and a date takes about 1 kB: the platform's whole calendar would be megabytes (14 MB at
 * 10,000 events), and even 1,000 dates too slow to send to ten readers at once uncompressed.
 */
export const FEED_DAYS = { past: 90, ahead: 365 } as const;
export const FEED_MAX_DATES = 500;
/** Feeds kept built at once (one per language and filter asked for); the least recently asked go first. */
const FEEDS_KEPT = 200;

/** The filters of the calendar page and of the feeds, by their names in addresses. */
export const FILTER_NAMES = ['area', 'commitment', 'organiser', 'type', 'city'] as const;
export type FilterName = (typeof FILTER_NAMES)[number];
export type FilterValues = Partial<Record<FilterName, string>>;

/** What reading a filter checks its values against. */
export interface FilterLookups {
  areas: AreaInfo[];
  commitments: CommitmentInfo[];
  organisations: Map<string, Organisation>;
}

/**
 * The filters given in an address, checked: an area by its number, a commitment by its code ('3-1'),
 * an organiser by its organisation's id, a type, a city. Each unknown value is an error on its field
 * (and narrows nothing).
 */
export function readCalendarFilter(values: FilterValues, lookups: FilterLookups): { filter: CalendarFilter; values: FilterValues; errors: Partial<Record<FilterName, FieldError>> } {
  const filter: CalendarFilter = {};
  const given: FilterValues = {};
  const errors: Partial<Record<FilterName, FieldError>> = {};
  for (const name of FILTER_NAMES) {
    const value = values[name]?.trim();
    if (value) given[name] = value;
  }
  if (given.area !== undefined) {
    const area = /^\d{1,3}$/.test(given.area) ? lookups.areas.find((a) => a.number === Number(given.area)) : undefined;
    if (area) {
      filter.areaNumber = area.number;
      // One way of writing it ('3', not '03'): one address and one cache entry.
      given.area = String(area.number);
    } else errors.area = 'invalid_choice';
  }
  if (given.commitment !== undefined) {
    const commitment = lookups.commitments.find((c) => commitmentCode(c) === given.commitment);
    if (commitment) filter.commitmentId = commitment.id;
    else errors.commitment = 'invalid_choice';
  }
  if (given.organiser !== undefined) {
    if (lookups.organisations.has(given.organiser)) filter.organiser = given.organiser;
    else errors.organiser = 'invalid_choice';
  }
  if (given.type !== undefined) {
    if ((EVENT_TYPES as readonly string[]).includes(given.type)) filter.type = given.type as EventType;
    else errors.type = 'invalid_choice';
  }
  if (given.city !== undefined) {
    if (isCity(given.city)) filter.city = given.city;
    else errors.city = 'invalid_choice';
  }
  return { filter, values: given, errors };
}

/** The filters as a query string, in a fixed order (so one filter has one address and one cache entry). */
export function filterQuery(values: FilterValues): string {
  const params = new URLSearchParams();
  for (const name of FILTER_NAMES) {
    const value = values[name];
    if (value) params.set(name, value);
  }
  const text = params.toString();
  return text ? `?${text}` : '';
}

/** The path of the feed of some filters under a language prefix: '/en/events/calendar.ics?area=3'. */
export const feedPath = (locale: Locale, values: FilterValues): string => `${localeHref(locale, '/events/calendar.ics')}${filterQuery(values)}`;

/** The same address for a calendar program to subscribe to (webcal://…). */
export const webcalUrl = (publicUrl: string, path: string): string => `${publicUrl.replace(/\/+$/, '').replace(/^https?:/, 'webcal:')}${path}`;

/** What a feed is called, in the language: the platform's events, and the filters that narrow it. */
function feedName(t: Translate, locale: Locale, values: FilterValues, lookups: FilterLookups): string {
  const text = (v: Parameters<typeof displayText>[0]) => displayText(v, locale).text;
  const parts: string[] = [];
  if (values.area) {
    const area = lookups.areas.find((a) => a.number === Number(values.area));
    if (area) parts.push(t('events.calendar.feed.area', { name: `${text(area.label)}${locale === 'en' ? ' ' : ''}${text(area.title)}` }));
  }
  if (values.commitment) parts.push(t('events.calendar.feed.commitment', { code: values.commitment }));
  if (values.organiser) {
    const o = lookups.organisations.get(values.organiser);
    parts.push(o ? text(o.name) : values.organiser);
  }
  if (values.type) parts.push(t(`events.type.${values.type as EventType}`));
  if (values.city) {
    const city = eventCities().find((c) => c.key === values.city);
    parts.push(city ? text(city.name) : values.city);
  }
  return parts.length ? t('events.calendar.feed.nameOf', { filter: parts.join(' · ') }) : t('events.calendar.feed.name');
}

/** Why a feed's filters were refused, one line a filter, in the language. */
function filterProblems(t: Translate, values: FilterValues, errors: Partial<Record<FilterName, FieldError>>, lookups: FilterLookups): string[] {
  const lines: string[] = [];
  const value = (name: FilterName) => values[name] ?? '';
  if (errors.area) lines.push(t('events.calendar.feed.badArea', { value: value('area'), allowed: lookups.areas.map((a) => a.number).join(', ') }));
  if (errors.commitment) lines.push(t('events.calendar.feed.badCommitment', { value: value('commitment') }));
  if (errors.organiser) lines.push(t('events.calendar.feed.badOrganiser', { value: value('organiser') }));
  if (errors.type) lines.push(t('events.calendar.feed.badType', { value: value('type'), allowed: EVENT_TYPES.join(', ') }));
  if (errors.city)
    lines.push(
      t('events.calendar.feed.badCity', {
        value: value('city'),
        allowed: eventCities()
          .map((c) => c.key)
          .join(', '),
      }),
    );
  return lines;
}

interface BuiltFeed {
  body: Buffer;
  etag: string;
}

/**
 * Built feeds, each under the version of the data it was built from. A feed asked for under a new
 * version is built once (whoever asks meanwhile waits for the same build). When the version moved on
 * without a change made here (another process wrote, or a new day began), the feed built before is
 * served until the new one is ready; after a change made here the cache is emptied, so the next
 * answer is fresh.
 */
class FeedCache {
  private readonly entries = new Map<string, { version: string; building: Promise<BuiltFeed>; ready?: BuiltFeed; stale?: BuiltFeed }>();

  get(key: string, version: string, build: () => Promise<BuiltFeed>): Promise<BuiltFeed> {
    const hit = this.entries.get(key);
    if (hit) {
      this.entries.delete(key);
      this.entries.set(key, hit);
      if (hit.version === version) return hit.ready ? Promise.resolve(hit.ready) : hit.stale ? Promise.resolve(hit.stale) : hit.building;
    }
    const entry: { version: string; building: Promise<BuiltFeed>; ready?: BuiltFeed; stale?: BuiltFeed } = { version, building: build() };
    const stale = hit?.ready ?? hit?.stale;
    if (stale) entry.stale = stale;
    this.entries.set(key, entry);
    if (this.entries.size > FEEDS_KEPT) this.entries.delete(this.entries.keys().next().value as string);
    entry.building.then(
      (feed) => {
        entry.ready = feed;
        delete entry.stale;
      },
      () => {
        if (this.entries.get(key) === entry) this.entries.delete(key);
      },
    );
    return stale ? Promise.resolve(stale) : entry.building;
  }

  clear(): void {
    this.entries.clear();
  }
}

/** Sends a calendar, or 304 when the client holds this version already. */
function sendCalendar(request: FastifyRequest, reply: FastifyReply, feed: BuiltFeed, options: { filename: string; disposition: 'inline' | 'attachment'; cacheControl: string }): FastifyReply {
  reply.header('etag', feed.etag).header('cache-control', options.cacheControl).header('vary', 'Accept-Encoding');
  const match = request.headers['if-none-match'];
  if (match?.split(',').some((tag) => tag.trim() === feed.etag || tag.trim() === '*')) return reply.code(304).send();
  return reply.header('content-disposition', `${options.disposition}; filename="${options.filename}"`).type('text/calendar; charset=utf-8').send(feed.body);
}

const etagOf = (text: string): string => `"${createHash('sha256').update(text).digest('base64url').slice(0, 27)}"`;

const FeedQuery = T.Object({
  area: T.Optional(T.String({ maxLength: 100 })),
  commitment: T.Optional(T.String({ maxLength: 100 })),
  organiser: T.Optional(T.String({ maxLength: 100 })),
  type: T.Optional(T.String({ maxLength: 100 })),
  city: T.Optional(T.String({ maxLength: 100 })),
});
const OccurrenceParams = T.Object({ reference: T.String({ pattern: '^ZJHK-V-\\d{4}-\\d{6}$' }), slot: DateSchema });

/**
 * iCalendar feeds under each language prefix (so titles are in that language): all events, or those
 * of an area, a commitment, an organiser, a type or a city (and any mix of them), within FEED_DAYS and
 * FEED_MAX_DATES, cancelled dates marked STATUS:CANCELLED; and one date as an .ics file. Public events
 * only; never the online link.
 */
export function eventFeedRoutes(app: App, ctx: AppContext, model: EventsReadModel): void {
  const db = ctx.db.kysely;
  const publicUrl = ctx.config.publicUrl.replace(/\/+$/, '');
  const feeds = new FeedCache();
  ctx.onInvalidate(() => feeds.clear());
  const lookups = async (): Promise<FilterLookups> => {
    const [areas, commitments, organisations] = await Promise.all([model.areas(), model.commitments(), model.organisations()]);
    return { areas, commitments, organisations };
  };

  /**
   * What feeds are built from, as of now: the data's fingerprint (read once per stamp of the read
   * model, so feeds are not built again when the stamp moves on but nothing changed) and the day (the
   * window moves with it).
   */
  const version = async (): Promise<string> => `${await model.memo('calendar:fingerprint', () => feedFingerprint(db))}|${ctx.today()}`;

  const build = async (locale: Locale, values: FilterValues, filter: CalendarFilter, known: FilterLookups, version: string): Promise<BuiltFeed> => {
    const t = translator(locale);
    const now = ctx.now();
    const rows = await findFeedRows(db, {
      filter,
      now,
      from: new Date(now.getTime() - FEED_DAYS.past * 86_400_000),
      to: new Date(now.getTime() + FEED_DAYS.ahead * 86_400_000),
      limit: FEED_MAX_DATES,
    });
    const eventIds = [...new Set(rows.map((r) => r.event.id))];
    const [organisers, commitmentIds] = await Promise.all([findOrganisersOf(db, eventIds), findCommitmentsOf(db, eventIds)]);
    const entries = rows.map((r) =>
      toCalendarEntry({
        event: { ...r.event, organisers: organisers.get(r.event.id) ?? [], commitmentIds: commitmentIds.get(r.event.id) ?? [] },
        occurrence: r.occurrence,
        locale,
        publicUrl,
        ...known,
      }),
    );
    const text = calendarFeed({
      name: feedName(t, locale, values, known),
      description: t('events.calendar.feed.description', { ...FEED_DAYS, max: FEED_MAX_DATES }),
      entries,
      url: `${publicUrl}${localeHref(locale, `/events${filterQuery(values)}`)}`,
    });
    return { body: keepCompressed(Buffer.from(text)), etag: etagOf(`${version}|${locale}|${filterQuery(values)}`) };
  };

  for (const locale of LOCALES) {
    const prefix = LOCALE_INFO[locale].prefix;

    app.get(`/${prefix}/events/calendar.ics`, { config: { access: 'public' }, schema: { hide: true, querystring: FeedQuery } }, async (request, reply) => {
      const known = await lookups();
      const { filter, values, errors } = readCalendarFilter(request.query, known);
      const problems = filterProblems(translator(locale), values, errors, known);
      if (problems.length)
        return reply
          .code(400)
          .header('cache-control', 'no-store')
          .type('text/plain; charset=utf-8')
          .send(`${problems.join('\n')}\n`);
      const current = await version();
      const feed = await feeds.get(`${locale}|${filterQuery(values)}`, current, () => build(locale, values, filter, known, current));
      const suffix = FILTER_NAMES.filter((name) => values[name])
        .map((name) => `-${name}-${values[name]}`)
        .join('');
      // Calendar programs fetch a feed again every hour; a proxy may keep it a few minutes.
      return sendCalendar(request, reply, feed, { filename: `zjhk-events${suffix}.ics`, disposition: 'inline', cacheControl: 'public, max-age=300' });
    });

    app.get(`/${prefix}/events/:reference/:slot/event.ics`, { config: { access: 'public' }, schema: { hide: true, params: OccurrenceParams } }, async (request, reply) => {
      const { reference, slot } = request.params;
      const event = await findEvent(db, reference);
      // Drafts do not exist for the public; their organisers may try them out.
      if (!event || (event.status === 'draft' && !authorize(request.principal, 'event.manage', event))) throw new HttpError(404, 'event_not_found', 'No such event');
      const occurrence = await findOccurrence(db, event.id, slot);
      if (!occurrence) throw new HttpError(404, 'event_not_found', 'No such date of this event');
      const known = await lookups();
      const entry = toCalendarEntry({ event, occurrence, locale, publicUrl, ...known });
      const text = calendarFeed({ name: entry.title, entries: [entry] });
      const body = Buffer.from(text);
      return sendCalendar(request, reply, { body, etag: etagOf(text) }, { filename: `${reference}-${slot}.ics`, disposition: 'attachment', cacheControl: 'no-cache' });
    });
  }
}

import type { EventType, RegistrationState } from '../tables.ts';
import type { PageContext } from '../../../platform/html/context.ts';
import { LOCALE_INFO } from '../../../platform/i18n/locales.ts';
import type { Organisation } from '../../organisations/index.ts';
import { type City, eventCities } from '../cities.ts';
import type { AreaInfo, CommitmentInfo } from '../../agreements/index.ts';

export type Organisations = Map<string, Organisation>;

/** What the events pages look up on every rendering. */
export interface Lookups {
  commitments: CommitmentInfo[];
  areas: AreaInfo[];
  organisations: Organisations;
  cities: City[];
  /** The platform's time zone (for "today"). */
  timeZone: string;
}

export const eventPath = (reference: string) => `/events/${reference}`;
export const occurrencePath = (reference: string, slot: string) => `/events/${reference}/${slot}`;
export const workspaceEventPath = (reference: string) => `/workspace/events/${reference}`;
export const workspaceOccurrencePath = (reference: string, slot: string) => `/workspace/events/${reference}/${slot}`;

export const typeName = (ctx: PageContext, type: EventType): string => ctx.t(`events.type.${type}`);

export function cityName(ctx: Pick<PageContext, 'text'>, key: string): string {
  const city = eventCities().find((c) => c.key === key);
  return city ? ctx.text(city.name) : key;
}

export function organisationName(ctx: PageContext, organisations: Organisations, id: string): string {
  const o = organisations.get(id);
  return o ? ctx.text(o.name) : id;
}

const formats = new Map<string, Intl.DateTimeFormat>();
function format(locale: PageContext['locale'], timeZone: string, options: Intl.DateTimeFormatOptions): Intl.DateTimeFormat {
  const key = `${locale}|${timeZone}|${JSON.stringify(options)}`;
  let f = formats.get(key);
  if (!f) {
    f = new Intl.DateTimeFormat(LOCALE_INFO[locale].intl, { ...options, timeZone });
    formats.set(key, f);
  }
  return f;
}

/** "15 January 2027, 14:30–16:30 (GMT+8)": a time span in the event's zone, as the language writes it. */
export function whenText(ctx: Pick<PageContext, 'locale'>, startsAt: Date, endsAt: Date, timeZone: string): string {
  const f = format(ctx.locale, timeZone, { dateStyle: 'long', timeStyle: 'short', hourCycle: 'h23' });
  const zone = format(ctx.locale, timeZone, { timeZoneName: 'shortOffset' })
    .formatToParts(startsAt)
    .find((p) => p.type === 'timeZoneName')?.value;
  return `${f.formatRange(startsAt, endsAt)}${zone ? ` (${zone})` : ''}`;
}

export function When({ ctx, startsAt, endsAt, timeZone }: { ctx: PageContext; startsAt: Date; endsAt: Date; timeZone: string }) {
  return <time dateTime={startsAt.toISOString()}>{whenText(ctx, startsAt, endsAt, timeZone)}</time>;
}

const BADGE: Record<RegistrationState, string> = {
  pending: 'badge status-in-progress',
  confirmed: 'badge status-completed',
  waitlisted: 'badge status-in-progress',
  cancelled: 'badge status-discontinued',
  attended: 'badge status-completed',
  rejected: 'badge status-discontinued',
};

export function RegistrationBadge({ ctx, state }: { ctx: PageContext; state: RegistrationState }) {
  return <span class={BADGE[state]}>{ctx.t(`events.registration.state.${state}`)}</span>;
}

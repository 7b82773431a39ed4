import { localeHref } from '../../platform/html/context.ts';
import type { Locale, LocalizedText } from '../../platform/i18n/locales.ts';
import { translator } from '../../platform/i18n/messages.ts';
import { displayText } from '../../platform/i18n/script.ts';
import type { Organisation } from '../organisations/index.ts';
import type { CalendarEntry } from './ical.ts';
import type { EventRecord } from './queries/events.ts';
import type { Occurrence } from './queries/occurrences.ts';
import { cityName, occurrencePath } from './views/parts.tsx';
import type { AreaInfo, CommitmentInfo } from '../agreements/index.ts';

/** What an entry needs of an event (an EventRecord has it all; the feeds read only this much). */
export type EntryEvent = Pick<EventRecord, 'reference' | 'type' | 'title' | 'description' | 'city' | 'venue' | 'timeZone' | 'contactEmail' | 'organisers' | 'commitmentIds'>;
/** What an entry needs of an occurrence (never its online link). */
export type EntryOccurrence = Pick<Occurrence, 'slot' | 'startsAt' | 'endsAt' | 'status' | 'note' | 'cancelReason' | 'sequence' | 'updatedAt'> & { own: Pick<Occurrence['own'], 'city' | 'venue'> };

/** Cities that are no place to write into an address. */
const NOT_A_PLACE = new Set(['online', 'elsewhere']);

const textIn = (value: LocalizedText, locale: Locale): string => displayText(value, locale).text.trim();

/**
 * Where an occurrence takes place, as an address line: the venue and the city, in the language. Null
 * for an event held only online. The online link is never part of it: it is for confirmed
 * registrants only.
 */
function locationText(event: Pick<EntryEvent, 'city' | 'venue'>, occurrence: Pick<EntryOccurrence, 'own'>, locale: Locale): string | null {
  const city = occurrence.own.city ?? event.city;
  const venue = textIn(occurrence.own.venue ?? event.venue, locale);
  const cityText = NOT_A_PLACE.has(city) ? '' : cityName({ text: (v) => textIn(v, locale) }, city);
  // A venue that names its city already is not followed by it again.
  const parts = [venue, cityText && !venue.includes(cityText) ? cityText : ''].filter(Boolean);
  return parts.length ? parts.join(locale === 'en' ? ', ' : '，') : null;
}

/**
 * One occurrence as a calendar program reads it, in one language: the title, a plain-text
 * description (the event's, the date's note, a cancellation's reason, the organisers and the page's
 * link), the address (never the online link), the page's URL, and the type and areas as categories.
 * Used by the feeds and by the .ics attached to confirmation emails, so both carry the same UID.
 */
export function toCalendarEntry(options: {
  event: EntryEvent;
  occurrence: EntryOccurrence;
  locale: Locale;
  publicUrl: string;
  organisations: Map<string, Organisation>;
  areas: AreaInfo[];
  commitments: CommitmentInfo[];
}): CalendarEntry {
  const { event, occurrence, locale } = options;
  const t = translator(locale);
  const url = `${options.publicUrl.replace(/\/+$/, '')}${localeHref(locale, occurrencePath(event.reference, occurrence.slot))}`;
  const organisers = event.organisers.map((id) => {
    const o = options.organisations.get(id);
    return o ? textIn(o.name, locale) : id;
  });
  const listSeparator = locale === 'en' ? ', ' : '、';
  const cancelled = occurrence.status === 'cancelled';
  const description = [
    textIn(event.description, locale),
    textIn(occurrence.note, locale),
    cancelled ? t('events.calendar.entry.cancelled', { reason: occurrence.cancelReason ?? '' }) : '',
    organisers.length ? t('events.calendar.entry.organisers', { names: organisers.join(listSeparator) }) : '',
    t('events.calendar.entry.link', { url }),
  ].filter(Boolean);
  // The organiser to write back to: the event's contact, else the first organiser's public address.
  const email = event.contactEmail ?? event.organisers.map((id) => options.organisations.get(id)?.email).find((e) => e) ?? null;
  const areaNames: string[] = [];
  for (const id of event.commitmentIds) {
    const c = options.commitments.find((x) => x.id === id);
    const area = c && options.areas.find((a) => a.agreementId === c.agreementId && a.number === c.areaNumber);
    if (!area) continue;
    const name = `${textIn(area.label, locale)}${locale === 'en' ? ' ' : ''}${textIn(area.title, locale)}`;
    if (!areaNames.includes(name)) areaNames.push(name);
  }
  return {
    uid: `${event.reference}/${occurrence.slot}`,
    title: textIn(event.title, locale),
    description: description.join('\n\n'),
    startsAt: occurrence.startsAt,
    endsAt: occurrence.endsAt,
    timeZone: event.timeZone,
    location: locationText(event, occurrence, locale),
    url,
    status: cancelled ? 'cancelled' : 'scheduled',
    sequence: occurrence.sequence,
    updatedAt: occurrence.updatedAt,
    organiser: organisers.length || email ? { name: organisers.join(listSeparator), email } : null,
    categories: [t(`events.type.${event.type}`), ...areaNames],
  };
}

import ical, { escape as icalEscape, ICalAttendeeRole, ICalAttendeeStatus, ICalCalendarMethod, ICalEventStatus, type ICalCalendar } from 'ical-generator';
import { DateTime, IANAZone } from 'luxon';

/** One occurrence of an event as a calendar program sees it, already in the reader's language. */
export interface CalendarEntry {
  /** Stable unique id of the occurrence, e.g. 'ZJHK-V-2027-000012/2027-03-15' */
  uid: string;
  title: string;
  /** Plain text. */
  description: string;
  startsAt: Date;
  endsAt: Date;
  /** IANA, e.g. 'Asia/Shanghai' or 'Asia/Hong_Kong' */
  timeZone: string;
  /** Address text; null when online only. */
  location: string | null;
  /** Absolute URL of the occurrence's page. */
  url: string;
  status: 'scheduled' | 'cancelled';
  /** RFC 5545 SEQUENCE */
  sequence: number;
  /** DTSTAMP / LAST-MODIFIED */
  updatedAt: Date;
  organiser: { name: string; email: string | null } | null;
  /** E.g. the event type's name and the area's name. */
  categories: string[];
}

/** The product that writes the files (RFC 5545 PRODID, after the leading '-'). */
const PRODUCT_ID = '//ZJHK Cooperation Platform//Events//EN';
/** How often subscribers should fetch a feed again, in seconds. */
const REFRESH_SECONDS = 60 * 60;

/** Control characters may not appear in iCalendar text, even escaped (RFC 5545 §3.3.11); tabs and line breaks stay. */
// biome-ignore lint/suspicious/noControlCharactersInRegex: the control characters are what this removes
const clean = (text: string): string => text.replace(/[\u0000-\u0008\u000B\u000C\u000E-\u001F\u007F]/g, '');

/**
 * ical-generator writes a few values as they are (UID, NAME, X-WR-CALNAME, X-WR-CALDESC): those are
 * escaped here. The URL property is escaped by the library as text, which would put backslashes
 * into a URI, so the characters it escapes are percent-encoded first.
 */
const text = (value: string): string => icalEscape(clean(value), false);
const uri = (value: string): string => value.replace(/[\\;,]/g, (c) => encodeURIComponent(c));

/** An offset in minutes (possibly fractional, for local mean time) as RFC 5545 UTC-OFFSET: ±HHMM[SS]. */
function utcOffset(minutes: number): string {
  const total = Math.round(minutes * 60);
  const abs = Math.abs(total);
  const pad = (n: number) => String(n).padStart(2, '0');
  const seconds = abs % 60;
  return `${total < 0 ? '-' : '+'}${pad(Math.floor(abs / 3600))}${pad(Math.floor(abs / 60) % 60)}${seconds ? pad(seconds) : ''}`;
}

const DAY_SECONDS = 24 * 60 * 60;

/** A change of offset: the instant (Unix seconds) and the offsets in minutes before and after it. */
interface Transition {
  at: number;
  before: number;
  after: number;
}

/** Changes of offset found so far, by zone and year, and VTIMEZONEs written, by zone and years: the tz database does not change while the process runs. */
const transitionCache = new Map<string, Transition[]>();
const vtimezoneCache = new Map<string, string>();

/**
 * The changes of offset of a zone within one of its local years. Offsets change at most a few times a
 * year and never twice within a day: look day by day, then narrow each change to the second.
 */
function transitionsIn(zone: IANAZone, year: number): Transition[] {
  const key = `${zone.name}|${year}`;
  const known = transitionCache.get(key);
  if (known) return known;
  const offsetAt = (seconds: number) => zone.offset(seconds * 1000);
  const start = DateTime.fromObject({ year }, { zone }).toSeconds();
  const end = DateTime.fromObject({ year: year + 1 }, { zone }).toSeconds();
  const found: Transition[] = [];
  for (let lo = start; lo < end; lo += DAY_SECONDS) {
    const before = offsetAt(lo);
    let hi = Math.min(lo + DAY_SECONDS, end);
    if (offsetAt(hi) === before) continue;
    let low = lo;
    while (hi - low > 1) {
      const mid = Math.floor((low + hi) / 2);
      if (offsetAt(mid) === before) low = mid;
      else hi = mid;
    }
    found.push({ at: hi, before, after: offsetAt(hi) });
  }
  transitionCache.set(key, found);
  return found;
}

/**
 * A VTIMEZONE for `zone` that holds through the local years from `from` to `to`: one observance for
 * the offset in force as the first year begins, then one per change of offset, all read from the tz
 * database through luxon. A zone without daylight saving gets a single STANDARD observance.
 */
export function vtimezone(zone: string, from: Date, to: Date): string {
  const tz = IANAZone.create(zone);
  if (!tz.isValid) throw new Error(`Unknown time zone: ${zone}`);
  const observance = ({ at: seconds, before, after }: Transition): string[] => {
    const at = DateTime.fromMillis(seconds * 1000, { zone: tz }).setLocale('en-US');
    const kind = at.isInDST ? 'DAYLIGHT' : 'STANDARD';
    // DTSTART of an observance is the local time of its onset, read in the offset in force before it.
    const onset = DateTime.fromMillis(seconds * 1000 + before * 60_000, { zone: 'utc' }).toFormat("yyyyMMdd'T'HHmmss");
    const name = at.offsetNameShort;
    return [`BEGIN:${kind}`, `DTSTART:${onset}`, `TZOFFSETFROM:${utcOffset(before)}`, `TZOFFSETTO:${utcOffset(after)}`, ...(name ? [`TZNAME:${text(name)}`] : []), `END:${kind}`];
  };
  const first = DateTime.fromJSDate(from, { zone: tz }).year;
  const last = Math.max(first, DateTime.fromJSDate(to, { zone: tz }).year);
  const key = `${zone}|${first}|${last}`;
  const known = vtimezoneCache.get(key);
  if (known) return known;
  const start = DateTime.fromObject({ year: first }, { zone: tz }).toSeconds();
  const lines = ['BEGIN:VTIMEZONE', `TZID:${zone}`, `X-LIC-LOCATION:${zone}`, ...observance({ at: start, before: tz.offset((start - 60) * 1000), after: tz.offset(start * 1000) })];
  for (let year = first; year <= last; year++) for (const t of transitionsIn(tz, year)) lines.push(...observance(t));
  lines.push('END:VTIMEZONE');
  const written = lines.join('\r\n');
  vtimezoneCache.set(key, written);
  return written;
}

/** A calendar whose VTIMEZONEs cover the dates of the entries in each zone. */
function calendar(entries: CalendarEntry[]): ICalCalendar {
  const spans = new Map<string, { from: Date; to: Date }>();
  for (const e of entries) {
    // Not IANAZone.isValidZone, which makes a formatter at each call: luxon keeps one zone object a name.
    if (!IANAZone.create(e.timeZone).isValid) throw new Error(`Unknown time zone: ${e.timeZone}`);
    const span = spans.get(e.timeZone);
    if (!span) spans.set(e.timeZone, { from: e.startsAt, to: e.endsAt });
    else {
      if (e.startsAt < span.from) span.from = e.startsAt;
      if (e.endsAt > span.to) span.to = e.endsAt;
    }
  }
  const cal = ical({ prodId: PRODUCT_ID, method: ICalCalendarMethod.PUBLISH });
  // A nameless calendar zone keeps DTSTAMP and LAST-MODIFIED in UTC; the generator only writes the VTIMEZONEs.
  cal.timezone({
    name: null,
    generator: (zone) => {
      const span = spans.get(zone);
      return span ? vtimezone(zone, span.from, span.to) : null;
    },
  });
  return cal;
}

function addEvent(cal: ICalCalendar, entry: CalendarEntry, attendee?: { name: string; email: string }): void {
  const zone = entry.timeZone;
  const categories = [...new Set(entry.categories.map((c) => clean(c).trim()).filter(Boolean))];
  const description = clean(entry.description);
  const location = entry.location === null ? '' : clean(entry.location).trim();
  cal.createEvent({
    id: text(entry.uid),
    sequence: entry.sequence,
    // Luxon values in the event's zone: ical-generator writes their wall-clock time with TZID.
    start: DateTime.fromJSDate(entry.startsAt, { zone }),
    end: DateTime.fromJSDate(entry.endsAt, { zone }),
    timezone: zone,
    stamp: entry.updatedAt,
    lastModified: entry.updatedAt,
    summary: clean(entry.title),
    description: description || null,
    location: location || null,
    url: uri(entry.url),
    status: entry.status === 'cancelled' ? ICalEventStatus.CANCELLED : ICalEventStatus.CONFIRMED,
    // ORGANIZER needs a calendar address; without an email the organiser is left out.
    organizer: entry.organiser?.email ? { name: clean(entry.organiser.name) || entry.organiser.email, email: entry.organiser.email } : null,
    categories: categories.map((name) => ({ name })),
    ...(attendee ? { attendees: [{ name: clean(attendee.name) || null, email: attendee.email, role: ICalAttendeeRole.REQ, status: ICalAttendeeStatus.ACCEPTED, rsvp: false }] } : {}),
  });
}

/**
 * A feed of occurrences to subscribe to: METHOD:PUBLISH, refreshed hourly. Cancelled occurrences stay
 * in it with STATUS:CANCELLED so subscribed calendars take them off.
 */
export function calendarFeed(options: { name: string; description?: string; entries: CalendarEntry[]; url?: string }): string {
  const cal = calendar(options.entries);
  cal.name(text(options.name));
  if (options.description) cal.description(text(options.description));
  if (options.url) cal.url(options.url);
  cal.ttl(REFRESH_SECONDS);
  for (const entry of options.entries) addEvent(cal, entry);
  return cal.toString();
}

/**
 * One occurrence for a confirmation email, with the registrant as an attendee who has accepted and is
 * asked for no reply. Its UID is the feed's, so a calendar that has both keeps one event.
 */
export function invitation(entry: CalendarEntry, attendee: { name: string; email: string }): string {
  const cal = calendar([entry]);
  addEvent(cal, entry, attendee);
  return cal.toString();
}

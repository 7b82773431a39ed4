import type { CalendarEntry } from './ical.ts';

/** The longest description carried in a link, in characters: the whole URL must stay well under the hosts' limits. */
const MAX_DETAILS = 500;

/**
 * The description, shortened if need be, followed by the occurrence's page (the templates have no URL
 * field) unless the description names it already.
 */
function details(entry: CalendarEntry): string {
  const chars = [...entry.description.trim()];
  const description =
    chars.length > MAX_DETAILS
      ? `${chars
          .slice(0, MAX_DETAILS - 1)
          .join('')
          .trimEnd()}…`
      : chars.join('');
  if (description.includes(entry.url)) return description;
  return description ? `${description}\n\n${entry.url}` : entry.url;
}

/** '2027-03-15T01:30:00Z': the instant in UTC to the second. */
const isoSeconds = (at: Date): string => at.toISOString().replace(/\.\d{3}Z$/, 'Z');
/** '20270315T013000Z': the same in the basic format Google Calendar takes. */
const basic = (at: Date): string => isoSeconds(at).replace(/[-:]/g, '');

/** A query string with every value percent-encoded in UTF-8 but '/', which a query may carry as it is. */
function query(params: Array<[string, string | null]>): string {
  return params
    .filter((p): p is [string, string] => p[1] !== null && p[1] !== '')
    .map(([key, value]) => `${key}=${encodeURIComponent(value).replaceAll('%2F', '/')}`)
    .join('&');
}

function outlook(host: string, entry: CalendarEntry): string {
  const q = query([
    ['path', '/calendar/action/compose'],
    ['rru', 'addevent'],
    ['subject', entry.title],
    ['startdt', isoSeconds(entry.startsAt)],
    ['enddt', isoSeconds(entry.endsAt)],
    ['body', details(entry)],
    ['location', entry.location],
  ]);
  return `https://${host}/calendar/0/deeplink/compose?${q}`;
}

/**
 * Links that open a new event filled in with the occurrence in the calendar service a person uses.
 * Times are UTC instants; Google is also told the event's zone so it shows the event's own clock.
 */
export function calendarLinks(entry: CalendarEntry): { google: string; outlook: string; office365: string } {
  const google = query([
    ['action', 'TEMPLATE'],
    ['text', entry.title],
    ['dates', `${basic(entry.startsAt)}/${basic(entry.endsAt)}`],
    ['details', details(entry)],
    ['location', entry.location],
    ['ctz', entry.timeZone],
  ]);
  return {
    google: `https://calendar.google.com/calendar/render?${google}`,
    outlook: outlook('outlook.live.com', entry),
    office365: outlook('outlook.office.com', entry),
  };
}

import type { Kysely } from 'kysely';
import { type Actor, audit, diff, type RequestInfo } from '../../platform/audit/audit.ts';
import type { Database } from '../../platform/db/schema.ts';
import { Fields, type FieldsOf, type FormResult, hasErrors, localizedFields, localizedValue, Optional, readForm, Text } from '../../platform/http/forms.ts';
import type { LocalizedText } from '../../platform/i18n/locales.ts';
import { isCity } from './cities.ts';
import { occurrenceEntity } from './cancel-occurrence.ts';
import { tellRegistrants } from './occurrence-emails.ts';
import { type MailSettings, promoteFromWaitlist } from './promote-waitlisted.ts';
import type { EventRecord } from './queries/events.ts';
import { effective, lockOccurrence, type Occurrence, type OccurrenceChanges, updateOccurrence } from './queries/occurrences.ts';
import { countHeld } from './queries/registrations.ts';
import { localOf } from './recurrence.ts';
import { type EventErrors, isHttps, readCapacity, readSpan } from './save-event.ts';

/** One date changed on its own: its time (wall-clock in the event's zone) and what it does not share with the event. */
const OCCURRENCE_FORM = Fields({
  startDate: Text(10),
  startTime: Text(5),
  endDate: Optional(Text(10)),
  endTime: Text(5),
  /** Empty: as the event. */
  city: Optional(Text(40)),
  ...localizedFields('venue', 300),
  onlineUrl: Optional(Text(2_000)),
  capacity: Optional(Text(6)),
  ...localizedFields('note', 1_000),
});

export type OccurrenceField = FieldsOf<typeof OCCURRENCE_FORM>;

export function readOccurrenceForm(body: unknown): FormResult<OccurrenceField> {
  return readForm(body, OCCURRENCE_FORM);
}

/** The form's values of an occurrence: its time in the event's zone, and its own values (empty where it follows the event). */
export function occurrenceFormValues(event: EventRecord, o: Occurrence): Record<OccurrenceField, string> {
  const start = localOf(o.startsAt, event.timeZone);
  const end = localOf(o.endsAt, event.timeZone);
  const loc = (prefix: string, text: LocalizedText | null) => ({ [`${prefix}Hant`]: text?.['zh-Hant'] ?? '', [`${prefix}Hans`]: text?.['zh-Hans'] ?? '', [`${prefix}En`]: text?.en ?? '' });
  return {
    startDate: start.slice(0, 10),
    startTime: start.slice(11, 16),
    endDate: end.slice(0, 10),
    endTime: end.slice(11, 16),
    city: o.own.city ?? '',
    ...loc('venue', o.own.venue),
    onlineUrl: o.own.onlineUrl ?? '',
    capacity: o.own.capacity === null ? '' : String(o.own.capacity),
    ...loc('note', o.note),
  } as Record<OccurrenceField, string>;
}

/**
 * The organiser changes one date on its own: its time, city, venue, online link, capacity or note.
 * The date is marked modified (a later change of the series leaves it alone) and its SEQUENCE rises;
 * registrants are emailed, in their language, when its time or place changed; a larger capacity fills
 * places from the waitlist; a capacity below the places already held is refused.
 */
export async function changeOccurrence(options: {
  db: Kysely<Database>;
  event: EventRecord;
  occurrence: Occurrence;
  form: FormResult<OccurrenceField>;
  now: Date;
  mail: MailSettings;
  actor: Actor;
  request?: RequestInfo;
}): Promise<{ ok: true; told: number; promoted: number } | { ok: false; errors: EventErrors }> {
  const { event, now } = options;
  const v = options.form.values;
  const errors: EventErrors = { ...options.form.errors };
  if (v.city && !isCity(v.city)) errors.city = 'invalid_choice';
  if (v.onlineUrl && !isHttps(v.onlineUrl)) errors.onlineUrl = 'invalid_url';
  let capacity: number | null = null;
  if (v.capacity) {
    const c = readCapacity(v.capacity);
    if (typeof c === 'number') capacity = c;
    else errors.capacity = c;
  }
  const span = readSpan(v, event.timeZone);
  if (!span.ok) Object.assign(errors, span.errors);
  if (hasErrors(errors) || !span.ok) return { ok: false, errors };

  const venue = localizedValue(v, 'venue');
  const own = { city: v.city || null, venue: Object.keys(venue).length ? venue : null, onlineUrl: v.onlineUrl || null, capacity };
  const note = localizedValue(v, 'note');

  return options.db.transaction().execute(async (trx) => {
    const current = await lockOccurrence(trx, options.occurrence.id);
    if (!current || current.status === 'cancelled') return { ok: false, errors: { startDate: 'occurrence_cancelled' } } as const;
    const next: Occurrence = { ...current, startsAt: span.startsAt, endsAt: span.endsAt, own, note, modified: true };
    const capacityBefore = effective(event, current).capacity;
    const capacityAfter = effective(event, next).capacity;
    if (event.registration === 'platform' && capacityAfter !== null && (capacityBefore === null || capacityAfter < capacityBefore)) {
      if ((await countHeld(trx, current.id)) > capacityAfter) return { ok: false, errors: { capacity: 'event_capacity_below_held' } } as const;
    }
    const before = { startsAt: current.startsAt.toISOString(), endsAt: current.endsAt.toISOString(), ...current.own, note: current.note };
    const after = { startsAt: next.startsAt.toISOString(), endsAt: next.endsAt.toISOString(), ...own, note };
    const changes = diff(before, after);
    if (Object.keys(changes).length === 0) return { ok: true, told: 0, promoted: 0 } as const;

    const update: OccurrenceChanges = { startsAt: span.startsAt, endsAt: span.endsAt, ...own, note, modified: true, bump: true };
    await updateOccurrence(trx, current.id, update, options.now);
    await audit(trx, { actor: options.actor, action: 'event.occurrence.changed', entity: occurrenceEntity(event, current), changes, request: options.request });

    const place = (o: Occurrence) => JSON.stringify(((e) => [e.city, e.venue, e.onlineUrl])(effective(event, o)));
    const moved = current.startsAt.getTime() !== next.startsAt.getTime() || current.endsAt.getTime() !== next.endsAt.getTime();
    const told = (moved || place(current) !== place(next)) && next.endsAt > now ? await tellRegistrants(trx, { event, occurrence: next, mail: options.mail }) : 0;
    const promoted =
      event.registration === 'platform' && capacityAfter !== null && capacityBefore !== null && capacityAfter > capacityBefore
        ? await promoteFromWaitlist({ trx, event, occurrence: next, now, mail: options.mail })
        : [];
    return { ok: true, told, promoted: promoted.length } as const;
  });
}

import type { Transaction } from 'kysely';
import type { Database } from '../../platform/db/schema.ts';
import { LOCALE_INFO, pick } from '../../platform/i18n/locales.ts';
import { translator } from '../../platform/i18n/messages.ts';
import { type MailMessage, queueMail } from '../../platform/mail/outbox.ts';
import { icsAttachment, registrationPath } from './emails.ts';
import type { MailSettings } from './promote-waitlisted.ts';
import type { EventRecord } from './queries/events.ts';
import { effective, findOccurrenceById, type Occurrence } from './queries/occurrences.ts';
import { findRegistrations, type Registration } from './queries/registrations.ts';
import { cityName, whenText } from './views/parts.tsx';

/** Registrations an organiser's change is told to: those still waiting for, or holding, a place. */
export const TOLD: readonly Registration['state'][] = ['pending', 'confirmed', 'waitlisted'];

type Recipient = Pick<Registration, 'reference' | 'locale' | 'name' | 'email' | 'state'>;

/** The occurrence as a registrant reads it, in their language: title, time in the event's zone, place, their registration's link. */
function facts(event: EventRecord, occurrence: Occurrence, r: Recipient, publicUrl: string) {
  const locale = r.locale;
  const t = translator(locale);
  const e = effective(event, occurrence);
  const venue = pick(e.venue, locale).text;
  const city = cityName({ text: (v) => pick(v, locale).text }, e.city);
  const note = pick(occurrence.note, locale).text;
  return {
    t,
    title: pick(event.title, locale).text,
    when: whenText({ locale }, occurrence.startsAt, occurrence.endsAt, event.timeZone),
    where: [venue, city].filter(Boolean).join(', ') || t('events.email.online'),
    link: `${publicUrl}/${LOCALE_INFO[locale].prefix}${registrationPath(r.reference)}`,
    reference: r.reference,
    note,
  };
}

/** The letter; those who held a place (and so may have the date in their calendar) get the date as it is now, as an .ics file. */
function letter(event: EventRecord, occurrence: Occurrence, r: Recipient, mail: MailSettings, t: ReturnType<typeof translator>, subject: string, body: string): MailMessage {
  const text = `${t('events.email.greeting', { name: r.name })}\n\n${body}\n\n${t('email.signature')}\n`;
  const attachments = r.state === 'confirmed' ? [icsAttachment({ event, occurrence, registration: r, ...mail })] : [];
  return { to: r.email, locale: r.locale, subject, text, ...(attachments.length ? { attachments } : {}) };
}

/** The time or place of an occurrence changed: its new time and place, and the note if there is one. */
function occurrenceChangedEmail(event: EventRecord, occurrence: Occurrence, r: Recipient, mail: MailSettings): MailMessage {
  const f = facts(event, occurrence, r, mail.publicUrl);
  const body = [f.t('events.authoring.email.changed.body', f), f.note ? f.t('events.authoring.email.note', { note: f.note }) : ''].filter(Boolean).join('\n\n');
  return letter(event, occurrence, r, mail, f.t, f.t('events.authoring.email.changed.subject', f), body);
}

/**
 * An occurrence is cancelled and so is the registration for it. `reason` is the organiser's, as they
 * wrote it; null when the date was taken out of the series (the registrant is told so in their language).
 */
export function occurrenceCancelledEmail(event: EventRecord, occurrence: Occurrence, r: Recipient, mail: MailSettings, reason: string | null): MailMessage {
  const f = facts(event, occurrence, r, mail.publicUrl);
  const why = reason ?? f.t('events.authoring.removedReason');
  const cancelled: Occurrence = { ...occurrence, status: 'cancelled', cancelReason: occurrence.cancelReason ?? why };
  return letter(event, cancelled, r, mail, f.t, f.t('events.authoring.email.cancelled.subject', f), f.t('events.authoring.email.cancelled.body', { ...f, reason: why }));
}

/** Emails everyone still registered for an occurrence (pending, confirmed, waitlisted) its new time and place; returns how many. */
export async function tellRegistrants(trx: Transaction<Database>, options: { event: EventRecord; occurrence: Occurrence; mail: MailSettings }): Promise<number> {
  const registrations = await findRegistrations(trx, { occurrenceIds: [options.occurrence.id], states: TOLD });
  // As stored now, with its new SEQUENCE, for the .ics.
  const occurrence = (await findOccurrenceById(trx, options.occurrence.id)) ?? options.occurrence;
  for (const r of registrations) await queueMail(trx, occurrenceChangedEmail(options.event, occurrence, r, options.mail));
  return registrations.length;
}

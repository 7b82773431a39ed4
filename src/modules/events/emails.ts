import QRCode from 'qrcode';
import type { Locale } from '../../platform/i18n/locales.ts';
import { LOCALE_INFO, pick } from '../../platform/i18n/locales.ts';
import { translator } from '../../platform/i18n/messages.ts';
import type { MailAttachment, MailMessage } from '../../platform/mail/outbox.ts';
import type { Organisation } from '../organisations/index.ts';
import { toCalendarEntry } from './entries.ts';
import { invitation } from './ical.ts';
import type { EventRecord } from './queries/events.ts';
import { effective, type Occurrence } from './queries/occurrences.ts';
import type { Registration } from './queries/registrations.ts';
import { cityName, whenText } from './views/parts.tsx';
import type { AreaInfo, CommitmentInfo } from '../agreements/index.ts';

type Translate = ReturnType<typeof translator>;

export const registrationPath = (reference: string) => `/events/registrations/${reference}`;
const link = (publicUrl: string, locale: Locale, path: string) => `${publicUrl}/${LOCALE_INFO[locale].prefix}${path}`;

/** The URL a registration's QR code carries: an organiser's phone opens the check-in page with the code. */
export const checkInUrl = (publicUrl: string, locale: Locale, code: string) => link(publicUrl, locale, `/workspace/events/check-in?code=${code}`);

/** The QR code of a check-in URL as a PNG, for emails (pages show it as SVG). */
const qrPng = (url: string): Promise<Buffer> => QRCode.toBuffer(url, { type: 'png', margin: 2, width: 240, errorCorrectionLevel: 'M' });

/** What every message about a registration needs to know. */
export interface MailContext {
  event: EventRecord;
  occurrence: Occurrence;
  registration: Pick<Registration, 'reference' | 'locale' | 'name' | 'email' | 'checkInCode'>;
  publicUrl: string;
  lookups: { organisations: Map<string, Organisation>; areas: AreaInfo[]; commitments: CommitmentInfo[] };
}

/** Title, time and place of the occurrence, in the registrant's language. */
function facts(t: Translate, c: MailContext): { title: string; when: string; where: string; link: string; reference: string } {
  const locale = c.registration.locale;
  const e = effective(c.event, c.occurrence);
  const venue = pick(e.venue, locale).text;
  const city = cityName({ text: (v) => pick(v, locale).text }, e.city);
  return {
    title: pick(c.event.title, locale).text,
    when: whenText({ locale }, c.occurrence.startsAt, c.occurrence.endsAt, c.event.timeZone),
    where: [venue, city].filter(Boolean).join(', ') || t('events.email.online'),
    link: link(c.publicUrl, locale, registrationPath(c.registration.reference)),
    reference: c.registration.reference,
  };
}

function message(
  c: MailContext,
  subject: (t: Translate, f: ReturnType<typeof facts>) => string,
  body: (t: Translate, f: ReturnType<typeof facts>) => string,
  attachments: MailAttachment[] = [],
): MailMessage {
  const locale = c.registration.locale;
  const t = translator(locale);
  const f = facts(t, c);
  return {
    to: c.registration.email,
    locale,
    subject: subject(t, f),
    text: `${t('events.email.greeting', { name: c.registration.name })}\n\n${body(t, f)}\n\n${t('email.signature')}\n`,
    ...(attachments.length ? { attachments } : {}),
  };
}

/**
 * The occurrence as an .ics file for the registrant's calendar, in their language: the same UID as the
 * feeds, so a calendar that has it updates it (a change carries a higher SEQUENCE, a cancellation
 * STATUS:CANCELLED).
 */
export function icsAttachment(c: Omit<MailContext, 'registration'> & { registration: Pick<Registration, 'locale' | 'name' | 'email'> }): MailAttachment {
  const entry = toCalendarEntry({ event: c.event, occurrence: c.occurrence, locale: c.registration.locale, publicUrl: c.publicUrl, ...c.lookups });
  return { filename: 'event.ics', contentType: 'text/calendar; charset=utf-8; method=PUBLISH', content: invitation(entry, { name: c.registration.name, email: c.registration.email }) };
}

/**
 * A place is the person's (at once, after approval, or from the waitlist): the check-in code and its
 * QR code, the online link if there is one, and the occurrence as an .ics file.
 */
async function placeEmail(c: MailContext, kind: 'confirmed' | 'promoted'): Promise<MailMessage> {
  const locale = c.registration.locale;
  const t = translator(locale);
  const e = effective(c.event, c.occurrence);
  const png = await qrPng(checkInUrl(c.publicUrl, locale, c.registration.checkInCode));
  const mail = message(
    c,
    (tt, f) => tt(`events.email.${kind}.subject`, f),
    (tt, f) =>
      [tt(`events.email.${kind}.body`, f), tt('events.email.code', { code: c.registration.checkInCode }), e.onlineUrl ? tt('events.email.onlineLink', { url: e.onlineUrl }) : '']
        .filter(Boolean)
        .join('\n\n'),
    [icsAttachment(c), { filename: 'check-in.png', contentType: 'image/png', content: png, cid: 'check-in-qr' }],
  );
  const html = `<p>${escapeHtml(mail.text).replaceAll('\n\n', '</p><p>').replaceAll('\n', '<br>')}</p><p><img src="cid:check-in-qr" width="240" height="240" alt="${escapeHtml(t('events.email.qrAlt', { code: c.registration.checkInCode }))}"></p>`;
  return { ...mail, html };
}

const escapeHtml = (s: string) => s.replaceAll('&', '&amp;').replaceAll('<', '&lt;').replaceAll('>', '&gt;').replaceAll('"', '&quot;');

export const confirmedEmail = (c: MailContext) => placeEmail(c, 'confirmed');
export const promotedEmail = (c: MailContext) => placeEmail(c, 'promoted');

export const waitlistedEmail = (c: MailContext, position: number) =>
  message(
    c,
    (t, f) => t('events.email.waitlisted.subject', f),
    (t, f) => t('events.email.waitlisted.body', { ...f, position }),
  );

export const pendingEmail = (c: MailContext) =>
  message(
    c,
    (t, f) => t('events.email.pending.subject', f),
    (t, f) => t('events.email.pending.body', f),
  );

export const rejectedEmail = (c: MailContext, reason: string) =>
  message(
    c,
    (t, f) => t('events.email.rejected.subject', f),
    (t, f) => t('events.email.rejected.body', { ...f, reason }),
  );

export const cancelledEmail = (c: MailContext) =>
  message(
    c,
    (t, f) => t('events.email.cancelled.subject', f),
    (t, f) => t('events.email.cancelled.body', f),
  );

/** The day before: time, place, code, and the online link for those who join online. */
export function reminderEmail(c: MailContext): MailMessage {
  const e = effective(c.event, c.occurrence);
  return message(
    c,
    (t, f) => t('events.email.reminder.subject', f),
    (t, f) =>
      [t('events.email.reminder.body', f), t('events.email.code', { code: c.registration.checkInCode }), e.onlineUrl ? t('events.email.onlineLink', { url: e.onlineUrl }) : '']
        .filter(Boolean)
        .join('\n\n'),
  );
}

import { LOCALE_INFO, type Locale, type LocalizedText, pick } from '../../platform/i18n/locales.ts';
import { translator } from '../../platform/i18n/messages.ts';
import type { MailMessage } from '../../platform/mail/outbox.ts';
import type { EnquiryOutcome, EnquiryType } from './tables.ts';

const link = (publicUrl: string, locale: Locale, path: string) => `${publicUrl}/${LOCALE_INFO[locale].prefix}${path}`;
const trackLink = (publicUrl: string, locale: Locale, reference: string) => link(publicUrl, locale, `/track?reference=${encodeURIComponent(reference)}`);
const dateFormats = new Map(Object.entries(LOCALE_INFO).map(([locale, info]) => [locale, new Intl.DateTimeFormat(info.intl, { dateStyle: 'long', timeZone: 'UTC' })]));
/** 'YYYY-MM-DD' as the language writes a date. */
const dateIn = (locale: Locale, date: string): string => (dateFormats.get(locale) as Intl.DateTimeFormat).format(new Date(`${date}T00:00:00Z`));

function mail(to: string, locale: Locale, subject: string, paragraphs: (string | false | undefined)[]): MailMessage {
  const t = translator(locale);
  return { to, locale, subject, text: `${[...paragraphs, t('email.signature')].filter(Boolean).join('\n\n')}\n` };
}

/** The person who sent a case, as emails address them. */
export interface Citizen {
  reference: string;
  locale: Locale;
  name: string;
  email: string;
}

/** At once on receipt: the reference, who handles it, the time limit and how to follow it. */
export function receivedEmail(o: { citizen: Citizen; type: EnquiryType; agency: LocalizedText; timeLimit: number; dueOn: string; publicUrl: string }): MailMessage {
  const { citizen: c } = o;
  const t = translator(c.locale);
  return mail(c.email, c.locale, t('enq.email.received.subject', { reference: c.reference }), [
    t('enq.email.greeting', { name: c.name }),
    t('enq.email.received.body', { reference: c.reference, type: t(`enq.type.${o.type}`), agency: pick(o.agency, c.locale).text, days: o.timeLimit, due: dateIn(c.locale, o.dueOn) }),
    t('enq.email.track', { link: trackLink(o.publicUrl, c.locale, c.reference), reference: c.reference }),
  ]);
}

export type CitizenNotice =
  | { kind: 'reply' | 'info-requested'; agency: LocalizedText; text: string }
  | { kind: 'transferred'; agency: LocalizedText; dueOn: string }
  | { kind: 'sent-to-coordinators' }
  | { kind: 'extended'; days: number; dueOn: string; reason: string }
  | { kind: 'closed'; outcome: EnquiryOutcome; text: string };

/** What happened on a case that the citizen must know, in their language, with the way back to it. */
export function citizenNoticeEmail(o: { citizen: Citizen; notice: CitizenNotice; publicUrl: string }): MailMessage {
  const { citizen: c, notice: n } = o;
  const t = translator(c.locale);
  const reference = c.reference;
  const track = t('enq.email.track', { link: trackLink(o.publicUrl, c.locale, reference), reference });
  const agency = 'agency' in n ? pick(n.agency, c.locale).text : '';
  switch (n.kind) {
    case 'reply':
      return mail(c.email, c.locale, t('enq.email.reply.subject', { reference }), [t('enq.email.greeting', { name: c.name }), t('enq.email.reply.body', { reference, agency }), n.text, track]);
    case 'info-requested':
      return mail(c.email, c.locale, t('enq.email.infoRequested.subject', { reference }), [
        t('enq.email.greeting', { name: c.name }),
        t('enq.email.infoRequested.body', { reference, agency }),
        n.text,
        t('enq.email.infoRequested.how'),
        track,
      ]);
    case 'transferred':
      return mail(c.email, c.locale, t('enq.email.transferred.subject', { reference }), [
        t('enq.email.greeting', { name: c.name }),
        t('enq.email.transferred.body', { reference, agency, due: dateIn(c.locale, n.dueOn) }),
        track,
      ]);
    case 'sent-to-coordinators':
      return mail(c.email, c.locale, t('enq.email.transferred.subject', { reference }), [t('enq.email.greeting', { name: c.name }), t('enq.email.withCoordinators.body', { reference }), track]);
    case 'extended':
      return mail(c.email, c.locale, t('enq.email.extended.subject', { reference }), [
        t('enq.email.greeting', { name: c.name }),
        t('enq.email.extended.body', { reference, days: n.days, due: dateIn(c.locale, n.dueOn) }),
        n.reason,
        track,
      ]);
    case 'closed':
      return mail(c.email, c.locale, t('enq.email.closed.subject', { reference }), [
        t('enq.email.greeting', { name: c.name }),
        t('enq.email.closed.body', { reference, outcome: t(`enq.outcome.${n.outcome}`) }),
        n.text,
        t('enq.email.closed.rate', { link: trackLink(o.publicUrl, c.locale, reference) }),
      ]);
  }
}

/** The one-time code for /track. */
export function trackCodeEmail(o: { to: string; locale: Locale; reference: string; code: string; minutes: number }): MailMessage {
  const t = translator(o.locale);
  return mail(o.to, o.locale, t('enq.email.code.subject', { reference: o.reference }), [t('enq.email.code.body', { reference: o.reference, code: o.code, minutes: o.minutes })]);
}

/** A staff member, as emails address them. */
export interface StaffMember {
  email: string;
  name: string;
  locale: Locale;
}

export type StaffNotice = 'new' | 'transferred-in' | 'citizen-reply' | 'with-coordinators';

/** Tells the handling agency's officers (or the coordinators) that a case needs them; no personal data. */
export function staffNoticeEmail(o: { to: StaffMember; kind: StaffNotice; reference: string; topic: LocalizedText; dueOn: string; enquiryId: number; publicUrl: string }): MailMessage {
  const t = translator(o.to.locale);
  const params = { reference: o.reference, topic: pick(o.topic, o.to.locale).text, due: dateIn(o.to.locale, o.dueOn) };
  return mail(o.to.email, o.to.locale, t(`enq.email.staff.${o.kind}.subject`, { reference: o.reference }), [
    t('enq.email.greeting', { name: o.to.name }),
    t(`enq.email.staff.${o.kind}.body`, params),
    link(o.publicUrl, o.to.locale, `/workspace/enquiries/${o.enquiryId}`),
  ]);
}

export interface CaseLine {
  reference: string;
  dueOn: string;
  topic: LocalizedText;
}

function lines(locale: Locale, list: CaseLine[]): string {
  return list.map((l) => `- ${l.reference} · ${pick(l.topic, locale).text} · ${dateIn(locale, l.dueOn)}`).join('\n');
}

/** The daily list of an officer's cases due soon and overdue. */
export function dueDigestEmail(o: { to: StaffMember; dueSoon: CaseLine[]; overdue: CaseLine[]; publicUrl: string }): MailMessage {
  const t = translator(o.to.locale);
  return mail(o.to.email, o.to.locale, t('enq.email.digest.subject', { count: o.dueSoon.length + o.overdue.length }), [
    t('enq.email.greeting', { name: o.to.name }),
    o.overdue.length > 0 && `${t('enq.email.digest.overdue')}\n${lines(o.to.locale, o.overdue)}`,
    o.dueSoon.length > 0 && `${t('enq.email.digest.dueSoon')}\n${lines(o.to.locale, o.dueSoon)}`,
    t('enq.email.digest.link', { link: link(o.publicUrl, o.to.locale, '/workspace/enquiries') }),
  ]);
}

/** Tells a coordinator which of their side's cases have just become overdue (督辦). */
export function escalationEmail(o: { to: StaffMember; cases: (CaseLine & { agency: LocalizedText })[]; publicUrl: string }): MailMessage {
  const t = translator(o.to.locale);
  const list = o.cases.map((c) => `- ${c.reference} · ${pick(c.agency, o.to.locale).text} · ${pick(c.topic, o.to.locale).text} · ${dateIn(o.to.locale, c.dueOn)}`).join('\n');
  return mail(o.to.email, o.to.locale, t('enq.email.escalation.subject', { count: o.cases.length }), [
    t('enq.email.greeting', { name: o.to.name }),
    t('enq.email.escalation.body'),
    list,
    t('enq.email.digest.link', { link: link(o.publicUrl, o.to.locale, '/workspace/enquiries?overdue=1') }),
  ]);
}

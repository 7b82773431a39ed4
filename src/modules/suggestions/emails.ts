import { LOCALE_INFO, type Locale, type LocalizedText, pick } from '../../platform/i18n/locales.ts';
import { translator } from '../../platform/i18n/messages.ts';
import type { MailMessage } from '../../platform/mail/outbox.ts';
import type { Suggestion } from './queries.ts';

const link = (publicUrl: string, locale: Locale, path: string) => `${publicUrl}/${LOCALE_INFO[locale].prefix}${path}`;
const publicPath = (reference: string) => `/suggestions/${reference}`;
const workspacePath = (reference: string) => `/workspace/suggestions/${reference}`;

/** Who a message goes to, in their language. */
export interface Recipient {
  to: string;
  name: string | null;
  locale: Locale;
}

/** The person who sent a suggestion, while their details are kept and if they gave an address. */
export function submitterOf(s: Pick<Suggestion, 'submitterEmail' | 'submitterName' | 'language' | 'purgedAt'>): Recipient | undefined {
  return s.submitterEmail && !s.purgedAt ? { to: s.submitterEmail, name: s.submitterName, locale: s.language } : undefined;
}

type Translate = ReturnType<typeof translator>;

/** One message: greeting, paragraphs, signature, in the recipient's language. */
function message(r: Recipient, subject: (t: Translate) => string, body: (t: Translate) => string): MailMessage {
  const t = translator(r.locale);
  return { to: r.to, locale: r.locale, subject: subject(t), text: `${t('suggestions.email.greeting', { name: r.name ?? '' })}\n\n${body(t)}\n\n${t('email.signature')}\n` };
}

/** Sent at once on receipt: the reference number, and what happens next. */
export function receivedEmail(r: Recipient, s: { reference: string; title: string }): MailMessage {
  return message(
    r,
    (t) => t('suggestions.email.received.subject', { reference: s.reference }),
    (t) => t('suggestions.email.received.body', s),
  );
}

/** The suggestion is public (without personal data); the agency named will respond. */
export function publishedEmail(r: Recipient, s: { reference: string; agency: LocalizedText; publicUrl: string }): MailMessage {
  return message(
    r,
    (t) => t('suggestions.email.published.subject', { reference: s.reference }),
    (t) => t('suggestions.email.published.body', { reference: s.reference, agency: pick(s.agency, r.locale).text, link: link(s.publicUrl, r.locale, publicPath(s.reference)) }),
  );
}

/**
 * A duplicate was merged into a published suggestion: the submitter is counted with it, and will hear
 * of its response (or finds it at the link, if it has one already).
 */
export function mergedEmail(r: Recipient, s: { reference: string; target: string; targetResponded: boolean; publicUrl: string }): MailMessage {
  const params = { reference: s.reference, target: s.target, link: link(s.publicUrl, r.locale, publicPath(s.target)) };
  return message(
    r,
    (t) => t('suggestions.email.merged.subject', { reference: s.reference }),
    (t) => (s.targetResponded ? t('suggestions.email.mergedResponded.body', params) : t('suggestions.email.merged.body', params)),
  );
}

export function rejectedEmail(r: Recipient, s: { reference: string; reason: string }): MailMessage {
  return message(
    r,
    (t) => t('suggestions.email.rejected.subject', { reference: s.reference }),
    (t) => t('suggestions.email.rejected.body', s),
  );
}

/**
 * The official response, to the submitter and to those whose suggestions were merged into it; the
 * response in the recipient's language where it was given in it.
 */
export function respondedEmail(r: Recipient, s: { reference: string; own: string; agency: LocalizedText; response: LocalizedText; publicUrl: string }): MailMessage {
  const params = { reference: s.reference, own: s.own, agency: pick(s.agency, r.locale).text, response: pick(s.response, r.locale).text, link: link(s.publicUrl, r.locale, publicPath(s.reference)) };
  return message(
    r,
    (t) => t('suggestions.email.responded.subject', { reference: s.own }),
    (t) => (s.own === s.reference ? t('suggestions.email.responded.body', params) : t('suggestions.email.respondedMerged.body', params)),
  );
}

/** Tells an officer that a suggestion awaits their agency's response. */
export function assignedEmail(r: Recipient, s: { reference: string; title: string; publicUrl: string }): MailMessage {
  return message(
    r,
    (t) => t('suggestions.email.assigned.subject', { reference: s.reference }),
    (t) => t('suggestions.email.assigned.body', { reference: s.reference, title: s.title, link: link(s.publicUrl, r.locale, workspacePath(s.reference)) }),
  );
}

import { LOCALE_INFO, type Locale } from '../../platform/i18n/locales.ts';
import { translator } from '../../platform/i18n/messages.ts';
import type { MailMessage } from '../../platform/mail/outbox.ts';

/** A link into the platform, in the recipient's language. */
export function platformLink(publicUrl: string, locale: Locale, path: string, query: Record<string, string>): string {
  return `${publicUrl}/${LOCALE_INFO[locale].prefix}${path}?${new URLSearchParams(query).toString()}`;
}

export function verificationEmail(options: { to: string; name: string; locale: Locale; link: string }): MailMessage {
  const t = translator(options.locale);
  return {
    to: options.to,
    locale: options.locale,
    subject: t('email.verify.subject'),
    text: `${t('email.verify.body', { name: options.name, link: options.link })}\n\n${t('email.signature')}\n`,
  };
}

export function resetEmail(options: { to: string; name: string; locale: Locale; link: string }): MailMessage {
  const t = translator(options.locale);
  return {
    to: options.to,
    locale: options.locale,
    subject: t('email.reset.subject'),
    text: `${t('email.reset.body', { name: options.name, link: options.link })}\n\n${t('email.signature')}\n`,
  };
}

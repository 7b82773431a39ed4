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

/** To the owner of an address someone tried to register again: they have an account already. */
export function alreadyRegisteredEmail(options: { to: string; name: string; locale: Locale; publicUrl: string }): MailMessage {
  const t = translator(options.locale);
  const prefix = `${options.publicUrl}/${LOCALE_INFO[options.locale].prefix}`;
  return {
    to: options.to,
    locale: options.locale,
    subject: t('email.registered.subject'),
    text: `${t('email.registered.body', { name: options.name, loginLink: `${prefix}/login`, resetLink: `${prefix}/forgot-password` })}\n\n${t('email.signature')}\n`,
  };
}

/** To an address with no account that someone asked a password reset for. */
export function resetNoAccountEmail(options: { to: string; locale: Locale; publicUrl: string }): MailMessage {
  const t = translator(options.locale);
  return {
    to: options.to,
    locale: options.locale,
    subject: t('email.resetNoAccount.subject'),
    text: `${t('email.resetNoAccount.body', { registerLink: `${options.publicUrl}/${LOCALE_INFO[options.locale].prefix}/register` })}\n\n${t('email.signature')}\n`,
  };
}

import { LOCALE_INFO, type Locale } from '../../platform/i18n/locales.ts';
import { translator } from '../../platform/i18n/messages.ts';
import type { MailMessage } from '../../platform/mail/outbox.ts';
import type { ProgressUpdate } from './queries/updates.ts';

const link = (publicUrl: string, locale: Locale, path: string) => `${publicUrl}/${LOCALE_INFO[locale].prefix}${path}`;

/** Tells the author of a progress update that a coordinator approved it or returned it (and why). */
export function updateDecisionEmail(options: { to: string; name: string; locale: Locale; update: ProgressUpdate; approved: boolean; reason: string; publicUrl: string }): MailMessage {
  const t = translator(options.locale);
  const url = link(options.publicUrl, options.locale, `/workspace/updates/${options.update.id}`);
  const params = { name: options.name, reference: options.update.reference, link: url };
  return {
    to: options.to,
    locale: options.locale,
    subject: options.approved ? t('email.updateApproved.subject', { reference: options.update.reference }) : t('email.updateReturned.subject', { reference: options.update.reference }),
    text: `${options.approved ? t('email.updateApproved.body', params) : t('email.updateReturned.body', { ...params, reason: options.reason })}\n\n${t('email.signature')}\n`,
  };
}

export interface DigestLine {
  dueOn: string;
  title: string;
  actionTitle: string;
  overdue: boolean;
}

/** The daily list of an officer's milestones due within 14 days and overdue. */
export function milestoneDigestEmail(options: { to: string; name: string; locale: Locale; lines: DigestLine[]; publicUrl: string }): MailMessage {
  const t = translator(options.locale);
  const date = new Intl.DateTimeFormat(LOCALE_INFO[options.locale].intl, { dateStyle: 'long', timeZone: 'UTC' });
  const section = (overdue: boolean) =>
    options.lines
      .filter((l) => l.overdue === overdue)
      .map((l) => `- ${date.format(new Date(`${l.dueOn}T00:00:00Z`))}: ${l.title} (${l.actionTitle})`)
      .join('\n');
  const overdue = section(true);
  const due = section(false);
  return {
    to: options.to,
    locale: options.locale,
    subject: t('email.digest.subject', { count: options.lines.length }),
    text: [
      t('email.digest.greeting', { name: options.name }),
      overdue && `${t('email.digest.overdue')}\n${overdue}`,
      due && `${t('email.digest.due')}\n${due}`,
      t('email.digest.link', { link: link(options.publicUrl, options.locale, '/workspace') }),
      t('email.signature'),
    ]
      .filter(Boolean)
      .join('\n\n')
      .concat('\n'),
  };
}

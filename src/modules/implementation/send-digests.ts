import type { Kysely } from 'kysely';
import type { Database } from '../../platform/db/schema.ts';
import { pick } from '../../platform/i18n/locales.ts';
import { queueMail } from '../../platform/mail/outbox.ts';
import { milestoneDigestEmail } from './emails.ts';
import { addDays } from './progress.ts';
import { claimDigest, findDigestRecipients, findOpenMilestonesFor } from './queries/digests.ts';

export const SEND_DIGESTS = 'implementation.digests';

/**
 * Emails each officer and coordinator the milestones of their agencies' actions due within 14 days
 * and those overdue, in their language. At most one digest a person a day, however often it runs;
 * nobody with nothing due gets one.
 */
export async function sendMilestoneDigests(options: { db: Kysely<Database>; today: string; publicUrl: string }): Promise<{ sent: number }> {
  let sent = 0;
  for (const recipient of await findDigestRecipients(options.db)) {
    const milestones = await findOpenMilestonesFor(options.db, recipient.organisationIds, addDays(options.today, 14));
    if (milestones.length === 0) continue;
    const lines = milestones.map((m) => ({
      dueOn: m.dueOn,
      title: pick(m.title, recipient.locale).text,
      actionTitle: pick(m.actionTitle, recipient.locale).text,
      overdue: m.dueOn < options.today,
    }));
    const queued = await options.db.transaction().execute(async (trx) => {
      if (!(await claimDigest(trx, recipient.userId, options.today))) return false;
      await queueMail(trx, milestoneDigestEmail({ to: recipient.email, name: recipient.displayName, locale: recipient.locale, lines, publicUrl: options.publicUrl }));
      return true;
    });
    if (queued) sent += 1;
  }
  return { sent };
}

import type { Kysely } from 'kysely';
import { audit, SYSTEM } from '../../platform/audit/audit.ts';
import type { Database } from '../../platform/db/schema.ts';
import { clearMailAbout } from '../../platform/mail/purge-mail.ts';
import { event } from './case-change.ts';
import { findPurgeable, purgeCase } from './queries/cases.ts';
import { findSettings } from './queries/settings.ts';
import { insertEvent } from './queries/timeline.ts';

export const PURGE_ENQUIRIES = 'enquiries.purge';

/** The moment a number of months before another, by the calendar (31 March less one month is 28 or 29 February). */
export function monthsBefore(now: Date, months: number): Date {
  const d = new Date(now.getTime());
  const day = d.getUTCDate();
  d.setUTCDate(1);
  d.setUTCMonth(d.getUTCMonth() - months);
  const last = new Date(Date.UTC(d.getUTCFullYear(), d.getUTCMonth() + 1, 0)).getUTCDate();
  d.setUTCDate(Math.min(day, last));
  return d;
}

/**
 * Removes the personal data of cases closed longer ago than the purge period (default two years):
 * names, addresses, texts, files, comments and the mail about the case go; type, topic, agency, dates, working days, outcome
 * and rating stay, so the statistics do not change. Each purge is in the audit trail. Works in
 * batches, each case in its own transaction.
 */
export async function purgeEnquiries(options: { db: Kysely<Database>; now: Date; batch?: number }): Promise<{ purged: number }> {
  const { db, now } = options;
  const settings = await findSettings(db);
  const before = monthsBefore(now, settings.purgeMonths);
  let purged = 0;
  for (;;) {
    const cases = await findPurgeable(db, before, options.batch ?? 200);
    if (cases.length === 0) return { purged };
    for (const c of cases) {
      await db.transaction().execute(async (trx) => {
        const files = await purgeCase(trx, c.id, now);
        // The mail about the case (acknowledgement, replies, tracking codes) goes with it.
        await clearMailAbout(trx, { type: 'enquiry', id: c.reference }, now);
        await insertEvent(trx, c.id, event('purged', { actor: 'system', userId: null, organisationId: null }, { visible_to_citizen: false }));
        await audit(trx, {
          actor: SYSTEM,
          action: 'enquiry.purged',
          entity: { type: 'enquiry', id: c.reference },
          changes: { personalData: { before: 'kept', after: 'removed' }, files: { before: files.length, after: 0 } },
        });
      });
      purged++;
    }
  }
}

import type { Kysely } from 'kysely';
import { type Actor, audit } from '../../platform/audit/audit.ts';
import type { Database } from '../../platform/db/schema.ts';
import { clearMailAbout } from '../../platform/mail/purge-mail.ts';
import { purgePersonalData, readSettings } from './queries.ts';

/** The recurring job that removes the personal data of long-closed suggestions. */
export const PURGE_SUGGESTIONS = 'suggestions.purge';

/** The moment `months` calendar months before `now` (the last day of a shorter month if need be). */
export function monthsBefore(now: Date, months: number): Date {
  const target = new Date(Date.UTC(now.getUTCFullYear(), now.getUTCMonth() - months, 1, now.getUTCHours(), now.getUTCMinutes(), now.getUTCSeconds(), now.getUTCMilliseconds()));
  const lastDay = new Date(Date.UTC(target.getUTCFullYear(), target.getUTCMonth() + 1, 0)).getUTCDate();
  target.setUTCDate(Math.min(now.getUTCDate(), lastDay));
  return target;
}

/**
 * Removes the personal data of suggestions closed (responded, rejected or merged) longer ago than the
 * purge period, a batch per transaction, each removal audited. Safe to repeat: a purged suggestion is
 * not purged again.
 */
export async function purgeSuggestions(options: { db: Kysely<Database>; now: Date; actor: Actor; batch?: number }): Promise<{ purged: number; closedBefore: Date }> {
  const { purgeAfterMonths } = await readSettings(options.db);
  const closedBefore = monthsBefore(options.now, purgeAfterMonths);
  let purged = 0;
  for (;;) {
    const count = await options.db.transaction().execute(async (trx) => {
      const rows = await purgePersonalData(trx, closedBefore, options.now, options.batch ?? 200);
      for (const row of rows) {
        // The mail about the suggestion goes with it.
        await clearMailAbout(trx, { type: 'suggestion', id: row.reference }, options.now);
        await audit(trx, {
          actor: options.actor,
          action: 'suggestion.purged',
          entity: { type: 'suggestion', id: row.reference },
          changes: { personalData: { before: 'kept', after: 'removed' } },
        });
      }
      return rows.length;
    });
    purged += count;
    if (count === 0) return { purged, closedBefore };
  }
}

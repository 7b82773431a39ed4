import type { Kysely } from 'kysely';
import { type Actor, audit, type RequestInfo } from '../../platform/audit/audit.ts';
import type { Database, Side } from '../../platform/db/schema.ts';
import { confirmActual as confirm } from './queries/indicators.ts';

/** The other side's coordinator confirms a figure one side recorded for a joint indicator. */
export async function confirmActual(options: { db: Kysely<Database>; periodId: number; side: Side; userId: string; now: Date; actor: Actor; request: RequestInfo }): Promise<boolean> {
  return options.db.transaction().execute(async (trx) => {
    if (!(await confirm(trx, options.periodId, options.side, options.userId, options.now))) return false;
    await audit(trx, {
      actor: options.actor,
      action: 'actual.confirmed',
      entity: { type: 'indicator-period', id: `${options.periodId}:${options.side}` },
      changes: { confirmed: { before: false, after: true } },
      request: options.request,
    });
    return true;
  });
}

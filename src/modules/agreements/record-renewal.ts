import type { Kysely } from 'kysely';
import { type Actor, audit, diff, type RequestInfo } from '../../platform/audit/audit.ts';
import type { Database } from '../../platform/db/schema.ts';
import { HttpError } from '../../platform/http/errors.ts';
import { agreementExists, findRenewal, type RenewalStatus, saveRenewal } from './queries.ts';

export const RENEWAL_STATUSES = ['negotiating', 'renewed', 'lapsed'] as const;

/**
 * Records what the custodians say about renewal: under negotiation, renewed by another agreement, or
 * lapsed; or clears the record. The lifecycle phase (in force, expiring, expired) is never recorded:
 * it is computed from the term.
 */
export async function recordRenewal(options: {
  db: Kysely<Database>;
  agreementId: string;
  status: RenewalStatus | 'none';
  renewedById?: string | undefined;
  note?: string | undefined;
  actor: Actor;
  /** Who is recorded as having said so, in the renewal's own history (not in the audit trail); the actor by default. */
  recordedBy?: string | undefined;
  request?: RequestInfo;
  now: Date;
}): Promise<void> {
  const { db, agreementId, status } = options;
  const renewedById = options.renewedById?.trim() || null;
  if (status === 'renewed' && !renewedById) throw new HttpError(400, 'renewed_by_required', 'A renewal needs the id of the agreement that renews this one');
  if (status !== 'renewed' && renewedById) throw new HttpError(400, 'renewed_by_unexpected', 'Only a renewal names a renewing agreement');
  if (renewedById === agreementId) throw new HttpError(400, 'renewed_by_self', 'An agreement cannot renew itself');
  await db.transaction().execute(async (trx) => {
    if (!(await agreementExists(trx, agreementId))) throw new HttpError(404, 'agreement_not_found', `No agreement ${agreementId}`);
    if (renewedById && !(await agreementExists(trx, renewedById))) {
      throw new HttpError(400, 'renewing_agreement_not_found', `No agreement ${renewedById} to renew it with: load that agreement first`);
    }
    const before = await findRenewal(trx, agreementId);
    const after = { renewal_status: status === 'none' ? null : status, renewed_by_id: renewedById, renewal_note: options.note?.trim() || null };
    await saveRenewal(trx, {
      agreementId,
      status: after.renewal_status,
      renewedById,
      note: after.renewal_note,
      recordedBy: options.recordedBy ?? (options.actor.type === 'user' ? options.actor.id : options.actor.label),
      at: options.now,
    });
    await audit(trx, {
      actor: options.actor,
      action: 'agreement.renewal.recorded',
      entity: { type: 'agreement', id: agreementId },
      changes: diff(before ?? null, after),
      request: options.request,
    });
  });
}

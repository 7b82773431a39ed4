import type { Kysely } from 'kysely';
import { type Actor, audit, type RequestInfo } from '../../platform/audit/audit.ts';
import type { Database } from '../../platform/db/schema.ts';
import { Choice, type FieldError, Fields, type FieldsOf, type FormResult, hasErrors, Optional, Text } from '../../platform/http/forms.ts';
import { queueMail } from '../../platform/mail/outbox.ts';
import { updateDecisionEmail } from './emails.ts';
import { writeActuals } from './queries/indicators.ts';
import { moveUpdate, type ProgressUpdate } from './queries/updates.ts';

export const DECISION_FORM = Fields({
  decision: Choice(['approve', 'return']),
  reason: Optional(Text(2000)),
});

export type DecisionFields = FieldsOf<typeof DECISION_FORM>;

/**
 * A coordinator approves a submitted update (its figures become the side's public actuals) or returns
 * it with a reason. The author is emailed either way, in their language.
 */
export async function decideUpdate(options: {
  db: Kysely<Database>;
  update: ProgressUpdate;
  form: FormResult<DecisionFields>;
  deciderId: string;
  now: Date;
  publicUrl: string;
  actor: Actor;
  request: RequestInfo;
}): Promise<{ ok: true; approved: boolean } | { ok: false; errors: Partial<Record<DecisionFields, FieldError>> }> {
  const { db, update, form } = options;
  const errors: Partial<Record<DecisionFields, FieldError>> = { ...form.errors };
  const approve = form.values.decision === 'approve';
  if (!approve && !form.values.reason) errors.reason = 'reason_required';
  if (hasErrors(errors)) return { ok: false, errors };

  const done = await db.transaction().execute(async (trx) => {
    const moved = await moveUpdate(
      trx,
      update.id,
      ['submitted'],
      {
        state: approve ? 'approved' : 'returned',
        returnReason: approve ? null : form.values.reason,
        decidedBy: options.deciderId,
        decidedAt: options.now,
        ...(approve ? { approvedAt: options.now } : {}),
      },
      options.now,
    );
    if (!moved) return false;
    if (approve) await writeActuals(trx, update.id, update.side, options.now);
    await audit(trx, {
      actor: options.actor,
      action: approve ? 'update.approved' : 'update.returned',
      entity: { type: 'progress-update', id: update.reference },
      changes: { state: { before: 'submitted', after: approve ? 'approved' : 'returned' }, ...(approve ? {} : { reason: { before: null, after: form.values.reason } }) },
      request: options.request,
    });
    const author = update.authorId ? await trx.selectFrom('users').select(['email', 'display_name', 'locale', 'disabled_at']).where('id', '=', update.authorId).executeTakeFirst() : undefined;
    if (author && !author.disabled_at) {
      await queueMail(
        trx,
        updateDecisionEmail({ to: author.email, name: author.display_name, locale: author.locale, update, approved: approve, reason: form.values.reason, publicUrl: options.publicUrl }),
      );
    }
    return true;
  });
  if (!done) return { ok: false, errors: { decision: 'update_already_decided' } };
  return { ok: true, approved: approve };
}

import type { Kysely } from 'kysely';
import { type Actor, audit, type RequestInfo } from '../../platform/audit/audit.ts';
import type { Database } from '../../platform/db/schema.ts';
import { type FieldError, Fields, type FieldsOf, type FormResult, hasErrors, Optional, Text } from '../../platform/http/forms.ts';
import { queueMail } from '../../platform/mail/outbox.ts';
import { rejectedEmail, submitterOf } from './emails.ts';
import { moveSuggestion, type Suggestion } from './queries.ts';

export const REJECT_FORM = Fields({
  reason: Optional(Text(2000)),
});

export type RejectFields = FieldsOf<typeof REJECT_FORM>;

/** A coordinator rejects a received suggestion; the reason is required and emailed to the submitter. */
export async function rejectSuggestion(options: {
  db: Kysely<Database>;
  suggestion: Suggestion;
  form: FormResult<RejectFields>;
  moderatorId: string;
  now: Date;
  actor: Actor;
  request: RequestInfo;
}): Promise<{ ok: true } | { ok: false; errors: Partial<Record<RejectFields, FieldError>> }> {
  const { suggestion: s, form } = options;
  const reason = form.values.reason;
  const errors: Partial<Record<RejectFields, FieldError>> = { ...form.errors };
  if (!reason) errors.reason = 'reason_required';
  if (hasErrors(errors)) return { ok: false, errors };

  const done = await options.db.transaction().execute(async (trx) => {
    const moved = await moveSuggestion(trx, s.id, ['received'], { state: 'rejected', reject_reason: reason, moderated_at: options.now, moderated_by: options.moderatorId, closed_at: options.now });
    if (!moved) return false;
    await audit(trx, {
      actor: options.actor,
      action: 'suggestion.rejected',
      entity: { type: 'suggestion', id: s.reference },
      changes: { state: { before: 'received', after: 'rejected' }, reason: { before: null, after: reason } },
      request: options.request,
    });
    const submitter = submitterOf(s);
    if (submitter) await queueMail(trx, rejectedEmail(submitter, { reference: s.reference, reason }), { about: { type: 'suggestion', id: s.reference } });
    return true;
  });
  return done ? { ok: true } : { ok: false, errors: { reason: 'suggestion_already_moderated' } };
}

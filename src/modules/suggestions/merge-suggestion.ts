import type { Kysely } from 'kysely';
import { type Actor, audit, type RequestInfo } from '../../platform/audit/audit.ts';
import type { Database } from '../../platform/db/schema.ts';
import { type FieldError, Fields, type FieldsOf, type FormResult, hasErrors, Text } from '../../platform/http/forms.ts';
import { queueMail } from '../../platform/mail/outbox.ts';
import { mergedEmail, submitterOf } from './emails.ts';
import { lockMergeTarget, moveSuggestion, type Suggestion } from './queries.ts';

export const MERGE_FORM = Fields({
  /** The reference of the published suggestion it duplicates. */
  target: Text(30),
});

export type MergeFields = FieldsOf<typeof MERGE_FORM>;

/**
 * A coordinator merges a received suggestion into a published one that makes the same point: it is
 * closed without being published, shown as "merged into …", and counted among the target's supporters.
 */
export async function mergeSuggestion(options: {
  db: Kysely<Database>;
  suggestion: Suggestion;
  form: FormResult<MergeFields>;
  moderatorId: string;
  now: Date;
  publicUrl: string;
  actor: Actor;
  request: RequestInfo;
}): Promise<{ ok: true; target: string } | { ok: false; errors: Partial<Record<MergeFields, FieldError>> }> {
  const { suggestion: s, form } = options;
  if (hasErrors(form.errors)) return { ok: false, errors: form.errors };

  const result = await options.db.transaction().execute(async (trx) => {
    // The target stays published while the duplicate joins it.
    const target = await lockMergeTarget(trx, form.values.target);
    if (!target || target.id === s.id) return 'suggestion_merge_target_invalid' as const;
    const moved = await moveSuggestion(trx, s.id, ['received'], { state: 'merged', merged_into_id: target.id, moderated_at: options.now, moderated_by: options.moderatorId, closed_at: options.now });
    if (!moved) return 'suggestion_already_moderated' as const;
    await audit(trx, {
      actor: options.actor,
      action: 'suggestion.merged',
      entity: { type: 'suggestion', id: s.reference },
      changes: { state: { before: 'received', after: 'merged' }, mergedInto: { before: null, after: target.reference } },
      request: options.request,
    });
    const submitter = submitterOf(s);
    if (submitter)
      await queueMail(trx, mergedEmail(submitter, { reference: s.reference, target: target.reference, targetResponded: target.state === 'responded', publicUrl: options.publicUrl }), {
        about: { type: 'suggestion', id: s.reference },
      });
    return { target: target.reference };
  });
  return typeof result === 'string' ? { ok: false, errors: { target: result } } : { ok: true, target: result.target };
}

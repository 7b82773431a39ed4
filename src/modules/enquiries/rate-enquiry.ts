import { Choice, Fields, type FieldsOf, type FormResult, hasErrors, Optional, Text } from '../../platform/http/forms.ts';
import { applyChange, type CaseContext, type CaseResult, CHANGED_MEANWHILE, event } from './case-change.ts';

export const RATING_FORM = Fields({
  satisfaction: Choice(['1', '2', '3', '4', '5']),
  comment: Optional(Text(2000)),
  version: Text(12),
});

export type RatingFields = FieldsOf<typeof RATING_FORM>;

/** After closing, the citizen rates how satisfied they are (1 to 5, with a comment if they like): once. */
export async function rateEnquiry(ctx: CaseContext & { form: FormResult<RatingFields>; userId: string | null }): Promise<CaseResult<RatingFields>> {
  if (hasErrors(ctx.form.errors)) return { ok: false, errors: ctx.form.errors };
  const { enquiry } = ctx;
  if (enquiry.state !== 'closed') return { ok: false, errors: { form: 'enq_not_closed' } };
  if (enquiry.satisfaction !== null) return { ok: false, errors: { form: 'enq_already_rated' } };
  const satisfaction = Number(ctx.form.values.satisfaction);
  const done = await applyChange(ctx, {
    columns: { satisfaction, satisfaction_comment: ctx.form.values.comment || null, rated_at: ctx.now },
    event: event('rated', { actor: 'citizen', userId: ctx.userId, organisationId: null }),
    action: 'enquiry.rated',
    changes: { satisfaction: { before: null, after: satisfaction } },
  });
  return done ? { ok: true } : CHANGED_MEANWHILE;
}

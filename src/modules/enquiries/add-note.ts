import type { Principal } from '../../platform/auth/roles.ts';
import { type FieldsOf, type FormResult, hasErrors } from '../../platform/http/forms.ts';
import { actingAs, applyChange, type CaseContext, type CaseResult, CHANGED_MEANWHILE, event } from './case-change.ts';
import type { MESSAGE_FORM, MessageFields } from './reply-to-citizen.ts';

/** An internal note on the case: seen by the handling agency and the coordinators, never by the citizen. */
export async function addNote(ctx: CaseContext & { principal: Principal; form: FormResult<FieldsOf<typeof MESSAGE_FORM>> }): Promise<CaseResult<MessageFields>> {
  if (hasErrors(ctx.form.errors)) return { ok: false, errors: ctx.form.errors };
  const by = actingAs(ctx.principal, ctx.enquiry);
  const done = await applyChange(ctx, {
    columns: {},
    event: event('note', { ...by, userId: ctx.principal.user.id }, { body: ctx.form.values.body, visible_to_citizen: false }),
    action: 'enquiry.noted',
    changes: { note: { before: null, after: `${ctx.form.values.body.length} characters` } },
  });
  return done ? { ok: true } : CHANGED_MEANWHILE;
}

import type { Principal } from '../../platform/auth/roles.ts';
import { type FieldsOf, type FormResult, hasErrors } from '../../platform/http/forms.ts';
import type { LocalizedText } from '../../platform/i18n/locales.ts';
import { actingAs, applyChange, type CaseContext, type CaseResult, CHANGED_MEANWHILE, citizenOf, event } from './case-change.ts';
import { citizenNoticeEmail } from './emails.ts';
import type { MESSAGE_FORM, MessageFields } from './reply-to-citizen.ts';

/**
 * An officer asks the citizen for more information: the clock stops from today until the citizen
 * answers (at /track), and the question is emailed to them in their language.
 */
export async function requestInformation(ctx: CaseContext & { principal: Principal; form: FormResult<FieldsOf<typeof MESSAGE_FORM>>; agencyName: LocalizedText }): Promise<CaseResult<MessageFields>> {
  if (hasErrors(ctx.form.errors)) return { ok: false, errors: ctx.form.errors };
  if (ctx.enquiry.state !== 'open') return { ok: false, errors: { form: 'enq_not_open' } };
  const by = actingAs(ctx.principal, ctx.enquiry);
  const citizen = citizenOf(ctx.enquiry);
  const done = await applyChange(ctx, {
    columns: { state: 'awaiting-citizen', paused_since: ctx.today },
    event: event('info-requested', { ...by, userId: ctx.principal.user.id }, { body: ctx.form.values.body }),
    action: 'enquiry.information-requested',
    changes: { state: { before: 'open', after: 'awaiting-citizen' }, pausedSince: { before: null, after: ctx.today } },
    mails: citizen ? [citizenNoticeEmail({ citizen, notice: { kind: 'info-requested', agency: ctx.agencyName, text: ctx.form.values.body }, publicUrl: ctx.publicUrl })] : [],
  });
  return done ? { ok: true } : CHANGED_MEANWHILE;
}

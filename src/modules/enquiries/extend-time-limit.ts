import type { Principal } from '../../platform/auth/roles.ts';
import { type FieldError, Fields, type FieldsOf, type FormResult, hasErrors, Text } from '../../platform/http/forms.ts';
import { actingAs, applyChange, type CaseContext, type CaseResult, CHANGED_MEANWHILE, citizenOf, event } from './case-change.ts';
import { citizenNoticeEmail } from './emails.ts';
import { calendarOf, dueDate } from './time-limits.ts';

export const EXTEND_FORM = Fields({
  days: Text(10),
  reason: Text(2000),
  version: Text(12),
});

export type ExtendFields = FieldsOf<typeof EXTEND_FORM>;

/**
 * The time limit is extended by some working days, for a reason the citizen is told; all the
 * extensions of a case together may not pass the cap.
 */
export async function extendTimeLimit(ctx: CaseContext & { principal: Principal; form: FormResult<ExtendFields>; extensionCap: number }): Promise<CaseResult<ExtendFields>> {
  const { enquiry } = ctx;
  const errors: Partial<Record<ExtendFields, FieldError>> = { ...ctx.form.errors };
  const days = Number(ctx.form.values.days);
  if (!errors.days && !(/^\d+$/.test(ctx.form.values.days) && days >= 1)) errors.days = 'enq_invalid_days';
  else if (!errors.days && enquiry.extensionDays + days > ctx.extensionCap) errors.days = 'enq_extension_cap';
  if (hasErrors(errors)) return { ok: false, errors };
  const extensionDays = enquiry.extensionDays + days;
  const dueOn = dueDate(await calendarOf(ctx.db, enquiry.side), { receivedOn: enquiry.receivedOn, timeLimit: enquiry.timeLimit, extensionDays, pausedDays: enquiry.pausedDays });
  const citizen = citizenOf(enquiry);
  const done = await applyChange(ctx, {
    columns: { extension_days: extensionDays, due_on: dueOn },
    event: event('extended', { ...actingAs(ctx.principal, enquiry), userId: ctx.principal.user.id }, { days, body: ctx.form.values.reason }),
    action: 'enquiry.extended',
    changes: { extensionDays: { before: enquiry.extensionDays, after: extensionDays }, dueOn: { before: enquiry.dueOn, after: dueOn } },
    mails: citizen ? [citizenNoticeEmail({ citizen, notice: { kind: 'extended', days, dueOn, reason: ctx.form.values.reason }, publicUrl: ctx.publicUrl })] : [],
  });
  return done ? { ok: true } : CHANGED_MEANWHILE;
}

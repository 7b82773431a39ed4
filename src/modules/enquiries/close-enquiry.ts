import type { Principal } from '../../platform/auth/roles.ts';
import type { EnquiryOutcome } from './tables.ts';
import { Choice, Fields, type FieldsOf, type FormResult, hasErrors, Text } from '../../platform/http/forms.ts';
import { actingAs, applyChange, type CaseContext, type CaseResult, CHANGED_MEANWHILE, citizenOf, event } from './case-change.ts';
import { citizenNoticeEmail } from './emails.ts';
import { ENQUIRY_OUTCOMES, MAX_TEXT } from './schemas.ts';
import { calendarOf, closingFigures, pausedBetween } from './time-limits.ts';

export const CLOSE_FORM = Fields({
  outcome: Choice(ENQUIRY_OUTCOMES),
  body: Text(MAX_TEXT),
  version: Text(12),
});

export type CloseFields = FieldsOf<typeof CLOSE_FORM>;

/**
 * Closes a case with an outcome and a final reply to the citizen. What the statistics need is kept
 * on the case: the working days it took (the clock's pauses left out) and whether that was within
 * its time limit and extensions.
 */
export async function closeEnquiry(ctx: CaseContext & { principal: Principal; form: FormResult<CloseFields> }): Promise<CaseResult<CloseFields>> {
  if (hasErrors(ctx.form.errors)) return { ok: false, errors: ctx.form.errors };
  const { enquiry } = ctx;
  const calendar = await calendarOf(ctx.db, enquiry.side);
  const pausedDays = enquiry.pausedDays + (enquiry.pausedSince ? pausedBetween(calendar, enquiry.pausedSince, ctx.today) : 0);
  const figures = closingFigures(calendar, { receivedOn: enquiry.receivedOn, timeLimit: enquiry.timeLimit, extensionDays: enquiry.extensionDays, pausedDays }, ctx.today);
  const outcome = ctx.form.values.outcome as EnquiryOutcome;
  const citizen = citizenOf(enquiry);
  const done = await applyChange(ctx, {
    columns: { state: 'closed', closed_on: ctx.today, closed_at: ctx.now, outcome, paused_days: pausedDays, paused_since: null, working_days_taken: figures.workingDaysTaken, on_time: figures.onTime },
    event: event('closed', { ...actingAs(ctx.principal, enquiry), userId: ctx.principal.user.id }, { body: ctx.form.values.body, outcome }),
    action: 'enquiry.closed',
    changes: {
      state: { before: enquiry.state, after: 'closed' },
      outcome: { before: null, after: outcome },
      workingDaysTaken: { before: null, after: figures.workingDaysTaken },
      onTime: { before: null, after: figures.onTime },
    },
    mails: citizen ? [citizenNoticeEmail({ citizen, notice: { kind: 'closed', outcome, text: ctx.form.values.body }, publicUrl: ctx.publicUrl })] : [],
  });
  return done ? { ok: true } : CHANGED_MEANWHILE;
}

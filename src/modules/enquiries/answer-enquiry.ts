import type { Transaction } from 'kysely';
import type { Database } from '../../platform/db/schema.ts';
import { type FieldError, Fields, type FieldsOf, type FormResult, hasErrors, Text } from '../../platform/http/forms.ts';
import { applyChange, type CaseContext, type CaseResult, CHANGED_MEANWHILE, event, staffMails } from './case-change.ts';
import type { CaseColumns } from './queries/cases.ts';
import type { Topic } from './queries/topics.ts';
import { MAX_TEXT } from './schemas.ts';
import { calendarOf, dueDate, pausedBetween } from './time-limits.ts';

export const ANSWER_FORM = Fields({
  body: Text(MAX_TEXT),
  version: Text(12),
});

export type AnswerFields = FieldsOf<typeof ANSWER_FORM> | 'attachments';

/**
 * The citizen writes on their case at /track (text and files). If the case was waiting on them, the
 * clock starts again: the working days it stood still are added to the time limit.
 */
export async function answerEnquiry(
  ctx: CaseContext & {
    form: FormResult<FieldsOf<typeof ANSWER_FORM>>;
    userId: string | null;
    topic: Topic;
    storeFiles(trx: Transaction<Database>): Promise<string[]>;
    fileError?: FieldError | undefined;
  },
): Promise<CaseResult<AnswerFields>> {
  const { enquiry } = ctx;
  const errors: Partial<Record<AnswerFields, FieldError>> = { ...ctx.form.errors };
  if (ctx.fileError) errors.attachments = ctx.fileError;
  if (hasErrors(errors)) return { ok: false, errors };
  if (enquiry.state === 'closed') return { ok: false, errors: { form: 'enq_closed' } };
  let columns: CaseColumns = {};
  let dueOn = enquiry.dueOn;
  let changes = {};
  if (enquiry.state === 'awaiting-citizen' && enquiry.pausedSince) {
    const calendar = await calendarOf(ctx.db, enquiry.side);
    const pausedDays = enquiry.pausedDays + pausedBetween(calendar, enquiry.pausedSince, ctx.today);
    dueOn = dueDate(calendar, { receivedOn: enquiry.receivedOn, timeLimit: enquiry.timeLimit, extensionDays: enquiry.extensionDays, pausedDays });
    columns = { state: 'open', paused_since: null, paused_days: pausedDays, due_on: dueOn };
    changes = { state: { before: 'awaiting-citizen', after: 'open' }, pausedDays: { before: enquiry.pausedDays, after: pausedDays }, dueOn: { before: enquiry.dueOn, after: dueOn } };
  }
  const done = await applyChange(ctx, {
    columns,
    event: event('citizen-reply', { actor: 'citizen', userId: ctx.userId, organisationId: null }, { body: ctx.form.values.body }),
    action: 'enquiry.citizen-replied',
    changes: { ...changes, reply: { before: null, after: `${ctx.form.values.body.length} characters` } },
    files: ctx.storeFiles,
    mails: await staffMails(ctx.db, { kind: 'citizen-reply', agencyId: enquiry.agencyId, reference: enquiry.reference, topic: ctx.topic, dueOn, enquiryId: enquiry.id, publicUrl: ctx.publicUrl }),
  });
  return done ? { ok: true } : CHANGED_MEANWHILE;
}

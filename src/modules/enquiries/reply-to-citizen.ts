import type { Transaction } from 'kysely';
import type { Principal } from '../../platform/auth/roles.ts';
import type { Database } from '../../platform/db/schema.ts';
import { type FieldError, Fields, type FieldsOf, type FormResult, hasErrors, Text } from '../../platform/http/forms.ts';
import type { LocalizedText } from '../../platform/i18n/locales.ts';
import { actingAs, applyChange, type CaseContext, type CaseResult, CHANGED_MEANWHILE, citizenOf, event } from './case-change.ts';
import { citizenNoticeEmail } from './emails.ts';
import { MAX_TEXT } from './schemas.ts';

/** A message to the citizen, or an internal note: the text, and the version of the case seen. */
export const MESSAGE_FORM = Fields({
  body: Text(MAX_TEXT),
  version: Text(12),
});

export type MessageFields = FieldsOf<typeof MESSAGE_FORM> | 'attachments';

/**
 * An officer replies to the citizen: the reply is on the case's public timeline (at /track) and is
 * emailed to the citizen in their language, with any files attached to the case.
 */
export async function replyToCitizen(
  ctx: CaseContext & {
    principal: Principal;
    form: FormResult<FieldsOf<typeof MESSAGE_FORM>>;
    agencyName: LocalizedText;
    storeFiles(trx: Transaction<Database>): Promise<string[]>;
    fileError?: FieldError | undefined;
  },
): Promise<CaseResult<MessageFields>> {
  const errors: Partial<Record<MessageFields, FieldError>> = { ...ctx.form.errors };
  if (ctx.fileError) errors.attachments = ctx.fileError;
  if (hasErrors(errors)) return { ok: false, errors };
  const by = actingAs(ctx.principal, ctx.enquiry);
  const citizen = citizenOf(ctx.enquiry);
  const done = await applyChange(ctx, {
    columns: {},
    event: event('reply', { ...by, userId: ctx.principal.user.id }, { body: ctx.form.values.body }),
    action: 'enquiry.replied',
    changes: { reply: { before: null, after: `${ctx.form.values.body.length} characters` } },
    files: ctx.storeFiles,
    mails: citizen ? [citizenNoticeEmail({ citizen, notice: { kind: 'reply', agency: ctx.agencyName, text: ctx.form.values.body }, publicUrl: ctx.publicUrl })] : [],
  });
  return done ? { ok: true } : CHANGED_MEANWHILE;
}

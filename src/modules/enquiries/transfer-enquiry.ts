import type { Principal } from '../../platform/auth/roles.ts';
import { type FieldError, Fields, type FieldsOf, type FormResult, hasErrors, Text } from '../../platform/http/forms.ts';
import type { Organisation } from '../organisations/index.ts';
import { actingAs, applyChange, type CaseContext, type CaseResult, CHANGED_MEANWHILE, citizenOf, event, staffMails } from './case-change.ts';
import { citizenNoticeEmail } from './emails.ts';
import type { CaseColumns } from './queries/cases.ts';
import type { Topic } from './queries/topics.ts';
import { calendarOf, dueDate, pausedBetween } from './time-limits.ts';

export const TRANSFER_FORM = Fields({
  agency: Text(64),
  reason: Text(2000),
  version: Text(12),
});

export type TransferFields = FieldsOf<typeof TRANSFER_FORM>;

/** Transfers away after which a case goes to the coordinators instead of to another agency. */
const REFUSALS_TO_COORDINATORS = 2;

/**
 * The handling agency passes the case to another agency, giving its reason (kept internal). The new
 * agency's calendar counts the time limit from then on (the due date is worked out again). A case
 * refused by two agencies goes to the coordinators instead, the agency named as a suggestion: they
 * assign it.
 */
export async function transferEnquiry(
  ctx: CaseContext & { principal: Principal; form: FormResult<TransferFields>; agencies: Map<string, Organisation>; topic: Topic },
): Promise<CaseResult<TransferFields>> {
  const { enquiry } = ctx;
  const errors: Partial<Record<TransferFields, FieldError>> = { ...ctx.form.errors };
  const to = ctx.agencies.get(ctx.form.values.agency);
  if (!errors.agency && (!to || to.id === enquiry.agencyId)) errors.agency = to ? 'enq_same_agency' : 'unknown_organisation';
  if (hasErrors(errors) || !to) return { ok: false, errors };
  const by = { ...actingAs(ctx.principal, enquiry), userId: ctx.principal.user.id };
  const refusals = enquiry.refusals + 1;
  const citizen = citizenOf(enquiry);
  const clock = { receivedOn: enquiry.receivedOn, timeLimit: enquiry.timeLimit, extensionDays: enquiry.extensionDays, pausedDays: enquiry.pausedDays };

  if (refusals >= REFUSALS_TO_COORDINATORS) {
    // The clock is not stopped with the coordinators: a pause for the citizen ends here.
    const calendar = await calendarOf(ctx.db, enquiry.side);
    const pausedDays = enquiry.pausedDays + (enquiry.pausedSince ? pausedBetween(calendar, enquiry.pausedSince, ctx.today) : 0);
    const dueOn = dueDate(calendar, { ...clock, pausedDays });
    const columns: CaseColumns = { agency_id: null, state: 'with-coordinators', refusals, paused_since: null, paused_days: pausedDays, due_on: dueOn };
    const done = await applyChange(ctx, {
      columns,
      event: event('sent-to-coordinators', by, { to_organisation_id: to.id, body: ctx.form.values.reason }),
      action: 'enquiry.sent-to-coordinators',
      changes: {
        agency: { before: enquiry.agencyId, after: null },
        state: { before: enquiry.state, after: 'with-coordinators' },
        suggested: { before: null, after: to.id },
        refusals: { before: enquiry.refusals, after: refusals },
      },
      mails: [
        ...(citizen ? [citizenNoticeEmail({ citizen, notice: { kind: 'sent-to-coordinators' }, publicUrl: ctx.publicUrl })] : []),
        ...(await staffMails(ctx.db, { kind: 'with-coordinators', agencyId: null, reference: enquiry.reference, topic: ctx.topic, dueOn, enquiryId: enquiry.id, publicUrl: ctx.publicUrl })),
      ],
    });
    return done ? { ok: true } : CHANGED_MEANWHILE;
  }

  const side = to.side;
  const dueOn = dueDate(await calendarOf(ctx.db, side), clock);
  const done = await applyChange(ctx, {
    columns: { agency_id: to.id, side, refusals, due_on: dueOn },
    event: event('transferred', by, { to_organisation_id: to.id, body: ctx.form.values.reason }),
    action: 'enquiry.transferred',
    changes: { agency: { before: enquiry.agencyId, after: to.id }, dueOn: { before: enquiry.dueOn, after: dueOn }, refusals: { before: enquiry.refusals, after: refusals } },
    mails: [
      ...(citizen ? [citizenNoticeEmail({ citizen, notice: { kind: 'transferred', agency: to.name, dueOn }, publicUrl: ctx.publicUrl })] : []),
      ...(await staffMails(ctx.db, { kind: 'transferred-in', agencyId: to.id, reference: enquiry.reference, topic: ctx.topic, dueOn, enquiryId: enquiry.id, publicUrl: ctx.publicUrl })),
    ],
  });
  return done ? { ok: true } : CHANGED_MEANWHILE;
}

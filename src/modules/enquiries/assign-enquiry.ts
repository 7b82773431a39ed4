import type { Principal } from '../../platform/auth/roles.ts';
import { type FieldError, Fields, type FieldsOf, type FormResult, hasErrors, Optional, Text } from '../../platform/http/forms.ts';
import type { Organisation } from '../organisations/index.ts';
import { applyChange, type CaseContext, type CaseResult, CHANGED_MEANWHILE, citizenOf, event, staffMails } from './case-change.ts';
import { citizenNoticeEmail } from './emails.ts';
import type { Topic } from './queries/topics.ts';
import { calendarOf, dueDate } from './time-limits.ts';

export const ASSIGN_FORM = Fields({
  agency: Text(64),
  reason: Optional(Text(2000)),
  version: Text(12),
});

export type AssignFields = FieldsOf<typeof ASSIGN_FORM>;

/**
 * A coordinator sends a case to an agency: one refused by two agencies, or one of their side's open
 * cases. It does not count as a refusal; the new agency's calendar counts the time limit.
 */
export async function assignEnquiry(ctx: CaseContext & { principal: Principal; form: FormResult<AssignFields>; agencies: Map<string, Organisation>; topic: Topic }): Promise<CaseResult<AssignFields>> {
  const { enquiry } = ctx;
  const errors: Partial<Record<AssignFields, FieldError>> = { ...ctx.form.errors };
  const to = ctx.agencies.get(ctx.form.values.agency);
  if (!errors.agency && (!to || to.id === enquiry.agencyId)) errors.agency = to ? 'enq_same_agency' : 'unknown_organisation';
  if (hasErrors(errors) || !to) return { ok: false, errors };
  const coordinator = ctx.principal.roles.find((g) => g.role === 'custodian-coordinator');
  const dueOn = dueDate(await calendarOf(ctx.db, to.side), { receivedOn: enquiry.receivedOn, timeLimit: enquiry.timeLimit, extensionDays: enquiry.extensionDays, pausedDays: enquiry.pausedDays });
  const state = enquiry.state === 'with-coordinators' ? 'open' : enquiry.state;
  const citizen = citizenOf(enquiry);
  const done = await applyChange(ctx, {
    columns: { agency_id: to.id, side: to.side, state, due_on: dueOn },
    event: event(
      'assigned',
      { actor: 'coordinator', userId: ctx.principal.user.id, organisationId: coordinator?.organisationId ?? null },
      { to_organisation_id: to.id, body: ctx.form.values.reason || null },
    ),
    action: 'enquiry.assigned',
    changes: { agency: { before: enquiry.agencyId, after: to.id }, state: { before: enquiry.state, after: state }, dueOn: { before: enquiry.dueOn, after: dueOn } },
    mails: [
      ...(citizen ? [citizenNoticeEmail({ citizen, notice: { kind: 'transferred', agency: to.name, dueOn }, publicUrl: ctx.publicUrl })] : []),
      ...(await staffMails(ctx.db, { kind: 'transferred-in', agencyId: to.id, reference: enquiry.reference, topic: ctx.topic, dueOn, enquiryId: enquiry.id, publicUrl: ctx.publicUrl })),
    ],
  });
  return done ? { ok: true } : CHANGED_MEANWHILE;
}

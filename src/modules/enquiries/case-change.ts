import type { Kysely, Transaction } from 'kysely';
import { type Actor, audit, type Changes, type RequestInfo } from '../../platform/audit/audit.ts';
import type { Principal } from '../../platform/auth/roles.ts';
import type { Database } from '../../platform/db/schema.ts';
import type { FieldError } from '../../platform/http/forms.ts';
import { type MailMessage, queueMail } from '../../platform/mail/outbox.ts';
import { type Citizen, type StaffNotice, staffNoticeEmail } from './emails.ts';
import { type CaseColumns, type Enquiry, updateCase } from './queries/cases.ts';
import { findStaff } from './queries/staff.ts';
import { attachFiles, insertEvent, type NewEvent } from './queries/timeline.ts';
import type { Topic } from './queries/topics.ts';

/** What every action on a case is given besides its own input. */
export interface CaseContext {
  db: Kysely<Database>;
  /** The case as the person saw it (its version decides whether the action still applies). */
  enquiry: Enquiry;
  today: string;
  now: Date;
  publicUrl: string;
  actor: Actor;
  request: RequestInfo;
}

export type CaseResult<F extends string> = { ok: true } | { ok: false; errors: Partial<Record<F | 'form', FieldError>> };

/** The version of the case a form was shown with (-1, matching none, when the form carries none). */
export function seenVersion(text: string | undefined): number {
  return text !== undefined && /^\d{1,9}$/.test(text) ? Number(text) : -1;
}

/** The answer when the case moved on since the page was loaded (another officer, a double click). */
export const CHANGED_MEANWHILE = { ok: false, errors: { form: 'enq_changed' } } as const;

export interface CaseChange {
  columns: CaseColumns;
  event: NewEvent;
  /** The audit action (enquiry.replied …) and what changed; never personal data, which the purge must be able to remove. */
  action: string;
  changes: Changes;
  /** Files to keep with the event, stored in its transaction. */
  files?: (trx: Transaction<Database>) => Promise<string[]>;
  /** Messages to send once the change is committed (built with the event's id unknown). */
  mails?: MailMessage[];
}

/**
 * Applies one action to a case in one transaction: the case's new state (only if it is still at the
 * version seen), its timeline entry and files, the audit record and the emails. False when the case
 * changed in the meantime, with nothing written.
 */
export async function applyChange(ctx: CaseContext, change: CaseChange): Promise<boolean> {
  return await ctx.db.transaction().execute(async (trx) => {
    if (!(await updateCase(trx, ctx.enquiry.id, ctx.enquiry.version, change.columns, ctx.now))) return false;
    const eventId = await insertEvent(trx, ctx.enquiry.id, change.event);
    const fileIds = change.files ? await change.files(trx) : [];
    await attachFiles(trx, ctx.enquiry.id, eventId, fileIds);
    await audit(trx, {
      actor: ctx.actor,
      action: change.action,
      entity: { type: 'enquiry', id: ctx.enquiry.reference },
      changes: { ...change.changes, ...(fileIds.length ? { attachments: { before: null, after: fileIds.length } } : {}) },
      request: ctx.request,
    });
    for (const mail of change.mails ?? []) await queueMail(trx, mail, { about: { type: 'enquiry', id: ctx.enquiry.reference } });
    return true;
  });
}

/** Who acts on a case: an officer of the handling agency, or a coordinator (for their organisation). */
export function actingAs(principal: Principal, enquiry: Pick<Enquiry, 'agencyId'>): { actor: 'officer' | 'coordinator'; organisationId: string | null } {
  const officer = principal.roles.find((g) => g.role === 'agency-officer' && g.organisationId === enquiry.agencyId);
  if (officer) return { actor: 'officer', organisationId: officer.organisationId };
  const coordinator = principal.roles.find((g) => g.role === 'custodian-coordinator');
  return { actor: 'coordinator', organisationId: coordinator?.organisationId ?? null };
}

/** The person to write to about a case (none once it has been purged). */
export function citizenOf(enquiry: Enquiry): Citizen | undefined {
  if (!enquiry.email || !enquiry.name) return undefined;
  return { reference: enquiry.reference, locale: enquiry.locale, name: enquiry.name, email: enquiry.email };
}

/** A timeline entry with nothing but its kind and author filled in. */
export function event(kind: NewEvent['kind'], by: { actor: NewEvent['actor']; userId: string | null; organisationId: string | null }, rest: Partial<NewEvent> = {}): NewEvent {
  return {
    kind,
    actor: by.actor,
    user_id: by.userId,
    organisation_id: by.organisationId,
    to_organisation_id: null,
    body: null,
    days: null,
    outcome: null,
    visible_to_citizen: true,
    ...rest,
  };
}

/**
 * Word to the officers of the agency a case went to (or, for a case refused twice, to every
 * coordinator) that it needs them. No personal data: the reference, topic and due date.
 */
export async function staffMails(
  db: Kysely<Database>,
  o: { kind: StaffNotice; agencyId: string | null; reference: string; topic: Pick<Topic, 'name'>; dueOn: string; enquiryId: number; publicUrl: string },
): Promise<MailMessage[]> {
  const staff = o.kind === 'with-coordinators' || o.agencyId === null ? await findStaff(db, { coordinatorsOf: ['hong-kong', 'zhejiang'] }) : await findStaff(db, { officersOf: [o.agencyId] });
  return staff.map((member) => staffNoticeEmail({ to: member, kind: o.kind, reference: o.reference, topic: o.topic.name, dueOn: o.dueOn, enquiryId: o.enquiryId, publicUrl: o.publicUrl }));
}

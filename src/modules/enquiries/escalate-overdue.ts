import type { Kysely } from 'kysely';
import { audit, SYSTEM } from '../../platform/audit/audit.ts';
import type { Database } from '../../platform/db/schema.ts';
import { queueMail } from '../../platform/mail/outbox.ts';
import { findOrganisations } from '../organisations/index.ts';
import { event } from './case-change.ts';
import { escalationEmail } from './emails.ts';
import { type DueCase, findOpenDueBy, updateCase } from './queries/cases.ts';
import { findStaff } from './queries/staff.ts';
import { insertEvent } from './queries/timeline.ts';
import { findTopics } from './queries/topics.ts';

export const ESCALATE_OVERDUE = 'enquiries.escalate';

/**
 * Escalation (督辦): every open case past its due date is marked escalated once, with an entry on its
 * internal timeline, and the coordinators of its agency's side get one email listing the cases
 * escalated in this run.
 */
export async function escalateOverdue(options: { db: Kysely<Database>; today: string; now: Date; publicUrl: string }): Promise<{ escalated: number; emails: number }> {
  const { db } = options;
  const escalated: DueCase[] = [];
  for (const c of await findOpenDueBy(db, options.today, { notEscalated: true, before: true })) {
    const done = await db.transaction().execute(async (trx) => {
      if (!(await updateCase(trx, c.id, c.version, { escalated_at: options.now }, options.now))) return false;
      await insertEvent(trx, c.id, event('escalated', { actor: 'system', userId: null, organisationId: c.agencyId }, { visible_to_citizen: false }));
      await audit(trx, {
        actor: SYSTEM,
        action: 'enquiry.escalated',
        entity: { type: 'enquiry', id: c.reference },
        changes: { escalated: { before: false, after: true }, dueOn: { before: c.dueOn, after: c.dueOn } },
      });
      return true;
    });
    if (done) escalated.push(c);
  }
  if (escalated.length === 0) return { escalated: 0, emails: 0 };
  const topics = new Map((await findTopics(db)).map((t) => [t.key, t.name]));
  const agencies = new Map((await findOrganisations(db)).map((o) => [o.id, o.name]));
  const sides = [...new Set(escalated.map((c) => c.side))].filter((s): s is 'hong-kong' | 'zhejiang' => s === 'hong-kong' || s === 'zhejiang');
  let emails = 0;
  await db.transaction().execute(async (trx) => {
    for (const coordinator of await findStaff(trx, { coordinatorsOf: sides })) {
      const theirs = escalated.filter((c) => coordinator.sides.includes(c.side));
      if (theirs.length === 0) continue;
      const cases = theirs.map((c) => ({ reference: c.reference, dueOn: c.dueOn, topic: topics.get(c.topicKey) ?? {}, agency: agencies.get(c.agencyId) ?? {} }));
      await queueMail(trx, escalationEmail({ to: coordinator, cases, publicUrl: options.publicUrl }));
      emails++;
    }
  });
  return { escalated: escalated.length, emails };
}

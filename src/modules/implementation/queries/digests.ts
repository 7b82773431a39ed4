import type { LocalizedText } from '../../../platform/i18n/locales.ts';
import { type Milestone, toMilestone } from './milestones.ts';
import { anyOf, type Q } from './shared.ts';

/** The officers' daily digest of milestones due: who gets it, what it lists, and which days it went. */

export interface DigestRecipient {
  userId: string;
  email: string;
  locale: 'zh-Hant' | 'zh-Hans' | 'en';
  displayName: string;
  organisationIds: string[];
}

/** Officers and coordinators of an agency, with a verified address and an active account. */
export async function findDigestRecipients(db: Q): Promise<DigestRecipient[]> {
  const rows = await db
    .selectFrom('users as u')
    .innerJoin('user_roles as r', 'r.user_id', 'u.id')
    .select(['u.id', 'u.email', 'u.locale', 'u.display_name', 'r.organisation_id'])
    .where('r.role', 'in', ['agency-officer', 'custodian-coordinator'])
    .where('r.organisation_id', 'is not', null)
    .where('u.disabled_at', 'is', null)
    .where('u.email_verified_at', 'is not', null)
    .orderBy('u.id')
    .execute();
  const map = new Map<string, DigestRecipient>();
  for (const r of rows) {
    const entry = map.get(r.id) ?? { userId: r.id, email: r.email, locale: r.locale, displayName: r.display_name, organisationIds: [] };
    entry.organisationIds.push(r.organisation_id as string);
    map.set(r.id, entry);
  }
  return [...map.values()];
}

/** Claims today's digest for a person; false when one was already sent today. */
export async function claimDigest(db: Q, userId: string, day: string): Promise<boolean> {
  const row = await db
    .insertInto('milestone_digests')
    .values({ user_id: userId, sent_on: day })
    .onConflict((oc) => oc.doNothing())
    .returning('user_id')
    .executeTakeFirst();
  return row !== undefined;
}

/** Scheduled milestones due by a date (overdue included) of actions some organisations lead. */
export async function findOpenMilestonesFor(db: Q, organisationIds: string[], dueBy: string): Promise<(Milestone & { actionTitle: LocalizedText })[]> {
  if (organisationIds.length === 0) return [];
  const rows = await db
    .selectFrom('milestones as m')
    .innerJoin('actions as a', 'a.id', 'm.action_id')
    .selectAll('m')
    .select('a.title as action_title')
    .where('m.status', '=', 'scheduled')
    .where('m.due_on', '<=', dueBy)
    .where((eb) => eb.or([eb('a.lead_hong_kong', '=', anyOf(organisationIds)), eb('a.lead_zhejiang', '=', anyOf(organisationIds))]))
    .orderBy('m.due_on')
    .execute();
  return rows.map((r) => ({ ...toMilestone(r), actionTitle: r.action_title }));
}

/** Deletes the record of which officer got a milestone digest on which day, for days before `before` ('YYYY-MM-DD'): it only stops a second digest the same day. */
export async function deleteDigestsBefore(db: Q, before: string): Promise<number> {
  const result = await db.deleteFrom('milestone_digests').where('sent_on', '<', before).executeTakeFirst();
  return Number(result.numDeletedRows);
}

import type { Kysely } from 'kysely';
import { calendarStore } from '../../platform/calendar/store.ts';
import { calendarForSide } from '../../platform/calendar/working-days.ts';
import type { Database } from '../../platform/db/schema.ts';
import { queueMail } from '../../platform/mail/outbox.ts';
import { type CaseLine, dueDigestEmail } from './emails.ts';
import { type DueCase, findOpenDueBy } from './queries/cases.ts';
import { findSettings } from './queries/settings.ts';
import { claimDigest, findStaff } from './queries/staff.ts';
import { findTopics } from './queries/topics.ts';

export const SEND_WARNINGS = 'enquiries.warnings';

/**
 * Every morning each officer of an agency with open cases due within the warning lead (in working
 * days of the agency's calendar), or already overdue, gets one email listing them, in their language.
 * At most one a day, however often it runs; nobody with nothing due gets one.
 */
export async function sendDueWarnings(options: { db: Kysely<Database>; today: string; publicUrl: string }): Promise<{ sent: number }> {
  const { db, today } = options;
  const settings = await findSettings(db);
  const calendars = await calendarStore(db).get();
  const limitFor = (side: DueCase['side']) => calendars[calendarForSide(side)].addWorkingDays(today, settings.warningLead);
  const latest = [limitFor('hong-kong'), limitFor('zhejiang')].sort().at(-1) as string;
  const cases = (await findOpenDueBy(db, latest)).filter((c) => c.dueOn <= limitFor(c.side));
  if (cases.length === 0) return { sent: 0 };
  const topics = new Map((await findTopics(db)).map((t) => [t.key, t.name]));
  const line = (c: DueCase): CaseLine => ({ reference: c.reference, dueOn: c.dueOn, topic: topics.get(c.topicKey) ?? {} });
  let sent = 0;
  for (const officer of await findStaff(db, { officersOf: [...new Set(cases.map((c) => c.agencyId))] })) {
    const mine = cases.filter((c) => officer.organisationIds.includes(c.agencyId));
    const queued = await db.transaction().execute(async (trx) => {
      if (!(await claimDigest(trx, officer.userId, today))) return false;
      await queueMail(
        trx,
        dueDigestEmail({ to: officer, overdue: mine.filter((c) => c.dueOn < today).map(line), dueSoon: mine.filter((c) => c.dueOn >= today).map(line), publicUrl: options.publicUrl }),
      );
      return true;
    });
    if (queued) sent++;
  }
  return { sent };
}

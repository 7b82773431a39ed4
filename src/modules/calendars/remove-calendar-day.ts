import type { Kysely } from 'kysely';
import { type Actor, audit, diff, type RequestInfo } from '../../platform/audit/audit.ts';
import { calendarStore } from '../../platform/calendar/store.ts';
import type { CalendarName } from '../../platform/calendar/working-days.ts';
import type { Database } from '../../platform/db/schema.ts';
import { editorOf } from './edited-by.ts';
import { type CalendarDay, deleteCalendarDay, markCalendarYearEdited } from './queries.ts';

/** Takes a day off a calendar's year (it becomes an ordinary day again). Undefined if the year does not list it. */
export async function removeCalendarDay(options: {
  db: Kysely<Database>;
  calendar: CalendarName;
  year: number;
  date: string;
  actor: Actor;
  request?: RequestInfo;
  now: Date;
}): Promise<CalendarDay | undefined> {
  const { db, calendar, year, date } = options;
  if (Number(date.slice(0, 4)) !== year) return undefined;
  const removed = await db.transaction().execute(async (trx) => {
    const day = await deleteCalendarDay(trx, calendar, date);
    if (!day) return undefined;
    await markCalendarYearEdited(trx, calendar, year, editorOf(options.actor), options.now);
    await audit(trx, {
      actor: options.actor,
      action: 'calendar-day.removed',
      entity: { type: 'calendar-day', id: `${calendar}/${date}` },
      changes: diff({ kind: day.kind, name: day.name }, null),
      request: options.request,
    });
    return day;
  });
  if (removed) calendarStore(db).invalidate();
  return removed;
}

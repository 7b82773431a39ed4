import type { Kysely } from 'kysely';
import { calendarForSide, type WorkingCalendar } from '../../platform/calendar/working-days.ts';
import { calendarStore } from '../../platform/calendar/store.ts';
import type { Database } from '../../platform/db/schema.ts';

/**
 * Time limits in working days, counted on the calendar of the handling agency's side. The received
 * day never counts; the case is due on the (limit + extensions + paused days)-th working day after it.
 * While the case waits on the citizen the clock stops: the working days after the request up to and
 * including the day of the reply are added to the limit.
 */
export type Calendar = Pick<WorkingCalendar, 'addWorkingDays' | 'workingDaysBetween'>;

export interface Clock {
  receivedOn: string;
  timeLimit: number;
  extensionDays: number;
  pausedDays: number;
}

export function dueDate(calendar: Calendar, clock: Clock): string {
  return calendar.addWorkingDays(clock.receivedOn, clock.timeLimit + clock.extensionDays + clock.pausedDays);
}

/** Working days the clock stood still: after the request for information, up to the reply. */
export function pausedBetween(calendar: Calendar, since: string, resumedOn: string): number {
  return calendar.workingDaysBetween(since, resumedOn);
}

/** What is kept when a case closes: working days taken (pauses left out) and whether within the limit. */
export function closingFigures(calendar: Calendar, clock: Clock, closedOn: string): { workingDaysTaken: number; onTime: boolean } {
  const workingDaysTaken = Math.max(0, calendar.workingDaysBetween(clock.receivedOn, closedOn) - clock.pausedDays);
  return { workingDaysTaken, onTime: workingDaysTaken <= clock.timeLimit + clock.extensionDays };
}

/** The working-day calendar of a side (kept by the platform's calendar store, which administrators' edits refresh). */
export async function calendarOf(db: Kysely<Database>, side: 'hong-kong' | 'zhejiang' | 'other' | null): Promise<WorkingCalendar> {
  const calendars = await calendarStore(db).get();
  return calendars[calendarForSide(side)];
}

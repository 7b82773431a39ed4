import { describe, expect, it } from 'vitest';
import { type CalendarName, WorkingCalendar } from '../../platform/calendar/working-days.ts';
import { readCalendarFiles } from '../calendars/testing.ts';
import { monthsBefore } from './purge-enquiries.ts';
import { closingFigures, dueDate, pausedBetween } from './time-limits.ts';

/** The calendars as shipped in data/calendars/. */
const entries = readCalendarFiles();
const shipped = (name: CalendarName) => {
  const years = entries.filter((e) => e.calendar === name);
  return new WorkingCalendar(
    name,
    years.flatMap((e) => e.days),
    years.map((e) => e.year),
  );
};
const hongKong = shipped('hong-kong');
const mainland = shipped('mainland');
const clock = (receivedOn: string, timeLimit: number, extra: { extensionDays?: number; pausedDays?: number } = {}) => ({
  receivedOn,
  timeLimit,
  extensionDays: extra.extensionDays ?? 0,
  pausedDays: extra.pausedDays ?? 0,
});

describe('time limits in working days', () => {
  it('counts a Zhejiang case received the day before National Day on the Mainland calendar, make-up Saturday included', () => {
    // Mainland 2026: 1–7 October off; Saturday 10 October is a make-up working day.
    expect(dueDate(mainland, clock('2026-09-30', 3))).toBe('2026-10-10');
    expect(dueDate(mainland, clock('2026-09-30', 5))).toBe('2026-10-13');
    expect(dueDate(mainland, clock('2026-09-30', 7))).toBe('2026-10-15');
    // The same day on the Hong Kong calendar: only 1 October is a general holiday, and Saturdays never work.
    expect(dueDate(hongKong, clock('2026-09-30', 3))).toBe('2026-10-06');
  });

  it('counts a Hong Kong case around Christmas on the Hong Kong calendar', () => {
    // Hong Kong 2026: Christmas Day (Friday 25) and the first weekday after it (Saturday 26) are holidays.
    expect(dueDate(hongKong, clock('2026-12-23', 3))).toBe('2026-12-29');
    // On the Mainland calendar Christmas is a working day.
    expect(dueDate(mainland, clock('2026-12-23', 3))).toBe('2026-12-28');
  });

  it('never counts the day of receipt, even when it is a holiday or a weekend', () => {
    expect(dueDate(hongKong, clock('2026-10-01', 1))).toBe('2026-10-02');
    expect(dueDate(hongKong, clock('2026-10-03', 1))).toBe('2026-10-05');
  });

  it('adds extensions and the working days paused for the citizen', () => {
    expect(dueDate(hongKong, clock('2026-09-30', 3, { extensionDays: 2 }))).toBe('2026-10-08');
    // Asked on Monday 5 October, answered on Thursday 8: 6, 7 and 8 October do not count.
    const paused = pausedBetween(hongKong, '2026-10-05', '2026-10-08');
    expect(paused).toBe(3);
    expect(dueDate(hongKong, clock('2026-09-30', 3, { pausedDays: paused }))).toBe('2026-10-09');
    // Asked and answered on the same day: no pause.
    expect(pausedBetween(hongKong, '2026-10-05', '2026-10-05')).toBe(0);
    // On the Mainland, a pause over the make-up Saturday counts it.
    expect(pausedBetween(mainland, '2026-10-09', '2026-10-12')).toBe(2);
  });

  it('keeps the working days taken, pauses left out, and whether that was within the limit and extensions', () => {
    expect(closingFigures(hongKong, clock('2026-09-30', 3, { pausedDays: 3 }), '2026-10-09')).toEqual({ workingDaysTaken: 3, onTime: true });
    expect(closingFigures(hongKong, clock('2026-09-30', 3), '2026-10-07')).toEqual({ workingDaysTaken: 4, onTime: false });
    expect(closingFigures(hongKong, clock('2026-09-30', 3, { extensionDays: 1 }), '2026-10-07')).toEqual({ workingDaysTaken: 4, onTime: true });
    // Closed on a Saturday after a Friday due date: no working day more, still on time.
    expect(closingFigures(hongKong, clock('2026-10-06', 3), '2026-10-10')).toEqual({ workingDaysTaken: 3, onTime: true });
  });
});

describe('the purge period', () => {
  it('goes back whole months by the calendar', () => {
    expect(monthsBefore(new Date('2026-11-26T03:00:00Z'), 24).toISOString()).toBe('2024-11-26T03:00:00.000Z');
    expect(monthsBefore(new Date('2026-03-31T00:00:00Z'), 1).toISOString()).toBe('2026-02-28T00:00:00.000Z');
    expect(monthsBefore(new Date('2028-03-31T00:00:00Z'), 1).toISOString()).toBe('2028-02-29T00:00:00.000Z');
  });
});

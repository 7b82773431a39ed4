import { describe, expect, it } from 'vitest';
import { readCalendarFiles } from '../../../src/modules/calendars/testing.ts';
import { calendarForSide, type CalendarName, civilFromDays, dayNumber, WorkingCalendar, weekdayOf } from '../../../src/platform/calendar/working-days.ts';

/** The calendars exactly as shipped in data/calendars/ (2023–2027). */
const entries = readCalendarFiles();
function shipped(name: CalendarName): WorkingCalendar {
  const years = entries.filter((e) => e.calendar === name);
  return new WorkingCalendar(
    name,
    years.flatMap((e) => e.days),
    years.map((e) => e.year),
  );
}
const hk = shipped('hong-kong');
const mainland = shipped('mainland');

/** The same rules counted one day at a time, to check the precomputed answers against. */
function naive(name: CalendarName) {
  const days = entries.filter((e) => e.calendar === name).flatMap((e) => e.days);
  const off = new Set(days.filter((d) => d.kind === 'holiday').map((d) => d.date));
  const worked = new Set(days.filter((d) => d.kind === 'working-weekend').map((d) => d.date));
  const working = (date: string) => worked.has(date) || (!off.has(date) && weekdayOf(date) <= 5);
  return {
    working,
    add(date: string, n: number): string {
      let day = dayNumber(date);
      for (let left = n; left > 0; ) {
        day += 1;
        if (working(civilFromDays(day))) left -= 1;
      }
      return civilFromDays(day);
    },
  };
}

describe('dates', () => {
  it('reads and writes real dates only, and knows their day of the week', () => {
    expect(civilFromDays(dayNumber('2026-02-28'))).toBe('2026-02-28');
    expect(dayNumber('2024-03-01') - dayNumber('2024-02-28')).toBe(2); // 2024 is a leap year
    expect(dayNumber('2100-03-01') - dayNumber('2100-02-28')).toBe(1); // 2100 is not
    expect(dayNumber('1970-01-01')).toBe(0);
    expect(weekdayOf('2026-01-04')).toBe(7); // a Sunday
    expect(weekdayOf('2026-10-10')).toBe(6); // a Saturday
    expect(weekdayOf('1969-12-29')).toBe(1); // a Monday, before day 0
    for (const bad of ['2026-02-29', '2026-13-01', '2026-00-10', '2026-1-1', '26-01-01', '', '2026-01-01T00:00']) expect(() => dayNumber(bad), bad).toThrow(RangeError);
  });
});

describe('which calendar an agency counts on', () => {
  it('puts Zhejiang agencies on the Mainland calendar and every other on Hong Kong’s', () => {
    expect(calendarForSide('zhejiang')).toBe('mainland');
    expect(calendarForSide('hong-kong')).toBe('hong-kong');
    expect(calendarForSide('other')).toBe('hong-kong');
    expect(calendarForSide(null)).toBe('hong-kong');
  });
});

describe('the Mainland calendar as shipped', () => {
  it('counts the 2026 make-up Saturdays and Sundays as working days, and none of the Spring Festival break', () => {
    // mainland.json 2026: workingWeekends 01-04 (Sun), 02-14 (Sat), 02-28 (Sat), 05-09 (Sat), 09-20 (Sun), 10-10 (Sat).
    for (const date of ['2026-01-04', '2026-02-14', '2026-02-28', '2026-05-09', '2026-09-20', '2026-10-10']) expect(mainland.isWorkingDay(date), date).toBe(true);
    // Holidays 2026-02-15 (Sun) to 02-23 (Mon), five of them weekdays.
    for (let d = 15; d <= 23; d += 1) expect(mainland.isWorkingDay(`2026-02-${d}`), `2026-02-${d}`).toBe(false);
    expect(mainland.isWorkingDay('2026-02-24')).toBe(true);
    // An ordinary weekend stays a weekend.
    expect(mainland.isWorkingDay('2026-02-07')).toBe(false);
  });

  it('ends a time limit received before National Day after the Golden Week, counting the make-up Saturday', () => {
    // Received Wed 2026-09-30; 10-01..10-07 off; Thu 10-08 (1), Fri 10-09 (2), Sat 10-10 make-up day (3).
    expect(mainland.addWorkingDays('2026-09-30', 3)).toBe('2026-10-10');
    // Received Fri 2026-09-18: Sat 09-19 off, Sun 09-20 make-up day (1), Mon 09-21 (2), Tue 09-22 (3).
    expect(mainland.addWorkingDays('2026-09-18', 3)).toBe('2026-09-22');
    // Received Fri 2026-02-13: Sat 02-14 make-up (1), 02-15..02-23 off, Tue 02-24 (2).
    expect(mainland.addWorkingDays('2026-02-13', 1)).toBe('2026-02-14');
    expect(mainland.addWorkingDays('2026-02-13', 2)).toBe('2026-02-24');
    // In (02-13, 02-28]: 02-14, 02-24, 02-25, 02-26, 02-27 and the make-up Saturday 02-28.
    expect(mainland.workingDaysBetween('2026-02-13', '2026-02-28')).toBe(6);
  });

  it('has the 13 statutory days of 2027 but no guessed make-up days', () => {
    expect(mainland.covers('2027-06-09')).toBe(true);
    expect(mainland.isWorkingDay('2027-02-05')).toBe(false); // New Year's Eve, a Friday
    expect(mainland.isWorkingDay('2027-02-09')).toBe(true); // the 4th day: not a statutory day
  });
});

describe('the Hong Kong calendar as shipped', () => {
  it('knows the general holidays and that Saturdays are never working days', () => {
    expect(hk.isWorkingDay('2025-10-01')).toBe(false); // National Day, a Wednesday
    expect(hk.isWorkingDay('2025-10-07')).toBe(false); // the day following Mid-Autumn
    expect(hk.isWorkingDay('2025-10-02')).toBe(true); // a working day in Hong Kong, a holiday on the Mainland
    expect(mainland.isWorkingDay('2025-10-02')).toBe(false);
    expect(hk.isWorkingDay('2026-01-04')).toBe(false); // a Sunday; the Mainland works it
  });

  it('carries a time limit over a long weekend', () => {
    // Fri 2026-05-22, then Mon 05-25 (the day following the Birthday of the Buddha) off: Tue 05-26 (1), Wed (2), Thu 05-28 (3).
    expect(hk.addWorkingDays('2026-05-22', 3)).toBe('2026-05-28');
    // Thu 2026-04-02, then Good Friday 04-03, Sat 04-04, Sun, Mon 04-06 and Tue 04-07 off: Wed 04-08 (1), Thu (2), Fri 04-10 (3).
    expect(hk.addWorkingDays('2026-04-02', 3)).toBe('2026-04-10');
    // Wed 2025-12-24, Christmas 12-25 and 12-26 off: Mon 12-29 (1), Tue (2), Wed 12-31 (3).
    expect(hk.addWorkingDays('2025-12-24', 3)).toBe('2025-12-31');
    // The same National Day on both sides: Hong Kong Fri 10-02 (1), Mon 10-05 (2), Tue 10-06 (3).
    expect(hk.addWorkingDays('2026-09-30', 3)).toBe('2026-10-06');
    // In (02-13, 02-28] 2026: 02-16, 02-20, 02-23..02-27 (Lunar New Year 02-17..02-19 off).
    expect(hk.workingDaysBetween('2026-02-13', '2026-02-28')).toBe(7);
  });
});

describe('counting rules', () => {
  it('never counts the first day, counts the last, and returns the date itself for 0 days', () => {
    expect(hk.addWorkingDays('2026-06-01', 0)).toBe('2026-06-01');
    expect(hk.addWorkingDays('2026-06-06', 0)).toBe('2026-06-06'); // even on a Saturday
    expect(hk.addWorkingDays('2026-06-01', 1)).toBe('2026-06-02');
    expect(hk.workingDaysBetween('2026-06-01', '2026-06-01')).toBe(0);
    expect(hk.workingDaysBetween('2026-06-05', '2026-06-01')).toBe(0);
    expect(hk.workingDaysBetween('2026-06-01', '2026-06-02')).toBe(1);
    expect(() => hk.addWorkingDays('2026-06-01', -1)).toThrow(RangeError);
    expect(() => hk.addWorkingDays('2026-06-01', 1.5)).toThrow(RangeError);
    expect(() => hk.addWorkingDays('2026-02-30', 1)).toThrow(RangeError);
  });

  it('uses Monday to Friday outside the years with data, and crosses into them correctly', () => {
    expect(hk.covers('2022-12-30')).toBe(false);
    expect(hk.covers('2028-01-03')).toBe(false);
    expect(hk.covers('2023-01-01')).toBe(true);
    expect(hk.isWorkingDay('2030-01-01')).toBe(true); // a Tuesday, no data
    expect(hk.addWorkingDays('2029-12-28', 1)).toBe('2029-12-31');
    // Fri 2022-12-30 (no data) → Mon 2023-01-02 is a holiday on both calendars → Tue 2023-01-03.
    expect(hk.addWorkingDays('2022-12-30', 1)).toBe('2023-01-03');
    expect(mainland.addWorkingDays('2022-12-30', 1)).toBe('2023-01-03');
    // Thu 2027-12-30 → Fri 12-31 (1), Mon 2028-01-03 (2), Tue 01-04 (3).
    expect(hk.addWorkingDays('2027-12-30', 3)).toBe('2028-01-04');
    expect(hk.workingDaysBetween('2022-12-01', '2028-01-31')).toBe(
      hk.workingDaysBetween('2022-12-01', '2023-01-01') + hk.workingDaysBetween('2023-01-01', '2027-12-31') + hk.workingDaysBetween('2027-12-31', '2028-01-31'),
    );
    const empty = new WorkingCalendar('hong-kong', [], []);
    expect(empty.addWorkingDays('2026-10-01', 3)).toBe('2026-10-06');
    expect(empty.covers('2026-10-01')).toBe(false);
  });

  it('gives the same answers as counting one day at a time, for every day from 2022 to 2028', () => {
    for (const [name, calendar] of [
      ['hong-kong', hk],
      ['mainland', mainland],
    ] as const) {
      const slow = naive(name);
      for (let day = dayNumber('2022-12-01'); day <= dayNumber('2028-01-31'); day += 1) {
        const date = civilFromDays(day);
        expect(calendar.isWorkingDay(date), `${name} ${date}`).toBe(slow.working(date));
        for (const n of [1, 3, 5, 7, 20]) {
          const due = calendar.addWorkingDays(date, n);
          if (due !== slow.add(date, n)) expect(due, `${name} ${date} + ${n}`).toBe(slow.add(date, n));
          if (calendar.workingDaysBetween(date, due) !== n) expect(calendar.workingDaysBetween(date, due), `${name} (${date}, ${due}]`).toBe(n);
        }
      }
    }
  });

  it('answers a queue’s worth of deadlines quickly', () => {
    const started = performance.now();
    let last = '';
    for (let i = 0; i < 10_000; i += 1) last = mainland.addWorkingDays(civilFromDays(dayNumber('2026-01-01') + (i % 365)), 3 + (i % 20));
    expect(last).toMatch(/^2026|^2027/);
    expect(performance.now() - started).toBeLessThan(1_000);
  });
});

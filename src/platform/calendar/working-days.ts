/**
 * Working days on the two calendars time limits are counted on: Hong Kong (Monday to Friday except
 * general holidays) and the Mainland (Monday to Friday except statutory holidays, plus the Saturdays
 * and Sundays made working days in exchange, 调休). Pure arithmetic: the days come from the database
 * (see store.ts). Dates are 'YYYY-MM-DD' strings throughout, as the database returns them.
 */

export const CALENDAR_NAMES = ['hong-kong', 'mainland'] as const;
export type CalendarName = (typeof CALENDAR_NAMES)[number];
export type CalendarDayKind = 'holiday' | 'working-weekend';

/** The calendar an agency counts on: Zhejiang agencies on the Mainland's, every other on Hong Kong's. */
export function calendarForSide(side: 'hong-kong' | 'zhejiang' | 'other' | null): CalendarName {
  return side === 'zhejiang' ? 'mainland' : 'hong-kong';
}

const DATE = /^(\d{4})-(\d{2})-(\d{2})$/;

/** Days since 1970-01-01 of a civil date (proleptic Gregorian; H. Hinnant's days_from_civil). */
function daysFromCivil(y: number, m: number, d: number): number {
  const year = m <= 2 ? y - 1 : y;
  const era = Math.floor(year / 400);
  const yoe = year - era * 400;
  const doy = Math.floor((153 * (m + (m > 2 ? -3 : 9)) + 2) / 5) + d - 1;
  const doe = yoe * 365 + Math.floor(yoe / 4) - Math.floor(yoe / 100) + doy;
  return era * 146_097 + doe - 719_468;
}

/** The day number of a 'YYYY-MM-DD' date; throws on anything that is not a real date. */
export function dayNumber(date: string): number {
  const m = DATE.exec(date);
  if (!m) throw new RangeError(`Not a date (YYYY-MM-DD): ${date}`);
  const y = Number(m[1]);
  const month = Number(m[2]);
  const d = Number(m[3]);
  const n = daysFromCivil(y, month, d);
  // 2026-02-30 would land on another day: only a date that reads back the same is real.
  if (civilFromDays(n) !== date) throw new RangeError(`Not a date: ${date}`);
  return n;
}

/** The 'YYYY-MM-DD' date of a day number (H. Hinnant's civil_from_days). */
export function civilFromDays(n: number): string {
  const z = n + 719_468;
  const era = Math.floor(z / 146_097);
  const doe = z - era * 146_097;
  const yoe = Math.floor((doe - Math.floor(doe / 1460) + Math.floor(doe / 36_524) - Math.floor(doe / 146_096)) / 365);
  const doy = doe - (365 * yoe + Math.floor(yoe / 4) - Math.floor(yoe / 100));
  const mp = Math.floor((5 * doy + 2) / 153);
  const d = doy - Math.floor((153 * mp + 2) / 5) + 1;
  const m = mp < 10 ? mp + 3 : mp - 9;
  const y = yoe + era * 400 + (m <= 2 ? 1 : 0);
  return `${String(y).padStart(4, '0')}-${String(m).padStart(2, '0')}-${String(d).padStart(2, '0')}`;
}

/** ISO day of the week of a day number: 1 Monday … 7 Sunday (1970-01-01 was a Thursday). */
function isoWeekday(n: number): number {
  return ((((n + 3) % 7) + 7) % 7) + 1;
}

/** ISO day of the week of a 'YYYY-MM-DD' date: 1 Monday … 7 Sunday. */
export function weekdayOf(date: string): number {
  return isoWeekday(dayNumber(date));
}

/** Monday-to-Friday days among the first r days of a week that starts on a Thursday (day 0). */
const WEEKDAYS_FROM_THURSDAY = [0, 1, 2, 2, 2, 3, 4, 5];

/** Monday-to-Friday days in [0, n), negative for n < 0: weekdaysBefore(b) - weekdaysBefore(a) counts those in [a, b). */
function weekdaysBefore(n: number): number {
  const weeks = Math.floor(n / 7);
  return weeks * 5 + (WEEKDAYS_FROM_THURSDAY[n - weeks * 7] as number);
}

/**
 * One calendar's working days. The years with data are precomputed into a running count of working
 * days, so every question is a lookup or a short search; outside the span of the data the Monday-to-
 * Friday rule applies (callers may warn: see covers()).
 */
export class WorkingCalendar {
  readonly name: CalendarName;
  private readonly covered: ReadonlySet<number>;
  /** Day number of the first day of the precomputed span, and how many days it has. */
  private readonly start: number;
  private readonly length: number;
  /** running[i]: working days in [start, start + i), for i in 0..length. */
  private readonly running: Int32Array;

  constructor(name: CalendarName, days: readonly { date: string; kind: CalendarDayKind }[], coveredYears: readonly number[]) {
    this.name = name;
    this.covered = new Set(coveredYears);
    const years = [...coveredYears, ...days.map((d) => Number(d.date.slice(0, 4)))];
    if (years.length === 0) {
      this.start = 0;
      this.length = 0;
      this.running = new Int32Array(1);
      return;
    }
    this.start = daysFromCivil(Math.min(...years), 1, 1);
    this.length = daysFromCivil(Math.max(...years) + 1, 1, 1) - this.start;
    const working = new Uint8Array(this.length);
    for (let i = 0; i < this.length; i += 1) working[i] = isoWeekday(this.start + i) <= 5 ? 1 : 0;
    for (const day of days) working[dayNumber(day.date) - this.start] = day.kind === 'holiday' ? 0 : 1;
    this.running = new Int32Array(this.length + 1);
    for (let i = 0; i < this.length; i += 1) this.running[i + 1] = (this.running[i] as number) + (working[i] as number);
  }

  /** Working days in [start-of-time, n), as a potential: before(b) - before(a) counts those in [a, b). */
  private before(n: number): number {
    const offset = n - this.start;
    if (offset <= 0) return weekdaysBefore(n);
    const end = this.start + this.length;
    if (offset <= this.length) return weekdaysBefore(this.start) + (this.running[offset] as number);
    return weekdaysBefore(this.start) + (this.running[this.length] as number) + weekdaysBefore(n) - weekdaysBefore(end);
  }

  isWorkingDay(date: string): boolean {
    const n = dayNumber(date);
    return this.before(n + 1) - this.before(n) === 1;
  }

  /** The n-th working day after date (date itself never counts); date itself for n = 0. */
  addWorkingDays(date: string, n: number): string {
    if (!Number.isInteger(n) || n < 0) throw new RangeError(`A number of working days must be a whole number, 0 or more: ${n}`);
    const from = dayNumber(date);
    if (n === 0) return date;
    // The answer d is the first day with working days in (from, d] = n, i.e. before(d + 1) reaching target.
    const target = this.before(from + 1) + n;
    let low = from + 1;
    let high = from + 1 + n;
    while (this.before(high + 1) < target) {
      low = high + 1;
      high += Math.max(n, 7) * 2;
    }
    while (low < high) {
      const mid = Math.floor((low + high) / 2);
      if (this.before(mid + 1) >= target) high = mid;
      else low = mid + 1;
    }
    return civilFromDays(low);
  }

  /** Working days in (from, to]: from itself does not count, to does; 0 when to is not after from. */
  workingDaysBetween(from: string, to: string): number {
    const a = dayNumber(from);
    const b = dayNumber(to);
    if (b <= a) return 0;
    return this.before(b + 1) - this.before(a + 1);
  }

  /** Whether the year of date has data; outside, only Saturdays and Sundays are days off. */
  covers(date: string): boolean {
    return this.covered.has(Number(date.slice(0, 4)));
  }

  /** The years with data, in order. */
  coveredYears(): number[] {
    return [...this.covered].sort((x, y) => x - y);
  }
}

import { DateTime, IANAZone } from 'luxon';
import rrule from 'rrule';

const { RRule } = rrule;

/** A series may not be written out into more dates than this. */
export const MAX_OCCURRENCES = 200;
/** Frequencies the platform accepts: at most one occurrence a day, so a date names an occurrence. */
const FREQUENCIES = new Set([RRule.DAILY, RRule.WEEKLY, RRule.MONTHLY, RRule.YEARLY]);

export type RuleError = 'rrule_invalid' | 'rrule_frequency' | 'rrule_unbounded' | 'rrule_too_many' | 'rrule_empty';

/** One date of a series: its slot (the date the rule gives it, in the event's zone) and its instants. */
export interface ExpandedOccurrence {
  slot: string;
  startsAt: Date;
  endsAt: Date;
}

export interface Schedule {
  /** Wall-clock time of the first occurrence in `timeZone`, 'YYYY-MM-DDTHH:MM'. */
  startsLocal: string;
  durationMinutes: number;
  timeZone: string;
  /** RRULE value without DTSTART, or null for a one-off event. */
  rrule: string | null;
}

/** Whether a zone is known (luxon keeps one zone object a name; isValidZone would make a formatter at each call). */
export const isTimeZone = (zone: string): boolean => IANAZone.create(zone).isValid;

/** The instant a wall-clock time in a zone stands for. */
export function instantOf(local: string, timeZone: string): Date {
  return DateTime.fromISO(local, { zone: timeZone }).toJSDate();
}

/** One formatter a zone: making one costs far more than using it, and a month's page reads hundreds of dates. */
const wallClocks = new Map<string, Intl.DateTimeFormat>();

/** The wall-clock time of an instant in a zone, 'YYYY-MM-DDTHH:MM'. */
export function localOf(instant: Date, timeZone: string): string {
  let f = wallClocks.get(timeZone);
  if (!f) {
    f = new Intl.DateTimeFormat('en-GB', { timeZone, year: 'numeric', month: '2-digit', day: '2-digit', hour: '2-digit', minute: '2-digit', hourCycle: 'h23' });
    wallClocks.set(timeZone, f);
  }
  const parts: Record<string, string> = {};
  for (const p of f.formatToParts(instant)) parts[p.type] = p.value;
  return `${parts.year}-${parts.month}-${parts.day}T${parts.hour}:${parts.minute}`;
}

function parse(value: string): { ok: true; options: Partial<rrule.Options> } | { ok: false; error: RuleError } {
  try {
    const options = RRule.parseString(value.trim().replace(/^RRULE:/i, ''));
    if (options.freq === undefined || !FREQUENCIES.has(options.freq)) return { ok: false, error: 'rrule_frequency' };
    if (!options.count && !options.until) return { ok: false, error: 'rrule_unbounded' };
    if (options.count && options.count > MAX_OCCURRENCES) return { ok: false, error: 'rrule_too_many' };
    return { ok: true, options };
  } catch {
    return { ok: false, error: 'rrule_invalid' };
  }
}

/**
 * The dates of a schedule. The rule runs on wall-clock time (a "floating" start, as the times were
 * given in the event's zone), and each date's wall-clock time is then placed in the zone: a series at
 * 14:30 stays at 14:30 local time across any change of offset.
 */
export function expandSchedule(schedule: Schedule): { ok: true; occurrences: ExpandedOccurrence[] } | { ok: false; error: RuleError } {
  const start = DateTime.fromISO(schedule.startsLocal, { zone: 'utc' });
  const floating = (d: Date) => DateTime.fromJSDate(d, { zone: 'utc' });
  const place = (wall: DateTime): ExpandedOccurrence => {
    const startsAt = DateTime.fromObject({ year: wall.year, month: wall.month, day: wall.day, hour: wall.hour, minute: wall.minute }, { zone: schedule.timeZone }).toJSDate();
    return { slot: wall.toISODate() as string, startsAt, endsAt: new Date(startsAt.getTime() + schedule.durationMinutes * 60_000) };
  };
  if (!schedule.rrule) return { ok: true, occurrences: [place(start)] };
  const parsed = parse(schedule.rrule);
  if (!parsed.ok) return parsed;
  const rule = new RRule({ ...parsed.options, dtstart: start.toJSDate(), tzid: null });
  const dates = rule.all((_d, i) => i < MAX_OCCURRENCES + 1);
  if (dates.length > MAX_OCCURRENCES) return { ok: false, error: 'rrule_too_many' };
  if (dates.length === 0) return { ok: false, error: 'rrule_empty' };
  return { ok: true, occurrences: dates.map((d) => place(floating(d))) };
}

/** The simple rules the event form builds: every N days, weeks, months or years, a number of times or until a date. */
export interface SimpleRule {
  frequency: 'daily' | 'weekly' | 'monthly' | 'yearly';
  interval: number;
  count: number | null;
  /** Last date, 'YYYY-MM-DD' (inclusive, in the event's zone). */
  until: string | null;
}

const FREQ_NAMES = { daily: 'DAILY', weekly: 'WEEKLY', monthly: 'MONTHLY', yearly: 'YEARLY' } as const;

export function buildRule(rule: SimpleRule): string {
  const parts = [`FREQ=${FREQ_NAMES[rule.frequency]}`];
  if (rule.interval > 1) parts.push(`INTERVAL=${rule.interval}`);
  if (rule.count) parts.push(`COUNT=${rule.count}`);
  else if (rule.until) parts.push(`UNTIL=${rule.until.replaceAll('-', '')}T235959Z`);
  return parts.join(';');
}

/** The simple form of a rule, if it is one the form can show; otherwise undefined (the rule is kept as written). */
export function readRule(value: string): SimpleRule | undefined {
  const parts = new Map(value.split(';').map((p) => p.split('=', 2) as [string, string]));
  const allowed = new Set(['FREQ', 'INTERVAL', 'COUNT', 'UNTIL']);
  if ([...parts.keys()].some((k) => !allowed.has(k))) return undefined;
  const frequency = (Object.entries(FREQ_NAMES).find(([, v]) => v === parts.get('FREQ')) ?? [])[0] as SimpleRule['frequency'] | undefined;
  if (!frequency) return undefined;
  const until = parts.get('UNTIL');
  return {
    frequency,
    interval: Number(parts.get('INTERVAL') ?? 1),
    count: parts.has('COUNT') ? Number(parts.get('COUNT')) : null,
    until: until ? `${until.slice(0, 4)}-${until.slice(4, 6)}-${until.slice(6, 8)}` : null,
  };
}

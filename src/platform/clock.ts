/** The platform's clock: every route, job and view asks it for the current instant (`ctx.now()`). */
export type Clock = () => Date;

/** The real clock. */
export const systemClock: Clock = () => new Date();

/**
 * A clock that starts at `start` and runs on in real time from there: what CLOCK_START sets, so a
 * browser test (or a demonstration) can show the platform on a chosen day, deadlines and all.
 */
export function clockStartingAt(start: Date, real: Clock = systemClock): Clock {
  const offset = start.getTime() - real().getTime();
  return () => new Date(real().getTime() + offset);
}

/** Today's date in a time zone, as 'YYYY-MM-DD'. */
export function todayIn(timeZone: string, now: Date = systemClock()): string {
  let format = dayFormats.get(timeZone);
  if (!format) {
    format = new Intl.DateTimeFormat('en-CA', { timeZone, year: 'numeric', month: '2-digit', day: '2-digit' });
    dayFormats.set(timeZone, format);
  }
  return format.format(now);
}

/** Formatters are costly to create and are asked for on every request. */
const dayFormats = new Map<string, Intl.DateTimeFormat>();

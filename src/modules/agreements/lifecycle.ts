/** How close to the end of the term an agreement counts as expiring. */
const EXPIRING_WITHIN_DAYS = 180;

type Phase = 'not-yet-in-force' | 'in-force' | 'expiring' | 'expired';

export interface Lifecycle {
  phase: Phase;
  /** Days until entry into force, days left in the term (the last day counts as 0), or days since expiry. */
  days: number;
  asOf: string;
}

const DAY = 86_400_000;
const toDay = (date: string): number => Date.parse(`${date}T00:00:00Z`) / DAY;

/**
 * The phase of a term on a given day. The term includes both end dates: an agreement "valid until
 * 26 June 2026" is in force on that day and expired from the next.
 */
export function computeLifecycle(term: { effectiveFrom: string; expiresOn: string }, today: string): Lifecycle {
  const now = toDay(today);
  const start = toDay(term.effectiveFrom);
  const end = toDay(term.expiresOn);
  if (now < start) return { phase: 'not-yet-in-force', days: start - now, asOf: today };
  if (now > end) return { phase: 'expired', days: now - end, asOf: today };
  const left = end - now;
  return { phase: left <= EXPIRING_WITHIN_DAYS ? 'expiring' : 'in-force', days: left, asOf: today };
}

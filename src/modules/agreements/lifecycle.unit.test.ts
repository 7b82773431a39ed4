import { describe, expect, it } from 'vitest';
import { todayIn } from '../../platform/clock.ts';
import { computeLifecycle } from './lifecycle.ts';

const term = { effectiveFrom: '2023-06-26', expiresOn: '2026-06-26' };

describe('lifecycle', () => {
  it.each([
    ['2023-06-25', 'not-yet-in-force', 1],
    ['2023-06-26', 'in-force', 1096],
    ['2025-12-27', 'in-force', 181],
    ['2025-12-28', 'expiring', 180],
    ['2026-06-26', 'expiring', 0],
    ['2026-06-27', 'expired', 1],
    ['2026-11-26', 'expired', 153],
  ])('on %s is %s (%i days)', (today, phase, days) => {
    expect(computeLifecycle(term, today)).toEqual({ phase, days, asOf: today });
  });

  it('reckons today in the configured time zone', () => {
    const instant = new Date('2026-06-26T17:00:00Z');
    expect(todayIn('Asia/Hong_Kong', instant)).toBe('2026-06-27');
    expect(todayIn('UTC', instant)).toBe('2026-06-26');
  });
});

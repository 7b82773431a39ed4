import { describe, expect, it } from 'vitest';
import { clockStartingAt } from './clock.ts';

describe('clockStartingAt', () => {
  it('starts at the given instant and runs on in step with the real clock', () => {
    let real = Date.parse('2026-12-07T10:00:00Z');
    const clock = clockStartingAt(new Date('2025-06-26T01:00:00Z'), () => new Date(real));
    expect(clock().toISOString()).toBe('2025-06-26T01:00:00.000Z');
    real += 90_000;
    expect(clock().toISOString()).toBe('2025-06-26T01:01:30.000Z');
  });
});

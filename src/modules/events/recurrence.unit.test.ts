import { describe, expect, it } from 'vitest';
import { buildRule, expandSchedule, instantOf, isTimeZone, localOf, MAX_OCCURRENCES, readRule } from './recurrence.ts';

describe('recurrence', () => {
  it('writes out a quarterly series at the same wall-clock time in the zone', () => {
    const r = expandSchedule({ startsLocal: '2027-01-15T14:30', durationMinutes: 120, timeZone: 'Asia/Shanghai', rrule: 'FREQ=MONTHLY;INTERVAL=3;COUNT=4' });
    expect(r.ok && r.occurrences.map((o) => [o.slot, o.startsAt.toISOString(), o.endsAt.toISOString()])).toEqual([
      ['2027-01-15', '2027-01-15T06:30:00.000Z', '2027-01-15T08:30:00.000Z'],
      ['2027-04-15', '2027-04-15T06:30:00.000Z', '2027-04-15T08:30:00.000Z'],
      ['2027-07-15', '2027-07-15T06:30:00.000Z', '2027-07-15T08:30:00.000Z'],
      ['2027-10-15', '2027-10-15T06:30:00.000Z', '2027-10-15T08:30:00.000Z'],
    ]);
  });

  it('keeps local time across a change of offset', () => {
    const r = expandSchedule({ startsLocal: '2027-03-01T09:00', durationMinutes: 60, timeZone: 'Europe/London', rrule: 'FREQ=MONTHLY;COUNT=2' });
    expect(r.ok && r.occurrences.map((o) => o.startsAt.toISOString())).toEqual(['2027-03-01T09:00:00.000Z', '2027-04-01T08:00:00.000Z']);
  });

  it('gives a one-off event one date', () => {
    const r = expandSchedule({ startsLocal: '2026-12-08T09:30', durationMinutes: 480, timeZone: 'Asia/Hong_Kong', rrule: null });
    expect(r.ok && r.occurrences).toEqual([{ slot: '2026-12-08', startsAt: new Date('2026-12-08T01:30:00Z'), endsAt: new Date('2026-12-08T09:30:00Z') }]);
  });

  it('ends a rule on its UNTIL date, inclusive', () => {
    const r = expandSchedule({
      startsLocal: '2027-01-04T10:00',
      durationMinutes: 60,
      timeZone: 'Asia/Shanghai',
      rrule: buildRule({ frequency: 'weekly', interval: 1, count: null, until: '2027-01-25' }),
    });
    expect(r.ok && r.occurrences.map((o) => o.slot)).toEqual(['2027-01-04', '2027-01-11', '2027-01-18', '2027-01-25']);
  });

  it('reads the wall-clock time of an instant in a zone, midnight as 00:00, either side of a change of offset', () => {
    expect(localOf(new Date('2027-01-15T06:30:00Z'), 'Asia/Shanghai')).toBe('2027-01-15T14:30');
    expect(localOf(new Date('2027-03-31T16:00:00Z'), 'Asia/Hong_Kong')).toBe('2027-04-01T00:00');
    expect(localOf(new Date('2027-03-28T00:30:00Z'), 'Europe/London')).toBe('2027-03-28T00:30');
    expect(localOf(new Date('2027-03-28T01:30:00Z'), 'Europe/London')).toBe('2027-03-28T02:30');
    expect(localOf(instantOf('2027-11-07T01:30', 'America/New_York'), 'America/New_York')).toBe('2027-11-07T01:30');
    expect([isTimeZone('Asia/Shanghai'), isTimeZone('Atlantis/Capital')]).toEqual([true, false]);
  });

  it('refuses rules it cannot keep', () => {
    const at = { startsLocal: '2027-01-04T10:00', durationMinutes: 60, timeZone: 'Asia/Shanghai' };
    expect(expandSchedule({ ...at, rrule: 'FREQ=HOURLY;COUNT=3' })).toEqual({ ok: false, error: 'rrule_frequency' });
    expect(expandSchedule({ ...at, rrule: 'FREQ=WEEKLY' })).toEqual({ ok: false, error: 'rrule_unbounded' });
    expect(expandSchedule({ ...at, rrule: `FREQ=DAILY;COUNT=${MAX_OCCURRENCES + 1}` })).toEqual({ ok: false, error: 'rrule_too_many' });
    expect(expandSchedule({ ...at, rrule: 'FREQ=DAILY;UNTIL=20300101T000000Z' })).toEqual({ ok: false, error: 'rrule_too_many' });
    expect(expandSchedule({ ...at, rrule: 'nonsense' })).toEqual({ ok: false, error: 'rrule_invalid' });
  });

  it('reads back the rules the form builds', () => {
    const rule = { frequency: 'monthly' as const, interval: 3, count: 4, until: null };
    expect(buildRule(rule)).toBe('FREQ=MONTHLY;INTERVAL=3;COUNT=4');
    expect(readRule(buildRule(rule))).toEqual(rule);
    expect(readRule('FREQ=WEEKLY;BYDAY=MO,WE;COUNT=4')).toBeUndefined();
  });
});

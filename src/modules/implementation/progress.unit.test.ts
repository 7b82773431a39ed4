import { describe, expect, test } from 'vitest';
import { addDays, milestoneTiming, readActuals, rollUp, type RollupInput } from './progress.ts';

const today = '2026-11-26';
const leaf = (status: RollupInput['status'], milestones: RollupInput['milestones'] = []): RollupInput => ({ status, milestones, children: [] });

describe('milestone timing', () => {
  test('scheduled milestones are overdue, due within 14 days, or upcoming; decided ones are closed', () => {
    expect(milestoneTiming({ status: 'scheduled', dueOn: '2026-11-25' }, today)).toBe('overdue');
    expect(milestoneTiming({ status: 'scheduled', dueOn: today }, today)).toBe('due');
    expect(milestoneTiming({ status: 'scheduled', dueOn: '2026-12-10' }, today)).toBe('due');
    expect(milestoneTiming({ status: 'scheduled', dueOn: '2026-12-11' }, today)).toBe('upcoming');
    expect(milestoneTiming({ status: 'met', dueOn: '2026-11-01' }, today)).toBe('closed');
  });

  test('adding days crosses months and leap days', () => {
    expect(addDays('2028-02-28', 1)).toBe('2028-02-29');
    expect(addDays('2026-12-31', 14)).toBe('2027-01-14');
  });
});

describe('roll-up of an action from its children and milestones', () => {
  test('a leaf keeps the state its agency recorded', () => {
    expect(rollUp(leaf('at-risk'), today)).toBe('at-risk');
  });

  test('all children completed and milestones closed: completed', () => {
    expect(rollUp({ status: 'planned', milestones: [{ status: 'met', dueOn: '2025-01-01' }], children: [leaf('completed'), leaf('completed')] }, today)).toBe('completed');
  });

  test('discontinued children do not count', () => {
    expect(rollUp({ status: 'planned', milestones: [], children: [leaf('completed'), leaf('discontinued')] }, today)).toBe('completed');
  });

  test('an overdue milestone of the parent makes it delayed even when its children are fine', () => {
    expect(rollUp({ status: 'in-progress', milestones: [{ status: 'scheduled', dueOn: '2026-01-01' }], children: [leaf('in-progress')] }, today)).toBe('delayed');
  });

  test('delay outranks risk, which outranks progress', () => {
    expect(rollUp({ status: 'planned', milestones: [], children: [leaf('at-risk'), leaf('delayed')] }, today)).toBe('delayed');
    expect(rollUp({ status: 'planned', milestones: [], children: [leaf('at-risk'), leaf('in-progress')] }, today)).toBe('at-risk');
    expect(rollUp({ status: 'planned', milestones: [], children: [leaf('planned'), leaf('completed')] }, today)).toBe('in-progress');
    expect(rollUp({ status: 'completed', milestones: [], children: [leaf('planned')] }, today)).toBe('planned');
  });

  test('roll-up works through grandchildren', () => {
    const grandchild = leaf('delayed');
    expect(rollUp({ status: 'planned', milestones: [], children: [{ status: 'planned', milestones: [], children: [grandchild, leaf('completed')] }] }, today)).toBe('delayed');
  });

  test('a parent recorded as discontinued stays discontinued', () => {
    expect(rollUp({ status: 'discontinued', milestones: [], children: [leaf('in-progress')] }, today)).toBe('discontinued');
  });
});

describe('reading the two sides’ actuals', () => {
  const hk = (value: number, confirmed = false) => ({ side: 'hong-kong' as const, value, text: null, confirmed });
  const zj = (value: number, confirmed = false) => ({ side: 'zhejiang' as const, value, text: null, confirmed });

  test('nothing recorded', () => {
    expect(readActuals('joint', 'number', [])).toEqual({ kind: 'none' });
  });

  test('a joint figure recorded by one side is unconfirmed until the other confirms it', () => {
    expect(readActuals('joint', 'number', [hk(12)])).toEqual({ kind: 'agreed', value: 12, text: null, recordedBy: ['hong-kong'], confirmed: false });
    expect(readActuals('joint', 'number', [hk(12, true)])).toMatchObject({ kind: 'agreed', confirmed: true });
  });

  test('two equal joint figures agree; two different ones are flagged with both shown', () => {
    expect(readActuals('joint', 'number', [hk(12), zj(12)])).toMatchObject({ kind: 'agreed', value: 12, confirmed: true });
    expect(readActuals('joint', 'number', [hk(12), zj(14)])).toMatchObject({ kind: 'differs', hongKong: { value: 12 }, zhejiang: { value: 14 } });
  });

  test('per-side figures add up for numbers but not for percentages', () => {
    expect(readActuals('per-side', 'number', [hk(3), zj(4)])).toMatchObject({ kind: 'per-side', total: 7 });
    expect(readActuals('per-side', 'percentage', [hk(30), zj(40)])).toMatchObject({ kind: 'per-side', total: null });
    expect(readActuals('per-side', 'number', [zj(4)])).toMatchObject({ kind: 'per-side', hongKong: null, total: null });
  });
});

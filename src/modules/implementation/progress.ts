import type { Side } from '../../platform/db/schema.ts';
import type { ActionStatus, MilestoneStatus } from './tables.ts';

/**
 * How far implementation has come, worked out from what was recorded: stages, never invented
 * percentages. Pure functions, shared by the pages, the dashboard, the reports and the API.
 */

export interface MilestoneState {
  status: MilestoneStatus;
  dueOn: string;
}

/** A milestone still scheduled after its due date is overdue; one due within `days` is due soon. */
export function milestoneTiming(m: MilestoneState, today: string, days = 14): 'closed' | 'overdue' | 'due' | 'upcoming' {
  if (m.status !== 'scheduled') return 'closed';
  if (m.dueOn < today) return 'overdue';
  return m.dueOn <= addDays(today, days) ? 'due' : 'upcoming';
}

export function addDays(date: string, days: number): string {
  const d = new Date(`${date}T00:00:00Z`);
  d.setUTCDate(d.getUTCDate() + days);
  return d.toISOString().slice(0, 10);
}

export interface RollupInput {
  status: ActionStatus;
  milestones: MilestoneState[];
  children: RollupInput[];
}

/**
 * An action's state. A leaf action has the state its agency recorded. A parent's state rolls up from
 * its children and its own milestones: discontinued children do not count; all done makes it
 * completed; a delayed child, an overdue or missed milestone makes it delayed; a child at risk makes
 * it at risk; any work started makes it in progress. A parent recorded as discontinued stays so.
 */
export function rollUp(action: RollupInput, today: string): ActionStatus {
  if (action.status === 'discontinued' || action.children.length === 0) return action.status;
  const children = action.children.map((c) => rollUp(c, today)).filter((s) => s !== 'discontinued');
  if (children.length === 0) return action.status;
  const timings = action.milestones.map((m) => milestoneTiming(m, today));
  const missed = action.milestones.some((m) => m.status === 'not-met') || timings.includes('overdue');
  if (children.every((s) => s === 'completed') && timings.every((t) => t === 'closed') && !missed) return 'completed';
  if (missed || children.includes('delayed')) return 'delayed';
  if (children.includes('at-risk')) return 'at-risk';
  if (children.some((s) => s !== 'planned') || action.milestones.some((m) => m.status !== 'scheduled')) return 'in-progress';
  return 'planned';
}

export interface ActualFigure {
  side: Side;
  value: number | null;
  text: string | null;
  confirmed: boolean;
}

export type Reading =
  | { kind: 'none' }
  /** Joint: one figure, recorded by one side (and perhaps confirmed by the other) or by both alike. */
  | { kind: 'agreed'; value: number | null; text: string | null; recordedBy: Side[]; confirmed: boolean }
  /** Joint: the two sides recorded different figures; pages show both and flag it. */
  | { kind: 'differs'; hongKong: ActualFigure; zhejiang: ActualFigure }
  /** Per side: each side's own figure, and their sum where figures add up. */
  | { kind: 'per-side'; hongKong: ActualFigure | null; zhejiang: ActualFigure | null; total: number | null };

/** What the public sees for one period of an indicator, from the approved actuals of each side. */
export function readActuals(scope: 'joint' | 'per-side', measure: 'number' | 'percentage' | 'qualitative', actuals: ActualFigure[]): Reading {
  const hongKong = actuals.find((a) => a.side === 'hong-kong') ?? null;
  const zhejiang = actuals.find((a) => a.side === 'zhejiang') ?? null;
  if (!hongKong && !zhejiang) return { kind: 'none' };
  if (scope === 'per-side') {
    const total = measure === 'number' && hongKong?.value != null && zhejiang?.value != null ? hongKong.value + zhejiang.value : null;
    return { kind: 'per-side', hongKong, zhejiang, total };
  }
  if (hongKong && zhejiang) {
    const same = measure === 'qualitative' ? hongKong.text === zhejiang.text : hongKong.value === zhejiang.value;
    if (!same) return { kind: 'differs', hongKong, zhejiang };
    return { kind: 'agreed', value: hongKong.value, text: hongKong.text, recordedBy: ['hong-kong', 'zhejiang'], confirmed: true };
  }
  const only = (hongKong ?? zhejiang) as ActualFigure;
  return { kind: 'agreed', value: only.value, text: only.text, recordedBy: [only.side], confirmed: only.confirmed };
}

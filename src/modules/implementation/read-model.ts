import { groupBy } from '../../platform/collections.ts';
import type { Db } from '../../platform/db/index.ts';
import { ReadModelCache, ttlFor } from '../../platform/read-model.ts';
import { findOrganisations, type Organisation } from '../organisations/index.ts';
import type { Side } from '../../platform/db/schema.ts';
import type { ActionStatus } from './tables.ts';
import type { IndicatorCountSource, SideCounts } from '../../platform/indicator-counts.ts';
import { attachCounts, countActuals } from './indicator-counts.ts';
import { addDays, milestoneTiming, rollUp, type RollupInput } from './progress.ts';
import { type Action, findActions } from './queries/actions.ts';
import { countIndicators, findIndicators, type Indicator } from './queries/indicators.ts';
import { findMilestones, findMilestoneStates, type Milestone } from './queries/milestones.ts';
import { findProjectAgreements, type ProjectAgreement } from './queries/project-agreements.ts';
import type { FileRef } from './queries/shared.ts';
import { findAttachments, findUpdates, type ProgressUpdate, type UpdateFilter } from './queries/updates.ts';
import { ACTION_STATUSES } from './schemas.ts';
import { type CommitmentKey, findCommitmentKeys } from '../agreements/index.ts';

/** An action with its state rolled up from its children and milestones, for public pages. */
export interface ActionNode extends Action {
  effectiveStatus: ActionStatus;
  milestones: Milestone[];
  children: ActionNode[];
}

export interface CommitmentImplementation {
  actions: ActionNode[];
  indicators: Indicator[];
  projectAgreements: ProjectAgreement[];
  history: (ProgressUpdate & { attachments: FileRef[] })[];
}

export type StageCounts = Record<ActionStatus, number>;

export interface MilestoneCounts {
  met: number;
  due: number;
  overdue: number;
  total: number;
}

export interface DashboardFilter {
  area?: number | undefined;
  side?: Side | undefined;
  agency?: string | undefined;
  from?: string | undefined;
  to?: string | undefined;
}

interface DashboardRow {
  commitment: CommitmentKey;
  stages: StageCounts;
  milestones: MilestoneCounts;
}

export interface Dashboard {
  rows: DashboardRow[];
  latest: ProgressUpdate[];
  /** The first indicators of the area (the dashboard shows a few), and how many it has. */
  indicators: Indicator[];
  indicatorCount: number;
}

/** How many indicators the dashboard of an area shows with their charts. */
const DASHBOARD_INDICATORS = 24;

interface Base {
  commitments: CommitmentKey[];
  actions: Action[];
  status: Map<number, ActionStatus>;
  milestones: Map<number, { status: Milestone['status']; dueOn: string }[]>;
}

/** The clock of the read model: today's date, the instant, and the platform's time zone (counted indicators count by them). */
export interface ReadModelClock {
  today(): string;
  now(): Date;
  timeZone: string;
  /** The count sources of the app's modules (`indicatorCountSources(ctx.modules)`): counted indicators count with them. */
  sources: readonly IndicatorCountSource[];
}

/** The actuals of the counted indicators' begun periods (by period id), and when a count changes next by itself. */
export interface EventCounts {
  periods: Map<number, SideCounts>;
  nextStart: Date | null;
}

const emptyStages = (): StageCounts => Object.fromEntries(ACTION_STATUSES.map((s) => [s, 0])) as StageCounts;

/**
 * The public, approved-only view of implementation, kept in memory between changes. With the embedded
 * database every write happens in this process and drops the copy at once; with a PostgreSQL server,
 * where another process may write, a copy is also refreshed after a few seconds.
 */
export class ImplementationReadModel {
  private readonly cache: ReadModelCache;

  /** `clock`: the app's today, now and configured time zone (AppContext). */
  constructor(
    private readonly db: Db,
    private readonly clock: ReadModelClock,
    ttlMs = ttlFor(db),
  ) {
    // By the app's clock: the counts held change by themselves at its instants (and it runs on as the real one does).
    this.cache = new ReadModelCache({ name: 'implementation', ttlMs, parts: () => this.today(), now: () => clock.now().getTime(), limit: 256 });
  }

  private today(): string {
    return this.clock.today();
  }

  /**
   * Changes whenever what the public sees may have changed: at every change made through this
   * process, at every new day, and (where another process may write) every `ttlMs`. Copies held here
   * and pages cached under it are good while it is unchanged.
   */
  stamp(): string {
    return this.cache.stamp();
  }

  invalidate(): void {
    this.cache.invalidate();
  }

  /** The organisations by id (names of lead agencies and parties on every page). */
  organisations(): Promise<Map<string, Organisation>> {
    return this.cache.memo('organisations', () => findOrganisations(this.db.kysely).then((list) => new Map(list.map((o) => [o.id, o]))));
  }

  /**
   * The actuals of every counted indicator, counted once and held like the other reads: until
   * something changes (writes to the records counted call ctx.invalidate()), the day turns, or a
   * count changes by itself (an occurrence counted starts).
   */
  eventCounts(): Promise<EventCounts> {
    const count = async (): Promise<EventCounts> => {
      const counts = await countActuals(this.db.kysely, this.clock.sources, { now: this.clock.now(), timeZone: this.clock.timeZone });
      return { periods: counts.periods, nextStart: counts.nextChange };
    };
    return this.cache.memo('event-counts', count, { until: (counts) => counts.nextStart });
  }

  /** Indicators with the counts of the counted ones attached. */
  async withCounts(indicators: Indicator[]): Promise<Indicator[]> {
    return indicators.some((i) => i.countedBy !== null) ? attachCounts(indicators, await this.eventCounts()) : indicators;
  }

  private loadBase(): Promise<Base> {
    return this.cache.memo('base', async () => {
      const db = this.db.kysely;
      const [commitments, actions, states] = await Promise.all([findCommitmentKeys(db), findActions(db), findMilestoneStates(db)]);
      const milestones = groupBy(states, (m) => m.actionId);
      return { commitments, actions, milestones, status: effectiveStatuses(actions, milestones, this.today()) };
    });
  }

  /** Every action, as recorded (top-level and below). */
  async actions(): Promise<Action[]> {
    return (await this.loadBase()).actions;
  }

  async commitmentKeys(): Promise<CommitmentKey[]> {
    return (await this.loadBase()).commitments;
  }

  async actionStatus(id: number): Promise<ActionStatus | undefined> {
    return (await this.loadBase()).status.get(id);
  }

  /** Everything the commitment page's implementation section shows. */
  commitment(commitmentId: number): Promise<CommitmentImplementation> {
    return this.cache.memo(`commitment:${commitmentId}`, async () => {
      const db = this.db.kysely;
      const base = await this.loadBase();
      const actions = base.actions.filter((a) => a.commitmentId === commitmentId);
      const [milestones, indicators, projectAgreements, history] = await Promise.all([
        findMilestones(db, { actionIds: actions.map((a) => a.id) }),
        findIndicators(db, { commitmentIds: [commitmentId] }),
        findProjectAgreements(db, { commitmentIds: [commitmentId] }),
        findUpdates(db, { commitmentIds: [commitmentId], states: ['approved'], limit: 20 }),
      ]);
      const attachments = await findAttachments(
        db,
        history.map((u) => u.id),
      );
      return {
        actions: actionTree(actions, milestones, base.status),
        indicators: await this.withCounts(indicators),
        projectAgreements,
        history: history.map((u) => ({ ...u, attachments: attachments.get(u.id) ?? [] })),
      };
    });
  }

  /** Counts per commitment for the dashboard, with the latest approved updates and the indicators in scope. */
  async dashboard(filter: DashboardFilter): Promise<Dashboard> {
    const base = await this.loadBase();
    const today = this.today();
    const commitments = base.commitments.filter((c) => filter.area === undefined || c.areaNumber === filter.area);
    const inScope = (a: Action) =>
      (!filter.side || (filter.side === 'hong-kong' ? a.leadHongKong !== null : a.leadZhejiang !== null)) &&
      (!filter.agency || a.leadHongKong === filter.agency || a.leadZhejiang === filter.agency || a.partners.includes(filter.agency)) &&
      (!filter.from || !a.endsOn || a.endsOn >= filter.from) &&
      (!filter.to || !a.startsOn || a.startsOn <= filter.to);
    const rows = commitments.map((commitment) => {
      const stages = emptyStages();
      const milestones: MilestoneCounts = { met: 0, due: 0, overdue: 0, total: 0 };
      for (const action of base.actions) {
        if (action.commitmentId !== commitment.id || !inScope(action)) continue;
        // Top-level actions count once, with their state rolled up; milestones count at every level.
        if (action.parentId === null) stages[base.status.get(action.id) ?? action.status] += 1;
        for (const m of base.milestones.get(action.id) ?? []) {
          if ((filter.from && m.dueOn < filter.from) || (filter.to && m.dueOn > filter.to)) continue;
          milestones.total += 1;
          if (m.status === 'met' || m.status === 'partially-met') milestones.met += 1;
          const timing = milestoneTiming(m, today);
          if (timing === 'overdue') milestones.overdue += 1;
          else if (timing === 'due') milestones.due += 1;
        }
      }
      return { commitment, stages, milestones };
    });
    const ids = commitments.map((c) => c.id);
    const updateFilter: UpdateFilter = {
      states: ['approved'],
      limit: 10,
      ...(filter.area !== undefined ? { commitmentIds: ids } : {}),
      ...(filter.side ? { side: filter.side } : {}),
      ...(filter.agency ? { organisationIds: [filter.agency] } : {}),
      ...(filter.from ? { approvedFrom: filter.from } : {}),
    };
    if (filter.to) updateFilter.approvedBefore = addDays(filter.to, 1);
    const byArea = filter.area !== undefined;
    const [latest, indicators, indicatorCount] = await Promise.all([
      findUpdates(this.db.kysely, updateFilter),
      byArea ? findIndicators(this.db.kysely, { commitmentIds: ids, limit: DASHBOARD_INDICATORS }) : Promise.resolve([]),
      byArea ? countIndicators(this.db.kysely, ids) : Promise.resolve(0),
    ]);
    return { rows, latest, indicators: await this.withCounts(indicators), indicatorCount };
  }
}

/** Every action's state, rolled up from the bottom of each tree. */
export function effectiveStatuses(actions: Action[], milestones: Map<number, { status: Milestone['status']; dueOn: string }[]>, today: string): Map<number, ActionStatus> {
  const children = groupBy(actions, (a) => a.parentId);
  const input = (a: Action, depth: number): RollupInput => ({
    status: a.status,
    milestones: milestones.get(a.id) ?? [],
    children: depth > 20 ? [] : (children.get(a.id) ?? []).map((c) => input(c, depth + 1)),
  });
  return new Map(actions.map((a) => [a.id, rollUp(input(a, 0), today)]));
}

/** Actions arranged under their parents, each with its milestones. */
function actionTree(actions: Action[], milestones: Milestone[], status: Map<number, ActionStatus>): ActionNode[] {
  const nodes = new Map<number, ActionNode>(actions.map((a) => [a.id, { ...a, effectiveStatus: status.get(a.id) ?? a.status, milestones: [], children: [] }]));
  for (const m of milestones) nodes.get(m.actionId)?.milestones.push(m);
  const roots: ActionNode[] = [];
  for (const node of nodes.values()) {
    const parent = node.parentId === null ? undefined : nodes.get(node.parentId);
    if (parent) parent.children.push(node);
    else roots.push(node);
  }
  return roots;
}

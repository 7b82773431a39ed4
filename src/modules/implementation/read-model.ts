import { groupBy } from '../../platform/collections.ts';
import type { Db } from '../../platform/db/index.ts';
import { findOrganisations, type Organisation } from '../organisations/index.ts';
import type { Side } from '../../platform/db/schema.ts';
import type { ActionStatus } from './tables.ts';
import { countEvents, type EventCounts, withEventCounts } from './event-counts.ts';
import { addDays, milestoneTiming, rollUp, type RollupInput } from './progress.ts';
import { type Action, type FileRef, findActions, findAttachments, countIndicators, findIndicators, findMilestones, findMilestoneStates, findProjectAgreements, findUpdates, type Indicator, type Milestone, type ProgressUpdate, type ProjectAgreement, type UpdateFilter } from './queries.ts';
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

export interface DashboardRow {
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
export const DASHBOARD_INDICATORS = 24;

interface Base {
  commitments: CommitmentKey[];
  actions: Action[];
  status: Map<number, ActionStatus>;
  milestones: Map<number, { status: Milestone['status']; dueOn: string }[]>;
}

/** The clock of the read model: today's date, the instant, and the platform's time zone (indicators fed by events count by them). */
export interface ReadModelClock {
  today(): string;
  now(): Date;
  timeZone: string;
}

export const emptyStages = (): StageCounts => Object.fromEntries(ACTION_STATUSES.map((s) => [s, 0])) as StageCounts;

/**
 * The public, approved-only view of implementation, kept in memory between changes. With the embedded
 * database every write happens in this process and drops the copy at once; with a PostgreSQL server,
 * where another process may write, a copy is also refreshed after a few seconds.
 */
export class ImplementationReadModel {
  private base: { stamp: string; value: Promise<Base> } | undefined;
  private commitments = new Map<number, { stamp: string; value: Promise<CommitmentImplementation> }>();
  private organisationsCache: { stamp: string; value: Promise<Map<string, Organisation>> } | undefined;
  private countsCache: { stamp: string; value: Promise<EventCounts> } | undefined;
  /** When the counts held change next by themselves (an occurrence they count starts). */
  private countsDue: Date | null = null;
  private version = 0;

  /** `clock`: the app's today, now and configured time zone (AppContext). */
  constructor(
    private readonly db: Db,
    private readonly clock: ReadModelClock,
    private readonly ttlMs = db.kind === 'pglite' ? Number.POSITIVE_INFINITY : 5_000,
  ) {}

  private today(): string {
    return this.clock.today();
  }

  /**
   * Changes whenever what the public sees may have changed: at every change made through this
   * process, at every new day, and (where another process may write) every `ttlMs`. Copies held here
   * and pages cached under it are good while it is unchanged.
   */
  stamp(): string {
    // Counts of events held go up by themselves when an occurrence they count starts.
    if (this.countsDue !== null && this.clock.now() >= this.countsDue) this.invalidate();
    const period = Number.isFinite(this.ttlMs) ? Math.floor(Date.now() / this.ttlMs) : 0;
    return `${this.version}:${period}:${this.today()}`;
  }

  invalidate(): void {
    this.version += 1;
    this.base = undefined;
    this.commitments.clear();
    this.organisationsCache = undefined;
    this.countsCache = undefined;
    this.countsDue = null;
  }

  private fresh(entry: { stamp: string }): boolean {
    return entry.stamp === this.stamp();
  }

  /** The organisations by id (names of lead agencies and parties on every page). */
  organisations(): Promise<Map<string, Organisation>> {
    if (this.organisationsCache && this.fresh(this.organisationsCache)) return this.organisationsCache.value;
    const value = findOrganisations(this.db.kysely).then((list) => new Map(list.map((o) => [o.id, o])));
    this.organisationsCache = { stamp: this.stamp(), value };
    value.catch(() => {
      if (this.organisationsCache?.value === value) this.organisationsCache = undefined;
    });
    return value;
  }

  /**
   * The actuals of every indicator fed by events, counted in one query and held like the other
   * reads: until something changes (events writes call ctx.invalidate()), the day turns, or an
   * occurrence they count starts.
   */
  eventCounts(): Promise<EventCounts> {
    if (this.countsCache && this.fresh(this.countsCache)) return this.countsCache.value;
    const stamp = this.stamp();
    const value: Promise<EventCounts> = countEvents(this.db.kysely, { now: this.clock.now(), timeZone: this.clock.timeZone }).then((counts) => {
      if (this.countsCache?.value === value) this.countsDue = counts.nextStart;
      return counts;
    });
    this.countsCache = { stamp, value };
    value.catch(() => {
      if (this.countsCache?.value === value) this.countsCache = undefined;
    });
    return value;
  }

  /** Indicators with the counts of those fed by events attached. */
  async withCounts(indicators: Indicator[]): Promise<Indicator[]> {
    return indicators.some((i) => i.countsEvents !== null) ? withEventCounts(indicators, await this.eventCounts()) : indicators;
  }

  private loadBase(): Promise<Base> {
    if (this.base && this.fresh(this.base)) return this.base.value;
    const value = (async () => {
      const db = this.db.kysely;
      const [commitments, actions, states] = await Promise.all([findCommitmentKeys(db), findActions(db), findMilestoneStates(db)]);
      const milestones = groupBy(states, (m) => m.actionId);
      return { commitments, actions, milestones, status: effectiveStatuses(actions, milestones, this.today()) };
    })();
    this.base = { stamp: this.stamp(), value };
    value.catch(() => {
      if (this.base?.value === value) this.base = undefined;
    });
    return value;
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
    const hit = this.commitments.get(commitmentId);
    if (hit && this.fresh(hit)) return hit.value;
    const value = (async () => {
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
    })();
    this.commitments.set(commitmentId, { stamp: this.stamp(), value });
    if (this.commitments.size > 200) this.commitments.delete(this.commitments.keys().next().value as number);
    value.catch(() => this.commitments.delete(commitmentId));
    return value;
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
export function actionTree(actions: Action[], milestones: Milestone[], status: Map<number, ActionStatus>): ActionNode[] {
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

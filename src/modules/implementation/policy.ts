import { definePolicy, type PolicyResources } from '../../platform/auth/authorize.ts';
import { agenciesOf, coordinatesSide, hasRole, type Principal } from '../../platform/auth/roles.ts';
import type { Side } from '../../platform/db/schema.ts';

/** What the rules need to know about an action. */
export interface ActionRef {
  leadHongKong: string | null;
  leadZhejiang: string | null;
}

/** What the rules need to know about a progress update. */
export interface UpdateRef {
  organisationId: string;
  side: Side;
  state: 'draft' | 'submitted' | 'returned' | 'approved';
  authorId: string | null;
}

function leads(p: Principal, action: ActionRef): boolean {
  const agencies = agenciesOf(p);
  return agencies.some((a) => a === action.leadHongKong || a === action.leadZhejiang);
}

const isCoordinator = (p: Principal) => hasRole(p, 'custodian-coordinator');
const isAdministrator = (p: Principal) => hasRole(p, 'administrator');

export const implementationPolicy = definePolicy({
  /** The officers' workspace: their actions, milestones and updates. */
  'implementation.workspace': (p) => hasRole(p, 'agency-officer') || isCoordinator(p) || isAdministrator(p),
  /**
   * Add an action under a commitment (coordinators, administrators), or a sub-action under an action
   * the officer's agency leads.
   */
  'action.create': (p, resource?: ActionRef) => isCoordinator(p) || isAdministrator(p) || (resource !== undefined && leads(p, resource)),
  /** Change an action, its milestones and its sub-actions: its lead agencies, coordinators, administrators. */
  'action.edit': (p, action: ActionRef) => isCoordinator(p) || isAdministrator(p) || leads(p, action),
  /** Assign the lead agency of one side: that side's coordinators and administrators. */
  'action.assign-lead': (p, side: Side) => isAdministrator(p) || coordinatesSide(p, side),
  /** Report progress on an action: officers (and coordinators) of one of its lead agencies. */
  'update.create': (p, action: ActionRef) => leads(p, action),
  /** Edit and submit a draft or returned update: people of the agency that wrote it. */
  'update.edit': (p, u: UpdateRef) => {
    return (u.state === 'draft' || u.state === 'returned') && agenciesOf(p).includes(u.organisationId);
  },
  /** Approve or return a submitted update: a coordinator of the same side, never its own author. */
  'update.decide': (p, u: UpdateRef) => {
    return u.state === 'submitted' && coordinatesSide(p, u.side) && u.authorId !== p.user.id;
  },
  /** Confirm the other side's figure for a joint indicator: that other side's coordinators. */
  'actual.confirm': (p, recordedBy: Side) => {
    return coordinatesSide(p, recordedBy === 'hong-kong' ? 'zhejiang' : 'hong-kong');
  },
  /** Define indicators, their baselines, periods and targets. */
  'indicator.manage': (p) => isCoordinator(p) || isAdministrator(p),
  /** Record project agreements signed under the framework. */
  'project-agreement.manage': (p) => isCoordinator(p) || isAdministrator(p),
  /** Record meetings, their minutes and decisions. */
  'meeting.manage': (p) => isCoordinator(p) || isAdministrator(p),
});

declare module '../../platform/auth/authorize.ts' {
  interface Policies extends PolicyResources<typeof implementationPolicy> {}
}

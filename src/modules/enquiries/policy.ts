import { definePolicy, type PolicyResources } from '../../platform/auth/authorize.ts';
import { coordinatesSide, hasRole, type Principal } from '../../platform/auth/roles.ts';
import type { EnquiryState } from './tables.ts';

/** What the rules need to know about a case. */
export interface CaseRef {
  agencyId: string | null;
  side: 'hong-kong' | 'zhejiang' | 'other';
  state: EnquiryState;
}

const isOfficer = (p: Principal) => hasRole(p, 'agency-officer');
const isCoordinator = (p: Principal) => hasRole(p, 'custodian-coordinator');

/** An officer of the agency handling the case now (not of one that handled it before). */
function handles(p: Principal, c: CaseRef): boolean {
  return c.agencyId !== null && p.roles.some((g) => g.role === 'agency-officer' && g.organisationId === c.agencyId);
}

/** Coordinators oversee their side's cases, and every case refused by two agencies. */
function oversees(p: Principal, c: CaseRef): boolean {
  if (c.state === 'with-coordinators') return isCoordinator(p);
  return (c.side === 'hong-kong' || c.side === 'zhejiang') && coordinatesSide(p, c.side);
}

const active = (c: CaseRef) => c.state === 'open' || c.state === 'awaiting-citizen';

export const enquiriesPolicy = definePolicy({
  /** The queue of cases: officers (their agencies') and coordinators (their side's and those sent to them). */
  'enquiry.queue': (p) => isOfficer(p) || isCoordinator(p),
  /**
   * A case and the personal data in it: the handling agency's officers and the coordinators who
   * oversee it; nobody else (not administrators, not agencies that handled it before).
   */
  'enquiry.view': (p, c: CaseRef) => handles(p, c) || oversees(p, c),
  /** Reply, note, ask for information, transfer, extend, close: the handling agency, and its coordinators. */
  'enquiry.handle': (p, c: CaseRef) => {
    return active(c) && (handles(p, c) || oversees(p, c));
  },
  /** Send a case to an agency: coordinators, for cases refused twice and for their side's open cases. */
  'enquiry.assign': (p, c: CaseRef) => {
    return c.state !== 'closed' && isCoordinator(p) && oversees(p, c);
  },
  /** Topics' routing, time limits, extension cap, warning lead and purge period. */
  'enquiry.settings': (p) => isCoordinator(p) || hasRole(p, 'administrator'),
});

declare module '../../platform/auth/authorize.ts' {
  interface Policies extends PolicyResources<typeof enquiriesPolicy> {}
}

import { definePolicy, type PolicyResources } from '../../platform/auth/authorize.ts';
import { hasRole, type Principal, type Role } from '../../platform/auth/roles.ts';

/** What an invitation would grant. */
export interface InvitationTarget {
  role: Role;
  organisationSide: 'hong-kong' | 'zhejiang' | 'other' | null;
}

export const accountPolicy = definePolicy({
  /** Change one's own account (email address): anyone fully signed in. */
  'account.manage': () => true,
  /** Find people, grant and remove roles, disable accounts. */
  'user.manage': (p) => hasRole(p, 'administrator'),
  /** See and withdraw invitations. */
  'invitation.manage': (p) => hasRole(p, 'custodian-coordinator') || hasRole(p, 'administrator'),
  /**
   * Invite someone to a role: administrators any role; a custodian coordinator, officers of agencies
   * on their own side.
   */
  'invitation.create': (p: Principal, target?: InvitationTarget) => {
    if (hasRole(p, 'administrator')) return true;
    if (target?.role !== 'agency-officer') return false;
    return p.roles.some((g) => g.role === 'custodian-coordinator' && g.side !== null && g.side === target.organisationSide);
  },
});

declare module '../../platform/auth/authorize.ts' {
  interface Policies extends PolicyResources<typeof accountPolicy> {}
}

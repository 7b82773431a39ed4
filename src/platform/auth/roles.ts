export const ROLES = ['resident', 'enterprise-representative', 'agency-officer', 'custodian-coordinator', 'administrator'] as const;
export type Role = (typeof ROLES)[number];

/** Roles that act for an organisation must name it. */
export const ORGANISATION_ROLES: readonly Role[] = ['enterprise-representative', 'agency-officer', 'custodian-coordinator'];

/** Officers and above must enrol two-factor authentication before they can do anything else. */
export const TWO_FACTOR_ROLES: readonly Role[] = ['agency-officer', 'custodian-coordinator', 'administrator'];

export interface RoleGrant {
  role: Role;
  organisationId: string | null;
  /** The side of the organisation (an officer's side follows the agency). */
  side: 'hong-kong' | 'zhejiang' | 'other' | null;
}

export interface Principal {
  user: { id: string; email: string; displayName: string; locale: 'zh-Hant' | 'zh-Hans' | 'en'; emailVerified: boolean; twoFactorEnabled: boolean };
  roles: RoleGrant[];
  session: { id: string; secondFactorDone: boolean };
}

export function hasRole(principal: Principal | null, role: Role, organisationId?: string): boolean {
  return !!principal?.roles.some((g) => g.role === role && (organisationId === undefined || g.organisationId === organisationId));
}

/** The organisations a person acts for as an officer or a coordinator. */
export function agenciesOf(p: Principal): string[] {
  return p.roles.filter((g) => (g.role === 'agency-officer' || g.role === 'custodian-coordinator') && g.organisationId).map((g) => g.organisationId as string);
}

/** Whether a person is a coordinator of that side. */
export function coordinatesSide(p: Principal, side: NonNullable<RoleGrant['side']>): boolean {
  return p.roles.some((g) => g.role === 'custodian-coordinator' && g.side === side);
}

export function needsTwoFactor(principal: Principal): boolean {
  return principal.roles.some((g) => TWO_FACTOR_ROLES.includes(g.role));
}

/**
 * Whether the person may act with their roles yet: officers and above need two-factor enrolled and
 * passed in this session; everyone needs a verified email.
 */
export function isFullySignedIn(principal: Principal | null): principal is Principal {
  if (!principal?.user.emailVerified) return false;
  if (!needsTwoFactor(principal)) return true;
  return principal.user.twoFactorEnabled && principal.session.secondFactorDone;
}

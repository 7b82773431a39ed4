import { definePolicy, type PolicyResources } from '../../platform/auth/authorize.ts';
import { hasRole } from '../../platform/auth/roles.ts';

export const agreementPolicy = definePolicy({
  /** Record what the custodians say about renewal: under negotiation, renewed, lapsed. */
  'agreement.renewal.record': (p) => hasRole(p, 'custodian-coordinator') || hasRole(p, 'administrator'),
});

declare module '../../platform/auth/authorize.ts' {
  interface Policies extends PolicyResources<typeof agreementPolicy> {}
}

import { definePolicy, type PolicyResources } from '../../platform/auth/authorize.ts';
import { hasRole } from '../../platform/auth/roles.ts';

export const organisationPolicy = definePolicy({
  /** Add and edit organisations, in the admin area. */
  'organisation.manage': (principal) => hasRole(principal, 'administrator'),
});

declare module '../../platform/auth/authorize.ts' {
  interface Policies extends PolicyResources<typeof organisationPolicy> {}
}

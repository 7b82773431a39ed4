import { definePolicy, type PolicyResources } from '../../platform/auth/authorize.ts';
import { hasRole } from '../../platform/auth/roles.ts';

export const adminPolicy = definePolicy({
  /** See the admin area at all. */
  'admin.access': (p) => hasRole(p, 'administrator') || hasRole(p, 'custodian-coordinator'),
  /** Browse the audit trail. */
  'audit.browse': (p) => hasRole(p, 'administrator') || hasRole(p, 'custodian-coordinator'),
  /** See outgoing mail and its delivery (and, where the dev mailbox is on, the messages themselves). */
  'mail.outbox.view': (p) => hasRole(p, 'administrator'),
});

declare module '../../platform/auth/authorize.ts' {
  interface Policies extends PolicyResources<typeof adminPolicy> {}
}

import { ADMINS, COORDINATORS, type ModuleMatrix } from '../../platform/access-matrix.ts';

/** The administration hub and the audit trail (coordinators too), the dev mailbox (administrators). */
export const adminMatrix: ModuleMatrix = {
  lines: {
    'GET /{lang}/admin': { url: '/en/admin', expect: COORDINATORS },
    'GET /{lang}/admin/audit': { url: '/en/admin/audit', expect: COORDINATORS },
    'GET /{lang}/admin/mailbox': { url: '/en/admin/mailbox', expect: ADMINS },
  },
};

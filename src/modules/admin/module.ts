import { writeCheckpoint } from '../../platform/audit/audit.ts';
import { authorize } from '../../platform/auth/authorize.ts';
import { recurring } from '../../platform/jobs/schedule.ts';
import type { ModuleManifest } from '../../platform/module.ts';
import { adminPolicy } from './policy.ts';
import { adminRoutes } from './routes.tsx';
import { adminMessages } from './messages.ts';

/** Records every audit chain's head once a day, so that cutting the trail short afterwards is seen. */
export const AUDIT_CHECKPOINT = 'audit.checkpoint';

export const adminModule: ModuleManifest = {
  name: 'admin',
  messages: adminMessages,
  matrix: async () => (await import('./matrix.ts')).adminMatrix,
  policy: adminPolicy,
  nav: [{ label: 'nav.admin', path: '/admin', action: 'admin.access', order: 90 }],
  adminLinks: [
    { label: 'admin.audit.title', path: '/admin/audit', action: 'audit.browse', order: 10 },
    { label: 'admin.mailbox.title', path: '/admin/mailbox', action: 'mail.outbox.view', order: 20 },
  ],
  routes: adminRoutes,
  // Outgoing mail is addressed to people: those who may see the outbox.
  auditSubjects: { mail: (_db, p) => (authorize(p, 'mail.outbox.view') ? 'all' : 'none') },
  jobs(config) {
    return {
      handlers: {
        [AUDIT_CHECKPOINT]: async (_payload: unknown, job) => {
          const checkpoint = await writeCheckpoint(job.db, { reason: 'daily', now: job.now() });
          job.log.info({ checkpoint: checkpoint.id, chains: checkpoint.heads.length }, 'audit trail checkpoint written');
        },
      },
      recurring: [recurring(AUDIT_CHECKPOINT, `daily at 03:50 in ${config.timeZone}`)],
    };
  },
};

import { createFileStore } from '../../platform/files/files.ts';
import { recurring } from '../../platform/jobs/schedule.ts';
import type { ModuleManifest } from '../../platform/module.ts';
import { hasRole } from '../../platform/auth/roles.ts';
import { todayIn } from '../../platform/clock.ts';
import { enquiriesApi } from './api.ts';
import { ESCALATE_OVERDUE, escalateOverdue } from './escalate-overdue.ts';
import { loadTopics } from './load-topics.ts';
import { enquiriesPolicy } from './policy.ts';
import { PURGE_ENQUIRIES, purgeEnquiries } from './purge-enquiries.ts';
import { visibleCaseReferences } from './queries/queue.ts';
import { removeExpiredTracking } from './queries/tracking.ts';
import { enquiriesRetention, REMOVE_EXPIRED_TRACKING } from './retention.ts';
import { enquiryRoutes } from './routes.tsx';
import { SEND_WARNINGS, sendDueWarnings } from './send-warnings.ts';
import { StatisticsPages, statisticsRoutes } from './statistics.tsx';
import { enquiryWorkspaceRoutes } from './workspace.tsx';
import { enquiriesMessages } from './messages.ts';
import { enquiriesInbox } from './inbox.ts';

/** Enquiries (諮詢): sending, routing, handling within working-day time limits, tracking, statistics. */
export const enquiriesModule: ModuleManifest = {
  name: 'enquiries',
  inbox: [enquiriesInbox],
  openData: [{ label: 'enq.stats.openData', path: '/api/v1/enquiry-statistics', order: 30 }],
  messages: enquiriesMessages,
  matrix: async () => (await import('./matrix.ts')).enquiriesMatrix,
  openApiTags: [{ name: 'Enquiries', description: 'Statistics of the one-stop enquiry service: cases received and closed, time limits met, satisfaction, per agency and month' }],
  policy: enquiriesPolicy,
  workspaceTiles: [{ label: 'enq.queue.title', path: '/workspace/enquiries', action: 'enquiry.queue', order: 20 }],
  retention: enquiriesRetention,
  routes(app, ctx) {
    const files = createFileStore({ kind: ctx.db.kind, dataDir: ctx.config.dataDir });
    const statistics = new StatisticsPages();
    enquiryRoutes(app, ctx, files, statistics);
    enquiryWorkspaceRoutes(app, ctx, files, statistics);
    statisticsRoutes(app, ctx, statistics);
    enquiriesApi(app, ctx, statistics);
  },
  auditSubjects: {
    // A case's entries: for those who may open the case (not administrators, not other agencies).
    enquiry: (db, p) =>
      visibleCaseReferences(db, {
        agencyIds: p.roles.filter((g) => g.role === 'agency-officer' && g.organisationId).map((g) => g.organisationId as string),
        sides: p.roles.filter((g) => g.role === 'custodian-coordinator' && (g.side === 'hong-kong' || g.side === 'zhejiang')).map((g) => g.side as 'hong-kong' | 'zhejiang'),
        coordinator: hasRole(p, 'custodian-coordinator'),
      }),
  },
  async seed(ctx) {
    ctx.print('Loading enquiry topics from data/enquiries/ …');
    await loadTopics({ db: ctx.db.kysely, actor: ctx.actor, print: ctx.print });
  },
  jobs(config) {
    return {
      handlers: {
        [ESCALATE_OVERDUE]: async (_payload: unknown, job) => {
          const result = await escalateOverdue({ db: job.db, today: todayIn(config.timeZone, job.now()), now: job.now(), publicUrl: config.publicUrl });
          job.log.info(result, 'overdue enquiries escalated');
        },
        [SEND_WARNINGS]: async (_payload: unknown, job) => {
          const result = await sendDueWarnings({ db: job.db, today: todayIn(config.timeZone, job.now()), publicUrl: config.publicUrl });
          job.log.info(result, 'enquiry deadline warnings queued');
        },
        [PURGE_ENQUIRIES]: async (_payload: unknown, job) => {
          const result = await purgeEnquiries({ db: job.db, now: job.now() });
          job.log.info(result, 'personal data of old closed enquiries purged');
        },
        [REMOVE_EXPIRED_TRACKING]: async (_payload: unknown, job) => {
          const removed = await removeExpiredTracking(job.db, job.now());
          job.log.info({ removed }, 'expired tracking codes and sessions removed');
        },
      },
      recurring: [
        recurring(ESCALATE_OVERDUE, `daily at 08:00 in ${config.timeZone}`),
        recurring(SEND_WARNINGS, `daily at 08:15 in ${config.timeZone}`),
        recurring(PURGE_ENQUIRIES, `daily at 03:30 in ${config.timeZone}`),
        recurring(REMOVE_EXPIRED_TRACKING, `daily at 03:40 in ${config.timeZone}`),
      ],
    };
  },
};

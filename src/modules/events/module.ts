import { recurring } from '../../platform/jobs/schedule.ts';
import { hasRole } from '../../platform/auth/roles.ts';
import { type ModuleManifest, perApp } from '../../platform/module.ts';
import { todayIn } from '../../platform/clock.ts';
import { eventAttendanceRoutes } from './attendance.tsx';
import { eventsCommitmentSection } from './commitment-section.tsx';
import { demoEvents } from './demo.ts';
import { eventFeedRoutes } from './feeds.ts';
import { eventIndicatorCounts } from './indicator-counts.ts';
import { eventsPolicy } from './policy.ts';
import { EventsReadModel } from './read-model.ts';
import { registrationRoutes } from './registration.tsx';
import { eventsRetention } from './retention.ts';
import { eventPublicRoutes } from './routes.tsx';
import { SEND_REMINDERS, sendReminders } from './send-reminders.ts';
import { eventWorkspaceRoutes } from './workspace.tsx';
import { registrationsInbox } from './inbox.ts';
import { eventsMessages } from './messages.ts';

/**
 * Events (活動): investment-promotion activities and symposiums (三)1, the IP business forum (三)4,
 * trade fairs (三)1 (七)1, forums (一)7 (九)2, youth visits (六)1, with registration, waitlist,
 * check-in, calendars and feeds, reports and feedback.
 */
/** The events read model of a running app, shared by its routes and its commitment section. */
const eventsModel = perApp((ctx) => {
  const model = new EventsReadModel(ctx.db, () => ctx.today());
  ctx.onInvalidate(() => model.changed());
  return model;
});

export const eventsModule: ModuleManifest = {
  name: 'events',
  messages: eventsMessages,
  matrix: async () => (await import('./matrix.ts')).eventsMatrix,
  policy: eventsPolicy,
  nav: [{ label: 'nav.events', path: '/events', order: 50 }],
  workspaceTiles: [{ label: 'events.workspace.title', path: '/workspace/events', action: 'event.workspace', order: 50 }],
  inbox: [registrationsInbox],
  retention: eventsRetention,
  // Indicators may count the dates of the events held for their commitment.
  indicatorCounts: [eventIndicatorCounts],
  // A registration is a person's: seen by the coordinators (and the organisers, who do not browse the trail), not by administrators.
  auditSubjects: { 'event-registration': (_db, p) => (hasRole(p, 'custodian-coordinator') ? 'all' : 'none') },
  commitmentSection: (ctx) => ({ order: 40, ...eventsCommitmentSection(ctx, eventsModel(ctx)) }),
  routes(app, ctx) {
    const model = eventsModel(ctx);
    eventPublicRoutes(app, ctx, model);
    eventFeedRoutes(app, ctx, model);
    registrationRoutes(app, ctx, model);
    eventWorkspaceRoutes(app, ctx, model);
    eventAttendanceRoutes(app, ctx, model);
  },
  async demo(ctx) {
    ctx.print('Loading illustrative events …');
    await demoEvents(ctx);
  },
  jobs(config) {
    return {
      handlers: {
        [SEND_REMINDERS]: async (_payload: unknown, job) => {
          const now = job.now();
          const result = await sendReminders({ db: job.db, today: todayIn(config.timeZone, now), publicUrl: config.publicUrl, now });
          job.log.info(result, 'event reminders queued');
        },
      },
      // The morning of the day before, in the platform's zone (the day itself is counted in each event's zone).
      recurring: [recurring(SEND_REMINDERS, `daily at 09:00 in ${config.timeZone}`)],
    };
  },
};

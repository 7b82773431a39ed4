import type { ModuleManifest } from '../../platform/module.ts';
import { eventAttendanceRoutes } from './attendance.tsx';
import { eventFeedRoutes } from './feeds.ts';
import './policy.ts';
import { EventsReadModel } from './read-model.ts';
import { registrationRoutes } from './registration.tsx';
import { eventPublicRoutes } from './routes.tsx';
import { eventWorkspaceRoutes } from './workspace.tsx';

/**
 * Events (活動): investment-promotion activities and symposiums (三)1, the IP business forum (三)4,
 * trade fairs (三)1 (七)1, forums (一)7 (九)2, youth visits (六)1, with registration, waitlist,
 * check-in, calendars and feeds, reports and feedback.
 */
export const eventsModule: ModuleManifest = {
  name: 'events',
  routes(app, ctx) {
    const model = new EventsReadModel(ctx.db, () => ctx.today());
    ctx.onInvalidate(() => model.changed());
    eventPublicRoutes(app, ctx, model);
    eventFeedRoutes(app, ctx, model);
    registrationRoutes(app, ctx, model);
    eventWorkspaceRoutes(app, ctx, model);
    eventAttendanceRoutes(app, ctx, model);
  },
};

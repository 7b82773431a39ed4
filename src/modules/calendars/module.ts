import { calendarStore } from '../../platform/calendar/store.ts';
import type { ModuleManifest } from '../../platform/module.ts';
import { calendarAdminRoutes } from './admin.tsx';
import { calendarsRetention } from './retention.ts';
import { loadCalendars } from './load-calendars.ts';
import { calendarPolicy } from './policy.ts';
import { calendarRoutes } from './routes.tsx';
import { calendarsMessages } from './messages.ts';

export const calendarsModule: ModuleManifest = {
  name: 'calendars',
  messages: calendarsMessages,
  matrix: async () => (await import('./matrix.ts')).calendarsMatrix,
  policy: calendarPolicy,
  adminLinks: [{ label: 'cal.admin.title', path: '/admin/calendars', action: 'calendar.view', order: 80 }],
  retention: calendarsRetention,
  routes(app, ctx) {
    // Whatever empties the page cache (an edit here, a command) also reloads the working days.
    ctx.onInvalidate(() => calendarStore(ctx.db).invalidate());
    calendarRoutes(app, ctx);
    calendarAdminRoutes(app, ctx);
  },
  async seed(ctx) {
    ctx.print('Loading working-day calendars from data/calendars/ …');
    await loadCalendars({ db: ctx.db.kysely, actor: ctx.actor, progress: ctx.print, now: ctx.now() });
  },
};

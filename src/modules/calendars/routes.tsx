import { calendarStore } from '../../platform/calendar/store.ts';
import { CALENDAR_NAMES } from '../../platform/calendar/working-days.ts';
import { renderPage } from '../../platform/html/layout.tsx';
import { pageRoute } from '../../platform/http/pages.ts';
import type { App, AppContext } from '../../platform/module.ts';
import { type CalculatorState, calculateTimeLimit } from './calculate-time-limit.ts';
import { findCalendarDays, findCalendarYears } from './queries.ts';
import { FIRST_YEAR, LAST_YEAR, PublicQuery } from './schemas.ts';
import { CalendarsPublicPage } from './views/public.tsx';

/** The year the page shows: the one asked for, else this year if a calendar has it, else the latest there is. */
function shownYear(asked: string | undefined, years: number[], today: string): number {
  const n = Number(asked);
  if (asked && /^\d{4}$/.test(asked) && n >= FIRST_YEAR && n <= LAST_YEAR) return n;
  const current = Number(today.slice(0, 4));
  return years.includes(current) || years.length === 0 ? current : (years.at(-1) as number);
}

/** The public page of the working-day calendars time limits are counted on. */
export function calendarRoutes(app: App, ctx: AppContext): void {
  const db = ctx.db.kysely;
  pageRoute(app, ctx.assets, '/calendars', { querystring: PublicQuery }, async (request, _reply, page) => {
    const { year: asked, ...calculator } = request.query;
    const asking = Object.values(calculator).some((v) => v !== undefined);
    const render = async () => {
      const all = await findCalendarYears(db);
      const years = [...new Set(all.map((y) => y.year))].sort((a, b) => a - b);
      const year = shownYear(asked, years, ctx.today());
      const state: CalculatorState = asking ? calculateTimeLimit(calculator, await calendarStore(db).get(), all) : { values: { calendar: 'hong-kong', from: ctx.today(), days: '' }, errors: {} };
      const sections = await Promise.all(
        CALENDAR_NAMES.map(async (calendar) => ({
          calendar,
          year: all.find((y) => y.calendar === calendar && y.year === year),
          days: await findCalendarDays(db, calendar, [year]),
        })),
      );
      return renderPage(<CalendarsPublicPage ctx={page} year={year} years={years} sections={sections} calculator={state} />);
    };
    // Anonymous visitors share a cached page (emptied on every change); a calculation is answered afresh.
    if (page.principal || asking) return render();
    return ctx.pages.load(`calendars|${page.locale}|${page.path}|${ctx.today()}`, render);
  });
}

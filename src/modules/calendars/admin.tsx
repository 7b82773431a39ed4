import type { Static } from '@sinclair/typebox';
import type { FastifyReply, FastifyRequest } from 'fastify';
import { authorize } from '../../platform/auth/authorize.ts';
import type { PageContext } from '../../platform/html/context.ts';
import { askFirst } from '../../platform/html/confirm.tsx';
import { renderPage } from '../../platform/html/layout.tsx';
import { HttpError } from '../../platform/http/errors.ts';
import { readForm } from '../../platform/http/forms.ts';
import { pageRoute } from '../../platform/http/pages.ts';
import { useCaseContext } from '../../platform/http/use-case.ts';
import type { App, AppContext } from '../../platform/module.ts';
import { addCalendarDay, DAY_FORM } from './add-calendar-day.ts';
import { addCalendarYear, NEW_YEAR_FORM } from './add-calendar-year.ts';
import { type CalendarYear, findCalendarDay, findCalendarDays, findCalendarYear, findCalendarYears } from './queries.ts';
import { removeCalendarDay } from './remove-calendar-day.ts';
import { CalendarParams, DayParams, FormBody, SavedQuery } from './schemas.ts';
import { updateCalendarYear, YEAR_FORM, yearFormValues } from './update-calendar-year.ts';
import { CalendarsAdminPage, CalendarYearAdminPage, type FormState } from './views/admin.tsx';

type YearKey = Static<typeof CalendarParams>;
const view = { action: 'calendar.view' } as const;
const manage = { method: 'POST' as const, access: { action: 'calendar.manage' } as const, body: FormBody };

/** Answers a form that worked with the page it came from, told what was done (post, redirect, get). */
function done(reply: FastifyReply, page: PageContext, path: string, saved: string, anchor = ''): string {
  reply.redirect(`${page.href(path)}?saved=${saved}${anchor}`, 303);
  return '';
}

/** The calendars in the admin area: administrators keep them, coordinators may look. */
export function calendarAdminRoutes(app: App, ctx: AppContext): void {
  const db = ctx.db.kysely;
  const loadYear = async (key: YearKey): Promise<CalendarYear> => {
    const year = await findCalendarYear(db, key.calendar, Number(key.year));
    if (!year) throw new HttpError(404, 'calendar_year_not_found', `No year ${key.year} in the ${key.calendar} calendar`);
    return year;
  };
  const listPage = async (request: FastifyRequest, page: PageContext, newYear?: FormState) =>
    renderPage(<CalendarsAdminPage ctx={page} years={await findCalendarYears(db)} canManage={authorize(request.principal, 'calendar.manage')} {...(newYear ? { newYear } : {})} />);
  const yearPage = async (request: FastifyRequest, page: PageContext, year: CalendarYear, state: { saved?: string | undefined; dayForm?: FormState; yearForm?: FormState }) =>
    renderPage(
      <CalendarYearAdminPage
        ctx={page}
        year={year}
        days={await findCalendarDays(db, year.calendar, [year.year])}
        canManage={authorize(request.principal, 'calendar.manage')}
        saved={state.saved}
        {...(state.dayForm ? { dayForm: state.dayForm } : {})}
        yearForm={state.yearForm ?? { values: yearFormValues(year), errors: {} }}
      />,
    );
  // Cached pages show the calendars, and the calendar store counts on them.
  const changed = () => ctx.invalidate();

  pageRoute(app, ctx.assets, '/admin/calendars', { access: view }, async (request, _reply, page) => listPage(request, page));

  pageRoute(app, ctx.assets, '/admin/calendars', manage, async (request, reply, page) => {
    const form = readForm(request.body, NEW_YEAR_FORM);
    const result = await addCalendarYear({ ...useCaseContext(request, ctx), form });
    if (!result.ok) return listPage(request, page, { values: form.values, errors: result.errors });
    changed();
    return done(reply, page, `/admin/calendars/${result.calendar}/${result.year}`, 'created');
  });

  pageRoute(app, ctx.assets, '/admin/calendars/:calendar/:year', { access: view, params: CalendarParams, querystring: SavedQuery }, async (request, _reply, page) =>
    yearPage(request, page, await loadYear(request.params), { saved: request.query.saved }),
  );

  pageRoute(app, ctx.assets, '/admin/calendars/:calendar/:year', { ...manage, params: CalendarParams }, async (request, reply, page) => {
    const year = await loadYear(request.params);
    const form = readForm(request.body, YEAR_FORM);
    const result = await updateCalendarYear({ ...useCaseContext(request, ctx), year, form });
    if (!result.ok) return yearPage(request, page, year, { yearForm: { values: form.values, errors: result.errors } });
    changed();
    return done(reply, page, `/admin/calendars/${year.calendar}/${year.year}`, 'year');
  });

  pageRoute(app, ctx.assets, '/admin/calendars/:calendar/:year/days', { ...manage, params: CalendarParams }, async (request, reply, page) => {
    const year = await loadYear(request.params);
    const form = readForm(request.body, DAY_FORM);
    const result = await addCalendarDay({ ...useCaseContext(request, ctx), calendar: year.calendar, year: year.year, form });
    if (!result.ok) return yearPage(request, page, year, { dayForm: { values: form.values, errors: result.errors } });
    changed();
    return done(reply, page, `/admin/calendars/${year.calendar}/${year.year}`, 'added', '#days');
  });

  pageRoute(app, ctx.assets, '/admin/calendars/:calendar/:year/days/:date/remove', { ...manage, params: DayParams }, async (request, reply, page) => {
    const year = await loadYear(request.params);
    const back = `/admin/calendars/${year.calendar}/${year.year}`;
    const listed = request.params.date.startsWith(`${year.year}-`) && (await findCalendarDay(db, year.calendar, request.params.date));
    if (!listed) throw new HttpError(404, 'calendar_day_not_found', `The ${year.calendar} calendar does not list ${request.params.date} in ${year.year}`);
    const asking = askFirst(request, page, {
      question: page.t('cal.admin.confirmRemove.question'),
      subject: page.date(request.params.date),
      consequence: page.t('cal.admin.confirmRemove.consequence'),
      confirm: page.t('cal.admin.confirmRemove.confirm'),
      back,
    });
    if (asking) return asking;
    const removed = await removeCalendarDay({ ...useCaseContext(request, ctx), calendar: year.calendar, year: year.year, date: request.params.date });
    if (!removed) throw new HttpError(404, 'calendar_day_not_found', `The ${year.calendar} calendar does not list ${request.params.date} in ${year.year}`);
    changed();
    return done(reply, page, `/admin/calendars/${year.calendar}/${year.year}`, 'removed', '#days');
  });
}

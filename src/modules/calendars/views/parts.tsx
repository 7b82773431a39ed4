import type { CalendarName } from '../../../platform/calendar/working-days.ts';
import type { PageContext } from '../../../platform/html/context.ts';
import { LOCALE_INFO, LOCALES } from '../../../platform/i18n/locales.ts';
import type { CalendarDay, CalendarYear } from '../queries.ts';

const weekdayFormats = new Map(Object.entries(LOCALE_INFO).map(([locale, info]) => [locale, new Intl.DateTimeFormat(info.intl, { weekday: 'long', timeZone: 'UTC' })]));

/** The day of the week of a 'YYYY-MM-DD' date, as the page's language names it. */
export function weekday(ctx: PageContext, date: string): string {
  return (weekdayFormats.get(ctx.locale) as Intl.DateTimeFormat).format(new Date(`${date}T00:00:00Z`));
}

export function calendarName(ctx: PageContext, calendar: CalendarName): string {
  return ctx.t(calendar === 'hong-kong' ? 'cal.name.hong-kong' : 'cal.name.mainland');
}

/** Official or provisional; a provisional year stands out wherever it is listed. */
export function StatusBadge({ ctx, status }: { ctx: PageContext; status: CalendarYear['status'] }) {
  return status === 'official' ? <span class="badge status-completed">{ctx.t('cal.status.official')}</span> : <span class="badge status-at-risk">{ctx.t('cal.status.provisional')}</span>;
}

/**
 * Where a year's list comes from: its source (linked), or for a provisional year how it was worked
 * out. The notes kept on a source (how it was checked) are for those who keep the calendars.
 */
export function YearOrigin({ ctx, year, withNote = false }: { ctx: PageContext; year: Pick<CalendarYear, 'status' | 'source' | 'basis' | 'year'>; withNote?: boolean }) {
  const { t } = ctx;
  return (
    <>
      {year.status === 'provisional' && (
        <p class="status status-expiring">
          <strong>{t('cal.provisional.title', { year: year.year })}</strong> {t('cal.provisional.text')}
        </p>
      )}
      {year.source && (
        <p class="source">
          {t('cal.label', { label: t('cal.source') })}
          {year.source.publisher}, <a href={year.source.url}>{year.source.title}</a>
          {year.source.date ? `, ${ctx.date(year.source.date)}` : ''}
          {withNote && year.source.note && <span class="muted"> ({year.source.note})</span>}
        </p>
      )}
      {year.status === 'provisional' && year.basis && (
        <p class="source">
          {t('cal.label', { label: t('cal.basis') })}
          {year.basis}
        </p>
      )}
    </>
  );
}

/** A name in each of the three languages, each marked with its language (for those who keep it). */
function AllNames({ day }: { day: CalendarDay }) {
  return (
    <ul class="plain">
      {LOCALES.map((l) => (
        <li lang={LOCALE_INFO[l].htmlLang}>{day.name[l] ?? '—'}</li>
      ))}
    </ul>
  );
}

/**
 * The days a year lists, in date order, with the day of the week. The admin pages show the names in
 * all three languages and add a last column (`actions`).
 */
export function DaysTable({ ctx, caption, days, actions }: { ctx: PageContext; caption: string; days: CalendarDay[]; actions?: (day: CalendarDay) => preact.VNode }) {
  const { t } = ctx;
  if (days.length === 0) return <p>{t('cal.days.none')}</p>;
  return (
    <div class="table-scroll">
      <table class="calendar-days">
        <caption>{caption}</caption>
        <thead>
          <tr>
            <th scope="col">{t('cal.days.date')}</th>
            <th scope="col">{t('cal.days.weekday')}</th>
            <th scope="col">{t('cal.days.name')}</th>
            <th scope="col">{t('cal.days.kind')}</th>
            {actions && <th scope="col">{t('cal.days.actions')}</th>}
          </tr>
        </thead>
        <tbody>
          {days.map((d) => (
            <tr class={d.kind === 'working-weekend' ? 'working-weekend' : undefined}>
              <th scope="row">
                <time dateTime={d.date}>{ctx.date(d.date)}</time>
              </th>
              <td>{weekday(ctx, d.date)}</td>
              <td>{actions ? <AllNames day={d} /> : ctx.text(d.name)}</td>
              <td>{t(d.kind === 'holiday' ? 'cal.kind.holiday' : 'cal.kind.working-weekend')}</td>
              {actions && <td>{actions(d)}</td>}
            </tr>
          ))}
        </tbody>
      </table>
    </div>
  );
}

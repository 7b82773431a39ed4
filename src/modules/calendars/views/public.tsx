import { CALENDAR_NAMES, type CalendarName } from '../../../platform/calendar/working-days.ts';
import type { PageContext } from '../../../platform/html/context.ts';
import { SelectField, TextField } from '../../../platform/html/forms.tsx';
import { Layout } from '../../../platform/html/layout.tsx';
import type { CalculatorState } from '../calculate-time-limit.ts';
import type { CalendarDay, CalendarYear } from '../queries.ts';
import { calendarName, DaysTable, weekday, YearOrigin } from './parts.tsx';

export interface CalendarSection {
  calendar: CalendarName;
  year: CalendarYear | undefined;
  days: CalendarDay[];
}

function Calculator({ ctx, year, state }: { ctx: PageContext; year: number; state: CalculatorState }) {
  const { t } = ctx;
  const { result } = state;
  return (
    <section aria-labelledby="calculator">
      <h2 id="calculator">{t('cal.calc.title')}</h2>
      <p>{t('cal.calc.intro')}</p>
      <form method="get" action={`${ctx.href('/calendars')}#calculator`} class="filters" novalidate>
        <input type="hidden" name="year" value={String(year)} />
        <SelectField
          ctx={ctx}
          name="calendar"
          label={t('cal.calc.calendar')}
          value={state.values.calendar}
          error={state.errors.calendar}
          options={CALENDAR_NAMES.map((c) => ({ value: c, label: calendarName(ctx, c) }))}
        />
        <TextField ctx={ctx} name="from" type="date" label={t('cal.calc.from')} hint={t('cal.calc.fromHint')} value={state.values.from} error={state.errors.from} />
        <TextField ctx={ctx} name="days" label={t('cal.calc.days')} inputmode="numeric" value={state.values.days} error={state.errors.days} />
        <button type="submit">{t('cal.calc.submit')}</button>
      </form>
      {result && (
        <div class="notice" role="status">
          <p>
            {t('cal.calc.result', {
              days: result.days,
              from: ctx.date(result.from),
              calendar: calendarName(ctx, result.calendar),
              due: t('cal.calc.due', { date: ctx.date(result.due), weekday: weekday(ctx, result.due) }),
            })}
          </p>
          {result.uncovered.length > 0 && <p>{t('cal.calc.uncovered', { years: result.uncovered.join(', ') })}</p>}
          {result.provisional.length > 0 && <p>{t('cal.calc.provisional', { years: result.provisional.join(', ') })}</p>}
        </div>
      )}
    </section>
  );
}

/** The public page: how working days are counted, each calendar's days of a year, and a calculator. */
export function CalendarsPublicPage({ ctx, year, years, sections, calculator }: { ctx: PageContext; year: number; years: number[]; sections: CalendarSection[]; calculator: CalculatorState }) {
  const { t } = ctx;
  return (
    <Layout ctx={ctx} title={`${t('cal.public.title')} ${year}`} breadcrumbs={[{ label: t('cal.public.title') }]}>
      <h1>{t('cal.public.title')}</h1>
      <p class="lead">{t('cal.public.intro')}</p>
      <h2>{t('cal.rules.title')}</h2>
      <ul>
        <li>{t('cal.rules.count')}</li>
        <li>{t('cal.rules.hongKong')}</li>
        <li>{t('cal.rules.mainland')}</li>
        <li>{t('cal.rules.transfer')}</li>
        <li>{t('cal.rules.pause')}</li>
        <li>{t('cal.rules.uncovered')}</li>
      </ul>
      <Calculator ctx={ctx} year={year} state={calculator} />
      <h2>{t('cal.yearHeading', { year })}</h2>
      <nav aria-label={t('cal.years')}>
        <ul class="actions">
          {years.map((y) => (
            <li>{y === year ? <span aria-current="page">{y}</span> : <a href={`${ctx.href('/calendars')}?year=${y}`}>{y}</a>}</li>
          ))}
        </ul>
      </nav>
      {sections.map((s) => (
        <section aria-labelledby={`calendar-${s.calendar}`}>
          <h3 id={`calendar-${s.calendar}`}>{t('cal.sectionTitle', { calendar: calendarName(ctx, s.calendar), year })}</h3>
          <p>{t(s.calendar === 'hong-kong' ? 'cal.describe.hong-kong' : 'cal.describe.mainland')}</p>
          {s.year ? (
            <>
              <YearOrigin ctx={ctx} year={s.year} />
              <DaysTable ctx={ctx} caption={t('cal.days.caption', { calendar: calendarName(ctx, s.calendar), year })} days={s.days} />
            </>
          ) : (
            <p class="status status-expiring">{t('cal.notCovered', { year })}</p>
          )}
        </section>
      ))}
    </Layout>
  );
}

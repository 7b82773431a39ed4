import { CALENDAR_NAMES } from '../../../platform/calendar/working-days.ts';
import type { PageContext } from '../../../platform/html/context.ts';
import { ErrorSummary, Form, LocalizedFields, Notice, SelectField, TextArea, TextField } from '../../../platform/html/forms.tsx';
import { Layout } from '../../../platform/html/layout.tsx';
import type { FieldError } from '../../../platform/http/forms.ts';
import type { MessageKey } from '../../../platform/i18n/messages.ts';
import { adminCrumb } from '../../admin/index.ts';
import type { CalendarDay, CalendarYear } from '../queries.ts';
import { CALENDAR_STATUSES, DAY_KINDS } from '../schemas.ts';
import { calendarName, DaysTable, StatusBadge, YearOrigin } from './parts.tsx';

export interface FormState {
  values: Record<string, string>;
  errors: Partial<Record<string, FieldError>>;
}

const EMPTY: FormState = { values: {}, errors: {} };

const calendarsCrumb = (ctx: PageContext) => ({ label: ctx.t('cal.admin.title'), href: ctx.href('/admin/calendars') });

function YearsTable({ ctx, years }: { ctx: PageContext; years: CalendarYear[] }) {
  const { t } = ctx;
  const time = new Intl.DateTimeFormat(ctx.locale === 'en' ? 'en-GB' : ctx.locale === 'zh-Hans' ? 'zh-Hans-CN' : 'zh-Hant-HK', { dateStyle: 'medium', timeZone: 'Asia/Hong_Kong' });
  return (
    <div class="table-scroll">
      <table>
        <thead>
          <tr>
            <th scope="col">{t('cal.admin.year')}</th>
            <th scope="col">{t('cal.admin.status')}</th>
            <th scope="col">{t('cal.source')}</th>
            <th scope="col" class="num">
              {t('cal.admin.holidays')}
            </th>
            <th scope="col" class="num">
              {t('cal.admin.workingWeekends')}
            </th>
            <th scope="col">{t('cal.admin.origin')}</th>
          </tr>
        </thead>
        <tbody>
          {years.map((y) => (
            <tr>
              <th scope="row">
                <a href={ctx.href(`/admin/calendars/${y.calendar}/${y.year}`)}>{t('cal.sectionTitle', { calendar: calendarName(ctx, y.calendar), year: y.year })}</a>
              </th>
              <td>
                <StatusBadge ctx={ctx} status={y.status} />
              </td>
              <td>{y.source ? y.source.title : '—'}</td>
              <td class="num">{y.holidays}</td>
              <td class="num">{y.workingWeekends}</td>
              <td>{y.editedByAdmin ? t('cal.admin.editedOn', { date: time.format(y.updatedAt) }) : t('cal.admin.fromFile')}</td>
            </tr>
          ))}
        </tbody>
      </table>
    </div>
  );
}

/** Both calendars, year by year, provisional years flagged; administrators may add a year. */
export function CalendarsAdminPage({ ctx, years, canManage, newYear = EMPTY }: { ctx: PageContext; years: CalendarYear[]; canManage: boolean; newYear?: FormState }) {
  const { t } = ctx;
  const provisional = years.filter((y) => y.status === 'provisional');
  const labels = { calendar: t('cal.admin.calendar'), year: t('cal.admin.year'), basis: t('cal.basis') };
  return (
    <Layout ctx={ctx} title={t('cal.admin.title')} breadcrumbs={[adminCrumb(ctx), { label: t('cal.admin.title') }]}>
      <h1>{t('cal.admin.title')}</h1>
      <p>{t('cal.admin.intro')}</p>
      <p>
        <a href={ctx.href('/calendars')}>{t('cal.admin.publicLink')}</a>
      </p>
      {provisional.length > 0 && (
        <div class="status status-expiring">
          <p>
            <strong>{t('cal.admin.provisionalCount', { count: provisional.length })}</strong>
          </p>
          <ul>
            {provisional.map((y) => (
              <li>
                <a href={ctx.href(`/admin/calendars/${y.calendar}/${y.year}`)}>{t('cal.sectionTitle', { calendar: calendarName(ctx, y.calendar), year: y.year })}</a>
              </li>
            ))}
          </ul>
        </div>
      )}
      {CALENDAR_NAMES.map((calendar) => (
        <section aria-labelledby={`calendar-${calendar}`}>
          <h2 id={`calendar-${calendar}`}>{calendarName(ctx, calendar)}</h2>
          <p>{t(calendar === 'hong-kong' ? 'cal.describe.hong-kong' : 'cal.describe.mainland')}</p>
          <YearsTable ctx={ctx} years={years.filter((y) => y.calendar === calendar)} />
        </section>
      ))}
      {canManage && (
        <section aria-labelledby="new-year" class="narrow">
          <h2 id="new-year">{t('cal.admin.addYear')}</h2>
          <p>{t('cal.admin.addYearIntro')}</p>
          <ErrorSummary ctx={ctx} errors={newYear.errors} labels={labels} />
          <Form ctx={ctx} action={ctx.href('/admin/calendars')}>
            <SelectField
              ctx={ctx}
              name="calendar"
              label={labels.calendar}
              value={newYear.values.calendar ?? ''}
              error={newYear.errors.calendar}
              options={CALENDAR_NAMES.map((c) => ({ value: c, label: calendarName(ctx, c) }))}
            />
            <TextField ctx={ctx} name="year" label={labels.year} inputmode="numeric" value={newYear.values.year ?? ''} error={newYear.errors.year} />
            <TextArea ctx={ctx} name="basis" label={labels.basis} hint={t('cal.admin.basisHint')} rows={3} value={newYear.values.basis ?? ''} error={newYear.errors.basis} />
            <button type="submit">{t('cal.admin.addYearSubmit')}</button>
          </Form>
        </section>
      )}
    </Layout>
  );
}

const NOTICES: Record<string, MessageKey> = {
  added: 'cal.admin.saved.added',
  removed: 'cal.admin.saved.removed',
  year: 'cal.admin.saved.year',
  created: 'cal.admin.saved.created',
};

/** One year of one calendar: its days (add, remove) and its status and source. */
export function CalendarYearAdminPage({
  ctx,
  year,
  days,
  canManage,
  saved,
  dayForm = EMPTY,
  yearForm,
}: {
  ctx: PageContext;
  year: CalendarYear;
  days: CalendarDay[];
  canManage: boolean;
  saved: string | undefined;
  dayForm?: FormState;
  yearForm: FormState;
}) {
  const { t } = ctx;
  const name = calendarName(ctx, year.calendar);
  const title = t('cal.sectionTitle', { calendar: name, year: year.year });
  const base = `/admin/calendars/${year.calendar}/${year.year}`;
  const notice = saved ? NOTICES[saved] : undefined;
  const dayLabels = { date: t('cal.days.date'), kind: t('cal.days.kind'), nameHant: t('cal.admin.nameHant'), nameHans: t('cal.admin.nameHans'), nameEn: t('cal.admin.nameEn') };
  const yearLabels = {
    status: t('cal.admin.status'),
    sourcePublisher: t('cal.admin.sourcePublisher'),
    sourceTitle: t('cal.admin.sourceTitle'),
    sourceDate: t('cal.admin.sourceDate'),
    sourceUrl: t('cal.admin.sourceUrl'),
    sourceNote: t('cal.admin.sourceNote'),
    basis: t('cal.basis'),
  };
  const kinds = year.calendar === 'hong-kong' ? DAY_KINDS.filter((k) => k === 'holiday') : DAY_KINDS;
  const yv = yearForm.values;
  const ye = yearForm.errors;
  const text = (field: keyof typeof yearLabels, extra: { type?: 'date'; hint?: string } = {}) => (
    <TextField ctx={ctx} name={field} label={yearLabels[field]} value={yv[field] ?? ''} error={ye[field]} {...extra} />
  );
  return (
    <Layout ctx={ctx} title={title} breadcrumbs={[adminCrumb(ctx), calendarsCrumb(ctx), { label: title }]}>
      <h1>
        {title} <StatusBadge ctx={ctx} status={year.status} />
      </h1>
      {notice && <Notice>{t(notice)}</Notice>}
      <p>{t(year.calendar === 'hong-kong' ? 'cal.describe.hong-kong' : 'cal.describe.mainland')}</p>
      <YearOrigin ctx={ctx} year={year} withNote />
      <p class="meta">{year.editedByAdmin ? t('cal.admin.keptNote') : t('cal.admin.fileNote')}</p>

      <h2 id="days">{t('cal.admin.days')}</h2>
      <DaysTable
        ctx={ctx}
        caption={t('cal.days.caption', { calendar: name, year: year.year })}
        days={days}
        {...(canManage
          ? {
              actions: (d: CalendarDay) => (
                <Form ctx={ctx} action={ctx.href(`${base}/days/${d.date}/remove`)}>
                  <button type="submit" class="secondary">
                    {t('cal.admin.remove')}
                    <span class="visually-hidden"> {ctx.date(d.date)}</span>
                  </button>
                </Form>
              ),
            }
          : {})}
      />

      {canManage && (
        <section aria-labelledby="add-day" class="narrow">
          <h2 id="add-day">{t('cal.admin.addDay')}</h2>
          <p>{t(year.calendar === 'hong-kong' ? 'cal.admin.addDayIntro.hong-kong' : 'cal.admin.addDayIntro.mainland')}</p>
          <ErrorSummary ctx={ctx} errors={dayForm.errors} labels={dayLabels} />
          <Form ctx={ctx} action={ctx.href(`${base}/days`)}>
            <TextField ctx={ctx} name="date" type="date" label={dayLabels.date} hint={t('cal.admin.dateHint', { year: year.year })} value={dayForm.values.date ?? ''} error={dayForm.errors.date} />
            <SelectField
              ctx={ctx}
              name="kind"
              label={dayLabels.kind}
              value={dayForm.values.kind ?? 'holiday'}
              error={dayForm.errors.kind}
              options={kinds.map((k) => ({ value: k, label: t(k === 'holiday' ? 'cal.kind.holiday' : 'cal.kind.working-weekend') }))}
            />
            <LocalizedFields ctx={ctx} prefix="name" legend={t('cal.admin.dayName')} hint={t('cal.admin.dayNameHint')} values={dayForm.values} errors={dayForm.errors} />
            <button type="submit">{t('cal.admin.addDaySubmit')}</button>
          </Form>
        </section>
      )}

      {canManage && (
        <section aria-labelledby="year-status" class="narrow">
          <h2 id="year-status">{t('cal.admin.yearStatus')}</h2>
          <ErrorSummary ctx={ctx} errors={ye} labels={yearLabels} />
          <Form ctx={ctx} action={ctx.href(base)}>
            <SelectField
              ctx={ctx}
              name="status"
              label={yearLabels.status}
              value={yv.status ?? ''}
              error={ye.status}
              options={CALENDAR_STATUSES.map((s) => ({ value: s, label: t(s === 'official' ? 'cal.status.official' : 'cal.status.provisional') }))}
            />
            <fieldset>
              <legend>{t('cal.source')}</legend>
              <p class="hint">{t('cal.admin.sourceHint')}</p>
              {text('sourcePublisher')}
              {text('sourceTitle')}
              {text('sourceDate', { type: 'date' })}
              {text('sourceUrl')}
              <TextArea ctx={ctx} name="sourceNote" label={yearLabels.sourceNote} rows={3} value={yv.sourceNote ?? ''} error={ye.sourceNote} />
            </fieldset>
            <TextArea ctx={ctx} name="basis" label={yearLabels.basis} hint={t('cal.admin.basisHint')} rows={3} value={yv.basis ?? ''} error={ye.basis} />
            <button type="submit">{t('cal.admin.saveYear')}</button>
          </Form>
        </section>
      )}
    </Layout>
  );
}

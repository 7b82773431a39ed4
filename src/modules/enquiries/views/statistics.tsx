import { renderChart } from '../../../platform/charts/charts.ts';
import { ChartFigure } from '../../../platform/html/chart.tsx';
import type { PageContext } from '../../../platform/html/context.ts';
import { SelectField } from '../../../platform/html/forms.tsx';
import { Layout } from '../../../platform/html/layout.tsx';
import { LOCALE_INFO } from '../../../platform/i18n/locales.ts';
import type { StatisticsRow } from '../queries/statistics.ts';
import { agencyName, type Organisations } from './parts.tsx';

export interface StatisticsView {
  year: number;
  agency: string;
  years: number[];
  agencies: string[];
  /** Per agency per month. */
  rows: StatisticsRow[];
  /** All agencies (or the chosen one) per month, for the chart. */
  months: StatisticsRow[];
  /** The whole year. */
  total: StatisticsRow | undefined;
}

const percent = (ctx: PageContext, part: number, whole: number) =>
  whole === 0 ? '–' : new Intl.NumberFormat(LOCALE_INFO[ctx.locale].intl, { style: 'percent', maximumFractionDigits: 1 }).format(part / whole);
const decimal = (ctx: PageContext, n: number | null) => (n === null ? '–' : new Intl.NumberFormat(LOCALE_INFO[ctx.locale].intl, { maximumFractionDigits: 2 }).format(n));
const monthName = (ctx: PageContext, month: string) =>
  new Intl.DateTimeFormat(LOCALE_INFO[ctx.locale].intl, { year: 'numeric', month: 'long', timeZone: 'UTC' }).format(new Date(`${month}-01T00:00:00Z`));

function Figures({ ctx, row }: { ctx: PageContext; row: StatisticsRow }) {
  return (
    <>
      <td class="num">{row.received.toLocaleString('en')}</td>
      <td class="num">{row.closed.toLocaleString('en')}</td>
      <td class="num">{percent(ctx, row.closedOnTime, row.closed)}</td>
      <td class="num">{decimal(ctx, row.medianWorkingDays)}</td>
      <td class="num">
        {decimal(ctx, row.averageSatisfaction)}
        {row.ratings > 0 && <span class="muted"> ({ctx.t('enq.stats.ratings', { n: row.ratings })})</span>}
      </td>
    </>
  );
}

/** Public statistics of enquiries per agency and month: received, closed, on time, median working days, satisfaction. */
export function StatisticsPage({ ctx, view, organisations }: { ctx: PageContext; view: StatisticsView; organisations: Organisations }) {
  const { t } = ctx;
  const title = t('enq.stats.title');
  const heads = [t('enq.stats.received'), t('enq.stats.closed'), t('enq.stats.onTime'), t('enq.stats.median'), t('enq.stats.satisfaction')];
  const categories = view.months.map((m) => monthName(ctx, m.month));
  const chartTitle = t('enq.stats.chart', { year: view.year });
  return (
    <Layout ctx={ctx} title={title} breadcrumbs={[{ label: t('enq.help'), href: ctx.href('/help') }, { label: title }]}>
      <h1>{title}</h1>
      <p class="lead">{t('enq.stats.intro')}</p>
      <form method="get" action={ctx.href('/enquiries/statistics')} class="filters">
        <SelectField ctx={ctx} name="year" label={t('enq.stats.year')} value={String(view.year)} options={view.years.map((y) => ({ value: String(y), label: String(y) }))} />
        <SelectField
          ctx={ctx}
          name="agency"
          label={t('enq.agency')}
          value={view.agency}
          options={[{ value: '', label: t('enq.stats.allAgencies') }, ...view.agencies.map((id) => ({ value: id, label: agencyName(ctx, organisations, id) }))]}
        />
        <button type="submit">{t('enq.queue.filter')}</button>
      </form>
      {view.total ? (
        <dl class="facts stats-total">
          <dt>{t('enq.stats.received')}</dt>
          <dd>{view.total.received.toLocaleString('en')}</dd>
          <dt>{t('enq.stats.closed')}</dt>
          <dd>{view.total.closed.toLocaleString('en')}</dd>
          <dt>{t('enq.stats.onTime')}</dt>
          <dd>{percent(ctx, view.total.closedOnTime, view.total.closed)}</dd>
          <dt>{t('enq.stats.median')}</dt>
          <dd>{decimal(ctx, view.total.medianWorkingDays)}</dd>
          <dt>{t('enq.stats.satisfaction')}</dt>
          <dd>{decimal(ctx, view.total.averageSatisfaction)}</dd>
        </dl>
      ) : (
        <p>{t('enq.stats.none')}</p>
      )}
      {view.months.length > 0 && (
        <ChartFigure
          svg={renderChart({
            kind: 'bar',
            title: chartTitle,
            categories,
            series: [
              { name: t('enq.stats.received'), values: view.months.map((m) => m.received) },
              { name: t('enq.stats.closed'), values: view.months.map((m) => m.closed) },
            ],
            locale: LOCALE_INFO[ctx.locale].intl,
          })}
          caption={chartTitle}
          table={{
            caption: chartTitle,
            columns: [t('enq.stats.month'), t('enq.stats.received'), t('enq.stats.closed')],
            rows: view.months.map((m, i) => [categories[i] ?? m.month, m.received, m.closed]),
          }}
          tableLabel={t('enq.stats.data')}
        />
      )}
      {view.rows.length > 0 && (
        <div class="table-scroll">
          <table class="statistics">
            <caption>{t('enq.stats.caption', { year: view.year })}</caption>
            <thead>
              <tr>
                <th scope="col">{t('enq.agency')}</th>
                <th scope="col">{t('enq.stats.month')}</th>
                {heads.map((h) => (
                  <th scope="col" class="num">
                    {h}
                  </th>
                ))}
              </tr>
            </thead>
            <tbody>
              {view.rows.map((r) => (
                <tr>
                  <th scope="row">{agencyName(ctx, organisations, r.agencyId)}</th>
                  <td>
                    <time datetime={r.month}>{monthName(ctx, r.month)}</time>
                  </td>
                  <Figures ctx={ctx} row={r} />
                </tr>
              ))}
            </tbody>
          </table>
        </div>
      )}
      <p class="source">
        {t('enq.stats.method')} <a href={ctx.href('/api-docs')}>{t('enq.stats.api')}</a>
      </p>
    </Layout>
  );
}

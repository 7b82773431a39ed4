import { renderChart } from '../../../../platform/charts/charts.ts';
import { ChartFigure } from '../../../../platform/html/chart.tsx';
import type { PageContext } from '../../../../platform/html/context.ts';
import { Layout } from '../../../../platform/html/layout.tsx';
import type { IndicatorCountSource } from '../../../../platform/indicator-counts.ts';
import { type AreaInfo, areaName, commitmentCode, commitmentLabel, commitmentPath } from '../../../agreements/index.ts';
import type { Dashboard, DashboardFilter, MilestoneCounts, StageCounts } from '../../read-model.ts';
import { ACTION_STATUSES } from '../../schemas.ts';
import { IndicatorFigure, type Organisations, Section, UpdateHistory } from '../parts.tsx';

function StageCells({ ctx, stages }: { ctx: PageContext; stages: StageCounts }) {
  return (
    <>
      {ACTION_STATUSES.map((s) => (
        <td class="num" data-stage={s}>
          {ctx.t('impl.number', { n: stages[s] })}
        </td>
      ))}
    </>
  );
}

function MilestoneCells({ ctx, m }: { ctx: PageContext; m: MilestoneCounts }) {
  return (
    <>
      <td class="num">{ctx.t('impl.number', { n: m.met })}</td>
      <td class="num">{ctx.t('impl.number', { n: m.due })}</td>
      <td class="num">{ctx.t('impl.number', { n: m.overdue })}</td>
    </>
  );
}

function sum(rows: { stages: StageCounts; milestones: MilestoneCounts }[]) {
  const stages = Object.fromEntries(ACTION_STATUSES.map((s) => [s, rows.reduce((n, r) => n + r.stages[s], 0)])) as StageCounts;
  const milestones = { met: 0, due: 0, overdue: 0, total: 0 };
  for (const r of rows) for (const k of ['met', 'due', 'overdue', 'total'] as const) milestones[k] += r.milestones[k];
  return { stages, milestones };
}

export function DashboardPage({
  ctx,
  sources,
  dashboard,
  filter,
  reversed = false,
  areas,
  organisations,
  agencies,
  today,
}: {
  ctx: PageContext;
  /** The app's count sources: what a counted indicator counts, and where to see it. */
  sources: readonly IndicatorCountSource[];
  today: string;
  dashboard: Dashboard;
  filter: DashboardFilter;
  /** The period ends before it starts: the page says so and shows no totals for it. */
  reversed?: boolean;
  areas: AreaInfo[];
  organisations: Organisations;
  agencies: { id: string; name: string }[];
}) {
  const { t } = ctx;
  return (
    <Layout ctx={ctx} title={t('impl.dashboard.title')} breadcrumbs={[{ label: t('impl.dashboard.title') }]}>
      <h1>{t('impl.dashboard.title')}</h1>
      <p class="lead">{t('impl.dashboard.intro')}</p>
      <form method="get" action={ctx.href('/dashboard')} class="filters" role="search" aria-label={t('impl.dashboard.filters')}>
        <div class="field">
          <label for="filter-area">{t('impl.dashboard.area')}</label>
          <select id="filter-area" name="area">
            <option value="">{t('impl.dashboard.all')}</option>
            {areas.map((a) => (
              <option value={String(a.number)} selected={filter.area === a.number}>
                {areaName(ctx, a)}
              </option>
            ))}
          </select>
        </div>
        <div class="field">
          <label for="filter-side">{t('impl.dashboard.side')}</label>
          <select id="filter-side" name="side">
            <option value="">{t('impl.dashboard.bothSides')}</option>
            <option value="hong-kong" selected={filter.side === 'hong-kong'}>
              {t('impl.side.hongKong')}
            </option>
            <option value="zhejiang" selected={filter.side === 'zhejiang'}>
              {t('impl.side.zhejiang')}
            </option>
          </select>
        </div>
        <div class="field">
          <label for="filter-agency">{t('impl.dashboard.agency')}</label>
          <select id="filter-agency" name="agency">
            <option value="">{t('impl.dashboard.allAgencies')}</option>
            {agencies.map((a) => (
              <option value={a.id} selected={filter.agency === a.id}>
                {a.name}
              </option>
            ))}
          </select>
        </div>
        <div class="field">
          <label for="filter-from">{t('impl.dashboard.from')}</label>
          <input id="filter-from" name="from" type="date" value={filter.from ?? ''} />
        </div>
        <div class={reversed ? 'field field-error' : 'field'}>
          <label for="filter-to">{t('impl.dashboard.to')}</label>
          {reversed && (
            <p class="error-message" id="filter-to-error">
              {t('form.error.ends_before_start')}
            </p>
          )}
          <input id="filter-to" name="to" type="date" value={filter.to ?? ''} {...(reversed ? { 'aria-invalid': 'true', 'aria-describedby': 'filter-to-error' } : {})} />
        </div>
        <button type="submit">{t('impl.dashboard.apply')}</button>
      </form>
      {reversed ? (
        <div class="error-summary" role="alert">
          <h2>{t('form.errorSummary')}</h2>
          <p>
            <a href="#filter-to">{t('form.error.ends_before_start')}</a>
          </p>
        </div>
      ) : (
        <DashboardSections ctx={ctx} sources={sources} dashboard={dashboard} filter={filter} areas={areas} organisations={organisations} today={today} />
      )}
    </Layout>
  );
}

/** The dashboard's totals, charts, tables and latest updates for a filter. */
function DashboardSections({
  ctx,
  sources,
  dashboard,
  filter,
  areas,
  organisations,
  today,
}: {
  ctx: PageContext;
  /** The app's count sources: what a counted indicator counts, and where to see it. */
  sources: readonly IndicatorCountSource[];
  today: string;
  dashboard: Dashboard;
  filter: DashboardFilter;
  areas: AreaInfo[];
  organisations: Organisations;
}) {
  const { t } = ctx;
  const byArea = areas.filter((a) => filter.area === undefined || a.number === filter.area).map((area) => ({ area, rows: dashboard.rows.filter((r) => r.commitment.areaNumber === area.number) }));
  const totals = sum(dashboard.rows);
  // Short labels under the bars ("(3)", "3-2"); the table beside the chart names them in full.
  const chartRows =
    filter.area === undefined
      ? byArea.map(({ area, rows }) => ({ short: ctx.text(area.label), label: areaName(ctx, area), ...sum(rows) }))
      : dashboard.rows.map((r) => ({ short: commitmentCode(r.commitment), label: commitmentLabel(ctx, areas, r.commitment), ...r }));
  const stageSeries = ACTION_STATUSES.map((s) => ({ name: t(`impl.status.${s}`), values: chartRows.map((r) => r.stages[s]) }));
  const query = (extra: Record<string, string>) => {
    const params = new URLSearchParams(
      Object.entries({ ...filter, ...extra })
        .filter((e): e is [string, string] => e[1] !== undefined && e[1] !== '')
        .map(([k, v]) => [k, String(v)]),
    );
    const text = params.toString();
    return text ? `?${text}` : '';
  };
  const stageHeaders = ACTION_STATUSES.map((s) => <th scope="col">{t(`impl.status.${s}`)}</th>);
  const milestoneHeaders = (
    <>
      <th scope="col">{t('impl.dashboard.met')}</th>
      <th scope="col">{t('impl.dashboard.due')}</th>
      <th scope="col">{t('impl.dashboard.overdue')}</th>
    </>
  );
  return (
    <>
      <p class="downloads">
        {t('impl.dashboard.openData')}: <a href="/api/v1/actions">{t('impl.api.actions')}</a> · <a href="/api/v1/indicators">{t('impl.api.indicators')}</a> ·{' '}
        <a href={ctx.href('/reports')}>{t('impl.reports.title')}</a>
      </p>

      <Section id="totals" title={t('impl.dashboard.totals')}>
        <ul class="totals">
          <li>
            <strong>{t('impl.number', { n: ACTION_STATUSES.reduce((n, s) => n + totals.stages[s], 0) })}</strong> {t('impl.dashboard.actions')}
          </li>
          <li>
            <strong>{t('impl.number', { n: totals.stages.completed })}</strong> {t('impl.status.completed')}
          </li>
          <li>
            <strong>{t('impl.number', { n: totals.milestones.met })}</strong> {t('impl.dashboard.milestonesMet')}
          </li>
          <li>
            <strong>{t('impl.number', { n: totals.milestones.overdue })}</strong> {t('impl.dashboard.milestonesOverdue')}
          </li>
        </ul>
        {chartRows.length > 0 && (
          <ChartFigure
            svg={renderChart({ kind: 'bar', title: t('impl.dashboard.stagesChart'), categories: chartRows.map((r) => r.short), series: stageSeries, height: 360, locale: ctx.locale })}
            caption={t('impl.dashboard.stagesChart')}
            tableLabel={t('impl.chart.table')}
            table={{
              caption: t('impl.dashboard.stagesChart'),
              columns: ['', ...stageSeries.map((s) => s.name)],
              rows: chartRows.map((r, i) => [r.label, ...stageSeries.map((s) => s.values[i] ?? null)]),
            }}
          />
        )}
      </Section>

      {byArea.map(({ area, rows }) => (
        <section aria-labelledby={`area-${area.number}`}>
          <h2 id={`area-${area.number}`}>
            <a href={ctx.href(`/dashboard${query({ area: String(area.number) })}`)}>{areaName(ctx, area)}</a>
          </h2>
          <div class="table-scroll">
            <table class="dashboard">
              <caption>{t('impl.dashboard.tableCaption', { area: areaName(ctx, area) })}</caption>
              <thead>
                <tr>
                  <th scope="col">{t('impl.dashboard.commitment')}</th>
                  {stageHeaders}
                  {milestoneHeaders}
                </tr>
              </thead>
              <tbody>
                {rows.map((r) => (
                  <tr>
                    <th scope="row">
                      <a href={ctx.href(`${commitmentPath(r.commitment)}#implementation`)}>{commitmentLabel(ctx, areas, r.commitment)}</a>
                    </th>
                    <StageCells ctx={ctx} stages={r.stages} />
                    <MilestoneCells ctx={ctx} m={r.milestones} />
                  </tr>
                ))}
              </tbody>
            </table>
          </div>
        </section>
      ))}

      {dashboard.indicators.length > 0 && (
        <Section id="indicators" title={t('impl.indicators')}>
          {dashboard.indicators.map((i) => (
            <IndicatorFigure ctx={ctx} sources={sources} indicator={i} recent={{ periods: 8, today }} />
          ))}
          {dashboard.indicatorCount > dashboard.indicators.length && <p>{t('impl.dashboard.moreIndicators', { n: dashboard.indicatorCount - dashboard.indicators.length })}</p>}
        </Section>
      )}

      <Section id="latest" title={t('impl.dashboard.latest')}>
        <UpdateHistory ctx={ctx} updates={dashboard.latest} organisations={organisations} />
      </Section>
    </>
  );
}

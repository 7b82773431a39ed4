import { renderChart } from '../../../platform/charts/charts.ts';
import { ChartFigure } from '../../../platform/html/chart.tsx';
import type { PageContext } from '../../../platform/html/context.ts';
import { Layout } from '../../../platform/html/layout.tsx';
import { Localized, LocalizedBlock } from '../../../platform/html/localized.tsx';
import type { LocalizedText } from '../../../platform/i18n/locales.ts';
import type { Action, Indicator, Meeting, ProgressUpdate, ProjectAgreement } from '../queries.ts';
import type { ActionNode, CommitmentImplementation, Dashboard, DashboardFilter, MilestoneCounts, StageCounts } from '../read-model.ts';
import { ACTION_STATUSES } from '../schemas.ts';
import { ActionList, filePath, formatBytes, IndicatorFigure, Illustrative, Leads, meetingPath, MilestoneTable, orgName, type Organisations, partiesText, ProjectAgreementList, Section, StatusBadge, UpdateHistory } from './parts.tsx';
import { type AreaInfo, areaName, commitmentCode, commitmentLabel, type CommitmentKey, commitmentPath } from '../../agreements/index.ts';

/** The implementation section of a commitment's page. */
export function CommitmentImplementationSection({ ctx, data, organisations, today }: { ctx: PageContext; data: CommitmentImplementation; organisations: Organisations; today: string }) {
  const { t } = ctx;
  return (
    <section aria-labelledby="implementation" class="implementation">
      <h2 id="implementation">{t('impl.section')}</h2>
      {data.actions.length === 0 ? <p>{t('impl.actions.none')}</p> : <ActionList ctx={ctx} actions={data.actions} organisations={organisations} today={today} />}
      {data.indicators.length > 0 && (
        <>
          <h3>{t('impl.indicators')}</h3>
          {data.indicators.map((i) => (
            <IndicatorFigure ctx={ctx} indicator={i} headingLevel={4} recent={{ periods: 8, today }} />
          ))}
        </>
      )}
      <h3>{t('impl.projectAgreements')}</h3>
      <ProjectAgreementList ctx={ctx} agreements={data.projectAgreements} organisations={organisations} />
      <h3>{t('impl.history')}</h3>
      <UpdateHistory ctx={ctx} updates={data.history} organisations={organisations} actionTitles={titlesOf(data.actions)} />
    </section>
  );
}

function titlesOf(nodes: ActionNode[], into = new Map<number, LocalizedText>()): Map<number, LocalizedText> {
  for (const n of nodes) {
    into.set(n.id, n.title);
    titlesOf(n.children, into);
  }
  return into;
}

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
  dashboard,
  filter,
  reversed = false,
  areas,
  organisations,
  agencies,
  today,
}: {
  ctx: PageContext;
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
        <DashboardSections ctx={ctx} dashboard={dashboard} filter={filter} areas={areas} organisations={organisations} today={today} />
      )}
    </Layout>
  );
}

/** The dashboard's totals, charts, tables and latest updates for a filter. */
function DashboardSections({
  ctx,
  dashboard,
  filter,
  areas,
  organisations,
  today,
}: {
  ctx: PageContext;
  today: string;
  dashboard: Dashboard;
  filter: DashboardFilter;
  areas: AreaInfo[];
  organisations: Organisations;
}) {
  const { t } = ctx;
  const byArea = areas
    .filter((a) => filter.area === undefined || a.number === filter.area)
    .map((area) => ({ area, rows: dashboard.rows.filter((r) => r.commitment.areaNumber === area.number) }));
  const totals = sum(dashboard.rows);
  // Short labels under the bars ("(3)", "3-2"); the table beside the chart names them in full.
  const chartRows =
    filter.area === undefined
      ? byArea.map(({ area, rows }) => ({ short: ctx.text(area.label), label: areaName(ctx, area), ...sum(rows) }))
      : dashboard.rows.map((r) => ({ short: commitmentCode(r.commitment), label: commitmentLabel(ctx, areas, r.commitment), ...r }));
  const stageSeries = ACTION_STATUSES.map((s) => ({ name: t(`impl.status.${s}`), values: chartRows.map((r) => r.stages[s]) }));
  const query = (extra: Record<string, string>) => {
    const params = new URLSearchParams(Object.entries({ ...filter, ...extra }).filter((e): e is [string, string] => e[1] !== undefined && e[1] !== '').map(([k, v]) => [k, String(v)]));
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
            table={{ caption: t('impl.dashboard.stagesChart'), columns: ['', ...stageSeries.map((s) => s.name)], rows: chartRows.map((r, i) => [r.label, ...stageSeries.map((s) => s.values[i] ?? null)]) }}
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
            <IndicatorFigure ctx={ctx} indicator={i} recent={{ periods: 8, today }} />
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

export function ActionPage({
  ctx,
  action,
  commitment,
  areas,
  organisations,
  today,
  history,
  indicators,
  parent,
}: {
  ctx: PageContext;
  action: ActionNode;
  commitment: CommitmentKey;
  areas: AreaInfo[];
  organisations: Organisations;
  today: string;
  history: ProgressUpdate[];
  indicators: Indicator[];
  parent: Action | undefined;
}) {
  const { t } = ctx;
  const title = ctx.text(action.title);
  const label = commitmentLabel(ctx, areas, commitment);
  return (
    <Layout ctx={ctx} title={title} breadcrumbs={[{ label: t('impl.dashboard.title'), href: ctx.href('/dashboard') }, { label, href: ctx.href(`${commitmentPath(commitment)}#implementation`) }, { label: title }]}>
      <p class="eyebrow">
        <a href={ctx.href(commitmentPath(commitment))}>{label}</a>
        {parent && (
          <>
            {' › '}
            <a href={ctx.href(`/implementation/actions/${parent.id}`)}>
              <Localized ctx={ctx} text={parent.title} />
            </a>
          </>
        )}
      </p>
      <h1>
        <Localized ctx={ctx} text={action.title} />
      </h1>
      <p>
        <StatusBadge ctx={ctx} status={action.effectiveStatus} /> <Illustrative ctx={ctx} show={action.illustrative} />
        {(action.startsOn || action.endsOn) && (
          <span class="meta">
            {' '}
            {action.startsOn ? ctx.date(action.startsOn) : '…'} – {action.endsOn ? ctx.date(action.endsOn) : '…'}
          </span>
        )}
      </p>
      {action.status === 'discontinued' && action.statusReason && (
        <p>
          {t('impl.discontinuedBecause')}: {action.statusReason}
        </p>
      )}
      <LocalizedBlock ctx={ctx} text={action.description} />
      <Leads ctx={ctx} organisations={organisations} action={action} />
      <Section id="milestones" title={t('impl.milestones')}>
        {action.milestones.length ? <MilestoneTable ctx={ctx} milestones={action.milestones} today={today} caption={title} /> : <p>{t('impl.milestones.none')}</p>}
      </Section>
      {action.children.length > 0 && (
        <Section id="sub-actions" title={t('impl.subActions')}>
          <ActionList ctx={ctx} actions={action.children} organisations={organisations} today={today} />
        </Section>
      )}
      {indicators.length > 0 && (
        <Section id="indicators" title={t('impl.indicators')}>
          {indicators.map((i) => (
            <IndicatorFigure ctx={ctx} indicator={i} />
          ))}
        </Section>
      )}
      <Section id="history" title={t('impl.history')}>
        <UpdateHistory ctx={ctx} updates={history} organisations={organisations} />
      </Section>
    </Layout>
  );
}

export function IndicatorPage({ ctx, indicator, commitment, areas }: { ctx: PageContext; indicator: Indicator; commitment: CommitmentKey; areas: AreaInfo[] }) {
  const name = ctx.text(indicator.name);
  const label = commitmentLabel(ctx, areas, commitment);
  return (
    <Layout ctx={ctx} title={name} breadcrumbs={[{ label: ctx.t('impl.dashboard.title'), href: ctx.href('/dashboard') }, { label, href: ctx.href(`${commitmentPath(commitment)}#implementation`) }, { label: name }]}>
      <p class="eyebrow">
        <a href={ctx.href(commitmentPath(commitment))}>{label}</a>
      </p>
      <h1>
        <Localized ctx={ctx} text={indicator.name} />
      </h1>
      <LocalizedBlock ctx={ctx} text={indicator.description} />
      <IndicatorFigure ctx={ctx} indicator={indicator} headingLevel={2} link={false} />
    </Layout>
  );
}

export function ProjectAgreementsPage({ ctx, agreements, organisations }: { ctx: PageContext; agreements: ProjectAgreement[]; organisations: Organisations }) {
  return (
    <Layout ctx={ctx} title={ctx.t('impl.projectAgreements')} breadcrumbs={[{ label: ctx.t('impl.projectAgreements') }]}>
      <h1>{ctx.t('impl.projectAgreements')}</h1>
      <p class="lead">{ctx.t('impl.projectAgreements.intro')}</p>
      <ProjectAgreementList ctx={ctx} agreements={agreements} organisations={organisations} />
    </Layout>
  );
}

export function ProjectAgreementPage({ ctx, agreement, organisations, commitments, areas }: { ctx: PageContext; agreement: ProjectAgreement; organisations: Organisations; commitments: CommitmentKey[]; areas: AreaInfo[] }) {
  const { t } = ctx;
  const title = ctx.text(agreement.title);
  return (
    <Layout ctx={ctx} title={title} breadcrumbs={[{ label: t('impl.projectAgreements'), href: ctx.href('/project-agreements') }, { label: title }]}>
      <h1>
        <Localized ctx={ctx} text={agreement.title} />
      </h1>
      <p>
        <span class="badge">{t(`impl.projectAgreement.status.${agreement.status}`)}</span> <Illustrative ctx={ctx} show={agreement.illustrative} />
      </p>
      <dl class="facts">
        <dt>{t('impl.reference')}</dt>
        <dd>{agreement.reference}</dd>
        <dt>{t('impl.projectAgreement.parties')}</dt>
        <dd>{partiesText(ctx, organisations, agreement)}</dd>
        <dt>{t('impl.projectAgreement.signed')}</dt>
        <dd>
          {ctx.date(agreement.signedOn)}
          {Object.keys(agreement.signedPlace).length > 0 && (
            <>
              {', '}
              <Localized ctx={ctx} text={agreement.signedPlace} />
            </>
          )}
        </dd>
        {(agreement.startsOn || agreement.endsOn) && (
          <>
            <dt>{t('impl.projectAgreement.term')}</dt>
            <dd>
              {agreement.startsOn ? ctx.date(agreement.startsOn) : '…'} – {agreement.endsOn ? ctx.date(agreement.endsOn) : '…'}
            </dd>
          </>
        )}
        <dt>{t('impl.projectAgreement.commitments')}</dt>
        <dd>
          <ul>
            {agreement.commitmentIds.map((id) => {
              const c = commitments.find((k) => k.id === id);
              return c ? (
                <li>
                  <a href={ctx.href(commitmentPath(c))}>{commitmentLabel(ctx, areas, c)}</a>
                </li>
              ) : null;
            })}
          </ul>
        </dd>
        {agreement.sourceUrl && (
          <>
            <dt>{t('impl.source')}</dt>
            <dd>
              <a href={agreement.sourceUrl}>{agreement.sourceUrl}</a>
            </dd>
          </>
        )}
      </dl>
      <LocalizedBlock ctx={ctx} text={agreement.summary} />
      {agreement.documents.length > 0 && (
        <Section id="documents" title={t('impl.documents')}>
          <ul class="attachments">
            {agreement.documents.map((f) => (
              <li>
                <a href={filePath(f)}>{f.name}</a> ({formatBytes(f.size)})
              </li>
            ))}
          </ul>
        </Section>
      )}
    </Layout>
  );
}

export function MeetingsPage({ ctx, meetings }: { ctx: PageContext; meetings: Meeting[] }) {
  const { t } = ctx;
  return (
    <Layout ctx={ctx} title={t('impl.meetings')} breadcrumbs={[{ label: t('impl.meetings') }]}>
      <h1>{t('impl.meetings')}</h1>
      {meetings.length === 0 ? (
        <p>{t('impl.meetings.none')}</p>
      ) : (
        <ul class="meetings">
          {meetings.map((m) => (
            <li>
              <a href={ctx.href(meetingPath(m.id))}>
                <Localized ctx={ctx} text={m.title} />
              </a>{' '}
              <Illustrative ctx={ctx} show={m.illustrative} />
              <p class="meta">
                {t(`impl.meeting.type.${m.type}`)} · <time datetime={m.heldOn}>{ctx.date(m.heldOn)}</time>
                {Object.keys(m.place).length > 0 && (
                  <>
                    {' · '}
                    <Localized ctx={ctx} text={m.place} />
                  </>
                )}
              </p>
            </li>
          ))}
        </ul>
      )}
    </Layout>
  );
}

export function MeetingPage({
  ctx,
  meeting,
  organisations,
  commitments,
  areas,
  actionsByDecision,
  canCreateActions,
}: {
  ctx: PageContext;
  meeting: Meeting;
  organisations: Organisations;
  commitments: CommitmentKey[];
  areas: AreaInfo[];
  actionsByDecision: Map<number, Action[]>;
  canCreateActions: boolean;
}) {
  const { t } = ctx;
  const title = ctx.text(meeting.title);
  return (
    <Layout ctx={ctx} title={title} breadcrumbs={[{ label: t('impl.meetings'), href: ctx.href('/meetings') }, { label: title }]}>
      <h1>
        <Localized ctx={ctx} text={meeting.title} />
      </h1>
      <p>
        <Illustrative ctx={ctx} show={meeting.illustrative} />
      </p>
      <dl class="facts">
        <dt>{t('impl.reference')}</dt>
        <dd>{meeting.reference}</dd>
        <dt>{t('impl.meeting.type')}</dt>
        <dd>{t(`impl.meeting.type.${meeting.type}`)}</dd>
        <dt>{t('impl.meeting.heldOn')}</dt>
        <dd>
          {ctx.date(meeting.heldOn)}
          {Object.keys(meeting.place).length > 0 && (
            <>
              {', '}
              <Localized ctx={ctx} text={meeting.place} />
            </>
          )}
        </dd>
        <dt>{t('impl.meeting.participants')}</dt>
        <dd>{meeting.participants.map((p) => orgName(ctx, organisations, p)).join(ctx.locale === 'en' ? '; ' : '；') || '–'}</dd>
      </dl>
      <p>
        <a href={ctx.href(`/reports/meetings/${meeting.id}`)}>{t('impl.meeting.progressReport')}</a>
      </p>
      <Section id="minutes" title={t('impl.meeting.minutes')}>
        {Object.keys(meeting.minutes).length ? <LocalizedBlock ctx={ctx} text={meeting.minutes} /> : <p>{t('impl.meeting.noMinutes')}</p>}
      </Section>
      <Section id="decisions" title={t('impl.meeting.decisions')}>
        {meeting.decisions.length === 0 ? (
          <p>{t('impl.meeting.noDecisions')}</p>
        ) : (
          <ol class="decisions">
            {meeting.decisions.map((d) => {
              const c = d.commitmentId === null ? undefined : commitments.find((k) => k.id === d.commitmentId);
              const actions = actionsByDecision.get(d.id) ?? [];
              return (
                <li value={d.number}>
                  <Localized ctx={ctx} text={d.text} />
                  {c && (
                    <p class="meta">
                      <a href={ctx.href(commitmentPath(c))}>{commitmentLabel(ctx, areas, c)}</a>
                    </p>
                  )}
                  {actions.length > 0 && (
                    <p>
                      {t('impl.meeting.actionsCreated')}:{' '}
                      {actions.map((a, i) => (
                        <>
                          {i > 0 && '; '}
                          <a href={ctx.href(`/implementation/actions/${a.id}`)}>
                            <Localized ctx={ctx} text={a.title} />
                          </a>
                        </>
                      ))}
                    </p>
                  )}
                  {canCreateActions && c && (
                    <p>
                      <a href={ctx.href(`/workspace/commitments/${commitmentCode(c)}/actions/new?decision=${d.id}`)}>{t('impl.meeting.createAction')}</a>
                    </p>
                  )}
                </li>
              );
            })}
          </ol>
        )}
      </Section>
    </Layout>
  );
}


import type { ComponentChildren } from 'preact';
import { renderChart } from '../../../platform/charts/charts.ts';
import type { Side } from '../../../platform/db/schema.ts';
import type { ActionStatus, MilestoneStatus } from '../tables.ts';
import { ChartFigure } from '../../../platform/html/chart.tsx';
import type { PageContext } from '../../../platform/html/context.ts';
import { Localized, LocalizedBlock } from '../../../platform/html/localized.tsx';
import { LOCALE_INFO, LOCALES, type LocalizedText, pick } from '../../../platform/i18n/locales.ts';
import type { IndicatorCountSource } from '../../../platform/indicator-counts.ts';
import type { Organisation } from '../../organisations/index.ts';
import { countingOf, periodReading } from '../indicator-counts.ts';
import type { Reading } from '../progress.ts';
import type { CountedBy, Indicator, Period } from '../queries/indicators.ts';
import type { Milestone } from '../queries/milestones.ts';
import type { ProjectAgreement } from '../queries/project-agreements.ts';
import type { FileRef } from '../queries/shared.ts';
import type { ProgressUpdate } from '../queries/updates.ts';
import type { ActionNode } from '../read-model.ts';

export type Organisations = Map<string, Organisation>;

export const actionPath = (id: number) => `/implementation/actions/${id}`;
const indicatorPath = (id: number) => `/implementation/indicators/${id}`;
const projectAgreementPath = (id: number) => `/project-agreements/${id}`;
export const meetingPath = (id: number) => `/meetings/${id}`;
export const filePath = (f: FileRef) => `/files/${f.id}/${encodeURIComponent(f.name)}`;

export function orgName(ctx: PageContext, organisations: Organisations, id: string | null): string {
  if (!id) return ctx.t('impl.noLead');
  const o = organisations.get(id);
  return o ? ctx.text(o.name) : id;
}

export function StatusBadge({ ctx, status }: { ctx: PageContext; status: ActionStatus }) {
  return <span class={`badge status-${status}`}>{ctx.t(`impl.status.${status}`)}</span>;
}

export function MilestoneBadge({ ctx, status, overdue }: { ctx: PageContext; status: MilestoneStatus; overdue: boolean }) {
  return <span class={`badge milestone-${overdue ? 'overdue' : status}`}>{overdue ? ctx.t('impl.milestone.overdue') : ctx.t(`impl.milestone.${status}`)}</span>;
}

export function Illustrative({ ctx, show }: { ctx: PageContext; show: boolean }) {
  return show ? <span class="badge illustrative">{ctx.t('impl.illustrative')}</span> : null;
}

export function sideName(ctx: PageContext, side: Side): string {
  return ctx.t(side === 'hong-kong' ? 'impl.side.hongKong' : 'impl.side.zhejiang');
}

export function Leads({ ctx, organisations, action }: { ctx: PageContext; organisations: Organisations; action: { leadHongKong: string | null; leadZhejiang: string | null; partners: string[] } }) {
  return (
    <dl class="leads">
      <dt>{ctx.t('impl.leadHongKong')}</dt>
      <dd>{orgName(ctx, organisations, action.leadHongKong)}</dd>
      <dt>{ctx.t('impl.leadZhejiang')}</dt>
      <dd>{orgName(ctx, organisations, action.leadZhejiang)}</dd>
      {action.partners.length > 0 && (
        <>
          <dt>{ctx.t('impl.partners')}</dt>
          <dd>{action.partners.map((p) => orgName(ctx, organisations, p)).join(ctx.locale === 'en' ? '; ' : '；')}</dd>
        </>
      )}
    </dl>
  );
}

export function MilestoneTable({ ctx, milestones, today, caption }: { ctx: PageContext; milestones: Milestone[]; today: string; caption: string }) {
  if (milestones.length === 0) return null;
  return (
    <table class="milestones">
      <caption>{caption}</caption>
      <thead>
        <tr>
          <th scope="col">{ctx.t('impl.milestone.title')}</th>
          <th scope="col">{ctx.t('impl.milestone.due')}</th>
          <th scope="col">{ctx.t('impl.milestone.status')}</th>
        </tr>
      </thead>
      <tbody>
        {milestones.map((m) => (
          <tr>
            <th scope="row">
              <Localized ctx={ctx} text={m.title} />
              {Object.keys(m.evidence).length > 0 && (
                <p class="evidence">
                  {ctx.t('impl.milestone.evidence')}: <Localized ctx={ctx} text={m.evidence} />
                </p>
              )}
            </th>
            <td>
              <time datetime={m.dueOn}>{ctx.date(m.dueOn)}</time>
            </td>
            <td>
              <MilestoneBadge ctx={ctx} status={m.status} overdue={m.status === 'scheduled' && m.dueOn < today} />
              {m.metOn && (
                <>
                  {' '}
                  <time datetime={m.metOn}>{ctx.date(m.metOn)}</time>
                </>
              )}
            </td>
          </tr>
        ))}
      </tbody>
    </table>
  );
}

/** Actions as nested lists, each with its lead agencies, state and milestones. */
export function ActionList({ ctx, actions, organisations, today, level = 3 }: { ctx: PageContext; actions: ActionNode[]; organisations: Organisations; today: string; level?: 3 | 4 | 5 | 6 }) {
  if (actions.length === 0) return null;
  const Heading = `h${level}` as 'h3';
  return (
    <ul class="action-list">
      {actions.map((a) => (
        <li>
          <Heading>
            <a href={ctx.href(actionPath(a.id))}>
              <Localized ctx={ctx} text={a.title} />
            </a>{' '}
            <StatusBadge ctx={ctx} status={a.effectiveStatus} /> <Illustrative ctx={ctx} show={a.illustrative} />
          </Heading>
          <Leads ctx={ctx} organisations={organisations} action={a} />
          {a.status === 'discontinued' && a.statusReason && (
            <p>
              {ctx.t('impl.discontinuedBecause')}: {a.statusReason}
            </p>
          )}
          <MilestoneTable ctx={ctx} milestones={a.milestones} today={today} caption={ctx.t('impl.milestones')} />
          {a.children.length > 0 && <ActionList ctx={ctx} actions={a.children} organisations={organisations} today={today} level={Math.min(level + 1, 6) as 4} />}
        </li>
      ))}
    </ul>
  );
}

const numberFormats = new Map(LOCALES.map((l) => [l, new Intl.NumberFormat(LOCALE_INFO[l].intl, { maximumFractionDigits: 2 })]));

/** A figure as the visitor's language writes it (formatters are made once: each costs ~16 µs). */
export function formatNumber(ctx: PageContext, value: number | null): string {
  return value === null ? '–' : (numberFormats.get(ctx.locale) as Intl.NumberFormat).format(value);
}

export function periodLabel(ctx: PageContext, p: Pick<Period, 'startsOn' | 'endsOn'>): string {
  const startYear = p.startsOn.slice(0, 4);
  if (p.startsOn.endsWith('-01-01') && p.endsOn === `${startYear}-12-31`) return startYear;
  const quarter = ['01-01', '04-01', '07-01', '10-01'].indexOf(p.startsOn.slice(5));
  if (quarter >= 0 && p.endsOn.slice(0, 4) === startYear && p.endsOn.slice(5) === ['03-31', '06-30', '09-30', '12-31'][quarter]) return `${startYear} Q${quarter + 1}`;
  return `${ctx.date(p.startsOn)} – ${ctx.date(p.endsOn)}`;
}

/** One period's actual: counted on the platform for a counted indicator, else the sides' approved figures. */
export function readingOf(indicator: Indicator, period: Period, locale: PageContext['locale']): Reading {
  return periodReading(indicator, period, (text) => pick(text, locale).text);
}

/** What a counted indicator counts, in words (its source's name for the choice: one type of event, or any). */
export function countedKind(ctx: PageContext, sources: readonly IndicatorCountSource[], countedBy: CountedBy | null): string {
  const counting = countingOf(sources, countedBy);
  return counting ? ctx.t(counting.choice.label) : (countedBy?.choice ?? '');
}

/** The mark of a counted indicator, in its source's words ("Counted from events"). */
export function countedBadge(ctx: PageContext, sources: readonly IndicatorCountSource[], countedBy: CountedBy): string {
  return ctx.t(countingOf(sources, countedBy)?.source.badge ?? 'impl.indicator.counted');
}

/** The mark of a counted indicator: where its actuals come from, and a link to the records counted (the events in the calendar). */
export function CountedFrom({ ctx, sources, indicator }: { ctx: PageContext; sources: readonly IndicatorCountSource[]; indicator: Pick<Indicator, 'countedBy' | 'commitmentCode'> }) {
  if (indicator.countedBy === null) return null;
  const counting = countingOf(sources, indicator.countedBy);
  if (!counting) {
    return (
      <p class="counted-from-events">
        <span class="badge">{ctx.t('impl.indicator.counted')}</span>
      </p>
    );
  }
  const { source, choice } = counting;
  return (
    <p class="counted-from-events">
      <span class="badge">{ctx.t(source.badge)}</span> {ctx.t(source.note, { kind: ctx.t(choice.label) })}{' '}
      <a href={ctx.href(source.recordsPath(indicator.commitmentCode, choice.value))}>{ctx.t(source.recordsLink)}</a>
    </p>
  );
}

/** One period's actual as the public sees it: agreed, per side, or flagged where the sides differ. */
export function ReadingText({ ctx, indicator, reading }: { ctx: PageContext; indicator: Indicator; reading: Reading }) {
  const show = (value: number | null, text: string | null) => (indicator.measure === 'qualitative' ? (text ?? '–') : formatNumber(ctx, value));
  switch (reading.kind) {
    case 'none':
      return <>–</>;
    case 'agreed':
      return (
        <>
          {show(reading.value, reading.text)}
          {!reading.confirmed && <small class="unconfirmed"> ({ctx.t('impl.reading.unconfirmed', { side: sideName(ctx, reading.recordedBy[0] as Side) })})</small>}
        </>
      );
    case 'differs':
      return (
        <span class="differs">
          <strong>{ctx.t('impl.reading.differs')}</strong> {sideName(ctx, 'hong-kong')}: {show(reading.hongKong.value, reading.hongKong.text)}; {sideName(ctx, 'zhejiang')}:{' '}
          {show(reading.zhejiang.value, reading.zhejiang.text)}
        </span>
      );
    case 'per-side':
      return (
        <>
          {sideName(ctx, 'hong-kong')}: {reading.hongKong ? show(reading.hongKong.value, reading.hongKong.text) : '–'}; {sideName(ctx, 'zhejiang')}:{' '}
          {reading.zhejiang ? show(reading.zhejiang.value, reading.zhejiang.text) : '–'}
          {reading.total !== null && (
            <>
              {' '}
              ({ctx.t('impl.reading.total')}: {formatNumber(ctx, reading.total)})
            </>
          )}
        </>
      );
  }
}

/** An indicator: its baseline, a chart of targets and actuals, and the same figures as a table. */
export function IndicatorFigure({
  ctx,
  sources,
  indicator: whole,
  headingLevel = 3,
  link = true,
  recent,
}: {
  ctx: PageContext;
  /** The app's count sources: what a counted indicator counts, and where to see it. */
  sources: readonly IndicatorCountSource[];
  indicator: Indicator;
  headingLevel?: 2 | 3 | 4;
  link?: boolean;
  /** Show only the latest periods begun by then (with a link to all of them): pages with many indicators. */
  recent?: { periods: number; today: string };
}) {
  const begun = recent ? whole.periods.filter((p) => p.startsOn <= recent.today) : whole.periods;
  const indicator = recent ? { ...whole, periods: begun.slice(-recent.periods) } : whole;
  const more = whole.periods.length - indicator.periods.length;
  const Heading = `h${headingLevel}` as 'h3';
  const unit = ctx.text(indicator.unit);
  const name = ctx.text(indicator.name);
  const readings = indicator.periods.map((p) => ({ period: p, reading: readingOf(indicator, p, ctx.locale) }));
  const numeric = indicator.measure !== 'qualitative' && indicator.periods.length > 0;
  const series = (pickValue: (r: Reading) => number | null) => readings.map(({ reading }) => pickValue(reading));
  const chartSeries = numeric
    ? indicator.scope === 'joint'
      ? [
          { name: ctx.t('impl.indicator.target'), values: indicator.periods.map((p) => p.targetValue), dashed: true },
          { name: ctx.t('impl.indicator.actual'), values: series((r) => (r.kind === 'agreed' ? r.value : null)) },
        ]
      : [
          { name: ctx.t('impl.indicator.target'), values: indicator.periods.map((p) => p.targetValue), dashed: true },
          { name: sideName(ctx, 'hong-kong'), values: series((r) => (r.kind === 'per-side' ? (r.hongKong?.value ?? null) : null)) },
          { name: sideName(ctx, 'zhejiang'), values: series((r) => (r.kind === 'per-side' ? (r.zhejiang?.value ?? null) : null)) },
        ]
    : [];
  const categories = indicator.periods.map((p) => periodLabel(ctx, p));
  return (
    <section class="indicator" aria-label={name}>
      <Heading>
        {link ? (
          <a href={ctx.href(indicatorPath(indicator.id))}>
            <Localized ctx={ctx} text={indicator.name} />
          </a>
        ) : (
          <Localized ctx={ctx} text={indicator.name} />
        )}{' '}
        <Illustrative ctx={ctx} show={indicator.illustrative} />
      </Heading>
      <p class="meta">
        {unit && `${ctx.t('impl.indicator.unit')}: ${unit} · `}
        {ctx.t(`impl.indicator.scope.${indicator.scope}`)} · {ctx.t(`impl.indicator.direction.${indicator.direction}`)}
        {indicator.baselineOn && (
          <>
            {' · '}
            {ctx.t('impl.indicator.baseline')}: {indicator.measure === 'qualitative' ? <Localized ctx={ctx} text={indicator.baselineText} /> : formatNumber(ctx, indicator.baselineValue)} (
            {ctx.date(indicator.baselineOn)})
          </>
        )}
      </p>
      <CountedFrom ctx={ctx} sources={sources} indicator={indicator} />
      {numeric ? (
        // The periods table below gives the same figures (and flags differing ones) to everyone.
        <ChartFigure svg={renderChart({ kind: 'line', title: name, categories, series: chartSeries, locale: LOCALE_INFO[ctx.locale].intl, ...(unit ? { unit } : {}) })} caption={name} />
      ) : null}
      {indicator.periods.length > 0 && (
        <table class="periods">
          <caption>{ctx.t('impl.indicator.periodsCaption', { name })}</caption>
          <thead>
            <tr>
              <th scope="col">{ctx.t('impl.indicator.period')}</th>
              <th scope="col">{ctx.t('impl.indicator.target')}</th>
              <th scope="col">{ctx.t('impl.indicator.actual')}</th>
            </tr>
          </thead>
          <tbody>
            {readings.map(({ period, reading }) => (
              <tr class={reading.kind === 'differs' ? 'flagged' : undefined}>
                <th scope="row">{periodLabel(ctx, period)}</th>
                <td class="num">{indicator.measure === 'qualitative' ? <Localized ctx={ctx} text={period.targetText} /> : formatNumber(ctx, period.targetValue)}</td>
                <td>
                  <ReadingText ctx={ctx} indicator={indicator} reading={reading} />
                </td>
              </tr>
            ))}
          </tbody>
        </table>
      )}
      {more > 0 && (
        <p>
          <a href={ctx.href(indicatorPath(indicator.id))}>{ctx.t('impl.indicator.allPeriods', { n: whole.periods.length })}</a>
        </p>
      )}
      {Object.keys(indicator.source).length > 0 && (
        <p class="source">
          {ctx.t('impl.indicator.source')}: <Localized ctx={ctx} text={indicator.source} />
        </p>
      )}
    </section>
  );
}

export function UpdateHistory({
  ctx,
  updates,
  organisations,
  actionTitles,
}: {
  ctx: PageContext;
  updates: (ProgressUpdate & { attachments?: FileRef[] })[];
  organisations: Organisations;
  actionTitles?: Map<number, LocalizedText>;
}) {
  if (updates.length === 0) return <p>{ctx.t('impl.history.none')}</p>;
  return (
    <ol class="updates">
      {updates.map((u) => (
        <li>
          <article aria-label={u.reference}>
            <p class="meta">
              <time datetime={(u.approvedAt ?? u.updatedAt).toISOString()}>{ctx.date((u.approvedAt ?? u.updatedAt).toISOString().slice(0, 10))}</time> · {orgName(ctx, organisations, u.organisationId)}{' '}
              · {u.reference} <Illustrative ctx={ctx} show={u.illustrative} />
            </p>
            {actionTitles?.get(u.actionId) && (
              <p>
                <a href={ctx.href(actionPath(u.actionId))}>
                  <Localized ctx={ctx} text={actionTitles.get(u.actionId)} />
                </a>
              </p>
            )}
            <LocalizedBlock ctx={ctx} text={u.narrative} />
            {u.attachments && u.attachments.length > 0 && (
              <ul class="attachments">
                {u.attachments.map((f) => (
                  <li>
                    <a href={filePath(f)}>{f.name}</a> ({formatBytes(f.size)})
                  </li>
                ))}
              </ul>
            )}
          </article>
        </li>
      ))}
    </ol>
  );
}

export function formatBytes(size: number): string {
  if (size < 1024) return `${size} B`;
  if (size < 1024 * 1024) return `${(size / 1024).toFixed(0)} KB`;
  return `${(size / 1024 / 1024).toFixed(1)} MB`;
}

export function ProjectAgreementList({ ctx, agreements, organisations }: { ctx: PageContext; agreements: ProjectAgreement[]; organisations: Organisations }) {
  if (agreements.length === 0) return <p>{ctx.t('impl.projectAgreements.none')}</p>;
  return (
    <ul class="project-agreements">
      {agreements.map((p) => (
        <li>
          <a href={ctx.href(projectAgreementPath(p.id))}>
            <Localized ctx={ctx} text={p.title} />
          </a>{' '}
          <span class="badge">{ctx.t(`impl.projectAgreement.status.${p.status}`)}</span> <Illustrative ctx={ctx} show={p.illustrative} />
          <p class="meta">
            {p.reference} · {ctx.t('impl.projectAgreement.signedOn', { date: ctx.date(p.signedOn) })} · {partiesText(ctx, organisations, p)}
          </p>
        </li>
      ))}
    </ul>
  );
}

export function partiesText(ctx: PageContext, organisations: Organisations, p: ProjectAgreement): string {
  return p.parties.map((party) => (party.organisationId ? orgName(ctx, organisations, party.organisationId) : ctx.text(party.name ?? {}))).join(ctx.locale === 'en' ? '; ' : '；');
}

export function Section({ id, title, children }: { id: string; title: string; children: ComponentChildren }) {
  return (
    <section aria-labelledby={id}>
      <h2 id={id}>{title}</h2>
      {children}
    </section>
  );
}

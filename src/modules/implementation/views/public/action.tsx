import type { PageContext } from '../../../../platform/html/context.ts';
import { Layout } from '../../../../platform/html/layout.tsx';
import { Localized, LocalizedBlock } from '../../../../platform/html/localized.tsx';
import type { IndicatorCountSource } from '../../../../platform/indicator-counts.ts';
import { type AreaInfo, commitmentLabel, type CommitmentKey, commitmentPath } from '../../../agreements/index.ts';
import type { Action } from '../../queries/actions.ts';
import type { Indicator } from '../../queries/indicators.ts';
import type { ProgressUpdate } from '../../queries/updates.ts';
import type { ActionNode } from '../../read-model.ts';
import { ActionList, IndicatorFigure, Illustrative, Leads, MilestoneTable, type Organisations, Section, StatusBadge, UpdateHistory } from '../parts.tsx';

export function ActionPage({
  ctx,
  sources,
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
  /** The app's count sources: what a counted indicator counts, and where to see it. */
  sources: readonly IndicatorCountSource[];
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
    <Layout
      ctx={ctx}
      title={title}
      breadcrumbs={[{ label: t('impl.dashboard.title'), href: ctx.href('/dashboard') }, { label, href: ctx.href(`${commitmentPath(commitment)}#implementation`) }, { label: title }]}
    >
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
            <IndicatorFigure ctx={ctx} sources={sources} indicator={i} />
          ))}
        </Section>
      )}
      <Section id="history" title={t('impl.history')}>
        <UpdateHistory ctx={ctx} updates={history} organisations={organisations} />
      </Section>
    </Layout>
  );
}

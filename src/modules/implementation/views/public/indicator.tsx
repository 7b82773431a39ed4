import type { PageContext } from '../../../../platform/html/context.ts';
import { Layout } from '../../../../platform/html/layout.tsx';
import { Localized, LocalizedBlock } from '../../../../platform/html/localized.tsx';
import type { IndicatorCountSource } from '../../../../platform/indicator-counts.ts';
import { type AreaInfo, commitmentLabel, type CommitmentKey, commitmentPath } from '../../../agreements/index.ts';
import type { Indicator } from '../../queries/indicators.ts';
import { IndicatorFigure } from '../parts.tsx';

export function IndicatorPage({
  ctx,
  sources,
  indicator,
  commitment,
  areas,
}: {
  ctx: PageContext;
  /** The app's count sources: what a counted indicator counts, and where to see it. */
  sources: readonly IndicatorCountSource[];
  indicator: Indicator;
  commitment: CommitmentKey;
  areas: AreaInfo[];
}) {
  const name = ctx.text(indicator.name);
  const label = commitmentLabel(ctx, areas, commitment);
  return (
    <Layout
      ctx={ctx}
      title={name}
      breadcrumbs={[{ label: ctx.t('impl.dashboard.title'), href: ctx.href('/dashboard') }, { label, href: ctx.href(`${commitmentPath(commitment)}#implementation`) }, { label: name }]}
    >
      <p class="eyebrow">
        <a href={ctx.href(commitmentPath(commitment))}>{label}</a>
      </p>
      <h1>
        <Localized ctx={ctx} text={indicator.name} />
      </h1>
      <LocalizedBlock ctx={ctx} text={indicator.description} />
      <IndicatorFigure ctx={ctx} sources={sources} indicator={indicator} headingLevel={2} link={false} />
    </Layout>
  );
}

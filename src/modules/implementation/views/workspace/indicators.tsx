import type { PageContext } from '../../../../platform/html/context.ts';
import { Layout } from '../../../../platform/html/layout.tsx';
import { Localized } from '../../../../platform/html/localized.tsx';
import type { IndicatorCountSource } from '../../../../platform/indicator-counts.ts';
import { type AreaInfo, commitmentLabel, type CommitmentKey } from '../../../agreements/index.ts';
import type { Indicator } from '../../queries/indicators.ts';
import { countedBadge } from '../parts.tsx';

/** The indicators of every commitment, those counted on the platform marked. `sources`: the app's count sources. */
export function IndicatorsAdminPage({
  ctx,
  sources,
  indicators,
  commitments,
  areas,
}: {
  ctx: PageContext;
  sources: readonly IndicatorCountSource[];
  indicators: Indicator[];
  commitments: CommitmentKey[];
  areas: AreaInfo[];
}) {
  const { t } = ctx;
  return (
    <Layout ctx={ctx} title={t('impl.indicators')} breadcrumbs={[{ label: t('impl.workspace.title'), href: ctx.href('/workspace') }, { label: t('impl.indicators') }]}>
      <h1>{t('impl.indicators')}</h1>
      <p>
        <a href={ctx.href('/workspace/indicators/new')}>{t('impl.indicator.new')}</a>
      </p>
      <table>
        <thead>
          <tr>
            <th scope="col">{t('impl.indicator.name')}</th>
            <th scope="col">{t('impl.dashboard.commitment')}</th>
            <th scope="col">{t('impl.indicator.periods')}</th>
          </tr>
        </thead>
        <tbody>
          {indicators.map((i) => {
            const c = commitments.find((k) => k.id === i.commitmentId);
            return (
              <tr>
                <th scope="row">
                  <a href={ctx.href(`/workspace/indicators/${i.id}`)}>
                    <Localized ctx={ctx} text={i.name} />
                  </a>
                  {i.countedBy !== null && (
                    <>
                      {' '}
                      <span class="badge">{countedBadge(ctx, sources, i.countedBy)}</span>
                    </>
                  )}
                </th>
                <td>{c ? commitmentLabel(ctx, areas, c) : ''}</td>
                <td class="num">{i.periods.length}</td>
              </tr>
            );
          })}
        </tbody>
      </table>
    </Layout>
  );
}

import type { PageContext } from '../../../platform/html/context.ts';
import { Layout } from '../../../platform/html/layout.tsx';
import type { Lifecycle } from '../lifecycle.ts';
import type { StoredAgreement } from '../queries.ts';
import { AreaList, StatusBadge } from './parts.tsx';
import { agreementPath } from '../catalogue.ts';

export function HomePage({ ctx, agreement, lifecycle }: { ctx: PageContext; agreement: StoredAgreement | undefined; lifecycle: Lifecycle | undefined }) {
  const { t } = ctx;
  return (
    <Layout ctx={ctx} title={t('site.name')}>
      <h1>{t('home.title')}</h1>
      <p class="lead">{t('site.tagline')}</p>
      <p>{t('home.intro')}</p>
      {agreement && lifecycle && (
        <>
          <StatusBadge ctx={ctx} agreement={agreement} lifecycle={lifecycle} />
          <p>
            <a class="button" href={ctx.href(agreementPath(agreement.id))}>
              {t('home.readAgreement')}
            </a>
          </p>
          <h2>{t('home.areas')}</h2>
          <AreaList ctx={ctx} agreement={agreement} class="area-grid" />
        </>
      )}
    </Layout>
  );
}

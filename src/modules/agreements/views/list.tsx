import type { PageContext } from '../../../platform/html/context.ts';
import { Layout } from '../../../platform/html/layout.tsx';
import type { Lifecycle } from '../lifecycle.ts';
import type { StoredAgreement } from '../queries.ts';
import { StatusBadge } from './parts.tsx';
import { agreementPath } from '../catalogue.ts';

export function ListPage({ ctx, agreements }: { ctx: PageContext; agreements: { agreement: StoredAgreement; lifecycle: Lifecycle }[] }) {
  const { t } = ctx;
  return (
    <Layout ctx={ctx} title={t('agreement.list.title')} breadcrumbs={[{ label: t('agreement.list.title') }]}>
      <h1>{t('agreement.list.title')}</h1>
      <ul class="cards">
        {agreements.map(({ agreement, lifecycle }) => (
          <li class="card">
            <h2>
              <a href={ctx.href(agreementPath(agreement.id))}>{ctx.text(agreement.title)}</a>
            </h2>
            <p>{t('agreement.termRange', { from: ctx.date(agreement.effectiveFrom), to: ctx.date(agreement.expiresOn) })}</p>
            <StatusBadge ctx={ctx} agreement={agreement} lifecycle={lifecycle} />
          </li>
        ))}
      </ul>
    </Layout>
  );
}

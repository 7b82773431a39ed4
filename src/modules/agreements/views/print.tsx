import type { PageContext } from '../../../platform/html/context.ts';
import { Layout } from '../../../platform/html/layout.tsx';
import { documentBlocks } from '../document.ts';
import type { Lifecycle } from '../lifecycle.ts';
import type { StoredAgreement } from '../queries.ts';
import { BlockView, StatusBadge, UnofficialNotice } from './parts.tsx';
import { agreementPath } from '../catalogue.ts';

export function PrintPage({ ctx, agreement, lifecycle }: { ctx: PageContext; agreement: StoredAgreement; lifecycle: Lifecycle }) {
  const { t } = ctx;
  const blocks = documentBlocks(agreement, ctx.locale);
  return (
    <Layout
      ctx={ctx}
      title={`${ctx.text(agreement.title)} — ${t('agreement.print')}`}
      variant="print"
      breadcrumbs={[{ label: t('nav.agreement'), href: ctx.href(agreementPath(agreement.id)) }, { label: t('agreement.print') }]}
    >
      <h1 class="visually-hidden">{ctx.text(agreement.title)}</h1>
      <div class="print-meta">
        <StatusBadge ctx={ctx} agreement={agreement} lifecycle={lifecycle} />
        <p class="muted">{t('agreement.revision', { revision: agreement.revision, date: ctx.date(agreement.revisedAt.toISOString().slice(0, 10)) })}</p>
        <p class="no-print">
          <button type="button" class="print-button" data-print hidden>
            {t('agreement.printButton')}
          </button>
        </p>
      </div>
      <UnofficialNotice ctx={ctx} locale={ctx.locale} />
      <article class="agreement-text">
        {blocks.map((block) => (
          <BlockView ctx={ctx} block={block} agreementId={agreement.id} link />
        ))}
      </article>
    </Layout>
  );
}

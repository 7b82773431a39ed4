import type { PageContext } from '../../../platform/html/context.ts';
import { Layout } from '../../../platform/html/layout.tsx';
import type { StoredAgreement } from '../queries.ts';
import type { AreaContent } from '../source.ts';
import { areaName, UnofficialNotice } from './parts.tsx';
import { agreementPath, areaPath, commitmentPath } from '../catalogue.ts';

export function AreaPage({ ctx, agreement, area }: { ctx: PageContext; agreement: StoredAgreement; area: AreaContent }) {
  const { t } = ctx;
  const previous = agreement.areas.find((a) => a.number === area.number - 1);
  const next = agreement.areas.find((a) => a.number === area.number + 1);
  const heading = areaName(ctx, area);
  return (
    <Layout ctx={ctx} title={heading} breadcrumbs={[{ label: t('nav.agreement'), href: ctx.href(agreementPath(agreement.id)) }, { label: heading }]}>
      <p class="eyebrow">{t('area.label')}</p>
      <h1>{heading}</h1>
      <UnofficialNotice ctx={ctx} locale={ctx.locale} />
      <h2>{t('area.commitments')}</h2>
      <ol class="commitment-list">
        {area.commitments.map((c) => (
          <li value={c.number}>
            <a href={ctx.href(commitmentPath({ agreementId: agreement.id, areaNumber: area.number, number: c.number }))}>{t('commitment.label', { area: ctx.text(area.label), number: c.number })}</a>
            <p>{ctx.text(c.text)}</p>
          </li>
        ))}
      </ol>
      <nav class="pager" aria-label={t('area.label')}>
        {previous && (
          <a rel="prev" href={ctx.href(areaPath(agreement.id, previous.number))}>
            ← {areaName(ctx, previous)}
          </a>
        )}
        {next && (
          <a rel="next" href={ctx.href(areaPath(agreement.id, next.number))}>
            {areaName(ctx, next)} →
          </a>
        )}
      </nav>
    </Layout>
  );
}

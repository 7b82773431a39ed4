import type { ComponentChildren } from 'preact';
import type { PageContext } from '../../../platform/html/context.ts';
import { Layout } from '../../../platform/html/layout.tsx';
import { LOCALE_INFO, LOCALES } from '../../../platform/i18n/locales.ts';
import type { StoredAgreement } from '../queries.ts';
import type { AreaContent } from '../source.ts';
import { areaName, langAttr, UnofficialNotice } from './parts.tsx';
import { agreementPath, areaPath, commitmentCode, commitmentPath } from '../catalogue.ts';

interface Neighbour {
  area: AreaContent;
  number: number;
}

export function CommitmentPage({
  ctx,
  agreement,
  area,
  number,
  previous,
  next,
  children,
}: {
  ctx: PageContext;
  /** Sections other modules add (implementation …), after the clause. */
  children?: ComponentChildren;
  agreement: StoredAgreement;
  area: AreaContent;
  number: number;
  previous: Neighbour | undefined;
  next: Neighbour | undefined;
}) {
  const { t } = ctx;
  const commitment = area.commitments.find((c) => c.number === number);
  const label = t('commitment.label', { area: ctx.text(area.label), number });
  const areaHeading = areaName(ctx, area);
  const code = commitmentCode({ areaNumber: area.number, number });
  const neighbourLabel = (n: Neighbour) => t('commitment.label', { area: ctx.text(n.area.label), number: n.number });
  return (
    <Layout
      ctx={ctx}
      title={label}
      breadcrumbs={[{ label: t('nav.agreement'), href: ctx.href(agreementPath(agreement.id)) }, { label: areaHeading, href: ctx.href(areaPath(agreement.id, area.number)) }, { label }]}
    >
      <p class="eyebrow">
        {t('commitment.inArea')}: <a href={ctx.href(areaPath(agreement.id, area.number))}>{areaHeading}</a>
      </p>
      <h1>{label}</h1>
      <UnofficialNotice ctx={ctx} locale={ctx.locale} />
      <blockquote class="clause">
        <p>{commitment ? ctx.text(commitment.text) : ''}</p>
      </blockquote>
      <section aria-labelledby="other-languages">
        <h2 id="other-languages">{t('commitment.otherLanguages')}</h2>
        {LOCALES.filter((l) => l !== ctx.locale && commitment?.text[l]).map((l) => (
          <div class="other-language" lang={langAttr(l)}>
            <h3>
              <a href={`/${LOCALE_INFO[l].prefix}${commitmentPath({ agreementId: agreement.id, areaNumber: area.number, number })}`} hreflang={langAttr(l)}>
                {LOCALE_INFO[l].autonym}
              </a>
            </h3>
            <p>{commitment?.text[l]}</p>
          </div>
        ))}
        <p>
          <a href={ctx.href(`${agreementPath(agreement.id)}/compare?area=${area.number}#c-${code}`)}>{t('agreement.compare')}</a>
        </p>
      </section>
      {children}
      <nav class="pager" aria-label={label}>
        {previous && (
          <a rel="prev" href={ctx.href(commitmentPath({ agreementId: agreement.id, areaNumber: previous.area.number, number: previous.number }))}>
            ← {t('commitment.previous')}: {neighbourLabel(previous)}
          </a>
        )}
        {next && (
          <a rel="next" href={ctx.href(commitmentPath({ agreementId: agreement.id, areaNumber: next.area.number, number: next.number }))}>
            {t('commitment.next')}: {neighbourLabel(next)} →
          </a>
        )}
      </nav>
    </Layout>
  );
}

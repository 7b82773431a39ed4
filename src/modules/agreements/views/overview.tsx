import type { PageContext } from '../../../platform/html/context.ts';
import { Layout } from '../../../platform/html/layout.tsx';
import { LOCALE_INFO, LOCALES } from '../../../platform/i18n/locales.ts';
import type { Lifecycle } from '../lifecycle.ts';
import type { StoredAgreement } from '../queries.ts';
import { AreaList, langAttr, StatusBadge } from './parts.tsx';
import { agreementPath } from '../catalogue.ts';

export function OverviewPage({ ctx, agreement, lifecycle }: { ctx: PageContext; agreement: StoredAgreement; lifecycle: Lifecycle }) {
  const { t } = ctx;
  const base = agreementPath(agreement.id);
  const document = agreement.texts[ctx.locale]?.document;
  const commitments = agreement.areas.reduce((n, a) => n + a.commitments.length, 0);
  return (
    <Layout ctx={ctx} title={ctx.text(agreement.title)} breadcrumbs={[{ label: t('nav.agreement') }]}>
      <h1>{ctx.text(agreement.title)}</h1>
      <StatusBadge ctx={ctx} agreement={agreement} lifecycle={lifecycle} />
      <ul class="actions">
        <li>
          <a href={ctx.href(`${base}/compare`)}>{t('agreement.compare')}</a>
        </li>
        <li>
          <a href={ctx.href(`${base}/print`)}>{t('agreement.print')}</a>
        </li>
      </ul>
      <section aria-labelledby="facts">
        <h2 id="facts">{t('agreement.overview')}</h2>
        <dl class="facts">
          <dt>{t('agreement.parties')}</dt>
          <dd>
            <ul class="plain">
              {document?.parties.map((p) => (
                <li>
                  {p.name}
                  <br />
                  <span class="muted">
                    {t('agreement.address')}: {p.address}
                  </span>
                </li>
              ))}
            </ul>
          </dd>
          <dt>{t('agreement.signed')}</dt>
          <dd>{t('agreement.signedAt', { date: ctx.date(agreement.signedOn), place: ctx.text(agreement.signedPlace) })}</dd>
          <dt>{t('agreement.term')}</dt>
          <dd>
            {t('agreement.termRange', { from: ctx.date(agreement.effectiveFrom), to: ctx.date(agreement.expiresOn) })}
            {agreement.renewable && (
              <>
                <br />
                <span class="muted">{t('agreement.renewable')}</span>
              </>
            )}
          </dd>
          <dt>{t('agreement.status')}</dt>
          <dd>
            <StatusBadge ctx={ctx} agreement={agreement} lifecycle={lifecycle} />
            {agreement.renewal && (
              <p class="muted">
                {t('renewal.recorded', { date: ctx.date(agreement.renewal.recordedAt.toISOString().slice(0, 10)) })}
                {agreement.renewal.note ? ` — ${agreement.renewal.note}` : ''}
              </p>
            )}
          </dd>
          <dt>{t('agreement.custodians')}</dt>
          <dd>
            <ul class="plain">
              {agreement.custodians.map((c) => (
                <li>{ctx.text(c.name)}</li>
              ))}
            </ul>
            <span class="muted">{t('agreement.custodiansNote')}</span>
          </dd>
          <dt>{t('agreement.fullText')}</dt>
          <dd>
            <ul class="plain">
              {LOCALES.filter((l) => agreement.texts[l]).map((l) => (
                <li>
                  <a href={`/${LOCALE_INFO[l].prefix}${base}/print`} lang={langAttr(l)} hreflang={langAttr(l)}>
                    {LOCALE_INFO[l].autonym}
                  </a>{' '}
                  <span class="muted">({t(`agreement.textAuthority.${agreement.texts[l]?.authority ?? 'official'}`)})</span>
                </li>
              ))}
            </ul>
            <span class="muted">{t('agreement.annotation')}</span>
          </dd>
        </dl>
      </section>
      <section aria-labelledby="areas">
        <h2 id="areas">{t('agreement.areas')}</h2>
        <p>{t('agreement.totals', { areas: agreement.areas.length, commitments })}</p>
        <AreaList ctx={ctx} agreement={agreement} class="area-list" />
      </section>
      <p class="muted">{t('agreement.revision', { revision: agreement.revision, date: ctx.date(agreement.revisedAt.toISOString().slice(0, 10)) })}</p>
    </Layout>
  );
}

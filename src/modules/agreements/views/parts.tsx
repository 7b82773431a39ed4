import type { PageContext } from '../../../platform/html/context.ts';
import { LOCALE_INFO, type Locale, type LocalizedText } from '../../../platform/i18n/locales.ts';
import type { Block } from '../document.ts';
import type { Lifecycle } from '../lifecycle.ts';
import type { StoredAgreement } from '../queries.ts';
import { agreementPath, areaPath, commitmentPath } from '../catalogue.ts';

/** An area's label and title as one name: '（四）加強航空領域合作', '(4) Strengthening cooperation in aviation'. */
export function areaName(ctx: PageContext, area: { label: LocalizedText; title: LocalizedText }): string {
  return `${ctx.text(area.label)}${ctx.locale === 'en' ? ' ' : ''}${ctx.text(area.title)}`;
}

function lifecycleText(ctx: PageContext, lifecycle: Lifecycle): string {
  const { t } = ctx;
  switch (lifecycle.phase) {
    case 'not-yet-in-force':
      return t('lifecycle.notYetInForce', { days: lifecycle.days });
    case 'in-force':
      return t('lifecycle.inForce', { days: lifecycle.days });
    case 'expiring':
      return lifecycle.days === 0 ? t('lifecycle.expiresToday') : t('lifecycle.expiring', { days: lifecycle.days });
    case 'expired':
      return t('lifecycle.expired', { days: lifecycle.days });
  }
}

function renewalText(ctx: PageContext, agreement: StoredAgreement): string | undefined {
  const renewal = agreement.renewal;
  if (!renewal) return undefined;
  switch (renewal.status) {
    case 'negotiating':
      return ctx.t('renewal.negotiating');
    case 'lapsed':
      return ctx.t('renewal.lapsed');
    case 'renewed':
      return ctx.t('renewal.renewed', { agreement: renewal.renewedByTitle ? ctx.text(renewal.renewedByTitle) : (renewal.renewedById ?? '') });
  }
}

/** The agreement's status: the computed phase, and what the custodians have recorded about renewal. */
export function StatusBadge({ ctx, agreement, lifecycle }: { ctx: PageContext; agreement: StoredAgreement; lifecycle: Lifecycle }) {
  const renewal = renewalText(ctx, agreement);
  return (
    <p class={`status status-${lifecycle.phase}`}>
      <strong>{lifecycleText(ctx, lifecycle)}</strong>
      {renewal && (
        <>
          {' · '}
          {agreement.renewal?.status === 'renewed' && agreement.renewal.renewedById ? <a href={ctx.href(agreementPath(agreement.renewal.renewedById))}>{renewal}</a> : <span>{renewal}</span>}
        </>
      )}
    </p>
  );
}

/** Shown wherever the English working translation of an official text appears. */
export function UnofficialNotice({ ctx, locale }: { ctx: PageContext; locale: Locale }) {
  if (locale !== 'en') return null;
  return (
    <p class="notice" role="note" lang="en">
      {ctx.locale === 'en' ? ctx.t('agreement.unofficialNotice') : `${ctx.t('agreement.textAuthority.unofficial-translation')}: ${ctx.t('agreement.unofficialNotice')}`}
    </p>
  );
}

/** One block of the agreement's text. `link` turns commitments into links to their pages. */
export function BlockView({ ctx, block, agreementId, link = false }: { ctx: PageContext; block: Block; agreementId: string; link?: boolean }) {
  switch (block.kind) {
    case 'annex':
      return <p class="annex">{block.text}</p>;
    case 'title':
      return <p class="doc-title">{block.text}</p>;
    case 'heading':
      return <h2 class="doc-heading">{block.text}</h2>;
    case 'area-heading':
      return <h3 class="doc-area">{block.text}</h3>;
    case 'paragraph':
      return <p>{block.text}</p>;
    case 'commitment':
      return (
        <p class="commitment-text" id={`c-${block.area}-${block.number}`}>
          {link ? (
            <a class="commitment-number" href={ctx.href(commitmentPath({ agreementId, areaNumber: block.area, number: block.number }))}>
              {block.number}.
            </a>
          ) : (
            <span class="commitment-number">{block.number}.</span>
          )}{' '}
          {block.text}
        </p>
      );
    case 'party':
      return (
        <div class="party">
          <p class="party-name">{block.name}</p>
          <p>
            {block.addressLabel}
            {block.address}
          </p>
          <p>{block.representativeLabel}</p>
        </div>
      );
    case 'signatures':
      return (
        <table class="signatures" role="presentation">
          <tbody>
            {block.rows.map((row) => (
              <tr>
                {row.map((cell) => (
                  <td>{cell}</td>
                ))}
              </tr>
            ))}
          </tbody>
        </table>
      );
  }
}

export function langAttr(locale: Locale): string {
  return LOCALE_INFO[locale].htmlLang;
}

/** The areas of an agreement, each linking to its page, with its number of commitments. */
export function AreaList({ ctx, agreement, class: className }: { ctx: PageContext; agreement: StoredAgreement; class: string }) {
  return (
    <ol class={className}>
      {agreement.areas.map((area) => (
        <li>
          <a href={ctx.href(areaPath(agreement.id, area.number))}>{areaName(ctx, area)}</a> <span class="count">{ctx.t('agreement.commitmentCount', { count: area.commitments.length })}</span>
        </li>
      ))}
    </ol>
  );
}

import type { PageContext } from '../../../platform/html/context.ts';
import { Layout } from '../../../platform/html/layout.tsx';
import { LOCALE_INFO, LOCALES, type Locale } from '../../../platform/i18n/locales.ts';
import { type Block, documentBlocks } from '../document.ts';
import type { StoredAgreement } from '../queries.ts';
import { areaName, BlockView, langAttr, UnofficialNotice } from './parts.tsx';
import { agreementPath } from '../catalogue.ts';

function inScope(block: Block, area: number | undefined): boolean {
  if (area === undefined) return true;
  return block.id === `area-${area}` || (block.kind === 'commitment' && block.area === area);
}

export function ComparePage({ ctx, agreement, left, right, area }: { ctx: PageContext; agreement: StoredAgreement; left: Locale; right: Locale; area: number | undefined }) {
  const { t } = ctx;
  const leftBlocks = documentBlocks(agreement, left).filter((b) => inScope(b, area));
  const rightBlocks = new Map(documentBlocks(agreement, right).map((b) => [b.id, b]));
  const select = (name: string, label: string, value: Locale) => (
    <p class="field">
      <label for={`compare-${name}`}>{label}</label>
      <select id={`compare-${name}`} name={name}>
        {LOCALES.filter((l) => agreement.texts[l]).map((l) => (
          <option value={l} selected={l === value} lang={langAttr(l)}>
            {LOCALE_INFO[l].autonym}
          </option>
        ))}
      </select>
    </p>
  );
  return (
    <Layout ctx={ctx} title={t('compare.title')} breadcrumbs={[{ label: t('nav.agreement'), href: ctx.href(agreementPath(agreement.id)) }, { label: t('compare.title') }]}>
      <h1>{t('compare.title')}</h1>
      <form class="compare-form" method="get" action={ctx.href(`${agreementPath(agreement.id)}/compare`)}>
        {select('left', t('compare.left'), left)}
        {select('right', t('compare.right'), right)}
        <p class="field">
          <label for="compare-area">{t('compare.scope')}</label>
          <select id="compare-area" name="area">
            <option value="all" selected={area === undefined}>
              {t('compare.scopeAll')}
            </option>
            {agreement.areas.map((a) => (
              <option value={String(a.number)} selected={a.number === area}>
                {areaName(ctx, a)}
              </option>
            ))}
          </select>
        </p>
        <p class="field">
          <button type="submit">{t('compare.show')}</button>
        </p>
      </form>
      {left === right && <p class="notice">{t('compare.sameLanguage')}</p>}
      <UnofficialNotice ctx={ctx} locale={left === 'en' || right === 'en' ? 'en' : left} />
      <table class="compare">
        <caption class="visually-hidden">
          {t('compare.title')}: {LOCALE_INFO[left].autonym} / {LOCALE_INFO[right].autonym}
        </caption>
        <thead>
          <tr>
            <th scope="col" lang={langAttr(left)}>
              {LOCALE_INFO[left].autonym}
            </th>
            <th scope="col" lang={langAttr(right)}>
              {LOCALE_INFO[right].autonym}
            </th>
          </tr>
        </thead>
        <tbody>
          {leftBlocks.map((block) => {
            const other = rightBlocks.get(block.id);
            const id = block.kind === 'commitment' ? `c-${block.area}-${block.number}` : undefined;
            return (
              <tr id={id} class={`row-${block.kind}`}>
                <td lang={langAttr(left)}>
                  <BlockView ctx={ctx} block={demote(block)} agreementId={agreement.id} />
                </td>
                <td lang={langAttr(right)}>{other && <BlockView ctx={ctx} block={demote(other)} agreementId={agreement.id} />}</td>
              </tr>
            );
          })}
        </tbody>
      </table>
    </Layout>
  );
}

/** Inside the table, the document's headings are shown as emphasised paragraphs, not page headings. */
function demote(block: Block): Block {
  return block.kind === 'heading' || block.kind === 'area-heading' ? { id: block.id, kind: 'title', text: block.text } : block;
}

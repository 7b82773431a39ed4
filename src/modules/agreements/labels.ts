// How pages name the agreement's areas and commitments, in the visitor's language. Published through
// the module's index.ts.
import type { PageContext } from '../../platform/html/context.ts';
import type { LocalizedText } from '../../platform/i18n/locales.ts';
import { type AreaInfo, commitmentCode, type CommitmentInfo, type CommitmentKey } from './catalogue.ts';

/** An area's label and title as one name: '（四）加強航空領域合作', '(4) Strengthening cooperation in aviation'. */
export function areaName(ctx: PageContext, area: { label: LocalizedText; title: LocalizedText }): string {
  return `${ctx.text(area.label)}${ctx.locale === 'en' ? ' ' : ''}${ctx.text(area.title)}`;
}

/**
 * A commitment as the agreement numbers it: 'Area (3), commitment 1'. Its area is looked up in `areas`
 * (in its own agreement's, when the commitment says which agreement it belongs to).
 */
export function commitmentLabel(ctx: Pick<PageContext, 't' | 'text'>, areas: readonly AreaInfo[], c: Pick<CommitmentKey, 'areaNumber' | 'number'> & { agreementId?: string }): string {
  const area = areas.find((a) => a.number === c.areaNumber && (c.agreementId === undefined || a.agreementId === c.agreementId));
  return ctx.t('commitment.label', { area: ctx.text(area?.label ?? {}), number: c.number });
}

const shorten = (text: string, max: number) => (text.length > max ? `${text.slice(0, max - 1).trimEnd()}…` : text);

/** '3-1 Support Hong Kong enterprises in…': a commitment by code and the start of its text, for a list of choices. */
export function commitmentOptionLabel(ctx: PageContext, c: Pick<CommitmentInfo, 'areaNumber' | 'number' | 'text'>): string {
  return `${commitmentCode(c)} ${shorten(ctx.text(c.text), ctx.locale === 'en' ? 90 : 40)}`;
}

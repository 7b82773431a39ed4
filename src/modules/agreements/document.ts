import type { Locale } from '../../platform/i18n/locales.ts';
import type { StoredAgreement } from './queries.ts';
import type { AgreementContent } from './source.ts';
import { commitmentCode } from './catalogue.ts';

/** One block of the agreement's text, in document order. Ids are the same in every language. */
export type Block =
  | { id: string; kind: 'annex' | 'title' | 'heading' | 'area-heading' | 'paragraph'; text: string }
  | { id: string; kind: 'commitment'; area: number; number: number; text: string }
  | { id: string; kind: 'party'; name: string; addressLabel: string; address: string; representativeLabel: string }
  | { id: string; kind: 'signatures'; rows: string[][] };

/** The agreement's whole text in one language as blocks, in the order of the signed document. */
export function documentBlocks(agreement: AgreementContent | StoredAgreement, locale: Locale): Block[] {
  const text = agreement.texts[locale];
  if (!text) return [];
  const d = text.document;
  const blocks: Block[] = [
    { id: 'annex', kind: 'annex', text: d.annexLabel },
    { id: 'title', kind: 'title', text: d.title },
    ...d.parties.map((p): Block => ({ id: `party-${p.key}`, kind: 'party', ...p })),
    { id: 'preamble', kind: 'paragraph', text: d.preamble },
    { id: 'purpose-heading', kind: 'heading', text: d.purpose.heading },
    { id: 'purpose', kind: 'paragraph', text: d.purpose.text },
    { id: 'content-heading', kind: 'heading', text: d.content.heading },
  ];
  for (const area of agreement.areas) {
    blocks.push({ id: `area-${area.number}`, kind: 'area-heading', text: area.heading[locale] ?? '' });
    for (const c of area.commitments) {
      blocks.push({ id: `commitment-${commitmentCode({ areaNumber: area.number, number: c.number })}`, kind: 'commitment', area: area.number, number: c.number, text: c.text[locale] ?? '' });
    }
  }
  blocks.push({ id: 'closing-heading', kind: 'heading', text: d.closing.heading });
  const paragraphs = new Map<number, string[]>();
  for (const clause of d.closing.clauses) paragraphs.set(clause.paragraph, [...(paragraphs.get(clause.paragraph) ?? []), clause.text]);
  for (const [n, clauses] of paragraphs) blocks.push({ id: `closing-${n}`, kind: 'paragraph', text: clauses.join(locale === 'en' ? ' ' : '') });
  const signatories = d.signature.parties;
  blocks.push({
    id: 'signatures',
    kind: 'signatures',
    rows: [signatories.map((s) => `${s.name} ${s.seal}`), signatories.map((s) => s.signatory), signatories.map((s) => s.date)],
  });
  return blocks;
}

/** The plain text of a block, as it reads in the signed document. */
export function blockText(block: Block): string {
  switch (block.kind) {
    case 'commitment':
      return `${block.number}.${block.text}`;
    case 'party':
      return `${block.name}${block.addressLabel}${block.address}${block.representativeLabel}`;
    case 'signatures':
      return block.rows.map((row) => row.join('')).join('');
    default:
      return block.text;
  }
}

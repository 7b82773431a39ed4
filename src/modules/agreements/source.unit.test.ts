import fs from 'node:fs';
import path from 'node:path';
import * as OpenCC from 'opencc-js';
import { describe, expect, it } from 'vitest';
import { LOCALES } from '../../platform/i18n/locales.ts';
import { blockText, documentBlocks } from './document.ts';
import { AGREEMENTS_DIR, flattenContent, readAgreementSource } from './source.ts';

const dir = path.join(AGREEMENTS_DIR, 'zjhk-2023');
const agreement = readAgreementSource(dir);

/** Whitespace and the PDF's page numbers (a line holding only digits) removed. */
function normalise(text: string): string {
  return text
    .split(/\r?\n/)
    .filter((line) => !/^\s*\d+\s*$/.test(line))
    .join('')
    .replace(/\s+/g, '');
}

describe('the agreement as data', () => {
  it('has 12 areas and 42 numbered commitments in every language', () => {
    expect(agreement.areas).toHaveLength(12);
    expect(agreement.areas.map((a) => a.commitments.length)).toEqual([7, 3, 8, 3, 3, 3, 3, 3, 2, 2, 2, 3]);
    for (const locale of LOCALES) {
      expect(agreement.texts[locale], locale).toBeDefined();
      for (const area of agreement.areas) {
        expect(area.title[locale], `${locale} area ${area.number}`).toBeTruthy();
        for (const c of area.commitments) expect(c.text[locale], `${locale} ${area.number}-${c.number}`).toBeTruthy();
      }
    }
  });

  it('keeps the Traditional text word for word: the seed without whitespace and page numbers', () => {
    const seed = fs.readFileSync(path.join(dir, 'source-zh-hant.txt'), 'utf8');
    const ours = documentBlocks(agreement, 'zh-Hant').map(blockText).join('');
    expect(normalise(ours)).toBe(normalise(seed));
  });

  it('keeps a copy of the seed identical to the shared original, when the original is at hand', () => {
    const shared = path.resolve(AGREEMENTS_DIR, '../../../shared/seed/agreement-2023-zh-hant.txt');
    if (!fs.existsSync(shared)) return;
    expect(fs.readFileSync(path.join(dir, 'source-zh-hant.txt'), 'utf8')).toBe(fs.readFileSync(shared, 'utf8'));
  });

  it('has a Simplified text that differs from machine conversion only where the review says', () => {
    const convert = OpenCC.Converter({ from: 'hk', to: 'cn' });
    const all = flattenContent(agreement);
    const differences: string[] = [];
    let compared = 0;
    for (const [key, value] of all) {
      if (!key.includes('zh-Hant') || key.endsWith('.key') || key.endsWith('.locale')) continue;
      const expected = all.get(key.replace('zh-Hant', 'zh-Hans'));
      expect(expected, key).toBeDefined();
      // Script conversion never changes the length of a string of this text.
      expect(expected?.length, key).toBe(value.length);
      compared += 1;
      if (convert(value) !== expected) differences.push(`${convert(value)} -> ${expected}`);
    }
    expect(compared).toBeGreaterThan(100);
    const corrections = differences.map((d) => d.match(/本著|本着/g)?.join('→'));
    expect(corrections).toEqual(['本著→本着']);
    const review = fs.readFileSync(path.join(dir, 'zh-hans-review.md'), 'utf8');
    expect(review).toContain('本着');
  });

  it('has no Chinese left in the English text and marks it as an unofficial translation', () => {
    expect(agreement.texts.en?.authority).toBe('unofficial-translation');
    expect(agreement.texts['zh-Hant']?.authority).toBe('official');
    expect(agreement.texts['zh-Hans']?.authority).toBe('official');
    const english = documentBlocks(agreement, 'en').map(blockText).join(' ');
    expect(english).not.toMatch(/[\u3400-\u9fff\uff08\uff09\u3001\u3002]/);
  });
});

import { describe, expect, it } from 'vitest';
import { highlight, type Segment, snippet } from './highlight.ts';

/** Segments as text with [marked] stretches. */
const show = (segments: Segment[]) => segments.map((s) => (s.match ? `[${s.text}]` : s.text)).join('');

describe('highlighting matches in the original text', () => {
  it('marks a Chinese match as one stretch, whichever script the text and the query are in', () => {
    expect(show(highlight('港澳台居民居住證申領條件', '港澳居民居住证怎么申请'))).toBe('[港澳]台[居民居住證]申領條件');
    expect(show(highlight('港澳台居民居住证申领条件', '居住證'))).toBe('港澳台居民[居住证]申领条件');
    expect(show(highlight('在浙江工作的香港居民', '香港居民'))).toBe('在浙江工作的[香港居民]');
  });

  it('marks each occurrence of a single Chinese character searched alone', () => {
    expect(show(highlight('香港居民在浙江，港人', '港'))).toBe('香[港]居民在浙江，[港]人');
  });

  it('marks whole English words, stemmed, prefixes while typing, full-width and accented letters', () => {
    expect(show(highlight('Residence permits for Hong Kong residents', 'residence permit'))).toBe('[Residence] [permits] for Hong Kong residents');
    expect(show(highlight('The policies of the HKSAR', 'polici'))).toBe('The [policies] of the HKSAR');
    expect(show(highlight('强积金（ＭＰＦ）的提取', 'mpf 強積金'))).toBe('[强积金]（[ＭＰＦ]）的提取');
    expect(show(highlight('Café in Hangzhou', 'cafe'))).toBe('[Café] in Hangzhou');
  });

  it('keeps every character of the original, including those outside the Basic Multilingual Plane', () => {
    const text = '𠮷野家 the 吉野家';
    const segments = highlight(text, '野家');
    expect(segments.map((s) => s.text).join('')).toBe(text);
    expect(show(segments)).toBe('𠮷[野家] the 吉[野家]');
  });

  it('marks nothing for a query without tokens, and does not let the query inject anything', () => {
    expect(highlight('A <b>bold</b> claim', "' & | ! :*")).toEqual([{ text: 'A <b>bold</b> claim', match: false }]);
    expect(highlight('', '香港')).toEqual([]);
    expect(show(highlight('A <b>bold</b> claim', '<b>'))).toBe('A <[b]>[bold]</[b]> claim');
  });
});

describe('snippets', () => {
  const body = `${'香港居民在內地就業不再需要辦理就業證。'.repeat(4)}用人單位與香港居民應當依法訂立勞動合同，香港居民可以憑通行證或居住證辦理就業登記。${' Lorem ipsum dolor sit amet, consectetur adipiscing elit.'.repeat(5)}`;

  it('returns a short text whole', () => {
    expect(show(snippet('居住證的申領', '居住证'))).toBe('[居住證]的申領');
  });

  it('cuts a window around the densest matches, with an ellipsis where it cuts', () => {
    const cut = show(snippet(body, '劳动合同 居住证', 60));
    expect(cut).toMatch(/^…/);
    expect(cut).toMatch(/…$/);
    expect(cut).toContain('[勞動合同]');
    expect(cut).toContain('[居住證]');
    expect(cut.length).toBeLessThanOrEqual(60 + 2 + 2 * 4);
  });

  it('does not cut an English word in two, and collapses white space', () => {
    const cut = show(snippet(`${'word '.repeat(40)}\n\n  adipiscing   elit ${'tail '.repeat(40)}`, 'adipiscing', 40));
    expect(cut).toMatch(/^…word \[adipiscing\] elit tail/);
    expect(cut).toMatch(/ tail…$/);
    expect(cut.length).toBeLessThanOrEqual(40 + 4);
  });

  it('starts at the beginning when nothing matches', () => {
    expect(show(snippet(body, 'nothing', 20))).toBe('香港居民在內地就業不再需要辦理就業證。香…');
  });
});

import { describe, expect, it } from 'vitest';
import { documentTokens, MAX_QUERY_TERMS, MAX_QUERY_UNITS, MAX_WORD_LENGTH, planQuery, queryTokens, stem } from './tokenize.ts';
import { anyTermQuery, documentVectors, quoteLexeme, termQuery } from './vector.ts';

const tokens = (text: string) => documentTokens(text).map((t) => t.text);

describe('the search analyser', () => {
  it('folds Traditional and Simplified Chinese to the same tokens', () => {
    expect(tokens('居住證')).toEqual(tokens('居住证'));
    expect(queryTokens('港澳居民來往內地通行證')).toEqual(queryTokens('港澳居民来往内地通行证'));
    expect(tokens('強積金')).toEqual(['强积', '积金', '金']);
  });

  it('cuts a run of Chinese into overlapping bigrams, and indexes its last character for one-character searches', () => {
    expect(queryTokens('香港居民')).toEqual(['香港', '港居', '居民']);
    expect(queryTokens('港人在浙')).toEqual(['港人', '人在', '在浙']);
    expect(tokens('香港居民')).toEqual(['香港', '港居', '居民', '民']);
    expect(tokens('浙')).toEqual(['浙']);
    expect(tokens('香港，浙江。')).toEqual(['香港', '港', '浙江', '江']);
  });

  it('keeps the original offsets of every token, also for characters outside the Basic Multilingual Plane', () => {
    expect(documentTokens('𠮷野家 MPF')).toEqual([
      { text: '𠮷野', start: 0, end: 3 },
      { text: '野家', start: 2, end: 4 },
      { text: '家', start: 3, end: 4 },
      { text: 'mpf', start: 5, end: 8 },
    ]);
  });

  it('lower-cases English words, folds accents and full-width letters, and drops plural endings', () => {
    expect(tokens('Residence Permits for HONG KONG residents')).toEqual(['residence', 'permit', 'for', 'hong', 'kong', 'resident']);
    expect(tokens('ＭＰＦ１２３ Café naïve')).toEqual(['mpf123', 'cafe', 'naive']);
    expect(tokens("Hong Kong's policies don't")).toEqual(['hong', 'kong', 'policy', 'dont']);
    expect(['policies', 'taxes', 'classes', 'matches', 'services', 'status', 'basis', 'address', 'visa', 'MPF'].map((w) => stem(w.toLowerCase()))).toEqual([
      'policy',
      'tax',
      'class',
      'match',
      'service',
      'status',
      'basis',
      'address',
      'visa',
      'mpf',
    ]);
  });

  it('splits at punctuation and between scripts, so that mixed queries work', () => {
    expect(queryTokens('居住證 application')).toEqual(['居住', '住证', 'application']);
    expect(queryTokens('MPF 強積金')).toEqual(['mpf', '强积', '积金']);
    expect(queryTokens('MPF强积金')).toEqual(['mpf', '强积', '积金']);
    expect(tokens('e-mail: info@example.org（2018年）')).toEqual(['e', 'mail', 'info', 'example', 'org', '2018', '年']);
  });

  it('makes the last token of a query a prefix, so that results come while typing', () => {
    expect(planQuery('residence perm').terms).toEqual([
      { lexeme: 'residence', prefix: false },
      { lexeme: 'perm', prefix: true },
    ]);
    expect(planQuery('polici').terms).toEqual([{ lexeme: 'polic', prefix: true }]);
    expect(planQuery('permits').terms).toEqual([{ lexeme: 'permit', prefix: true }]);
    expect(planQuery('港').terms).toEqual([{ lexeme: '港', prefix: true }]);
    expect(planQuery('居住證 港').terms).toEqual([
      { lexeme: '居住', prefix: false },
      { lexeme: '住证', prefix: false },
      { lexeme: '港', prefix: true },
    ]);
  });

  it('leaves question words out of a question, unless nothing else is left', () => {
    expect(queryTokens('港澳居民居住证怎么申请')).toEqual(['港澳', '澳居', '居民', '民居', '居住', '住证', '申请']);
    expect(queryTokens('請問港澳居民居住證點樣申請？')).toEqual(['港澳', '澳居', '居民', '民居', '居住', '住证', '申请']);
    expect(queryTokens('可以带回香港吗')).toEqual(['带回', '回香', '香港']);
    expect(queryTokens('How do I apply for a residence permit?')).toEqual(['apply', 'residence', 'permit']);
    expect(queryTokens('怎么')).toEqual(['怎么']);
    expect(queryTokens('how')).toEqual(['how']);
  });

  it('counts a query in units, each Chinese character and each word, covered by the terms that contain it', () => {
    expect(planQuery('居住證 Permit')).toEqual({
      terms: [
        { lexeme: '居住', prefix: false },
        { lexeme: '住证', prefix: false },
        { lexeme: 'permit', prefix: true },
      ],
      units: [[0], [0, 1], [1], [2]],
      alternatives: [],
    });
    expect(planQuery('香港 香港').units).toEqual([[0], [0], [0], [0]]);
  });

  it('lets another spelling of a word cover it: 社保 for 社会保险, MPF for 强积金', () => {
    expect(planQuery('社保 MPF')).toEqual({
      terms: [
        { lexeme: '社保', prefix: false },
        { lexeme: 'mpf', prefix: true },
        { lexeme: '社会', prefix: false },
        { lexeme: '会保', prefix: false },
        { lexeme: '保险', prefix: false },
        { lexeme: '强积', prefix: false },
        { lexeme: '积金', prefix: false },
      ],
      units: [[0], [0], [1]],
      alternatives: [
        { terms: [2, 3, 4], units: [0, 1] },
        { terms: [5, 6], units: [2] },
      ],
    });
    expect(planQuery('在浙江交社會保險').alternatives).toEqual([{ terms: [7], units: [4, 5, 6, 7] }]);
    expect(queryTokens('在浙江交社會保險')).toContain('社保');
  });

  it('yields no token for hostile or empty input, and at most a bounded number for a huge one', () => {
    for (const query of ["' & | ! :*", '', '   ', '，。！？', '!!!', '\\', "''", ':*', '()&|!<->']) expect(queryTokens(query)).toEqual([]);
    expect(queryTokens("it's \\ a:b | c&d")).toEqual(['its', 'b', 'c', 'd']);
    const started = performance.now();
    expect(queryTokens('港澳居民'.repeat(2500)).length).toBeLessThanOrEqual(MAX_QUERY_TERMS);
    expect(queryTokens('x'.repeat(10_000))).toEqual(['x'.repeat(MAX_WORD_LENGTH)]);
    expect(queryTokens(Array.from({ length: 5000 }, (_, i) => `w${i}`).join(' ')).length).toBe(MAX_QUERY_TERMS);
    expect(planQuery('香港 '.repeat(3000)).units).toHaveLength(MAX_QUERY_UNITS);
    expect(performance.now() - started).toBeLessThan(1000);
  });
});

describe('tsvector and tsquery literals', () => {
  it('quotes lexemes, doubling quotes and escaping backslashes', () => {
    expect(quoteLexeme("it's")).toBe("'it''s'");
    expect(quoteLexeme('a\\b')).toBe("'a\\\\b'");
    expect(quoteLexeme('a:b & c')).toBe("'a:b & c'");
    expect(termQuery({ lexeme: '港澳', prefix: false })).toBe("'港澳'");
    expect(
      anyTermQuery([
        { lexeme: 'mpf', prefix: false },
        { lexeme: '香港', prefix: true },
      ]),
    ).toBe("'mpf' | '香港':*");
  });

  it('weights the title A and the body D, with positions, and leaves out Simplified that repeats Traditional', () => {
    const vectors = documentVectors({ 'zh-Hant': '居住證', 'zh-Hans': '居住证', en: 'Permits' }, { en: 'Permit holders' });
    expect(vectors.titleLexemes).toBe("'居住':1A '住证':2A '证':3A 'permit':5A");
    expect(vectors.lexemes).toBe("'居住':1A '住证':2A '证':3A 'permit':5A,7 'holder':8");
    expect(vectors.tokenCount).toBe(6);
  });

  it('keeps at most 256 positions a lexeme and no position past 16,383, as PostgreSQL would', () => {
    const vectors = documentVectors({ en: 'visa' }, { en: 'visa '.repeat(20_000) });
    const positions = vectors.lexemes.replace("'visa':", '').split(',');
    expect(positions).toHaveLength(256);
    const words = Array.from({ length: 17_000 }, (_, i) => `q${i.toString(36)}`);
    const many = documentVectors({ en: 'x' }, { en: words.join(' ') });
    const highest = Math.max(...[...many.lexemes.matchAll(/:(\d+)/g)].map((m) => Number(m[1])));
    expect(highest).toBe(16_383);
    expect(many.lexemes.endsWith(`'${words[16_999]}':16383`)).toBe(true);
  });
});

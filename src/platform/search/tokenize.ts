import * as OpenCC from 'opencc-js';

/**
 * The search analyser: the same normalisation for documents, queries and highlighting.
 *
 * Every character is normalised on its own (NFKC, lower case, Latin accents removed, Chinese folded to
 * Simplified with OpenCC's character table), so that a match found in the normalised text can always be
 * traced back to the original characters. Chinese, Japanese and Korean are indexed as overlapping
 * bigrams of a run of CJK characters (as Lucene's CJK bigram filter does); everything else as words of
 * letters and digits.
 */

/** A token of a text, with the stretch of the original text (UTF-16 offsets) it came from. */
export interface Token {
  text: string;
  start: number;
  end: number;
}

/** A lexeme the query asks for; a prefix matches every lexeme that starts with it. */
export interface QueryTerm {
  lexeme: string;
  prefix: boolean;
}

/**
 * What a query asks for: its distinct terms, and its units (each Chinese character, each word) with the
 * indexes of the terms that cover them. A document matches as much of a query as it covers units.
 * An alternative (another way of writing a word of the query: 社保 for 社会保险) covers the units of
 * that word when a document holds all its terms.
 */
export interface QueryPlan {
  terms: QueryTerm[];
  units: number[][];
  alternatives: Alternative[];
}

interface Alternative {
  terms: number[];
  units: number[];
}

/** Longer words are cut to this length (in the document and in the query alike). */
export const MAX_WORD_LENGTH = 64;
/** At most this many distinct terms are taken from a query. */
export const MAX_QUERY_TERMS = 32;
/** At most this many units are counted (each is a term of the statement's coverage sum). */
export const MAX_QUERY_UNITS = 64;
/** Only the start of a very long query is read. */
const MAX_QUERY_LENGTH = 500;

type Kind = 'cjk' | 'word' | 'joiner' | 'ignorable' | 'break';

interface NormalChar {
  char: string;
  kind: Kind;
}

/** A run of CJK characters or of word characters: the normalised characters and each one's stretch of the original. */
export interface Run {
  kind: 'cjk' | 'word';
  chars: string[];
  starts: number[];
  ends: number[];
}

const CJK = /[\p{Script=Han}\p{Script=Hiragana}\p{Script=Katakana}\p{Script=Hangul}]/u;
const WORD = /[\p{L}\p{N}]/u;
const IGNORABLE = /[\p{M}\p{Cf}]/u;
const LATIN = /\p{Script=Latin}/u;
const APOSTROPHES = new Set(["'", '’', 'ʼ']);

let toSimplified: ((text: string) => string) | undefined;
const normalCache = new Map<string, NormalChar[]>();

function classify(char: string): Kind {
  if (CJK.test(char)) return 'cjk';
  if (WORD.test(char)) return 'word';
  if (APOSTROPHES.has(char)) return 'joiner';
  if (IGNORABLE.test(char)) return 'ignorable';
  return 'break';
}

/** The normalised characters one original character (code point) stands for. */
function normalise(codePoint: string): NormalChar[] {
  const cached = normalCache.get(codePoint);
  if (cached) return cached;
  const simplify = toSimplified ?? OpenCC.Converter({ from: 'hk', to: 'cn' });
  toSimplified = simplify;
  const result: NormalChar[] = [];
  for (const char of codePoint.normalize('NFKC').toLowerCase()) {
    if (LATIN.test(char)) {
      for (const base of char.normalize('NFD')) if (!IGNORABLE.test(base)) result.push({ char: base, kind: classify(base) });
    } else if (CJK.test(char)) {
      result.push({ char: simplify(char), kind: 'cjk' });
    } else {
      result.push({ char, kind: classify(char) });
    }
  }
  normalCache.set(codePoint, result);
  return result;
}

/** Splits a text into runs of CJK characters and runs of word characters, normalised, with their origins. */
export function textRuns(text: string): Run[] {
  const result: Run[] = [];
  let current: Run | undefined;
  let pendingJoiner = false;
  let offset = 0;
  for (const codePoint of text) {
    const start = offset;
    offset += codePoint.length;
    for (const { char, kind } of normalise(codePoint)) {
      if (kind === 'ignorable') continue;
      if (kind === 'joiner') {
        // An apostrophe joins letters ("don't", "Kong's"); anywhere else it ends the run.
        if (current?.kind === 'word' && !pendingJoiner) pendingJoiner = true;
        else current = undefined;
        continue;
      }
      if (kind === 'break' || (current && current.kind !== kind) || (pendingJoiner && kind !== 'word')) current = undefined;
      pendingJoiner = false;
      if (kind === 'break') continue;
      if (!current) {
        current = { kind, chars: [], starts: [], ends: [] };
        result.push(current);
      }
      current.chars.push(char);
      current.starts.push(start);
      current.ends.push(offset);
    }
  }
  return result;
}

/**
 * A light English stemmer for plurals (and possessives, whose apostrophe is dropped): policies → policy,
 * taxes → tax, permits → permit. Only plain Latin words of four letters or more are touched.
 */
export function stem(word: string): string {
  if (!/^[a-z]{4,}$/.test(word)) return word;
  if (word.endsWith('ies') && word.length > 4) return `${word.slice(0, -3)}y`;
  if (/(?:ss|x|ch|sh|z)es$/.test(word)) return word.slice(0, -2);
  if (word.endsWith('s') && !/(?:ss|us|is)$/.test(word)) return word.slice(0, -1);
  return word;
}

/**
 * The prefix to search for when the last word of a query may still be being typed: "polici" (on its way
 * to "policies", indexed as "policy") searches for "polic"; "classe" for "class". Cutting only widens.
 */
function prefixForm(word: string): string {
  const stemmed = stem(word);
  if (stemmed !== word || !/^[a-z]{4,}$/.test(word)) return stemmed;
  if (word.endsWith('ie')) return word.slice(0, -2);
  if (word.endsWith('i')) return word.slice(0, -1);
  if (/(?:ss|x|ch|sh|z)e$/.test(word)) return word.slice(0, -1);
  return word;
}

/** The word a word run spells, cut to MAX_WORD_LENGTH. */
export function wordOf(run: Run): string {
  return run.chars.slice(0, MAX_WORD_LENGTH).join('');
}

/**
 * The tokens of a document's text, in order: every bigram of each CJK run followed by the run's last
 * character (so that a one-character search, a prefix, finds every character), and each word, stemmed.
 */
export function documentTokens(text: string): Token[] {
  const tokens: Token[] = [];
  for (const run of textRuns(text)) {
    const last = run.chars.length - 1;
    if (run.kind === 'word') {
      tokens.push({ text: stem(wordOf(run)), start: run.starts[0] as number, end: run.ends[last] as number });
      continue;
    }
    for (let i = 0; i < last; i += 1) {
      tokens.push({ text: `${run.chars[i]}${run.chars[i + 1]}`, start: run.starts[i] as number, end: run.ends[i + 1] as number });
    }
    tokens.push({ text: run.chars[last] as string, start: run.starts[last] as number, end: run.ends[last] as number });
  }
  return tokens;
}

/** Question words and particles (normalised, i.e. Simplified), removed from a query's Chinese. */
const CJK_STOP_PHRASES = [
  '请问',
  '怎么样',
  '怎么办',
  '怎么',
  '怎样',
  '如何',
  '什么',
  '甚么',
  '为什么',
  '可不可以',
  '可以',
  '能不能',
  '能否',
  '是不是',
  '是否',
  '有没有',
  '哪里',
  '哪儿',
  '哪些',
  '哪个',
  '需不需要',
  '需要',
  '多少',
  '我想',
  '我们',
  '我要',
  '一下',
  '点样',
  '点解',
  '系咪',
  '系唔系',
  '可唔可以',
  '使唔使',
  '有冇',
  '要唔要',
].sort((a, b) => b.length - a.length);
/** Sentence-final particles, removed from the end of a query's Chinese runs. */
const CJK_FINAL_PARTICLES = new Set(['吗', '呢', '吧', '啊', '呀', '嘛', '咩']);
const ENGLISH_STOP_WORDS = new Set([
  'a',
  'an',
  'and',
  'are',
  'am',
  'as',
  'at',
  'be',
  'by',
  'can',
  'could',
  'did',
  'do',
  'does',
  'for',
  'from',
  'get',
  'how',
  'i',
  'if',
  'in',
  'is',
  'it',
  'me',
  'my',
  'need',
  'of',
  'on',
  'or',
  'our',
  'please',
  'should',
  'the',
  'there',
  'to',
  'we',
  'what',
  'when',
  'where',
  'which',
  'who',
  'why',
  'will',
  'with',
  'would',
  'you',
  'your',
]);

/** A CJK run of a query split where question words stand, and without its final particles. */
function withoutStopWords(chars: string[]): string[][] {
  let end = chars.length;
  while (end > 0 && CJK_FINAL_PARTICLES.has(chars[end - 1] as string)) end -= 1;
  const parts: string[][] = [];
  let part: string[] = [];
  for (let i = 0; i < end; ) {
    const rest = chars.slice(i, i + 4).join('');
    const stop = CJK_STOP_PHRASES.find((phrase) => rest.startsWith(phrase) && i + phrase.length <= end);
    if (stop) {
      if (part.length) parts.push(part);
      part = [];
      i += stop.length;
    } else {
      part.push(chars[i] as string);
      i += 1;
    }
  }
  if (part.length) parts.push(part);
  return parts;
}

/**
 * Words written in more than one way, normalised (Simplified, lower case): a query holding one also finds
 * documents that write another. Abbreviations people type for the terms official texts use.
 */
const SYNONYMS: readonly (readonly string[])[] = [
  ['社保', '社会保险'],
  ['医保', '医疗保险'],
  ['驾照', '驾驶证', '驾驶执照'],
  ['回乡证', '来往内地通行证'],
  ['强积金', 'mpf'],
  ['个税', '个人所得税'],
  ['看病', '就医'],
];

interface QueryPiece {
  kind: 'cjk' | 'word';
  chars: string[];
}

function queryPieces(query: string, removeStopWords: boolean): QueryPiece[] {
  const pieces: QueryPiece[] = [];
  for (const run of textRuns(query.slice(0, MAX_QUERY_LENGTH))) {
    if (run.kind === 'word') {
      if (!(removeStopWords && ENGLISH_STOP_WORDS.has(run.chars.join('')))) pieces.push({ kind: 'word', chars: run.chars });
    } else if (removeStopWords) {
      for (const chars of withoutStopWords(run.chars)) pieces.push({ kind: 'cjk', chars });
    } else {
      pieces.push({ kind: 'cjk', chars: run.chars });
    }
  }
  return pieces;
}

/** The lexemes a piece of a query asks for: its word, or its bigrams (its character if alone). */
function pieceLexemes(piece: QueryPiece): string[] {
  if (piece.kind === 'word') return [stem(piece.chars.slice(0, MAX_WORD_LENGTH).join(''))];
  if (piece.chars.length === 1) return [piece.chars[0] as string];
  return piece.chars.slice(1).map((char, i) => `${piece.chars[i]}${char}`);
}

/** Where a synonym stands in a piece, as [first, end) character indexes (the whole piece for a word), with its other spellings. */
function synonymsIn(piece: QueryPiece): { first: number; end: number; others: string[] }[] {
  const text = piece.chars.join('');
  const found: { first: number; end: number; others: string[] }[] = [];
  for (const group of SYNONYMS) {
    for (const spelling of group) {
      const others = group.filter((other) => other !== spelling);
      if (piece.kind === 'word') {
        if (stem(text) === spelling) found.push({ first: 0, end: 1, others });
        continue;
      }
      for (let at = text.indexOf(spelling); at >= 0; at = text.indexOf(spelling, at + 1)) found.push({ first: at, end: at + spelling.length, others });
    }
  }
  return found;
}

function planOf(pieces: QueryPiece[]): QueryPlan {
  const terms: QueryTerm[] = [];
  const index = new Map<string, number>();
  const units: number[][] = [];
  const alternatives: Alternative[] = [];
  const term = (lexeme: string, prefix: boolean): number | undefined => {
    const known = index.get(lexeme);
    if (known !== undefined) {
      if (prefix) (terms[known] as QueryTerm).prefix = true;
      return known;
    }
    if (terms.length >= MAX_QUERY_TERMS) return undefined;
    index.set(lexeme, terms.length);
    terms.push({ lexeme, prefix });
    return terms.length - 1;
  };
  /** Adds a unit covered by any of the terms; returns its index. */
  const unit = (covering: (number | undefined)[]): number | undefined => {
    const known = covering.filter((i) => i !== undefined);
    if (!known.length || units.length >= MAX_QUERY_UNITS) return undefined;
    units.push(known);
    return units.length - 1;
  };
  const pieceUnits = pieces.map((piece, p) => {
    const last = p === pieces.length - 1;
    if (piece.kind === 'word') {
      const word = piece.chars.slice(0, MAX_WORD_LENGTH).join('');
      return [unit([term(last ? prefixForm(word) : stem(word), last)])];
    }
    // One character alone is a prefix: every bigram it starts, and the character at the end of a run.
    const lexemes = pieceLexemes(piece).map((lexeme, i, all) => term(lexeme, piece.chars.length === 1 || (last && i === all.length - 1)));
    return piece.chars.map((_, i) => unit(piece.chars.length === 1 ? [lexemes[0]] : [lexemes[i - 1], lexemes[i]]));
  });
  // Other spellings come last, so that they never crowd out a term the query itself asks for.
  pieces.forEach((piece, p) => {
    for (const { first, end, others } of synonymsIn(piece)) {
      const covered = (pieceUnits[p] as (number | undefined)[]).slice(first, end).filter((u) => u !== undefined);
      for (const other of others) {
        const otherTerms = queryPieces(other, false)
          .flatMap(pieceLexemes)
          .map((lexeme) => term(lexeme, false));
        if (covered.length && otherTerms.every((t) => t !== undefined)) alternatives.push({ terms: otherTerms as number[], units: covered });
      }
    }
  });
  return { terms, units, alternatives };
}

/**
 * What a query asks for. Question words ("怎么", "請問", "how") are left out unless nothing else is
 * left; the last word is a prefix, so results come while typing.
 */
export function planQuery(query: string): QueryPlan {
  const plan = planOf(queryPieces(query, true));
  return plan.terms.length ? plan : planOf(queryPieces(query, false));
}

/** The normalised tokens of a query (for highlighting and debugging). */
export function queryTokens(query: string): string[] {
  return planQuery(query).terms.map((term) => term.lexeme);
}

/** Whether a document token is one a query term asks for. */
export function matchesTerm(token: string, term: QueryTerm): boolean {
  return term.prefix ? token.startsWith(term.lexeme) : token === term.lexeme;
}

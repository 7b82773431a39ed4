import { matchesTerm, planQuery, type QueryTerm, stem, textRuns, wordOf } from './tokenize.ts';

/** A stretch of text, marked when it matches the query (views render it with `<mark>`). */
export interface Segment {
  text: string;
  match: boolean;
}

interface Match {
  start: number;
  end: number;
  term: number;
}

/** The default length of a snippet, in characters. */
const SNIPPET_LENGTH = 160;
const ELLIPSIS = '…';

/**
 * Where a text matches the query's terms, in the original text's offsets: each Chinese bigram or word the
 * query asks for, and each occurrence of a single Chinese character the query consists of. The text is
 * normalised character by character, so any script matches any script.
 */
function findMatches(text: string, terms: QueryTerm[]): Match[] {
  const found: Match[] = [];
  const single = (term: QueryTerm) => [...term.lexeme].length === 1;
  // A one-character term (a Chinese character alone) marks that character, not the bigrams it starts.
  const add = (token: string, start: number, end: number, cjk: boolean) => {
    terms.forEach((term, i) => {
      if (!(cjk && single(term)) && matchesTerm(token, term)) found.push({ start, end, term: i });
    });
  };
  for (const run of textRuns(text)) {
    const last = run.chars.length - 1;
    if (run.kind === 'word') {
      add(stem(wordOf(run)), run.starts[0] as number, run.ends[last] as number, false);
      continue;
    }
    run.chars.forEach((char, i) => {
      if (i < last) add(`${char}${run.chars[i + 1]}`, run.starts[i] as number, run.ends[i + 1] as number, true);
      terms.forEach((term, t) => {
        if (term.lexeme === char) found.push({ start: run.starts[i] as number, end: run.ends[i] as number, term: t });
      });
    });
  }
  return found.sort((a, b) => a.start - b.start || a.end - b.end);
}

/** Overlapping and touching matches as one stretch. */
function merge(matches: Match[]): { start: number; end: number }[] {
  const merged: { start: number; end: number }[] = [];
  for (const { start, end } of matches) {
    const previous = merged[merged.length - 1];
    if (previous && start <= previous.end) previous.end = Math.max(previous.end, end);
    else merged.push({ start, end });
  }
  return merged;
}

/** The segments of text[from, to), marking the stretches. */
function segmentsOf(text: string, stretches: { start: number; end: number }[], from = 0, to = text.length): Segment[] {
  const segments: Segment[] = [];
  const push = (start: number, end: number, match: boolean) => {
    if (end > start) segments.push({ text: text.slice(start, end), match });
  };
  let at = from;
  for (const stretch of stretches) {
    const start = Math.max(stretch.start, from);
    const end = Math.min(stretch.end, to);
    if (end <= start) continue;
    push(at, start, false);
    push(start, end, true);
    at = end;
  }
  push(at, to, false);
  return segments;
}

/**
 * Splits text into segments, marking every stretch that matches a query token (bigrams of a Chinese
 * match merge into one stretch; works whatever script the text and the query are in).
 */
export function highlight(text: string, query: string): Segment[] {
  return segmentsOf(text, merge(findMatches(text, planQuery(query).terms)));
}

const WORD_CHAR = /[\p{L}\p{N}]/u;
const CJK_CHAR = /[\p{Script=Han}\p{Script=Hiragana}\p{Script=Katakana}\p{Script=Hangul}]/u;

/** Whether a cut at `at` falls inside a word of an alphabetic script (or inside a surrogate pair). */
function insideWord(text: string, at: number): boolean {
  const before = text[at - 1] ?? '';
  const after = text[at] ?? '';
  if (/[\uD800-\uDBFF]/.test(before)) return true;
  return WORD_CHAR.test(before) && WORD_CHAR.test(after) && !CJK_CHAR.test(before) && !CJK_CHAR.test(after);
}

/** Moves a cut to the nearest word boundary within a few characters, forwards or backwards. */
function boundary(text: string, at: number, direction: 1 | -1): number {
  for (let moved = 0, cut = at; moved < 20 && cut > 0 && cut < text.length; moved += 1, cut += direction) {
    if (!insideWord(text, cut)) return cut;
  }
  return at;
}

/** The window [start, start + length) holding the most distinct terms, then the most matches; the first such. */
function bestWindow(text: string, matches: Match[], length: number): number {
  const lead = Math.floor(length / 5);
  let best = { start: 0, terms: -1, count: -1 };
  for (const anchor of matches) {
    const start = Math.max(0, Math.min(anchor.start - lead, text.length - length));
    const inside = matches.filter((m) => m.start >= start && m.end <= start + length);
    const terms = new Set(inside.map((m) => m.term)).size;
    if (terms > best.terms || (terms === best.terms && inside.length > best.count)) best = { start, terms, count: inside.length };
  }
  return best.start;
}

/** A window of about `length` characters around the densest matches, with "…" where cut, as segments. */
export function snippet(text: string, query: string, length = SNIPPET_LENGTH): Segment[] {
  const flat = text.replace(/\s+/g, ' ').trim();
  const matches = findMatches(flat, planQuery(query).terms);
  const stretches = merge(matches);
  if (flat.length <= length) return segmentsOf(flat, stretches);
  let start = bestWindow(flat, matches, length);
  let end = Math.min(flat.length, start + length);
  if (start > 0) start = boundary(flat, start, 1);
  if (end < flat.length) end = boundary(flat, end, -1);
  const segments = segmentsOf(flat, stretches, start, end);
  const first = segments[0];
  const last = segments[segments.length - 1];
  if (start > 0) {
    if (first && !first.match) first.text = `${ELLIPSIS}${first.text.trimStart()}`;
    else segments.unshift({ text: ELLIPSIS, match: false });
  }
  if (end < flat.length) {
    if (last && !last.match) last.text = `${last.text.trimEnd()}${ELLIPSIS}`;
    else segments.push({ text: ELLIPSIS, match: false });
  }
  return segments;
}

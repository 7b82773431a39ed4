import type { LocalizedText } from '../i18n/locales.ts';
import { documentTokens, type QueryTerm } from './tokenize.ts';

/**
 * tsvector and tsquery literals built in JavaScript from the analyser's tokens, so that no text-search
 * parser or dictionary of the database is involved: the same lexemes on PGlite and PostgreSQL, whatever
 * their locale or configuration.
 */

/** PostgreSQL keeps positions 1…16,383 (larger ones are stored as 16,383) and at most 256 of them a lexeme. */
const MAX_POSITION = 16_383;
const MAX_POSITIONS_PER_LEXEME = 256;
/** A tsvector may not exceed 1 MB; a pathological text stops adding new lexemes well before that. */
const MAX_VECTOR_BYTES = 512 * 1024;
/** Only this much of each text is read. */
const MAX_TEXT_LENGTH = 100_000;

type Weight = 'A' | 'B' | 'C' | 'D';

/** Quotes a lexeme for a tsvector or tsquery literal: inside '…', a quote and a backslash are escaped. */
export function quoteLexeme(lexeme: string): string {
  return `'${lexeme.replace(/\\/g, '\\\\').replace(/'/g, "''")}'`;
}

interface Entry {
  last: number;
  positions: string[];
}

/** Collects lexemes with their positions and weights, in the order texts are added. */
class VectorBuilder {
  private readonly entries = new Map<string, Entry>();
  private readonly seen = new Set<string>();
  private position = 0;
  private bytes = 0;
  private tokens = 0;

  /** How many tokens were added. */
  get count(): number {
    return this.tokens;
  }

  /**
   * Adds a text's tokens with one weight, after one unused position. A text whose tokens repeat a text
   * already added (Simplified saying exactly what Traditional says) is left out.
   */
  add(text: string, weight: Weight): void {
    const tokens = documentTokens(text.slice(0, MAX_TEXT_LENGTH)).map((token) => token.text);
    const key = tokens.join(' ');
    if (tokens.length === 0 || this.seen.has(key)) return;
    this.seen.add(key);
    if (this.position > 0) this.position += 1;
    this.tokens += tokens.length;
    for (const lexeme of tokens) {
      this.position = Math.min(this.position + 1, MAX_POSITION);
      let entry = this.entries.get(lexeme);
      if (!entry) {
        const size = Buffer.byteLength(lexeme) + 8;
        if (this.bytes + size > MAX_VECTOR_BYTES) continue;
        this.bytes += size;
        entry = { last: 0, positions: [] };
        this.entries.set(lexeme, entry);
      }
      if (entry.last === this.position || entry.positions.length >= MAX_POSITIONS_PER_LEXEME) continue;
      entry.last = this.position;
      entry.positions.push(`${this.position}${weight === 'D' ? '' : weight}`);
      this.bytes += 2;
    }
  }

  /** The tsvector literal, e.g. `'港澳':1A,9 'visa':3A`. */
  toString(): string {
    return [...this.entries].map(([lexeme, entry]) => `${quoteLexeme(lexeme)}:${entry.positions.join(',')}`).join(' ');
  }
}

export interface DocumentVectors {
  /** The title's lexemes weighted A then the body's weighted D (each language in turn). */
  lexemes: string;
  /** The title's lexemes alone. */
  titleLexemes: string;
  tokenCount: number;
}

export function documentVectors(title: LocalizedText, body: LocalizedText): DocumentVectors {
  const builder = new VectorBuilder();
  for (const text of textsOf(title)) builder.add(text, 'A');
  const titleLexemes = builder.toString();
  for (const text of textsOf(body)) builder.add(text, 'D');
  return { lexemes: builder.toString(), titleLexemes, tokenCount: builder.count };
}

function textsOf(text: LocalizedText): string[] {
  return [text['zh-Hant'], text['zh-Hans'], text.en].filter((t): t is string => typeof t === 'string');
}

/** A tsquery literal for one term: `'港澳'` or `'visa':*`. */
export function termQuery(term: QueryTerm): string {
  return `${quoteLexeme(term.lexeme)}${term.prefix ? ':*' : ''}`;
}

/** A tsquery literal matching any of the terms. */
export function anyTermQuery(terms: QueryTerm[]): string {
  return terms.map(termQuery).join(' | ');
}

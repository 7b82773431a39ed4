import type { Kysely, Transaction } from 'kysely';
import type { Database } from '../db/schema.ts';
import type { LocalizedText } from '../i18n/locales.ts';
import { deleteDocument, type MatchQuery, matchDocuments, upsertDocument } from './queries.ts';
import { termFrequencies, withoutCommonTerms } from './frequency.ts';
import { planQuery } from './tokenize.ts';
import { anyTermQuery, documentVectors, termQuery } from './vector.ts';

export { indexedKeys } from './queries.ts';

/**
 * Search for every module: a module indexes its records (`indexDocument` inside the transaction that
 * writes them, `removeDocument` when they go) and searches them by kind, visibility and tags.
 */

export type Visibility = 'public' | 'internal';

export interface SearchableDocument {
  /** 'article', later 'event', 'placement' … (lower case letters, digits and hyphens). */
  kind: string;
  /** The record's id or slug. */
  key: string;
  /** Plain text per language. */
  title: LocalizedText;
  /** Plain text per language (Markdown already stripped by the caller). */
  body: LocalizedText;
  visibility: Visibility;
  /** Filters such as 'category:residence-permit' or 'agency:hk-cmab'. */
  tags?: string[];
}

export interface SearchOptions {
  query: string;
  kinds?: string[];
  visibility: Visibility[];
  /** Every one must match. */
  tags?: string[];
  /** Default 20, at most 100. */
  limit?: number;
  offset?: number;
}

export interface SearchHit {
  kind: string;
  key: string;
  /** Query units covered (the integer part) plus ts_rank_cd scaled to [0, 1) (the fraction). */
  score: number;
  title: LocalizedText;
  body: LocalizedText;
  tags: string[];
}

const DEFAULT_LIMIT = 20;
const MAX_LIMIT = 100;
/** Pages further than this are not served (each page sorts every result before it). */
const MAX_OFFSET = 10_000;
/** A query of up to this many units (Chinese characters, words) must be covered in full: 居住证, MPF 强积金. */
const ALL_UNITS_UP_TO = 4;
/**
 * The share of a longer query's units a document must cover: a question ("港澳居民居住证怎么申请") has
 * bigrams across its word boundaries that no answer contains. Measured with 50 Simplified questions
 * against 18 short Traditional answers (and the agreement's clauses as distractors): 0.6 found 40 of
 * the answers, 0.5 found 44 with about 3 results a question, 0.4 found 46 with about 6.
 */
const MIN_COVERED_SHARE = 0.5;

const VISIBILITIES: readonly Visibility[] = ['public', 'internal'];
type Db = Kysely<Database> | Transaction<Database>;

function assertDocument(doc: SearchableDocument): void {
  if (!/^[a-z][a-z0-9-]*$/.test(doc.kind)) throw new Error(`search: invalid kind ${JSON.stringify(doc.kind)}`);
  if (typeof doc.key !== 'string' || doc.key === '') throw new Error('search: a document needs a key');
  if (!VISIBILITIES.includes(doc.visibility)) throw new Error(`search: invalid visibility ${JSON.stringify(doc.visibility)}`);
}

/** Indexes a record, replacing what was indexed for it before. Call it inside the transaction that writes the record. */
export async function indexDocument(db: Db, doc: SearchableDocument): Promise<void> {
  assertDocument(doc);
  await upsertDocument(db, {
    kind: doc.kind,
    key: doc.key,
    title: doc.title,
    body: doc.body,
    visibility: doc.visibility,
    tags: [...new Set(doc.tags ?? [])].sort(),
    ...documentVectors(doc.title, doc.body),
  });
}

/** Removes a record from the index (nothing happens if it is not there). */
export async function removeDocument(db: Db, kind: string, key: string): Promise<void> {
  await deleteDocument(db, kind, key);
}

/** How many of a query's units a document must cover: all of a short query, otherwise the share, rounded up. */
function minCovered(units: number): number {
  return units <= ALL_UNITS_UP_TO ? units : Math.ceil(units * MIN_COVERED_SHARE);
}

function clamp(value: number | undefined, fallback: number, min: number, max: number): number {
  if (value === undefined || !Number.isFinite(value)) return fallback;
  return Math.min(Math.max(Math.trunc(value), min), max);
}

/**
 * Finds the documents that cover enough of the query, best first: by units covered, then ts_rank_cd
 * (title before body, long documents discounted), then kind and key. A query without any token, or a
 * search in no visibility or no kind, returns nothing without asking the database.
 */
export async function search(db: Kysely<Database>, options: SearchOptions): Promise<{ total: number; hits: SearchHit[] }> {
  const asked = planQuery(options.query);
  const visibility = VISIBILITIES.filter((v) => options.visibility.includes(v));
  if (asked.terms.length === 0 || visibility.length === 0 || options.kinds?.length === 0) return { total: 0, hits: [] };
  const frequencies = await termFrequencies(db).of(db, asked.terms, { kinds: options.kinds, visibility });
  const { plan, free } = withoutCommonTerms(asked, frequencies.counts, frequencies.total);
  const query: MatchQuery = {
    any: anyTermQuery(plan.terms),
    terms: plan.terms.map(termQuery),
    units: plan.units,
    alternatives: plan.alternatives,
    freeUnits: free,
    minCovered: minCovered(asked.units.length),
    visibility,
    kinds: options.kinds,
    tags: options.tags,
    limit: clamp(options.limit, DEFAULT_LIMIT, 1, MAX_LIMIT),
    offset: clamp(options.offset, 0, 0, MAX_OFFSET),
  };
  const rows = await matchDocuments(db, query);
  // A page past the end has no row to carry the count: count from the first page.
  const counted = rows.length === 0 && query.offset > 0 ? await matchDocuments(db, { ...query, offset: 0, limit: 1 }) : rows;
  const hits = rows.map((row) => ({ kind: row.kind, key: row.key, score: row.covered + Number(row.rank ?? 0), title: row.title, body: row.body, tags: row.tags }));
  return { total: Number(counted[0]?.total ?? 0), hits };
}

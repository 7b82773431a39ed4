import { type Kysely, type RawBuilder, sql, type Transaction } from 'kysely';
import { json } from '../db/index.ts';
import type { Database } from '../db/schema.ts';
import type { LocalizedText } from '../i18n/locales.ts';

type Q = Kysely<Database> | Transaction<Database>;

export interface DocumentRow {
  kind: string;
  key: string;
  title: LocalizedText;
  body: LocalizedText;
  visibility: 'public' | 'internal';
  tags: string[];
  /** tsvector literals: title and body, title alone. */
  lexemes: string;
  titleLexemes: string;
  tokenCount: number;
}

/** Inserts a document or replaces the one of the same kind and key. */
export async function upsertDocument(db: Q, row: DocumentRow): Promise<void> {
  const values = {
    title: json(row.title),
    body: json(row.body),
    visibility: row.visibility,
    tags: row.tags,
    lexemes: sql<string>`${row.lexemes}::tsvector`,
    title_lexemes: sql<string>`${row.titleLexemes}::tsvector`,
    token_count: row.tokenCount,
  };
  await db
    .insertInto('search_documents')
    .values({ kind: row.kind, key: row.key, ...values })
    .onConflict((conflict) => conflict.columns(['kind', 'key']).doUpdateSet({ ...values, updated_at: sql`now()` }))
    .execute();
}

/** The keys of the documents of one kind in the index. */
export async function indexedKeys(db: Q, kind: string): Promise<Set<string>> {
  const rows = await db.selectFrom('search_documents').select('key').where('kind', '=', kind).execute();
  return new Set(rows.map((r) => r.key));
}

export async function deleteDocument(db: Q, kind: string, key: string): Promise<void> {
  await db.deleteFrom('search_documents').where('kind', '=', kind).where('key', '=', key).execute();
}

export interface MatchQuery {
  /** A tsquery literal matching any term. */
  any: string;
  /** One tsquery literal a term (at most 63: each is a bit of a bigint). */
  terms: string[];
  /** The query's units, each with the indexes of the terms that cover it. */
  units: number[][];
  /** Sets of terms that together cover some units (another spelling of a word). */
  alternatives: { terms: number[]; units: number[] }[];
  /** Units taken as covered by every document (those only common terms cover: see frequency.ts). */
  freeUnits: number;
  /** How many units a document must cover. */
  minCovered: number;
  visibility: string[];
  kinds?: string[] | undefined;
  tags?: string[] | undefined;
  limit: number;
  offset: number;
}

export interface MatchRow {
  kind: string;
  key: string;
  title: LocalizedText;
  body: LocalizedText;
  tags: string[];
  covered: number;
  /** ts_rank_cd, for the candidates that were ranked; null for the others. */
  rank: number | null;
  total: string | number;
}

/** ts_rank_cd normalisation: divided by 1 + the logarithm of the document's length, then scaled to [0, 1). */
const RANK_NORMALISATION = 1 | 32;
/**
 * How many of the best candidates (by units covered, terms found, units covered in the title, then the shortest) are ranked by
 * ts_rank_cd, which reads each one's whole tsvector; the rest keep that cheaper order. A common query
 * (香港) matches nearly every document: ranking them all would cost a read of every document.
 */
export const RANKED_CANDIDATES = 100;

function bit(i: number): string {
  return maskOf([i]);
}

function maskOf(terms: number[]): string {
  return terms.reduce((mask, i) => mask | (1n << BigInt(i)), 0n).toString();
}

/**
 * Units covered by the terms whose bits are set in a mask column: a unit is covered by any of its
 * terms, or by all the terms of an alternative that covers it.
 */
function coveredUnits(column: string, query: MatchQuery): RawBuilder<number> {
  const mask = sql.ref(column);
  const parts = query.units.map((covering, u) => {
    const any = sql`(${mask} & ${maskOf(covering)}::bigint) <> 0`;
    const all = query.alternatives
      .filter((alternative) => alternative.units.includes(u))
      .map((alternative) => {
        const required = maskOf(alternative.terms);
        return sql`(${mask} & ${required}::bigint) = ${required}::bigint`;
      });
    return sql`(${sql.join([any, ...all], sql` or `)})::int`;
  });
  return sql<number>`(${sql.join([...parts, sql`${query.freeUnits}::int`], sql` + `)})`;
}

/** How many of the query's terms are found (the bits set in a mask column). */
function termsFound(column: string, query: MatchQuery): RawBuilder<number> {
  const mask = sql.ref(column);
  return sql<number>`(${sql.join(
    query.terms.map((_, i) => sql`((${mask} >> ${sql.lit(i)}) & 1)::int`),
    sql` + `,
  )})`;
}

/**
 * One statement that reads no candidate's whole tsvector except those it ranks. Each term's documents
 * come from the GIN index alone (a bitmap scan needs no recheck for plain and prefix terms), each giving
 * its documents a bit, and another bit when the small title vector in the row holds the term too. The
 * documents whose bits cover enough units are counted; the best RANKED_CANDIDATES (by units covered, terms found, then
 * covered by the title, then the shortest) are ranked by ts_rank_cd; the page is cut from that order.
 */
export async function matchDocuments(db: Q, query: MatchQuery): Promise<MatchRow[]> {
  const filters: RawBuilder<unknown>[] = [];
  if (query.kinds) filters.push(sql`and kind = any(${query.kinds}::text[])`);
  if (query.visibility.length < 2) filters.push(sql`and visibility = any(${query.visibility}::text[])`);
  if (query.tags?.length) filters.push(sql`and tags @> ${query.tags}::text[]`);
  const where = filters.length ? sql.join(filters, sql` `) : sql``;
  const hits = query.terms.map(
    (term, i) => sql`
      select kind, key, token_count, ${bit(i)}::bigint as bit,
        case when title_lexemes @@ ${term}::tsquery then ${bit(i)}::bigint else 0 end as title_bit
      from search_documents
      where lexemes @@ ${term}::tsquery ${where}`,
  );
  const ranked = RANKED_CANDIDATES;
  const result = await sql<MatchRow>`
    with matched as (
      select kind, key, token_count, bit_or(bit) as mask, bit_or(title_bit) as title_mask
      from (${sql.join(hits, sql` union all `)}) hits
      group by kind, key, token_count
    ),
    kept as (
      select kind, key, token_count, ${coveredUnits('mask', query)} as covered, ${termsFound('mask', query)} as terms_found, ${coveredUnits('title_mask', query)} as title_covered
      from matched
    ),
    best as (
      select kind, key, covered, terms_found, title_covered, token_count, count(*) over () as total
      from kept
      where covered >= ${query.minCovered}
      order by covered desc, terms_found desc, title_covered desc, token_count, kind collate "C", key collate "C"
      limit ${Math.max(ranked, query.offset + query.limit)}
    ),
    positioned as (
      select *, row_number() over (order by covered desc, terms_found desc, title_covered desc, token_count, kind collate "C", key collate "C") as position from best
    )
    select d.kind, d.key, d.title, d.body, d.tags, p.covered, p.total,
      case when p.position <= ${ranked} then ts_rank_cd(d.lexemes, ${query.any}::tsquery, ${RANK_NORMALISATION}) end as rank
    from positioned p join search_documents d on d.kind = p.kind and d.key = p.key
    order by p.position > ${ranked}, p.covered desc, rank desc nulls last, case when p.position > ${ranked} then p.position end, d.kind collate "C", d.key collate "C"
    limit ${query.limit} offset ${query.offset}`.execute(db);
  return result.rows;
}

/** Which documents a count is about: the kinds and visibilities searched. */
export interface CountFilter {
  kinds?: readonly string[] | undefined;
  visibility: readonly string[];
}

function countWhere(filter: CountFilter): RawBuilder<unknown> {
  return sql`visibility = any(${[...filter.visibility]}::text[])${filter.kinds ? sql` and kind = any(${[...filter.kinds]}::text[])` : sql``}`;
}

/** How many documents of the filter the index holds. */
export async function countDocuments(db: Q, filter: CountFilter): Promise<number> {
  const row = await sql<{ n: number }>`select count(*)::int as n from search_documents where ${countWhere(filter)}`.execute(db);
  return row.rows[0]?.n ?? 0;
}

/** How many documents of the filter match each tsquery literal (from the GIN index). */
export async function countTermDocuments(db: Q, queries: readonly string[], filter: CountFilter): Promise<Map<string, number>> {
  const rows = await sql<{ q: string; n: number }>`
    select t.q, (select count(*) from search_documents where lexemes @@ t.q::tsquery and ${countWhere(filter)})::int as n
    from unnest(${[...queries]}::text[]) as t(q)`.execute(db);
  return new Map(rows.rows.map((row) => [row.q, row.n]));
}

import type { Kysely } from 'kysely';
import type { Database } from '../db/schema.ts';
import { type CountFilter, countDocuments, countTermDocuments } from './queries.ts';
import type { QueryPlan, QueryTerm } from './tokenize.ts';
import { termQuery } from './vector.ts';

/**
 * Common terms. A term found in a large share of the documents searched (香港 in a knowledge base for
 * Hong Kong people) tells little about which document answers a question, yet reading its documents is
 * most of a search's cost. Like the inverse document frequency of classic ranking, such a term is not
 * looked up when the query has others: the documents are found through the telling terms, and the
 * units (characters, words) a common term covers count as covered in every one of them.
 */

/** A term in more than this share of the documents is common. */
const COMMON_SHARE = 0.25;
/** In a smaller index every term is kept: a share of a few documents says nothing. */
export const MIN_DOCUMENTS = 1_000;
/** How long a count is trusted: documents come and go slowly, and a stale count costs only some speed. */
const MAX_AGE_MS = 10 * 60_000;
const MAX_ENTRIES = 20_000;

interface Count {
  n: number;
  at: number;
}

/** Documents per term (and in all), per filter, counted from the index when first asked for and kept a while. */
export class TermFrequencies {
  private readonly counts = new Map<string, Count>();
  private readonly totals = new Map<string, Count>();

  constructor(private readonly now: () => number = Date.now) {}

  private fresh(count: Count | undefined): count is Count {
    return count !== undefined && this.now() - count.at < MAX_AGE_MS;
  }

  async of(db: Kysely<Database>, terms: readonly QueryTerm[], filter: CountFilter): Promise<{ total: number; counts: number[] }> {
    const scope = JSON.stringify([[...(filter.kinds ?? [])].sort(), [...filter.visibility].sort()]);
    let total = this.totals.get(scope);
    if (!this.fresh(total)) {
      total = { n: await countDocuments(db, filter), at: this.now() };
      if (this.totals.size >= MAX_ENTRIES) this.totals.clear();
      this.totals.set(scope, total);
    }
    const keys = terms.map((term) => `${scope}${termQuery(term)}`);
    if (total.n < MIN_DOCUMENTS) return { total: total.n, counts: keys.map(() => 0) };
    const missing = [...new Set(terms.map(termQuery).filter((q) => !this.fresh(this.counts.get(`${scope}${q}`))))];
    if (missing.length) {
      const found = await countTermDocuments(db, missing, filter);
      if (this.counts.size + found.size > MAX_ENTRIES) this.counts.clear();
      for (const [q, n] of found) this.counts.set(`${scope}${q}`, { n, at: this.now() });
    }
    return { total: total.n, counts: keys.map((key) => this.counts.get(key)?.n ?? 0) };
  }
}

const perDatabase = new WeakMap<Kysely<Database>, TermFrequencies>();

/** The counts kept for one database. */
export function termFrequencies(db: Kysely<Database>): TermFrequencies {
  let frequencies = perDatabase.get(db);
  if (!frequencies) {
    frequencies = new TermFrequencies();
    perDatabase.set(db, frequencies);
  }
  return frequencies;
}

/**
 * The plan without its common terms, and how many of its units a common term covers (`free`: they
 * count as covered in every document). Other spellings that need a common term are dropped. A plan
 * whose every term is common is kept whole (a search for 香港 still looks 香港 up).
 */
export function withoutCommonTerms(plan: QueryPlan, counts: readonly number[], total: number): { plan: QueryPlan; free: number } {
  const whole = { plan, free: 0 };
  if (total < MIN_DOCUMENTS) return whole;
  const common = new Set(counts.flatMap((n, i) => (n > COMMON_SHARE * total ? [i] : [])));
  if (common.size === 0 || common.size === plan.terms.length) return whole;
  const termIndex = new Map<number, number>();
  const terms: QueryTerm[] = [];
  plan.terms.forEach((term, i) => {
    if (common.has(i)) return;
    termIndex.set(i, terms.length);
    terms.push(term);
  });
  const unitIndex = new Map<number, number>();
  const units: number[][] = [];
  // A unit is covered when any of its terms is found: one a common term covers is taken as covered everywhere.
  plan.units.forEach((covering, u) => {
    if (covering.some((t) => common.has(t))) return;
    unitIndex.set(u, units.length);
    units.push(covering.map((t) => termIndex.get(t) as number));
  });
  const alternatives = plan.alternatives.flatMap((alternative) => {
    const altUnits = alternative.units.filter((u) => unitIndex.has(u)).map((u) => unitIndex.get(u) as number);
    if (altUnits.length === 0 || alternative.terms.some((t) => common.has(t))) return [];
    return [{ terms: alternative.terms.map((t) => termIndex.get(t) as number), units: altUnits }];
  });
  return { plan: { terms, units, alternatives }, free: plan.units.length - units.length };
}

import type { Kysely } from 'kysely';
import type { Database } from '../../platform/db/schema.ts';
import { search, type SearchHit } from '../../platform/search/index.ts';

/** How many articles are offered before an enquiry is sent. */
const MATCHES_SHOWN = 5;

/** The first sentence of a description, short enough to be a search query. */
function firstSentence(text: string): string {
  return (text.split(/(?<=[。！？!?\n])|(?<=\.\s)/)[0] ?? '').trim().slice(0, 80);
}

/**
 * Public articles that may answer an enquiry before it is sent: found with its subject, then (if that
 * finds too few) with the first sentence of its description; those of the topic's category first.
 */
export async function findMatchingArticles(db: Kysely<Database>, o: { subject: string; description: string; category: string | null }): Promise<{ hits: SearchHit[]; query: string }> {
  const found = new Map<string, SearchHit>();
  const queries = [o.subject, firstSentence(o.description)].filter((q, i, all) => q && all.indexOf(q) === i);
  for (const query of queries) {
    if (found.size >= MATCHES_SHOWN) break;
    for (const hit of (await search(db, { query, kinds: ['article'], visibility: ['public'], limit: 20 })).hits) if (!found.has(hit.key)) found.set(hit.key, hit);
  }
  const inCategory = (hit: SearchHit) => (o.category !== null && hit.tags.includes(`category:${o.category}`) ? 0 : 1);
  const hits = [...found.values()].map((hit, order) => ({ hit, order })).sort((a, b) => inCategory(a.hit) - inCategory(b.hit) || a.order - b.order);
  return { hits: hits.slice(0, MATCHES_SHOWN).map((h) => h.hit), query: queries.join(' ') };
}

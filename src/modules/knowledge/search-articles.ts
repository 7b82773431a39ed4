import type { Kysely } from 'kysely';
import type { Database } from '../../platform/db/schema.ts';
import type { ArticleStatus } from './tables.ts';
import type { Locale } from '../../platform/i18n/locales.ts';
import { displayText } from '../../platform/i18n/script.ts';
import { highlight, type Segment, snippet } from '../../platform/search/highlight.ts';
import { search, type Visibility } from '../../platform/search/index.ts';
import { ARTICLE_KIND, categoryTag } from './index-articles.ts';
import { type ArticleSummary, findArticles } from './queries.ts';
import { MAX_QUERY } from './schemas.ts';

/** One article found: its title and the passage that matched, in the reader's language, with the matches marked. */
export interface ArticleResult {
  article: ArticleSummary;
  title: Segment[];
  titleLocale: Locale;
  snippet: Segment[];
  snippetLocale: Locale;
}

/** How long a result's passage is, in characters. */
const SNIPPET_LENGTH = 160;

/** The query as searched: trimmed, and cut to a length worth searching. */
export const normaliseQuery = (query: string | undefined): string => (query ?? '').trim().slice(0, MAX_QUERY);

/**
 * Searches the articles the reader may see (public ones; officers also internal ones), best first,
 * optionally within a category and its sub-categories.
 */
export async function searchArticles(options: {
  db: Kysely<Database>;
  query: string;
  locale: Locale;
  visibility: Visibility[];
  category?: string | undefined;
  limit: number;
  offset?: number;
}): Promise<{ total: number; results: ArticleResult[] }> {
  const query = normaliseQuery(options.query);
  if (!query) return { total: 0, results: [] };
  const found = await search(options.db, {
    query,
    kinds: [ARTICLE_KIND],
    visibility: options.visibility,
    ...(options.category ? { tags: [categoryTag(options.category)] } : {}),
    limit: options.limit,
    offset: options.offset ?? 0,
  });
  if (found.hits.length === 0) return { total: found.total, results: [] };
  // The articles themselves, as a guard: a document indexed just before its article changed is not shown.
  const statuses: ArticleStatus[] = options.visibility.includes('internal') ? ['public', 'internal'] : ['public'];
  const articles = new Map((await findArticles(options.db, { slugs: found.hits.map((h) => h.key), statuses })).map((a) => [a.slug, a]));
  const results: ArticleResult[] = [];
  for (const hit of found.hits) {
    const article = articles.get(hit.key);
    if (!article) continue;
    const title = displayText(hit.title, options.locale);
    const body = displayText(hit.body, options.locale);
    results.push({ article, title: highlight(title.text, query), titleLocale: title.locale, snippet: snippet(body.text, query, SNIPPET_LENGTH), snippetLocale: body.locale });
  }
  return { total: found.total, results };
}

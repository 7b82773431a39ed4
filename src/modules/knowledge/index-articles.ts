import type { Kysely, Transaction } from 'kysely';
import type { Database } from '../../platform/db/schema.ts';
import type { LocalizedText } from '../../platform/i18n/locales.ts';
import { markdownToText } from '../../platform/markdown.ts';
import { indexDocument, removeDocument } from '../../platform/search/index.ts';
import { type Article, type Category, findArticle, findArticleIds, findCategories } from './queries.ts';

type Q = Kysely<Database> | Transaction<Database>;

/** The kind of search document an article is (its key is the slug). */
export const ARTICLE_KIND = 'article';

/** The search tag of a category: an article carries its category's and every ancestor's, so a filter on a category finds its sub-categories' articles. */
export const categoryTag = (key: string): string => `category:${key}`;
const agencyTag = (id: string): string => `agency:${id}`;

/** A category and the categories above it. */
export function categoryLine(categories: readonly Category[], key: string): Category[] {
  const byKey = new Map(categories.map((c) => [c.key, c]));
  const line: Category[] = [];
  for (let c = byKey.get(key); c && !line.includes(c); c = c.parentKey ? byKey.get(c.parentKey) : undefined) line.unshift(c);
  return line;
}

const plainText = (markdown: LocalizedText): LocalizedText => Object.fromEntries(Object.entries(markdown).map(([locale, source]) => [locale, markdownToText(source ?? '')]));

/**
 * Puts an article in the search index as it now is: public articles for everyone, internal ones for
 * officers only, drafts not at all. Called in the transaction that changed the article.
 */
export async function indexArticle(db: Q, article: Article, categories: readonly Category[]): Promise<void> {
  if (article.status === 'draft') {
    await removeDocument(db, ARTICLE_KIND, article.slug);
    return;
  }
  await indexDocument(db, {
    kind: ARTICLE_KIND,
    key: article.slug,
    title: article.title,
    body: plainText(article.body),
    visibility: article.status === 'public' ? 'public' : 'internal',
    tags: [...categoryLine(categories, article.categoryKey).map((c) => categoryTag(c.key)), agencyTag(article.responsibleAgency)],
  });
}

/** Rebuilds the search documents of every article (`zjhk knowledge reindex`), a batch of articles a transaction. */
export async function reindexArticles(options: { db: Kysely<Database>; progress?: (line: string) => void }): Promise<{ indexed: number; removed: number }> {
  const categories = await findCategories(options.db);
  let indexed = 0;
  let removed = 0;
  let after = 0;
  for (;;) {
    const ids = await findArticleIds(options.db, after, 200);
    if (ids.length === 0) break;
    await options.db.transaction().execute(async (trx) => {
      for (const id of ids) {
        const article = await findArticle(trx, { id });
        if (!article) continue;
        await indexArticle(trx, article, categories);
        if (article.status === 'draft') removed += 1;
        else indexed += 1;
      }
    });
    after = ids[ids.length - 1] as number;
  }
  options.progress?.(`  articles: ${indexed} indexed, ${removed} drafts kept out of search`);
  return { indexed, removed };
}

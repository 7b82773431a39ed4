import type { Kysely } from 'kysely';
import type { Database } from '../../platform/db/schema.ts';
import type { ArticleStatus } from './tables.ts';
import type { LocalizedText } from '../../platform/i18n/locales.ts';
import { indexArticle } from './index-articles.ts';
import { AGREEMENT_ID } from './schemas.ts';
import { type Article, type Category, findArticle, insertArticle, setArticleLinks } from './queries.ts';
import { commitmentCode, findCommitments } from '../agreements/index.ts';

/** For tests: an article written straight to the database (links and search document included), as the platform would. */
export async function saveTestArticle(
  db: Kysely<Database>,
  categories: readonly Category[],
  a: { slug: string; title: LocalizedText; body: LocalizedText; status?: ArticleStatus; category?: string; agency?: string; reviewOn?: string; commitments?: string[] },
): Promise<Article> {
  const codes = new Map((await findCommitments(db, AGREEMENT_ID)).map((c) => [commitmentCode(c), c.id]));
  return db.transaction().execute(async (trx) => {
    const values = {
      slug: a.slug,
      categoryKey: a.category ?? 'employment',
      status: a.status ?? 'public',
      title: a.title,
      body: a.body,
      responsibleAgency: a.agency ?? 'zj-hrss',
      reviewOn: a.reviewOn ?? '2027-06-30',
      sources: [],
      commitmentIds: (a.commitments ?? []).map((code) => codes.get(code) as number),
      relatedIds: [],
    };
    const id = await insertArticle(trx, values, { origin: 'platform', seedSha256: null, updatedBy: null });
    await setArticleLinks(trx, id, values);
    const article = (await findArticle(trx, { id })) as Article;
    await indexArticle(trx, article, categories);
    return article;
  });
}

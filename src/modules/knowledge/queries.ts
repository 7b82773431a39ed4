import { type Kysely, sql, type Transaction } from 'kysely';
import { json } from '../../platform/db/index.ts';
import type { Database } from '../../platform/db/schema.ts';
import type { ArticleOrigin, ArticleSource, ArticleStatus } from './tables.ts';
import type { LocalizedText } from '../../platform/i18n/locales.ts';
import { commitmentCode } from '../agreements/index.ts';

type Q = Kysely<Database> | Transaction<Database>;

// ---------------------------------------------------------------------------------------------------
// Categories

export interface Category {
  key: string;
  parentKey: string | null;
  position: number;
  name: LocalizedText;
  /** Codes of the commitments the category serves ("11-1"). */
  commitments: string[];
}

export async function findCategories(db: Q): Promise<Category[]> {
  const rows = await db.selectFrom('knowledge_categories').selectAll().orderBy('position').orderBy('key').execute();
  return rows.map((r) => ({ key: r.key, parentKey: r.parent_key, position: r.position, name: r.name, commitments: r.commitments }));
}

/** Adds a category or brings it in line with its entry (parents are set once all exist: setCategoryParent). */
export async function saveCategory(db: Q, category: Omit<Category, 'parentKey'>): Promise<void> {
  const values = { position: category.position, name: json(category.name), commitments: json(category.commitments) };
  await db
    .insertInto('knowledge_categories')
    .values({ key: category.key, parent_key: null, ...values })
    .onConflict((oc) => oc.column('key').doUpdateSet(values))
    .execute();
}

export async function setCategoryParent(db: Q, key: string, parentKey: string | null): Promise<void> {
  await db.updateTable('knowledge_categories').set({ parent_key: parentKey }).where('key', '=', key).execute();
}

/** How many public articles each category holds itself (not counting its sub-categories). */
export async function countPublicArticles(db: Q): Promise<Map<string, number>> {
  const rows = await db
    .selectFrom('knowledge_articles')
    .select(['category_key', (eb) => eb.fn.countAll<string>().as('n')])
    .where('status', '=', 'public')
    .groupBy('category_key')
    .execute();
  return new Map(rows.map((r) => [r.category_key, Number(r.n)]));
}

// ---------------------------------------------------------------------------------------------------
// Articles

/** An article as lists show it. */
export interface ArticleSummary {
  id: number;
  slug: string;
  categoryKey: string;
  status: ArticleStatus;
  title: LocalizedText;
  responsibleAgency: string;
  reviewOn: string;
  updatedAt: Date;
}

/** An article with everything its page shows. */
export interface Article extends ArticleSummary {
  body: LocalizedText;
  sources: ArticleSource[];
  origin: ArticleOrigin;
  seedSha256: string | null;
  editedOnPlatform: boolean;
  publishedAt: Date | null;
  createdAt: Date;
  updatedBy: string | null;
  /** Codes of the linked commitments, in the agreement's order. */
  commitments: string[];
  /** Slugs of the related articles, in the order given. */
  related: string[];
}

/** What is written when an article is created or changed. */
export interface ArticleValues {
  slug: string;
  categoryKey: string;
  status: ArticleStatus;
  title: LocalizedText;
  body: LocalizedText;
  responsibleAgency: string;
  reviewOn: string;
  sources: ArticleSource[];
  commitmentIds: number[];
  relatedIds: number[];
}

const SUMMARY = ['id', 'slug', 'category_key', 'status', 'title', 'responsible_agency', 'review_on', 'updated_at'] as const;

type SummaryRow = { id: number; slug: string; category_key: string; status: ArticleStatus; title: LocalizedText; responsible_agency: string; review_on: string; updated_at: Date };

const toSummary = (r: SummaryRow): ArticleSummary => ({
  id: r.id,
  slug: r.slug,
  categoryKey: r.category_key,
  status: r.status,
  title: r.title,
  responsibleAgency: r.responsible_agency,
  reviewOn: r.review_on,
  updatedAt: r.updated_at,
});

export interface ArticleFilter {
  ids?: readonly number[];
  slugs?: readonly string[];
  statuses?: readonly ArticleStatus[];
  categoryKeys?: readonly string[];
  /** Articles whose review date is on or before this day (drafts are not reviewed). */
  reviewDueOn?: string;
  /** Most recently changed first (default: by id). */
  recent?: boolean;
  limit?: number;
  offset?: number;
}

function filtered(db: Q, filter: ArticleFilter) {
  let query = db.selectFrom('knowledge_articles');
  if (filter.ids) query = query.where('id', '=', sql<number>`any(${[...filter.ids]}::int[])`);
  if (filter.slugs) query = query.where('slug', '=', sql<string>`any(${[...filter.slugs]}::text[])`);
  if (filter.statuses) query = query.where('status', '=', sql<ArticleStatus>`any(${[...filter.statuses]}::text[])`);
  if (filter.categoryKeys) query = query.where('category_key', '=', sql<string>`any(${[...filter.categoryKeys]}::text[])`);
  if (filter.reviewDueOn) query = query.where('review_on', '<=', filter.reviewDueOn).where('status', '<>', 'draft');
  return query;
}

export async function findArticles(db: Q, filter: ArticleFilter = {}): Promise<ArticleSummary[]> {
  let query = filtered(db, filter).select(SUMMARY);
  query = filter.recent ? query.orderBy('updated_at', 'desc').orderBy('id', 'desc') : query.orderBy('id');
  if (filter.limit !== undefined) query = query.limit(filter.limit);
  if (filter.offset) query = query.offset(filter.offset);
  return (await query.execute()).map(toSummary);
}

export async function countArticles(db: Q, filter: ArticleFilter = {}): Promise<number> {
  const row = await filtered(db, filter)
    .select((eb) => eb.fn.countAll<string>().as('n'))
    .executeTakeFirstOrThrow();
  return Number(row.n);
}

async function findArticleRow(db: Q, where: { id: number } | { slug: string }) {
  const base = db.selectFrom('knowledge_articles').selectAll();
  return 'id' in where ? base.where('id', '=', where.id).executeTakeFirst() : base.where('slug', '=', where.slug).executeTakeFirst();
}

export async function findArticle(db: Q, where: { id: number } | { slug: string }): Promise<Article | undefined> {
  const row = await findArticleRow(db, where);
  if (!row) return undefined;
  const [commitments, related] = await Promise.all([
    db
      .selectFrom('knowledge_article_commitments as ac')
      .innerJoin('commitments as c', 'c.id', 'ac.commitment_id')
      .select(['c.area_number', 'c.number'])
      .where('ac.article_id', '=', row.id)
      .orderBy('c.area_number')
      .orderBy('c.number')
      .execute(),
    db.selectFrom('knowledge_related_articles as r').innerJoin('knowledge_articles as a', 'a.id', 'r.related_id').select('a.slug').where('r.article_id', '=', row.id).orderBy('r.position').execute(),
  ]);
  return {
    ...toSummary(row),
    body: row.body,
    sources: row.sources,
    origin: row.origin,
    seedSha256: row.seed_sha256,
    editedOnPlatform: row.edited_on_platform,
    publishedAt: row.published_at,
    createdAt: row.created_at,
    updatedBy: row.updated_by,
    commitments: commitments.map((c) => commitmentCode({ areaNumber: c.area_number, number: c.number })),
    related: related.map((r) => r.slug),
  };
}

/** The articles linked to one commitment, with the given statuses, by title order of their ids. */
export async function findArticlesForCommitment(db: Q, commitment: { agreementId: string; areaNumber: number; number: number }, statuses: readonly ArticleStatus[]): Promise<ArticleSummary[]> {
  const rows = await db
    .selectFrom('knowledge_articles as a')
    .innerJoin('knowledge_article_commitments as ac', 'ac.article_id', 'a.id')
    .innerJoin('commitments as c', 'c.id', 'ac.commitment_id')
    .select(SUMMARY.map((column) => `a.${column}` as const))
    .where('c.agreement_id', '=', commitment.agreementId)
    .where('c.area_number', '=', commitment.areaNumber)
    .where('c.number', '=', commitment.number)
    .where('a.status', '=', sql<ArticleStatus>`any(${[...statuses]}::text[])`)
    .orderBy('a.id')
    .execute();
  return rows.map(toSummary);
}

/** What the seed needs to know of the articles there are, by slug. */
export async function findArticleOrigins(db: Q): Promise<Map<string, { id: number; origin: ArticleOrigin; seedSha256: string | null; editedOnPlatform: boolean }>> {
  const rows = await db.selectFrom('knowledge_articles').select(['id', 'slug', 'origin', 'seed_sha256', 'edited_on_platform']).execute();
  return new Map(rows.map((r) => [r.slug, { id: r.id, origin: r.origin, seedSha256: r.seed_sha256, editedOnPlatform: r.edited_on_platform }]));
}

export async function slugExists(db: Q, slug: string): Promise<boolean> {
  return (await db.selectFrom('knowledge_articles').select('id').where('slug', '=', slug).executeTakeFirst()) !== undefined;
}

/** The columns of an article's own row (its links are written by setArticleLinks). */
function articleColumns(values: ArticleValues) {
  return {
    slug: values.slug,
    category_key: values.categoryKey,
    status: values.status,
    title: json(values.title),
    body: json(values.body),
    responsible_agency: values.responsibleAgency,
    review_on: values.reviewOn,
    sources: json(values.sources),
  };
}

export async function insertArticle(trx: Transaction<Database>, values: ArticleValues, provenance: { origin: ArticleOrigin; seedSha256: string | null; updatedBy: string | null }): Promise<number> {
  const row = await trx
    .insertInto('knowledge_articles')
    .values({
      ...articleColumns(values),
      origin: provenance.origin,
      seed_sha256: provenance.seedSha256,
      updated_by: provenance.updatedBy,
      published_at: values.status === 'public' ? sql<Date>`now()` : null,
    })
    .returning('id')
    .executeTakeFirstOrThrow();
  return row.id;
}

/**
 * Changes an article. From the files (`seedSha256` given), the article stays the files'; from the
 * platform, it is marked as edited there so the files no longer overwrite it.
 */
export async function updateArticle(trx: Transaction<Database>, id: number, values: ArticleValues, change: { seedSha256: string } | { updatedBy: string | null }): Promise<void> {
  await trx
    .updateTable('knowledge_articles')
    .set({
      ...articleColumns(values),
      ...('seedSha256' in change ? { seed_sha256: change.seedSha256 } : { updated_by: change.updatedBy, edited_on_platform: sql<boolean>`origin = 'seed'` }),
      published_at: values.status === 'public' ? sql<Date>`coalesce(published_at, now())` : sql<Date | null>`published_at`,
      updated_at: sql<Date>`now()`,
    })
    .where('id', '=', id)
    .execute();
}

/** Replaces an article's links to commitments and related articles. */
export async function setArticleLinks(trx: Transaction<Database>, id: number, links: { commitmentIds: readonly number[]; relatedIds: readonly number[] }): Promise<void> {
  await trx.deleteFrom('knowledge_article_commitments').where('article_id', '=', id).execute();
  await trx.deleteFrom('knowledge_related_articles').where('article_id', '=', id).execute();
  const commitments = [...new Set(links.commitmentIds)];
  if (commitments.length)
    await trx
      .insertInto('knowledge_article_commitments')
      .values(commitments.map((commitment_id) => ({ article_id: id, commitment_id })))
      .execute();
  const related = [...new Set(links.relatedIds)].filter((r) => r !== id);
  if (related.length)
    await trx
      .insertInto('knowledge_related_articles')
      .values(related.map((related_id, position) => ({ article_id: id, related_id, position })))
      .execute();
}

/** The ids of articles by slug (the slugs that exist). */
export async function findArticleIdsBySlug(db: Q, slugs: readonly string[]): Promise<Map<string, number>> {
  if (slugs.length === 0) return new Map();
  const rows = await db
    .selectFrom('knowledge_articles')
    .select(['id', 'slug'])
    .where('slug', '=', sql<string>`any(${[...slugs]}::text[])`)
    .execute();
  return new Map(rows.map((r) => [r.slug, r.id]));
}

/** Commitment codes in the agreement's order ("8-2" before "11-1"). */
const byCode = (a: string, b: string): number => {
  const [aa = 0, an = 0] = a.split('-').map(Number);
  const [ba = 0, bn = 0] = b.split('-').map(Number);
  return aa - ba || an - bn;
};

/** What the audit trail keeps of an article: its values, with its links by commitment code and slug. */
export function auditedArticle(a: Omit<ArticleValues, 'commitmentIds' | 'relatedIds'> & { commitments: readonly string[]; related: readonly string[] }) {
  return {
    slug: a.slug,
    category: a.categoryKey,
    status: a.status,
    title: a.title,
    body: a.body,
    responsibleAgency: a.responsibleAgency,
    reviewOn: a.reviewOn,
    sources: a.sources,
    commitments: [...a.commitments].sort(byCode),
    related: [...a.related],
  };
}

/** Article ids after the given one, a batch at a time (for rebuilding the search index). */
export async function findArticleIds(db: Q, afterId: number, limit: number): Promise<number[]> {
  const rows = await db.selectFrom('knowledge_articles').select('id').where('id', '>', afterId).orderBy('id').limit(limit).execute();
  return rows.map((r) => r.id);
}

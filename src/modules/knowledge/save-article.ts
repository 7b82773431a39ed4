import type { Kysely } from 'kysely';
import { type Actor, audit, diff, type RequestInfo } from '../../platform/audit/audit.ts';
import { authorize } from '../../platform/auth/authorize.ts';
import type { Principal } from '../../platform/auth/roles.ts';
import type { Database } from '../../platform/db/schema.ts';
import type { ArticleSource, ArticleStatus } from './tables.ts';
import { Choice, Day, type FieldError, Fields, type FieldsOf, type FormResult, hasErrors, localizedFields, localizedValue, Optional, Text } from '../../platform/http/forms.ts';
import { findOrganisations } from '../organisations/index.ts';
import { commitmentCode, findCommitments } from '../agreements/index.ts';
import { indexArticle } from './index-articles.ts';
import { type Article, type ArticleValues, auditedArticle, findArticle, findArticleIdsBySlug, findCategories, insertArticle, setArticleLinks, slugExists, updateArticle } from './queries.ts';
import { AGREEMENT_ID, ARTICLE_STATUSES, SOURCE_DATE, SOURCE_URL } from './schemas.ts';

export const ARTICLE_FORM = Fields({
  slug: Optional(Text(100)),
  ...localizedFields('title', 200),
  ...localizedFields('body', 50_000),
  category: Text(100),
  status: Choice(ARTICLE_STATUSES),
  responsibleAgency: Text(64),
  reviewOn: Day(),
  related: Optional(Text(5_000)),
  sources: Optional(Text(20_000)),
});

type ArticleFields = FieldsOf<typeof ARTICLE_FORM> | 'commitments';
type Errors = Partial<Record<ArticleFields, FieldError>>;

const SLUG = /^[a-z0-9]+(-[a-z0-9]+)*$/;
const MAX_SOURCES = 30;

/** Sources as the form shows them: one a line, "publisher | title | date | url". */
export function formatSources(sources: readonly ArticleSource[]): string {
  return sources.map((s) => [s.publisher, s.title, s.date, ...(s.url ? [s.url] : [])].join(' | ')).join('\n');
}

/** The sources typed one a line, or undefined if a line is not "publisher | title | date [| url]". */
function parseSources(text: string): ArticleSource[] | undefined {
  const lines = text
    .split('\n')
    .map((l) => l.trim())
    .filter(Boolean);
  if (lines.length > MAX_SOURCES) return undefined;
  const sources: ArticleSource[] = [];
  for (const line of lines) {
    const [publisher = '', title = '', date = '', url, ...rest] = line.split('|').map((part) => part.trim());
    if (rest.length || !publisher || !title || !SOURCE_DATE.test(date) || (url && !SOURCE_URL.test(url))) return undefined;
    sources.push({ publisher, title, date, ...(url ? { url } : {}) });
  }
  return sources;
}

/** The slugs typed one a line (commas and spaces also separate them). */
const parseSlugs = (text: string): string[] => [...new Set(text.split(/[\s,，、]+/).filter(Boolean))];

/** The agencies an article can be assigned to: government bodies of either side. */
export async function agencyOptions(db: Kysely<Database>) {
  return (await findOrganisations(db)).filter((o) => o.side === 'hong-kong' || o.side === 'zhejiang');
}

/**
 * Creates an article or changes one, with its links, its search document and its audit record in
 * one transaction. Every field is checked; the agency made responsible must be one the person may
 * manage articles for.
 */
export async function saveArticle(options: {
  db: Kysely<Database>;
  principal: Principal;
  existing?: Article;
  form: FormResult<FieldsOf<typeof ARTICLE_FORM>>;
  commitments: string[];
  actor: Actor;
  request: RequestInfo;
}): Promise<{ ok: true; id: number } | { ok: false; errors: Errors }> {
  const { db, existing } = options;
  const v = options.form.values;
  const errors: Errors = { ...options.form.errors };
  const slug = existing ? existing.slug : v.slug;
  if (!existing) {
    if (!slug) errors.slug = 'required';
    else if (!SLUG.test(slug)) errors.slug = 'invalid_id';
    else if (await slugExists(db, slug)) errors.slug = 'knowledge_slug_taken';
  }
  const title = localizedValue(v, 'title');
  const body = localizedValue(v, 'body');
  if (!errors.titleHant && Object.keys(title).length === 0) errors.titleHant = 'one_language_required';
  if (!errors.bodyHant && Object.keys(body).length === 0) errors.bodyHant = 'one_language_required';
  const [categories, agencies, commitmentRows] = await Promise.all([findCategories(db), agencyOptions(db), findCommitments(db, AGREEMENT_ID)]);
  if (!errors.category && !categories.some((c) => c.key === v.category)) errors.category = 'invalid_choice';
  if (!errors.responsibleAgency) {
    if (!agencies.some((o) => o.id === v.responsibleAgency)) errors.responsibleAgency = 'invalid_choice';
    else if (!authorize(options.principal, 'article.manage', { responsibleAgency: v.responsibleAgency })) errors.responsibleAgency = 'knowledge_not_your_agency';
  }
  const commitmentIds = new Map(commitmentRows.map((c) => [commitmentCode(c), c.id]));
  if (options.commitments.some((code) => !commitmentIds.has(code))) errors.commitments = 'invalid_choice';
  const relatedSlugs = parseSlugs(v.related);
  const related = await findArticleIdsBySlug(db, relatedSlugs);
  if (!errors.related && relatedSlugs.some((s) => !related.has(s) || s === slug)) errors.related = 'knowledge_unknown_articles';
  const sources = parseSources(v.sources);
  if (!errors.sources && !sources) errors.sources = 'knowledge_invalid_sources';
  if (hasErrors(errors)) return { ok: false, errors };

  const values: ArticleValues = {
    slug,
    categoryKey: v.category,
    status: v.status as ArticleStatus,
    title,
    body,
    responsibleAgency: v.responsibleAgency,
    reviewOn: v.reviewOn,
    sources: sources ?? [],
    commitmentIds: options.commitments.map((code) => commitmentIds.get(code) as number),
    relatedIds: relatedSlugs.map((s) => related.get(s) as number),
  };
  const id = await db.transaction().execute(async (trx) => {
    const updatedBy = { updatedBy: options.principal.user.id };
    const articleId = existing ? existing.id : await insertArticle(trx, values, { origin: 'platform', seedSha256: null, ...updatedBy });
    if (existing) await updateArticle(trx, articleId, values, updatedBy);
    await setArticleLinks(trx, articleId, values);
    const saved = (await findArticle(trx, { id: articleId })) as Article;
    await indexArticle(trx, saved, categories);
    await audit(trx, {
      actor: options.actor,
      action: existing ? 'article.updated' : 'article.created',
      entity: { type: 'article', id: slug },
      changes: diff(existing ? auditedArticle(existing) : null, auditedArticle(saved)),
      request: options.request,
    });
    return articleId;
  });
  return { ok: true, id };
}

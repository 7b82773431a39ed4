import { createHash } from 'node:crypto';
import fs from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import type { TSchema } from '@sinclair/typebox';
import { Value } from '@sinclair/typebox/value';
import type { Kysely, Transaction } from 'kysely';
import { type Actor, audit, diff } from '../../platform/audit/audit.ts';
import type { Database } from '../../platform/db/schema.ts';
import { isDate } from '../../platform/http/forms.ts';
import { LOCALES, type LocalizedText } from '../../platform/i18n/locales.ts';
import { findOrganisations } from '../organisations/index.ts';
import { commitmentCode, findCommitments } from '../agreements/index.ts';
import { indexedKeys } from '../../platform/search/index.ts';
import { ARTICLE_KIND, indexArticle } from './index-articles.ts';
import {
  type Article,
  type ArticleValues,
  type Category,
  auditedArticle,
  findArticle,
  findArticleOrigins,
  findCategories,
  insertArticle,
  saveCategory,
  setArticleLinks,
  setCategoryParent,
  updateArticle,
} from './queries.ts';
import { AGREEMENT_ID, type ArticleMeta, ArticleMetaSchema, type CategoryFileEntry, CategoryFileSchema } from './schemas.ts';

export const KNOWLEDGE_DIR = fileURLToPath(new URL('../../../data/knowledge/', import.meta.url));

/** An article as its folder holds it: meta.json, and one Markdown file a language starting with "# Title". */
interface ArticleFile {
  slug: string;
  folder: string;
  meta: ArticleMeta;
  title: LocalizedText;
  /** Markdown, without the title line. */
  body: LocalizedText;
  /** Changes whenever any of the folder's files does. */
  sha256: string;
}

export interface KnowledgeFiles {
  categories: CategoryFileEntry[];
  articles: ArticleFile[];
}

/** A problem in data/knowledge, naming the file: the start stops until it is fixed. */
class KnowledgeFileError extends Error {}

const SLUG = /^[a-z0-9]+(-[a-z0-9]+)*$/;

/** A JSON file checked against its schema, and its text as read. */
function readJson(file: string, schema: TSchema): { value: unknown; text: string } {
  if (!fs.existsSync(file)) throw new KnowledgeFileError(`${file}: missing`);
  const text = fs.readFileSync(file, 'utf8');
  let value: unknown;
  try {
    value = JSON.parse(text);
  } catch (error) {
    throw new KnowledgeFileError(`${file}: ${(error as Error).message}`);
  }
  const first = Value.Errors(schema, value).First();
  if (first) throw new KnowledgeFileError(`${file}: ${first.path || 'the file'} ${first.message}`);
  return { value, text };
}

/** "# Title" on the first line, then the body. */
export function splitTitle(file: string, source: string): { title: string; body: string } {
  const text = source.replace(/^\uFEFF/, '').replace(/\r\n?/g, '\n');
  const match = /^#[ \t]+(.+?)[ \t#]*(?:\n|$)/.exec(text);
  if (!match?.[1]) throw new KnowledgeFileError(`${file}: must start with a title line, "# Title"`);
  const body = text.slice(match[0].length).trim();
  if (!body) throw new KnowledgeFileError(`${file}: has a title but no text`);
  return { title: match[1].trim(), body };
}

function readArticle(folder: string): ArticleFile {
  const slug = path.basename(folder);
  if (!SLUG.test(slug) || slug.length > 100) throw new KnowledgeFileError(`${folder}: a folder name must be lower-case letters, digits and single hyphens (at most 100)`);
  const metaFile = path.join(folder, 'meta.json');
  const { value, text: metaText } = readJson(metaFile, ArticleMetaSchema);
  const meta = value as ArticleMeta;
  if (!isDate(meta.reviewOn)) throw new KnowledgeFileError(`${metaFile}: reviewOn ${meta.reviewOn} is not a real date`);
  const title: LocalizedText = {};
  const body: LocalizedText = {};
  const hash = createHash('sha256').update(metaText);
  for (const locale of LOCALES) {
    const file = path.join(folder, `${locale}.md`);
    if (!fs.existsSync(file)) continue;
    const source = fs.readFileSync(file, 'utf8');
    hash.update(`\n${locale}\n`).update(source);
    const parts = splitTitle(file, source);
    title[locale] = parts.title;
    body[locale] = parts.body;
  }
  if (Object.keys(title).length === 0) throw new KnowledgeFileError(`${folder}: has no text (zh-Hant.md, zh-Hans.md or en.md)`);
  return { slug, folder, meta, title, body, sha256: hash.digest('hex') };
}

/** Reads and checks the files on their own (references to the database are checked when loading). */
export function readKnowledgeFiles(dir = KNOWLEDGE_DIR): KnowledgeFiles {
  const categoriesFile = path.join(dir, 'categories.json');
  const categories = readJson(categoriesFile, CategoryFileSchema).value as CategoryFileEntry[];
  const keys = new Set<string>();
  for (const c of categories) {
    if (keys.has(c.key)) throw new KnowledgeFileError(`${categoriesFile}: the category ${c.key} is listed twice`);
    keys.add(c.key);
  }
  for (const c of categories) if (c.parent && !keys.has(c.parent)) throw new KnowledgeFileError(`${categoriesFile}: ${c.key} names an unknown parent ${c.parent}`);
  const articlesDir = path.join(dir, 'articles');
  const folders = fs.existsSync(articlesDir)
    ? fs
        .readdirSync(articlesDir, { withFileTypes: true })
        .filter((e) => e.isDirectory())
        .map((e) => path.join(articlesDir, e.name))
        .sort()
    : [];
  const articles = folders.map(readArticle);
  const slugs = new Set(articles.map((a) => a.slug));
  for (const a of articles) {
    const metaFile = path.join(a.folder, 'meta.json');
    if (!keys.has(a.meta.category)) throw new KnowledgeFileError(`${metaFile}: unknown category ${a.meta.category} (see ${categoriesFile})`);
    const unknown = a.meta.related.filter((r) => !slugs.has(r) || r === a.slug);
    if (unknown.length) throw new KnowledgeFileError(`${metaFile}: unknown related article ${unknown.join(', ')} (a folder under ${articlesDir}, not the article itself)`);
  }
  return { categories, articles };
}

/** Checks what the files name in the database: agencies and commitments. */
function checkReferences(files: KnowledgeFiles, dir: string, known: { agencies: Set<string>; commitments: Map<string, number> }): void {
  const categoriesFile = path.join(dir, 'categories.json');
  for (const c of files.categories) {
    const unknown = c.commitments.filter((code) => !known.commitments.has(code));
    if (unknown.length) throw new KnowledgeFileError(`${categoriesFile}: ${c.key} names unknown commitment ${unknown.join(', ')} of ${AGREEMENT_ID}`);
  }
  for (const a of files.articles) {
    const metaFile = path.join(a.folder, 'meta.json');
    if (!known.agencies.has(a.meta.responsibleAgency)) throw new KnowledgeFileError(`${metaFile}: unknown responsible agency ${a.meta.responsibleAgency} (see data/organisations/organisations.json)`);
    const unknown = a.meta.commitments.filter((code) => !known.commitments.has(code));
    if (unknown.length) throw new KnowledgeFileError(`${metaFile}: unknown commitment ${unknown.join(', ')} of ${AGREEMENT_ID}`);
  }
}

async function loadCategories(trx: Transaction<Database>, categories: CategoryFileEntry[]): Promise<void> {
  for (const [position, c] of categories.entries()) await saveCategory(trx, { key: c.key, position, name: c.name, commitments: c.commitments });
  for (const c of categories) await setCategoryParent(trx, c.key, c.parent);
}

const valuesOf = (a: ArticleFile, commitments: Map<string, number>): ArticleValues => ({
  slug: a.slug,
  categoryKey: a.meta.category,
  status: a.meta.status,
  title: a.title,
  body: a.body,
  responsibleAgency: a.meta.responsibleAgency,
  reviewOn: a.meta.reviewOn,
  sources: a.meta.sources,
  commitmentIds: a.meta.commitments.map((code) => commitments.get(code) as number),
  relatedIds: [],
});

export interface LoadResult {
  created: number;
  updated: number;
  /** Articles whose files changed but which officers have edited on the platform: the platform's version stays. */
  kept: string[];
}

/**
 * Loads the categories and the articles of data/knowledge/ (every start): adds new articles, updates
 * those whose files changed, each change audited; an article an officer edited on the platform keeps
 * the platform's version. Every article of the files is (re)indexed for search. Nothing is deleted.
 */
export async function loadKnowledge(options: { db: Kysely<Database>; actor: Actor; dir?: string; files?: KnowledgeFiles; progress?: (line: string) => void }): Promise<LoadResult> {
  const dir = options.dir ?? KNOWLEDGE_DIR;
  const files = options.files ?? readKnowledgeFiles(dir);
  return await options.db.transaction().execute(async (trx) => {
    const commitments = new Map((await findCommitments(trx, AGREEMENT_ID)).map((c) => [commitmentCode(c), c.id]));
    checkReferences(files, dir, { agencies: new Set((await findOrganisations(trx)).map((o) => o.id)), commitments });
    const tree = (categories: readonly Category[]) =>
      categories
        .map((c) => `${c.key}<${c.parentKey ?? ''}`)
        .sort()
        .join(' ');
    const treeBefore = tree(await findCategories(trx));
    await loadCategories(trx, files.categories);
    const existing = await findArticleOrigins(trx);
    const result: LoadResult = { created: 0, updated: 0, kept: [] };
    const written: { file: ArticleFile; id: number; previous: Article | undefined }[] = [];
    for (const file of files.articles) {
      const before = existing.get(file.slug);
      if (before?.seedSha256 === file.sha256) continue;
      if (before && (before.origin !== 'seed' || before.editedOnPlatform)) {
        result.kept.push(file.slug);
        options.progress?.(`  article ${file.slug}: its files changed, but it was edited on the platform; the platform's version is kept`);
        continue;
      }
      const values = valuesOf(file, commitments);
      const previous = before ? await findArticle(trx, { id: before.id }) : undefined;
      const id = before ? before.id : await insertArticle(trx, values, { origin: 'seed', seedSha256: file.sha256, updatedBy: null });
      if (before) await updateArticle(trx, id, values, { seedSha256: file.sha256 });
      written.push({ file, id, previous });
      existing.set(file.slug, { id, origin: 'seed', seedSha256: file.sha256, editedOnPlatform: false });
    }
    // Links and the audit trail once every article exists (related articles may come later in the files).
    for (const { file, id, previous } of written) {
      await setArticleLinks(trx, id, {
        commitmentIds: file.meta.commitments.map((code) => commitments.get(code) as number),
        relatedIds: file.meta.related.map((slug) => existing.get(slug)?.id as number),
      });
      const after = auditedArticle({ ...valuesOf(file, commitments), commitments: file.meta.commitments, related: file.meta.related });
      await audit(trx, {
        actor: options.actor,
        action: previous ? 'article.updated' : 'article.created',
        entity: { type: 'article', id: file.slug },
        changes: diff(previous ? auditedArticle(previous) : null, after),
      });
      if (previous) result.updated += 1;
      else result.created += 1;
    }
    // Search documents for the articles written now; all of them when the category tree changed (an
    // article's tags follow its category's line) and any the index lacks.
    const categories = await findCategories(trx);
    const everything = tree(categories) !== treeBefore;
    const writtenNow = new Set(written.map((w) => w.file.slug));
    const indexed = await indexedKeys(trx, ARTICLE_KIND);
    for (const file of files.articles) {
      if (!everything && !writtenNow.has(file.slug) && indexed.has(file.slug)) continue;
      const article = await findArticle(trx, { slug: file.slug });
      if (article) await indexArticle(trx, article, categories);
    }
    options.progress?.(
      `  knowledge base: ${files.categories.length} categories; articles ${result.created} added, ${result.updated} updated from the files, ${result.kept.length} kept as edited on the platform, ${files.articles.length - result.created - result.updated - result.kept.length} unchanged`,
    );
    return result;
  });
}

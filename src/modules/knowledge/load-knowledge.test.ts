import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { DATABASES, freshDatabaseEach } from '../../../test/databases.ts';
import { SYSTEM, verifyAuditTrail } from '../../platform/audit/audit.ts';
import { search } from '../../platform/search/index.ts';
import { KNOWLEDGE_DIR, type KnowledgeFiles, loadKnowledge, readKnowledgeFiles, splitTitle } from './load-knowledge.ts';
import { findArticle } from './queries.ts';

const folders = fs.readdirSync(path.join(KNOWLEDGE_DIR, 'articles'), { withFileTypes: true }).filter((e) => e.isDirectory());
const files = readKnowledgeFiles();

/** A copy of data/knowledge with one article folder written by the test. */
const scratch: string[] = [];
function knowledgeDirWith(slug: string, contents: Record<string, string>): string {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'knowledge-'));
  scratch.push(dir);
  fs.copyFileSync(path.join(KNOWLEDGE_DIR, 'categories.json'), path.join(dir, 'categories.json'));
  fs.mkdirSync(path.join(dir, 'articles', slug), { recursive: true });
  for (const [name, text] of Object.entries(contents)) fs.writeFileSync(path.join(dir, 'articles', slug, name), text);
  return dir;
}
afterAll(() => {
  for (const dir of scratch) fs.rmSync(dir, { recursive: true, force: true });
});

const meta = (changes: Record<string, unknown> = {}) =>
  JSON.stringify({ category: 'employment', responsibleAgency: 'zj-hrss', commitments: ['11-1'], related: [], reviewOn: '2027-06-30', status: 'public', sources: [], ...changes });

describe('the knowledge base files', () => {
  it('hold at least 25 articles, each with its text in the three languages, its sources and a known category', () => {
    expect(files.articles.length).toBe(folders.length);
    expect(files.articles.length).toBeGreaterThanOrEqual(25);
    for (const a of files.articles) {
      expect(Object.keys(a.title).sort(), a.slug).toEqual(['en', 'zh-Hans', 'zh-Hant']);
      expect(a.meta.sources.length, a.slug).toBeGreaterThan(0);
    }
  });

  it('start each text with its title line', () => {
    expect(splitTitle('zh-Hant.md', '\uFEFF# 申領港澳居民居住證 #\r\n\r\n## 適用對象\r\n\r\n在內地居住半年以上。\r\n')).toEqual({
      title: '申領港澳居民居住證',
      body: '## 適用對象\n\n在內地居住半年以上。',
    });
    expect(() => splitTitle('en.md', '# Only a title')).toThrow('en.md: has a title but no text');
    expect(() => splitTitle('en.md', '## Not a title line\n\ntext')).toThrow('en.md: must start with a title line');
  });

  it('are refused with the file named when something in them is wrong', () => {
    const cases: [Record<string, string>, RegExp][] = [
      [{ 'meta.json': meta({ category: 'no-such-topic' }), 'en.md': '# T\n\ntext' }, /meta\.json: unknown category no-such-topic/],
      [{ 'meta.json': meta({ related: ['no-such-article'] }), 'en.md': '# T\n\ntext' }, /meta\.json: unknown related article no-such-article/],
      [{ 'meta.json': meta({ reviewOn: '2027-02-30' }), 'en.md': '# T\n\ntext' }, /meta\.json: reviewOn 2027-02-30 is not a real date/],
      [{ 'meta.json': meta({ status: 'published' }), 'en.md': '# T\n\ntext' }, /meta\.json: \/status/],
      [{ 'meta.json': '{ not json', 'en.md': '# T\n\ntext' }, /meta\.json: .*JSON/],
      [{ 'meta.json': meta(), 'en.md': 'No title line\n\ntext' }, /en\.md: must start with a title line/],
      [{ 'meta.json': meta() }, /has no text/],
      [{ 'en.md': '# T\n\ntext' }, /meta\.json: missing/],
    ];
    for (const [contents, message] of cases) {
      const dir = knowledgeDirWith('broken-article', contents);
      expect(() => readKnowledgeFiles(dir)).toThrow(message);
      expect(() => readKnowledgeFiles(dir)).toThrow(path.join(dir, 'articles', 'broken-article'));
    }
  });
});

describe.each(DATABASES)('loading the knowledge base on %s', (kind) => {
  const t = freshDatabaseEach(kind);
  const db = () => t.db.kysely;

  it('has loaded every article folder at start, indexed for search, and loads nothing twice', async () => {
    const rows = await db().selectFrom('knowledge_articles').select(['slug', 'origin']).execute();
    expect(rows.map((r) => r.slug).sort()).toEqual(folders.map((f) => f.name).sort());
    expect(new Set(rows.map((r) => r.origin))).toEqual(new Set(['seed']));
    const indexed = await db().selectFrom('search_documents').select('key').where('kind', '=', 'article').execute();
    expect(indexed.length).toBe(files.articles.filter((a) => a.meta.status !== 'draft').length);

    const before = await db().selectFrom('audit_events').select('id').execute();
    expect(await loadKnowledge({ db: db(), actor: SYSTEM })).toEqual({ created: 0, updated: 0, kept: [] });
    expect(await db().selectFrom('audit_events').select('id').execute()).toHaveLength(before.length);
    expect(await db().selectFrom('knowledge_articles').select('id').execute()).toHaveLength(folders.length);
  });

  it('updates an article whose files changed, audited and re-indexed, unless an officer edited it on the platform', async () => {
    const [first, second] = files.articles as [KnowledgeFiles['articles'][number], KnowledgeFiles['articles'][number]];
    const changed = (a: typeof first, en: string) => ({ ...a, title: { ...a.title, en }, sha256: `${a.sha256}-changed` });
    // An officer edits the second article on the platform.
    await db()
      .updateTable('knowledge_articles')
      .set({ edited_on_platform: true, title: JSON.stringify({ en: 'Edited by an officer' }) })
      .where('slug', '=', second.slug)
      .execute();
    const progress: string[] = [];
    const result = await loadKnowledge({
      db: db(),
      actor: SYSTEM,
      files: { ...files, articles: files.articles.map((a) => (a === first ? changed(a, 'Zebra crossing rules') : a === second ? changed(a, 'From the files') : a)) },
      progress: (line) => progress.push(line),
    });
    expect(result).toEqual({ created: 0, updated: 1, kept: [second.slug] });
    expect(progress.join('\n')).toContain(`article ${second.slug}: its files changed, but it was edited on the platform; the platform's version is kept`);
    expect((await findArticle(db(), { slug: first.slug }))?.title.en).toBe('Zebra crossing rules');
    expect((await findArticle(db(), { slug: second.slug }))?.title).toEqual({ en: 'Edited by an officer' });
    const trail = await db().selectFrom('audit_events').select(['action', 'entity_id', 'changes']).where('action', '=', 'article.updated').execute();
    expect(trail).toEqual([{ action: 'article.updated', entity_id: first.slug, changes: { title: { before: first.title, after: { ...first.title, en: 'Zebra crossing rules' } } } }]);
    expect((await verifyAuditTrail(db())).broken).toBeUndefined();
    const found = await search(db(), { query: 'zebra crossing', kinds: ['article'], visibility: ['public', 'internal'] });
    expect(found.hits.map((h) => h.key)).toEqual([first.slug]);
  });

  it('restores a search document the index lost, and re-tags every article when the category tree changes', async () => {
    const article = files.articles.find((a) => a.meta.status === 'public') as KnowledgeFiles['articles'][number];
    const tagsOf = async (slug: string) => (await db().selectFrom('search_documents').select('tags').where('kind', '=', 'article').where('key', '=', slug).executeTakeFirst())?.tags;
    await db().deleteFrom('search_documents').where('kind', '=', 'article').where('key', '=', article.slug).execute();
    await loadKnowledge({ db: db(), actor: SYSTEM });
    expect(await tagsOf(article.slug)).toContain(`category:${article.meta.category}`);

    // The article's category moves under another top-level category: its tags carry the new line.
    const parent = files.categories.find(
      (c) => !c.parent && c.key !== article.meta.category && c.key !== files.categories.find((x) => x.key === article.meta.category)?.parent,
    ) as KnowledgeFiles['categories'][number];
    const moved = files.categories.map((c) => (c.key === article.meta.category ? { ...c, parent: parent.key } : c));
    await loadKnowledge({ db: db(), actor: SYSTEM, files: { ...files, categories: moved } });
    expect(await tagsOf(article.slug)).toEqual(expect.arrayContaining([`category:${article.meta.category}`, `category:${parent.key}`]));
  });

  it('names the file of an unknown agency or commitment, and loads nothing of it', async () => {
    for (const [changes, message] of [
      [{ responsibleAgency: 'no-such-agency' }, /meta\.json: unknown responsible agency no-such-agency/],
      [{ commitments: ['11-1', '13-9'] }, /meta\.json: unknown commitment 13-9 of zjhk-2023/],
    ] as const) {
      const dir = knowledgeDirWith('new-article', { 'meta.json': meta(changes), 'en.md': '# New\n\ntext' });
      await expect(loadKnowledge({ db: db(), actor: SYSTEM, dir })).rejects.toThrow(message);
      expect(await findArticle(db(), { slug: 'new-article' })).toBeUndefined();
    }
  });
});

import { beforeAll, describe, expect, it } from 'vitest';
import { signedInClient, testAppFor } from '../../../test/app.ts';
import type { TestClient } from '../../../test/client.ts';
import { DATABASES } from '../../../test/databases.ts';
import { SYSTEM } from '../../platform/audit/audit.ts';
import { readKnowledgeFiles } from './load-knowledge.ts';
import { knowledgeModule } from './module.ts';
import { findArticle } from './queries.ts';
import { formatSources } from './save-article.ts';

const files = readKnowledgeFiles();
/** A public article of the files and its responsible agency's officers. */
const sample = files.articles.find((a) => a.meta.status === 'public' && a.title.en && a.meta.responsibleAgency.startsWith('zj-') && a.meta.commitments.length === 1) as (typeof files.articles)[number];

/** The form of an article as a browser sends it, from its stored values (the sample has one commitment). */
function formOf(a: NonNullable<Awaited<ReturnType<typeof findArticle>>>, changes: Record<string, string> = {}): Record<string, string> {
  return {
    titleHant: a.title['zh-Hant'] ?? '',
    titleHans: a.title['zh-Hans'] ?? '',
    titleEn: a.title.en ?? '',
    bodyHant: a.body['zh-Hant'] ?? '',
    bodyHans: a.body['zh-Hans'] ?? '',
    bodyEn: a.body.en ?? '',
    category: a.categoryKey,
    status: a.status,
    responsibleAgency: a.responsibleAgency,
    reviewOn: a.reviewOn,
    related: a.related.join('\n'),
    sources: formatSources(a.sources),
    commitments: a.commitments[0] ?? '',
    ...changes,
  };
}

describe.each(DATABASES)('officers writing the knowledge base on %s', (kind) => {
  const t = testAppFor(kind);
  const db = () => t.database.db.kysely;
  const people: Record<string, TestClient> = {};
  const person = (key: string) => people[key] as TestClient;
  const get = (url: string) => t.app.inject({ method: 'GET', url });

  // The officers are signed in once, before any test, so each test finds them whatever ran first.
  beforeAll(async () => {
    people.owner = (await signedInClient(t, { email: 'owner@example.org', role: 'agency-officer', organisationId: sample.meta.responsibleAgency })).client;
    people.other = (await signedInClient(t, { email: 'other@example.org', role: 'agency-officer', organisationId: 'hk-fstb' })).client;
    people.coordinator = (await signedInClient(t, { email: 'coordinator@example.org', role: 'custodian-coordinator', organisationId: 'hk-cmab' })).client;
  });

  it('lets an officer of the responsible agency edit an answer: audited, re-indexed, the public page refreshed', async () => {
    const article = (await findArticle(db(), { slug: sample.slug })) as NonNullable<Awaited<ReturnType<typeof findArticle>>>;
    // The public page is cached for anonymous visitors before the change.
    expect((await get(`/en/help/articles/${sample.slug}`)).body).not.toContain('Platypus');
    const url = `/en/workspace/help/articles/${article.id}`;
    const form = await person('owner').get(url);
    expect(form.statusCode).toBe(200);
    expect(form.body).toContain('name="titleEn"');
    const saved = await person('owner').post(url, formOf(article, { titleEn: 'Platypus permits explained', bodyEn: '## Platypus\n\nA changed text.' }));
    expect(saved.statusCode).toBe(303);
    expect(saved.headers.location).toBe(`${url}?saved=1`);
    const after = await person('owner').get(`${url}?saved=1`);
    expect(after.body).toContain('Saved.');
    // The saved text is previewed, rendered.
    expect(after.body).toContain('<h4>Platypus</h4>');

    const row = await db().selectFrom('knowledge_articles').select(['edited_on_platform', 'updated_by']).where('id', '=', article.id).executeTakeFirstOrThrow();
    expect(row.edited_on_platform).toBe(true);
    expect(row.updated_by).not.toBeNull();
    const trail = await db().selectFrom('audit_events').select(['action', 'changes', 'actor_id', 'actor_label']).where('action', '=', 'article.updated').where('entity_id', '=', sample.slug).execute();
    expect(trail).toHaveLength(1);
    // The officer by account id, not by address.
    const owner = await db().selectFrom('users').select('id').where('email', '=', 'owner@example.org').executeTakeFirstOrThrow();
    expect(trail[0]).toMatchObject({ actor_id: owner.id, actor_label: null });
    expect(Object.keys(trail[0]?.changes ?? {}).sort()).toEqual(['body', 'title']);

    const page = await get(`/en/help/articles/${sample.slug}`);
    expect(page.body).toContain('<h1>Platypus permits explained</h1>');
    expect((await get('/en/help/search?q=platypus')).body).toContain(`href="/en/help/articles/${sample.slug}"`);

    // The files no longer replace the officer's version.
    const loaded = await knowledgeModule.seed?.({ db: t.database.db, config: t.ctx.config, actor: SYSTEM, now: t.ctx.now, print: () => {} });
    expect(loaded).toBeUndefined();
    expect((await findArticle(db(), { slug: sample.slug }))?.title.en).toBe('Platypus permits explained');
  });

  it('refuses another agency’s officer: the answer is shown read-only and a change is forbidden', async () => {
    const article = (await findArticle(db(), { slug: sample.slug })) as NonNullable<Awaited<ReturnType<typeof findArticle>>>;
    const url = `/en/workspace/help/articles/${article.id}`;
    const view = await person('other').get(url);
    expect(view.statusCode).toBe(200);
    expect(view.body).not.toContain('name="titleEn"');
    expect(view.body).toContain('Officers of the responsible agency, coordinators and administrators can change this article.');
    const refused = await person('other').post(url, formOf(article, { titleEn: 'Not allowed' }), { from: '/en/workspace/help' });
    expect(refused.statusCode).toBe(403);
    expect((await findArticle(db(), { slug: sample.slug }))?.title.en).not.toBe('Not allowed');
    // Nor may they make another agency responsible for a new answer.
    const foreign = await person('other').post('/en/workspace/help/articles/new', {
      slug: 'foreign-answer',
      titleEn: 'Foreign',
      bodyEn: 'Text',
      category: 'employment',
      status: 'draft',
      responsibleAgency: 'zj-hrss',
      reviewOn: '2027-06-30',
    });
    expect(foreign.statusCode).toBe(200);
    expect(foreign.body).toContain('You can make only your own agency responsible');
    expect(await findArticle(db(), { slug: 'foreign-answer' })).toBeUndefined();
  });

  it('keeps everything typed when the form has mistakes, each named beside its field', async () => {
    const typed = {
      slug: 'Not A Slug',
      titleHant: '試用期內的社保',
      bodyHant: '## 說明\n\n試用期內亦須參保。',
      category: 'employment',
      status: 'public',
      responsibleAgency: 'hk-fstb',
      reviewOn: '2027-02-30',
      related: 'no-such-answer',
      sources: '人社部 | 通知',
      commitments: '99-9',
    };
    const page = await person('other').post('/zh-hant/workspace/help/articles/new', typed);
    expect(page.statusCode).toBe(200);
    expect(page.body).toContain('請更正以下問題');
    for (const text of ['Not A Slug', '試用期內的社保', '試用期內亦須參保。', 'no-such-answer', '人社部 | 通知', '2027-02-30']) expect(page.body).toContain(text);
    expect(page.body).toContain('href="#field-slug"');
    expect(page.body).toContain('href="#field-reviewOn"');
    expect(page.body).toContain('href="#field-related"');
    expect(page.body).toContain('href="#field-sources"');
    expect(page.body).toContain('href="#field-commitments"');
    expect(page.body).not.toContain('href="#field-titleHant"');
    expect(await db().selectFrom('knowledge_articles').select('id').where('slug', 'ilike', 'not%').execute()).toHaveLength(0);
  });

  it('takes an answer from draft to internal to public: searched by officers first, then by everyone', async () => {
    const fields = {
      slug: 'wombat-allowance',
      titleEn: 'Wombat allowance',
      bodyEn: 'The wombat allowance is paid monthly.',
      category: 'social-insurance',
      status: 'draft',
      responsibleAgency: 'zj-hrss',
      reviewOn: '2020-01-31',
      commitments: '11-1',
      sources: '浙江省人力資源和社會保障廳 | 通知 | 2024-05 | https://rlsbt.zj.gov.cn/',
      related: sample.slug,
    };
    const created = await person('coordinator').post('/en/workspace/help/articles/new', fields);
    expect(created.statusCode).toBe(303);
    const url = String(created.headers.location).replace(/\?saved=1$/, '');
    const workspaceSearch = () => person('coordinator').get('/en/workspace/help?q=wombat');
    const publicSearch = () => get('/en/help/search?q=wombat');
    expect((await workspaceSearch()).body).not.toContain('Wombat allowance');
    expect((await get('/en/help/articles/wombat-allowance')).statusCode).toBe(404);

    expect((await person('coordinator').post(url, { ...fields, status: 'internal' })).statusCode).toBe(303);
    expect((await workspaceSearch()).body).toContain('Wombat allowance');
    expect((await publicSearch()).body).not.toContain('Wombat allowance');
    expect((await get('/en/help/articles/wombat-allowance')).statusCode).toBe(404);

    expect((await person('coordinator').post(url, { ...fields, status: 'public' })).statusCode).toBe(303);
    expect((await publicSearch()).body).toContain('href="/en/help/articles/wombat-allowance"');
    const page = (await get('/en/help/articles/wombat-allowance')).body;
    expect(page).toContain('<a href="https://rlsbt.zj.gov.cn/">通知</a>');
    expect(page).toContain(`href="/en/help/articles/${sample.slug}"`);
    expect((await get('/en/agreements/zjhk-2023/commitments/11-1')).body).toContain('href="/en/help/articles/wombat-allowance"');

    // Past its review date, it is flagged in the list.
    const due = await person('coordinator').get('/en/workspace/help?status=review-due');
    expect(due.body).toContain('Wombat allowance');
    expect(due.body).toContain('Review due');
    const drafts = await person('coordinator').get('/en/workspace/help?status=draft');
    expect(drafts.body).not.toContain('Wombat allowance');
    // The slug cannot be taken twice.
    const twice = await person('coordinator').post('/en/workspace/help/articles/new', fields);
    expect(twice.body).toContain('Another article has this address name');
  });

  it('rebuilds the search index of every article with `zjhk knowledge reindex`', async () => {
    // A public answer of this test's own (the wombat allowance above may not have been written yet).
    const created = await person('coordinator').post('/en/workspace/help/articles/new', {
      slug: 'quokka-grant',
      titleEn: 'Quokka grant',
      bodyEn: 'The quokka grant is paid yearly.',
      category: 'social-insurance',
      status: 'public',
      responsibleAgency: 'zj-hrss',
      reviewOn: '2027-06-30',
      commitments: '11-1',
      sources: '浙江省人力資源和社會保障廳 | 通知 | 2024-05 | https://rlsbt.zj.gov.cn/',
    });
    expect(created.statusCode).toBe(303);
    expect((await get('/en/help/search?q=quokka')).body).toContain('quokka-grant');
    await db().deleteFrom('search_documents').where('kind', '=', 'article').execute();
    expect((await get('/en/help/search?q=quokka')).body).not.toContain('quokka-grant');
    const output: string[] = [];
    const command = knowledgeModule.commands?.find((c) => c.name === 'knowledge');
    await command?.run({ db: t.database.db, config: t.ctx.config, actor: SYSTEM, now: t.ctx.now, print: (line) => output.push(line) }, ['reindex']);
    expect(output.join('\n')).toMatch(/articles: \d+ indexed, 0 drafts kept out of search/);
    expect((await get('/en/help/search?q=quokka')).body).toContain('quokka-grant');
    await expect(command?.run({ db: t.database.db, config: t.ctx.config, actor: SYSTEM, now: t.ctx.now, print: () => {} }, ['rebuild'])).rejects.toThrow('usage: zjhk knowledge reindex');
  });
});

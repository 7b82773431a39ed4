import { describe, expect, it } from 'vitest';
import { testAppFor } from '../../../test/app.ts';
import { DATABASES } from '../../../test/databases.ts';
import { findCategories } from './queries.ts';
import { readKnowledgeFiles } from './load-knowledge.ts';
import { saveTestArticle } from './testing.ts';

const files = readKnowledgeFiles();
/** A public article of the files, linked to commitment 11-1, with related articles. */
const sample = files.articles.find(
  (a) => a.meta.status === 'public' && a.meta.commitments.includes('11-1') && a.meta.related.length > 0 && a.meta.sources.some((s) => s.url),
) as (typeof files.articles)[number];

describe.each(DATABASES)('the knowledge base’s public pages on %s', (kind) => {
  const t = testAppFor(kind);
  const get = (url: string) => t.app.inject({ method: 'GET', url });
  const db = () => t.database.db.kysely;

  it('opens the one-stop service in three languages: search, topics with their counts, recent answers and the other services', async () => {
    for (const [prefix, title, topic] of [
      ['zh-hant', '一站式服務', '居住證及身份證明'],
      ['zh-hans', '一站式服务', '居住证及身份证明'],
      ['en', 'One-stop service', 'Residence permit and identity documents'],
    ] as const) {
      const page = await get(`/${prefix}/help`);
      expect(page.statusCode).toBe(200);
      expect(page.body).toContain(`<h1>${title}</h1>`);
      expect(page.body).toContain(`<a href="/${prefix}/help/categories/residence-permit">${topic}</a>`);
      expect(page.body).toContain(`action="/${prefix}/help/search"`);
      expect(page.body).toContain(`data-suggest="/${prefix}/help/suggest"`);
      for (const service of ['enquiries/new', 'track', 'suggestions/new']) expect(page.body).toContain(`href="/${prefix}/${service}"`);
      expect(page.body).toMatch(/<script src="\/assets\/knowledge\.[0-9a-f]+\.js" defer/);
    }
    const english = (await get('/en/help')).body;
    const residence = files.articles.filter((a) => a.meta.status === 'public' && a.meta.category === 'residence-permit').length;
    expect(english).toContain(`Residence permit and identity documents</a> <span class="count">${residence === 1 ? '1 answer' : `${residence} answers`}</span>`);
    // A parent topic counts its sub-topics' answers.
    const education = files.articles.filter((a) => a.meta.status === 'public' && a.meta.category.startsWith('education')).length;
    expect(english).toContain(`Education</a> <span class="count">${education === 1 ? '1 answer' : `${education} answers`}</span>`);
  });

  it('shows a topic with its sub-topics, answers and commitments, and refuses an unknown one', async () => {
    const page = await get('/en/help/categories/education');
    expect(page.statusCode).toBe(200);
    expect(page.body).toContain('href="/en/help/categories/education-schools"');
    expect(page.body).toContain('href="/en/agreements/zjhk-2023/commitments/5-1"');
    expect(page.body).toContain('href="/en/enquiries/new?topic=education"');
    const own = await get(`/zh-hant/help/categories/${sample.meta.category}`);
    expect(own.body).toContain(`href="/zh-hant/help/articles/${sample.slug}"`);
    expect((await get('/en/help/categories/no-such-topic')).statusCode).toBe(404);
  });

  it('shows an answer in each language with its agency, dates, sources, related answers, commitments and a way to ask', async () => {
    for (const [prefix, locale] of [
      ['zh-hant', 'zh-Hant'],
      ['zh-hans', 'zh-Hans'],
      ['en', 'en'],
    ] as const) {
      const page = await get(`/${prefix}/help/articles/${sample.slug}`);
      expect(page.statusCode).toBe(200);
      expect(page.body).toContain(`<h1>${escapeRegExp(sample.title[locale] as string)}</h1>`);
      expect(page.body).toContain(`href="/${prefix}/agreements/zjhk-2023/commitments/11-1"`);
      expect(page.body).toContain(`href="/${prefix}/enquiries/new?topic=${sample.meta.category}"`);
      expect(page.body).toContain(`href="/${prefix}/help/articles/${sample.meta.related[0]}"`);
      expect(page.body).toContain(`href="${escapeRegExp(sample.meta.sources.find((s) => s.url)?.url as string)}"`);
      expect(page.body).not.toContain('class="language-note"');
    }
    const english = (await get(`/en/help/articles/${sample.slug}`)).body;
    expect(english).toContain('Responsible agency');
    expect(english).toContain('Next review');
    expect(english).toContain('Did this answer your question?');
    expect((await get('/en/help/articles/no-such-answer')).statusCode).toBe(404);
  });

  it('hides drafts and internal answers from the public everywhere', async () => {
    const categories = await findCategories(db());
    for (const status of ['draft', 'internal'] as const) {
      const slug = `hidden-${status}`;
      await saveTestArticle(db(), categories, { slug, status, title: { en: `Quokka ${status} answer` }, body: { en: 'Quokka text.' }, commitments: ['11-2'] });
      expect((await get(`/en/help/articles/${slug}`)).statusCode).toBe(404);
    }
    t.ctx.invalidate();
    expect((await get('/en/help/search?q=quokka')).body).toContain('No answers found for “quokka”.');
    expect(JSON.parse((await get('/en/help/suggest?q=quokka')).body).suggestions).toEqual([]);
    expect((await get('/en/agreements/zjhk-2023/commitments/11-2')).body).not.toContain('Quokka');
  });

  it('shows an answer written in one script in the other, converted and marked, and in its own language where there is no translation', async () => {
    const categories = await findCategories(db());
    await saveTestArticle(db(), categories, { slug: 'only-traditional', title: { 'zh-Hant': '跨境理財通南向通開戶' }, body: { 'zh-Hant': '## 開戶條件\n\n在內地銀行開立跨境理財通帳戶。' } });
    const simplified = (await get('/zh-hans/help/articles/only-traditional')).body;
    expect(simplified).toContain('<h1>跨境理财通南向通开户</h1>');
    expect(simplified).toContain('本解答由繁體中文版本经计算机自动转换，以原文为准。');
    expect(simplified).toContain('<h2>开户条件</h2>');
    const english = (await get('/en/help/articles/only-traditional')).body;
    expect(english).toContain('<h1 lang="zh-Hant-HK">跨境理財通南向通開戶</h1>');
    expect(english).toContain('This answer is available in 繁體中文 only.');
  });

  it('finds a Traditional answer with a Simplified query (and the reverse), matches marked, with mixed Chinese and English', async () => {
    const categories = await findCategories(db());
    await saveTestArticle(db(), categories, {
      slug: 'wealth-connect',
      title: { 'zh-Hant': '跨境理財通投資者資格', en: 'Cross-boundary Wealth Management Connect' },
      body: { 'zh-Hant': '投資者須在粵港澳大灣區內地城市開立帳戶。' },
    });
    await saveTestArticle(db(), categories, { slug: 'simplified-only', title: { 'zh-Hans': '跨境电商卖家登记' }, body: { 'zh-Hans': '跨境电商卖家须办理市场主体登记。' } });
    const simplified = await get(`/zh-hans/help/search?q=${encodeURIComponent('理财通 投资者')}`);
    expect(simplified.statusCode).toBe(200);
    expect(simplified.body).toContain('href="/zh-hans/help/articles/wealth-connect"');
    expect(simplified.body).toMatch(/<mark>[^<]*理财[^<]*<\/mark>/);
    const traditional = await get(`/zh-hant/help/search?q=${encodeURIComponent('電商賣家')}`);
    expect(traditional.body).toContain('href="/zh-hant/help/articles/simplified-only"');
    expect(traditional.body).toMatch(/<mark>[^<]*電商[^<]*<\/mark>/);
    const mixed = await get(`/en/help/search?q=${encodeURIComponent('理財通 wealth')}`);
    expect(mixed.body).toContain('href="/en/help/articles/wealth-connect"');
    expect(mixed.body).toMatch(/<mark>[^<]*Wealth[^<]*<\/mark>/);
    // Within a topic (and its sub-topics) only.
    const elsewhere = await get(`/en/help/search?q=${encodeURIComponent('理財通 wealth')}&category=education`);
    expect(elsewhere.body).not.toContain('wealth-connect');
  });

  it('pages through many results, ten at a time', async () => {
    const query = encodeURIComponent('香港居民');
    const first = await get(`/zh-hant/help/search?q=${query}`);
    const total = Number(/共有 (\d+) 篇解答/.exec(first.body)?.[1]);
    expect(total).toBeGreaterThan(10);
    const items = (body: string) => body.match(/<li><h3>/g)?.length ?? 0;
    expect(items(first.body)).toBe(10);
    expect(first.body).toContain(`<a rel="next" href="/zh-hant/help/search?q=${query}&amp;page=2">`);
    expect(first.body).toContain(`第 1 頁，共 ${Math.ceil(total / 10)} 頁`);
    const last = await get(`/zh-hant/help/search?q=${query}&page=${Math.ceil(total / 10)}`);
    expect(items(last.body)).toBe(total % 10 || 10);
    expect(last.body).toContain('rel="prev"');
    expect(last.body).not.toContain('rel="next"');
    expect(last.body).toContain(`start="${(Math.ceil(total / 10) - 1) * 10 + 1}"`);
  });

  it('says what to try when nothing is found, with a way to ask', async () => {
    const page = await get('/zh-hant/help/search?q=zzqqxxyy&category=employment');
    expect(page.statusCode).toBe(200);
    expect(page.body).toContain('找不到與「zzqqxxyy」相關的解答。');
    expect(page.body).toContain('搜尋提示');
    expect(page.body).toContain('href="/zh-hant/enquiries/new?topic=employment"');
    expect((await get('/en/help/search')).body).toContain('Type what you are looking for');
    expect((await get('/en/help/search?page=0')).statusCode).toBe(400);
  });

  it('suggests up to eight answers while typing, as JSON in the page’s language', async () => {
    const response = await get(`/zh-hans/help/suggest?q=${encodeURIComponent('居住证')}`);
    expect(response.statusCode).toBe(200);
    expect(response.headers['content-type']).toContain('application/json');
    const answer = JSON.parse(response.body) as { query: string; status: string; suggestions: { title: string; url: string }[] };
    expect(answer.query).toBe('居住证');
    expect(answer.suggestions.length).toBeGreaterThan(0);
    expect(answer.suggestions.length).toBeLessThanOrEqual(8);
    for (const s of answer.suggestions) expect(s.url).toMatch(/^\/zh-hans\/help\/articles\/[a-z0-9-]+$/);
    expect(answer.suggestions.map((s) => s.title).join('')).toContain('居住证');
    expect(answer.status).toContain(String(answer.suggestions.length));
    expect(JSON.parse((await get('/en/help/suggest?q=')).body)).toEqual({ query: '', status: 'No suggestions', suggestions: [] });
  });

  it('lists the public answers linked to a commitment on its page', async () => {
    const page = await get('/en/agreements/zjhk-2023/commitments/11-1');
    expect(page.body).toContain('<h2 id="policy-answers">Policy answers</h2>');
    expect(page.body).toContain(`href="/en/help/articles/${sample.slug}"`);
    const unlinked = await get('/en/agreements/zjhk-2023/commitments/2-1');
    expect(unlinked.body).not.toContain('policy-answers');
  });
});

function escapeRegExp(text: string): string {
  return text.replace(/&/g, '&amp;').replace(/</g, '&lt;').replace(/>/g, '&gt;').replace(/"/g, '&quot;');
}

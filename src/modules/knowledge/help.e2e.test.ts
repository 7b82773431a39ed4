// The one-stop service in a browser: the search box's suggestions (keyboard and screen reader
// semantics), the same search without scripts, and axe on every page type of the knowledge base.
import type { AddressInfo } from 'node:net';
import { describe, expect, it } from 'vitest';
import { signedInClient, testAppFor } from '../../../test/app.ts';
import { DATABASES } from '../../../test/databases.ts';
import { axeViolations, browserForFile } from '../../../test/e2e/browser.ts';
import { SESSION_COOKIE } from '../../platform/auth/sessions.ts';
import { readKnowledgeFiles } from './load-knowledge.ts';

const sample = readKnowledgeFiles().articles.find((a) => a.meta.status === 'public' && a.meta.related.length > 0) as { slug: string };

// One browser for the file, shared by both databases' runs.
const browser = browserForFile();

describe.each(DATABASES)('the one-stop service in a browser on %s', (kind) => {
  const t = testAppFor(kind);
  const base = async () => {
    if (!t.app.server.listening) await t.app.listen({ port: 0, host: '127.0.0.1' });
    return `http://127.0.0.1:${(t.app.server.address() as AddressInfo).port}`;
  };

  it('suggests answers while typing, chosen with the keyboard', async () => {
    const url = await base();
    const context = await browser().newContext();
    const page = await context.newPage();
    await page.goto(`${url}/zh-hans/help`);
    const input = page.locator('#help-q');
    await expect.poll(() => input.getAttribute('role')).toBe('combobox');
    await input.fill('居住证');
    const options = page.locator('#help-q-listbox [role="option"]');
    await expect.poll(() => options.count()).toBeGreaterThan(0);
    expect(await input.getAttribute('aria-expanded')).toBe('true');
    expect(await page.locator('#help-q-status').textContent()).toMatch(/有 \d+ 个建议/);
    expect(await options.count()).toBeLessThanOrEqual(8);

    await input.press('ArrowDown');
    const first = options.first();
    expect(await first.getAttribute('aria-selected')).toBe('true');
    expect(await input.getAttribute('aria-activedescendant')).toBe(await first.getAttribute('id'));
    await input.press('ArrowUp');
    expect(await options.last().getAttribute('aria-selected')).toBe('true');
    await input.press('Escape');
    expect(await input.getAttribute('aria-expanded')).toBe('false');
    expect(await page.locator('#help-q-listbox').isHidden()).toBe(true);

    await input.press('ArrowDown');
    const target = await first.getAttribute('data-url');
    await Promise.all([page.waitForURL(`${url}${target}`), input.press('Enter')]);
    expect(await page.locator('h1').textContent()).toBeTruthy();
    await context.close();
  });

  it('searches without scripts too: the form simply submits', async () => {
    const url = await base();
    const context = await browser().newContext({ javaScriptEnabled: false });
    const page = await context.newPage();
    await page.goto(`${url}/zh-hant/help`);
    await page.fill('#help-q', '住房公积金');
    await Promise.all([page.waitForURL(/\/zh-hant\/help\/search\?q=/), page.press('#help-q', 'Enter')]);
    expect(await page.locator('ol.search-results li').count()).toBeGreaterThan(0);
    expect(await page.locator('ol.search-results mark').count()).toBeGreaterThan(0);
    await context.close();
  });

  // The markup does not depend on the database: the embedded run checks it (as the journeys' axe checks
  // do), and the PostgreSQL run has no such test rather than a skipped one.
  if (kind !== 'pglite') return;
  it('passes axe on every page of the knowledge base, public and for officers', async () => {
    const url = await base();
    const { client } = await signedInClient(t, { email: 'coordinator@example.org', role: 'custodian-coordinator', organisationId: 'hk-cmab' });
    const context = await browser().newContext();
    await context.addCookies([{ name: SESSION_COOKIE, value: client.cookies.get(SESSION_COOKIE) as string, url }]);
    const page = await context.newPage();
    const problems: string[] = [];
    const id = (await t.database.db.kysely.selectFrom('knowledge_articles').select('id').where('slug', '=', sample.slug).executeTakeFirstOrThrow()).id;
    for (const path of [
      '/zh-hant/help',
      '/zh-hans/help/categories/education',
      `/en/help/articles/${sample.slug}`,
      `/zh-hans/help/search?q=${encodeURIComponent('居住证')}`,
      '/en/help/search?q=zzqqxxyy',
      '/en/workspace/help',
      '/zh-hant/workspace/help/articles/new',
      `/en/workspace/help/articles/${id}`,
    ]) {
      const response = await page.goto(`${url}${path}`);
      expect(response?.status(), path).toBe(200);
      problems.push(...(await axeViolations(page, path)));
    }
    // A form with mistakes, as it comes back.
    await page.goto(`${url}/en/workspace/help/articles/new`);
    await page.fill('#field-slug', 'Bad Slug');
    await Promise.all([page.waitForResponse((r) => r.request().method() === 'POST'), page.click('main form[method="post"] button[type="submit"]')]);
    await page.waitForLoadState('load');
    expect(await page.locator('.error-summary').count()).toBe(1);
    problems.push(...(await axeViolations(page, 'article form with errors')));
    expect(problems).toEqual([]);
    await context.close();
  });
});

// The agreement's pages in a real browser: the scenarios each database's server is checked for
// (agreement.e2e.test.ts runs them) and axe on every page type (agreement-accessibility.e2e.test.ts):
// two files, so that the test run's two workers share the work.
import type { Browser, BrowserContextOptions, Page } from 'playwright-core';
import { describe, expect, test } from 'vitest';
import { axeViolations } from './browser.ts';
import type { RunningServer } from './server.ts';

export const AGREEMENT = '/agreements/zjhk-2023';

const LANGS = [
  { prefix: 'zh-hant', htmlLang: 'zh-Hant-HK', autonym: '繁體中文' },
  { prefix: 'zh-hans', htmlLang: 'zh-Hans-CN', autonym: '简体中文' },
  { prefix: 'en', htmlLang: 'en', autonym: 'English' },
] as const;

type Prefix = (typeof LANGS)[number]['prefix'];

/**
 * Every page type, as a path below the language prefix, and the languages axe checks it in: the home
 * page and the agreement's pages in all three (the agreement's texts, and the notes on which text is
 * official, differ by language); the others, whose markup is the same in every language, in one each,
 * the languages taking turns. Every page is fetched in every language.
 */
const PAGE_TYPES: readonly { name: string; path: string; axeIn: 'all' | Prefix }[] = [
  { name: 'home', path: '/', axeIn: 'all' },
  { name: 'list', path: '/agreements', axeIn: 'all' },
  { name: 'overview', path: AGREEMENT, axeIn: 'all' },
  { name: 'area', path: `${AGREEMENT}/areas/3`, axeIn: 'all' },
  { name: 'commitment', path: `${AGREEMENT}/commitments/1-7`, axeIn: 'all' },
  { name: 'compare', path: `${AGREEMENT}/compare?left=zh-Hant&right=en&area=1`, axeIn: 'all' },
  { name: 'print', path: `${AGREEMENT}/print`, axeIn: 'all' },
  { name: 'accessibility', path: '/accessibility', axeIn: 'en' },
  // Its English descriptions are marked as English: checked where that matters, on a Chinese page.
  { name: 'api-docs', path: '/api-docs', axeIn: 'zh-hant' },
  { name: 'sign-in', path: '/login', axeIn: 'zh-hans' },
  { name: 'register', path: '/register', axeIn: 'en' },
  { name: 'forgot-password', path: '/forgot-password', axeIn: 'zh-hant' },
  { name: 'reset-password', path: '/reset-password?token=unknown', axeIn: 'zh-hans' },
  { name: '404', path: '/nope', axeIn: 'en' },
];

// ---------------------------------------------------------------------------------------------
// One browser for a file (browserForFile); a new context (and so fresh cookies) for every test.

/** Runs with a page of a new context of the file's browser, closed afterwards. */
export function pagesOf(browser: () => Browser) {
  return async function withPage<T>(options: BrowserContextOptions, run: (page: Page) => Promise<T>): Promise<T> {
    const context = await browser().newContext(options);
    try {
      return await run(await context.newPage());
    } finally {
      await context.close();
    }
  };
}

const pathOf = (page: Page): string => new URL(page.url()).pathname;
const htmlLang = (page: Page): Promise<string | null> => page.locator('html').getAttribute('lang');

/** Parses a Content-Security-Policy header into directive → sources. */
function parseCsp(header: string): Map<string, string[]> {
  const directives = new Map<string, string[]>();
  for (const part of header.split(';')) {
    const [name, ...sources] = part.trim().split(/\s+/);
    if (name) directives.set(name.toLowerCase(), sources);
  }
  return directives;
}

// ---------------------------------------------------------------------------------------------
// The scenarios, run once per database.

/**
 * What each database's server is checked for. `walkIn`: the language in which a reader walks through
 * all 42 commitments in the browser (the databases take different ones; the chain in every language,
 * on both databases, is walked over HTTP by the agreements module's own tests, routes.test.ts).
 */
export function scenarios(browser: () => Browser, server: () => RunningServer, options: { walkIn: Prefix }): void {
  const withPage = pagesOf(browser);
  const url = (path: string): string => `${server().baseUrl}${path}`;

  test('a. / redirects by Accept-Language: en → /en/, zh-CN → /zh-hans/, no preference → /zh-hant/', async () => {
    const cases: { options: BrowserContextOptions; expected: string; lang: string }[] = [
      { options: { locale: 'en-GB' }, expected: '/en/', lang: 'en' },
      { options: { locale: 'zh-CN' }, expected: '/zh-hans/', lang: 'zh-Hans-CN' },
      { options: { extraHTTPHeaders: { 'accept-language': '' } }, expected: '/zh-hant/', lang: 'zh-Hant-HK' },
    ];
    for (const { options, expected, lang } of cases) {
      await withPage(options, async (page) => {
        const response = await page.goto(url('/'));
        expect(response?.status(), `${JSON.stringify(options)}: status`).toBe(200);
        expect(pathOf(page), JSON.stringify(options)).toBe(expected);
        expect(await htmlLang(page)).toBe(lang);
      });
    }
  });

  test('b. the overview in 繁體中文 shows title, expired status and 12 areas; the switcher keeps the page', async () => {
    await withPage({}, async (page) => {
      await page.goto(url(`/zh-hant${AGREEMENT}`));
      expect(await htmlLang(page)).toBe('zh-Hant-HK');
      await expect(page.locator('main h1').textContent()).resolves.toBe('香港特別行政區政府、浙江省人民政府共同推進高質量發展合作協議');
      const status = page.locator('main p.status').first();
      expect(await status.isVisible()).toBe(true);
      expect(await status.textContent()).toMatch(/^已期滿：已過 [\d,]+ 天$/);
      expect(await page.locator('ol.area-list > li').count()).toBe(12);

      // To English with the switcher.
      const switcher = page.locator('nav.languages');
      expect(await switcher.locator('[aria-current="true"]').textContent()).toBe('繁體中文');
      await Promise.all([page.waitForURL(url(`/en${AGREEMENT}`)), switcher.getByRole('link', { name: 'English' }).click()]);
      expect(pathOf(page)).toBe(`/en${AGREEMENT}`);
      expect(await htmlLang(page)).toBe('en');
      expect(await page.locator('main p.status').first().textContent()).toMatch(/^Expired [\d,]+ days? ago$/);
      expect(
        await page
          .getByText(/^Expired/)
          .first()
          .isVisible(),
      ).toBe(true);
      expect(await page.locator('ol.area-list > li').count()).toBe(12);

      // To Simplified Chinese.
      await Promise.all([page.waitForURL(url(`/zh-hans${AGREEMENT}`)), page.locator('nav.languages').getByRole('link', { name: '简体中文' }).click()]);
      expect(pathOf(page)).toBe(`/zh-hans${AGREEMENT}`);
      expect(await htmlLang(page)).toBe('zh-Hans-CN');
      expect(await page.locator('main h1').textContent()).toBe('香港特别行政区政府、浙江省人民政府共同推进高质量发展合作协议');
      expect(await page.locator('main p.status').first().textContent()).toMatch(/^已期满：已过 [\d,]+ 天$/);
    });
  });

  test('c. area → commitment 1-7 → next 2-1 → prev 1-7; 1-1 has no prev and 12-3 no next', async () => {
    await withPage({}, async (page) => {
      await page.goto(url(`/en${AGREEMENT}`));
      await Promise.all([page.waitForURL(url(`/en${AGREEMENT}/areas/1`)), page.locator('ol.area-list a[href$="/areas/1"]').click()]);
      expect(await page.locator('main h1').textContent()).toMatch(/^\(1\) /);
      const item = page.locator('ol.commitment-list > li').filter({ has: page.locator('a[href$="/commitments/1-7"]') });
      const clauseOnAreaPage = (await item.locator('p').textContent())?.trim() ?? '';
      expect(clauseOnAreaPage.length).toBeGreaterThan(20);

      await Promise.all([page.waitForURL(url(`/en${AGREEMENT}/commitments/1-7`)), item.locator('a').click()]);
      expect(pathOf(page)).toBe(`/en${AGREEMENT}/commitments/1-7`);
      const clause = page.locator('blockquote.clause');
      expect(await clause.isVisible()).toBe(true);
      expect((await clause.textContent())?.trim()).toBe(clauseOnAreaPage);
      const notice = page.locator('main p.notice[role="note"]');
      expect(await notice.isVisible()).toBe(true);
      expect(await notice.getAttribute('lang')).toBe('en');
      expect(await notice.textContent()).toContain('This English text is the platform team’s own working translation. It is not an official text');

      await Promise.all([page.waitForURL(url(`/en${AGREEMENT}/commitments/2-1`)), page.locator('a[rel="next"]').click()]);
      expect(pathOf(page)).toBe(`/en${AGREEMENT}/commitments/2-1`);
      await Promise.all([page.waitForURL(url(`/en${AGREEMENT}/commitments/1-7`)), page.locator('a[rel="prev"]').click()]);
      expect(pathOf(page)).toBe(`/en${AGREEMENT}/commitments/1-7`);

      await page.goto(url(`/zh-hant${AGREEMENT}/commitments/1-1`));
      expect(await page.locator('a[rel="prev"]').count()).toBe(0);
      expect(await page.locator('a[rel="next"]').getAttribute('href')).toBe(`/zh-hant${AGREEMENT}/commitments/1-2`);
      await page.goto(url(`/zh-hant${AGREEMENT}/commitments/12-3`));
      expect(await page.locator('a[rel="next"]').count()).toBe(0);
      expect(await page.locator('a[rel="prev"]').getAttribute('href')).toBe(`/zh-hant${AGREEMENT}/commitments/12-2`);
    });
  });

  test.each(LANGS.filter((l) => l.prefix === options.walkIn))('d. a reader can walk all 42 commitments in $autonym by following rel=next', async ({ prefix, htmlLang: lang }) => {
    await withPage({}, async (page) => {
      const visited: string[] = [];
      let href: string | null = `/${prefix}${AGREEMENT}/commitments/1-1`;
      while (href) {
        expect(visited.length, `more than 42 commitments? visited ${visited.join(', ')}`).toBeLessThan(42);
        const response = await page.goto(url(href), { waitUntil: 'domcontentloaded' });
        expect(response?.status(), href).toBe(200);
        expect(await htmlLang(page), href).toBe(lang);
        const text = (await page.locator('blockquote.clause').textContent())?.trim() ?? '';
        expect(text, `${href}: empty clause`).not.toBe('');
        visited.push(href.split('/').pop() ?? '');
        const next = page.locator('a[rel="next"]');
        href = (await next.count()) > 0 ? await next.getAttribute('href') : null;
      }
      expect(visited.length).toBe(42);
      expect(new Set(visited).size).toBe(42);
      expect(visited[0]).toBe('1-1');
      expect(visited.at(-1)).toBe('12-3');
    });
  });

  test('e. side by side: the form chooses 简体中文 / English / area 1 and the table shows 8 rows', async () => {
    await withPage({}, async (page) => {
      await page.goto(url(`/zh-hant${AGREEMENT}/compare`));
      await page.selectOption('#compare-left', 'zh-Hans');
      await page.selectOption('#compare-right', 'en');
      await page.selectOption('#compare-area', '1');
      await Promise.all([page.waitForURL(/\/compare\?/), page.locator('form.compare-form button[type="submit"]').click()]);
      const here = new URL(page.url());
      expect(here.pathname).toBe(`/zh-hant${AGREEMENT}/compare`);
      expect(here.search).toBe('?left=zh-Hans&right=en&area=1');

      // The form keeps the choice.
      expect(await page.locator('#compare-left').inputValue()).toBe('zh-Hans');
      expect(await page.locator('#compare-right').inputValue()).toBe('en');
      expect(await page.locator('#compare-area').inputValue()).toBe('1');

      const table = page.locator('table.compare');
      const headers = table.locator('thead th');
      expect(await headers.count()).toBe(2);
      expect(await headers.allTextContents()).toEqual(['简体中文', 'English']);
      expect(await headers.nth(0).getAttribute('lang')).toBe('zh-Hans-CN');
      expect(await headers.nth(1).getAttribute('lang')).toBe('en');

      const rows = table.locator('tbody tr');
      expect(await rows.count()).toBe(8);
      expect(await table.locator('tbody tr.row-area-heading').count()).toBe(1);
      expect(await table.locator('tbody tr.row-commitment').count()).toBe(7);
      for (let i = 0; i < 8; i++) {
        const cells = rows.nth(i).locator('td');
        expect(await cells.count()).toBe(2);
        expect(await cells.nth(0).getAttribute('lang'), `row ${i + 1}, left`).toBe('zh-Hans-CN');
        expect(await cells.nth(1).getAttribute('lang'), `row ${i + 1}, right`).toBe('en');
        expect((await cells.nth(0).textContent())?.trim(), `row ${i + 1}, left text`).not.toBe('');
        expect((await cells.nth(1).textContent())?.trim(), `row ${i + 1}, right text`).not.toBe('');
      }
      expect(await rows.nth(0).locator('td').nth(0).textContent()).toContain('（一）加强金融合作');
      expect(await rows.nth(0).locator('td').nth(1).textContent()).toContain('(1) Strengthening cooperation in finance');
    });
  });

  test('f. the print view has all 42 commitments and the closing provisions; the print button needs JavaScript', async () => {
    await withPage({}, async (page) => {
      await page.goto(url(`/zh-hant${AGREEMENT}/print`));
      expect(await page.locator('.commitment-text').count()).toBe(42);
      expect(await page.locator('h2.doc-heading', { hasText: '三、附則' }).count()).toBe(1);
      expect(await page.locator('article.agreement-text').textContent()).toContain('本協議經雙方負責人或其授權代表簽字並加蓋公章後生效。');
      expect(await page.locator('article.agreement-text').textContent()).toContain('協議期滿後，雙方可協商續簽事宜。');
      const button = page.locator('button.print-button');
      await button.waitFor({ state: 'visible' });
      expect(await button.isVisible()).toBe(true);
      expect(await button.textContent()).toBe('列印');

      await page.goto(url(`/en${AGREEMENT}/print`));
      expect(await page.locator('.commitment-text').count()).toBe(42);
      expect(await page.locator('h2.doc-heading', { hasText: 'III. Supplementary Provisions' }).count()).toBe(1);
      await page.locator('button.print-button').waitFor({ state: 'visible' });
    });
    // Without JavaScript the button would do nothing, so it stays hidden.
    await withPage({ javaScriptEnabled: false }, async (page) => {
      await page.goto(url(`/zh-hant${AGREEMENT}/print`));
      expect(await page.locator('.commitment-text').count()).toBe(42);
      expect(await page.locator('button.print-button').count()).toBe(1);
      expect(await page.locator('button.print-button').isVisible()).toBe(false);
    });
  });

  test('g. the 404 page at /zh-hans/nope is a 404 in Simplified Chinese', async () => {
    await withPage({}, async (page) => {
      const response = await page.goto(url('/zh-hans/nope'));
      expect(response?.status()).toBe(404);
      expect(await htmlLang(page)).toBe('zh-Hans-CN');
      expect(await page.locator('main h1').textContent()).toBe('找不到页面');
      expect(await page.locator('nav.languages a[hreflang="en"]').getAttribute('href')).toBe('/en/nope');
    });
  });

  test('i. the Content-Security-Policy forbids inline script, and the pages load without CSP errors', async () => {
    await withPage({}, async (page) => {
      const errors: string[] = [];
      page.on('console', (message) => {
        if (message.type() === 'error') errors.push(`${page.url()}: ${message.text()}`);
      });
      page.on('pageerror', (error) => errors.push(`${page.url()}: uncaught ${error.message}`));

      for (const { prefix } of LANGS) {
        const response = await page.goto(url(`/${prefix}${AGREEMENT}`), { waitUntil: 'load' });
        const header = response?.headers()['content-security-policy'];
        expect(header, 'Content-Security-Policy header').toBeTruthy();
        const csp = parseCsp(header ?? '');
        const scriptSrc = csp.get('script-src') ?? csp.get('default-src');
        expect(scriptSrc, `script-src (or default-src) in ${header}`).toBeDefined();
        expect(scriptSrc).not.toContain("'unsafe-inline'");
        expect(scriptSrc).not.toContain("'unsafe-eval'");
        expect(scriptSrc).not.toContain('*');
      }
      // The print view runs the site's script (it reveals the print button): it must not be blocked.
      await page.goto(url(`/en${AGREEMENT}/print`), { waitUntil: 'load' });
      await page.locator('button.print-button').waitFor({ state: 'visible' });

      const cspErrors = errors.filter((e) => /content security policy|content-security-policy|refused to (load|execute|apply)/i.test(e));
      expect(cspErrors, cspErrors.join('\n')).toEqual([]);
      if (errors.length) console.warn(`console errors that are not about CSP:\n${errors.join('\n')}`);
    });
  });
}

/**
 * axe on every page type: one test per page and language, each in its own context. (Running them
 * concurrently gains nothing on two cores.) The markup does not depend on the database: one
 * database's server is checked.
 */
export function accessibility(browser: () => Browser, server: () => RunningServer): void {
  const withPage = pagesOf(browser);
  const url = (path: string): string => `${server().baseUrl}${path}`;

  describe('h. accessibility (axe, WCAG 2.1 A and AA)', () => {
    const cases = LANGS.flatMap((lang) => PAGE_TYPES.map((pageType) => ({ ...pageType, ...lang, url: `/${lang.prefix}${pageType.path}` })));
    test('every page type answers in every language', async () => {
      await withPage({}, async (page) => {
        for (const { url: path, name } of cases) expect((await page.request.get(url(path))).status(), path).toBe(name === '404' ? 404 : 200);
      });
    });

    test.for(cases.filter((c) => c.axeIn === 'all' || c.axeIn === c.prefix))('$name in $autonym: $url', async ({ url: path, name }) => {
      await withPage({}, async (page) => {
        const response = await page.goto(url(path));
        expect(response?.status()).toBe(name === '404' ? 404 : 200);
        expect(await axeViolations(page, path)).toEqual([]);
      });
    });

    // The narrow layout depends on the length of each language's text: all three.
    const narrow = cases.filter((c) => c.name === 'overview' || c.name === 'compare');
    test.for(narrow)('$name in $autonym at 375×740: $url', async ({ url: path }) => {
      await withPage({ viewport: { width: 375, height: 740 } }, async (page) => {
        await page.goto(url(path));
        expect(await axeViolations(page, `${path} @375×740`)).toEqual([]);
      });
    });
  });
}

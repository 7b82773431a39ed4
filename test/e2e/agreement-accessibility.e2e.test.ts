// axe on every page type of the agreement's pages and the pages every visitor meets, on the embedded
// database (the markup does not depend on the database); and the server with its clock set. A file of
// its own, beside agreement.e2e.test.ts, so that the test run's two workers share the work.
//
//   npx vitest run test/e2e/agreement-accessibility.e2e.test.ts
import { afterAll, beforeAll, describe, expect, test } from 'vitest';
import { AGREEMENT, accessibility, pagesOf } from './agreement.ts';
import { browserForFile } from './browser.ts';
import { type RunningServer, startServer } from './server.ts';

const browser = browserForFile();
const withPage = pagesOf(browser);

describe('embedded database (PGlite)', () => {
  let server: RunningServer | undefined;
  beforeAll(async () => {
    server = await startServer({ fromTemplate: true });
  });
  afterAll(async () => {
    await server?.stop();
  });

  accessibility(browser, () => {
    if (!server) throw new Error('the server did not start (see beforeAll)');
    return server;
  });
});

// The server's clock, set for a browser test: a day within the term shows the agreement in force.
describe('embedded database (PGlite) with its clock set to 2025-06-26 (CLOCK_START)', () => {
  let server: RunningServer | undefined;
  beforeAll(async () => {
    server = await startServer({ fromTemplate: true, env: { CLOCK_START: '2025-06-26T09:00:00+08:00' } });
  });
  afterAll(async () => {
    await server?.stop();
  });

  test('the overview shows the agreement in force with a year of its term left, in every language', async () => {
    await withPage({}, async (page) => {
      const status = () => page.locator('main p.status').first().textContent();
      await page.goto(`${server?.baseUrl}/en${AGREEMENT}`);
      expect(await status()).toBe('In force: 365 days remaining');
      await page.goto(`${server?.baseUrl}/zh-hant${AGREEMENT}`);
      expect(await status()).toBe('有效：尚餘 365 天');
      await page.goto(`${server?.baseUrl}/zh-hans${AGREEMENT}`);
      expect(await status()).toBe('有效：还剩 365 天');
    });
  });
});

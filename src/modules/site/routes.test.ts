import { Validator } from '@seriousme/openapi-schema-validator';
import { describe, expect, it } from 'vitest';
import { testApp, testAppFor } from '../../../test/app.ts';
import { DATABASES } from '../../../test/databases.ts';

describe.each(DATABASES)('the site frame on %s', (kind) => {
  const t = testAppFor(kind);
  const get = (url: string, headers: Record<string, string> = {}) => t.app.inject({ method: 'GET', url, headers });

  it.each([
    [{}, '/zh-hant/'],
    [{ 'accept-language': 'en-GB,en;q=0.9' }, '/en/'],
    [{ 'accept-language': 'zh-CN,zh;q=0.9,en;q=0.8' }, '/zh-hans/'],
    [{ 'accept-language': 'zh-TW' }, '/zh-hant/'],
    [{ 'accept-language': 'fr-FR, en;q=0.5' }, '/en/'],
    [{ 'accept-language': 'fr-FR' }, '/zh-hant/'],
    [{ 'accept-language': 'en;q=0.4, zh-CN;q=0.8' }, '/zh-hans/'],
    [{ 'accept-language': 'zh-CN;q=0, en-US' }, '/en/'],
    [{ 'accept-language': 'en', cookie: 'lang=zh-hans' }, '/zh-hans/'],
  ])('redirects / with %o to %s', async (headers, location) => {
    const response = await get('/', headers as Record<string, string>);
    expect(response.statusCode).toBe(302);
    expect(response.headers.location).toBe(location);
    expect(response.headers.vary).toContain('Accept-Language');
  });

  it('accepts addresses with or without a trailing slash', async () => {
    expect((await get('/en')).statusCode).toBe(200);
    expect((await get('/en/agreements/zjhk-2023/')).statusCode).toBe(200);
  });

  it('remembers the language a visitor reads in', async () => {
    const response = await get('/zh-hans/agreements/zjhk-2023');
    expect(response.cookies.find((c) => c.name === 'lang')).toMatchObject({ value: 'zh-hans', path: '/', httpOnly: true, sameSite: 'Lax' });
    const again = await get('/zh-hans/agreements/zjhk-2023', { cookie: 'lang=zh-hans' });
    expect(again.cookies).toHaveLength(0);
  });

  it('has the layout on every page: lang, skip link, switcher to the same page, breadcrumbs, footer', async () => {
    for (const [prefix, lang] of [
      ['zh-hant', 'zh-Hant-HK'],
      ['zh-hans', 'zh-Hans-CN'],
      ['en', 'en'],
    ]) {
      for (const path of ['/', '/agreements', '/agreements/zjhk-2023/areas/2', '/accessibility', '/api-docs']) {
        const response = await get(`/${prefix}${path}`);
        expect(response.statusCode, `${prefix}${path}`).toBe(200);
        const html = response.body;
        expect(html).toContain(`<html lang="${lang}"`);
        expect(html).toContain('<a class="skip-link" href="#main">');
        expect(html).toContain('<main id="main"');
        for (const other of ['zh-hant', 'zh-hans', 'en'].filter((p) => p !== prefix)) {
          expect(html).toContain(`href="/${other}${path}"`);
        }
        expect(html).toContain(`href="/${prefix}/accessibility"`);
        if (path !== '/') expect(html).toContain('class="breadcrumbs"');
        expect(html).not.toMatch(/<script(?![^>]*\ssrc=)[^>]*>/);
        expect(html).not.toMatch(/https?:\/\/(?!localhost)[^"']*\.(css|js|woff2?)/);
      }
    }
  });

  it('sends security headers with a Content-Security-Policy that allows no inline script', async () => {
    const response = await get('/en/agreements/zjhk-2023');
    const csp = String(response.headers['content-security-policy']);
    expect(csp).toContain("script-src 'self'");
    expect(csp).not.toContain('unsafe-inline');
    expect(csp).toContain("frame-ancestors 'none'");
    expect(response.headers['x-content-type-options']).toBe('nosniff');
    expect(response.headers['x-request-id']).toBeTruthy();
  });

  it('compresses pages and serves assets under content-hashed names for a year', async () => {
    const page = await get('/en/agreements/zjhk-2023/print', { 'accept-encoding': 'gzip' });
    expect(page.headers['content-encoding']).toBe('gzip');
    const css = (await get('/en/')).body.match(/href="(\/assets\/app\.[0-9a-f]{12}\.css)"/)?.[1];
    expect(css).toBeDefined();
    const asset = await get(css as string);
    expect(asset.statusCode).toBe(200);
    expect(asset.headers['cache-control']).toBe('public, max-age=31536000, immutable');
    expect(asset.headers['content-type']).toContain('text/css');
    expect((await get('/assets/app.000000000000.css')).statusCode).toBe(404);
  });

  it('reports health and readiness', async () => {
    expect((await get('/healthz')).json()).toEqual({ status: 'ok' });
    const ready = await get('/readyz');
    expect(ready.statusCode).toBe(200);
    expect(ready.json()).toEqual({ status: 'ok', checks: { database: 'ok', migrations: 'ok' } });
  });

  it('keeps the request id a caller sends, and makes one otherwise', async () => {
    expect((await get('/healthz', { 'x-request-id': 'abc-123' })).headers['x-request-id']).toBe('abc-123');
    expect((await get('/healthz', { 'x-request-id': 'bad id <script>' })).headers['x-request-id']).toMatch(/^[0-9a-f-]{36}$/);
  });

  it('describes the API with an OpenAPI 3.1 document that a validator accepts, and a readable page', async () => {
    const document = (await get('/api/v1/openapi.json')).json();
    expect(document.openapi).toBe('3.1.0');
    const validator = new Validator();
    const result = await validator.validate(document);
    expect(result.errors ?? []).toEqual([]);
    expect(result.valid).toBe(true);
    expect(Object.keys(document.paths)).toEqual(expect.arrayContaining(['/api/v1/agreements', '/api/v1/agreements/{id}']));
    expect(Object.keys(document.paths).some((p) => p.startsWith('/en/') || p.startsWith('/assets'))).toBe(false);
    const docs = await get('/zh-hant/api-docs');
    expect(docs.body).toContain('GET /api/v1/agreements/{id}');
    expect(docs.body).toContain('開放數據 API');
  });
});

describe('when the database fails', () => {
  it('answers 500 in the visitor’s language with a reference, never a stack trace, and is not ready', async () => {
    const t = await testApp('pglite');
    try {
      await t.database.db.pglite?.close();
      t.ctx.invalidate();
      const page = await t.app.inject({ method: 'GET', url: '/zh-hant/agreements/zjhk-2023', headers: { 'x-request-id': 'req-500' } });
      expect(page.statusCode).toBe(500);
      expect(page.body).toContain('系統出現問題');
      expect(page.body).toContain('<code>req-500</code>');
      expect(page.body).not.toMatch(/\.ts:\d+|at async|PGlite/);
      const api = await t.app.inject({ method: 'GET', url: '/api/v1/agreements/zjhk-2023' });
      expect(api.json()).toEqual({
        error: { status: 500, code: 'internal_error', message: 'The server could not complete the request.', requestId: expect.any(String) },
      });
      const ready = await t.app.inject({ method: 'GET', url: '/readyz' });
      expect(ready.statusCode).toBe(503);
      expect(ready.json().status).toBe('unavailable');
    } finally {
      await t.app.close();
    }
  });
});

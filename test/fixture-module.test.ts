import { readdirSync, readFileSync } from 'node:fs';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { modules } from '../src/modules/index.ts';
import { signedInClient, testAppFor } from './app.ts';
import { DATABASES } from './databases.ts';
import { fixtureModule } from './fixture-module/module.tsx';
import { matrixOf, routePattern } from './matrix/index.ts';

/**
 * A module joins the platform through its manifest alone: a small fixture module declares one of
 * everything the manifest offers, and each appears where it belongs, with no central file changed.
 */
describe.each(DATABASES)('a module added through its manifest alone, on %s', (kind) => {
  const t = testAppFor(kind, { modules: [...modules, fixtureModule] });

  it('has its entries in the main navigation and the footer, labelled in each language', async () => {
    for (const [prefix, label, footer] of [
      ['zh-hant', '測試登記冊', '測試約章'],
      ['zh-hans', '测试登记册', '测试约章'],
      ['en', 'Fixture register', 'Fixture charter'],
    ]) {
      const home = await t.app.inject({ url: `/${prefix}/` });
      expect(home.body).toMatch(new RegExp(`<nav class="site-nav"[\\s\\S]*<a href="/${prefix}/fixture">${label}</a>[\\s\\S]*</nav>`));
      const page = await t.app.inject({ url: `/${prefix}/fixture` });
      expect(page.statusCode).toBe(200);
      expect(page.body).toContain(`<h1>${label}</h1>`);
      // Its footer link sits among the others, in its order.
      expect(home.body).toMatch(
        new RegExp(`<footer class="site-footer">[\\s\\S]*/${prefix}/accessibility"[\\s\\S]*<a href="/${prefix}/fixture">${footer}</a>[\\s\\S]*/${prefix}/api-docs"[\\s\\S]*</footer>`),
      );
      // The page of the module's own entry is marked as the current one.
      expect(page.body).toContain(`<a href="/${prefix}/fixture" aria-current="page">${label}</a>`);
    }
  });

  it('shows its admin link and workspace tile to those its policy allows, and to no one else', async () => {
    const coordinator = (await signedInClient(t, { email: 'fixture-coordinator@example.org', role: 'custodian-coordinator', organisationId: 'hk-cmab' })).client;
    const officer = (await signedInClient(t, { email: 'fixture-officer@example.org', role: 'agency-officer', organisationId: 'hk-fstb' })).client;
    const administrator = (await signedInClient(t, { email: 'fixture-admin@example.org', role: 'administrator' })).client;

    expect((await coordinator.get('/en/admin')).body).toContain('<a href="/en/workspace/fixture">Fixture settings</a>');
    expect((await coordinator.get('/zh-hant/workspace')).body).toContain('<a href="/zh-hant/workspace/fixture">測試工作隊列</a>');
    expect((await administrator.get('/en/admin')).body).not.toContain('Fixture settings');
    expect((await officer.get('/en/workspace')).body).not.toContain('Fixture queue');
    // What waits for the coordinator in the module is counted in the workspace's inbox; the officer has none of it.
    expect((await coordinator.get('/en/workspace')).body).toContain('<a href="/en/workspace/fixture">2 fixture records to check</a>');
    expect((await officer.get('/en/workspace')).body).not.toContain('fixture records to check');

    // Its policy guards its route: sign in first, then only coordinators.
    const anonymous = await t.app.inject({ url: '/en/workspace/fixture' });
    expect(anonymous.statusCode).toBe(303);
    expect(anonymous.headers.location).toBe('/en/login?next=%2Fen%2Fworkspace%2Ffixture');
    expect((await officer.get('/en/workspace/fixture')).statusCode).toBe(403);
    expect((await coordinator.get('/en/workspace/fixture')).statusCode).toBe(200);
  });

  it('adds its section to every commitment’s page, in its order among the others', async () => {
    const page = await t.app.inject({ url: '/en/agreements/zjhk-2023/commitments/1-2' });
    expect(page.statusCode).toBe(200);
    expect(page.body).toContain('<h2 id="fixture-records">Fixture records</h2>');
    expect(page.body).toContain('2 fixture records');
    const simplified = await t.app.inject({ url: '/zh-hans/agreements/zjhk-2023/commitments/3-1' });
    expect(simplified.body).toContain('<h2 id="fixture-records">测试纪录</h2>');
    expect(simplified.body).toContain('1 项测试纪录');
  });

  it('publishes its operations under its own tag in the OpenAPI document, and lists its dataset', async () => {
    const document = (await t.app.inject({ url: '/api/v1/openapi.json' })).json() as { tags: { name: string }[]; paths: Record<string, { get?: { tags?: string[] } }> };
    expect(document.tags.map((tag) => tag.name)).toContain('Fixture');
    expect(document.paths['/api/v1/fixture']?.get?.tags).toEqual(['Fixture']);
    const docs = await t.app.inject({ url: '/zh-hant/api-docs' });
    expect(docs.body).toContain('<a href="/api/v1/fixture">測試紀錄（JSON）</a>');
    expect(docs.body).toContain('<a href="/api/v1/agreements">協議及其合作領域與合作事項（JSON）</a>');
  });

  it('declares a line of the route × role matrix for each of its routes', async () => {
    const { lines } = await matrixOf([...modules, fixtureModule]);
    const registered = new Set(t.routes.filter((r) => r.method !== 'HEAD').map((r) => routePattern(r.method, r.url)));
    expect([...registered].filter((route) => !lines[route])).toEqual([]);
    expect(Object.keys(lines).filter((route) => !registered.has(route))).toEqual([]);
    expect(lines['GET /{lang}/workspace/fixture']?.expect).toEqual(['sign-in', 'forbidden', 'forbidden', 'forbidden', 'ok', 'forbidden']);
  });
});

describe('the fixture module', () => {
  it('is known to no file of the platform: its manifest is all it takes', () => {
    const files = (dir: string): string[] => readdirSync(dir, { withFileTypes: true }).flatMap((e) => (e.isDirectory() ? files(path.join(dir, e.name)) : [path.join(dir, e.name)]));
    const naming = files('src').filter((file) => /fixture-module|fixtureModule|'fixture\./.test(readFileSync(file, 'utf8')));
    expect(naming).toEqual([]);
  });
});

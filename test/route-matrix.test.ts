import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createSession, SESSION_COOKIE } from '../src/platform/auth/sessions.ts';
import { testApp, type TestApp } from './app.ts';
import { DATABASES } from './databases.ts';
import { type Outcome, WHO, type Who } from '../src/platform/access-matrix.ts';
import { MATRIX, matrixUrl, routePattern, setupMatrix } from './matrix/index.ts';

/**
 * Every route × every role. Each module declares its lines in its matrix.ts (its manifest's
 * `matrix()`), in the words of src/platform/access-matrix.ts. A route added to the app without a
 * line in the matrix fails this test: nobody can add a route without deciding who may use it.
 */

const pattern = routePattern;

function outcome(status: number, location: string | undefined): Outcome | string {
  if (status === 401 || (status === 303 && /\/(login\?next=|account\/two-factor|login\/two-factor|account\/verify-email)/.test(location ?? ''))) return 'sign-in';
  if (status === 403) return 'forbidden';
  if (status === 404) return 'not-found';
  if (status === 400) return 'bad-request';
  if (status < 400) return 'ok';
  return `status ${status}`;
}

describe.each(DATABASES)('the route × role matrix on %s', (kind) => {
  let t: TestApp;
  let users = new Map<Who, string>();
  let ids: Record<string, string> = {};
  beforeAll(async () => {
    t = await testApp(kind);
    ({ users, ids } = await setupMatrix(t.database.db.kysely));
  });
  afterAll(async () => {
    await t.close();
  });

  it('has a line for every route, and every line is a route', () => {
    const registered = new Set(t.routes.filter((r) => r.method !== 'HEAD').map((r) => pattern(r.method, r.url)));
    expect([...registered].filter((r) => !MATRIX[r]).sort(), 'routes missing from the matrix').toEqual([]);
    expect(
      Object.keys(MATRIX).filter((r) => !registered.has(r)),
      'matrix lines with no route',
    ).toEqual([]);
    for (const route of t.routes) expect(route.access, `${route.method} ${route.url}`).toBeDefined();
  });

  // Some 1,600 requests: longer than the default limit on a busy machine.
  it('gives every role the expected outcome on every route', { timeout: 600_000 }, async () => {
    const asset = (await t.app.inject({ method: 'GET', url: '/en/' })).body.match(/href="(\/assets\/[^"]+)"/)?.[1] as string;
    const failures: string[] = [];
    const access = new Map(t.routes.map((r) => [pattern(r.method, r.url), r.access]));
    for (const [route, line] of Object.entries(MATRIX)) {
      const method = route.split(' ')[0] as 'GET' | 'POST';
      const url = matrixUrl(line.url, ids, asset);
      for (const [i, who] of WHO.entries()) {
        const cookies: Record<string, string> = {};
        const userId = users.get(who);
        if (userId) cookies[SESSION_COOKIE] = await createSession(t.database.db.kysely, { userId, settings: t.ctx.config.session, secondFactor: true });
        const cookie = () =>
          Object.entries(cookies)
            .map(([k, v]) => `${k}=${v}`)
            .join('; ');
        let payload: string | undefined;
        if (method === 'POST') {
          const form = await t.app.inject({ method: 'GET', url: '/en/login', headers: { cookie: cookie() } });
          for (const c of form.cookies) cookies[c.name] = c.value;
          payload = new URLSearchParams({ _csrf: form.body.match(/name="_csrf" value="([^"]+)"/)?.[1] ?? '' }).toString();
        }
        const response = await t.app.inject({
          method,
          url,
          headers: { cookie: cookie(), ...(payload ? { 'content-type': 'application/x-www-form-urlencoded' } : {}) },
          ...(payload ? { payload } : {}),
        });
        const got = outcome(response.statusCode, response.headers.location as string | undefined);
        if (got !== line.expect[i]) failures.push(`${route} as ${who}: expected ${line.expect[i]}, got ${got} (${response.statusCode} ${response.headers.location ?? ''})`);
        // Personal data is never kept by a browser or a proxy: routes not open to everyone, the public ones marked personal, answers to forms, and pages rendered for someone signed in.
        const personal = access.get(route) !== 'public' || line.personal === true || method !== 'GET' || (userId !== undefined && String(response.headers['content-type']).startsWith('text/html'));
        if (personal && response.headers['cache-control'] !== 'no-store') failures.push(`${route} as ${who}: Cache-Control ${response.headers['cache-control'] ?? 'missing'}, not no-store`);
      }
    }
    expect(failures).toEqual([]);
  });
});

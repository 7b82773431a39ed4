import Fastify, { type FastifyInstance } from 'fastify';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { testAppFor } from '../../../test/app.ts';
import { DATABASES } from '../../../test/databases.ts';
import type { Principal } from '../auth/roles.ts';
import { PageCache } from './pages.ts';
import { installSecurityHeaders } from './security.ts';

describe.each(DATABASES)('the security headers of the platform on %s', (kind) => {
  const t = testAppFor(kind);

  it('deny the camera, microphone, geolocation, payment and USB to every page (the check-in desk needs no camera of its own)', async () => {
    for (const url of ['/en/', '/en/workspace/events/check-in', '/api/v1/agreements', '/en/no-such-page']) {
      const response = await t.app.inject({ method: 'GET', url });
      const policy = String(response.headers['permissions-policy']);
      for (const feature of ['camera', 'microphone', 'geolocation', 'payment', 'usb', 'serial', 'hid', 'bluetooth', 'midi', 'display-capture']) {
        expect(policy, `${url}: ${feature}`).toMatch(new RegExp(`(^|, )${feature}=\\(\\)(,|$)`));
      }
    }
  });

  it('let browsers keep public pages for anonymous visitors, but not a case tracked by its code', async () => {
    expect((await t.app.inject({ method: 'GET', url: '/en/help' })).headers['cache-control']).toBeUndefined();
    expect((await t.app.inject({ method: 'GET', url: '/en/track/case' })).headers['cache-control']).toBe('no-store');
    expect((await t.app.inject({ method: 'GET', url: '/en/account' })).headers['cache-control']).toBe('no-store');
  });
});

/** A bare app with the platform's headers and a route of each kind, all rendering through one page cache. */
describe('the page cache and personal pages', () => {
  let app: FastifyInstance;
  const cache = new PageCache();
  let renders = 0;
  const render = (who: string) => () => `page ${++renders} for ${who}`;
  beforeAll(async () => {
    app = Fastify();
    installSecurityHeaders(app);
    app.decorateRequest('principal', null);
    // What the sign-in plugin does: the person is known before the handler runs.
    app.addHook('onRequest', async (request) => {
      if (request.headers['x-signed-in']) request.principal = { user: { id: request.headers['x-signed-in'] } } as unknown as Principal;
    });
    app.get('/public', { config: { access: 'public' } }, async (request, reply) => reply.type('text/html').send(cache.get('shared', render(request.principal ? 'someone' : 'anyone'))));
    app.get('/later', { config: { access: 'public' } }, async (_request, reply) => {
      // A page whose rendering waits on data: the request is still known after the await.
      await new Promise((resolve) => setTimeout(resolve, 5));
      return reply.type('text/html').send(await cache.load('shared-later', async () => render('anyone')()));
    });
    app.get('/case', { config: { access: 'public', personal: true } }, async (_request, reply) => reply.type('text/html').send(cache.get('shared', render('the case'))));
    app.get('/mine', { config: { access: 'session' } }, async (_request, reply) => reply.type('text/html').send(await cache.load('shared-later', async () => render('me')())));
    app.get('/asset', { config: { access: 'public' } }, async (_request, reply) => reply.header('cache-control', 'public, max-age=31536000, immutable').type('text/css').send('p{}'));
    app.get('/file', { config: { access: { action: 'implementation.workspace' } } }, async (_request, reply) =>
      reply.header('cache-control', 'private, max-age=0, must-revalidate').type('application/pdf').send('%PDF'),
    );
    app.post('/form', { config: { access: 'public' } }, async (_request, reply) => reply.type('text/html').send('typed values'));
    await app.ready();
  });
  afterAll(() => app.close());
  const get = (url: string, signedIn?: string) => app.inject({ method: 'GET', url, headers: signedIn ? { 'x-signed-in': signedIn } : {} });

  it('never stores nor serves a personal page, and never hands a personal rendering to anyone else', async () => {
    const first = (await get('/public')).body;
    expect((await get('/public')).body, 'an anonymous page is shared').toBe(first);
    // A signed-in person gets their own rendering, not the shared one, and it is not kept.
    const theirs = (await get('/public', 'u1')).body;
    expect(theirs).toMatch(/for someone$/);
    expect((await get('/public', 'u1')).body).not.toBe(theirs);
    expect((await get('/public')).body).toBe(first);
    // A personal public page neither reads nor fills the cache under a key it shares with a public one.
    expect((await get('/case')).body).toMatch(/for the case$/);
    expect((await get('/case')).body).toMatch(/for the case$/);
    // A page behind sign-in that renders after an await, then the public page under the same key.
    expect((await get('/mine', 'u2')).body).toMatch(/for me$/);
    expect((await get('/later')).body).toMatch(/for anyone$/);
    expect((await get('/mine', 'u2')).body).toMatch(/for me$/);
  });

  it('sends no-store with every personal answer, whatever the handler set, and leaves public ones alone', async () => {
    expect((await get('/public')).headers['cache-control']).toBeUndefined();
    expect((await get('/public', 'u1')).headers['cache-control']).toBe('no-store');
    expect((await get('/case')).headers['cache-control']).toBe('no-store');
    expect((await get('/mine', 'u2')).headers['cache-control']).toBe('no-store');
    expect((await get('/file', 'u2')).headers['cache-control']).toBe('no-store');
    expect((await app.inject({ method: 'POST', url: '/form' })).headers['cache-control']).toBe('no-store');
    // An asset is the same for everyone, signed in or not.
    expect((await get('/asset', 'u1')).headers['cache-control']).toBe('public, max-age=31536000, immutable');
  });
});

import { AsyncLocalStorage } from 'node:async_hooks';
import type { Static, TSchema } from '@sinclair/typebox';
import type { FastifyInstance, FastifyReply, FastifyRequest } from 'fastify';
import Negotiator from 'negotiator';
import { type PageContext, pageContext } from '../html/context.ts';
import { DEFAULT_LOCALE, LOCALE_INFO, LOCALES, type Locale, localeFromPrefix, localeFromTag } from '../i18n/locales.ts';
import type { Access, PrincipalFor } from '../auth/plugin.ts';
import type { Assets } from './assets.ts';
import { keepCompressed } from './precompressed.ts';

const LANG_COOKIE = 'lang';

/** The visitor's language for a request outside the language prefixes: remembered choice, then Accept-Language. */
export function preferredLocale(request: FastifyRequest): Locale {
  const remembered = localeFromPrefix(request.cookies[LANG_COOKIE] ?? '');
  if (remembered) return remembered;
  // The header's languages, most wanted first (q=0 left out), as negotiator ranks them.
  for (const tag of new Negotiator(request).languages()) {
    const locale = localeFromTag(tag);
    if (locale) return locale;
  }
  return DEFAULT_LOCALE;
}

/** The language of a request: its URL prefix if it has one, otherwise the visitor's preference. */
export function requestLocale(request: FastifyRequest): Locale {
  const prefix = request.url.split('/')[1]?.split('?')[0] ?? '';
  return localeFromPrefix(prefix) ?? preferredLocale(request);
}

export function requestPageContext(request: FastifyRequest, assets: Assets): PageContext {
  const locale = requestLocale(request);
  const prefix = `/${LOCALE_INFO[locale].prefix}`;
  const path = request.url.startsWith(prefix) ? request.url.slice(prefix.length) || '/' : '/';
  return pageContext(locale, path, assets, request.principal, undefined, request.server.navigation);
}

declare module 'fastify' {
  interface FastifyContextConfig {
    /** The route shows one person's data although anyone may reach it (a case tracked by its code, a link with a token). */
    personal?: boolean;
  }
}

const SAFE_METHODS = new Set(['GET', 'HEAD']);

/**
 * Whether a response is for one person only: a route not open to everyone, a route that shows one
 * person's data, the answer to a form (it carries what was typed), and anything to someone signed in
 * (every page is rendered with their name). Such a response is never stored by a browser, a proxy or
 * the page cache.
 */
function isPersonal(request: FastifyRequest): boolean {
  const config = request.routeOptions.config as { access?: Access; personal?: boolean } | undefined;
  if (config?.personal) return true;
  if (config?.access !== undefined && config.access !== 'public') return true;
  return request.principal !== null || !SAFE_METHODS.has(request.method);
}

/** The request being answered, wherever its answer is being made (the page cache asks). */
const answering = new AsyncLocalStorage<FastifyRequest>();

/**
 * Sends `Cache-Control: no-store` with every personal response (see isPersonal), whatever its handler
 * set: only an explicitly public answer (an asset, the OpenAPI document) keeps its own to a signed-in
 * person. Installed first, so that every later hook and handler runs knowing its request.
 */
export function installPersonalPages(app: FastifyInstance): void {
  app.addHook('onRequest', (request, _reply, done) => {
    answering.run(request, done);
  });
  app.addHook('onSend', async (request, reply, payload) => {
    if (!isPersonal(request)) return payload;
    const config = request.routeOptions.config as { access?: Access; personal?: boolean } | undefined;
    const forOnePerson = config?.personal === true || (config?.access !== undefined && config.access !== 'public');
    const given = String(reply.getHeader('cache-control') ?? '');
    if (forOnePerson || !/\bpublic\b/.test(given)) reply.header('cache-control', 'no-store');
    return payload;
  });
}

/**
 * A small LRU of rendered pages (and API answers), keyed by URL and a version that changes whenever
 * their content may. Bodies are kept encoded, so a hit costs no rendering and no UTF-8 encoding, and
 * each compressed form is made once.
 */
export class PageCache {
  private readonly entries = new Map<string, Buffer>();
  /** Pages being rendered: visitors asking for one at the same time wait for the same rendering. */
  private readonly pending = new Map<string, Promise<Buffer>>();
  constructor(private readonly limit = 2_000) {}

  private peek(key: string): Buffer | undefined {
    const hit = this.entries.get(key);
    if (hit !== undefined) {
      this.entries.delete(key);
      this.entries.set(key, hit);
    }
    return hit;
  }

  private store(key: string, html: Buffer): Buffer {
    keepCompressed(html);
    this.entries.set(key, html);
    if (this.entries.size > this.limit) this.entries.delete(this.entries.keys().next().value as string);
    return html;
  }

  /** Whether the request being answered is personal: its page is made for it alone, never kept or shared. */
  private forOnePerson(): boolean {
    const request = answering.getStore();
    return request !== undefined && isPersonal(request);
  }

  get(key: string, render: () => string): Buffer {
    if (this.forOnePerson()) return Buffer.from(render());
    return this.peek(key) ?? this.store(key, Buffer.from(render()));
  }

  /** As get, for a page whose rendering waits on data first. */
  async load(key: string, render: () => Promise<string>): Promise<Buffer> {
    if (this.forOnePerson()) return Buffer.from(await render());
    const hit = this.peek(key);
    if (hit !== undefined) return hit;
    let pending = this.pending.get(key);
    if (!pending) {
      pending = render()
        .then((html) => this.store(key, Buffer.from(html)))
        .finally(() => this.pending.delete(key));
      this.pending.set(key, pending);
    }
    return pending;
  }

  clear(): void {
    this.entries.clear();
  }
}

/**
 * Sends a JSON answer kept encoded (by the page cache or a route's own): its bytes as they are, not
 * passed through the route's response schema again (they were built to it).
 */
export function sendEncodedJson(reply: FastifyReply, body: Buffer): FastifyReply {
  return reply.type('application/json; charset=utf-8').send(body);
}

export interface PageRouteOptions {
  method?: 'GET' | 'POST';
  querystring?: TSchema;
  params?: TSchema;
  body?: TSchema;
  /** Who may see the page (default: everyone). */
  access?: Access;
  /** The page shows one person's data although anyone may reach it (it is then never cached). */
  personal?: boolean;
  /** More route config (e.g. a rate limit). */
  config?: Record<string, unknown>;
}

/** The type a schema validates to (unknown where a route declares none). */
type Validated<O, K extends 'params' | 'querystring' | 'body'> = O extends { readonly [key in K]: infer S extends TSchema } ? Static<S> : unknown;

/**
 * The request a page's handler gets: its parameters, query string and body typed from the route's
 * schemas, and its principal from the route's access (never null where the route is not public: the
 * auth plugin has refused the request before the handler runs).
 */
type PageRequest<O extends PageRouteOptions> = FastifyRequest<{ Params: Validated<O, 'params'>; Querystring: Validated<O, 'querystring'>; Body: Validated<O, 'body'> }> & PrincipalFor<O['access']>;

export type PageHandler<O extends PageRouteOptions> = (request: PageRequest<O>, reply: FastifyReply, ctx: PageContext) => Promise<string | Buffer>;

/**
 * Registers a page under every language prefix (/zh-hant/…, /zh-hans/…, /en/…). The handler returns
 * the HTML; the visitor's choice of language is remembered in a cookie for the next visit to /. Its
 * request is typed from the options (schemas and access): no route restates it.
 */
export function pageRoute<const O extends PageRouteOptions>(app: FastifyInstance, assets: Assets, path: string, options: O, handler: PageHandler<O>): void {
  for (const locale of LOCALES) {
    const prefix = LOCALE_INFO[locale].prefix;
    app.route({
      method: options.method ?? 'GET',
      url: `/${prefix}${path}`,
      config: { ...options.config, access: options.access ?? 'public', ...(options.personal ? { personal: true } : {}) },
      schema: {
        hide: true,
        ...(options.params ? { params: options.params } : {}),
        ...(options.querystring ? { querystring: options.querystring } : {}),
        ...(options.body ? { body: options.body } : {}),
      },
      handler: async (request, reply) => {
        const rest = request.url.slice(prefix.length + 1) || '/';
        const ctx = pageContext(locale, rest, assets, request.principal, () => reply.generateCsrf(), request.server.navigation);
        // Whether the handler answered itself (a redirect after a form, a file): `reply.sent` is not
        // enough, as it turns true only once the response has ended, after every onSend hook, and
        // asynchronous hooks may still be running when the handler returns.
        let answered = false;
        const send = reply.send;
        reply.send = function (payload?: unknown) {
          answered = true;
          return send.call(this, payload);
        };
        // The schemas have validated the request and the auth plugin has checked its access (onRequest):
        // it is what the handler's type says.
        const html = await handler(request as PageRequest<O>, reply, ctx);
        if (answered || reply.sent) return reply;
        if (request.cookies[LANG_COOKIE] !== prefix) {
          reply.setCookie(LANG_COOKIE, prefix, { path: '/', maxAge: 365 * 24 * 3600, sameSite: 'lax', httpOnly: true });
        }
        return reply.type('text/html; charset=utf-8').header('vary', 'Accept-Encoding').send(html);
      },
    });
  }
}

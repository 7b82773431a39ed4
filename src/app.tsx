import { randomUUID } from 'node:crypto';
import compress from '@fastify/compress';
import cookie from '@fastify/cookie';
import formbody from '@fastify/formbody';
import rateLimit from '@fastify/rate-limit';
import swagger from '@fastify/swagger';
import type { TypeBoxTypeProvider } from '@fastify/type-provider-typebox';
import Fastify, { type FastifyInstance } from 'fastify';
import type { Config } from './config.ts';
import { modules as platformModules } from './modules/index.ts';
import { todayIn } from './platform/clock.ts';
import type { Db } from './platform/db/index.ts';
import { ErrorPage } from './platform/html/error-page.tsx';
import { renderPage } from './platform/html/layout.tsx';
import { Assets } from './platform/http/assets.ts';
import { HttpError, installErrorHandlers } from './platform/http/errors.ts';
import { OPENAPI_INFO } from './platform/http/openapi.ts';
import { PageCache, requestPageContext } from './platform/http/pages.ts';
import { databaseRateLimitStore } from './platform/http/rate-limit-store.ts';
import { installPrecompressed } from './platform/http/precompressed.ts';
import { installSecurityHeaders } from './platform/http/security.ts';
import { installTextChecks, parseUrlEncoded } from './platform/http/text.ts';
import { installAuth } from './platform/auth/plugin.ts';
import { secureCookies } from './platform/auth/cookies.ts';
import { installUploads, REQUEST_TIMEOUT_MS } from './platform/files/uploads.ts';
import { type AppContext, installModules, type ModuleManifest, type Navigation, navigationOf } from './platform/module.ts';
import { systemClock } from './platform/clock.ts';
import { installKeys } from './platform/secrets.ts';

export interface AppOptions {
  config: Config;
  db: Db;
  /** The clock (tests set it to check lifecycles on chosen days). */
  now?: () => Date;
  /** The modules the app is made of (default: every module of the platform, in order). */
  modules?: readonly ModuleManifest[];
  /** Replaces the pino logger (tests pass false, or a stream to read). */
  logger?: boolean | { level: string; stream?: NodeJS.WritableStream };
}

const REQUEST_ID = /^[A-Za-z0-9._-]{1,64}$/;

export interface RouteInfo {
  method: string;
  url: string;
  access: unknown;
  /** The parameters, query string and body the route declares (the route fuzz test fills them with hostile values). */
  schema: { params?: unknown; querystring?: unknown; body?: unknown } | undefined;
}

declare module 'fastify' {
  interface FastifyInstance {
    /** The site-wide links of every module (main navigation, footer), in order. */
    navigation: Navigation;
  }
}

export async function buildApp(options: AppOptions): Promise<{ app: FastifyInstance; ctx: AppContext; routes: RouteInfo[] }> {
  const { config, db, modules = platformModules } = options;
  installModules(modules);
  const now = options.now ?? systemClock;
  if (!config.secretKey) throw new Error('buildApp needs config.secretKey (withSecretKey in main, a test key in tests)');
  installKeys(config.secretKey);
  const app = Fastify({
    logger: options.logger ?? { level: config.logLevel },
    trustProxy: config.trustProxy,
    // A request, files and all, arrives within this or is cut (408): none runs for ever, so folders
    // and slots it leaves can be known for a stopped process's (see files/uploads.ts).
    requestTimeout: REQUEST_TIMEOUT_MS,
    // Query strings decoded as browsers encode them: invalid UTF-8 becomes U+FFFD, which installTextChecks refuses.
    routerOptions: { ignoreTrailingSlash: true, querystringParser: parseUrlEncoded },
    genReqId: (request) => {
      const given = request.headers['x-request-id'];
      return typeof given === 'string' && REQUEST_ID.test(given) ? given : randomUUID();
    },
    ajv: { customOptions: { coerceTypes: 'array', removeAdditional: false, allErrors: true } },
  }).withTypeProvider<TypeBoxTypeProvider>();

  const listeners: (() => void)[] = [];
  const routes: RouteInfo[] = [];
  app.addHook('onRoute', (route) => {
    for (const method of [route.method].flat()) routes.push({ method, url: route.url, access: (route.config as { access?: unknown } | undefined)?.access, schema: route.schema });
  });
  let todayCache = { second: Number.NaN, value: '' };
  const pages = new PageCache();
  const assets = new Assets();
  const ctx: AppContext = {
    config,
    db,
    assets,
    pages,
    now,
    today: () => {
      // Asked on every request; the answer changes once a day, so it is worked out at most once a second.
      const second = Math.floor(now().getTime() / 1000);
      if (second !== todayCache.second) todayCache = { second, value: todayIn(config.timeZone, now()) };
      return todayCache.value;
    },
    invalidate: () => {
      pages.clear();
      for (const listener of listeners) listener();
    },
    onInvalidate: (listener) => listeners.push(listener),
    modules,
    commitmentSections: [],
    auditSubjects: Object.assign({}, ...modules.map((m) => m.auditSubjects ?? {})),
  };

  installSecurityHeaders(app);
  // Cached bodies are compressed once; everything else as it is sent.
  installPrecompressed(app);
  await app.register(compress, { threshold: 1024 });
  // Every cookie the platform sets is Secure when it is reached over https (session, _csrf, lang …).
  await app.register(cookie, { parseOptions: { secure: secureCookies(config.publicUrl) } });
  await app.register(formbody, { parser: parseUrlEncoded });
  // Forms with files: refused before they are read unless the sender may send them, then streamed to
  // temporary files within the route's own limits; upload slots per account and address in the database.
  await installUploads(app, { db: db.kysely });
  // Every query string, path parameter and body (read by now, files included) checked for text no field may carry.
  installTextChecks(app);
  // Limits are set per route (forms that could be abused); over a limit is a 429 with Retry-After.
  await app.register(rateLimit, {
    global: false,
    store: databaseRateLimitStore(db.kysely),
    errorResponseBuilder: (_request, context) => new HttpError(429, 'too_many_requests', `Too many requests: try again in ${context.after}`),
  });
  await installAuth(app, { db, session: config.session, publicUrl: config.publicUrl });
  await app.register(swagger, {
    openapi: {
      openapi: '3.1.0',
      info: OPENAPI_INFO,
      tags: modules.flatMap((m) => m.openApiTags ?? []),
    },
  });

  installErrorHandlers(
    app,
    (request) => requestPageContext(request, assets),
    (page, status, requestId, details) => renderPage(<ErrorPage ctx={page} status={status} requestId={requestId} details={details} />),
  );
  assets.register(app);
  app.decorate('navigation', navigationOf(modules));
  ctx.commitmentSections = modules.flatMap((m) => (m.commitmentSection ? [m.commitmentSection(ctx)] : [])).sort((a, b) => a.order - b.order);
  for (const module of modules) module.routes?.(app, ctx);
  await app.ready();
  return { app, ctx, routes };
}

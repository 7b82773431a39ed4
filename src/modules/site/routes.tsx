import { Type as T } from '@sinclair/typebox';
import { migrationState, ping } from '../../platform/db/index.ts';
import { renderPage } from '../../platform/html/layout.tsx';
import { pageRoute, preferredLocale } from '../../platform/http/pages.ts';
import { LOCALE_INFO } from '../../platform/i18n/locales.ts';
import { type App, type AppContext, linksOf } from '../../platform/module.ts';
import { ApiDocsPage, type OpenApiDocument } from './views/api-docs.tsx';
import { AccessibilityPage } from './views/pages.tsx';

const Health = T.Object({ status: T.String(), checks: T.Optional(T.Record(T.String(), T.String())) });

/** The site's frame: language redirect, health checks, accessibility statement, API description. */
export function siteRoutes(app: App, ctx: AppContext): void {
  app.get('/', { config: { access: 'public' }, schema: { hide: true } }, async (request, reply) => {
    const locale = preferredLocale(request);
    return reply.header('vary', 'Accept-Language, Cookie').header('cache-control', 'private, no-cache').redirect(`/${LOCALE_INFO[locale].prefix}/`, 302);
  });

  app.get('/healthz', { config: { access: 'public' }, schema: { tags: ['Operations'], summary: 'The process is up', operationId: 'health', response: { 200: Health } } }, async () => ({
    status: 'ok',
  }));

  app.get(
    '/readyz',
    {
      config: { access: 'public' },
      schema: {
        tags: ['Operations'],
        summary: 'The database is reachable and its migrations are current',
        operationId: 'ready',
        response: { 200: Health, 503: Health },
      },
    },
    async (_request, reply) => {
      const checks: Record<string, string> = {};
      try {
        await ping(ctx.db);
        checks.database = 'ok';
        const state = await migrationState(ctx.db);
        checks.migrations = state.pending.length === 0 ? 'ok' : `pending: ${state.pending.join(', ')}`;
      } catch (error) {
        checks.database ??= `unreachable: ${(error as Error).message}`;
      }
      const ok = Object.values(checks).every((v) => v === 'ok') && checks.migrations !== undefined;
      return reply.status(ok ? 200 : 503).send({ status: ok ? 'ok' : 'unavailable', checks });
    },
  );

  app.get('/api/v1/openapi.json', { config: { access: 'public' }, schema: { hide: true } }, async (_request, reply) => reply.header('cache-control', 'public, max-age=300').send(app.swagger()));

  pageRoute(app, ctx.assets, '/accessibility', {}, async (_request, _reply, page) => renderPage(<AccessibilityPage ctx={page} />));
  pageRoute(app, ctx.assets, '/api-docs', {}, async (_request, _reply, page) =>
    renderPage(<ApiDocsPage ctx={page} document={app.swagger() as unknown as OpenApiDocument} datasets={linksOf(ctx.modules, 'openData')} />),
  );
}

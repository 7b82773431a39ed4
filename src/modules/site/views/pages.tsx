import type { PageContext } from '../../../platform/html/context.ts';
import { Layout } from '../../../platform/html/layout.tsx';
import type { ErrorDetail } from '../../../platform/http/errors.ts';
import type { Locale } from '../../../platform/i18n/locales.ts';
import { ACCESSIBILITY_STATEMENT } from '../accessibility.ts';

export function AccessibilityPage({ ctx }: { ctx: PageContext }) {
  const statement = ACCESSIBILITY_STATEMENT[ctx.locale as Locale];
  return (
    <Layout ctx={ctx} title={ctx.t('accessibility.title')} breadcrumbs={[{ label: ctx.t('accessibility.title') }]}>
      <h1>{ctx.t('accessibility.title')}</h1>
      <p>{statement.intro}</p>
      {statement.sections.map((section) => (
        <section>
          <h2>{section.heading}</h2>
          {section.paragraphs.map((p) => (
            <p>{p}</p>
          ))}
        </section>
      ))}
    </Layout>
  );
}

export function ErrorPage({ ctx, status, requestId, details }: { ctx: PageContext; status: number; requestId: string; details?: ErrorDetail[] | undefined }) {
  const { t } = ctx;
  const notFound = status === 404;
  const server = status >= 500;
  const tooMany = status === 429;
  const forbidden = status === 403;
  const tooLarge = status === 413;
  const title = notFound
    ? t('error.notFound.title')
    : server
      ? t('error.server.title')
      : tooMany
        ? t('error.tooMany.title')
        : forbidden
          ? t('error.forbidden.title')
          : tooLarge
            ? t('error.tooLarge.title')
            : t('error.badRequest.title');
  const body = notFound
    ? t('error.notFound.body')
    : server
      ? t('error.server.body')
      : tooMany
        ? t('error.tooMany.body')
        : forbidden
          ? t('error.forbidden.body')
          : tooLarge
            ? t('error.tooLarge.body')
            : t('error.badRequest.body');
  return (
    <Layout ctx={ctx} title={title}>
      <h1>{title}</h1>
      <p>{body}</p>
      {details && details.length > 0 && (
        <ul class="error-details">
          {details.map((d) => (
            <li>
              <code>{d.field.replace(/^(querystring|params)\./, '')}</code>: {d.message}
            </li>
          ))}
        </ul>
      )}
      {(server || status === 400) && (
        <p class="muted">
          <code>{requestId}</code>
        </p>
      )}
      <p>
        <a href={ctx.href('/')}>{t('error.backHome')}</a>
      </p>
    </Layout>
  );
}

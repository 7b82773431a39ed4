import type { ErrorDetail } from '../http/errors.ts';
import type { PageContext } from './context.ts';
import { Layout } from './layout.tsx';

/** The page every error is answered with: what happened, what to do, and the reference to quote. */
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

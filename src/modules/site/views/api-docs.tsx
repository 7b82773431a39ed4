import type { PageContext } from '../../../platform/html/context.ts';
import { Layout } from '../../../platform/html/layout.tsx';
import type { ModuleLink } from '../../../platform/module.ts';

interface Parameter {
  name: string;
  in: string;
  required?: boolean;
  description?: string;
  schema?: { pattern?: string; type?: string; enum?: unknown[]; examples?: unknown[] };
}
interface Operation {
  operationId?: string;
  summary?: string;
  description?: string;
  parameters?: Parameter[];
  responses?: Record<string, { description?: string }>;
}
export interface OpenApiDocument {
  info: { title: string; version: string; description?: string };
  paths: Record<string, Record<string, Operation>>;
}

/** A readable page generated from the OpenAPI document, so it never drifts from the API. */
export function ApiDocsPage({ ctx, document, datasets }: { ctx: PageContext; document: OpenApiDocument; datasets: readonly ModuleLink[] }) {
  const { t } = ctx;
  const operations = Object.entries(document.paths).flatMap(([path, methods]) => Object.entries(methods).map(([method, operation]) => ({ path, method: method.toUpperCase(), operation })));
  return (
    <Layout ctx={ctx} title={t('api.title')} breadcrumbs={[{ label: t('api.title') }]}>
      <h1>{t('api.title')}</h1>
      <p>{t('api.intro')}</p>
      <p>
        <a href="/api/v1/openapi.json">{t('api.openapi')}</a> <span class="muted">(OpenAPI 3.1, JSON)</span>
      </p>
      <h2>{t('api.datasets')}</h2>
      <ul class="datasets">
        {datasets.map((dataset) => (
          <li>
            <a href={dataset.path}>{t(dataset.label)}</a> <code>{dataset.path}</code>
          </li>
        ))}
      </ul>
      <p lang="en">
        {document.info.title} {document.info.version}
      </p>
      {operations.map(({ path, method, operation }) => {
        // A path parameter's first example (from its schema) fills it in the example request.
        const example = (operation.parameters ?? []).reduce(
          (url, p) => (p.in === 'path' && p.schema?.examples?.[0] !== undefined ? url.replace(`{${p.name}}`, String(p.schema.examples[0])) : url),
          path,
        );
        return (
          <section class="operation" id={operation.operationId}>
            <h2>
              <code>
                {method} {path}
              </code>
            </h2>
            <p lang="en">
              <strong>{operation.summary}</strong>
            </p>
            {operation.description && <p lang="en">{operation.description}</p>}
            {operation.parameters && operation.parameters.length > 0 && (
              <table>
                <caption>{t('api.parameters')}</caption>
                <thead>
                  <tr>
                    <th scope="col">{t('api.name')}</th>
                    <th scope="col">{t('api.in')}</th>
                    <th scope="col">{t('api.required')}</th>
                    <th scope="col">{t('api.description')}</th>
                  </tr>
                </thead>
                <tbody>
                  {operation.parameters.map((p) => (
                    <tr>
                      <td>
                        <code>{p.name}</code>
                      </td>
                      <td>{p.in}</td>
                      <td>{p.required ? t('api.yes') : t('api.no')}</td>
                      <td lang="en">{p.description ?? p.schema?.pattern ?? ''}</td>
                    </tr>
                  ))}
                </tbody>
              </table>
            )}
            <h3>{t('api.responses')}</h3>
            <ul>
              {Object.entries(operation.responses ?? {}).map(([status, response]) => (
                <li>
                  <code>{status}</code> <span lang="en">{response.description}</span>
                </li>
              ))}
            </ul>
            <h3>{t('api.example')}</h3>
            <pre>
              <code>curl {example}</code>
            </pre>
          </section>
        );
      })}
    </Layout>
  );
}

import type { FieldError } from '../../../platform/http/forms.ts';
import type { PageContext } from '../../../platform/html/context.ts';
import { CheckboxList, ErrorSummary, LocalizedFields, Notice, SelectField, TextArea, TextField } from '../../../platform/html/forms.tsx';
import { Layout } from '../../../platform/html/layout.tsx';
import { LOCALE_INFO, LOCALES } from '../../../platform/i18n/locales.ts';
import { renderMarkdown } from '../../../platform/markdown.ts';
import type { Organisation } from '../../organisations/index.ts';
import type { Article, ArticleSummary } from '../queries.ts';
import { ARTICLE_STATUSES } from '../schemas.ts';
import { ArticleBody, articlePath, Pager, StatusBadge, Title, workspaceArticlePath } from './parts.tsx';
import { ArticleFacts, type CategoryTree } from './public.tsx';

type Values = Record<string, string>;
type Errors = Partial<Record<string, FieldError>>;

const workspaceCrumbs = (ctx: PageContext) => [
  { label: ctx.t('impl.workspace.title'), href: ctx.href('/workspace') },
  { label: ctx.t('knowledge.workspace.title'), href: ctx.href('/workspace/help') },
];

export interface WorkspaceFilter {
  status: string;
  q: string;
}

export function WorkspaceListPage({
  ctx,
  filter,
  articles,
  total,
  page,
  pages,
  tree,
  agencies,
  today,
  canCreate,
}: {
  ctx: PageContext;
  filter: WorkspaceFilter;
  articles: readonly ArticleSummary[];
  total: number;
  page: number;
  pages: number;
  tree: CategoryTree;
  agencies: ReadonlyMap<string, Organisation>;
  today: string;
  canCreate: boolean;
}) {
  const { t } = ctx;
  const query = (n: number) =>
    ctx.href(`/workspace/help?${new URLSearchParams({ ...(filter.status ? { status: filter.status } : {}), ...(filter.q ? { q: filter.q } : {}), page: String(n) }).toString()}`);
  return (
    <Layout ctx={ctx} title={t('knowledge.workspace.title')} breadcrumbs={[workspaceCrumbs(ctx)[0] as { label: string; href: string }, { label: t('knowledge.workspace.title') }]}>
      <h1>{t('knowledge.workspace.title')}</h1>
      {canCreate && (
        <p>
          <a class="button" href={ctx.href('/workspace/help/articles/new')}>
            {t('knowledge.workspace.new')}
          </a>
        </p>
      )}
      <form method="get" action={ctx.href('/workspace/help')} class="filters" role="search" aria-label={t('knowledge.workspace.search')}>
        <div class="field">
          <label for="filter-q">{t('knowledge.workspace.search')}</label>
          <input id="filter-q" name="q" type="search" value={filter.q} maxLength={200} />
        </div>
        <div class="field">
          <label for="filter-status">{t('knowledge.workspace.filterStatus')}</label>
          <select id="filter-status" name="status">
            <option value="">{t('knowledge.workspace.filterAll')}</option>
            {ARTICLE_STATUSES.map((s) => (
              <option value={s} selected={filter.status === s}>
                {t(`knowledge.status.${s}`)}
              </option>
            ))}
            <option value="review-due" selected={filter.status === 'review-due'}>
              {t('knowledge.workspace.filterReviewDue')}
            </option>
          </select>
        </div>
        <button type="submit">{t('knowledge.workspace.apply')}</button>
      </form>
      {articles.length === 0 ? (
        <p>{t('knowledge.workspace.none')}</p>
      ) : (
        <div class="table-scroll">
          <table>
            <caption>{t('knowledge.workspace.caption', { n: total })}</caption>
            <thead>
              <tr>
                <th scope="col">{t('knowledge.workspace.columnTitle')}</th>
                <th scope="col">{t('knowledge.article.category')}</th>
                <th scope="col">{t('knowledge.form.status')}</th>
                <th scope="col">{t('knowledge.article.agency')}</th>
                <th scope="col">{t('knowledge.article.review')}</th>
                <th scope="col">{t('knowledge.article.updated')}</th>
              </tr>
            </thead>
            <tbody>
              {articles.map((a) => {
                const due = a.status !== 'draft' && a.reviewOn <= today;
                const category = tree.byKey.get(a.categoryKey);
                const agency = agencies.get(a.responsibleAgency);
                return (
                  <tr class={due ? 'flagged' : undefined}>
                    <th scope="row">
                      <a href={ctx.href(workspaceArticlePath(a.id))}>
                        <Title ctx={ctx} title={a.title} />
                      </a>
                    </th>
                    <td>{category ? ctx.text(category.name) : a.categoryKey}</td>
                    <td>
                      <StatusBadge ctx={ctx} status={a.status} />
                    </td>
                    <td>{agency ? ctx.text(agency.name) : a.responsibleAgency}</td>
                    <td>
                      {ctx.date(a.reviewOn)}
                      {due && (
                        <>
                          {' '}
                          <span class="badge review-due">{t('knowledge.workspace.reviewDue')}</span>
                        </>
                      )}
                    </td>
                    <td>{ctx.date(a.updatedAt.toISOString().slice(0, 10))}</td>
                  </tr>
                );
              })}
            </tbody>
          </table>
        </div>
      )}
      <Pager ctx={ctx} page={page} pages={pages} href={query} />
    </Layout>
  );
}

export interface ArticleFormOptions {
  categories: { key: string; label: string }[];
  agencies: { value: string; label: string }[];
  commitments: { value: string; label: string }[];
}

/** The article editor; the saved text previewed below it. Officers who may not change the article see it read-only. */
export function ArticleFormPage({
  ctx,
  article,
  values,
  errors,
  commitments,
  options,
  saved,
  canEdit,
  tree,
  agency,
}: {
  ctx: PageContext;
  article: Article | undefined;
  values: Values;
  errors: Errors;
  commitments: readonly string[];
  options: ArticleFormOptions;
  saved: boolean;
  canEdit: boolean;
  tree: CategoryTree;
  agency: Organisation | undefined;
}) {
  const { t } = ctx;
  const title = article ? ctx.text(article.title) : t('knowledge.workspace.new');
  return (
    <Layout ctx={ctx} title={title} breadcrumbs={[...workspaceCrumbs(ctx), { label: title }]}>
      <h1>{title}</h1>
      {saved && <Notice>{t('knowledge.form.saved')}</Notice>}
      {article && (
        <p>
          <StatusBadge ctx={ctx} status={article.status} />
          {article.status === 'public' && (
            <>
              {' '}
              <a href={ctx.href(articlePath(article.slug))}>{t('knowledge.workspace.publicPage')}</a>
            </>
          )}
        </p>
      )}
      {article?.origin === 'seed' && <p class="muted">{t(article.editedOnPlatform ? 'knowledge.workspace.editedNote' : 'knowledge.workspace.seedNote')}</p>}
      {canEdit ? (
        <ArticleForm ctx={ctx} article={article} values={values} errors={errors} commitments={commitments} options={options} />
      ) : (
        article && (
          <>
            <p class="notice">{t('knowledge.workspace.readOnly')}</p>
            <ArticleFacts ctx={ctx} tree={tree} article={article} agency={agency} />
            <ArticleBody ctx={ctx} body={article.body} />
          </>
        )
      )}
      {canEdit && article && <Preview ctx={ctx} article={article} />}
    </Layout>
  );
}

function ArticleForm({
  ctx,
  article,
  values,
  errors,
  commitments,
  options,
}: {
  ctx: PageContext;
  article: Article | undefined;
  values: Values;
  errors: Errors;
  commitments: readonly string[];
  options: ArticleFormOptions;
}) {
  const { t } = ctx;
  const labels = {
    slug: t('knowledge.form.slug'),
    titleHant: t('knowledge.form.title'),
    titleHans: t('knowledge.form.title'),
    titleEn: t('knowledge.form.title'),
    bodyHant: t('knowledge.form.body'),
    bodyHans: t('knowledge.form.body'),
    bodyEn: t('knowledge.form.body'),
    category: t('knowledge.form.category'),
    status: t('knowledge.form.status'),
    responsibleAgency: t('knowledge.form.agency'),
    reviewOn: t('knowledge.form.reviewOn'),
    commitments: t('knowledge.form.commitments'),
    related: t('knowledge.form.related'),
    sources: t('knowledge.form.sources'),
  };
  return (
    <>
      <ErrorSummary ctx={ctx} errors={errors} labels={labels} />
      <form method="post" action={ctx.href(article ? workspaceArticlePath(article.id) : '/workspace/help/articles/new')} novalidate>
        <input type="hidden" name="_csrf" value={ctx.csrfToken()} />
        {article ? (
          <p>
            {t('knowledge.form.slug')}: <code>{article.slug}</code>
          </p>
        ) : (
          <TextField ctx={ctx} name="slug" label={labels.slug} hint={t('knowledge.form.slugHint')} value={values.slug ?? ''} error={errors.slug} />
        )}
        <LocalizedFields ctx={ctx} prefix="title" legend={labels.titleHant} hint={t('impl.form.oneLanguage')} values={values} errors={errors} />
        <LocalizedFields ctx={ctx} prefix="body" legend={labels.bodyHant} hint={t('knowledge.form.bodyHint')} values={values} errors={errors} multiline />
        <SelectField
          ctx={ctx}
          name="category"
          label={labels.category}
          value={values.category ?? ''}
          error={errors.category}
          options={options.categories.map((c) => ({ value: c.key, label: c.label }))}
        />
        <SelectField
          ctx={ctx}
          name="status"
          label={labels.status}
          value={values.status ?? 'draft'}
          error={errors.status}
          options={ARTICLE_STATUSES.map((s) => ({ value: s, label: t(`knowledge.status.${s}`) }))}
        />
        <p class="hint">{t('knowledge.form.statusHint')}</p>
        <SelectField ctx={ctx} name="responsibleAgency" label={labels.responsibleAgency} value={values.responsibleAgency ?? ''} error={errors.responsibleAgency} options={options.agencies} />
        <TextField ctx={ctx} name="reviewOn" type="date" label={labels.reviewOn} hint={t('knowledge.form.reviewOnHint')} value={values.reviewOn ?? ''} error={errors.reviewOn} />
        <CheckboxList ctx={ctx} name="commitments" legend={labels.commitments} options={options.commitments} checked={commitments} error={errors.commitments} />
        <TextArea ctx={ctx} name="related" label={labels.related} hint={t('knowledge.form.relatedHint')} value={values.related ?? ''} error={errors.related} rows={3} />
        <TextArea ctx={ctx} name="sources" label={labels.sources} hint={t('knowledge.form.sourcesHint')} value={values.sources ?? ''} error={errors.sources} rows={4} />
        <button type="submit">{t('knowledge.form.save')}</button>
      </form>
    </>
  );
}

/** The saved text in each of its languages, as the public page shows it. */
function Preview({ ctx, article }: { ctx: PageContext; article: Article }) {
  return (
    <section aria-labelledby="preview" class="article-preview">
      <h2 id="preview">{ctx.t('knowledge.form.preview')}</h2>
      {LOCALES.filter((l) => article.body[l]).map((locale) => (
        <div lang={LOCALE_INFO[locale].htmlLang}>
          <h3>
            {LOCALE_INFO[locale].autonym}: {article.title[locale] ?? ''}
          </h3>
          <div class="article-body" dangerouslySetInnerHTML={{ __html: renderMarkdown(article.body[locale] ?? '', { topHeading: 4 }) }} />
        </div>
      ))}
    </section>
  );
}

import { Type as T } from '@sinclair/typebox';
import type { FastifyReply } from 'fastify';
import { assertAuthorized, authorize } from '../../platform/auth/authorize.ts';
import type { SignedInRequest } from '../../platform/auth/plugin.ts';
import type { Principal } from '../../platform/auth/roles.ts';
import type { PageContext } from '../../platform/html/context.ts';
import { renderPage } from '../../platform/html/layout.tsx';
import { type FieldError, localizedFormValues, readForm, readList } from '../../platform/http/forms.ts';
import { pageRoute } from '../../platform/http/pages.ts';
import { useCaseContext } from '../../platform/http/use-case.ts';
import { LOCALE_INFO } from '../../platform/i18n/locales.ts';
import type { App, AppContext } from '../../platform/module.ts';
import { findOrganisation, findOrganisations } from '../organisations/index.ts';
import { notFound } from '../../platform/http/errors.ts';
import { loadCategoryTree, loadCommitmentNames } from './lookups.ts';
import { managesEveryArticle, officerAgencies } from './policy.ts';
import { type Article, type ArticleFilter, type ArticleSummary, countArticles, findArticle, findArticles } from './queries.ts';
import { agencyOptions, ARTICLE_FORM, formatSources, saveArticle } from './save-article.ts';
import { FormBody, IdParams, WorkspaceQuery } from './schemas.ts';
import { searchArticles } from './search-articles.ts';
import type { KnowledgeVersion } from './version.ts';
import { categoryOptions } from './views/parts.tsx';
import { commitmentCode, commitmentLabel } from '../agreements/index.ts';
import { type ArticleFormOptions, ArticleFormPage, WorkspaceListPage } from './views/workspace.tsx';

const workspace = { action: 'knowledge.workspace' } as const;
const post = { method: 'POST' as const, access: workspace, body: FormBody };
/** Articles a page of the workspace list shows; a search looks at the best matches only. */
const PER_PAGE = 50;
const SEARCH_LIMIT = 100;

interface FormState {
  values: Record<string, string>;
  errors: Partial<Record<string, FieldError>>;
  commitments: string[];
  saved?: boolean;
}

/** The officers' pages of the knowledge base: the list of every article, and the article editor. */
export function knowledgeWorkspaceRoutes(app: App, ctx: AppContext, version: KnowledgeVersion): void {
  const db = ctx.db.kysely;

  const ListQuerySchema = T.Object({ ...WorkspaceQuery.properties, page: T.Optional(T.String({ pattern: '^[1-9][0-9]{0,3}$' })) });
  pageRoute(app, ctx.assets, '/workspace/help', { access: workspace, querystring: ListQuerySchema }, async (request, _reply, page) => {
    const q = (request.query.q ?? '').trim();
    const status = request.query.status ?? '';
    const current = Number(request.query.page ?? '1');
    const today = ctx.today();
    const [tree, organisations] = await Promise.all([loadCategoryTree(db), findOrganisations(db)]);
    let articles: ArticleSummary[];
    let total: number;
    if (q) {
      // The best matches among public and internal articles, then the status filter, a page at a time.
      const { results } = await searchArticles({ db, query: q, locale: page.locale, visibility: ['public', 'internal'], limit: SEARCH_LIMIT });
      const matching = results.map((r) => r.article).filter((a) => (status === 'review-due' ? a.reviewOn <= today : !status || a.status === status));
      total = matching.length;
      articles = matching.slice((current - 1) * PER_PAGE, current * PER_PAGE);
    } else {
      const filter: ArticleFilter = status === 'review-due' ? { reviewDueOn: today } : status ? { statuses: [status as Article['status']] } : {};
      [articles, total] = await Promise.all([findArticles(db, { ...filter, recent: true, limit: PER_PAGE, offset: (current - 1) * PER_PAGE }), countArticles(db, filter)]);
    }
    return renderPage(
      <WorkspaceListPage
        ctx={page}
        filter={{ status, q }}
        articles={articles}
        total={total}
        page={current}
        pages={Math.ceil(total / PER_PAGE)}
        tree={tree}
        agencies={new Map(organisations.map((o) => [o.id, o]))}
        today={today}
        canCreate={authorize(request.principal, 'article.manage')}
      />,
    );
  });

  const formOptions = async (page: PageContext, principal: Principal): Promise<ArticleFormOptions> => {
    const [tree, agencies, names] = await Promise.all([loadCategoryTree(db), agencyOptions(db), loadCommitmentNames(db)]);
    const mine = new Set(officerAgencies(principal));
    const collator = new Intl.Collator(LOCALE_INFO[page.locale].intl);
    return {
      categories: categoryOptions(page, tree.categories),
      agencies: agencies
        .filter((o) => managesEveryArticle(principal) || mine.has(o.id))
        .map((o) => ({ value: o.id, label: page.text(o.name) }))
        .sort((a, b) => collator.compare(a.label, b.label)),
      commitments: names.commitments.map((c) => {
        const text = page.text(c.text);
        return { value: commitmentCode(c), label: `${commitmentLabel(page, names.areas, c)}: ${text.length > 60 ? `${text.slice(0, 60)}…` : text}` };
      }),
    };
  };

  const form = async (request: SignedInRequest, page: PageContext, article: Article | undefined, state: FormState) => {
    const principal = request.principal;
    const [options, tree, agency] = await Promise.all([formOptions(page, principal), loadCategoryTree(db), article ? findOrganisation(db, article.responsibleAgency) : undefined]);
    const canEdit = article ? authorize(principal, 'article.manage', article) : true;
    return renderPage(
      <ArticleFormPage
        ctx={page}
        article={article}
        values={state.values}
        errors={state.errors}
        commitments={state.commitments}
        options={options}
        saved={state.saved ?? false}
        canEdit={canEdit}
        tree={tree}
        agency={agency}
      />,
    );
  };

  const valuesOf = (a: Article): Record<string, string> => ({
    ...localizedFormValues('title', a.title),
    ...localizedFormValues('body', a.body),
    category: a.categoryKey,
    status: a.status,
    responsibleAgency: a.responsibleAgency,
    reviewOn: a.reviewOn,
    related: a.related.join('\n'),
    sources: formatSources(a.sources),
  });

  const submit = async (request: SignedInRequest, reply: FastifyReply, page: PageContext, existing: Article | undefined) => {
    const input = readForm(request.body, ARTICLE_FORM);
    const commitments = readList(request.body, 'commitments');
    const result = await saveArticle({ ...useCaseContext(request, ctx), principal: request.principal, ...(existing ? { existing } : {}), form: input, commitments });
    if (!result.ok) return form(request, page, existing, { values: input.values, errors: result.errors, commitments });
    version.bump();
    reply.redirect(page.href(`/workspace/help/articles/${result.id}?saved=1`), 303);
    return '';
  };

  const loadArticle = async (id: string): Promise<Article> => (await findArticle(db, { id: Number(id) })) ?? notFound('article');

  pageRoute(app, ctx.assets, '/workspace/help/articles/new', { access: workspace }, async (request, _reply, page) => {
    const principal = request.principal;
    assertAuthorized(principal, 'article.manage');
    const nextYear = `${Number(ctx.today().slice(0, 4)) + 1}${ctx.today().slice(4)}`.replace(/-02-29$/, '-02-28');
    return form(request, page, undefined, { values: { status: 'draft', reviewOn: nextYear, responsibleAgency: officerAgencies(principal)[0] ?? '' }, errors: {}, commitments: [] });
  });
  pageRoute(app, ctx.assets, '/workspace/help/articles/new', post, async (request, reply, page) => {
    assertAuthorized(request.principal, 'article.manage');
    return submit(request, reply, page, undefined);
  });

  const SavedQuery = T.Object({ saved: T.Optional(T.String({ maxLength: 20 })) });
  pageRoute(app, ctx.assets, '/workspace/help/articles/:id', { access: workspace, params: IdParams, querystring: SavedQuery }, async (request, _reply, page) => {
    const article = await loadArticle(request.params.id);
    return form(request, page, article, { values: valuesOf(article), errors: {}, commitments: article.commitments, saved: request.query.saved === '1' });
  });
  pageRoute(app, ctx.assets, '/workspace/help/articles/:id', { ...post, params: IdParams }, async (request, reply, page) => {
    const article = await loadArticle(request.params.id);
    assertAuthorized(request.principal, 'article.manage', article);
    return submit(request, reply, page, article);
  });
}

import { authorize } from '../../platform/auth/authorize.ts';
import { type PageContext, pageContext } from '../../platform/html/context.ts';
import { renderPage } from '../../platform/html/layout.tsx';
import { pageRoute } from '../../platform/http/pages.ts';
import { LOCALE_INFO, LOCALES } from '../../platform/i18n/locales.ts';
import { displayText } from '../../platform/i18n/script.ts';
import type { App, AppContext, CommitmentSection } from '../../platform/module.ts';
import { findOrganisation } from '../organisations/index.ts';
import { notFound } from '../../platform/http/errors.ts';
import { loadCategoryTree, loadCommitmentNames } from './lookups.ts';
import { findArticle, findArticles, findArticlesForCommitment } from './queries.ts';
import { KeyParams, SearchQuery, SlugParams, SuggestQuery, SuggestResponse } from './schemas.ts';
import { normaliseQuery, searchArticles } from './search-articles.ts';
import type { KnowledgeVersion } from './version.ts';
import { articlePath, categoryOptions, langOf } from './views/parts.tsx';
import { ArticlePage, CategoryPage, type CategoryTree, CommitmentArticlesSection, HelpHomePage, RESULTS_PER_PAGE, SearchPage } from './views/public.tsx';

/** How many recently updated articles the home page lists. */
const RECENT = 8;
/** How many suggestions the search box offers while typing. */
const SUGGESTIONS = 8;

/** The public pages of the knowledge base: public articles only. */
export function knowledgeRoutes(app: App, ctx: AppContext, version: KnowledgeVersion): void {
  const db = ctx.db.kysely;

  /** The category tree with its counts, read again when the knowledge base's version changes. */
  const categoryTree = (): Promise<CategoryTree> => version.memo('category-tree', () => loadCategoryTree(db));

  /** Anonymous visitors get cached pages, keyed by the knowledge base's version. */
  const cached = async (page: PageContext, render: () => Promise<preact.VNode>): Promise<string | Buffer> => {
    if (page.principal) return renderPage(await render());
    return ctx.pages.load(`${page.locale}|${page.path}|${version.stamp()}`, async () => renderPage(await render()));
  };

  pageRoute(app, ctx.assets, '/help', {}, async (request, _reply, page) =>
    cached(page, async () => {
      const [tree, recent] = await Promise.all([categoryTree(), findArticles(db, { statuses: ['public'], recent: true, limit: RECENT })]);
      return <HelpHomePage ctx={page} tree={tree} recent={recent} canManage={authorize(request.principal, 'knowledge.workspace')} />;
    }),
  );

  pageRoute(app, ctx.assets, '/help/categories/:key', { params: KeyParams }, async (request, _reply, page) =>
    cached(page, async () => {
      const tree = await categoryTree();
      const category = tree.byKey.get(request.params.key) ?? notFound('category');
      const [articles, names] = await Promise.all([findArticles(db, { categoryKeys: [category.key], statuses: ['public'] }), loadCommitmentNames(db)]);
      const sorted = [...articles].sort((a, b) => page.text(a.title).localeCompare(page.text(b.title), LOCALE_INFO[page.locale].intl));
      return <CategoryPage ctx={page} tree={tree} category={category} articles={sorted} names={names} />;
    }),
  );

  pageRoute(app, ctx.assets, '/help/articles/:slug', { params: SlugParams }, async (request, _reply, page) =>
    cached(page, async () => {
      const article = await findArticle(db, { slug: request.params.slug });
      // Drafts and internal articles do not exist for the public.
      if (article?.status !== 'public') notFound('article');
      const [tree, agency, related, names] = await Promise.all([
        categoryTree(),
        findOrganisation(db, article.responsibleAgency),
        findArticles(db, { slugs: article.related, statuses: ['public'] }),
        loadCommitmentNames(db),
      ]);
      const inOrder = article.related.flatMap((slug) => related.filter((r) => r.slug === slug));
      return <ArticlePage ctx={page} tree={tree} article={article} agency={agency} related={inOrder} names={names} canEdit={authorize(request.principal, 'article.manage', article)} />;
    }),
  );

  pageRoute(app, ctx.assets, '/help/search', { querystring: SearchQuery }, async (request, _reply, page) => {
    const query = normaliseQuery(request.query.q);
    const tree = await categoryTree();
    const category = request.query.category && tree.byKey.has(request.query.category) ? request.query.category : '';
    const current = Number(request.query.page ?? '1');
    const { total, results } = await searchArticles({ db, query, locale: page.locale, visibility: ['public'], category, limit: RESULTS_PER_PAGE, offset: (current - 1) * RESULTS_PER_PAGE });
    const views = results.map((r) => ({
      slug: r.article.slug,
      title: r.title,
      titleLang: langOf(page, { locale: r.titleLocale }),
      snippet: r.snippet,
      snippetLang: langOf(page, { locale: r.snippetLocale }),
      category: tree.byKey.get(r.article.categoryKey),
    }));
    return renderPage(
      <SearchPage
        ctx={page}
        query={query}
        category={category}
        categoryChoices={categoryOptions(page, tree.categories)}
        total={total}
        results={views}
        page={current}
        pages={Math.ceil(total / RESULTS_PER_PAGE)}
      />,
    );
  });

  // Suggestions while typing, for the search box's combobox: a JSON answer under each language prefix.
  for (const locale of LOCALES) {
    const prefix = LOCALE_INFO[locale].prefix;
    app.get(`/${prefix}/help/suggest`, { config: { access: 'public' }, schema: { hide: true, querystring: SuggestQuery, response: { 200: SuggestResponse } } }, async (request, reply) => {
      const query = normaliseQuery(request.query.q);
      const page = pageContext(locale, '/help/suggest', ctx.assets);
      const { results } = await searchArticles({ db, query, locale, visibility: ['public'], limit: SUGGESTIONS });
      const suggestions = results.map((r) => ({ title: displayText(r.article.title, locale).text, url: page.href(articlePath(r.article.slug)) }));
      reply.header('cache-control', 'no-store');
      return { query, status: page.t('knowledge.search.announce', { n: suggestions.length }), suggestions };
    });
  }
}

/** "Policy answers" on a commitment's page: the public articles linked to it (nothing when there are none). */
export function commitmentArticlesSection(ctx: AppContext, version: KnowledgeVersion): Omit<CommitmentSection, 'order'> {
  return {
    async load(ref, page) {
      const stamp = version.stamp();
      const articles = await version.memo(`commitment:${ref.agreementId}:${ref.areaNumber}-${ref.number}`, () => findArticlesForCommitment(ctx.db.kysely, ref, ['public']));
      const render = () => {
        if (articles.length === 0) return null;
        const sorted = [...articles].sort((a, b) => page.text(a.title).localeCompare(page.text(b.title), LOCALE_INFO[page.locale].intl));
        return <CommitmentArticlesSection ctx={page} articles={sorted} />;
      };
      return { stamp, render };
    },
  };
}

import type { PageContext } from '../../../platform/html/context.ts';
import { Layout } from '../../../platform/html/layout.tsx';
import type { Segment } from '../../../platform/search/highlight.ts';
import type { Organisation } from '../../organisations/index.ts';
import type { Article, ArticleSummary, Category } from '../queries.ts';
import type { AreaInfo, CommitmentInfo } from '../../agreements/index.ts';
import { ArticleBody, ArticleList, articlePath, categoryPath, CommitmentLinks, enquiryPath, HELP, Highlighted, langOf, Pager, SearchForm, searchPath, shown, workspaceArticlePath } from './parts.tsx';

/** The category tree with the number of public articles under each category. */
export interface CategoryTree {
  categories: readonly Category[];
  byKey: ReadonlyMap<string, Category>;
  /** Public articles in a category and all its sub-categories. */
  count(key: string): number;
  children(key: string | null): Category[];
  /** The category and those above it, top first. */
  line(key: string): Category[];
}

/** What pages about the agreement's commitments need to name them. */
export interface CommitmentNames {
  commitments: readonly CommitmentInfo[];
  areas: readonly AreaInfo[];
}

const helpCrumb = (ctx: PageContext) => ({ label: ctx.t('knowledge.home.title'), href: ctx.href(HELP) });

function categoryCrumbs(ctx: PageContext, tree: CategoryTree, key: string) {
  return tree.line(key).map((c) => ({ label: ctx.text(c.name), href: ctx.href(categoryPath(c.key)) }));
}

/** Send an enquiry, track one, make a suggestion: where to go when the answers are not enough. */
function Services({ ctx }: { ctx: PageContext }) {
  const { t } = ctx;
  const services = [
    { href: enquiryPath(), label: t('knowledge.services.enquiry'), hint: t('knowledge.services.enquiryHint') },
    { href: '/track', label: t('knowledge.services.track'), hint: t('knowledge.services.trackHint') },
    { href: '/suggestions/new', label: t('knowledge.services.suggestion'), hint: t('knowledge.services.suggestionHint') },
    { href: '/enquiries/statistics', label: t('knowledge.services.statistics'), hint: t('knowledge.services.statisticsHint') },
    { href: '/calendars', label: t('cal.public.title'), hint: t('knowledge.services.calendarsHint') },
  ];
  return (
    <section aria-labelledby="services" class="help-services">
      <h2 id="services">{t('knowledge.services.heading')}</h2>
      <ul class="cards">
        {services.map((s) => (
          <li class="card">
            <a href={ctx.href(s.href)}>{s.label}</a>
            <p>{s.hint}</p>
          </li>
        ))}
      </ul>
    </section>
  );
}

function CategoryTreeList({ ctx, tree, parent }: { ctx: PageContext; tree: CategoryTree; parent: string | null }) {
  const children = tree.children(parent);
  if (children.length === 0) return null;
  return (
    <ul class="category-tree">
      {children.map((c) => (
        <li>
          <a href={ctx.href(categoryPath(c.key))}>{ctx.text(c.name)}</a> <span class="count">{ctx.t('knowledge.count', { n: tree.count(c.key) })}</span>
          <CategoryTreeList ctx={ctx} tree={tree} parent={c.key} />
        </li>
      ))}
    </ul>
  );
}

export function HelpHomePage({ ctx, tree, recent, canManage }: { ctx: PageContext; tree: CategoryTree; recent: readonly ArticleSummary[]; canManage: boolean }) {
  const { t } = ctx;
  return (
    <Layout ctx={ctx} title={t('knowledge.home.title')}>
      <h1>{t('knowledge.home.title')}</h1>
      <p class="lead">{t('knowledge.home.lead')}</p>
      {canManage && (
        <p>
          <a href={ctx.href('/workspace/help')}>{t('knowledge.workspace.title')}</a>
        </p>
      )}
      <SearchForm ctx={ctx} />
      <section aria-labelledby="topics">
        <h2 id="topics">{t('knowledge.categories.heading')}</h2>
        <CategoryTreeList ctx={ctx} tree={tree} parent={null} />
      </section>
      <section aria-labelledby="recent">
        <h2 id="recent">{t('knowledge.recent.heading')}</h2>
        {recent.length === 0 ? <p>{t('knowledge.recent.none')}</p> : <ArticleList ctx={ctx} articles={recent} categories={tree.byKey} />}
      </section>
      <Services ctx={ctx} />
    </Layout>
  );
}

export function CategoryPage({ ctx, tree, category, articles, names }: { ctx: PageContext; tree: CategoryTree; category: Category; articles: readonly ArticleSummary[]; names: CommitmentNames }) {
  const { t } = ctx;
  const title = ctx.text(category.name);
  const children = tree.children(category.key);
  return (
    <Layout ctx={ctx} title={title} breadcrumbs={[helpCrumb(ctx), ...categoryCrumbs(ctx, tree, category.key).slice(0, -1), { label: title }]}>
      <h1>{title}</h1>
      <SearchForm ctx={ctx} />
      {children.length > 0 && (
        <section aria-labelledby="subtopics">
          <h2 id="subtopics">{t('knowledge.category.subcategories')}</h2>
          <CategoryTreeList ctx={ctx} tree={tree} parent={category.key} />
        </section>
      )}
      <section aria-labelledby="answers">
        <h2 id="answers">{t('knowledge.category.articles')}</h2>
        {articles.length === 0 ? <p>{t('knowledge.category.none')}</p> : <ArticleList ctx={ctx} articles={articles} />}
      </section>
      {category.commitments.length > 0 && (
        <section aria-labelledby="commitments">
          <h2 id="commitments">{t('knowledge.category.commitments')}</h2>
          <CommitmentLinks ctx={ctx} codes={category.commitments} names={names} />
        </section>
      )}
      <p>
        <a class="button secondary" href={ctx.href(enquiryPath(category.key))}>
          {t('knowledge.category.ask')}
        </a>
      </p>
    </Layout>
  );
}

export function ArticlePage({
  ctx,
  tree,
  article,
  agency,
  related,
  names,
  canEdit,
}: {
  ctx: PageContext;
  tree: CategoryTree;
  article: Article;
  agency: Organisation | undefined;
  related: readonly ArticleSummary[];
  names: CommitmentNames;
  canEdit: boolean;
}) {
  const { t } = ctx;
  const title = shown(article.title, ctx.locale);
  return (
    <Layout ctx={ctx} title={title.text} breadcrumbs={[helpCrumb(ctx), ...categoryCrumbs(ctx, tree, article.categoryKey), { label: title.text }]}>
      <article class="help-article">
        <h1 lang={langOf(ctx, title)}>{title.text}</h1>
        {canEdit && (
          <p>
            <a href={ctx.href(workspaceArticlePath(article.id))}>{t('knowledge.article.edit')}</a>
          </p>
        )}
        <ArticleFacts ctx={ctx} tree={tree} article={article} agency={agency} />
        <ArticleBody ctx={ctx} body={article.body} />
        <p class="muted">{t('knowledge.article.disclaimer')}</p>
        <Sources ctx={ctx} article={article} />
      </article>
      {related.length > 0 && (
        <section aria-labelledby="related">
          <h2 id="related">{t('knowledge.article.related')}</h2>
          <ArticleList ctx={ctx} articles={related} />
        </section>
      )}
      {article.commitments.length > 0 && (
        <section aria-labelledby="commitments">
          <h2 id="commitments">{t('knowledge.article.commitments')}</h2>
          <CommitmentLinks ctx={ctx} codes={article.commitments} names={names} />
        </section>
      )}
      <aside class="help-feedback" aria-labelledby="feedback">
        <h2 id="feedback">{t('knowledge.article.feedbackHeading')}</h2>
        <p>{t('knowledge.article.feedbackText')}</p>
        <p>
          <a class="button" href={ctx.href(enquiryPath(article.categoryKey))}>
            {t('knowledge.services.enquiry')}
          </a>
        </p>
      </aside>
    </Layout>
  );
}

/** Topic, responsible agency, dates. */
export function ArticleFacts({ ctx, tree, article, agency }: { ctx: PageContext; tree: CategoryTree; article: Article; agency: Organisation | undefined }) {
  const { t } = ctx;
  const category = tree.byKey.get(article.categoryKey);
  return (
    <dl class="facts">
      {category && (
        <>
          <dt>{t('knowledge.article.category')}</dt>
          <dd>
            <a href={ctx.href(categoryPath(category.key))}>{ctx.text(category.name)}</a>
          </dd>
        </>
      )}
      <dt>{t('knowledge.article.agency')}</dt>
      <dd>{agency ? ctx.text(agency.name) : article.responsibleAgency}</dd>
      <dt>{t('knowledge.article.updated')}</dt>
      <dd>{ctx.date(article.updatedAt.toISOString().slice(0, 10))}</dd>
      <dt>{t('knowledge.article.review')}</dt>
      <dd>{ctx.date(article.reviewOn)}</dd>
    </dl>
  );
}

function Sources({ ctx, article }: { ctx: PageContext; article: Article }) {
  if (article.sources.length === 0) return null;
  return (
    <section aria-labelledby="sources">
      <h2 id="sources">{ctx.t('knowledge.article.sources')}</h2>
      <ul class="sources">
        {article.sources.map((s) => (
          <li>
            {s.publisher}: {s.url ? <a href={s.url}>{s.title}</a> : s.title} ({s.date})
          </li>
        ))}
      </ul>
    </section>
  );
}

/** One search result: its title and the passage that matched, matches marked. */
export interface ResultView {
  slug: string;
  title: Segment[];
  titleLang: string | undefined;
  snippet: Segment[];
  snippetLang: string | undefined;
  category: Category | undefined;
}

export function SearchPage({
  ctx,
  query,
  category,
  categoryChoices,
  total,
  results,
  page,
  pages,
}: {
  ctx: PageContext;
  query: string;
  category: string;
  categoryChoices: { key: string; label: string }[];
  total: number;
  results: readonly ResultView[];
  page: number;
  pages: number;
}) {
  const { t } = ctx;
  const pageHref = (n: number) => ctx.href(`${searchPath(query, category)}&page=${n}`);
  return (
    <Layout ctx={ctx} title={query ? `${query} – ${t('knowledge.results.title')}` : t('knowledge.results.title')} breadcrumbs={[helpCrumb(ctx), { label: t('knowledge.results.title') }]}>
      <h1>{t('knowledge.results.title')}</h1>
      <SearchForm ctx={ctx} query={query} category={category} categories={categoryChoices} id="results-q" />
      {!query ? (
        <p>{t('knowledge.results.start')}</p>
      ) : total === 0 ? (
        <NoResults ctx={ctx} query={query} category={category} />
      ) : (
        <section aria-labelledby="results">
          <h2 id="results">{t('knowledge.results.total', { n: total, query })}</h2>
          <ol class="search-results" start={(page - 1) * RESULTS_PER_PAGE + 1}>
            {results.map((r) => (
              <li>
                <h3>
                  <a href={ctx.href(articlePath(r.slug))} lang={r.titleLang}>
                    <Highlighted segments={r.title} />
                  </a>
                </h3>
                {r.category && <p class="meta">{ctx.text(r.category.name)}</p>}
                <p lang={r.snippetLang}>
                  <Highlighted segments={r.snippet} />
                </p>
              </li>
            ))}
          </ol>
          <Pager ctx={ctx} page={page} pages={pages} href={pageHref} />
          <p>
            {t('knowledge.results.enquiry')} <a href={ctx.href(enquiryPath(category || undefined))}>{t('knowledge.services.enquiry')}</a>
          </p>
        </section>
      )}
    </Layout>
  );
}

export const RESULTS_PER_PAGE = 10;

function NoResults({ ctx, query, category }: { ctx: PageContext; query: string; category: string }) {
  const { t } = ctx;
  return (
    <section aria-labelledby="results" class="no-results">
      <h2 id="results">{t('knowledge.results.none', { query })}</h2>
      <h3>{t('knowledge.results.tipsHeading')}</h3>
      <ul>
        <li>{t('knowledge.results.tipWords')}</li>
        <li>{t('knowledge.results.tipScripts')}</li>
        {category && <li>{t('knowledge.results.tipCategory')}</li>}
      </ul>
      <p>
        {t('knowledge.results.enquiry')} <a href={ctx.href(enquiryPath(category || undefined))}>{t('knowledge.services.enquiry')}</a>
      </p>
    </section>
  );
}

/** The "Policy answers" section of a commitment's page. */
export function CommitmentArticlesSection({ ctx, articles }: { ctx: PageContext; articles: readonly ArticleSummary[] }) {
  const { t } = ctx;
  return (
    <section aria-labelledby="policy-answers" class="policy-answers">
      <h2 id="policy-answers">{t('knowledge.section.heading')}</h2>
      <p>{t('knowledge.section.intro')}</p>
      <ArticleList ctx={ctx} articles={articles} />
    </section>
  );
}

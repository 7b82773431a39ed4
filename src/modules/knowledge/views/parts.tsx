import type { PageContext } from '../../../platform/html/context.ts';
import { LOCALE_INFO, type Locale, type LocalizedText } from '../../../platform/i18n/locales.ts';
import { displayText } from '../../../platform/i18n/script.ts';
import { renderMarkdown } from '../../../platform/markdown.ts';
import type { Segment } from '../../../platform/search/highlight.ts';
import type { ArticleStatus } from '../tables.ts';
import type { ArticleSummary, Category } from '../queries.ts';
import { type AreaInfo, commitmentCode, type CommitmentInfo, commitmentLabel, commitmentPath } from '../../agreements/index.ts';

export const HELP = '/help';
export const articlePath = (slug: string): string => `/help/articles/${slug}`;
export const categoryPath = (key: string): string => `/help/categories/${key}`;
export const searchPath = (query: string, category = ''): string => `/help/search?${new URLSearchParams({ q: query, ...(category ? { category } : {}) }).toString()}`;
export const enquiryPath = (topic?: string): string => (topic ? `/enquiries/new?${new URLSearchParams({ topic }).toString()}` : '/enquiries/new');
export const workspaceArticlePath = (id: number): string => `/workspace/help/articles/${id}`;

/** An article text as shown in a language: its own, converted by machine from the other Chinese script, or another language. */
export interface ShownText {
  text: string;
  locale: Locale;
  convertedFrom?: Locale;
}

export const shown = (text: LocalizedText, locale: Locale): ShownText => displayText(text, locale);

/** The lang attribute a text needs when it is not in the page's language. */
export const langOf = (ctx: PageContext, text: { locale: Locale }): string | undefined => (text.locale === ctx.locale ? undefined : LOCALE_INFO[text.locale].htmlLang);

/** An article's title in the page's language (or the nearest there is), marked with its language when it differs. */
export function Title({ ctx, title }: { ctx: PageContext; title: LocalizedText }) {
  const s = shown(title, ctx.locale);
  return <span lang={langOf(ctx, s)}>{s.text}</span>;
}

/** Text with the words that matched a search marked. */
export function Highlighted({ segments }: { segments: readonly Segment[] }) {
  return <>{segments.map((s) => (s.match ? <mark>{s.text}</mark> : s.text))}</>;
}

export function StatusBadge({ ctx, status }: { ctx: PageContext; status: ArticleStatus }) {
  return <span class={`badge article-${status}`}>{ctx.t(`knowledge.status.${status}`)}</span>;
}

/** The notice above an article not written in the page's language. */
function languageNote(ctx: PageContext, text: ShownText): string | undefined {
  const language = (locale: Locale) => LOCALE_INFO[locale].autonym;
  if (text.convertedFrom) return ctx.t('knowledge.article.converted', { language: language(text.convertedFrom) });
  return text.locale === ctx.locale ? undefined : ctx.t('knowledge.article.onlyIn', { language: language(text.locale) });
}

/**
 * An article's Markdown body, rendered and sanitised: the only HTML the module inserts unescaped
 * comes from renderMarkdown.
 */
export function ArticleBody({ ctx, body }: { ctx: PageContext; body: LocalizedText }) {
  const s = shown(body, ctx.locale);
  const note = languageNote(ctx, s);
  return (
    <>
      {note && <p class="language-note">{note}</p>}
      <div class="article-body" lang={langOf(ctx, s)} dangerouslySetInnerHTML={{ __html: renderMarkdown(s.text) }} />
    </>
  );
}

/** A list of articles linking to their pages, the category named when asked. */
export function ArticleList({ ctx, articles, categories }: { ctx: PageContext; articles: readonly ArticleSummary[]; categories?: ReadonlyMap<string, Category> }) {
  return (
    <ul class="article-list">
      {articles.map((a) => {
        const category = categories?.get(a.categoryKey);
        return (
          <li>
            <a href={ctx.href(articlePath(a.slug))}>
              <Title ctx={ctx} title={a.title} />
            </a>
            {category && <span class="meta"> · {ctx.text(category.name)}</span>}
          </li>
        );
      })}
    </ul>
  );
}

/** Links to commitments of the agreement, by code. */
export function CommitmentLinks({ ctx, codes, names }: { ctx: PageContext; codes: readonly string[]; names: { commitments: readonly CommitmentInfo[]; areas: readonly AreaInfo[] } }) {
  const byCode = new Map(names.commitments.map((c) => [commitmentCode(c), c]));
  return (
    <ul>
      {codes.map((code) => {
        const c = byCode.get(code);
        return c ? (
          <li>
            <a href={ctx.href(commitmentPath(c))}>{commitmentLabel(ctx, names.areas, c)}</a>
          </li>
        ) : null;
      })}
    </ul>
  );
}

/** The search box, made a combobox with suggestions by knowledge.js where scripts run; a plain form otherwise. */
export function SearchForm({
  ctx,
  query = '',
  category,
  categories,
  id = 'help-q',
}: {
  ctx: PageContext;
  query?: string;
  category?: string;
  categories?: readonly { key: string; label: string }[];
  id?: string;
}) {
  const { t } = ctx;
  return (
    <form method="get" action={ctx.href('/help/search')} class="help-search" role="search" aria-label={t('knowledge.search.label')} data-suggest={ctx.href('/help/suggest')}>
      <div class="field">
        <label for={id}>{t('knowledge.search.label')}</label>
        <p class="hint" id={`${id}-hint`}>
          {t('knowledge.search.hint')}
        </p>
        <div class="combobox">
          <input id={id} name="q" type="search" value={query} maxLength={200} aria-describedby={`${id}-hint`} data-combobox={`${id}-listbox`} />
          <ul id={`${id}-listbox`} role="listbox" aria-label={t('knowledge.search.suggestions')} hidden />
        </div>
        <p class="visually-hidden" role="status" id={`${id}-status`} />
      </div>
      {categories && (
        <div class="field">
          <label for={`${id}-category`}>{t('knowledge.results.category')}</label>
          <select id={`${id}-category`} name="category">
            <option value="">{t('knowledge.results.allCategories')}</option>
            {categories.map((c) => (
              <option value={c.key} selected={c.key === category}>
                {c.label}
              </option>
            ))}
          </select>
        </div>
      )}
      <button type="submit">{t('knowledge.search.button')}</button>
      <script src={ctx.assets.url('knowledge.js')} defer />
    </form>
  );
}

/** Categories in tree order, each with its depth (for indented choices). */
export function categoryOptions(ctx: PageContext, categories: readonly Category[]): { key: string; label: string }[] {
  const out: { key: string; label: string }[] = [];
  const walk = (parent: string | null, depth: number) => {
    for (const c of categories.filter((x) => x.parentKey === parent)) {
      out.push({ key: c.key, label: `${'— '.repeat(depth)}${ctx.text(c.name)}` });
      walk(c.key, depth + 1);
    }
  };
  walk(null, 0);
  return out;
}

/** Previous and next pages of a list, and where the reader is. */
export function Pager({ ctx, page, pages, href }: { ctx: PageContext; page: number; pages: number; href: (page: number) => string }) {
  if (pages <= 1) return null;
  const { t } = ctx;
  return (
    <nav class="pager" aria-label={t('knowledge.pager.label')}>
      {page > 1 && (
        <a rel="prev" href={href(page - 1)}>
          ← {t('knowledge.pager.previous')}
        </a>
      )}
      <span>{t('knowledge.pager.position', { page, pages })}</span>
      {page < pages && (
        <a rel="next" href={href(page + 1)}>
          {t('knowledge.pager.next')} →
        </a>
      )}
    </nav>
  );
}

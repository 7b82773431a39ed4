import { requestInfo } from '../../platform/audit/audit.ts';
import type { PageContext } from '../../platform/html/context.ts';
import { renderPage } from '../../platform/html/layout.tsx';
import { notFound } from '../../platform/http/errors.ts';
import { readForm } from '../../platform/http/forms.ts';
import { HONEYPOT_FIELD } from '../../platform/http/honeypot.ts';
import { pageRoute } from '../../platform/http/pages.ts';
import type { App, AppContext } from '../../platform/module.ts';
import { lookupsOf } from './lookups.ts';
import { findPublicSuggestions, findSuggestion, readSettings } from './queries.ts';
import type { SuggestionsReadModel } from './read-model.ts';
import { FormBody, ListQuery, NewQuery, ReceivedQuery, ReferenceParams } from './schemas.ts';
import { SUGGESTION_FORM, submitSuggestion } from './submit-suggestion.ts';
import { isTopic } from './topics.ts';
import { ReceivedPage, SuggestionFormPage, SuggestionPage, SuggestionsListPage, MergedPage } from './views/public.tsx';
import { commitmentCode } from '../agreements/index.ts';

/** Suggestions a page of the public list shows. */
const PAGE_SIZE = 20;
/** Per address and language: this many sendings (or attempts) of the form in ten minutes. */
const SUBMIT_LIMIT = { rateLimit: { max: 10, timeWindow: 10 * 60_000 } };

/** The public pages: the list, a suggestion, and the form anyone may send one with. */
export function suggestionRoutes(app: App, ctx: AppContext, model: SuggestionsReadModel): void {
  const db = ctx.db.kysely;

  /** Anonymous visitors get cached pages, under the stamp of everything suggestions show. */
  const cached = async (page: PageContext, render: () => Promise<preact.VNode>): Promise<string | Buffer> => {
    if (page.principal) return renderPage(await render());
    return ctx.pages.load(`${page.locale}|${page.path}|${model.stamp()}`, async () => renderPage(await render()));
  };

  pageRoute(app, ctx.assets, '/suggestions', { querystring: ListQuery }, async (request, _reply, page) =>
    cached(page, async () => {
      const q = request.query;
      const lookups = await lookupsOf(ctx, model);
      const commitment = q.commitment ? lookups.commitments.find((c) => commitmentCode(c) === q.commitment) : undefined;
      const current = Math.max(1, Number(q.page || 1));
      const { rows, total } = await findPublicSuggestions(db, {
        ...(q.topic ? { topic: q.topic } : {}),
        ...(q.commitment ? { commitmentIds: commitment ? [commitment.id] : [] } : {}),
        ...(q.status ? { states: [q.status] } : {}),
        limit: PAGE_SIZE,
        offset: (current - 1) * PAGE_SIZE,
      });
      const filter = { topic: q.topic ?? '', commitment: q.commitment ?? '', status: q.status ?? '' };
      return <SuggestionsListPage ctx={page} lookups={lookups} rows={rows} total={total} page={current} pages={Math.ceil(total / PAGE_SIZE)} filter={filter} />;
    }),
  );

  const formPage = async (page: PageContext, values: Record<string, string>, errors: Partial<Record<string, string>>) => {
    const [lookups, settings] = await Promise.all([lookupsOf(ctx, model), readSettings(db)]);
    return renderPage(<SuggestionFormPage ctx={page} lookups={lookups} values={values} errors={errors} purgeAfterMonths={settings.purgeAfterMonths} />);
  };

  pageRoute(app, ctx.assets, '/suggestions/new', { querystring: NewQuery }, async (request, _reply, page) => {
    const { commitment, topic } = request.query;
    const known = commitment ? (await model.commitments()).some((c) => commitmentCode(c) === commitment) : false;
    const subject = known ? `commitment:${commitment}` : topic && isTopic(topic) ? `topic:${topic}` : '';
    const user = request.principal?.user;
    return formPage(page, { subject, locale: page.locale, name: user?.displayName ?? '', email: user?.email ?? '' }, {});
  });

  pageRoute(app, ctx.assets, '/suggestions/new', { method: 'POST', body: FormBody, config: SUBMIT_LIMIT }, async (request, reply, page) => {
    const form = readForm(request.body, SUGGESTION_FORM);
    const result = await submitSuggestion({
      db,
      form,
      body: request.body,
      commitments: await model.commitments(),
      userId: request.principal?.user.id ?? null,
      year: Number(ctx.today().slice(0, 4)),
      request: requestInfo(request),
    });
    if (!result.ok) {
      const trap = request.body[HONEYPOT_FIELD];
      return formPage(page, { ...form.values, [HONEYPOT_FIELD]: typeof trap === 'string' ? trap : '' }, result.errors);
    }
    reply.redirect(page.href(`/suggestions/received?reference=${result.reference}`), 303);
    return '';
  });

  pageRoute(app, ctx.assets, '/suggestions/received', { querystring: ReceivedQuery }, async (request, _reply, page) => {
    const suggestion = (await findSuggestion(db, request.query.reference)) ?? notFound('suggestion');
    return renderPage(<ReceivedPage ctx={page} reference={suggestion.reference} />);
  });

  pageRoute(app, ctx.assets, '/suggestions/:reference', { params: ReferenceParams }, async (request, _reply, page) =>
    cached(page, async () => {
      const reference = request.params.reference;
      const [s] = (await findPublicSuggestions(db, { references: [reference], limit: 1, offset: 0 })).rows;
      if (s) return <SuggestionPage ctx={page} lookups={await lookupsOf(ctx, model)} s={s} />;
      // A merged duplicate shows only where it went; anything else unpublished does not exist for the public.
      const merged = await findSuggestion(db, reference);
      if (merged?.state === 'merged' && merged.mergedIntoReference) return <MergedPage ctx={page} reference={merged.reference} target={merged.mergedIntoReference} />;
      return notFound('suggestion');
    }),
  );
}

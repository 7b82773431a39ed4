import type { Static } from '@sinclair/typebox';
import type { FastifyRequest } from 'fastify';
import { assertAuthorized, authorize, type RouteAction } from '../../platform/auth/authorize.ts';
import type { SignedInRequest } from '../../platform/auth/plugin.ts';
import type { Principal } from '../../platform/auth/roles.ts';
import type { PageContext } from '../../platform/html/context.ts';
import { askFirst, type Confirmation } from '../../platform/html/confirm.tsx';
import { renderPage } from '../../platform/html/layout.tsx';
import { type FieldError, type FieldsOf, type FormResult, type FormSchema, hasErrors, readForm } from '../../platform/http/forms.ts';
import { pageRoute } from '../../platform/http/pages.ts';
import { type UseCaseContext, useCaseContext } from '../../platform/http/use-case.ts';
import type { App, AppContext } from '../../platform/module.ts';
import { officerAgencies } from './inbox.ts';
import { lookupsOf } from './lookups.ts';
import { MERGE_FORM, mergeSuggestion } from './merge-suggestion.ts';
import { PUBLISH_FORM, publishSuggestion } from './publish-suggestion.ts';
import { countByState, findMergeTargets, findQueue, findSuggestion, readSettings, type Suggestion } from './queries.ts';
import type { SuggestionsReadModel } from './read-model.ts';
import { REJECT_FORM, rejectSuggestion } from './reject-suggestion.ts';
import { RESPOND_FORM, respondSuggestion } from './respond-suggestion.ts';
import { notFound } from '../../platform/http/errors.ts';
import { SETTINGS_FORM, saveSettings } from './save-settings.ts';
import { FormBody, OFFICER_VIEWS, QUEUE_VIEWS, QueueQuery, type QueueView, ReferenceParams, SavedQuery, STATE_VIEWS } from './schemas.ts';
import { isAgency } from './views/parts.tsx';
import { QueuePage, SettingsPage, SuggestionWorkPage, type WorkForms } from './views/workspace.tsx';

type Ref = Static<typeof ReferenceParams>;
/** Rows a page of the queue shows. */
const QUEUE_PAGE_SIZE = 50;
const workspace = { action: 'suggestion.workspace' } as const;
const moderate = { action: 'suggestion.moderate' } as const;
const post = (access: { action: RouteAction }) => ({ method: 'POST' as const, access, body: FormBody });
/** The agencies whose suggestions an officer sees. */
const noForm = () => ({ values: {}, errors: {} });

/** The coordinators' moderation queue and the officers' responses. Personal data is shown here only. */
export function suggestionWorkspaceRoutes(app: App, ctx: AppContext, model: SuggestionsReadModel): void {
  const db = ctx.db.kysely;

  pageRoute(app, ctx.assets, '/workspace/suggestions', { access: workspace, querystring: QueueQuery }, async (request, _reply, page) => {
    const principal = request.principal;
    const canModerate = authorize(principal, 'suggestion.moderate');
    const agencies = canModerate ? undefined : officerAgencies(principal);
    const allowed: readonly QueueView[] = canModerate ? QUEUE_VIEWS : OFFICER_VIEWS;
    const asked = request.query.state as QueueView | undefined;
    const view = asked && allowed.includes(asked) ? asked : (allowed[0] as QueueView);
    const current = Math.max(1, Number(request.query.page || 1));
    const [counts, queue, lookups] = await Promise.all([
      countByState(db, agencies),
      findQueue(db, { states: STATE_VIEWS[view], ...(agencies ? { agencies } : {}), limit: QUEUE_PAGE_SIZE, offset: (current - 1) * QUEUE_PAGE_SIZE }),
      lookupsOf(ctx, model),
    ]);
    const views = allowed.map((v) => ({ view: v, count: STATE_VIEWS[v].reduce((n, state) => n + counts[state], 0) }));
    return renderPage(
      <QueuePage
        ctx={page}
        lookups={lookups}
        views={views}
        view={view}
        rows={queue.rows}
        total={queue.total}
        page={current}
        pages={Math.ceil(queue.total / QUEUE_PAGE_SIZE)}
        canModerate={canModerate}
      />,
    );
  });

  // Settings

  const settingsPage = (page: PageContext, values: Record<string, string>, errors: Partial<Record<string, FieldError>>, saved = false) =>
    renderPage(<SettingsPage ctx={page} values={values} errors={errors} saved={saved} />);
  pageRoute(app, ctx.assets, '/workspace/suggestions/settings', { access: moderate, querystring: SavedQuery }, async (request, _reply, page) => {
    const settings = await readSettings(db);
    return settingsPage(page, { purgeAfterMonths: String(settings.purgeAfterMonths) }, {}, request.query.done === 'saved');
  });
  pageRoute(app, ctx.assets, '/workspace/suggestions/settings', post(moderate), async (request, reply, page) => {
    const form = readForm(request.body, SETTINGS_FORM);
    const result = await saveSettings({ ...useCaseContext(request, ctx), form, userId: request.principal.user.id });
    if (!result.ok) return settingsPage(page, form.values, result.errors);
    reply.redirect(page.href('/workspace/suggestions/settings?done=saved'), 303);
    return '';
  });

  // One suggestion

  const load = async (request: FastifyRequest<{ Params: Ref }>): Promise<Suggestion> => {
    const s = (await findSuggestion(db, request.params.reference)) ?? notFound('suggestion');
    assertAuthorized(request.principal, 'suggestion.view', s);
    return s;
  };

  const workPage = async (request: SignedInRequest, page: PageContext, s: Suggestion, given: Partial<WorkForms>, done?: string) => {
    const principal = request.principal;
    const can = { moderate: authorize(principal, 'suggestion.moderate'), respond: authorize(principal, 'suggestion.respond', s) };
    const forms: WorkForms = {
      publish: given.publish ?? { values: { publicTitle: s.title ?? '', publicBody: s.body ?? '' }, errors: {} },
      merge: given.merge ?? noForm(),
      reject: given.reject ?? noForm(),
      respond: given.respond ?? noForm(),
    };
    const [lookups, targets] = await Promise.all([lookupsOf(ctx, model), can.moderate && s.state === 'received' ? findMergeTargets(db, s) : Promise.resolve([])]);
    return renderPage(<SuggestionWorkPage ctx={page} lookups={lookups} s={s} can={can} forms={forms} targets={targets} done={done} />);
  };

  pageRoute(app, ctx.assets, '/workspace/suggestions/:reference', { access: workspace, params: ReferenceParams, querystring: SavedQuery }, async (request, _reply, page) =>
    workPage(request, page, await load(request), {}, request.query.done),
  );

  type Result<F extends string> = { ok: true } | { ok: false; errors: Partial<Record<F, FieldError>> };
  type Run<F extends string> = (o: { suggestion: Suggestion; form: FormResult<F>; principal: Principal; context: UseCaseContext }) => Promise<Result<F>>;

  /**
   * A decision on a suggestion: the form is read and the use case run; its errors show the page again
   * with what was typed, its success changes what the public sees and comes back with a notice.
   */
  const decision = <S extends FormSchema>(
    path: string,
    access: { action: RouteAction },
    schema: S,
    key: keyof WorkForms,
    done: string,
    run: Run<FieldsOf<S>>,
    ask?: (page: PageContext, values: Record<FieldsOf<S>, string>) => Pick<Confirmation, 'question' | 'consequence' | 'confirm'> | undefined,
  ) =>
    pageRoute(app, ctx.assets, `/workspace/suggestions/:reference/${path}`, { ...post(access), params: ReferenceParams }, async (request, reply, page) => {
      const suggestion = await load(request);
      const form = readForm(request.body, schema);
      // A decision that cannot be taken back asks first, once its form is filled in.
      const question = ask && !hasErrors(form.errors) ? ask(page, form.values) : undefined;
      if (question) {
        const asking = askFirst(request, page, { ...question, subject: suggestion.reference, back: `/workspace/suggestions/${suggestion.reference}` });
        if (asking) return asking;
      }
      const result = await run({ suggestion, form, principal: request.principal, context: useCaseContext(request, ctx) });
      if (!result.ok) return workPage(request, page, (await findSuggestion(db, suggestion.reference)) ?? suggestion, { [key]: { values: form.values, errors: result.errors } });
      model.changed();
      reply.redirect(page.href(`/workspace/suggestions/${suggestion.reference}?done=${done}`), 303);
      return '';
    });

  /** What every decision's use case takes. */
  const base = (context: UseCaseContext) => ({ ...context, publicUrl: ctx.config.publicUrl });
  const agencies = async () => new Map([...(await model.organisations()).values()].filter(isAgency).map((o) => [o.id, o]));

  decision('publish', moderate, PUBLISH_FORM, 'publish', 'published', async ({ suggestion, form, principal, context }) =>
    publishSuggestion({ ...base(context), suggestion, form, agencies: await agencies(), moderatorId: principal.user.id }),
  );
  decision(
    'merge',
    moderate,
    MERGE_FORM,
    'merge',
    'merged',
    async ({ suggestion, form, principal, context }) => mergeSuggestion({ ...base(context), suggestion, form, moderatorId: principal.user.id }),
    (page) => ({
      question: page.t('suggestions.work.confirmMerge.question'),
      consequence: page.t('suggestions.work.confirmMerge.consequence'),
      confirm: page.t('suggestions.work.confirmMerge.confirm'),
    }),
  );
  decision(
    'reject',
    moderate,
    REJECT_FORM,
    'reject',
    'rejected',
    async ({ suggestion, form, principal, context }) => rejectSuggestion({ ...base(context), suggestion, form, moderatorId: principal.user.id }),
    (page, values) =>
      // Without a reason, the page says one is needed.
      values.reason
        ? { question: page.t('suggestions.work.confirmReject.question'), consequence: page.t('suggestions.work.confirmReject.consequence'), confirm: page.t('suggestions.work.confirmReject.confirm') }
        : undefined,
  );
  decision('respond', workspace, RESPOND_FORM, 'respond', 'responded', async ({ suggestion, form, principal, context }) => {
    assertAuthorized(principal, 'suggestion.respond', suggestion);
    const agency = (await model.organisations()).get(suggestion.responsibleAgency ?? '');
    return respondSuggestion({ ...base(context), suggestion, form, agencyName: agency?.name ?? {}, responderId: principal.user.id });
  });
}

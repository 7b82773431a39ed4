import { Type as T } from '@sinclair/typebox';
import type { FastifyReply, FastifyRequest } from 'fastify';
import { assertAuthorized, authorize } from '../../platform/auth/authorize.ts';
import type { SignedInRequest } from '../../platform/auth/plugin.ts';
import { agenciesOf, coordinatesSide, type Principal } from '../../platform/auth/roles.ts';
import type { Side } from '../../platform/db/schema.ts';
import type { FileStore } from '../../platform/files/files.ts';
import { type PendingFile, receiveFormFiles } from '../../platform/files/pending.ts';
import type { PageContext } from '../../platform/html/context.ts';
import { renderPage } from '../../platform/html/layout.tsx';
import { HttpError, notFound } from '../../platform/http/errors.ts';
import { Choice, type FieldError, Fields, localizedFormValues, readForm, readList, Text } from '../../platform/http/forms.ts';
import { pageRoute } from '../../platform/http/pages.ts';
import { useCaseContext } from '../../platform/http/use-case.ts';
import type { MessageKey } from '../../platform/i18n/messages.ts';
import { type App, type AppContext, inboxOf, visibleLinks } from '../../platform/module.ts';
import { confirmActual } from './confirm-actual.ts';
import { DECISION_FORM, decideUpdate } from './decide-update.ts';
import { lookups } from './lookups.ts';
import { addDays } from './progress.ts';
import { type Action, findAction, findActions } from './queries/actions.ts';
import { findMilestones } from './queries/milestones.ts';
import { findIndicators, type Indicator } from './queries/indicators.ts';
import { findUpdate, findUpdates } from './queries/updates.ts';
import { findProjectAgreements } from './queries/project-agreements.ts';
import { findMeetings } from './queries/meetings.ts';
import { findOpenMilestonesFor } from './queries/digests.ts';
import type { ImplementationReadModel } from './read-model.ts';
import { ACTION_FORM, saveAction } from './save-action.ts';
import { INDICATOR_FORM, PERIOD_FORM, saveIndicator, savePeriodForm } from './save-indicator.ts';
import { MILESTONE_FORM, saveMilestone } from './save-milestone.ts';
import { reportablePeriods, saveUpdate, UPDATE_FORM } from './save-update.ts';
import { CodeParams, IdParams } from './schemas.ts';
import { ActionFormPage, milestoneFormValues } from './views/workspace/action-form.tsx';
import { WorkspaceHome } from './views/workspace/home.tsx';
import { IndicatorFormPage } from './views/workspace/indicator-form.tsx';
import { IndicatorsAdminPage } from './views/workspace/indicators.tsx';
import { UpdateFormPage } from './views/workspace/update-form.tsx';
import type { CommitmentKey } from '../agreements/index.ts';

import { type FormRequest, MAX_UPDATE_FILES, post, SavedQuery, upload, workspace } from './workspace-forms.ts';
import { recordRoutes } from './workspace-records.tsx';

/** The commitment a new indicator is defined under (its id). */
const INDICATOR_COMMITMENT_FORM = Fields({ commitment: Text(10) });
/** A side confirming its figure for a period of a joint indicator. */
const CONFIRM_FORM = Fields({ period: Text(12), side: Choice(['hong-kong', 'zhejiang']) });

/** The workspace of officers and coordinators: actions, milestones, updates, indicators, project agreements, meetings. */
export function workspaceRoutes(app: App, ctx: AppContext, model: ImplementationReadModel, files: FileStore): void {
  const db = ctx.db.kysely;
  const { organisationsMap, areas, commitmentByCode, commitmentOf, commitmentOptions, loadAction, countSources } = lookups(ctx, model);
  const changed = () => ctx.invalidate();

  pageRoute(app, ctx.assets, '/workspace', { access: workspace }, async (request, _reply, page) => {
    const principal = request.principal;
    const agencies = agenciesOf(principal);
    const today = ctx.today();
    const mySides = (['hong-kong', 'zhejiang'] as Side[]).filter((s) => coordinatesSide(principal, s));
    const [actions, milestones, mine, toDecide, organisations, inbox] = await Promise.all([
      findActions(db, { organisationIds: agencies }),
      findOpenMilestonesFor(db, agencies, addDays(today, 14)),
      findUpdates(db, { organisationIds: agencies, states: ['draft', 'returned', 'submitted'], limit: 50 }),
      Promise.all(mySides.map((side) => findUpdates(db, { side, states: ['submitted'], limit: 100 }))).then((lists) => lists.flat()),
      organisationsMap(),
      inboxOf(ctx, page),
    ]);
    const referenced = await findActions(db, { ids: [...new Set([...mine, ...toDecide].map((u) => u.actionId))] });
    const statuses = await Promise.all(actions.map(async (a) => ({ ...a, effectiveStatus: (await model.actionStatus(a.id)) ?? a.status })));
    const links = visibleLinks(ctx, 'workspaceTiles', page);
    return renderPage(
      <WorkspaceHome
        ctx={page}
        actions={statuses}
        actionTitles={new Map([...actions, ...referenced].map((a) => [a.id, a.title]))}
        milestones={milestones}
        mine={mine}
        toDecide={toDecide.filter((u) => authorize(principal, 'update.decide', u))}
        organisations={organisations}
        today={today}
        links={links}
        inbox={inbox}
      />,
    );
  });

  // Actions and their milestones

  const actionForm = async (
    request: SignedInRequest,
    page: PageContext,
    commitment: CommitmentKey,
    action: Action | undefined,
    state: {
      values: Record<string, string>;
      errors: Partial<Record<string, FieldError>>;
      partners: string[];
      saved?: boolean;
      milestoneValues?: Record<string, string>;
      milestoneErrors?: Partial<Record<string, FieldError>>;
    },
  ) => {
    const principal = request.principal;
    const siblings = (await findActions(db, { commitmentIds: [commitment.id] })).filter((a) => a.id !== action?.id);
    const meetings = await findMeetings(db);
    const areaList = await areas();
    return renderPage(
      <ActionFormPage
        ctx={page}
        commitment={commitment}
        areas={areaList}
        action={action}
        values={state.values}
        errors={state.errors}
        partners={state.partners}
        organisations={await organisationsMap()}
        canAssign={{ 'hong-kong': authorize(principal, 'action.assign-lead', 'hong-kong'), zhejiang: authorize(principal, 'action.assign-lead', 'zhejiang') }}
        parents={siblings.map((a) => ({ id: a.id, title: a.title }))}
        decisions={meetings.flatMap((m) =>
          m.decisions.filter((d) => d.commitmentId === null || d.commitmentId === commitment.id).map((d) => ({ id: d.id, label: `${m.reference} #${d.number} ${page.text(d.text)}`.slice(0, 160) })),
        )}
        saved={state.saved ?? false}
        milestones={action ? await findMilestones(db, { actionIds: [action.id] }) : []}
        milestoneValues={state.milestoneValues ?? {}}
        milestoneErrors={state.milestoneErrors ?? {}}
        updates={action ? await findUpdates(db, { actionIds: [action.id], limit: 100 }) : []}
        canReport={action ? authorize(principal, 'update.create', action) : false}
        today={ctx.today()}
      />,
    );
  };
  const actionValues = (a: Action): Record<string, string> => ({
    ...localizedFormValues('title', a.title),
    ...localizedFormValues('description', a.description),
    leadHongKong: a.leadHongKong ?? '',
    leadZhejiang: a.leadZhejiang ?? '',
    startsOn: a.startsOn ?? '',
    endsOn: a.endsOn ?? '',
    status: a.status,
    statusReason: a.statusReason ?? '',
    parentId: a.parentId === null ? '' : String(a.parentId),
    decisionId: a.decisionId === null ? '' : String(a.decisionId),
  });

  const NewActionQuery = T.Object({ parent: T.Optional(T.String({ pattern: '^[1-9][0-9]{0,9}$' })), decision: T.Optional(T.String({ pattern: '^[1-9][0-9]{0,9}$' })) });
  pageRoute(app, ctx.assets, '/workspace/commitments/:code/actions/new', { access: workspace, params: CodeParams, querystring: NewActionQuery }, async (request, _reply, page) => {
    const commitment = await commitmentByCode(request.params.code);
    const parent = request.query.parent ? await findAction(db, Number(request.query.parent)) : undefined;
    assertAuthorized(request.principal, 'action.create', parent);
    const inherited: Record<string, string> = parent ? { leadHongKong: parent.leadHongKong ?? '', leadZhejiang: parent.leadZhejiang ?? '', parentId: String(parent.id) } : {};
    return actionForm(request, page, commitment, undefined, {
      values: { status: 'planned', ...inherited, ...(request.query.decision ? { decisionId: request.query.decision } : {}) },
      errors: {},
      partners: [],
    });
  });
  pageRoute(app, ctx.assets, '/workspace/commitments/:code/actions/new', { ...post(workspace), params: CodeParams }, async (request, reply, page) => {
    const commitment = await commitmentByCode(request.params.code);
    const form = readForm(request.body, ACTION_FORM);
    const parent = form.values.parentId ? await findAction(db, Number(form.values.parentId)) : undefined;
    assertAuthorized(request.principal, 'action.create', parent);
    const partners = readList(request.body, 'partners');
    const result = await saveAction({ ...useCaseContext(request, ctx), principal: request.principal, commitmentId: commitment.id, form, partners });
    if (!result.ok) return actionForm(request, page, commitment, undefined, { values: form.values, errors: result.errors, partners });
    changed();
    reply.redirect(page.href(`/workspace/actions/${result.id}?saved=1`), 303);
    return '';
  });

  pageRoute(app, ctx.assets, '/workspace/actions/:id', { access: workspace, params: IdParams, querystring: SavedQuery }, async (request, _reply, page) => {
    const action = await loadAction(request.params.id);
    assertAuthorized(request.principal, 'action.edit', action);
    return actionForm(request, page, await commitmentOf(action.commitmentId), action, { values: actionValues(action), errors: {}, partners: action.partners, saved: request.query.saved === '1' });
  });
  pageRoute(app, ctx.assets, '/workspace/actions/:id', { ...post(workspace), params: IdParams }, async (request, reply, page) => {
    const action = await loadAction(request.params.id);
    assertAuthorized(request.principal, 'action.edit', action);
    const form = readForm(request.body, ACTION_FORM);
    const partners = readList(request.body, 'partners');
    const commitment = await commitmentOf(action.commitmentId);
    const result = await saveAction({ ...useCaseContext(request, ctx), principal: request.principal, commitmentId: action.commitmentId, existingId: action.id, form, partners });
    if (!result.ok) return actionForm(request, page, commitment, action, { values: form.values, errors: result.errors, partners });
    changed();
    reply.redirect(page.href(`/workspace/actions/${action.id}?saved=1`), 303);
    return '';
  });

  pageRoute(app, ctx.assets, '/workspace/actions/:id/milestones', { ...post(workspace), params: IdParams }, async (request, reply, page) => {
    const action = await loadAction(request.params.id);
    assertAuthorized(request.principal, 'action.edit', action);
    const form = readForm(request.body, MILESTONE_FORM);
    const result = await saveMilestone({ ...useCaseContext(request, ctx), actionId: action.id, form, today: ctx.today() });
    if (!result.ok) {
      return actionForm(request, page, await commitmentOf(action.commitmentId), action, {
        values: actionValues(action),
        errors: {},
        partners: action.partners,
        milestoneValues: form.values,
        milestoneErrors: { ...result.errors, _id: 'new' as FieldError },
      });
    }
    changed();
    reply.redirect(page.href(`/workspace/actions/${action.id}?saved=1#milestones`), 303);
    return '';
  });

  pageRoute(app, ctx.assets, '/workspace/milestones/:id', { ...post(workspace), params: IdParams }, async (request, reply, page) => {
    const milestone = (await findMilestones(db, { ids: [Number(request.params.id)] }))[0] ?? notFound('milestone');
    const action = await loadAction(String(milestone.actionId));
    assertAuthorized(request.principal, 'action.edit', action);
    const form = readForm(request.body, MILESTONE_FORM);
    const result = await saveMilestone({ ...useCaseContext(request, ctx), actionId: action.id, existingId: milestone.id, form, today: ctx.today() });
    if (!result.ok) {
      return actionForm(request, page, await commitmentOf(action.commitmentId), action, {
        values: actionValues(action),
        errors: {},
        partners: action.partners,
        milestoneValues: { ...milestoneFormValues(milestone), ...form.values },
        milestoneErrors: { ...result.errors, _id: String(milestone.id) as FieldError },
      });
    }
    changed();
    reply.redirect(page.href(`/workspace/actions/${action.id}?saved=1#milestones`), 303);
    return '';
  });

  // Progress updates

  const updateForm = async (
    request: SignedInRequest,
    page: PageContext,
    action: Action,
    updateId: number | undefined,
    state: {
      values?: Record<string, string>;
      errors?: Partial<Record<string, FieldError>>;
      decisionErrors?: Partial<Record<string, FieldError>>;
      linked?: string[];
      notice?: MessageKey;
      pending?: PendingFile[];
    },
  ) => {
    const principal = request.principal;
    const update = updateId === undefined ? undefined : await findUpdate(db, updateId);
    const canEdit = update ? authorize(principal, 'update.edit', update) : authorize(principal, 'update.create', action);
    return renderPage(
      <UpdateFormPage
        ctx={page}
        sources={countSources}
        action={action}
        update={update}
        values={state.values ?? (update ? localizedFormValues('narrative', update.narrative) : {})}
        errors={state.errors ?? {}}
        periods={await reportablePeriods(db, action, ctx.today())}
        projectAgreements={await findProjectAgreements(db, { commitmentIds: [action.commitmentId] })}
        linked={state.linked ?? (update ? update.projectAgreementIds.map(String) : [])}
        organisations={await organisationsMap()}
        canEdit={canEdit}
        canDecide={update ? authorize(principal, 'update.decide', update) : false}
        decisionErrors={state.decisionErrors ?? {}}
        notice={state.notice}
        pending={state.pending ?? []}
      />,
    );
  };
  const mayView = (principal: Principal, update: { organisationId: string; side: Side }) =>
    agenciesOf(principal).includes(update.organisationId) || coordinatesSide(principal, update.side) || authorize(principal, 'indicator.manage');

  const submitUpdate = async (request: FormRequest, reply: FastifyReply, page: PageContext, action: Action, existingId: number | undefined) => {
    const principal = request.principal;
    const existing = existingId === undefined ? undefined : ((await findUpdate(db, existingId)) ?? notFound('update'));
    if (existing) assertAuthorized(principal, 'update.edit', existing);
    else assertAuthorized(principal, 'update.create', action);
    const form = readForm(request.body, UPDATE_FORM);
    // Evidence that came with a refused attempt is kept, shown again and sent with the corrected form.
    const attachments = await receiveFormFiles({ request, reply, db, files, field: 'attachments', maxFiles: MAX_UPDATE_FILES });
    const linked = readList(request.body, 'projectAgreements');
    if (attachments.removed) return updateForm(request, page, action, existingId, { values: form.values, linked, pending: await attachments.keep() });
    const result = await saveUpdate({
      ...useCaseContext(request, ctx),
      principal,
      locale: page.locale,
      action,
      ...(existing ? { existing } : {}),
      form,
      body: request.body,
      projectAgreementIds: linked,
      removeAttachments: readList(request.body, 'removeAttachments'),
      storeFiles: attachments.store,
      fileError: attachments.error,
      today: ctx.today(),
    });
    if (!result.ok) return updateForm(request, page, action, existingId, { values: { ...form.values, ...result.values }, errors: result.errors, linked, pending: await attachments.keep() });
    reply.redirect(page.href(`/workspace/updates/${result.id}?saved=${result.submitted ? 'submitted' : 'draft'}`), 303);
    return '';
  };

  pageRoute(app, ctx.assets, '/workspace/actions/:id/updates/new', { access: workspace, params: IdParams }, async (request, _reply, page) => {
    const action = await loadAction(request.params.id);
    assertAuthorized(request.principal, 'update.create', action);
    return updateForm(request, page, action, undefined, {});
  });
  pageRoute(app, ctx.assets, '/workspace/actions/:id/updates/new', { ...upload(workspace), params: IdParams }, async (request, reply, page) =>
    submitUpdate(request, reply, page, await loadAction(request.params.id), undefined),
  );

  pageRoute(app, ctx.assets, '/workspace/updates/:id', { access: workspace, params: IdParams, querystring: SavedQuery }, async (request, _reply, page) => {
    const update = (await findUpdate(db, Number(request.params.id))) ?? notFound('update');
    if (!mayView(request.principal, update)) throw new HttpError(403, 'forbidden', 'Not your agency’s update');
    const notice =
      request.query.saved === 'submitted'
        ? 'impl.update.submittedNotice'
        : request.query.saved === 'draft'
          ? 'impl.saved'
          : request.query.saved === 'decided'
            ? 'impl.update.decidedNotice'
            : undefined;
    return updateForm(request, page, await loadAction(String(update.actionId)), update.id, notice ? { notice } : {});
  });
  pageRoute(app, ctx.assets, '/workspace/updates/:id', { ...upload(workspace), params: IdParams }, async (request, reply, page) => {
    const update = (await findUpdate(db, Number(request.params.id))) ?? notFound('update');
    return submitUpdate(request, reply, page, await loadAction(String(update.actionId)), update.id);
  });
  pageRoute(app, ctx.assets, '/workspace/updates/:id/decision', { ...post(workspace), params: IdParams }, async (request, reply, page) => {
    const update = (await findUpdate(db, Number(request.params.id))) ?? notFound('update');
    assertAuthorized(request.principal, 'update.decide', update);
    const form = readForm(request.body, DECISION_FORM);
    const result = await decideUpdate({ ...useCaseContext(request, ctx), update, form, deciderId: request.principal.user.id, publicUrl: ctx.config.publicUrl });
    if (!result.ok) return updateForm(request, page, await loadAction(String(update.actionId)), update.id, { decisionErrors: result.errors });
    changed();
    reply.redirect(page.href(`/workspace/updates/${update.id}?saved=decided`), 303);
    return '';
  });

  // Indicators

  const indicatorAccess = { action: 'indicator.manage' } as const;
  const indicatorValues = (i: Indicator): Record<string, string> => ({
    ...localizedFormValues('name', i.name),
    ...localizedFormValues('unit', i.unit),
    ...localizedFormValues('description', i.description),
    ...localizedFormValues('source', i.source),
    measure: i.measure,
    direction: i.direction,
    scope: i.scope,
    baseline: i.baselineValue !== null ? String(i.baselineValue) : page0(i.baselineText),
    baselineOn: i.baselineOn ?? '',
  });
  const page0 = (text: Indicator['baselineText']) => (text ? (Object.values(text)[0] ?? '') : '');
  const indicatorForm = async (
    request: FastifyRequest,
    page: PageContext,
    indicator: Indicator | undefined,
    state: { values: Record<string, string>; errors?: Partial<Record<string, FieldError>>; periodValues?: Record<string, string>; periodErrors?: Partial<Record<string, FieldError>>; saved?: boolean },
  ) =>
    renderPage(
      <IndicatorFormPage
        ctx={page}
        sources={countSources}
        indicator={indicator}
        values={state.values}
        errors={state.errors ?? {}}
        commitmentOptions={await commitmentOptions(page)}
        periodValues={state.periodValues ?? {}}
        periodErrors={state.periodErrors ?? {}}
        saved={state.saved ?? false}
        canConfirm={(side) => authorize(request.principal, 'actual.confirm', side)}
      />,
    );
  const loadIndicator = async (id: string) => (await model.withCounts(await findIndicators(db, { ids: [Number(id)] })))[0] ?? notFound('indicator');

  pageRoute(app, ctx.assets, '/workspace/indicators', { access: indicatorAccess }, async (_request, _reply, page) =>
    renderPage(
      <IndicatorsAdminPage ctx={page} sources={countSources} indicators={await model.withCounts(await findIndicators(db))} commitments={await model.commitmentKeys()} areas={await areas()} />,
    ),
  );
  pageRoute(app, ctx.assets, '/workspace/indicators/new', { access: indicatorAccess }, async (request, _reply, page) => indicatorForm(request, page, undefined, { values: {} }));
  pageRoute(app, ctx.assets, '/workspace/indicators/new', post(indicatorAccess), async (request, reply, page) => {
    const form = readForm(request.body, INDICATOR_FORM);
    const commitmentId = Number(readForm(request.body, INDICATOR_COMMITMENT_FORM).values.commitment);
    const known = (await model.commitmentKeys()).some((c) => c.id === commitmentId);
    const result = known
      ? await saveIndicator({ ...useCaseContext(request, ctx), sources: countSources, commitmentId, form, locale: page.locale })
      : ({ ok: false, errors: { ...form.errors, commitment: 'required' } } as const);
    if (!result.ok) return indicatorForm(request, page, undefined, { values: { ...form.values, commitment: String(request.body.commitment ?? '') }, errors: result.errors });
    changed();
    reply.redirect(page.href(`/workspace/indicators/${result.id}?saved=1`), 303);
    return '';
  });
  pageRoute(app, ctx.assets, '/workspace/indicators/:id', { access: indicatorAccess, params: IdParams, querystring: SavedQuery }, async (request, _reply, page) => {
    const indicator = await loadIndicator(request.params.id);
    return indicatorForm(request, page, indicator, { values: indicatorValues(indicator), saved: request.query.saved === '1' });
  });
  pageRoute(app, ctx.assets, '/workspace/indicators/:id', { ...post(indicatorAccess), params: IdParams }, async (request, reply, page) => {
    const indicator = await loadIndicator(request.params.id);
    const form = readForm(request.body, INDICATOR_FORM);
    const result = await saveIndicator({ ...useCaseContext(request, ctx), sources: countSources, commitmentId: indicator.commitmentId, existing: indicator, form, locale: page.locale });
    if (!result.ok) return indicatorForm(request, page, indicator, { values: form.values, errors: result.errors });
    changed();
    reply.redirect(page.href(`/workspace/indicators/${indicator.id}?saved=1`), 303);
    return '';
  });
  pageRoute(app, ctx.assets, '/workspace/indicators/:id/periods', { ...post(indicatorAccess), params: IdParams }, async (request, reply, page) => {
    const indicator = await loadIndicator(request.params.id);
    const form = readForm(request.body, PERIOD_FORM);
    const result = await savePeriodForm({ ...useCaseContext(request, ctx), indicator, form, locale: page.locale });
    if (!result.ok) return indicatorForm(request, page, indicator, { values: indicatorValues(indicator), periodValues: form.values, periodErrors: result.errors });
    changed();
    reply.redirect(page.href(`/workspace/indicators/${indicator.id}?saved=1#periods`), 303);
    return '';
  });
  pageRoute(app, ctx.assets, '/workspace/indicators/:id/confirm', { ...post(indicatorAccess), params: IdParams }, async (request, reply, page) => {
    const indicator = await loadIndicator(request.params.id);
    const form = readForm(request.body, CONFIRM_FORM);
    const period = indicator.periods.find((p) => String(p.id) === form.values.period);
    if (!period || form.errors.side || indicator.scope !== 'joint') throw new HttpError(400, 'invalid_confirmation', 'No such figure to confirm');
    const side = form.values.side as Side;
    assertAuthorized(request.principal, 'actual.confirm', side);
    await confirmActual({ ...useCaseContext(request, ctx), periodId: period.id, side, userId: request.principal.user.id });
    changed();
    reply.redirect(page.href(`/workspace/indicators/${indicator.id}?saved=1#periods`), 303);
    return '';
  });
  recordRoutes(app, ctx, model, files);
}

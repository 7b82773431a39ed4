import { Type as T } from '@sinclair/typebox';
import { isReversed } from '../../platform/http/dates.ts';
import { authorize } from '../../platform/auth/authorize.ts';
import { groupBy } from '../../platform/collections.ts';
import { type FileStore, sendFile } from '../../platform/files/files.ts';
import type { PageContext } from '../../platform/html/context.ts';
import { renderPage } from '../../platform/html/layout.tsx';
import { pageRoute } from '../../platform/http/pages.ts';
import type { App, AppContext } from '../../platform/module.ts';
import { notFound } from '../../platform/http/errors.ts';
import { lookups } from './lookups.ts';
import { agenciesOf, coordinatesSide } from '../../platform/auth/roles.ts';
import { type Action, findAction } from './queries/actions.ts';
import { findIndicators } from './queries/indicators.ts';
import { findUpdates } from './queries/updates.ts';
import { findFileUse } from './queries/files.ts';
import { findProjectAgreements } from './queries/project-agreements.ts';
import { findMeetings } from './queries/meetings.ts';
import type { DashboardFilter, ImplementationReadModel } from './read-model.ts';
import { DashboardQuery, IdParams } from './schemas.ts';
import { ActionPage } from './views/public/action.tsx';
import { DashboardPage } from './views/public/dashboard.tsx';
import { IndicatorPage } from './views/public/indicator.tsx';
import { MeetingPage, MeetingsPage } from './views/public/meetings.tsx';
import { ProjectAgreementPage, ProjectAgreementsPage } from './views/public/project-agreements.tsx';

/** The public pages of implementation: approved data only. */
export function implementationRoutes(app: App, ctx: AppContext, model: ImplementationReadModel, files: FileStore): void {
  const db = ctx.db.kysely;
  const { organisationsMap, areas, commitmentOf, loadAction, countSources } = lookups(ctx, model);

  // -------------------------------------------------------------------------------------------------
  // Public pages: approved data only.

  /** Anonymous visitors get cached pages; the key holds everything that may change them. */
  const cached = async (page: PageContext, render: () => Promise<preact.VNode>): Promise<string | Buffer> => {
    if (page.principal) return renderPage(await render());
    return ctx.pages.load(`${page.locale}|${page.path}|${model.stamp()}`, async () => renderPage(await render()));
  };

  pageRoute(app, ctx.assets, '/dashboard', { querystring: DashboardQuery }, async (request, _reply, page) => {
    const q = request.query;
    const filter: DashboardFilter = {
      ...(q.area ? { area: Number(q.area) } : {}),
      ...(q.side ? { side: q.side } : {}),
      ...(q.agency ? { agency: q.agency } : {}),
      ...(q.from ? { from: q.from } : {}),
      ...(q.to ? { to: q.to } : {}),
    };
    return cached(page, async () => {
      const [dashboard, areaList, organisations] = await Promise.all([model.dashboard(filter), areas(), organisationsMap()]);
      const agencies = [...organisations.values()]
        .filter((o) => o.side === 'hong-kong' || o.side === 'zhejiang')
        .map((o) => ({ id: o.id, name: page.text(o.name) }))
        .sort((a, b) => a.name.localeCompare(b.name, page.locale));
      // A period that ends before it starts is named on the page instead of counted.
      const reversed = isReversed(filter.from, filter.to);
      return (
        <DashboardPage
          ctx={page}
          sources={countSources}
          dashboard={dashboard}
          filter={filter}
          reversed={reversed}
          areas={areaList}
          organisations={organisations}
          agencies={agencies}
          today={ctx.today()}
        />
      );
    });
  });

  pageRoute(app, ctx.assets, '/implementation/actions/:id', { params: IdParams }, async (request, _reply, page) => {
    return cached(page, async () => {
      const action = await loadAction(request.params.id);
      const data = await model.commitment(action.commitmentId);
      const find = (nodes: typeof data.actions): (typeof data.actions)[number] | undefined => {
        for (const n of nodes) {
          if (n.id === action.id) return n;
          const inner = find(n.children);
          if (inner) return inner;
        }
        return undefined;
      };
      const node = find(data.actions) ?? notFound('action');
      const [commitment, areaList, organisations, history] = await Promise.all([
        commitmentOf(action.commitmentId),
        areas(),
        organisationsMap(),
        findUpdates(db, { actionIds: [action.id], states: ['approved'], limit: 50 }),
      ]);
      const parent = action.parentId === null ? undefined : await findAction(db, action.parentId);
      return (
        <ActionPage
          ctx={page}
          sources={countSources}
          action={node}
          commitment={commitment}
          areas={areaList}
          organisations={organisations}
          today={ctx.today()}
          history={history}
          indicators={data.indicators.filter((i) => i.actionId === action.id)}
          parent={parent}
        />
      );
    });
  });

  pageRoute(app, ctx.assets, '/implementation/indicators/:id', { params: IdParams }, async (request, _reply, page) => {
    return cached(page, async () => {
      const indicator = (await model.withCounts(await findIndicators(db, { ids: [Number(request.params.id)] })))[0] ?? notFound('indicator');
      return <IndicatorPage ctx={page} sources={countSources} indicator={indicator} commitment={await commitmentOf(indicator.commitmentId)} areas={await areas()} />;
    });
  });

  pageRoute(app, ctx.assets, '/project-agreements', {}, async (_request, _reply, page) =>
    cached(page, async () => <ProjectAgreementsPage ctx={page} agreements={await findProjectAgreements(db)} organisations={await organisationsMap()} />),
  );

  pageRoute(app, ctx.assets, '/project-agreements/:id', { params: IdParams }, async (request, _reply, page) => {
    return cached(page, async () => {
      const agreement = (await findProjectAgreements(db, { ids: [Number(request.params.id)] }))[0] ?? notFound('project_agreement');
      return <ProjectAgreementPage ctx={page} agreement={agreement} organisations={await organisationsMap()} commitments={await model.commitmentKeys()} areas={await areas()} />;
    });
  });

  pageRoute(app, ctx.assets, '/meetings', {}, async (_request, _reply, page) => cached(page, async () => <MeetingsPage ctx={page} meetings={await findMeetings(db)} />));

  pageRoute(app, ctx.assets, '/meetings/:id', { params: IdParams }, async (request, _reply, page) => {
    const canCreateActions = authorize(request.principal, 'action.create');
    const render = async () => {
      const meeting = (await findMeetings(db, { ids: [Number(request.params.id)] }))[0] ?? notFound('meeting');
      const byDecision = groupBy(
        (await model.actions()).filter((a): a is Action & { decisionId: number } => a.decisionId !== null),
        (a) => a.decisionId,
      );
      return (
        <MeetingPage
          ctx={page}
          meeting={meeting}
          organisations={await organisationsMap()}
          commitments={await model.commitmentKeys()}
          areas={await areas()}
          actionsByDecision={byDecision}
          canCreateActions={canCreateActions}
        />
      );
    };
    return cached(page, render);
  });

  /**
   * Attachments and documents. Those of approved updates and of project agreements are public; a
   * draft's files only for the people who may see the draft.
   */
  app.get(
    '/files/:id/:name',
    { config: { access: 'public' }, schema: { hide: true, params: T.Object({ id: T.String({ pattern: '^[A-Za-z0-9_-]{10,64}$' }), name: T.String({ maxLength: 400 }) }) } },
    async (request, reply) => {
      const use = await findFileUse(db, request.params.id);
      if (!use) notFound('file');
      if (use.update && use.update.state !== 'approved') {
        const p = request.principal;
        const mayView = p && (agenciesOf(p).includes(use.update.organisationId) || coordinatesSide(p, use.update.side)) && authorize(p, 'implementation.workspace');
        if (!mayView) notFound('file');
      }
      const stored = (await files.read(db, request.params.id)) ?? notFound('file');
      return sendFile(reply, stored.file, stored.bytes);
    },
  );
}

import { createFileStore } from '../../platform/files/files.ts';
import { recurring } from '../../platform/jobs/schedule.ts';
import { indicatorCountSources } from '../../platform/indicator-counts.ts';
import { type ModuleManifest, perApp } from '../../platform/module.ts';
import { todayIn } from '../../platform/clock.ts';
import { implementationApi } from './api.ts';
import { loadImplementationDemo } from './demo/load.ts';
import { implementationPolicy } from './policy.ts';
import { ImplementationReadModel } from './read-model.ts';
import { implementationRetention } from './retention.ts';
import { reportCommand, reportRoutes } from './reports.tsx';
import { implementationRoutes } from './routes.tsx';
import { workspaceRoutes } from './workspace.tsx';
import { SEND_DIGESTS, sendMilestoneDigests } from './send-digests.ts';
import { CommitmentImplementationSection } from './views/public/commitment-section.tsx';
import { implementationMessages } from './messages.ts';

const REMOVE_ORPHAN_FILES = 'files.remove-orphans';

/** The implementation read model of a running app, shared by its routes and its commitment section. */
const implementationModel = perApp((ctx) => {
  // Counted indicators count with the sources the app's modules declare.
  const model = new ImplementationReadModel(ctx.db, { today: () => ctx.today(), now: () => ctx.now(), timeZone: ctx.config.timeZone, sources: indicatorCountSources(ctx.modules) });
  ctx.onInvalidate(() => model.invalidate());
  return model;
});

export const implementationModule: ModuleManifest = {
  name: 'implementation',
  openData: [
    { label: 'impl.api.actions', path: '/api/v1/actions', order: 20 },
    { label: 'impl.api.milestones', path: '/api/v1/milestones', order: 21 },
    { label: 'impl.api.indicators', path: '/api/v1/indicators', order: 22 },
    { label: 'impl.api.projectAgreements', path: '/api/v1/project-agreements', order: 23 },
    { label: 'impl.api.meetings', path: '/api/v1/meetings', order: 24 },
  ],
  messages: implementationMessages,
  matrix: async () => (await import('./matrix.ts')).implementationMatrix,
  openApiTags: [{ name: 'Implementation', description: 'Actions, milestones, indicators (IATI-shaped), project agreements and meetings: approved, public records only' }],
  policy: implementationPolicy,
  nav: [
    { label: 'nav.dashboard', path: '/dashboard', order: 30 },
    { label: 'nav.workspace', path: '/workspace', action: 'implementation.workspace', order: 80 },
  ],
  workspaceTiles: [
    { label: 'impl.dashboard.title', path: '/dashboard', order: 10 },
    { label: 'impl.indicators', path: '/workspace/indicators', action: 'indicator.manage', order: 60 },
    { label: 'impl.projectAgreements', path: '/workspace/project-agreements', action: 'project-agreement.manage', order: 70 },
    { label: 'impl.meetings', path: '/workspace/meetings', action: 'meeting.manage', order: 80 },
  ],
  retention: implementationRetention,
  commitmentSection(ctx) {
    const model = implementationModel(ctx);
    const sources = indicatorCountSources(ctx.modules);
    return {
      order: 10,
      async load(ref, page) {
        const commitment = (await model.commitmentKeys()).find((c) => c.agreementId === ref.agreementId && c.areaNumber === ref.areaNumber && c.number === ref.number);
        if (!commitment) return { stamp: 'none', render: () => null };
        const [data, organisations] = await Promise.all([model.commitment(commitment.id), model.organisations()]);
        return { stamp: model.stamp(), render: () => <CommitmentImplementationSection ctx={page} sources={sources} data={data} organisations={organisations} today={ctx.today()} /> };
      },
    };
  },
  routes(app, ctx) {
    const model = implementationModel(ctx);
    const files = createFileStore({ kind: ctx.db.kind, dataDir: ctx.config.dataDir });
    implementationRoutes(app, ctx, model, files);
    workspaceRoutes(app, ctx, model, files);
    reportRoutes(app, ctx, model);
    implementationApi(app, ctx, model);
  },
  async demo(ctx) {
    ctx.print('Loading illustrative implementation data (actions, milestones, indicators, updates, project agreements, meetings) …');
    await loadImplementationDemo(ctx.db.kysely, { today: todayIn(ctx.config.timeZone, ctx.now()), print: ctx.print, actor: ctx.actor });
  },
  commands: [reportCommand],
  jobs(config) {
    const files = createFileStore({ kind: config.databaseUrl ? 'postgres' : 'pglite', dataDir: config.dataDir });
    return {
      handlers: {
        // A file is written before its row commits: one whose transaction failed is removed after an hour.
        [REMOVE_ORPHAN_FILES]: async (_payload: unknown, job) => {
          const removed = await files.removeOrphans(job.db);
          job.log.info({ removed }, 'uploaded files without a record removed');
        },
        [SEND_DIGESTS]: async (_payload: unknown, job) => {
          const { sent } = await sendMilestoneDigests({ db: job.db, today: todayIn(config.timeZone, job.now()), publicUrl: config.publicUrl });
          job.log.info({ sent }, 'milestone digests queued');
        },
      },
      recurring: [recurring(SEND_DIGESTS, `daily at 08:00 in ${config.timeZone}`), recurring(REMOVE_ORPHAN_FILES, 'daily at 03:45 in Asia/Hong_Kong')],
    };
  },
};

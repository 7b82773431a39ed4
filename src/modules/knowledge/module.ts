import { type Command, type ModuleManifest, perApp, UsageError } from '../../platform/module.ts';
import { ttlFor } from '../../platform/read-model.ts';
import { reindexArticles } from './index-articles.ts';
import { loadKnowledge } from './load-knowledge.ts';
import { knowledgePolicy } from './policy.ts';
import { knowledgeRetention } from './retention.ts';
import { commitmentArticlesSection, knowledgeRoutes } from './routes.tsx';
import { KnowledgeVersion } from './version.ts';
import { knowledgeWorkspaceRoutes } from './workspace.tsx';
import { knowledgeMessages } from './messages.ts';

/** `zjhk knowledge reindex`: rebuilds the search documents of every article. */
const knowledgeCommand: Command = {
  name: 'knowledge',
  usage: 'knowledge reindex',
  summary: 'Rebuild the search index of the knowledge base’s articles',
  async run(ctx, args) {
    if (args[0] !== 'reindex' || args.length > 1) throw new UsageError(`usage: zjhk ${knowledgeCommand.usage}`);
    ctx.print('Rebuilding the search index of the knowledge base …');
    await reindexArticles({ db: ctx.db.kysely, progress: ctx.print });
  },
};

/** The knowledge base's version in a running app, shared by its routes and its commitment section. */
const knowledgeVersion = perApp((ctx) => {
  // With the embedded database every write goes through this process; a server may have other writers.
  const version = new KnowledgeVersion(ttlFor(ctx.db));
  ctx.onInvalidate(() => version.bump());
  return version;
});

export const knowledgeModule: ModuleManifest = {
  name: 'knowledge',
  messages: knowledgeMessages,
  matrix: async () => (await import('./matrix.ts')).knowledgeMatrix,
  policy: knowledgePolicy,
  nav: [{ label: 'nav.help', path: '/help', order: 40 }],
  workspaceTiles: [{ label: 'knowledge.workspace.title', path: '/workspace/help', action: 'knowledge.workspace', order: 40 }],
  retention: knowledgeRetention,
  commitmentSection: (ctx) => ({ order: 20, ...commitmentArticlesSection(ctx, knowledgeVersion(ctx)) }),
  routes(app, ctx) {
    const version = knowledgeVersion(ctx);
    knowledgeRoutes(app, ctx, version);
    knowledgeWorkspaceRoutes(app, ctx, version);
  },
  async seed(ctx) {
    ctx.print('Loading the knowledge base from data/knowledge/ …');
    await loadKnowledge({ db: ctx.db.kysely, actor: ctx.actor, progress: ctx.print });
  },
  commands: [knowledgeCommand],
};

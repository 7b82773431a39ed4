import { type Command, type ModuleManifest, UsageError } from '../../platform/module.ts';
import { reindexArticles } from './index-articles.ts';
import { loadKnowledge } from './load-knowledge.ts';
import './policy.ts';
import { knowledgeRetention } from './retention.ts';
import { commitmentArticlesSection, knowledgeRoutes } from './routes.tsx';
import { KnowledgeVersion } from './version.ts';
import { knowledgeWorkspaceRoutes } from './workspace.tsx';

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

export const knowledgeModule: ModuleManifest = {
  name: 'knowledge',
  retention: knowledgeRetention,
  routes(app, ctx) {
    // With the embedded database every write goes through this process; a server may have other writers.
    const version = new KnowledgeVersion(ctx.db.kind === 'pglite' ? Number.POSITIVE_INFINITY : 5_000);
    ctx.onInvalidate(() => version.bump());
    knowledgeRoutes(app, ctx, version);
    knowledgeWorkspaceRoutes(app, ctx, version);
    ctx.commitmentSections.push(commitmentArticlesSection(ctx, version));
  },
  async seed(ctx) {
    ctx.print('Loading the knowledge base from data/knowledge/ …');
    await loadKnowledge({ db: ctx.db.kysely, actor: ctx.actor, progress: ctx.print });
  },
  commands: [knowledgeCommand],
};

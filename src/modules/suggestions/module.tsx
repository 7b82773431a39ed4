import { SYSTEM } from '../../platform/audit/audit.ts';
import { recurring } from '../../platform/jobs/schedule.ts';
import { authorize } from '../../platform/auth/authorize.ts';
import { type ModuleManifest, perApp } from '../../platform/module.ts';
import { suggestionsApi } from './api.ts';
import { lookupsOf } from './lookups.ts';
import { suggestionsPolicy } from './policy.ts';
import { PURGE_SUGGESTIONS, purgeSuggestions } from './purge-suggestions.ts';
import { publicSuggestionReferences } from './queries.ts';
import { SuggestionsReadModel } from './read-model.ts';
import { suggestionsRetention } from './retention.ts';
import { suggestionRoutes } from './routes.tsx';
import { CommitmentSuggestionsSection } from './views/public.tsx';
import { suggestionWorkspaceRoutes } from './workspace.tsx';
import { suggestionsMessages } from './messages.ts';
import { suggestionsInbox } from './inbox.ts';

/**
 * Suggestions (意見建議): the standing channel for the opinions of Hong Kong people in Zhejiang
 * (commitment (十一)2) and of Hong Kong-invested enterprises (commitment (三)1).
 */
/** The suggestions read model of a running app, shared by its routes and its commitment section. */
const suggestionsModel = perApp((ctx) => {
  const model = new SuggestionsReadModel(ctx.db, () => ctx.today());
  ctx.onInvalidate(() => model.changed());
  return model;
});

export const suggestionsModule: ModuleManifest = {
  name: 'suggestions',
  inbox: [suggestionsInbox],
  openData: [{ label: 'suggestions.openData', path: '/api/v1/suggestions', order: 40 }],
  messages: suggestionsMessages,
  matrix: async () => (await import('./matrix.ts')).suggestionsMatrix,
  openApiTags: [{ name: 'Suggestions', description: 'Published suggestions and the official responses to them (no personal data)' }],
  policy: suggestionsPolicy,
  nav: [{ label: 'nav.suggestions', path: '/suggestions', order: 60 }],
  workspaceTiles: [{ label: 'nav.suggestions', path: '/workspace/suggestions', action: 'suggestion.workspace', order: 30 }],
  retention: suggestionsRetention,
  // Before publication a suggestion is its submitter's: those who moderate see its entries, others only once it is public.
  auditSubjects: { suggestion: (db, p) => (authorize(p, 'suggestion.moderate') ? 'all' : publicSuggestionReferences(db)) },
  commitmentSection(ctx) {
    const model = suggestionsModel(ctx);
    return {
      order: 30,
      async load(ref, page) {
        const commitment = (await model.commitments()).find((c) => c.agreementId === ref.agreementId && c.areaNumber === ref.areaNumber && c.number === ref.number);
        if (!commitment) return { stamp: 'none', render: () => null };
        const [{ rows, total }, lookups] = await Promise.all([model.commitmentSuggestions(commitment.id), lookupsOf(ctx, model)]);
        return { stamp: model.stamp(), render: () => <CommitmentSuggestionsSection ctx={page} lookups={lookups} commitment={commitment} rows={rows} total={total} /> };
      },
    };
  },
  routes(app, ctx) {
    const model = suggestionsModel(ctx);
    suggestionRoutes(app, ctx, model);
    suggestionWorkspaceRoutes(app, ctx, model);
    suggestionsApi(app, ctx, model);
  },
  jobs() {
    return {
      handlers: {
        [PURGE_SUGGESTIONS]: async (_payload: unknown, job) => {
          const { purged, closedBefore } = await purgeSuggestions({ db: job.db, now: job.now(), actor: SYSTEM });
          job.log.info({ purged, closedBefore }, 'personal data of long-closed suggestions removed');
        },
      },
      recurring: [recurring(PURGE_SUGGESTIONS, 'daily at 03:30 in Asia/Hong_Kong')],
    };
  },
};

import { systemClock } from '../../platform/clock.ts';
import { insertSuggestion, moveSuggestion, type NewSuggestion } from './queries.ts';
import { EVERYONE, F, type ModuleMatrix, O, type Outcome, S } from '../../platform/access-matrix.ts';

/** Coordinators only: administrators run the platform, they do not see suggestions' personal data. */
const MODERATORS: Outcome[] = [S, F, F, F, O, F];
/** Coordinators, and the officers of the responsible agency (hk-fstb in the matrix). */
const HANDLERS: Outcome[] = [S, F, F, O, O, F];

const sample = (title: string): NewSuggestion & { year: number } => ({
  topic: 'employment',
  commitmentId: null,
  language: 'en',
  title,
  body: 'A longer explanation.',
  submitterType: 'resident',
  submitterName: 'Sender',
  submitterOrganisation: null,
  submitterEmail: 'sender@example.org',
  userId: null,
  source: 'form',
  sourceRef: null,
  year: 2026,
});

/** Suggestions: anyone sends one and reads the published ones; coordinators moderate, the responsible agency answers. */
export const suggestionsMatrix: ModuleMatrix = {
  lines: {
    'GET /{lang}/suggestions': { url: '/en/suggestions', expect: EVERYONE },
    'GET /{lang}/suggestions/new': { url: '/en/suggestions/new', expect: EVERYONE },
    'POST /{lang}/suggestions/new': { url: '/en/suggestions/new', expect: EVERYONE },
    'GET /{lang}/suggestions/received': { url: '/en/suggestions/received?reference={suggestion-received}', expect: EVERYONE },
    'GET /{lang}/suggestions/:reference': { url: '/en/suggestions/{suggestion-published}', expect: EVERYONE },
    'GET /api/v1/suggestions': { url: '/api/v1/suggestions', expect: EVERYONE },
    'GET /{lang}/workspace/suggestions': { url: '/en/workspace/suggestions', expect: HANDLERS },
    'GET /{lang}/workspace/suggestions/settings': { url: '/en/workspace/suggestions/settings', expect: MODERATORS },
    'POST /{lang}/workspace/suggestions/settings': { url: '/en/workspace/suggestions/settings', expect: MODERATORS },
    'GET /{lang}/workspace/suggestions/:reference': { url: '/en/workspace/suggestions/{suggestion-published}', expect: HANDLERS },
    'POST /{lang}/workspace/suggestions/:reference/publish': { url: '/en/workspace/suggestions/{suggestion-received}/publish', expect: MODERATORS },
    'POST /{lang}/workspace/suggestions/:reference/merge': { url: '/en/workspace/suggestions/{suggestion-received}/merge', expect: MODERATORS },
    'POST /{lang}/workspace/suggestions/:reference/reject': { url: '/en/workspace/suggestions/{suggestion-received}/reject', expect: MODERATORS },
    'POST /{lang}/workspace/suggestions/:reference/respond': { url: '/en/workspace/suggestions/{suggestion-published}/respond', expect: HANDLERS },
  },
  async setup(db) {
    const received = await insertSuggestion(db, sample('Received'));
    const published = await insertSuggestion(db, sample('Published'));
    await moveSuggestion(db, published.id, ['received'], {
      state: 'published',
      public_title: 'Published',
      public_body: 'A longer explanation.',
      responsible_agency: 'hk-fstb',
      moderated_at: systemClock(),
    });
    return { 'suggestion-received': received.reference, 'suggestion-published': published.reference };
  },
};

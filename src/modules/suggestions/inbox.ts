import { authorize } from '../../platform/auth/authorize.ts';
import type { Principal } from '../../platform/auth/roles.ts';
import type { InboxKind } from '../../platform/module.ts';
import { countByState } from './queries.ts';

/** The agencies an officer answers suggestions for. */
export const officerAgencies = (p: Principal): string[] => p.roles.filter((g) => g.role === 'agency-officer' && g.organisationId).map((g) => g.organisationId as string);

/** Received suggestions for those who moderate; published ones awaiting their agency's response for officers. */
export const suggestionsInbox: InboxKind = {
  label: 'suggestions.inbox',
  path: '/workspace/suggestions',
  action: 'suggestion.workspace',
  order: 30,
  async count(ctx, principal) {
    if (authorize(principal, 'suggestion.moderate')) return (await countByState(ctx.db.kysely)).received;
    return (await countByState(ctx.db.kysely, officerAgencies(principal))).published;
  },
};

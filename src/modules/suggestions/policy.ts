import { definePolicy, type PolicyResources } from '../../platform/auth/authorize.ts';
import { hasRole, type Principal } from '../../platform/auth/roles.ts';
import type { SuggestionState } from './tables.ts';

/** What the rules need to know about a suggestion. */
export interface SuggestionRef {
  state: SuggestionState;
  responsibleAgency: string | null;
}

const isCoordinator = (p: Principal) => hasRole(p, 'custodian-coordinator');
/** An officer of the agency that must respond to it. */
const ofResponsibleAgency = (p: Principal, s: SuggestionRef) => s.responsibleAgency !== null && hasRole(p, 'agency-officer', s.responsibleAgency);

/**
 * Personal data (the original text, the submitter's name, email and organisation) is seen by the
 * coordinators and by the officers of the agency that must respond, nobody else: administrators run
 * the platform, they do not handle suggestions.
 */
export const suggestionsPolicy = definePolicy({
  /** The queue of suggestions: coordinators see all, officers their agency's. */
  'suggestion.workspace': (p) => isCoordinator(p) || hasRole(p, 'agency-officer'),
  /** One suggestion with the submitter's details. */
  'suggestion.view': (p, suggestion: SuggestionRef) => isCoordinator(p) || ofResponsibleAgency(p, suggestion),
  /** Publish, merge or reject a received suggestion; change the module's settings. */
  'suggestion.moderate': (p) => isCoordinator(p),
  /** Give the official response to a suggestion (once: the use case takes only a published one). */
  'suggestion.respond': (p, suggestion: SuggestionRef) => isCoordinator(p) || ofResponsibleAgency(p, suggestion),
});

declare module '../../platform/auth/authorize.ts' {
  interface Policies extends PolicyResources<typeof suggestionsPolicy> {}
}

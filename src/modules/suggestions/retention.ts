import { SYSTEM } from '../../platform/audit/audit.ts';
import { noPersonalData, type RetentionEntry } from '../../platform/retention.ts';
import { PURGE_SUGGESTIONS, purgeSuggestions } from './purge-suggestions.ts';

/** The suggestions' tables in the account of personal data (see platform/retention.ts). */
export const suggestionsRetention: RetentionEntry[] = [
  {
    table: 'suggestions',
    personalData: 'the submitter’s name, organisation, email address and account, and the original title and text',
    goes: 'suggestions closed longer ago than the purge period (default 2 years; coordinators set it); the published copy and the response stay',
    how: `daily job \`${PURGE_SUGGESTIONS}\`, with the suggestion’s mail`,
    job: PURGE_SUGGESTIONS,
    purge: (db, { now }) => purgeSuggestions({ db, now, actor: SYSTEM }),
  },
  ...noPersonalData(['suggestions_settings'], 'the purge period'),
];

import { noPersonalData, type RetentionEntry } from '../../platform/retention.ts';

/** The agreements' tables in the account of personal data (see platform/retention.ts). */
export const agreementsRetention: RetentionEntry[] = [
  {
    table: 'agreement_status_events',
    personalData: 'the name given for who recorded a renewal step, with their account or command',
    goes: 'kept: the agreement’s official record of its renewal',
    how: 'kept with the agreement',
  },
  ...noPersonalData(['agreements', 'agreement_texts', 'agreement_areas', 'commitments', 'agreement_revisions'], 'the agreement’s text and its revisions'),
];

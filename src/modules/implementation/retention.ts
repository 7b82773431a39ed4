import { noPersonalData, type RetentionEntry } from '../../platform/retention.ts';
import { deleteDigestsBefore } from './queries/digests.ts';

/** The daily job that forgets which officer got which day's milestone digest (run by the platform's retention jobs). */
const PURGE_DIGESTS = 'implementation.purge-digests';
/** Days a digest's record is kept: it only stops a second digest the same day. */
const DIGEST_RECORD_DAYS = 30;

/** The implementation tracking's tables in the account of personal data (see platform/retention.ts). */
export const implementationRetention: RetentionEntry[] = [
  {
    table: 'files',
    personalData: 'files people send (enquiry attachments, evidence, forms refused and kept for correction), their names and who sent them',
    goes: 'with the record they belong to (an enquiry’s with its purge, a kept upload after 24 hours); a file no record uses, the next day',
    how: 'the purges of those records; daily job `files.remove-orphans`',
  },
  {
    table: 'progress_updates',
    personalData: 'the officer who wrote an update and the coordinator who decided it (by account), a return’s reason',
    goes: 'kept: approved updates are the public record of the agreement’s implementation',
    how: 'kept with the agreement’s records',
  },
  {
    table: 'milestone_digests',
    personalData: 'which officer was sent a milestone digest on which day',
    goes: `${DIGEST_RECORD_DAYS} days after the day`,
    how: `daily job \`${PURGE_DIGESTS}\``,
    job: PURGE_DIGESTS,
    purge: (db, { now }) => deleteDigestsBefore(db, new Date(now.getTime() - DIGEST_RECORD_DAYS * 86_400_000).toISOString().slice(0, 10)),
  },
  ...noPersonalData(
    [
      'meetings',
      'meeting_participants',
      'meeting_decisions',
      'actions',
      'action_partners',
      'milestones',
      'indicators',
      'indicator_periods',
      'project_agreements',
      'project_agreement_commitments',
      'project_agreement_documents',
      'update_indicator_values',
      'update_attachments',
      'update_project_agreements',
      'indicator_actuals',
    ],
    'the implementation record: agencies, actions, figures and documents; people only by account id',
  ),
];

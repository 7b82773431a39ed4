import { noPersonalData, type RetentionEntry } from '../../platform/retention.ts';
import { PURGE_ENQUIRIES, purgeEnquiries } from './purge-enquiries.ts';
import { deleteDigestsBefore } from './queries/staff.ts';
import { removeExpiredTracking } from './queries/tracking.ts';

/** The daily job that forgets which officer got which day's deadline digest (run by the platform's retention jobs). */
const PURGE_DIGESTS = 'enquiries.purge-digests';
/** Days a digest's record is kept: it only stops a second digest the same day. */
const DIGEST_RECORD_DAYS = 30;

/** The module's own daily job that removes expired tracking codes and sessions (module.ts). */
export const REMOVE_EXPIRED_TRACKING = 'enquiries.remove-expired-tracking';

const purgeClosed: RetentionEntry['purge'] = (db, { now }) => purgeEnquiries({ db, now });
const purgePeriod = 'cases closed longer ago than the purge period (default 2 years; coordinators set it)';

/** The enquiries' tables in the account of personal data (see platform/retention.ts). */
export const enquiriesRetention: RetentionEntry[] = [
  {
    table: 'enquiries',
    personalData: 'the sender’s name, email address, phone, account, subject, description, rating comment',
    goes: `${purgePeriod}; type, topic, agency, dates, outcome and rating stay for the statistics`,
    how: `daily job \`${PURGE_ENQUIRIES}\`, with the case’s mail`,
    job: PURGE_ENQUIRIES,
    purge: purgeClosed,
  },
  {
    table: 'enquiry_events',
    personalData: 'the texts of replies, notes and requests for information, and who wrote them',
    goes: `texts: ${purgePeriod}`,
    how: `daily job \`${PURGE_ENQUIRIES}\``,
    job: PURGE_ENQUIRIES,
    purge: purgeClosed,
  },
  {
    table: 'enquiry_attachments',
    personalData: 'the files sent with a case (in `files`)',
    goes: purgePeriod,
    how: `daily job \`${PURGE_ENQUIRIES}\`, with the files`,
    job: PURGE_ENQUIRIES,
    purge: purgeClosed,
  },
  {
    table: 'enquiry_track_codes',
    personalData: 'one-time codes (salted hashes) sent to the sender to follow the case',
    goes: 'a day after they expire (15 minutes after sending; until then they count against requests for more)',
    how: `daily job \`${REMOVE_EXPIRED_TRACKING}\`; with the case’s purge`,
    job: REMOVE_EXPIRED_TRACKING,
    purge: (db, { now }) => removeExpiredTracking(db, now),
  },
  {
    table: 'enquiry_track_sessions',
    personalData: 'the sender’s session following a case (a hash of its token)',
    goes: 'when expired',
    how: `daily job \`${REMOVE_EXPIRED_TRACKING}\`; with the case’s purge`,
    job: REMOVE_EXPIRED_TRACKING,
    purge: (db, { now }) => removeExpiredTracking(db, now),
  },
  {
    table: 'enquiry_digests',
    personalData: 'which officer was sent a deadline digest on which day',
    goes: `${DIGEST_RECORD_DAYS} days after the day`,
    how: `daily job \`${PURGE_DIGESTS}\``,
    job: PURGE_DIGESTS,
    purge: (db, { now }) => deleteDigestsBefore(db, new Date(now.getTime() - DIGEST_RECORD_DAYS * 86_400_000).toISOString().slice(0, 10)),
  },
  ...noPersonalData(['enquiry_topics', 'enquiry_settings'], 'topics, routing, time limits and purge period'),
];

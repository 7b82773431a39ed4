/**
 * The account of personal data: for every table, what personal data it holds, when that goes and
 * what removes it. The platform's own tables are here; each module declares its tables in its
 * manifest (`retention`). The README's "Personal data" table is written from this account
 * (`renderRetentionTable`) and a test checks that it matches, that every table in the database is
 * accounted for, and that each purge removes exactly what is past its period.
 */
import { type Kysely, sql } from 'kysely';
import type { Config } from '../config.ts';
import type { Database } from './db/schema.ts';
import { purgePendingUploads } from './files/pending.ts';
import { purgeUploadSlots } from './files/slots.ts';
import { sweepUploadFolders } from './files/uploads.ts';
import { purgeRateLimits } from './http/rate-limit-store.ts';
import { purgeJobs } from './jobs/queue.ts';
import { recurring, type Recurring } from './jobs/schedule.ts';
import type { JobContext, JobHandlers } from './jobs/worker.ts';
import { PURGE_MAIL, purgeMail } from './mail/purge-mail.ts';

interface PurgeOptions {
  /** The moment the purge reckons periods from (the job passes the current time). */
  now: Date;
  config: Config;
}

/** One table's entry in the account. */
export interface RetentionEntry {
  table: string;
  /** The personal data the table holds, in a few words; null when it holds none. */
  personalData: string | null;
  /** When the personal data goes (or, for a table holding none, why it needs no purge). */
  goes: string;
  /** What removes it: the daily job, the purge it goes with, or the record it hangs on. */
  how: string;
  /** The recurring job that runs `purge` (its kind). */
  job?: string;
  /** What the job runs for this table: removes or clears exactly what is past its period. */
  purge?: (db: Kysely<Database>, options: PurgeOptions) => Promise<unknown>;
}

/** Entries for tables that hold no personal data, with the reason. */
export function noPersonalData(tables: readonly string[], why: string): RetentionEntry[] {
  return tables.map((table) => ({ table, personalData: null, goes: why, how: '—' }));
}

/** The platform's daily purges. */
const PURGE_JOBS = 'jobs.purge';
const PURGE_SESSIONS = 'sessions.purge';
const PURGE_UPLOADS = 'uploads.purge';

/** Finished jobs are kept a month for looking into what happened; failed ones three, for an administrator to retry. */
const DONE_JOB_DAYS = 30;
const FAILED_JOB_DAYS = 90;

/** Deletes the jobs finished long enough ago (a failed job's error can name a mail's recipient). */
async function purgeFinishedJobs(db: Kysely<Database>): Promise<number> {
  return (await purgeJobs(db, DONE_JOB_DAYS, ['done'])) + (await purgeJobs(db, FAILED_JOB_DAYS, ['failed']));
}

/**
 * Deletes the sessions that have ended: past their end (SESSION_MAX_HOURS after sign-in) or unused
 * for longer than SESSION_IDLE_MINUTES. Their address and browser go with them.
 */
async function purgeEndedSessions(db: Kysely<Database>, options: PurgeOptions): Promise<number> {
  const idleSince = new Date(options.now.getTime() - options.config.session.idleMinutes * 60_000);
  const result = await db
    .deleteFrom('sessions')
    .where((eb) => eb.or([eb('expires_at', '<=', options.now), eb('last_seen_at', '<', idleSince)]))
    .executeTakeFirst();
  return Number(result.numDeletedRows);
}

/** The platform's tables. */
export const platformRetention: RetentionEntry[] = [
  {
    table: 'mail_outbox',
    personalData: 'recipient address, subject and body (names, officers’ replies, links), attachments, delivery errors',
    goes: 'cleared `MAIL_RETENTION_DAYS` (30) days after sending or giving up; a message with a link (password reset, invitation, address check, tracking code) when its token expires; with the enquiry or suggestion it is about; never before it is sent',
    how: `daily job \`${PURGE_MAIL}\`; the enquiry and suggestion purges; a skeleton stays (language, state, dates, Message-ID)`,
    job: PURGE_MAIL,
    purge: (db, { now, config }) => purgeMail(db, { now, retentionDays: config.mailRetentionDays }),
  },
  {
    table: 'jobs',
    personalData: 'a failed delivery’s error can name its recipient',
    goes: `${DONE_JOB_DAYS} days after a job is done, ${FAILED_JOB_DAYS} days after it failed for good`,
    how: `daily job \`${PURGE_JOBS}\``,
    job: PURGE_JOBS,
    purge: (db) => purgeFinishedJobs(db),
  },
  {
    table: 'sessions',
    personalData: 'account, IP address and browser of each signed-in session',
    goes: 'when the session ends (signed out, `SESSION_IDLE_MINUTES` unused, or `SESSION_MAX_HOURS` after sign-in)',
    how: `sign-out deletes it; daily job \`${PURGE_SESSIONS}\` the rest`,
    job: PURGE_SESSIONS,
    purge: purgeEndedSessions,
  },
  {
    table: 'rate_limits',
    personalData: 'counters keyed by IP address',
    goes: 'a day after the counting window',
    how: `daily job \`${PURGE_JOBS}\``,
    job: PURGE_JOBS,
    purge: (db) => purgeRateLimits(db),
  },
  {
    table: 'upload_slots',
    personalData: 'the account or IP address an upload runs for',
    goes: 'when the upload ends, or 15 minutes after it started',
    how: `the upload gives it back; daily job \`${PURGE_UPLOADS}\` what a stopped process left`,
    job: PURGE_UPLOADS,
    // With the slots, the temporary folders of files a stopped process left (no table holds them).
    purge: async (db) => ({ slots: await purgeUploadSlots(db), folders: await sweepUploadFolders() }),
  },
  {
    table: 'pending_uploads',
    personalData: 'files sent with a form that was refused, bound to their sender',
    goes: '24 hours after they were sent (or when the corrected form is sent)',
    how: `daily job \`${PURGE_UPLOADS}\`, with the files`,
    job: PURGE_UPLOADS,
    purge: (db) => purgePendingUploads(db),
  },
  {
    table: 'audit_events',
    personalData: null,
    goes: 'refers to people by account id only (no names, addresses or IP addresses); kept as the trail',
    how: '—',
  },
  ...noPersonalData(['audit_checkpoints'], 'hashes of the audit trail'),
  ...noPersonalData(['search_documents'], 'indexes public and internal articles, not people’s messages'),
];

/**
 * The daily jobs that run the account's purges: one per job kind named by an entry, running every
 * purge of that kind, except the kinds a module already handles itself (its own job runs them).
 */
export function retentionJobs(config: Config, entries: readonly RetentionEntry[], handled: readonly { handlers: JobHandlers }[] = []): { handlers: JobHandlers; recurring: Recurring[] } {
  const taken = new Set(handled.flatMap((h) => Object.keys(h.handlers)));
  const kinds = [...new Set(entries.flatMap((e) => (e.job && e.purge && !taken.has(e.job) ? [e.job] : [])))];
  const run = (kind: string) => async (_payload: unknown, job: JobContext) => {
    const now = job.now();
    const removed: Record<string, unknown> = {};
    for (const entry of entries) if (entry.job === kind && entry.purge) removed[entry.table] = await entry.purge(job.db, { now, config });
    job.log.info({ removed }, `${kind}: personal data past its period removed`);
  };
  return {
    handlers: Object.fromEntries(kinds.map((kind) => [kind, run(kind)])),
    // In the small hours, a couple of minutes apart.
    recurring: kinds.map((kind, i) => recurring(kind, `daily at 03:${String(5 + ((i * 2) % 50)).padStart(2, '0')} in ${config.timeZone}`)),
  };
}

/** Every table of the database (the migrations' bookkeeping aside). */
export async function databaseTables(db: Kysely<Database>): Promise<string[]> {
  const { rows } = await sql<{ table_name: string }>`
    select table_name from information_schema.tables
    where table_schema = current_schema() and table_type = 'BASE TABLE' and table_name not like 'kysely_%'
    order by table_name`.execute(db);
  return rows.map((r) => r.table_name);
}

/** The README's table: the tables with personal data, then a line naming those without. */
export function renderRetentionTable(entries: readonly RetentionEntry[]): string {
  const cell = (text: string) => text.replace(/\|/g, '\\|');
  const held = entries.filter((e) => e.personalData !== null).sort((a, b) => a.table.localeCompare(b.table));
  const none = entries
    .filter((e) => e.personalData === null)
    .map((e) => `\`${e.table}\``)
    .sort();
  return [
    '| table | personal data | when it goes | how |',
    '| --- | --- | --- | --- |',
    ...held.map((e) => `| \`${e.table}\` | ${cell(e.personalData ?? '')} | ${cell(e.goes)} | ${cell(e.how)} |`),
    '',
    `Tables with no personal data: ${none.join(', ')}.`,
  ].join('\n');
}

// The platform's own tables; each module adds its own in its tables.ts, by declaration merging into
// `Database` (`declare module '../../platform/db/schema.ts' { interface Database { … } }`).
// The platform keeps the tables src/platform itself reads and writes: the audit trail, jobs, the mail
// outbox, files, uploads (slots, pending uploads), rate limits, sign-in throttles, search documents,
// the working-day calendars (src/platform/calendar), and users, roles, sessions and organisations
// (src/platform/auth resolves a session's user, roles and their organisations' side). Every other
// table belongs to the module that uses it; the column-type helpers and `Side` below are shared.
import type { ColumnType, Generated } from 'kysely';
import type { LocalizedText } from '../i18n/locales.ts';
import type { SearchTables } from './tables/search.ts';
import type { CalendarTables } from './tables/calendars.ts';
import type { SignInTables } from './tables/sign-in.ts';
import type { UploadTables } from './tables/uploads.ts';

/** A `date` column, read and written as 'YYYY-MM-DD'. */
export type DateString = string;
/** A `timestamptz` column with a default, read as a Date. */
export type Timestamp = ColumnType<Date, Date | string | undefined, Date | string>;
/** A nullable `timestamptz`, read as a Date. */
export type NullableTimestamp = ColumnType<Date | null, Date | string | null | undefined, Date | string | null>;
/** A `jsonb` column, written as a JSON string. */
export type Json<T> = ColumnType<T, string, string>;
/** A `jsonb` column with a default. */
export type JsonDefault<T> = ColumnType<T, string | undefined, string>;
/** A nullable `jsonb` column with a default. */
export type NullableJson<T> = ColumnType<T | null, string | null | undefined, string | null>;
/** A column with a default, written as itself. */
export type Defaulted<T> = ColumnType<T, T | undefined, T>;

export interface AuditEventsTable {
  id: Generated<string>;
  occurred_at: ColumnType<Date, Date, never>;
  /** Which of the trail's chains the record belongs to (one per transaction). */
  chain: number;
  actor_type: 'user' | 'system' | 'command';
  actor_id: string | null;
  /** The system's or a command's name; null for a person, who is named by actor_id only. */
  actor_label: string | null;
  on_behalf_of: string | null;
  action: string;
  entity_type: string;
  entity_id: string;
  changes: Json<Record<string, { before: unknown; after: unknown }>>;
  request_id: string | null;
  prev_hash: string;
  hash: string;
}

/** The heads of the audit trail's chains at a moment, with a MAC over them (append-only). */
interface AuditCheckpointsTable {
  id: Generated<string>;
  made_at: ColumnType<Date, Date, never>;
  kind: 'sealed' | 'periodic';
  reason: string;
  heads: Json<{ chain: number; id: string; hash: string }[]>;
  mac: string;
}

export type JobState = 'queued' | 'running' | 'done' | 'failed';

interface JobsTable {
  id: Generated<string>;
  kind: string;
  payload: ColumnType<unknown, string | undefined, string>;
  state: ColumnType<JobState, JobState | undefined, JobState>;
  run_at: Timestamp;
  attempts: ColumnType<number, number | undefined, number>;
  max_attempts: ColumnType<number, number | undefined, number>;
  locked_by: string | null;
  locked_until: NullableTimestamp;
  last_error: string | null;
  dedupe_key: string | null;
  created_at: Timestamp;
  finished_at: NullableTimestamp;
}

export type MailState = 'queued' | 'sent' | 'failed';

/** A file sent with a message, as stored: content in base64; a content id makes it an inline image. */
export interface MailAttachmentRow {
  filename: string;
  contentType: string;
  contentBase64: string;
  cid?: string;
}

interface MailOutboxTable {
  id: Generated<string>;
  to_address: string;
  locale: 'zh-Hant' | 'zh-Hans' | 'en';
  subject: string;
  text_body: string;
  html_body: string | null;
  /** Files sent with the message (see MailAttachment in mail/outbox.ts). */
  attachments: ColumnType<MailAttachmentRow[], string | undefined, string>;
  state: ColumnType<MailState, MailState | undefined, MailState>;
  attempts: ColumnType<number, number | undefined, number>;
  last_error: string | null;
  message_id: string | null;
  created_at: Timestamp;
  sent_at: NullableTimestamp;
  /** The random part of the message's stable Message-ID, made at insert. */
  message_token: Generated<string>;
  /** When the SMTP server accepted the message, and its answer (recorded before anything else). */
  accepted_at: NullableTimestamp;
  smtp_response: string | null;
  /** When the personal data goes, if before the retention period after sending (a link's token expiry). */
  purge_after: NullableTimestamp;
  /** The record the message is about (an enquiry, a suggestion), whose purge clears it too. */
  about_type: string | null;
  about_id: string | null;
  /** When recipient, subject, body, attachments and error were cleared. */
  purged_at: NullableTimestamp;
}

export interface OrganisationsTable {
  id: string;
  type: string;
  side: 'hong-kong' | 'zhejiang' | 'other';
  parent_id: string | null;
  name: Json<LocalizedText>;
  abbreviation: string | null;
  website: string | null;
  email: string | null;
  phone: string | null;
  address: ColumnType<LocalizedText, string | undefined, string>;
  verified: ColumnType<Partial<Record<string, boolean>>, string | undefined, string>;
  note: string | null;
  /** The hash of the reference-file entry this row was last loaded from; null once edited on the platform. */
  reference_sha256: string | null;
  created_at: Timestamp;
  updated_at: Timestamp;
}

interface UsersTable {
  id: string;
  email: string;
  email_verified_at: Date | null;
  password_hash: string | null;
  display_name: string;
  locale: 'zh-Hant' | 'zh-Hans' | 'en';
  totp_secret: string | null;
  totp_enabled_at: Date | null;
  totp_last_step: ColumnType<number | null, number | null | undefined, number | null>;
  oidc_issuer: string | null;
  oidc_subject: string | null;
  disabled_at: Date | null;
  last_login_at: Date | null;
  created_at: Timestamp;
  updated_at: Timestamp;
}

interface UserRolesTable {
  id: Generated<number>;
  user_id: string;
  role: 'resident' | 'enterprise-representative' | 'agency-officer' | 'custodian-coordinator' | 'administrator';
  organisation_id: string | null;
  granted_by: string | null;
  granted_at: Timestamp;
}

interface SessionsTable {
  id: string;
  user_id: string;
  created_at: Timestamp;
  last_seen_at: Timestamp;
  expires_at: Date;
  second_factor_at: Date | null;
  ip: string | null;
  user_agent: string | null;
}

interface RateLimitsTable {
  key: string;
  window_start: Date;
  hits: number;
}

/** The two sides of the agreement. */
export type Side = 'hong-kong' | 'zhejiang';

interface FilesTable {
  id: string;
  name: string;
  media_type: string;
  size: number;
  sha256: string;
  storage: 'disk' | 'database';
  content: Buffer | null;
  uploaded_by: string | null;
  created_at: Timestamp;
}

export interface Database extends SearchTables, CalendarTables, UploadTables, SignInTables {
  audit_events: AuditEventsTable;
  audit_checkpoints: AuditCheckpointsTable;
  jobs: JobsTable;
  mail_outbox: MailOutboxTable;
  organisations: OrganisationsTable;
  users: UsersTable;
  user_roles: UserRolesTable;
  sessions: SessionsTable;
  rate_limits: RateLimitsTable;
  files: FilesTable;
}

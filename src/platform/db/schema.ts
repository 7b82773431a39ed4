import type { ColumnType, Generated } from 'kysely';
import type { LocalizedText } from '../i18n/locales.ts';
import type { SearchTables } from './tables/search.ts';
import type { CalendarTables } from './tables/calendars.ts';
import type { KnowledgeTables } from './tables/knowledge.ts';
import type { EnquiryTables } from './tables/enquiries.ts';
import type { SuggestionTables } from './tables/suggestions.ts';
import type { EventCountType, EventTables } from './tables/events.ts';
import type { SignInTables } from './tables/sign-in.ts';
import type { UploadTables } from './tables/uploads.ts';

/** A `date` column, read and written as 'YYYY-MM-DD'. */
export type DateString = string;
type Timestamp = ColumnType<Date, Date | string | undefined, Date | string>;
type Json<T> = ColumnType<T, string, string>;

export interface AgreementsTable {
  id: string;
  title: Json<LocalizedText>;
  signed_on: DateString;
  signed_place: Json<LocalizedText>;
  effective_from: DateString;
  expires_on: DateString;
  renewable: boolean;
  official_locales: Json<string[]>;
  custodians: Json<{ key: string; name: LocalizedText }[]>;
  renewal_status: 'negotiating' | 'renewed' | 'lapsed' | null;
  renewed_by_id: string | null;
  renewal_note: string | null;
  renewal_recorded_at: Date | null;
  revision: number;
  content_sha256: string;
  created_at: Timestamp;
  updated_at: Timestamp;
}

export interface AgreementTextsTable {
  agreement_id: string;
  locale: string;
  authority: 'official' | 'unofficial-translation';
  document: Json<unknown>;
}

export interface AgreementAreasTable {
  agreement_id: string;
  number: number;
  label: Json<LocalizedText>;
  heading: Json<LocalizedText>;
  title: Json<LocalizedText>;
}

export interface CommitmentsTable {
  id: Generated<number>;
  agreement_id: string;
  area_number: number;
  number: number;
  text: Json<LocalizedText>;
}

export interface AgreementRevisionsTable {
  id: Generated<number>;
  agreement_id: string;
  revision: number;
  content_sha256: string;
  changes: Json<string[]>;
  created_at: Timestamp;
}

export interface AgreementStatusEventsTable {
  id: Generated<number>;
  agreement_id: string;
  renewal_status: 'negotiating' | 'renewed' | 'lapsed' | null;
  renewed_by_id: string | null;
  note: string | null;
  recorded_by: string;
  recorded_at: Timestamp;
}

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
export interface AuditCheckpointsTable {
  id: Generated<string>;
  made_at: ColumnType<Date, Date, never>;
  kind: 'sealed' | 'periodic';
  reason: string;
  heads: Json<{ chain: number; id: string; hash: string }[]>;
  mac: string;
}

/** A nullable `timestamptz`, read as a Date. */
type NullableTimestamp = ColumnType<Date | null, Date | string | null | undefined, Date | string | null>;

export type JobState = 'queued' | 'running' | 'done' | 'failed';

export interface JobsTable {
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

export interface MailOutboxTable {
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

export interface UsersTable {
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

export interface UserRolesTable {
  id: Generated<number>;
  user_id: string;
  role: 'resident' | 'enterprise-representative' | 'agency-officer' | 'custodian-coordinator' | 'administrator';
  organisation_id: string | null;
  granted_by: string | null;
  granted_at: Timestamp;
}

export interface SessionsTable {
  id: string;
  user_id: string;
  created_at: Timestamp;
  last_seen_at: Timestamp;
  expires_at: Date;
  second_factor_at: Date | null;
  ip: string | null;
  user_agent: string | null;
}

export interface UserTokensTable {
  id: string;
  purpose: 'verify-email' | 'reset-password' | 'change-email' | 'invitation';
  user_id: string | null;
  email: string;
  payload: ColumnType<Record<string, unknown>, string | undefined, string>;
  expires_at: Date;
  used_at: Date | null;
  created_by: string | null;
  created_at: Timestamp;
}

export interface RecoveryCodesTable {
  user_id: string;
  code_hash: string;
  used_at: Date | null;
}

export interface OidcAttemptsTable {
  id: string;
  state: string;
  nonce: string;
  code_verifier: string;
  locale: 'zh-Hant' | 'zh-Hans' | 'en';
  next_path: string | null;
  expires_at: Date;
  created_at: Timestamp;
}

export interface RepresentationRequestsTable {
  id: Generated<number>;
  user_id: string;
  organisation_id: string | null;
  organisation_name: string | null;
  position: string;
  state: ColumnType<'pending' | 'approved' | 'rejected' | 'withdrawn', 'pending' | undefined, 'approved' | 'rejected' | 'withdrawn'>;
  reason: string | null;
  decided_by: string | null;
  decided_at: Date | null;
  created_at: Timestamp;
}

export interface RateLimitsTable {
  key: string;
  window_start: Date;
  hits: number;
}

export type Side = 'hong-kong' | 'zhejiang';
export type ActionStatus = 'planned' | 'in-progress' | 'completed' | 'at-risk' | 'delayed' | 'discontinued';
export type MilestoneStatus = 'scheduled' | 'met' | 'not-met' | 'partially-met';
export type UpdateState = 'draft' | 'submitted' | 'returned' | 'approved';
export type ProjectAgreementStatus = 'signed' | 'in-implementation' | 'completed' | 'terminated';
export type MeetingType = 'plenary' | 'working-group' | 'symposium';
type JsonDefault<T> = ColumnType<T, string | undefined, string>;

export interface FilesTable {
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

export interface MeetingsTable {
  id: Generated<number>;
  reference: string;
  type: MeetingType;
  title: Json<LocalizedText>;
  held_on: DateString;
  place: JsonDefault<LocalizedText>;
  minutes: JsonDefault<LocalizedText>;
  illustrative: ColumnType<boolean, boolean | undefined, boolean>;
  created_at: Timestamp;
  updated_at: Timestamp;
}

export interface MeetingParticipantsTable {
  meeting_id: number;
  organisation_id: string;
}

export interface MeetingDecisionsTable {
  id: Generated<number>;
  meeting_id: number;
  number: number;
  text: Json<LocalizedText>;
  commitment_id: number | null;
}

export interface ActionsTable {
  id: Generated<number>;
  commitment_id: number;
  parent_id: number | null;
  decision_id: number | null;
  title: Json<LocalizedText>;
  description: JsonDefault<LocalizedText>;
  lead_hong_kong: string | null;
  lead_zhejiang: string | null;
  starts_on: DateString | null;
  ends_on: DateString | null;
  status: ColumnType<ActionStatus, ActionStatus | undefined, ActionStatus>;
  status_reason: string | null;
  illustrative: ColumnType<boolean, boolean | undefined, boolean>;
  created_by: string | null;
  created_at: Timestamp;
  updated_at: Timestamp;
}

export interface ActionPartnersTable {
  action_id: number;
  organisation_id: string;
}

export interface MilestonesTable {
  id: Generated<number>;
  action_id: number;
  title: Json<LocalizedText>;
  due_on: DateString;
  status: ColumnType<MilestoneStatus, MilestoneStatus | undefined, MilestoneStatus>;
  met_on: DateString | null;
  evidence: JsonDefault<LocalizedText>;
  illustrative: ColumnType<boolean, boolean | undefined, boolean>;
  created_at: Timestamp;
  updated_at: Timestamp;
}

export interface IndicatorsTable {
  id: Generated<number>;
  commitment_id: number;
  action_id: number | null;
  name: Json<LocalizedText>;
  description: JsonDefault<LocalizedText>;
  unit: JsonDefault<LocalizedText>;
  measure: 'number' | 'percentage' | 'qualitative';
  direction: 'increase' | 'decrease' | 'maintain';
  scope: 'joint' | 'per-side';
  baseline_value: number | null;
  baseline_text: ColumnType<LocalizedText | null, string | null | undefined, string | null>;
  baseline_on: DateString | null;
  source: JsonDefault<LocalizedText>;
  /** The indicator counts the events held for its commitment (of one type, or 'any'): its actuals come from the events module. */
  counts_events: ColumnType<EventCountType | null, EventCountType | null | undefined, EventCountType | null>;
  illustrative: ColumnType<boolean, boolean | undefined, boolean>;
  created_at: Timestamp;
  updated_at: Timestamp;
}

export interface IndicatorPeriodsTable {
  id: Generated<number>;
  indicator_id: number;
  starts_on: DateString;
  ends_on: DateString;
  target_value: number | null;
  target_text: ColumnType<LocalizedText | null, string | null | undefined, string | null>;
}

export interface IndicatorActualsTable {
  period_id: number;
  side: Side;
  value: number | null;
  text: ColumnType<LocalizedText | null, string | null | undefined, string | null>;
  update_id: number;
  recorded_at: Timestamp;
  confirmed_by: string | null;
  confirmed_at: NullableTimestamp;
}

export interface ProjectAgreementsTable {
  id: Generated<number>;
  reference: string;
  title: Json<LocalizedText>;
  summary: JsonDefault<LocalizedText>;
  parties: JsonDefault<ProjectAgreementParty[]>;
  signed_on: DateString;
  signed_place: JsonDefault<LocalizedText>;
  starts_on: DateString | null;
  ends_on: DateString | null;
  status: ColumnType<ProjectAgreementStatus, ProjectAgreementStatus | undefined, ProjectAgreementStatus>;
  source_url: string | null;
  illustrative: ColumnType<boolean, boolean | undefined, boolean>;
  created_at: Timestamp;
  updated_at: Timestamp;
}

/** A party to a project agreement: an organisation on the platform, or a name as signed. */
export interface ProjectAgreementParty {
  organisationId?: string;
  name?: LocalizedText;
}

export interface ProjectAgreementCommitmentsTable {
  project_agreement_id: number;
  commitment_id: number;
}

export interface ProjectAgreementDocumentsTable {
  project_agreement_id: number;
  file_id: string;
}

export interface ProgressUpdatesTable {
  id: Generated<number>;
  reference: string;
  action_id: number;
  commitment_id: number;
  organisation_id: string;
  side: Side;
  narrative: Json<LocalizedText>;
  state: ColumnType<UpdateState, UpdateState | undefined, UpdateState>;
  return_reason: string | null;
  author_id: string | null;
  submitted_at: NullableTimestamp;
  decided_by: string | null;
  decided_at: NullableTimestamp;
  approved_at: NullableTimestamp;
  illustrative: ColumnType<boolean, boolean | undefined, boolean>;
  created_at: Timestamp;
  updated_at: Timestamp;
}

export interface UpdateIndicatorValuesTable {
  update_id: number;
  period_id: number;
  value: number | null;
  text: ColumnType<LocalizedText | null, string | null | undefined, string | null>;
}

export interface UpdateAttachmentsTable {
  update_id: number;
  file_id: string;
}

export interface UpdateProjectAgreementsTable {
  update_id: number;
  project_agreement_id: number;
}

export interface MilestoneDigestsTable {
  user_id: string;
  sent_on: DateString;
}

export interface Database extends SearchTables, CalendarTables, KnowledgeTables, EnquiryTables, SuggestionTables, EventTables, UploadTables, SignInTables {
  agreements: AgreementsTable;
  agreement_texts: AgreementTextsTable;
  agreement_areas: AgreementAreasTable;
  commitments: CommitmentsTable;
  agreement_revisions: AgreementRevisionsTable;
  agreement_status_events: AgreementStatusEventsTable;
  audit_events: AuditEventsTable;
  audit_checkpoints: AuditCheckpointsTable;
  jobs: JobsTable;
  mail_outbox: MailOutboxTable;
  organisations: OrganisationsTable;
  users: UsersTable;
  user_roles: UserRolesTable;
  sessions: SessionsTable;
  user_tokens: UserTokensTable;
  recovery_codes: RecoveryCodesTable;
  oidc_attempts: OidcAttemptsTable;
  representation_requests: RepresentationRequestsTable;
  rate_limits: RateLimitsTable;
  files: FilesTable;
  meetings: MeetingsTable;
  meeting_participants: MeetingParticipantsTable;
  meeting_decisions: MeetingDecisionsTable;
  actions: ActionsTable;
  action_partners: ActionPartnersTable;
  milestones: MilestonesTable;
  indicators: IndicatorsTable;
  indicator_periods: IndicatorPeriodsTable;
  indicator_actuals: IndicatorActualsTable;
  project_agreements: ProjectAgreementsTable;
  project_agreement_commitments: ProjectAgreementCommitmentsTable;
  project_agreement_documents: ProjectAgreementDocumentsTable;
  progress_updates: ProgressUpdatesTable;
  update_indicator_values: UpdateIndicatorValuesTable;
  update_attachments: UpdateAttachmentsTable;
  update_project_agreements: UpdateProjectAgreementsTable;
  milestone_digests: MilestoneDigestsTable;
}

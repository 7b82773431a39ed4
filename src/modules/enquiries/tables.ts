// The enquiries module's tables, added to the platform's Database by declaration merging.
import type { Generated } from 'kysely';
import type { Defaulted, Json, NullableTimestamp, Timestamp } from '../../platform/db/schema.ts';
import type { LocalizedText } from '../../platform/i18n/locales.ts';

export type EnquiryType = 'enquiry' | 'help' | 'complaint';
/**
 * open: with the handling agency, the clock running; awaiting-citizen: more information asked for,
 * the clock paused; with-coordinators: refused by two agencies, waiting to be assigned; closed.
 */
export type EnquiryState = 'open' | 'awaiting-citizen' | 'with-coordinators' | 'closed';
export type EnquiryOutcome = 'answered' | 'resolved' | 'referred' | 'not-substantiated' | 'withdrawn';
export type EnquiryLocale = 'zh-Hant' | 'zh-Hans' | 'en';
export type EnquiryEventKind =
  | 'received'
  | 'reply'
  | 'note'
  | 'info-requested'
  | 'citizen-reply'
  | 'transferred'
  | 'sent-to-coordinators'
  | 'assigned'
  | 'extended'
  | 'escalated'
  | 'closed'
  | 'rated'
  | 'purged';

/** Topics people choose, and the agency each goes to (coordinators change the routing). */
export interface EnquiryTopicsTable {
  key: string;
  name: Json<LocalizedText>;
  /** The knowledge category searched for matching articles (none for "other"). */
  category: string | null;
  agency_id: string;
  /** The agency the reference file names (the routing a coordinator may have changed since). */
  default_agency_id: string;
  position: number;
  updated_by: string | null;
  updated_at: Timestamp;
}

/** The one row of settings: time limits, extension cap, warning lead, purge period. */
export interface EnquirySettingsTable {
  id: Defaulted<boolean>;
  limit_enquiry: number;
  limit_help: number;
  limit_complaint: number;
  extension_cap: number;
  warning_lead: number;
  purge_months: number;
  updated_by: string | null;
  updated_at: Timestamp;
}

/**
 * A case. The personal data (name, email, phone, description, user) is emptied by the purge; what
 * the statistics need (type, topic, agency, dates, working days, outcome, satisfaction) stays.
 */
export interface EnquiriesTable {
  id: Generated<number>;
  reference: string;
  type: EnquiryType;
  topic_key: string;
  subject: string | null;
  description: string | null;
  locale: EnquiryLocale;
  name: string | null;
  email: string | null;
  phone: string | null;
  user_id: string | null;
  /** The handling agency; null while the case waits with the coordinators. */
  agency_id: string | null;
  /** The side whose calendar counts the time limit (of the handling agency, or of the last one). */
  side: 'hong-kong' | 'zhejiang' | 'other';
  state: Defaulted<EnquiryState>;
  received_on: string;
  time_limit: number;
  extension_days: Defaulted<number>;
  paused_days: Defaulted<number>;
  paused_since: string | null;
  due_on: string;
  /** Agencies that transferred the case away. */
  refusals: Defaulted<number>;
  escalated_at: NullableTimestamp;
  closed_on: string | null;
  closed_at: NullableTimestamp;
  outcome: EnquiryOutcome | null;
  working_days_taken: number | null;
  on_time: boolean | null;
  satisfaction: number | null;
  satisfaction_comment: string | null;
  rated_at: NullableTimestamp;
  purged_at: NullableTimestamp;
  /** Bumped by every change: an action is applied only to the version the officer saw. */
  version: Defaulted<number>;
  created_at: Timestamp;
  updated_at: Timestamp;
}

/** The timeline of a case: what happened, who did it, and what the citizen may see of it. */
export interface EnquiryEventsTable {
  id: Generated<number>;
  enquiry_id: number;
  kind: EnquiryEventKind;
  actor: 'citizen' | 'officer' | 'coordinator' | 'system';
  user_id: string | null;
  /** The agency that acted (officers), or the agency the case went to (transfers, assignments). */
  organisation_id: string | null;
  to_organisation_id: string | null;
  body: string | null;
  days: number | null;
  outcome: EnquiryOutcome | null;
  visible_to_citizen: boolean;
  created_at: Timestamp;
}

export interface EnquiryAttachmentsTable {
  enquiry_id: number;
  event_id: number;
  file_id: string;
}

/** One-time codes for following a case at /track: hashed, short-lived, few attempts. */
export interface EnquiryTrackCodesTable {
  id: Generated<number>;
  enquiry_id: number;
  code_hash: string;
  salt: string;
  expires_at: Date;
  attempts: Defaulted<number>;
  used_at: NullableTimestamp;
  created_at: Timestamp;
}

/** The short sessions a code opens: one case each. */
export interface EnquiryTrackSessionsTable {
  token_hash: string;
  enquiry_id: number;
  expires_at: Date;
  created_at: Timestamp;
}

/** Which officer got which day's digest of cases due soon (at most one a day). */
export interface EnquiryDigestsTable {
  user_id: string;
  sent_on: string;
}

/** Table types of enquiries (諮詢): topics and routing, cases, their timeline, time limits and tracking codes. */
declare module '../../platform/db/schema.ts' {
  interface Database {
    enquiry_topics: EnquiryTopicsTable;
    enquiry_settings: EnquirySettingsTable;
    enquiries: EnquiriesTable;
    enquiry_events: EnquiryEventsTable;
    enquiry_attachments: EnquiryAttachmentsTable;
    enquiry_track_codes: EnquiryTrackCodesTable;
    enquiry_track_sessions: EnquiryTrackSessionsTable;
    enquiry_digests: EnquiryDigestsTable;
  }
}

// The suggestions module's tables, added to the platform's Database by declaration merging.
import type { ColumnType, Generated } from 'kysely';
import type { Defaulted, NullableJson, NullableTimestamp, Timestamp } from '../../platform/db/schema.ts';
import type { LocalizedText } from '../../platform/i18n/locales.ts';

/**
 * received: waiting for a coordinator; published: public, waiting for the responsible agency's
 * response; responded: public with its official response; rejected (with a reason) and merged (into
 * another published suggestion) are closed without being published.
 */
export type SuggestionState = 'received' | 'published' | 'responded' | 'rejected' | 'merged';
/** Whom the person writes as: commitment (三)1 asks for the views of Hong Kong-invested enterprises. */
export type SubmitterType = 'resident' | 'enterprise' | 'other';
/** Where a suggestion came from: the public form, or (issue 6) feedback collected at a symposium. */
export type SuggestionSource = 'form' | 'symposium-feedback';
export type SuggestionLocale = 'zh-Hant' | 'zh-Hans' | 'en';

/**
 * Suggestions (意見建議). The original title and text and the submitter's details are personal data:
 * seen only by coordinators and the responsible agency's officers, and removed (`purged_at`) once the
 * suggestion has been closed longer than the purge period. The public title and text are the
 * coordinators' checked copy.
 */
export interface SuggestionsTable {
  id: Generated<number>;
  reference: string;
  state: Defaulted<SuggestionState>;
  /** A knowledge category key or 'other'; or else the commitment it is about. */
  topic: string | null;
  commitment_id: number | null;
  /** The language it is written in, and in which the submitter is written to. */
  language: SuggestionLocale;
  title: string | null;
  body: string | null;
  submitter_type: SubmitterType;
  submitter_name: string | null;
  submitter_organisation: string | null;
  submitter_email: string | null;
  user_id: string | null;
  source: SuggestionSource | null;
  source_ref: string | null;
  public_title: string | null;
  public_body: string | null;
  responsible_agency: string | null;
  merged_into_id: number | null;
  reject_reason: string | null;
  response: NullableJson<LocalizedText>;
  received_at: Timestamp;
  moderated_at: NullableTimestamp;
  moderated_by: string | null;
  responded_at: NullableTimestamp;
  responded_by: string | null;
  closed_at: NullableTimestamp;
  purged_at: NullableTimestamp;
}

/** The module's one row of settings. */
export interface SuggestionsSettingsTable {
  id: ColumnType<number, number | undefined, never>;
  /** Months after closing at which a suggestion's personal data is removed. */
  purge_after_months: Defaulted<number>;
  updated_by: string | null;
  updated_at: Timestamp;
}

/** Table types of suggestions (意見建議): submissions, moderation, merging and official responses. */
declare module '../../platform/db/schema.ts' {
  interface Database {
    suggestions: SuggestionsTable;
    suggestions_settings: SuggestionsSettingsTable;
  }
}

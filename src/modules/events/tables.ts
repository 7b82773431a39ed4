// The events module's tables, added to the platform's Database by declaration merging.
import type { Generated } from 'kysely';
import type { DateString, Defaulted, Json, JsonDefault, NullableJson, NullableTimestamp, Timestamp } from '../../platform/db/schema.ts';
import type { LocalizedText } from '../../platform/i18n/locales.ts';

export const EVENT_TYPES = ['promotion', 'symposium', 'forum', 'exhibition', 'study-tour', 'training', 'other'] as const;
export type EventType = (typeof EVENT_TYPES)[number];
/** What an indicator fed by events counts: events of one type, or of any. */
export type EventCountType = EventType | 'any';
export type EventStatus = 'draft' | 'published' | 'cancelled';
/** off: no registration; platform: on the platform, with capacity and waitlist; external: a link elsewhere. */
export type RegistrationMode = 'off' | 'platform' | 'external';
export type OccurrenceStatus = 'scheduled' | 'cancelled';
/**
 * pending: waiting for the organiser's approval (holds no place); confirmed: holds a place;
 * waitlisted: in line for a place, promoted first in first out; cancelled: by the person or with the
 * occurrence; attended: checked in at the door; rejected: by the organiser, with a reason.
 */
export type RegistrationState = 'pending' | 'confirmed' | 'waitlisted' | 'cancelled' | 'attended' | 'rejected';
export type RegistrationLocale = 'zh-Hant' | 'zh-Hans' | 'en';

/** A question an event asks of whoever registers. */
export interface EventQuestion {
  /** Stable key of the question ('q1', 'q2' …): the answers are stored under it. */
  key: string;
  label: LocalizedText;
  kind: 'text' | 'choice' | 'yes-no';
  /** The choices of a 'choice' question, each in the three languages. */
  options?: LocalizedText[];
  required: boolean;
}

/** An event: one-off, or a series written out into occurrences from its RRULE. */
export interface EventsTable {
  id: Generated<number>;
  /** ZJHK-V-2026-000123 */
  reference: string;
  type: EventType;
  status: Defaulted<EventStatus>;
  title: Json<LocalizedText>;
  description: JsonDefault<LocalizedText>;
  /** A key of data/events/cities.json. */
  city: string;
  /** Address of the venue, per language (empty for an online event). */
  venue: JsonDefault<LocalizedText>;
  /** Shown to confirmed registrants only. */
  online_url: string | null;
  /** IANA time zone the times are given in (Asia/Hong_Kong, Asia/Shanghai …). */
  time_zone: string;
  /** First occurrence as wall-clock time in time_zone, 'YYYY-MM-DDTHH:MM'. */
  starts_local: string;
  duration_minutes: number;
  /** An RFC 5545 RRULE value (without DTSTART), e.g. 'FREQ=MONTHLY;INTERVAL=3;COUNT=4'; null for a one-off event. */
  rrule: string | null;
  registration: Defaulted<RegistrationMode>;
  external_url: string | null;
  capacity: number | null;
  requires_approval: Defaulted<boolean>;
  questions: JsonDefault<EventQuestion[]>;
  /** Ask attendees for feedback after each occurrence (symposiums): answers go to the suggestions channel. */
  feedback: Defaulted<boolean>;
  contact_email: string | null;
  created_by: string | null;
  created_at: Timestamp;
  updated_at: Timestamp;
}

export interface EventOrganisersTable {
  event_id: number;
  organisation_id: string;
}

export interface EventCommitmentsTable {
  event_id: number;
  commitment_id: number;
}

/** One date of an event. Fields left null follow the event; set ones are this occurrence's own. */
export interface EventOccurrencesTable {
  id: Generated<number>;
  event_id: number;
  /** The date the rule gives it, in the event's time zone: its key in URLs and its RECURRENCE-ID. */
  slot: DateString;
  starts_at: Date;
  ends_at: Date;
  status: Defaulted<OccurrenceStatus>;
  /** Changed on its own by an organiser: a later change of the series leaves its time and place alone. */
  modified: Defaulted<boolean>;
  city: string | null;
  venue: NullableJson<LocalizedText>;
  online_url: string | null;
  capacity: number | null;
  /** A note for this date only (e.g. "moved to the 3rd floor"). */
  note: JsonDefault<LocalizedText>;
  cancel_reason: string | null;
  /** Recorded after the event: how many attended (defaults to those checked in) and a short report. */
  attendance: number | null;
  report: JsonDefault<LocalizedText>;
  reported_at: NullableTimestamp;
  reported_by: string | null;
  /** RFC 5545 SEQUENCE: raised on every change calendars must pick up. */
  sequence: Defaulted<number>;
  updated_at: Timestamp;
}

export interface EventRegistrationsTable {
  id: Generated<number>;
  /** ZJHK-R-2026-000123 */
  reference: string;
  occurrence_id: number;
  user_id: string;
  state: RegistrationState;
  /** The language the person is written to in. */
  locale: RegistrationLocale;
  /** Answers to the event's questions, by question key. */
  answers: JsonDefault<Record<string, string>>;
  /** Eight characters shown at the door (and in the QR code). */
  check_in_code: string;
  reject_reason: string | null;
  created_at: Timestamp;
  waitlisted_at: NullableTimestamp;
  decided_at: NullableTimestamp;
  decided_by: string | null;
  cancelled_at: NullableTimestamp;
  checked_in_at: NullableTimestamp;
  checked_in_by: string | null;
  reminded_at: NullableTimestamp;
}

/** Table types of events (活動): series, occurrences, organisers, commitments and registrations. */
declare module '../../platform/db/schema.ts' {
  interface Database {
    events: EventsTable;
    event_organisers: EventOrganisersTable;
    event_commitments: EventCommitmentsTable;
    event_occurrences: EventOccurrencesTable;
    event_registrations: EventRegistrationsTable;
  }
}

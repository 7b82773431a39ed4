// The implementation module's tables, added to the platform's Database by declaration merging.
import type { ColumnType, Generated } from 'kysely';
import type { DateString, Json, JsonDefault, NullableTimestamp, Side, Timestamp } from '../../platform/db/schema.ts';
import type { LocalizedText } from '../../platform/i18n/locales.ts';

export type ActionStatus = 'planned' | 'in-progress' | 'completed' | 'at-risk' | 'delayed' | 'discontinued';
export type MilestoneStatus = 'scheduled' | 'met' | 'not-met' | 'partially-met';
export type UpdateState = 'draft' | 'submitted' | 'returned' | 'approved';
export type ProjectAgreementStatus = 'signed' | 'in-implementation' | 'completed' | 'terminated';
export type MeetingType = 'plenary' | 'working-group' | 'symposium';

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
  /** What the indicator counts on the platform, 'events:promotion' (a source a module declares, and its choice); null: its actuals come from progress updates. */
  counted_by: ColumnType<string | null, string | null | undefined, string | null>;
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

declare module '../../platform/db/schema.ts' {
  interface Database {
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
}

// The agreements module's tables, added to the platform's Database by declaration merging.
import type { Generated } from 'kysely';
import type { DateString, Json, Timestamp } from '../../platform/db/schema.ts';
import type { LocalizedText } from '../../platform/i18n/locales.ts';

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

declare module '../../platform/db/schema.ts' {
  interface Database {
    agreements: AgreementsTable;
    agreement_texts: AgreementTextsTable;
    agreement_areas: AgreementAreasTable;
    commitments: CommitmentsTable;
    agreement_revisions: AgreementRevisionsTable;
    agreement_status_events: AgreementStatusEventsTable;
  }
}

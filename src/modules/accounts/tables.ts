// The accounts module's tables, added to the platform's Database by declaration merging (users,
// roles and sessions stay in the platform: src/platform/auth reads them).
import type { ColumnType, Generated } from 'kysely';
import type { Timestamp } from '../../platform/db/schema.ts';

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

declare module '../../platform/db/schema.ts' {
  interface Database {
    user_tokens: UserTokensTable;
    recovery_codes: RecoveryCodesTable;
    oidc_attempts: OidcAttemptsTable;
    representation_requests: RepresentationRequestsTable;
  }
}

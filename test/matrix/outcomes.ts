import type { Kysely } from 'kysely';
import type { Role } from '../../src/platform/auth/roles.ts';
import type { Database } from '../../src/platform/db/schema.ts';

/** What the route × role matrix expects of a request: each role's outcome, and the words to build lines with. */
export type Outcome = 'ok' | 'sign-in' | 'forbidden' | 'not-found' | 'bad-request';
export const O: Outcome = 'ok';
export const S: Outcome = 'sign-in';
export const F: Outcome = 'forbidden';
/** Allowed in, and the empty request refused as invalid. */
export const B: Outcome = 'bad-request';
/** Routes of features this installation has not configured (sign-in through an identity service). */
export const NONE: Outcome[] = Array(6).fill('not-found') as Outcome[];

export const WHO = ['anonymous', 'resident', 'enterprise-representative', 'agency-officer', 'custodian-coordinator', 'administrator'] as const;
export type Who = (typeof WHO)[number];
/** The organisation each role acts for in the matrix. */
export const ORGANISATION: Partial<Record<Role, string>> = {
  'enterprise-representative': 'hk-hkex',
  'agency-officer': 'hk-fstb',
  'custodian-coordinator': 'hk-cmab',
};

export const EVERYONE: Outcome[] = [O, O, O, O, O, O];
export const SIGNED_IN: Outcome[] = [S, O, O, O, O, O];
export const COORDINATORS: Outcome[] = [S, F, F, F, O, O];
export const ADMINS: Outcome[] = [S, F, F, F, F, O];
export const WORKSPACE: Outcome[] = [S, F, F, O, O, O];
/** The officer of the lead agency (hk-fstb) only: coordinators and administrators are not an agency. */
export const LEAD_OFFICER: Outcome[] = [S, F, F, O, F, F];
export const NOT_FOUND: Outcome[] = Array(6).fill('not-found') as Outcome[];

/** Route (method and pattern, with {lang} for the language prefixes) → a URL to try ({key} replaced by a record's id) and the outcome per role. */
export type MatrixLines = Record<string, { url: string; expect: Outcome[] }>;

/**
 * A module's part of the matrix: its lines, and the records they are tried on (made once per
 * database, after the users of WHO exist; `users` maps each role to its user id).
 */
export interface ModuleMatrix {
  lines: MatrixLines;
  setup?(db: Kysely<Database>, users: Map<Who, string>): Promise<Record<string, string>>;
}

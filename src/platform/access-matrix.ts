import type { Kysely } from 'kysely';
import type { Role } from './auth/roles.ts';
import type { Database } from './db/schema.ts';

/**
 * The expected outcome of every route for every role, declared by each module (its `matrix.ts`,
 * reached through its manifest's `matrix()`) and checked by the route-matrix test
 * (test/route-matrix.test.ts). The words to write lines with: each role's outcome, the roles in
 * the order of a line, and the organisation each role acts for. Only tests load it.
 */

/** What a request by one role gets. */
export type Outcome = 'ok' | 'sign-in' | 'forbidden' | 'not-found' | 'bad-request';
export const O: Outcome = 'ok';
export const S: Outcome = 'sign-in';
export const F: Outcome = 'forbidden';
/** Allowed in, and the empty request refused as invalid. */
export const B: Outcome = 'bad-request';
/** Routes of features this installation has not configured (sign-in through an identity service). */
export const NONE: Outcome[] = Array(6).fill('not-found') as Outcome[];

/** The roles a line's outcomes are for, in its order: the anonymous visitor, then one user per role. */
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

/** One route's line: a URL to try ({key} replaced by a record's id, 'asset' one of the app's assets) and the outcome per role of WHO. */
interface MatrixLine {
  url: string;
  expect: Outcome[];
  /**
   * A route anyone may reach that shows one person's data (a case tracked by its code, a page opened
   * from a link with a token): its answers are never kept by a browser or a proxy.
   */
  personal?: true;
}

/** Route (method and pattern, with {lang} for the language prefixes) → its line. */
export type MatrixLines = Record<string, MatrixLine>;

/**
 * A module's part of the matrix: its lines, and the records they are tried on (made once per
 * database, after the users of WHO exist; `users` maps each role to its user id). The ids `setup`
 * returns fill the lines' {key}s, of every module's lines.
 */
export interface ModuleMatrix {
  lines: MatrixLines;
  setup?(db: Kysely<Database>, users: Map<Who, string>): Promise<Record<string, string>>;
}

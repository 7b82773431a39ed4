import { randomUUID } from 'node:crypto';
import type { Kysely } from 'kysely';
import { insertRole, insertUser } from '../../src/modules/accounts/queries.ts';
import type { Role } from '../../src/platform/auth/roles.ts';
import type { Database } from '../../src/platform/db/schema.ts';
import { enrolledTwoFactor } from '../app.ts';
import { calendarsMatrix } from './calendars.ts';
import { coreMatrix } from './core.ts';
import { enquiriesMatrix } from './enquiries.ts';
import { eventsMatrix } from './events.ts';
import { knowledgeMatrix } from './knowledge.ts';
import { type MatrixLines, type ModuleMatrix, ORGANISATION, WHO, type Who } from './outcomes.ts';
import { suggestionsMatrix } from './suggestions.ts';

/** Every module's part of the route × role matrix (modules added since issue 5 keep their lines in their own file here). */
export const MODULE_MATRICES: ModuleMatrix[] = [calendarsMatrix, knowledgeMatrix, enquiriesMatrix, suggestionsMatrix, eventsMatrix];

/** The whole route table: route (method and pattern) → a URL to try and the outcome per role. */
export const MATRIX: MatrixLines = Object.assign({}, coreMatrix.lines, ...MODULE_MATRICES.map((m) => m.lines));

/** A route's line in the matrix for a request's method and URL: the language prefix written {lang}. */
export const routePattern = (method: string, url: string): string => `${method} ${url.replace(/^\/(zh-hant|zh-hans|en)(?=\/|$)/, '/{lang}')}`;

export interface MatrixWorld {
  /** The user id of each role but the anonymous visitor. */
  users: Map<Who, string>;
  /** The records the lines' URLs name ({action}, {event} …). */
  ids: Record<string, string>;
}

/**
 * The people and records the matrix is tried with: one user per role (officers and above with
 * two-factor enrolled, each acting for its ORGANISATION), then every part's records.
 */
export async function setupMatrix(db: Kysely<Database>): Promise<MatrixWorld> {
  const users = new Map<Who, string>();
  for (const who of WHO.slice(1) as Role[]) {
    const id = randomUUID();
    await insertUser(db, { id, email: `${who}@example.org`, displayName: who, locale: 'en', passwordHash: null, emailVerifiedAt: new Date() });
    await insertRole(db, { userId: id, role: who, organisationId: ORGANISATION[who] ?? null, grantedBy: null });
    if (who !== 'resident' && who !== 'enterprise-representative') {
      await db.updateTable('users').set(enrolledTwoFactor(id)).where('id', '=', id).execute();
    }
    users.set(who, id);
  }
  const ids: Record<string, string> = {};
  for (const m of [coreMatrix, ...MODULE_MATRICES]) Object.assign(ids, await m.setup?.(db, users));
  return { users, ids };
}

/** The URL a line is tried at: 'asset' is one of the app's assets, {key} a record's id. */
export function matrixUrl(lineUrl: string, ids: Record<string, string>, asset: string): string {
  return (lineUrl === 'asset' ? asset : lineUrl).replace(/\{([a-z-]+)\}/g, (_, key: string) => ids[key] ?? key);
}

import { randomUUID } from 'node:crypto';
import type { Kysely } from 'kysely';
import { insertRole, insertUser } from '../../src/modules/accounts/testing.ts';
import { modules } from '../../src/modules/index.ts';
import { EVERYONE, type MatrixLines, type ModuleMatrix, ORGANISATION, WHO, type Who } from '../../src/platform/access-matrix.ts';
import type { Role } from '../../src/platform/auth/roles.ts';
import type { Database } from '../../src/platform/db/schema.ts';
import type { ModuleManifest } from '../../src/platform/module.ts';
import { enrolledTwoFactor } from '../app.ts';

/** The routes the platform registers itself, outside any module: its assets. */
const PLATFORM: ModuleMatrix = {
  lines: {
    'GET /assets/:name': { url: 'asset', expect: EVERYONE },
  },
};

/** The matrix of an app made of some modules: its parts (the platform's, then each module's that declares one, in order) and its lines. */
export async function matrixOf(list: readonly ModuleManifest[]): Promise<{ parts: ModuleMatrix[]; lines: MatrixLines }> {
  const parts = [PLATFORM, ...(await Promise.all(list.map(async (m) => m.matrix?.()))).filter((m): m is ModuleMatrix => m !== undefined)];
  const lines: MatrixLines = {};
  for (const part of parts) {
    for (const [route, line] of Object.entries(part.lines)) {
      if (lines[route]) throw new Error(`${route} has two lines in the route matrix`);
      lines[route] = line;
    }
  }
  return { parts, lines };
}

const platformMatrix = await matrixOf(modules);
const MATRICES = platformMatrix.parts;

/** The whole route table of the platform: route (method and pattern) → a URL to try and the outcome per role. A route has one line, declared by one part. */
export const MATRIX: MatrixLines = platformMatrix.lines;

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
  for (const part of MATRICES) {
    for (const [key, id] of Object.entries((await part.setup?.(db, users)) ?? {})) {
      if (ids[key] !== undefined) throw new Error(`{${key}} is named by two parts of the route matrix`);
      ids[key] = id;
    }
  }
  return { users, ids };
}

/** The URL a line is tried at: 'asset' is one of the app's assets, {key} a record's id. */
export function matrixUrl(lineUrl: string, ids: Record<string, string>, asset: string): string {
  return (lineUrl === 'asset' ? asset : lineUrl).replace(/\{([a-z-]+)\}/g, (_, key: string) => ids[key] ?? key);
}

import { randomBytes } from 'node:crypto';
import { readFile } from 'node:fs/promises';
import { afterEach, beforeEach, inject } from 'vitest';
import { type Db, openDatabase } from '../src/platform/db/index.ts';
import { installKeys } from '../src/platform/secrets.ts';
import { admin, databaseUrl } from './postgres.ts';
import { TEST_SECRET_KEY } from './keys.ts';

export { TEST_SECRET_KEY } from './keys.ts';
installKeys(Buffer.from(TEST_SECRET_KEY, 'hex'));

export type DatabaseKind = 'pglite' | 'postgres';

/** The databases every SQL test runs on: PGlite always, PostgreSQL when TEST_DATABASE_URL names a server. */
export const DATABASES: DatabaseKind[] = process.env.TEST_DATABASE_URL ? ['pglite', 'postgres'] : ['pglite'];

export interface TestDatabase {
  db: Db;
  /** The URL of the throwaway PostgreSQL database (postgres only). */
  url?: string;
  drop(): Promise<void>;
}

/** The run's PGlite template dumps, read once per test process. */
const dumps = new Map<string, Promise<Blob>>();

function pgliteDump(file: string): Promise<Blob> {
  let dump = dumps.get(file);
  if (!dump) {
    dump = readFile(file).then((bytes) => new Blob([bytes]));
    dumps.set(file, dump);
  }
  return dump;
}

/** The run's PGlite template, as a dump to load (`loadDataDir`). */
export function templateDump(which: 'seeded' | 'empty'): Promise<Blob> {
  return pgliteDump(inject('templates').pglite[which]);
}

/**
 * A fresh database of the given kind: a clone of the run's template (migrated, and loaded with the
 * agreement unless `empty`), built once per run by the global setup.
 */
export async function freshDatabase(kind: DatabaseKind, options: { empty?: boolean } = {}): Promise<TestDatabase> {
  const templates = inject('templates');
  const which = options.empty ? 'empty' : 'seeded';
  if (kind === 'pglite') {
    const db = await openDatabase({ dataDir: '', inMemory: true, loadDataDir: await templateDump(which) });
    return { db, drop: () => db.close() };
  }
  if (!templates.postgres) throw new Error('TEST_DATABASE_URL is not set: no PostgreSQL database for this test');
  const name = `zjhk_test_${inject('runId')}_${randomBytes(6).toString('hex')}`;
  await admin((c) => c.query(`create database ${name} template ${templates.postgres?.[which]}`));
  const url = databaseUrl(name);
  const db = await openDatabase({ databaseUrl: url, dataDir: '', onConnectionLost: () => {} });
  return {
    db,
    url,
    async drop() {
      await db.close();
      await admin((c) => c.query(`drop database if exists ${name} with (force)`));
    },
  };
}

/**
 * A fresh database for each test of the calling describe block. The returned object reads through to
 * the current test's database.
 */
export function freshDatabaseEach(kind: DatabaseKind, options: { empty?: boolean } = {}): TestDatabase {
  let current: TestDatabase | undefined;
  beforeEach(async () => {
    current = await freshDatabase(kind, options);
  });
  afterEach(async () => {
    await current?.drop();
  });
  const get = (): TestDatabase => {
    if (!current) throw new Error('no database outside a test');
    return current;
  };
  return {
    get db() {
      return get().db;
    },
    get url() {
      return get().url;
    },
    drop: () => get().drop(),
  };
}

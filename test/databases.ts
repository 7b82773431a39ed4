import { randomBytes } from 'node:crypto';
import pg from 'pg';
import { afterAll, afterEach, beforeEach, inject } from 'vitest';
import { type Db, migrate, openDatabase } from '../src/platform/db/index.ts';
import { loadConfig } from '../src/config.ts';
import { modules } from '../src/modules/index.ts';
import { SYSTEM } from '../src/platform/audit/audit.ts';
import { installKeys } from '../src/platform/secrets.ts';

/** The master key every test process uses (tests that check keys make their own). */
export const TEST_SECRET_KEY = '0f'.repeat(32);
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

function databaseUrl(name: string): string {
  const url = new URL(process.env.TEST_DATABASE_URL as string);
  url.pathname = `/${name}`;
  return url.toString();
}

async function admin<T>(run: (client: pg.Client) => Promise<T>): Promise<T> {
  const client = new pg.Client({ connectionString: process.env.TEST_DATABASE_URL });
  await client.connect();
  try {
    return await run(client);
  } finally {
    await client.end();
  }
}

/** What every start does: each module's reference data (organisations, the agreement). */
async function seedAll(db: Db): Promise<void> {
  for (const module of modules) await module.seed?.({ db, config: loadConfig({}), actor: SYSTEM, print: () => {} });
}

const templates = new Map<string, Promise<Blob | string>>();

/** A migrated (and, unless `empty`, seeded) database made once per test file, cloned for each test. */
function template(kind: DatabaseKind, seeded: boolean): Promise<Blob | string> {
  const key = `${kind}:${seeded}`;
  let made = templates.get(key);
  if (!made) {
    made = (async () => {
      if (kind === 'pglite') {
        const db = await openDatabase({ dataDir: '', inMemory: true });
        await migrate(db);
        if (seeded) await seedAll(db);
        const dump = await (db.pglite?.dumpDataDir('none') as Promise<Blob>);
        await db.close();
        return dump;
      }
      const name = `zjhk_tpl_${inject('runId')}_${randomBytes(6).toString('hex')}`;
      await admin((c) => c.query(`create database ${name}`));
      const db = await openDatabase({ databaseUrl: databaseUrl(name), dataDir: '', onConnectionLost: () => {} });
      await migrate(db);
      if (seeded) await seedAll(db);
      await db.close();
      return name;
    })();
    templates.set(key, made);
  }
  return made;
}

/** A fresh database of the given kind for one test: migrated and loaded with the agreement unless `empty`. */
export async function freshDatabase(kind: DatabaseKind, options: { empty?: boolean } = {}): Promise<TestDatabase> {
  const source = await template(kind, !options.empty);
  if (kind === 'pglite') {
    const db = await openDatabase({ dataDir: '', inMemory: true, loadDataDir: source as Blob });
    return { db, drop: () => db.close() };
  }
  const name = `zjhk_test_${inject('runId')}_${randomBytes(6).toString('hex')}`;
  await admin((c) => c.query(`create database ${name} template ${source as string}`));
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

/** Drops the template databases this file made (afterAll; the run drops any left when it ends). */
export async function dropTemplates(): Promise<void> {
  for (const [key, made] of templates) {
    if (!key.startsWith('postgres')) continue;
    const name = (await made) as string;
    await admin((c) => c.query(`drop database if exists ${name} with (force)`));
  }
  templates.clear();
}

/**
 * A fresh database for each test of the calling describe block (and the file's templates dropped at
 * its end). The returned object reads through to the current test's database.
 */
export function freshDatabaseEach(kind: DatabaseKind, options: { empty?: boolean } = {}): TestDatabase {
  let current: TestDatabase | undefined;
  beforeEach(async () => {
    current = await freshDatabase(kind, options);
  });
  afterEach(async () => {
    await current?.drop();
  });
  afterAll(async () => {
    await dropTemplates();
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

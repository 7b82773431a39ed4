import fs from 'node:fs';
import path from 'node:path';
import { PGlite } from '@electric-sql/pglite';
import { Kysely, PGliteDialect, PostgresDialect, sql } from 'kysely';
import { type Migration, type MigrationResultSet, Migrator } from 'kysely/migration';
import pg from 'pg';
import { type DataFolderLock, lockDataFolder } from './lock.ts';
import { migrations } from './migrations/index.ts';
import type { Database } from './schema.ts';

export { json } from './json.ts';

const DATE_OID = 1082;
// `date` values stay 'YYYY-MM-DD' strings on both databases: a Date object would shift with the time zone.
pg.types.setTypeParser(DATE_OID, (value) => value);

export interface Db {
  kind: 'pglite' | 'postgres';
  kysely: Kysely<Database>;
  /** The embedded database, when kind is 'pglite'. */
  pglite?: PGlite;
  /** The data-folder lock held for the embedded database. */
  lock?: DataFolderLock;
  close(): Promise<void>;
}

export interface OpenOptions {
  databaseUrl?: string | undefined;
  dataDir: string;
  /** Start the embedded database from a dump (tests clone a migrated template this way). */
  loadDataDir?: Blob;
  /** Keep the embedded database in memory only (tests). */
  inMemory?: boolean;
  /** Told when the server drops an idle connection (a restart, a terminated backend); the pool reconnects. */
  onConnectionLost?: (error: Error) => void;
}

export function pgliteDir(dataDir: string): string {
  return path.join(dataDir, 'db');
}

export async function openDatabase(options: OpenOptions): Promise<Db> {
  if (options.databaseUrl) {
    const pool = new pg.Pool({ connectionString: options.databaseUrl, max: 10 });
    // Without a listener, an idle connection closed by the server would crash the process.
    pool.on('error', options.onConnectionLost ?? ((error) => process.stderr.write(`${JSON.stringify({ level: 40, time: Date.now(), msg: 'idle database connection lost', err: error.message })}\n`)));
    const kysely = new Kysely<Database>({ dialect: new PostgresDialect({ pool }) });
    return { kind: 'postgres', kysely, close: () => kysely.destroy() };
  }
  const lock = options.inMemory ? undefined : await lockDataFolder(options.dataDir);
  try {
    const dir = options.inMemory ? undefined : pgliteDir(options.dataDir);
    if (dir) fs.mkdirSync(dir, { recursive: true });
    const pglite = await PGlite.create({
      ...(dir ? { dataDir: dir } : {}),
      ...(options.loadDataDir ? { loadDataDir: options.loadDataDir } : {}),
      parsers: { [DATE_OID]: (value: string) => value },
    });
    const kysely = new Kysely<Database>({ dialect: new PGliteDialect({ pglite }) });
    return {
      kind: 'pglite',
      kysely,
      pglite,
      ...(lock ? { lock } : {}),
      async close() {
        await kysely.destroy();
        if (!pglite.closed) await pglite.close();
        await lock?.release();
      },
    };
  } catch (error) {
    await lock?.release();
    throw error;
  }
}

function migrator(db: Db): Migrator {
  return new Migrator({
    db: db.kysely,
    provider: { getMigrations: async (): Promise<Record<string, Migration>> => migrations },
  });
}

export async function migrate(db: Db): Promise<MigrationResultSet> {
  const result = await migrator(db).migrateToLatest();
  if (result.error) throw result.error;
  return result;
}

export interface MigrationState {
  applied: string[];
  pending: string[];
}

export async function migrationState(db: Db): Promise<MigrationState> {
  const all = await migrator(db).getMigrations();
  return {
    applied: all.filter((m) => m.executedAt).map((m) => m.name),
    pending: all.filter((m) => !m.executedAt).map((m) => m.name),
  };
}

export async function ping(db: Db): Promise<void> {
  await sql`select 1`.execute(db.kysely);
}

// Where a benchmark's data lives: a temporary data folder, and a PostgreSQL database made for the run.
import { randomBytes } from 'node:crypto';
import { mkdtempSync, rmSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import pg from 'pg';
import { onCleanup } from './cleanup.ts';
import type { DatabaseKind, Settings } from './settings.ts';

/** Runs `use` with a new temporary folder, removed afterwards (also on Ctrl-C). */
export async function withTempDir<T>(prefix: string, use: (dir: string) => Promise<T>): Promise<T> {
  const dir = mkdtempSync(path.join(os.tmpdir(), prefix));
  const remove = onCleanup(`remove ${dir}`, async () => rmSync(dir, { recursive: true, force: true }));
  try {
    return await use(dir);
  } finally {
    await remove();
  }
}

export interface PostgresDatabase {
  name: string;
  url: string;
  /** The PostgreSQL backend processes serving the database (for CPU accounting). */
  backendPids(): Promise<number[]>;
}

/**
 * Creates a database named after `prefix` and a random suffix, runs `use`, and drops it (also on
 * Ctrl-C). Returns undefined, after `skipped(reason)`, when the server cannot be reached.
 */
export async function withPostgresDatabase<T>(adminUrl: string, prefix: string, use: (database: PostgresDatabase) => Promise<T>, skipped: (reason: string) => void): Promise<T | undefined> {
  const admin = new pg.Client({ connectionString: adminUrl, connectionTimeoutMillis: 5_000 });
  admin.on('error', (error) => console.error(`postgres admin connection: ${error.message}`));
  try {
    await admin.connect();
  } catch (error) {
    await admin.end().catch(() => undefined);
    skipped(`cannot connect to ${adminUrl}: ${error instanceof Error ? error.message : String(error)}`);
    return undefined;
  }
  const name = `${prefix}_${randomBytes(6).toString('hex')}`;
  const release = onCleanup(`drop database ${name}`, async () => {
    await admin.query(`drop database if exists "${name}" with (force)`);
    await admin.end();
  });
  try {
    await admin.query(`create database "${name}"`);
    console.error(`postgres: created database ${name}`);
    const url = new URL(adminUrl);
    url.pathname = `/${name}`;
    const backendPids = async (): Promise<number[]> => (await admin.query<{ pid: number }>('select pid from pg_stat_activity where datname = $1', [name])).rows.map((row) => row.pid);
    return await use({ name, url: url.href, backendPids });
  } finally {
    await release();
  }
}

/** Where one database's run keeps its data: the server's environment, and on PostgreSQL its backend processes. */
export interface RunEnvironment {
  env: Record<string, string>;
  backendPids: (() => Promise<number[]>) | undefined;
}

/**
 * Runs a benchmark on each database the settings name, each in a throwaway folder (and, on
 * PostgreSQL, a throwaway database): a server that cannot be reached is noted as skipped, and a
 * failure is noted before the next database runs. Returns whether any run failed.
 */
export async function onEachDatabase(
  name: string,
  settings: Pick<Settings, 'databases' | 'adminUrl'>,
  results: { failures: string[]; notes: string[] },
  use: (database: DatabaseKind, environment: RunEnvironment) => Promise<void>,
): Promise<boolean> {
  let broken = false;
  for (const database of settings.databases) {
    try {
      if (database === 'pglite') {
        await withTempDir(`zjhk-bench-${name}-`, (dir) => use(database, { env: { DATA_DIR: dir }, backendPids: undefined }));
      } else {
        await withPostgresDatabase(
          settings.adminUrl,
          `zjhk_bench_${name}`,
          (pgDatabase) => withTempDir(`zjhk-bench-${name}-pg-`, (dir) => use(database, { env: { DATA_DIR: dir, DATABASE_URL: pgDatabase.url }, backendPids: pgDatabase.backendPids })),
          (reason) => {
            results.notes.push(`PostgreSQL skipped: ${reason}`);
            console.error(`PostgreSQL: skipped (${reason})`);
          },
        );
      }
    } catch (error) {
      broken = true;
      const message = error instanceof Error ? error.message : String(error);
      results.failures.push(`${database}: ${message}`);
      console.error(`${database}: FAILED: ${message}`);
    }
  }
  return broken;
}

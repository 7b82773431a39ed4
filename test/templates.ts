// Builds the run's template databases (see global-setup.ts): migrated and, unless empty, loaded with
// every module's reference data, as every start does.
import { writeFile } from 'node:fs/promises';
import path from 'node:path';
import { loadConfig } from '../src/config.ts';
import { modules } from '../src/modules/index.ts';
import { SYSTEM } from '../src/platform/audit/audit.ts';
import { systemClock } from '../src/platform/clock.ts';
import { type Db, migrate, openDatabase } from '../src/platform/db/index.ts';
import { installKeys } from '../src/platform/secrets.ts';
import { TEST_SECRET_KEY } from './keys.ts';
import { admin, databaseUrl } from './postgres.ts';

installKeys(Buffer.from(TEST_SECRET_KEY, 'hex'));

/** What every start does: each module's reference data (organisations, the agreement). */
async function seedAll(db: Db): Promise<void> {
  for (const module of modules) await module.seed?.({ db, config: loadConfig({}), actor: SYSTEM, now: systemClock, print: () => {} });
}

/** A migrated PGlite dumped into `folder`; returns the file. */
export async function pgliteTemplate(folder: string, seeded: boolean): Promise<string> {
  const db = await openDatabase({ dataDir: '', inMemory: true });
  try {
    await migrate(db);
    if (seeded) await seedAll(db);
    const dump = await (db.pglite?.dumpDataDir('none') as Promise<Blob>);
    const file = path.join(folder, `pglite-${seeded ? 'seeded' : 'empty'}.tar`);
    await writeFile(file, Buffer.from(await dump.arrayBuffer()));
    return file;
  } finally {
    await db.close();
  }
}

/** A migrated PostgreSQL database to clone with `CREATE DATABASE … TEMPLATE`; returns its name. */
export async function postgresTemplate(runId: string, seeded: boolean): Promise<string> {
  const name = `zjhk_tpl_${runId}_${seeded ? 'seeded' : 'empty'}`;
  await admin((c) => c.query(`create database ${name}`));
  const db = await openDatabase({ databaseUrl: databaseUrl(name), dataDir: '', onConnectionLost: () => {} });
  try {
    await migrate(db);
    if (seeded) await seedAll(db);
  } finally {
    await db.close();
  }
  return name;
}

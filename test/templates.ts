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

/** The two templates of a kind: migrated, and migrated and loaded. */
export interface TemplatePair {
  empty: string;
  seeded: string;
}

/** A migrated PGlite dumped into `folder`, then loaded and dumped again; returns the two files. */
export async function pgliteTemplates(folder: string): Promise<TemplatePair> {
  const db = await openDatabase({ dataDir: '', inMemory: true });
  const dump = async (which: keyof TemplatePair) => {
    const file = path.join(folder, `pglite-${which}.tar`);
    await writeFile(file, Buffer.from(await (await (db.pglite?.dumpDataDir('none') as Promise<Blob>)).arrayBuffer()));
    return file;
  };
  try {
    await migrate(db);
    const empty = await dump('empty');
    await seedAll(db);
    return { empty, seeded: await dump('seeded') };
  } finally {
    await db.close();
  }
}

/** A migrated PostgreSQL database, and a loaded copy of it, to clone with `CREATE DATABASE … TEMPLATE`; returns their names. */
export async function postgresTemplates(runId: string): Promise<TemplatePair> {
  const names = { empty: `zjhk_tpl_${runId}_empty`, seeded: `zjhk_tpl_${runId}_seeded` };
  const open = (name: string) => openDatabase({ databaseUrl: databaseUrl(name), dataDir: '', onConnectionLost: () => {} });
  await admin((c) => c.query(`create database ${names.empty}`));
  const empty = await open(names.empty);
  try {
    await migrate(empty);
  } finally {
    await empty.close();
  }
  await admin((c) => c.query(`create database ${names.seeded} template ${names.empty}`));
  const seeded = await open(names.seeded);
  try {
    await seedAll(seeded);
  } finally {
    await seeded.close();
  }
  return names;
}

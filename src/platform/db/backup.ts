import fs from 'node:fs';
import path from 'node:path';
import { PGlite } from '@electric-sql/pglite';
import type { Db } from './index.ts';
import { pgliteDir } from './index.ts';

/** Writes a consistent copy of the embedded database (a gzipped tarball of its data folder). */
export async function backupEmbedded(db: Db, file: string): Promise<number> {
  if (!db.pglite) throw new Error('zjhk backup copies the embedded database; for PostgreSQL use pg_dump');
  await db.pglite.query('checkpoint');
  const dump = await db.pglite.dumpDataDir('gzip');
  const bytes = Buffer.from(await dump.arrayBuffer());
  fs.mkdirSync(path.dirname(file), { recursive: true });
  const partial = `${file}.partial-${process.pid}`;
  fs.writeFileSync(partial, bytes);
  fs.renameSync(partial, file);
  return bytes.length;
}

/**
 * Replaces the embedded database with a backup. The backup is opened and checked first; the current
 * database is kept beside it (db.before-restore-<time>) rather than deleted. The caller holds the lock.
 */
export async function restoreEmbedded(dataDir: string, file: string): Promise<{ keptAs: string | undefined }> {
  const dump = new Blob([fs.readFileSync(file)]);
  const target = pgliteDir(dataDir);
  const staging = `${target}.restoring-${process.pid}`;
  fs.rmSync(staging, { recursive: true, force: true });
  const check = await PGlite.create({ dataDir: staging, loadDataDir: dump });
  try {
    await check.query('select 1');
  } finally {
    await check.close();
  }
  let keptAs: string | undefined;
  if (fs.existsSync(target)) {
    keptAs = `${target}.before-restore-${new Date().toISOString().replace(/[:.]/g, '-')}`;
    fs.renameSync(target, keptAs);
  }
  fs.renameSync(staging, target);
  return { keptAs };
}

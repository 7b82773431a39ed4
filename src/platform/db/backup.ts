import fs from 'node:fs';
import path from 'node:path';
import { pipeline } from 'node:stream/promises';
import zlib from 'node:zlib';
import { PGlite } from '@electric-sql/pglite';
import tar from 'tar-stream';
import { systemClock } from '../clock.ts';
import { diskPath, filesDir, isFileId } from '../files/files.ts';
import type { Db } from './index.ts';
import { pgliteDir } from './index.ts';

/** Names the parts of a backup: a manifest, the database's own dump, and the uploaded files. */
const MANIFEST = 'zjhk-backup.json';
const DATABASE = 'database.tar.gz';
const FILES = 'files/';

/**
 * Writes a consistent copy of the embedded database and of the uploaded files kept beside it, as one
 * gzipped tarball. The database is dumped first: a file is on disk before its row commits, so every
 * file a dumped row names is copied after it (a file whose row came later is copied harmlessly).
 */
export async function backupEmbedded(db: Db, dataDir: string, file: string): Promise<number> {
  if (!db.pglite) throw new Error('zjhk backup copies the embedded database; for PostgreSQL use pg_dump');
  await db.pglite.query('checkpoint');
  const dump = Buffer.from(await (await db.pglite.dumpDataDir('gzip')).arrayBuffer());
  const files = listFiles(dataDir);
  fs.mkdirSync(path.dirname(file), { recursive: true });
  const partial = `${file}.partial-${process.pid}`;
  const pack = tar.pack();
  const written = pipeline(pack, zlib.createGzip(), fs.createWriteStream(partial));
  const add = (name: string, data: Buffer) =>
    new Promise<void>((resolve, reject) => {
      pack.entry({ name, size: data.length, mode: 0o600 }, data, (error) => (error ? reject(error) : resolve()));
    });
  await add(MANIFEST, Buffer.from(JSON.stringify({ format: 1, createdAt: systemClock().toISOString(), files: files.length })));
  await add(DATABASE, dump);
  for (const id of files) await add(`${FILES}${id}`, fs.readFileSync(diskPath(dataDir, id)));
  pack.finalize();
  await written;
  fs.renameSync(partial, file);
  return fs.statSync(file).size;
}

function listFiles(dataDir: string): string[] {
  const root = filesDir(dataDir);
  if (!fs.existsSync(root)) return [];
  return fs
    .readdirSync(root, { recursive: true, withFileTypes: true })
    .filter((entry) => entry.isFile() && isFileId(entry.name))
    .map((entry) => entry.name)
    .sort();
}

/** The database dump and the files of a backup; a backup from before files were kept is a bare dump. */
async function readBackup(file: string): Promise<{ dump: Buffer; files: Map<string, Buffer> }> {
  const whole = fs.readFileSync(file);
  const parts = new Map<string, Buffer>();
  const extract = tar.extract();
  extract.on('entry', (header, stream, next) => {
    const chunks: Buffer[] = [];
    stream.on('data', (chunk: unknown) => chunks.push(chunk as Buffer));
    stream.on('end', () => {
      parts.set(header.name, Buffer.concat(chunks));
      next();
    });
    stream.resume();
  });
  await pipeline(fs.createReadStream(file), zlib.createGunzip(), extract);
  if (!parts.has(MANIFEST)) return { dump: whole, files: new Map() };
  const dump = parts.get(DATABASE);
  if (!dump) throw new Error(`${file} is a platform backup without its database`);
  const files = new Map([...parts].filter(([name]) => name.startsWith(FILES) && isFileId(name.slice(FILES.length))).map(([name, data]) => [name.slice(FILES.length), data]));
  return { dump, files };
}

/**
 * Replaces the embedded database and its files with a backup. The backup is opened and checked
 * first; the current database and files are kept beside them (…before-restore-<time>) rather than
 * deleted. The caller holds the lock.
 */
export async function restoreEmbedded(dataDir: string, file: string): Promise<{ keptAs: string | undefined }> {
  const backup = await readBackup(file);
  const target = pgliteDir(dataDir);
  const staging = `${target}.restoring-${process.pid}`;
  fs.rmSync(staging, { recursive: true, force: true });
  const check = await PGlite.create({ dataDir: staging, loadDataDir: new Blob([new Uint8Array(backup.dump)]) });
  try {
    await check.query('select 1');
  } finally {
    await check.close();
  }
  const stagingFiles = `${filesDir(dataDir)}.restoring-${process.pid}`;
  fs.rmSync(stagingFiles, { recursive: true, force: true });
  for (const [id, data] of backup.files) {
    const to = path.join(stagingFiles, path.relative(filesDir(dataDir), diskPath(dataDir, id)));
    fs.mkdirSync(path.dirname(to), { recursive: true });
    fs.writeFileSync(to, data);
  }
  const stamp = systemClock().toISOString().replace(/[:.]/g, '-');
  let keptAs: string | undefined;
  if (fs.existsSync(target)) {
    keptAs = `${target}.before-restore-${stamp}`;
    fs.renameSync(target, keptAs);
  }
  fs.renameSync(staging, target);
  if (fs.existsSync(filesDir(dataDir))) fs.renameSync(filesDir(dataDir), `${filesDir(dataDir)}.before-restore-${stamp}`);
  if (backup.files.size > 0) fs.renameSync(stagingFiles, filesDir(dataDir));
  return { keptAs };
}

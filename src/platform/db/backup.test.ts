import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import '../../../test/databases.ts';
import { createFileStore } from '../files/files.ts';
import { backupEmbedded, restoreEmbedded } from './backup.ts';
import { migrate, openDatabase } from './index.ts';

const PNG = Buffer.from('iVBORw0KGgoAAAANSUhEUgAAAAEAAAABCAQAAAC1HAwCAAAAC0lEQVR42mNkYAAAAAYAAjCB0C8AAAAASUVORK5CYII=', 'base64');

// Migrating seals the audit trail with the key the test helpers install, as `zjhk serve` does after installing its own.

describe('backing up and restoring the embedded database with its files', () => {
  const folders: string[] = [];
  const folder = () => {
    const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'zjhk-backup-'));
    folders.push(dir);
    return dir;
  };
  afterEach(() => {
    for (const dir of folders.splice(0)) fs.rmSync(dir, { recursive: true, force: true });
  });

  it('brings back the rows and the uploaded files they name, keeping what was there before', async () => {
    const dataDir = folder();
    const backupFile = path.join(folder(), 'backup.tar.gz');
    let db = await openDatabase({ dataDir });
    await migrate(db);
    const store = createFileStore({ kind: 'pglite', dataDir });
    const saved = await db.kysely.transaction().execute((trx) => store.save(trx, { name: 'chart.png', bytes: PNG, uploadedBy: null }));
    if (!saved.ok) throw new Error(saved.error);
    await backupEmbedded(db, dataDir, backupFile);
    await db.kysely.deleteFrom('files').execute();
    await db.close();
    fs.rmSync(path.join(dataDir, 'files'), { recursive: true });

    const { keptAs } = await restoreEmbedded(dataDir, backupFile);
    expect(keptAs && fs.existsSync(keptAs)).toBe(true);
    db = await openDatabase({ dataDir });
    try {
      const read = await store.read(db.kysely, saved.file.id);
      expect(read?.file.name).toBe('chart.png');
      expect(read?.bytes.equals(PNG)).toBe(true);
    } finally {
      await db.close();
    }
  }, 60_000);

  it('still restores a backup made before files were kept in it (a bare database dump)', async () => {
    const dataDir = folder();
    const old = path.join(folder(), 'old.tar.gz');
    let db = await openDatabase({ dataDir });
    await migrate(db);
    const dump = await db.pglite?.dumpDataDir('gzip');
    if (!dump) throw new Error('an embedded database dumps its folder');
    fs.writeFileSync(old, Buffer.from(await (dump as Blob).arrayBuffer()));
    await db.close();
    await restoreEmbedded(dataDir, old);
    db = await openDatabase({ dataDir });
    try {
      expect(await db.kysely.selectFrom('files').select('id').execute()).toEqual([]);
    } finally {
      await db.close();
    }
  }, 60_000);
});

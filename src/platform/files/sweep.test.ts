import { existsSync } from 'node:fs';
import fs from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { testApp } from '../../../test/app.ts';
import { DATABASES } from '../../../test/databases.ts';
import { platformRetention } from '../retention.ts';
import { REQUEST_TIMEOUT_MS, STALE_UPLOAD_FOLDER_MS, sweepUploadFolders, UPLOAD_FOLDER_PREFIX } from './uploads.ts';

const HOUR = 60 * 60_000;

/** A temporary upload folder as a request makes it, with a file in it, last written `ageMs` ago. */
async function uploadFolder(root: string, ageMs: number, fileAgeMs = ageMs): Promise<string> {
  const folder = await fs.mkdtemp(path.join(root, UPLOAD_FOLDER_PREFIX));
  const file = path.join(folder, 'a1b2c3d4e5f6a1b2c3d4e5f6');
  await fs.writeFile(file, 'the bytes of a file being received');
  const at = (ms: number) => new Date(Date.now() - ms);
  await fs.utimes(file, at(fileAgeMs), at(fileAgeMs));
  await fs.utimes(folder, at(ageMs), at(ageMs));
  return folder;
}

describe('sweeping the temporary folders a stopped process left', () => {
  const roots: string[] = [];
  afterAll(async () => {
    for (const root of roots) await fs.rm(root, { recursive: true, force: true });
  });

  it('removes the upload folders nothing has written to for an hour, and nothing else', async () => {
    const root = await fs.mkdtemp(path.join(os.tmpdir(), 'sweep-test-'));
    roots.push(root);
    const stale = await uploadFolder(root, 2 * HOUR);
    const recent = await uploadFolder(root, 5 * 60_000);
    // Made long ago, but a file in it is still being written: a slow upload in progress.
    const receiving = await uploadFolder(root, 2 * HOUR, 10_000);
    // Not ours by name, however old.
    const other = path.join(root, 'zjhk-uploads-keep');
    await fs.mkdir(other);
    await fs.utimes(other, new Date(Date.now() - 3 * HOUR), new Date(Date.now() - 3 * HOUR));
    // A link named like ours is never followed: the folder it points to stays.
    const elsewhere = await uploadFolder(await fs.mkdtemp(path.join(os.tmpdir(), 'sweep-target-')), 3 * HOUR);
    roots.push(path.dirname(elsewhere));
    await fs.symlink(elsewhere, path.join(root, `${UPLOAD_FOLDER_PREFIX}link01`));

    expect(await sweepUploadFolders({ tmpDir: root })).toBe(1);
    expect(existsSync(stale)).toBe(false);
    expect([recent, receiving, other, elsewhere].map(existsSync)).toEqual([true, true, true, true]);
    expect(existsSync(path.join(elsewhere, 'a1b2c3d4e5f6a1b2c3d4e5f6'))).toBe(true);
    // Later, the rest of ours have gone stale too.
    expect(await sweepUploadFolders({ tmpDir: root, now: new Date(Date.now() + 2 * HOUR) })).toBe(2);
    expect([recent, receiving, other].map(existsSync)).toEqual([false, false, true]);
  });

  it('gives no request longer to arrive than a stale folder’s age, so a folder that old is no running request’s', () => {
    expect(REQUEST_TIMEOUT_MS).toBeGreaterThan(0);
    expect(REQUEST_TIMEOUT_MS * 3).toBeLessThanOrEqual(STALE_UPLOAD_FOLDER_MS);
  });
});

describe.each(DATABASES)('the app sweeps stale upload folders at start-up and in the daily uploads purge on %s', (kind) => {
  it('removes a stale folder in the system temporary folder when it starts and when the purge runs, keeps a fresh one, and cuts requests that take longer than the sweep allows', async () => {
    const atStart = await uploadFolder(os.tmpdir(), 2 * HOUR);
    const fresh = await uploadFolder(os.tmpdir(), 0);
    const t = await testApp(kind);
    try {
      expect(existsSync(atStart)).toBe(false);
      expect(existsSync(fresh)).toBe(true);
      // The server itself cuts a request that is still arriving after REQUEST_TIMEOUT_MS.
      expect(t.app.server.requestTimeout).toBe(REQUEST_TIMEOUT_MS);

      const later = await uploadFolder(os.tmpdir(), 2 * HOUR);
      const entry = platformRetention.find((e) => e.table === 'upload_slots');
      await entry?.purge?.(t.database.db.kysely, { now: new Date(), config: t.ctx.config });
      expect(existsSync(later)).toBe(false);
      expect(existsSync(fresh)).toBe(true);
    } finally {
      await t.close();
      await fs.rm(fresh, { recursive: true, force: true });
    }
  });
});

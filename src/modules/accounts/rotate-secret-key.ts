import { existsSync, readFileSync, renameSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import type { Kysely } from 'kysely';
import { rekeyAuditTrail, verifyAuditTrail } from '../../platform/audit/audit.ts';
import { sealTotpSecret, unsealTotpSecret } from '../../platform/auth/totp.ts';
import type { Database } from '../../platform/db/schema.ts';
import { deriveKeys, installKeys, type Keys, parseSecretKey, SECRET_KEY_FILE } from '../../platform/secrets.ts';

export const PREVIOUS_KEY_FILE = `${SECRET_KEY_FILE}.previous`;

export interface RotationResult {
  /** Two-step secrets sealed again under the new key. */
  resealed: number;
  /** Secrets already under the new key (a rotation run again after it committed but before the key was saved). */
  alreadyNew: number;
}

/**
 * Moves everything sealed or keyed with the old master key to the new one, in one transaction: every
 * two-step secret is opened with the old key and sealed with the new, and the audit trail is verified
 * under the old key and sealed again under the new (recorded as a checkpoint). Either all of it moves
 * or none. Run again with the same new key after a crash, it finishes what is left.
 */
export async function rotateSecretKey(options: { db: Kysely<Database>; from: Keys; to: Keys }): Promise<RotationResult> {
  const { from, to } = options;
  return await options.db.transaction().execute(async (trx) => {
    const rows = await trx.selectFrom('users').select(['id', 'totp_secret']).where('totp_secret', 'is not', null).orderBy('id').forUpdate().execute();
    let resealed = 0;
    let alreadyNew = 0;
    for (const row of rows) {
      const stored = row.totp_secret as string;
      let secret: string;
      try {
        secret = unsealTotpSecret(row.id, stored, from.totp);
      } catch {
        // Already moved by an earlier run that committed; anything else is not ours to guess at.
        try {
          unsealTotpSecret(row.id, stored, to.totp);
        } catch {
          throw new Error(`the two-step secret of account ${row.id} opens under neither the current key nor the new one; nothing was changed`);
        }
        alreadyNew += 1;
        continue;
      }
      await trx
        .updateTable('users')
        .set({ totp_secret: sealTotpSecret(row.id, secret, to.totp) })
        .where('id', '=', row.id)
        .execute();
      resealed += 1;
    }
    // The trail's re-sealing is recorded as its checkpoint: that is the record of the rotation.
    try {
      await rekeyAuditTrail(trx, from, to);
    } catch (error) {
      // An earlier run re-keyed the trail and committed: it verifies under the new key already.
      if ((await verifyAuditTrail(trx, { key: to.audit })).broken) throw error;
    }
    return { resealed, alreadyNew };
  });
}

/** Reads a new master key from a file (never from the command line, where any process list shows it). */
export function readNewKey(file: string): Buffer {
  let text: string;
  try {
    text = readFileSync(file, 'utf8');
  } catch (error) {
    throw new Error(`cannot read ${file}: ${(error as NodeJS.ErrnoException).code ?? (error as Error).message}`);
  }
  try {
    return parseSecretKey(text);
  } catch (error) {
    throw new Error(`${file}: the key ${(error as Error).message}`);
  }
}

/** Whether the data folder's key file holds the key the process runs with (not SECRET_KEY from the environment). */
export function keyFileInUse(dataDir: string, current: Keys): boolean {
  const file = path.join(dataDir, SECRET_KEY_FILE);
  if (!existsSync(file)) return false;
  try {
    return deriveKeys(parseSecretKey(readFileSync(file, 'utf8'))).totp.equals(current.totp);
  } catch {
    return false;
  }
}

/**
 * After the rotation committed, on the embedded database: the old key file is kept as
 * `secret-key.previous` (until the operator removes it) and the new key written in its place, then
 * the process switches to it.
 */
export function saveNewKey(dataDir: string, master: Buffer): void {
  const file = path.join(dataDir, SECRET_KEY_FILE);
  const written = `${file}.new`;
  writeFileSync(written, `${master.toString('hex')}\n`, { mode: 0o600 });
  renameSync(file, path.join(dataDir, PREVIOUS_KEY_FILE));
  renameSync(written, file);
  installKeys(master);
}

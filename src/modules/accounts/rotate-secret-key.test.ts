import { randomUUID } from 'node:crypto';
import { existsSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import type { Kysely } from 'kysely';
import * as OTPAuth from 'otpauth';
import { afterEach, describe, expect, it } from 'vitest';
import { enrolledTwoFactor, TEST_TOTP_SECRET } from '../../../test/app.ts';
import { DATABASES, freshDatabaseEach, TEST_SECRET_KEY } from '../../../test/databases.ts';
import { loadConfig } from '../../config.ts';
import { audit, SYSTEM, verifyAuditTrail } from '../../platform/audit/audit.ts';
import { systemClock } from '../../platform/clock.ts';
import { createSession, secretId } from '../../platform/auth/sessions.ts';
import { hashRecoveryCode, legacyRecoveryHash, unsealTotpSecret } from '../../platform/auth/totp.ts';
import { saltLegacyRecoveryCodes, sealPlaintextTotpSecrets } from '../../platform/db/migrations/2026-12-07-0017-sign-in-hardening.ts';
import { deriveKeys, installKeys, keys, newSecretKey } from '../../platform/secrets.ts';
import { accountsModule } from './module.ts';
import { insertRole, insertUser } from './queries.ts';
import { passSecondFactor } from './two-factor.ts';

const code = (secret: string) => new OTPAuth.TOTP({ secret: OTPAuth.Secret.fromBase32(secret), digits: 6, period: 30, algorithm: 'SHA1' }).generate();

describe.each(DATABASES)('two-step secrets at rest, on %s', (kind) => {
  const database = freshDatabaseEach(kind);
  afterEach(() => {
    // A rotation switches the process to the new key: every other test runs with the test key.
    installKeys(Buffer.from(TEST_SECRET_KEY, 'hex'));
  });

  const officer = async (columns: { totp_enabled_at: Date; totp_secret: string } | ((id: string) => { totp_enabled_at: Date; totp_secret: string })) => {
    const db = database.db.kysely;
    const id = randomUUID();
    await insertUser(db, { id, email: `officer.${id.slice(0, 8)}@cmab.example`, displayName: 'Officer Lee', locale: 'en', passwordHash: null, emailVerifiedAt: new Date() });
    await insertRole(db, { userId: id, role: 'agency-officer', organisationId: 'hk-cmab', grantedBy: null });
    await db
      .updateTable('users')
      .set(typeof columns === 'function' ? columns(id) : columns)
      .where('id', '=', id)
      .execute();
    return id;
  };
  const secondStep = async (userId: string, answer: { code?: string; recoveryCode?: string }) => {
    const db = database.db.kysely;
    const sessionId = secretId(await createSession(db, { userId, settings: { idleMinutes: 30, maxHours: 12 }, secondFactor: false }));
    return (await passSecondFactor({ db, userId, label: '', sessionId, request: {}, now: systemClock(), ...answer })).outcome;
  };

  it('seals the secrets and salts the recovery codes stored before, which keep working', async () => {
    const db = database.db.kysely;
    const id = await officer({ totp_enabled_at: new Date(), totp_secret: TEST_TOTP_SECRET });
    await db
      .insertInto('recovery_codes')
      .values({ user_id: id, code_hash: legacyRecoveryHash('abcde-fghjk') })
      .execute();
    expect(await sealPlaintextTotpSecrets(db as Kysely<unknown>)).toBe(1);
    expect(await saltLegacyRecoveryCodes(db as Kysely<unknown>)).toBe(1);
    // Run again, nothing is left to do.
    expect(await sealPlaintextTotpSecrets(db as Kysely<unknown>)).toBe(0);
    expect(await saltLegacyRecoveryCodes(db as Kysely<unknown>)).toBe(0);
    const row = await db.selectFrom('users').select('totp_secret').where('id', '=', id).executeTakeFirstOrThrow();
    expect(row.totp_secret).toMatch(/^v1:/);
    expect(row.totp_secret).not.toContain(TEST_TOTP_SECRET);
    const stored = await db.selectFrom('recovery_codes').select('code_hash').where('user_id', '=', id).executeTakeFirstOrThrow();
    expect(stored.code_hash).toMatch(/^scrypt-sha256\$/);
    expect(await secondStep(id, { code: code(TEST_TOTP_SECRET) })).toBe('ok');
    expect(await secondStep(id, { recoveryCode: 'ABCDE FGHJK' })).toBe('ok');
    expect(await secondStep(id, { recoveryCode: 'abcde-fghjk' })).toBe('invalid');
  });

  it('stores the same recovery code of two people as two different hashes', async () => {
    const db = database.db.kysely;
    const [a, b] = [await officer(enrolledTwoFactor), await officer(enrolledTwoFactor)];
    for (const id of [a, b])
      await db
        .insertInto('recovery_codes')
        .values({ user_id: id, code_hash: await hashRecoveryCode('mnpqr-stuvw') })
        .execute();
    const hashes = await db.selectFrom('recovery_codes').select('code_hash').where('user_id', 'in', [a, b]).execute();
    expect(new Set(hashes.map((h) => h.code_hash)).size).toBe(2);
    expect(await secondStep(a, { recoveryCode: 'mnpqr-stuvw' })).toBe('ok');
    expect(await secondStep(b, { recoveryCode: 'mnpqr-stuvw' })).toBe('ok');
  });

  it('rotates the key: every secret and the audit trail move to the new key in one go, and a second run finishes nothing twice', async () => {
    const db = database.db.kysely;
    const ids = [await officer(enrolledTwoFactor), await officer(enrolledTwoFactor)];
    await db.transaction().execute((trx) => audit(trx, { actor: SYSTEM, action: 'test.before_rotation', entity: { type: 'test', id: '1' }, changes: {} }));
    const dataDir = mkdtempSync(path.join(tmpdir(), 'zjhk-rotate-'));
    try {
      const newKey = newSecretKey();
      const keyFile = path.join(dataDir, 'new-key');
      writeFileSync(keyFile, `${newKey}\n`);
      // On the embedded database the key lives in the data folder; on PostgreSQL in SECRET_KEY.
      if (kind === 'pglite') writeFileSync(path.join(dataDir, 'secret-key'), `${TEST_SECRET_KEY}\n`);
      const command = accountsModule.commands?.find((c) => c.name === 'secret-key');
      if (!command) throw new Error('no secret-key command');
      const printed: string[] = [];
      const ctx = { config: loadConfig({ DATA_DIR: dataDir }), db: database.db, actor: SYSTEM, now: systemClock, print: (line: string) => printed.push(line) };
      const old = keys();
      await command.run(ctx, ['rotate', '--new-key-file', keyFile]);
      const fresh = deriveKeys(Buffer.from(newKey, 'hex'));
      expect(keys().totp.equals(fresh.totp)).toBe(true);
      for (const id of ids) {
        const row = await db.selectFrom('users').select('totp_secret').where('id', '=', id).executeTakeFirstOrThrow();
        expect(unsealTotpSecret(id, row.totp_secret as string, fresh.totp)).toBe(TEST_TOTP_SECRET);
        expect(() => unsealTotpSecret(id, row.totp_secret as string, old.totp)).toThrow();
      }
      expect((await verifyAuditTrail(db, { key: fresh.audit })).broken).toBeUndefined();
      expect((await verifyAuditTrail(db, { key: old.audit })).broken).toBeDefined();
      expect(await secondStep(ids[0] as string, { code: code(TEST_TOTP_SECRET) })).toBe('ok');
      expect(printed[0]).toBe('Sealed 2 two-step secrets and the audit trail under the new key.');
      if (kind === 'pglite') {
        expect(readFileSync(path.join(dataDir, 'secret-key'), 'utf8').trim()).toBe(newKey);
        expect(readFileSync(path.join(dataDir, 'secret-key.previous'), 'utf8').trim()).toBe(TEST_SECRET_KEY);
      } else {
        expect(existsSync(path.join(dataDir, 'secret-key'))).toBe(false);
        expect(printed.join('\n')).toContain('set SECRET_KEY to the new key on every node');
      }

      // Run again as if the first run had committed but not saved the key: it finds the work done.
      installKeys(Buffer.from(TEST_SECRET_KEY, 'hex'));
      if (kind === 'pglite') rmSync(path.join(dataDir, 'secret-key.previous'));
      if (kind === 'pglite') writeFileSync(path.join(dataDir, 'secret-key'), `${TEST_SECRET_KEY}\n`);
      printed.length = 0;
      await command.run(ctx, ['rotate', '--new-key-file', keyFile]);
      expect(printed[0]).toBe('Sealed 0 two-step secrets and the audit trail under the new key (2 already were).');
      expect((await verifyAuditTrail(db, { key: fresh.audit })).broken).toBeUndefined();

      // The key is never taken from the command line, and a bad file is refused with its reason.
      writeFileSync(keyFile, 'not a key');
      await expect(command.run(ctx, ['rotate', '--new-key-file', keyFile])).rejects.toThrow(/64 hexadecimal characters/);
      await expect(command.run(ctx, ['rotate', newKey])).rejects.toThrow(/usage: zjhk secret-key rotate --new-key-file <file>/);
    } finally {
      rmSync(dataDir, { recursive: true, force: true });
    }
  });
});

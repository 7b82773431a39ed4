import { type Kysely, sql } from 'kysely';
import { saltLegacyRecoveryHash, sealTotpSecret } from '../../auth/totp.ts';
import { isSealed } from '../../secrets.ts';

/**
 * Sign-in that cannot be turned against its users, and two-step secrets stored safely:
 * - failed sign-ins counted per address, IP, device and second step, shared by every app node;
 * - every two-step secret stored in the clear is sealed with the platform's key (AES-256-GCM);
 * - every recovery code stored as an unsalted SHA-256 is salted in place (scrypt of that hash with a
 *   salt of its own), so the codes people hold keep working and no unsalted hash is left.
 * Needs the secret key installed (every start and command does so before migrating).
 */
export async function up(db: Kysely<unknown>): Promise<void> {
  await sql`
    create table sign_in_throttles (
      key text primary key,
      failures integer not null,
      last_failed_at timestamptz not null,
      blocked_until timestamptz
    )`.execute(db);
  await sql`create index sign_in_throttles_last_failed on sign_in_throttles (last_failed_at)`.execute(db);
  // Password resets are counted per address, with or without an account behind it.
  await sql`create index user_tokens_email on user_tokens (lower(email), purpose, created_at)`.execute(db);

  await sealPlaintextTotpSecrets(db);
  await saltLegacyRecoveryCodes(db);
}

/** Seals every two-step secret still stored in the clear; returns how many. */
export async function sealPlaintextTotpSecrets(db: Kysely<unknown>): Promise<number> {
  const secrets = await sql<{ id: string; totp_secret: string }>`select id, totp_secret from users where totp_secret is not null`.execute(db);
  let sealed = 0;
  for (const row of secrets.rows) {
    if (isSealed(row.totp_secret)) continue;
    await sql`update users set totp_secret = ${sealTotpSecret(row.id, row.totp_secret)} where id = ${row.id}`.execute(db);
    sealed += 1;
  }
  return sealed;
}

/** Salts every recovery code still stored as a bare SHA-256 (the codes keep working); returns how many. */
export async function saltLegacyRecoveryCodes(db: Kysely<unknown>): Promise<number> {
  const codes = await sql<{ user_id: string; code_hash: string }>`select user_id, code_hash from recovery_codes`.execute(db);
  let salted = 0;
  for (const row of codes.rows) {
    if (!/^[0-9a-f]{64}$/.test(row.code_hash)) continue;
    await sql`update recovery_codes set code_hash = ${await saltLegacyRecoveryHash(row.code_hash)} where user_id = ${row.user_id} and code_hash = ${row.code_hash}`.execute(db);
    salted += 1;
  }
  return salted;
}

export async function down(db: Kysely<unknown>): Promise<void> {
  // Sealed secrets and salted codes stay as they are: going back must not put secrets in the clear.
  await sql`drop index user_tokens_email`.execute(db);
  await sql`drop table sign_in_throttles`.execute(db);
}

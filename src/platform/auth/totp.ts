import { createHash, randomBytes, randomInt, scrypt, timingSafeEqual } from 'node:crypto';
import { promisify } from 'node:util';
import { Secret, TOTP } from 'otpauth';
import QRCode from 'qrcode';
import { systemClock } from '../clock.ts';
import { keys, seal, unseal } from '../secrets.ts';

/**
 * Time-based one-time passwords (RFC 6238) for two-factor sign-in, and the recovery codes that
 * stand in for the authenticator when it is lost.
 *
 * The settings are the ones every authenticator app supports: HMAC-SHA1, 6 digits, 30-second steps.
 * Changing them would invalidate every enrolled authenticator, so they are fixed here.
 */
const ALGORITHM = 'SHA1';
const DIGITS = 6;
const PERIOD_SECONDS = 30;
/** Steps accepted either side of the current one, for clock drift and slow typing. */
const WINDOW = 1;
/** 160 bits, the key length RFC 4226 recommends for HMAC-SHA1. */
const SECRET_BYTES = 20;

/**
 * The stored form of a person's shared secret: sealed with the two-step key (AES-256-GCM), bound to
 * the account (a sealed secret copied onto another account does not open). The database never holds
 * a secret that would let whoever reads it compute the codes.
 */
export function sealTotpSecret(userId: string, secret: string, key: Buffer = keys().totp): string {
  return seal(key, secret, `totp:${userId}`);
}

/** The shared secret from its stored form; throws if it was altered, moved or sealed under another key. */
export function unsealTotpSecret(userId: string, stored: string, key: Buffer = keys().totp): string {
  return unseal(key, stored, `totp:${userId}`);
}

/**
 * The shared secret, or undefined when it cannot be opened (a backup restored under another key, a
 * value altered in the database): the person is then treated as having no working app code (a
 * recovery code still lets them in, and enrolment starts afresh) instead of meeting a server error.
 */
export function openTotpSecret(userId: string, stored: string): string | undefined {
  try {
    return unsealTotpSecret(userId, stored);
  } catch {
    return undefined;
  }
}

/** A fresh shared secret, base32-encoded as authenticator apps and otpauth:// URIs expect. */
export function newTotpSecret(): string {
  return new Secret({ size: SECRET_BYTES }).base32;
}

/** The otpauth:// URI that an authenticator app reads from the QR code (or that a person types in). */
export function totpUri({ secret, account, issuer }: { secret: string; account: string; issuer: string }): string {
  return totp(secret, { account, issuer }).toString();
}

function totp(secret: string, names: { account?: string; issuer?: string } = {}): TOTP {
  return new TOTP({
    issuer: names.issuer ?? '',
    label: names.account ?? '',
    algorithm: ALGORITHM,
    digits: DIGITS,
    period: PERIOD_SECONDS,
    secret: Secret.fromBase32(secret),
  });
}

/**
 * The QR code of an otpauth:// URI as an inline SVG element, labelled for assistive technology.
 * The markup carries no style attributes or elements, so it may be embedded under a CSP without
 * 'unsafe-inline' styles; size it with CSS (the width and height attributes are only a default).
 */
export async function totpQrSvg(uri: string, { label, size = 200 }: { label: string; size?: number }): Promise<string> {
  const svg = await QRCode.toString(uri, { type: 'svg', margin: 1, width: size, errorCorrectionLevel: 'M' });
  return withoutStyles(svg.trim()).replace(/^<svg\b/, `<svg role="img" aria-label="${escapeAttribute(label)}"`);
}

/** Removes style attributes and style elements (qrcode 1.5 emits neither; this keeps it so). */
function withoutStyles(svg: string): string {
  return svg.replace(/<style\b[^>]*>[\s\S]*?<\/style>/gi, '').replace(/\sstyle\s*=\s*("[^"]*"|'[^']*')/gi, '');
}

function escapeAttribute(value: string): string {
  return value.replace(/&/g, '&amp;').replace(/"/g, '&quot;').replace(/</g, '&lt;').replace(/>/g, '&gt;');
}

export type TotpResult = { ok: true; step: number } | { ok: false };

/**
 * Checks a code typed by the person against the secret. Accepts the current 30-second step and one
 * step either side. A code whose step is not after `lastUsedStep` is refused, so that a code seen
 * over someone's shoulder or in a log cannot be used again: on success, store the returned step as
 * the new `lastUsedStep` (in the same transaction that signs the person in).
 */
export function verifyTotp({
  secret,
  code,
  lastUsedStep,
  // The real clock, never the platform's (CLOCK_START): the person's authenticator app keeps real time.
  now = systemClock().getTime(),
}: {
  secret: string;
  code: string;
  lastUsedStep?: number | null | undefined;
  /** The time to check against, in milliseconds since the epoch (for tests). */
  now?: number;
}): TotpResult {
  const token = normaliseTotpCode(code);
  if (token === undefined) return { ok: false };
  const delta = totp(secret).validate({ token, timestamp: now, window: WINDOW });
  if (delta === null) return { ok: false };
  const step = TOTP.counter({ period: PERIOD_SECONDS, timestamp: now }) + delta;
  if (lastUsedStep !== undefined && lastUsedStep !== null && step <= lastUsedStep) return { ok: false };
  return { ok: true, step };
}

/** The six digits of a typed code, or undefined. Full-width digits (from a CJK input method) count. */
function normaliseTotpCode(input: string): string | undefined {
  const digits = input.normalize('NFKC').replace(/\s+/g, '');
  return /^\d{6}$/.test(digits) ? digits : undefined;
}

/** Lower-case letters and digits that cannot be mistaken for each other: no 0/o, 1/l/i. */
const RECOVERY_ALPHABET = 'abcdefghjkmnpqrstuvwxyz23456789';
const RECOVERY_GROUP = 5;

/**
 * Single-use codes that sign a person in when their authenticator is lost, shown once as
 * 'xxxxx-xxxxx'. Each has 10 characters from a 31-character alphabet, about 49.5 bits of entropy.
 */
export function newRecoveryCodes(n = 10): string[] {
  const codes = new Set<string>();
  while (codes.size < n) codes.add(`${randomGroup()}-${randomGroup()}`);
  return [...codes];
}

function randomGroup(): string {
  let group = '';
  for (let i = 0; i < RECOVERY_GROUP; i += 1) group += RECOVERY_ALPHABET[randomInt(RECOVERY_ALPHABET.length)];
  return group;
}

/**
 * A recovery code as stored and compared: full-width characters folded (NFKC), lower case,
 * spaces and dashes removed. 'ABCDE-FGHJK', 'abcde fghjk' and 'abcdefghjk' are the same code.
 */
export function normaliseRecoveryCode(input: string): string {
  return input
    .normalize('NFKC')
    .toLowerCase()
    .replace(/[\s\-‐‑‒–—―]+/g, '');
}

const scryptAsync = promisify(scrypt) as (password: string, salt: Buffer, keylen: number, options: { N: number; r: number; p: number }) => Promise<Buffer>;
/**
 * scrypt at N = 2^12 (4 MB, ~10 ms here): the codes are random with ~50 bits each, so this makes
 * guessing one from a stolen table cost about 2^49 × 10 ms, while checking a typed code against a
 * person's ten stays under a tenth of a second.
 */
const SCRYPT = { N: 4096, r: 8, p: 1 };
const SALT_BYTES = 16;
const HASH_BYTES = 32;

/** SHA-256 (hex) of the normalised code: how codes were stored before they were salted. */
function legacyRecoveryHash(code: string): string {
  return createHash('sha256').update(normaliseRecoveryCode(code)).digest('hex');
}

async function scryptHash(kind: 'scrypt' | 'scrypt-sha256', input: string, salt: Buffer): Promise<string> {
  const hash = await scryptAsync(input, salt, HASH_BYTES, SCRYPT);
  return `${kind}$${salt.toString('base64url')}$${hash.toString('base64url')}`;
}

/**
 * The stored form of a recovery code: scrypt of the normalised code with a random salt of its own,
 * as `scrypt$<salt>$<hash>`. Two people with the same code get different hashes, and a stolen
 * table cannot be looked up in a precomputed one. A code is checked with verifyRecoveryCode.
 */
export async function hashRecoveryCode(code: string): Promise<string> {
  return await scryptHash('scrypt', normaliseRecoveryCode(code), randomBytes(SALT_BYTES));
}

/**
 * Codes stored before salting (unsalted SHA-256) are salted in place by the migration that
 * introduced salting: `scrypt-sha256$<salt>$<hash>` is scrypt of that old SHA-256 with a new salt, so
 * the codes people already hold keep working and no unsalted hash stays in the database.
 */
export async function saltLegacyRecoveryHash(sha256Hex: string): Promise<string> {
  return await scryptHash('scrypt-sha256', sha256Hex, randomBytes(SALT_BYTES));
}

/** Whether a typed recovery code is the one a stored hash (either form) was made from. */
export async function verifyRecoveryCode(code: string, stored: string): Promise<boolean> {
  const [kind, salt, hash] = stored.split('$');
  if (!salt || !hash || (kind !== 'scrypt' && kind !== 'scrypt-sha256')) return false;
  const input = kind === 'scrypt' ? normaliseRecoveryCode(code) : legacyRecoveryHash(code);
  const expected = Buffer.from(hash, 'base64url');
  const actual = await scryptAsync(input, Buffer.from(salt, 'base64url'), HASH_BYTES, SCRYPT);
  return expected.length === actual.length && timingSafeEqual(expected, actual);
}

/** The legacy (unsalted) form, for the migration and its test only. */
export { legacyRecoveryHash };

import { createHash, randomInt } from 'node:crypto';
import { Secret, TOTP } from 'otpauth';
import QRCode from 'qrcode';

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
  now = Date.now(),
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
  return input.normalize('NFKC').toLowerCase().replace(/[\s\-‐‑‒–—―]+/g, '');
}

/**
 * The stored form of a recovery code: SHA-256 (hex) of the normalised code. A fast, unsalted hash is
 * enough here, unlike for passwords: the codes are random with ~50 bits each rather than chosen by
 * people, guessing online is rate-limited, and a code only replaces the second factor, never the
 * password. Look a code up by this hash and delete (or mark) it when used.
 */
export function hashRecoveryCode(code: string): string {
  return createHash('sha256').update(normaliseRecoveryCode(code)).digest('hex');
}

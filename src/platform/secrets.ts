/**
 * The platform's secret key and what is derived from it. One master key (SECRET_KEY, 32 bytes) is
 * given by the environment; on the embedded database, when unset, it is generated once into the data
 * folder (`secret-key`, readable by its owner only). Each use gets its own subkey (HKDF-SHA256), so
 * that no two uses ever share a key: two-step verification secrets are sealed with one, the audit
 * trail's chain is keyed with another, signed device cookies with a third.
 */
import { createCipheriv, createDecipheriv, hkdfSync, randomBytes, timingSafeEqual, createHmac } from 'node:crypto';
import { mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import path from 'node:path';

export const SECRET_KEY_FILE = 'secret-key';

export interface Keys {
  /** Seals two-step verification secrets (AES-256-GCM). */
  totp: Buffer;
  /** Keys the audit trail's hash chain and its checkpoints (HMAC-SHA256). */
  audit: Buffer;
  /** Signs device cookies and other short tokens the platform hands out (HMAC-SHA256). */
  device: Buffer;
}

/** Reads SECRET_KEY: 64 hexadecimal characters or 32 bytes in base64. Throws a message naming the format. */
export function parseSecretKey(raw: string): Buffer {
  const text = raw.trim();
  if (/^[0-9a-fA-F]{64}$/.test(text)) return Buffer.from(text, 'hex');
  if (/^[A-Za-z0-9+/]{43}=?$/.test(text)) {
    const key = Buffer.from(text, 'base64');
    if (key.length === 32) return key;
  }
  throw new Error('must be 32 random bytes written as 64 hexadecimal characters (openssl rand -hex 32)');
}

/** A new random master key, as SECRET_KEY takes it. */
export function newSecretKey(): string {
  return randomBytes(32).toString('hex');
}

/**
 * The key kept in the data folder for the embedded database: read if there, made (0600) if not.
 * Only `zjhk serve` and the commands call this; a PostgreSQL installation must set SECRET_KEY.
 */
export function dataFolderSecretKey(dataDir: string): Buffer {
  const file = path.join(dataDir, SECRET_KEY_FILE);
  try {
    return parseSecretKey(readFileSync(file, 'utf8'));
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code !== 'ENOENT') throw new Error(`${file} ${(error as Error).message}`);
  }
  mkdirSync(dataDir, { recursive: true });
  const key = newSecretKey();
  // 'wx': never overwrite a key another process wrote in the meantime.
  try {
    writeFileSync(file, `${key}\n`, { mode: 0o600, flag: 'wx' });
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code !== 'EEXIST') throw error;
    return parseSecretKey(readFileSync(file, 'utf8'));
  }
  return Buffer.from(key, 'hex');
}

/** The subkeys of a master key. */
export function deriveKeys(master: Buffer): Keys {
  const derive = (use: string) => Buffer.from(hkdfSync('sha256', master, Buffer.alloc(0), `zjhk/${use}/v1`, 32));
  return { totp: derive('totp'), audit: derive('audit'), device: derive('device') };
}

let installed: Keys | undefined;

/** Makes a master key the process's (at start-up, and in tests). */
export function installKeys(master: Buffer): Keys {
  installed = deriveKeys(master);
  return installed;
}

/** The process's keys; throws if none was installed (a start-up that forgot is a bug, not a fallback). */
export function keys(): Keys {
  if (!installed) throw new Error('No secret key installed: call installKeys() at start-up');
  return installed;
}

const SEALED = /^v1:([A-Za-z0-9_-]+)$/;

/** Encrypts a short secret with AES-256-GCM: `v1:` and base64url of iv (12) | tag (16) | ciphertext. */
export function seal(key: Buffer, plaintext: string, context = ''): string {
  const iv = randomBytes(12);
  const cipher = createCipheriv('aes-256-gcm', key, iv);
  cipher.setAAD(Buffer.from(context));
  const body = Buffer.concat([cipher.update(plaintext, 'utf8'), cipher.final()]);
  return `v1:${Buffer.concat([iv, cipher.getAuthTag(), body]).toString('base64url')}`;
}

/** Decrypts what seal made with the same key and context; throws if it was altered or the key differs. */
export function unseal(key: Buffer, sealed: string, context = ''): string {
  const match = SEALED.exec(sealed);
  if (!match) throw new Error('not a sealed value');
  const raw = Buffer.from(match[1] as string, 'base64url');
  const decipher = createDecipheriv('aes-256-gcm', key, raw.subarray(0, 12));
  decipher.setAAD(Buffer.from(context));
  decipher.setAuthTag(raw.subarray(12, 28));
  return Buffer.concat([decipher.update(raw.subarray(28)), decipher.final()]).toString('utf8');
}

export function isSealed(value: string): boolean {
  return SEALED.test(value);
}

/** HMAC-SHA256 of a text, hexadecimal. */
export function mac(key: Buffer, text: string): string {
  return createHmac('sha256', key).update(text).digest('hex');
}

/** Compares two MACs (or any two hex strings) in constant time. */
export function sameMac(a: string, b: string): boolean {
  const x = Buffer.from(a);
  const y = Buffer.from(b);
  return x.length === y.length && timingSafeEqual(x, y);
}

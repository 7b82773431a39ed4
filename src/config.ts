import path from 'node:path';
import { ConfigError } from './platform/config-error.ts';
import { type OidcConfig, parseOidcEnv } from './platform/auth/oidc.ts';
import { parseSmtpUrl, type SmtpServer, SmtpUrlError } from './platform/mail/transport.ts';
import { dataFolderSecretKey, parseSecretKey } from './platform/secrets.ts';

type LogLevel = 'fatal' | 'error' | 'warn' | 'info' | 'debug' | 'trace' | 'silent';

export interface Config {
  port: number;
  host: string;
  /** Folder for the embedded database, backups and (later) uploads. */
  dataDir: string;
  /** A PostgreSQL server; when unset the embedded PGlite database in dataDir is used. */
  databaseUrl: string | undefined;
  logLevel: LogLevel;
  /** Time zone in which "today" is reckoned for lifecycles and deadlines. */
  timeZone: string;
  trustProxy: boolean;
  /** The address people reach the platform at, for links in emails. */
  publicUrl: string;
  session: { idleMinutes: number; maxHours: number };
  /** Where mail is delivered (from SMTP_URL, smtp://user:pass@host:587); unset: mail waits in the outbox. */
  smtp: SmtpServer | undefined;
  mailFrom: string;
  /** Days a sent (or finally failed) message's recipient, subject, body and attachments are kept (MAIL_RETENTION_DAYS). */
  mailRetentionDays: number;
  /** The dev mailbox page (/admin/mailbox) shows every outgoing message to administrators. */
  devMailbox: boolean;
  /** Sign-in through an OpenID Connect provider (OIDC_ISSUER and friends), if configured. */
  oidc: OidcConfig | undefined;
  /**
   * The master key (SECRET_KEY) sealing two-step verification secrets and keying the audit trail.
   * Unset in the environment: undefined here, and `withSecretKey` reads or makes the data folder's
   * key on the embedded database (a PostgreSQL installation must set it).
   */
  secretKey: Buffer | undefined;
  /**
   * Where the server's clock starts (CLOCK_START, an ISO 8601 instant), running on in real time from
   * there: for browser tests and demonstrations of deadlines on a chosen day. Unset: the real clock.
   */
  clockStart: Date | undefined;
}

type Env = Record<string, string | undefined>;

function integer(env: Env, name: string, fallback: number, min: number, max: number): number {
  const raw = env[name];
  if (raw === undefined || raw === '') return fallback;
  if (!/^\d+$/.test(raw) || Number(raw) < min || Number(raw) > max) {
    throw new ConfigError(name, `must be a whole number from ${min} to ${max} (got "${raw}")`);
  }
  return Number(raw);
}

function oneOf<T extends string>(env: Env, name: string, fallback: T, allowed: readonly T[]): T {
  const raw = env[name];
  if (raw === undefined || raw === '') return fallback;
  if (!(allowed as readonly string[]).includes(raw)) {
    throw new ConfigError(name, `must be one of ${allowed.join(', ')} (got "${raw}")`);
  }
  return raw as T;
}

function databaseUrl(env: Env): string | undefined {
  const raw = env.DATABASE_URL;
  if (raw === undefined || raw === '') return undefined;
  let url: URL;
  try {
    url = new URL(raw);
  } catch {
    throw new ConfigError('DATABASE_URL', 'is not a valid URL (expected postgres://user@host:5432/database)');
  }
  if (url.protocol !== 'postgres:' && url.protocol !== 'postgresql:') {
    throw new ConfigError('DATABASE_URL', `must start with postgres:// or postgresql:// (got "${url.protocol}//")`);
  }
  if (url.pathname.length <= 1) throw new ConfigError('DATABASE_URL', 'must name a database (postgres://host/database)');
  return raw;
}

function timeZone(env: Env): string {
  const raw = env.APP_TIME_ZONE;
  if (raw === undefined || raw === '') return 'Asia/Hong_Kong';
  try {
    new Intl.DateTimeFormat('en', { timeZone: raw });
  } catch {
    throw new ConfigError('APP_TIME_ZONE', `is not a time zone known to this system (got "${raw}")`);
  }
  return raw;
}

function publicUrl(env: Env, port: number): string {
  const raw = env.PUBLIC_URL;
  if (raw === undefined || raw === '') return `http://localhost:${port}`;
  let url: URL;
  try {
    url = new URL(raw);
  } catch {
    throw new ConfigError('PUBLIC_URL', `is not a valid URL (got "${raw}")`);
  }
  if (url.protocol !== 'http:' && url.protocol !== 'https:') throw new ConfigError('PUBLIC_URL', 'must start with http:// or https://');
  return raw.replace(/\/+$/, '');
}

function smtp(env: Env): SmtpServer | undefined {
  const raw = env.SMTP_URL;
  if (raw === undefined || raw === '') return undefined;
  try {
    return parseSmtpUrl(raw);
  } catch (error) {
    if (error instanceof SmtpUrlError) throw new ConfigError('SMTP_URL', error.message);
    throw error;
  }
}

function mailFrom(env: Env): string {
  const raw = env.MAIL_FROM;
  if (raw === undefined || raw === '') return 'ZJ-HK Platform <no-reply@localhost>';
  if (!/@[^@\s>]+>?$/.test(raw)) throw new ConfigError('MAIL_FROM', `must be an email address, optionally with a name: "Platform <no-reply@example.org>" (got "${raw}")`);
  return raw;
}

/** Reads and validates the configuration; throws ConfigError naming the first bad variable. */
export function loadConfig(env: Env = process.env, cwd = process.cwd()): Config {
  const host = env.HOST === undefined || env.HOST === '' ? 'localhost' : env.HOST;
  if (/\s|\//.test(host)) throw new ConfigError('HOST', `must be a host name or address (got "${host}")`);
  const dataDir = env.DATA_DIR === undefined || env.DATA_DIR === '' ? 'data' : env.DATA_DIR;
  const port = integer(env, 'PORT', 3000, 1, 65535);
  const url = databaseUrl(env);
  return {
    port,
    host,
    dataDir: path.resolve(cwd, dataDir),
    databaseUrl: url,
    logLevel: oneOf(env, 'LOG_LEVEL', 'info', ['fatal', 'error', 'warn', 'info', 'debug', 'trace', 'silent'] as const),
    timeZone: timeZone(env),
    trustProxy: oneOf(env, 'TRUST_PROXY', 'false', ['true', 'false'] as const) === 'true',
    publicUrl: publicUrl(env, port),
    session: { idleMinutes: integer(env, 'SESSION_IDLE_MINUTES', 30, 1, 24 * 60), maxHours: integer(env, 'SESSION_MAX_HOURS', 12, 1, 24 * 30) },
    smtp: smtp(env),
    mailFrom: mailFrom(env),
    mailRetentionDays: integer(env, 'MAIL_RETENTION_DAYS', 30, 1, 3650),
    // On by default only on the embedded database, which is for trying the platform and development.
    devMailbox: oneOf(env, 'DEV_MAILBOX', url ? 'false' : 'true', ['true', 'false'] as const) === 'true',
    oidc: parseOidcEnv(env),
    secretKey: secretKey(env),
    clockStart: clockStart(env),
  };
}

function clockStart(env: Env): Date | undefined {
  const raw = env.CLOCK_START;
  if (raw === undefined || raw === '') return undefined;
  const parts = /^(\d{4})-(\d{2})-(\d{2})T(\d{2}):(\d{2})(?::(\d{2})(?:\.\d+)?)?(?:Z|[+-]\d{2}:\d{2})$/.exec(raw);
  const [year, month, day, hour, minute, second = '0'] = (parts?.slice(1) ?? []).map((p) => (p === undefined ? undefined : Number(p)));
  // A real calendar day and time of day (Date itself would roll 30 February over into March).
  const local = parts ? new Date(Date.UTC(year as number, (month as number) - 1, day as number, hour as number, minute as number, Number(second))) : undefined;
  const real = local && local.getUTCMonth() + 1 === month && local.getUTCDate() === day && local.getUTCHours() === hour && local.getUTCMinutes() === minute;
  if (!real) throw new ConfigError('CLOCK_START', `must be an instant with its offset, e.g. 2026-06-20T09:00:00+08:00 (got "${raw}")`);
  return new Date(raw);
}
function secretKey(env: Env): Buffer | undefined {
  const raw = env.SECRET_KEY;
  if (raw === undefined || raw === '') return undefined;
  try {
    return parseSecretKey(raw);
  } catch (error) {
    throw new ConfigError('SECRET_KEY', (error as Error).message);
  }
}

/**
 * The configuration with its secret key: SECRET_KEY when set; otherwise, on the embedded database, the
 * key kept in the data folder (made on first start). A PostgreSQL installation has several app nodes
 * and no shared folder, so it must set SECRET_KEY.
 */
export function withSecretKey(config: Config): Config & { secretKey: Buffer } {
  if (config.secretKey) return config as Config & { secretKey: Buffer };
  if (config.databaseUrl) throw new ConfigError('SECRET_KEY', 'must be set when DATABASE_URL is (64 hexadecimal characters: openssl rand -hex 32); every app node uses the same one');
  return { ...config, secretKey: dataFolderSecretKey(config.dataDir) };
}

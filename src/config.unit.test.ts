import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { loadConfig } from './config.ts';
import { ConfigError } from './platform/config-error.ts';

describe('configuration', () => {
  it('has defaults that serve on port 3000 from ./data on the embedded database', () => {
    const config = loadConfig({}, '/srv/app');
    expect(config).toMatchObject({ port: 3000, host: 'localhost', dataDir: path.resolve('/srv/app/data'), databaseUrl: undefined, timeZone: 'Asia/Hong_Kong' });
  });

  it.each([
    [{ PORT: 'abc' }, 'PORT', 'must be a whole number from 1 to 65535 (got "abc")'],
    [{ PORT: '70000' }, 'PORT', 'must be a whole number'],
    [{ DATABASE_URL: 'mysql://x/y' }, 'DATABASE_URL', 'must start with postgres://'],
    [{ DATABASE_URL: 'not a url' }, 'DATABASE_URL', 'is not a valid URL'],
    [{ DATABASE_URL: 'postgres://localhost' }, 'DATABASE_URL', 'must name a database'],
    [{ LOG_LEVEL: 'loud' }, 'LOG_LEVEL', 'must be one of'],
    [{ APP_TIME_ZONE: 'Mars/Olympus' }, 'APP_TIME_ZONE', 'is not a time zone'],
    [{ TRUST_PROXY: 'yes' }, 'TRUST_PROXY', 'must be one of true, false'],
    [{ HOST: 'a b' }, 'HOST', 'must be a host name'],
    [{ SMTP_URL: 'http://mail.example.org' }, 'SMTP_URL', 'must start with smtp:// or smtps://'],
    [{ MAIL_FROM: 'nobody' }, 'MAIL_FROM', 'must be an email address'],
    [{ PUBLIC_URL: 'ftp://example.org' }, 'PUBLIC_URL', 'must start with http:// or https://'],
    [{ SESSION_IDLE_MINUTES: '0' }, 'SESSION_IDLE_MINUTES', 'must be a whole number from 1'],
    [{ MAIL_RETENTION_DAYS: '0' }, 'MAIL_RETENTION_DAYS', 'must be a whole number from 1 to 3650'],
    [{ CLOCK_START: '2026-06-20' }, 'CLOCK_START', 'must be an instant with its offset'],
    [{ CLOCK_START: '2026-02-30T09:00:00+08:00' }, 'CLOCK_START', 'must be an instant with its offset'],
  ])('rejects %o naming the variable', (env, variable, problem) => {
    let error: unknown;
    try {
      loadConfig(env);
    } catch (e) {
      error = e;
    }
    expect(error).toBeInstanceOf(ConfigError);
    expect((error as ConfigError).variable).toBe(variable);
    expect((error as ConfigError).message).toContain(problem);
  });

  it('accepts a PostgreSQL URL and overrides', () => {
    const config = loadConfig({
      PORT: '8080',
      HOST: '0.0.0.0',
      DATA_DIR: '/var/lib/zjhk',
      DATABASE_URL: 'postgres://u@db:5432/zjhk',
      SMTP_URL: 'smtps://me:p%40ss@mail.example.org',
      MAIL_RETENTION_DAYS: '7',
    });
    expect(config).toMatchObject({
      port: 8080,
      host: '0.0.0.0',
      dataDir: '/var/lib/zjhk',
      databaseUrl: 'postgres://u@db:5432/zjhk',
      devMailbox: false,
      publicUrl: 'http://localhost:8080',
      mailRetentionDays: 7,
    });
    expect(loadConfig({}).mailRetentionDays).toBe(30);
    expect(config.smtp).toMatchObject({ host: 'mail.example.org', port: 465, secure: true, user: 'me', password: 'p@ss' });
  });

  it('starts the server clock where CLOCK_START says, or leaves the real one', () => {
    expect(loadConfig({}).clockStart).toBeUndefined();
    expect(loadConfig({ CLOCK_START: '2026-06-20T09:00:00+08:00' }).clockStart?.toISOString()).toBe('2026-06-20T01:00:00.000Z');
  });
});

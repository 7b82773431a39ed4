import { randomUUID } from 'node:crypto';
import { beforeEach, describe, expect, it } from 'vitest';
import { testAppFor } from '../../../test/app.ts';
import { TestClient } from '../../../test/client.ts';
import { DATABASES } from '../../../test/databases.ts';
import { hashPassword } from '../../platform/auth/passwords.ts';
import { recordFailure, THROTTLE_POLICIES, throttleKey, throttleWait } from '../../platform/auth/throttle.ts';
import { type Db, openDatabase } from '../../platform/db/index.ts';
import { insertRole, insertUser } from './queries.ts';
import { signIn, type SignInResult } from './sign-in.ts';

const PASSWORD = 'lotus pond moon bridge';
let passwordHash: Promise<string> | undefined;

describe.each(DATABASES)('sign-in that cannot be turned against its owner, on %s', (kind) => {
  const t = testAppFor(kind);
  beforeEach(async () => {
    await t.database.db.kysely.deleteFrom('sign_in_throttles').execute();
  });

  const person = async (): Promise<string> => {
    const email = `resident.${randomUUID().slice(0, 8)}@example.org`;
    const id = randomUUID();
    passwordHash ??= hashPassword(PASSWORD);
    await insertUser(t.database.db.kysely, { id, email, displayName: 'Sample Resident', locale: 'en', passwordHash: await passwordHash, emailVerifiedAt: new Date() });
    await insertRole(t.database.db.kysely, { userId: id, role: 'resident', organisationId: null, grantedBy: null });
    return email;
  };

  /** One attempt at an instant, as the sign-in form makes it. */
  const attempt = (options: { email: string; password: string; ip: string; at: Date; device?: string; db?: Db }): Promise<SignInResult> =>
    signIn({
      db: (options.db ?? t.database.db).kysely,
      email: options.email,
      password: options.password,
      deviceCookie: options.device,
      session: t.ctx.config.session,
      request: { ip: options.ip },
      now: options.at,
    });
  const later = (at: Date, seconds: number) => new Date(at.getTime() + seconds * 1000);

  it('after five wrong passwords makes the right one wait seconds, not a quarter of an hour, then lets it in', async () => {
    const email = await person();
    let at = new Date('2026-12-07T10:00:00Z');
    for (let failures = 0; failures < 5; ) {
      const result = await attempt({ email, password: `guess ${failures}`, ip: '203.0.113.9', at });
      if (!result.ok && result.reason === 'rate_limited') {
        at = later(at, result.retryAfterSeconds);
        continue;
      }
      expect(result).toEqual({ ok: false, reason: 'invalid_credentials' });
      failures += 1;
    }
    // From a device the account never used, the owner waits (10 s after the fifth failure) …
    const waiting = await attempt({ email, password: PASSWORD, ip: '198.51.100.20', at });
    expect(waiting).toMatchObject({ ok: false, reason: 'rate_limited' });
    const wait = (waiting as { retryAfterSeconds: number }).retryAfterSeconds;
    expect(wait).toBeGreaterThan(0);
    expect(wait).toBeLessThanOrEqual(10);
    // … and is let in once it has passed.
    expect(await attempt({ email, password: PASSWORD, ip: '198.51.100.20', at: later(at, wait) })).toMatchObject({ ok: true });
  });

  it('lets the right password from a device that signed in before through while the address is throttled for everyone else', async () => {
    const email = await person();
    let at = new Date('2026-12-07T10:00:00Z');
    const first = await attempt({ email, password: PASSWORD, ip: '198.51.100.20', at });
    if (!first.ok) throw new Error('the owner could not sign in');
    const device = first.deviceCookie;

    // Someone hammers the address from elsewhere, waiting out every delay: twelve failures.
    for (let failures = 0; failures < 12; ) {
      const result = await attempt({ email, password: `guess ${failures}`, ip: `203.0.113.${failures + 1}`, at });
      if (!result.ok && result.reason === 'rate_limited') {
        at = later(at, result.retryAfterSeconds);
        continue;
      }
      failures += 1;
    }
    const stranger = await attempt({ email, password: PASSWORD, ip: '192.0.2.44', at });
    expect(stranger).toMatchObject({ ok: false, reason: 'rate_limited' });
    expect((stranger as { retryAfterSeconds: number }).retryAfterSeconds).toBeGreaterThan(600);

    // The owner, on the device they signed in from before, goes straight in.
    expect(await attempt({ email, password: PASSWORD, ip: '198.51.100.20', at, device })).toMatchObject({ ok: true });
    // The device's token is bound to the account: it opens no throttle for another address.
    const other = await person();
    for (let i = 0; i < 4; i += 1) await attempt({ email: other, password: 'wrong', ip: '203.0.113.200', at });
    expect(await attempt({ email: other, password: PASSWORD, ip: '198.51.100.20', at, device })).toMatchObject({ ok: false, reason: 'rate_limited' });
  });

  it('still counts a wrong password from a known device, for the address and for the device', async () => {
    const email = await person();
    const at = new Date('2026-12-07T10:00:00Z');
    const first = await attempt({ email, password: PASSWORD, ip: '198.51.100.20', at });
    if (!first.ok) throw new Error('the owner could not sign in');
    for (let i = 0; i < 4; i += 1) {
      expect(await attempt({ email, password: `guess ${i}`, ip: '198.51.100.20', at, device: first.deviceCookie })).toEqual({ ok: false, reason: 'invalid_credentials' });
    }
    // A stolen device cookie is no licence to guess: the device now waits too, as does the address.
    expect(await attempt({ email, password: PASSWORD, ip: '198.51.100.20', at, device: first.deviceCookie })).toMatchObject({ ok: false, reason: 'rate_limited' });
    expect(await attempt({ email, password: PASSWORD, ip: '192.0.2.44', at })).toMatchObject({ ok: false, reason: 'rate_limited' });
    const rows = await t.database.db.kysely.selectFrom('sign_in_throttles').select(['key', 'failures']).execute();
    expect(rows.find((r) => r.key === throttleKey('account', email))?.failures).toBe(4);
    expect(rows.filter((r) => r.key.startsWith('device:')).map((r) => r.failures)).toEqual([4]);
    // What is stored names nobody: keys are MACs, not addresses.
    expect(JSON.stringify(rows)).not.toContain('example.org');
    expect(JSON.stringify(rows)).not.toContain('198.51.100.20');
  });

  it('makes the wait grow with each failure, by address and by IP, counted through the database by every node', async () => {
    // A second app node: its own connection pool on PostgreSQL (PGlite has one process only).
    const nodeB = kind === 'postgres' ? await openDatabase({ databaseUrl: t.database.url as string, dataDir: '', onConnectionLost: () => {} }) : t.database.db;
    try {
      const email = await person();
      const at = new Date('2026-12-07T10:00:00Z');
      const account = throttleKey('account', email);
      const waits: number[] = [];
      let now = at;
      for (let i = 0; i < 8; i += 1) {
        // Each failure from a new IP, alternating between the nodes: only the address's count grows.
        const [writer, reader] = i % 2 ? [nodeB, t.database.db] : [t.database.db, nodeB];
        expect(await attempt({ email, password: `guess ${i}`, ip: `203.0.113.${i + 1}`, at: now, db: writer })).toEqual({ ok: false, reason: 'invalid_credentials' });
        const wait = await throttleWait(reader.kysely, [account], now);
        waits.push(wait);
        // The next attempt is refused until the wait is over, without looking at the password.
        if (wait > 0) expect(await attempt({ email, password: PASSWORD, ip: '192.0.2.1', at: later(now, wait - 1), db: reader })).toMatchObject({ ok: false, reason: 'rate_limited' });
        now = later(now, wait);
      }
      expect(waits).toEqual([0, 0, 0, 5, 10, 20, 40, 80]);

      // One IP trying many addresses: ten failures are free (offices share an address), then it waits longer and longer.
      const ip = throttleKey('ip', '198.51.100.99');
      const ipWaits: number[] = [];
      let then = at;
      for (let i = 0; i < 13; i += 1) {
        const [writer, reader] = i % 2 ? [nodeB, t.database.db] : [t.database.db, nodeB];
        expect(await attempt({ email: `nobody.${i}@example.org`, password: PASSWORD, ip: '198.51.100.99', at: then, db: writer })).toEqual({ ok: false, reason: 'invalid_credentials' });
        const wait = await throttleWait(reader.kysely, [ip], then);
        ipWaits.push(wait);
        then = later(then, wait);
      }
      expect(ipWaits).toEqual([0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 5, 10, 20]);
      // An IPv6 subscriber counts as one however many of its /64's addresses it uses.
      expect(throttleKey('ip', '2001:db8:1:2::1')).toBe(throttleKey('ip', '2001:0db8:0001:0002:ffff::9'));
      expect(throttleKey('ip', '2001:db8:1:2::1')).not.toBe(throttleKey('ip', '2001:db8:1:3::1'));
    } finally {
      if (nodeB !== t.database.db) await nodeB.close();
    }
  });

  it('counts failures from many nodes at once, each of them', async () => {
    const key = throttleKey('account', 'busy@example.org');
    const at = new Date('2026-12-07T10:00:00Z');
    await Promise.all(Array.from({ length: 20 }, () => recordFailure(t.database.db.kysely, key, THROTTLE_POLICIES.account, at)));
    const row = await t.database.db.kysely.selectFrom('sign_in_throttles').selectAll().where('key', '=', key).executeTakeFirstOrThrow();
    expect(row.failures).toBe(20);
    expect(new Date(row.blocked_until as Date).getTime() - at.getTime()).toBe(15 * 60_000);
  });

  it('through the form: a known browser signs in while a stranger waits, told how long in their language', async () => {
    const email = await person();
    const owner = new TestClient(t.app, { ip: '198.51.100.20' });
    expect((await owner.post('/en/login', { email, password: PASSWORD })).statusCode).toBe(303);
    expect(owner.cookies.get('zjhk_device')).toMatch(/^[\w-]+\.\d+\.[0-9a-f]{64}$/);
    await owner.post('/en/logout', {}, { from: '/en/account' });

    const attacker = new TestClient(t.app, { ip: '203.0.113.66' });
    for (let i = 0; i < 4; i += 1) await attacker.post('/zh-hant/login', { email, password: `guess ${i}` });
    const refused = await attacker.post('/zh-hant/login', { email, password: PASSWORD });
    expect(refused.statusCode).toBe(429);
    expect(refused.headers['retry-after']).toMatch(/^[1-5]$/);
    expect(refused.body).toMatch(/嘗試失敗次數過多，請於 [1-5] 秒後再試。/);
    const stranger = new TestClient(t.app, { ip: '192.0.2.80' });
    expect((await stranger.post('/zh-hans/login', { email, password: PASSWORD })).body).toMatch(/尝试失败次数过多，请在 [1-5] 秒后再试。/);

    const back = await owner.post('/en/login', { email, password: PASSWORD, next: '/en/account' });
    expect(back.statusCode).toBe(303);
    expect(back.headers.location).toBe('/en/account');
  });
});

import * as OTPAuth from 'otpauth';
import { describe, expect, it } from 'vitest';
import { randomUUID } from 'node:crypto';
import { enrolledTwoFactor, TEST_TOTP_SECRET, testAppFor } from '../../../test/app.ts';
import { TestClient } from '../../../test/client.ts';
import { DATABASES } from '../../../test/databases.ts';
import { SYSTEM } from '../../platform/audit/audit.ts';
import { createSession, SESSION_COOKIE } from '../../platform/auth/sessions.ts';
import { unsealTotpSecret } from '../../platform/auth/totp.ts';
import { createUser } from './create-user.ts';
import { insertRole, insertUser } from './queries.ts';

const PASSWORD = 'west lake tea terraces';

function code(secret: string, offsetSeconds = 0): string {
  return new OTPAuth.TOTP({ secret: OTPAuth.Secret.fromBase32(secret), digits: 6, period: 30, algorithm: 'SHA1' }).generate({ timestamp: Date.now() + offsetSeconds * 1000 });
}

describe.each(DATABASES)('two-step verification for officers on %s', (kind) => {
  const t = testAppFor(kind);

  it('makes an officer enrol before anything else, then asks for a code at every sign-in', async () => {
    const { setPasswordLink } = await createUser({
      db: t.database.db.kysely,
      email: 'officer@cmab.example',
      displayName: 'Officer Wong',
      locale: 'en',
      role: 'agency-officer',
      organisationId: 'hk-cmab',
      publicUrl: 'http://localhost:3000',
      actor: SYSTEM,
      now: t.ctx.now(),
    });
    const client = new TestClient(t.app);
    const link = new URL(setPasswordLink);
    const set = await client.post('/en/reset-password', { token: link.searchParams.get('token') ?? '', password: PASSWORD, confirmPassword: PASSWORD }, { from: `${link.pathname}${link.search}` });
    expect(set.body).toContain('Your password has been changed');

    const login = await client.post('/en/login', { email: 'officer@cmab.example', password: PASSWORD, next: '/en/account' });
    expect(login.headers.location).toBe('/en/account/two-factor?next=%2Fen%2Faccount');
    const setup = await client.get('/en/account/two-factor');
    expect(setup.body).toContain('<svg');
    expect(setup.body).toContain('role="img"');
    const secret = setup.body.match(/<code class="secret">([A-Z2-7 ]+)<\/code>/)?.[1]?.replace(/ /g, '');
    expect(secret).toBeTruthy();

    const wrong = await client.post('/en/account/two-factor', { code: '000000' });
    expect(wrong.body).toContain('The code is not right');
    const enabled = await client.post('/en/account/two-factor', { code: code(secret as string) });
    const recovery = [...enabled.body.matchAll(/<li><code>([a-z2-9]{5}-[a-z2-9]{5})<\/code><\/li>/g)].map((m) => m[1] as string);
    expect(recovery).toHaveLength(10);
    expect((await client.get('/en/account')).body).toContain('Agency officer');

    await client.post('/en/logout', {}, { from: '/en/account' });
    const again = await client.post('/en/login', { email: 'officer@cmab.example', password: PASSWORD, next: '/en/account' });
    expect(again.headers.location).toBe('/en/login/two-factor?next=%2Fen%2Faccount');
    // Half-way through, the account page leads to the second step; public pages stay open.
    expect((await client.get('/en/account')).headers.location).toBe('/en/login/two-factor');
    expect((await client.get('/en/agreements/zjhk-2023')).statusCode).toBe(200);
    const bad = await client.post('/en/login/two-factor', { code: '123456', next: '/en/account' }, { from: '/en/login/two-factor' });
    expect(bad.body).toContain('The code is not right');
    const good = await client.post('/en/login/two-factor', { code: code(secret as string, 30), next: '/en/account' }, { from: '/en/login/two-factor' });
    expect(good.headers.location).toBe('/en/account');

    // A recovery code signs in once, and only once.
    await client.post('/en/logout', {}, { from: '/en/account' });
    await client.post('/en/login', { email: 'officer@cmab.example', password: PASSWORD });
    const withRecovery = await client.post('/en/login/two-factor', { recoveryCode: (recovery[0] as string).toUpperCase() }, { from: '/en/login/two-factor' });
    expect(withRecovery.statusCode).toBe(303);
    await client.post('/en/logout', {}, { from: '/en/account' });
    await client.post('/en/login', { email: 'officer@cmab.example', password: PASSWORD });
    const reused = await client.post('/en/login/two-factor', { recoveryCode: recovery[0] as string }, { from: '/en/login/two-factor' });
    expect(reused.body).toContain('The code is not right');

    // The secret is stored sealed, bound to the account; the codes salted, none in the clear.
    const row = await t.database.db.kysely.selectFrom('users').select(['id', 'totp_secret']).where('email', '=', 'officer@cmab.example').executeTakeFirstOrThrow();
    expect(row.totp_secret).toMatch(/^v1:/);
    expect(row.totp_secret).not.toContain(secret as string);
    expect(unsealTotpSecret(row.id, row.totp_secret as string)).toBe(secret);
    const hashes = await t.database.db.kysely.selectFrom('recovery_codes').select('code_hash').where('user_id', '=', row.id).execute();
    expect(hashes).toHaveLength(10);
    for (const { code_hash } of hashes) expect(code_hash).toMatch(/^scrypt\$/);
  });

  it('lets staff without two-step verification reach its enrolment and nothing else that needs a session', async () => {
    const db = t.database.db.kysely;
    const officer = async (enrolled: boolean) => {
      const id = randomUUID();
      await insertUser(db, { id, email: `officer.${id.slice(0, 8)}@cmab.example`, displayName: 'Officer Lee', locale: 'en', passwordHash: null, emailVerifiedAt: new Date() });
      await insertRole(db, { userId: id, role: 'agency-officer', organisationId: 'hk-cmab', grantedBy: null });
      if (enrolled) await db.updateTable('users').set(enrolledTwoFactor(id)).where('id', '=', id).execute();
      const client = new TestClient(t.app);
      client.cookies.set(SESSION_COOKIE, await createSession(db, { userId: id, settings: t.ctx.config.session, secondFactor: false }));
      return client;
    };
    const notEnrolled = await officer(false);
    // Pages that need a session lead to enrolment …
    expect((await notEnrolled.get('/en/enquiries/mine')).headers.location).toBe('/en/account/two-factor');
    expect((await notEnrolled.get('/en/account')).headers.location).toBe('/en/account/two-factor');
    expect((await notEnrolled.get('/en/account/email')).headers.location).toBe('/en/account/two-factor');
    // … while enrolment itself and the public pages answer, and signing out works.
    expect((await notEnrolled.get('/en/account/two-factor')).statusCode).toBe(200);
    expect((await notEnrolled.get('/en/agreements/zjhk-2023')).statusCode).toBe(200);
    expect((await notEnrolled.post('/en/logout', {}, { from: '/en/account/two-factor' })).headers.location).toBe('/en/login?signed-out');
    expect((await notEnrolled.get('/en/account/two-factor')).statusCode).toBe(303);

    // Enrolled but not past the second step in this session: only the second step.
    const halfway = await officer(true);
    expect((await halfway.get('/en/enquiries/mine')).headers.location).toBe('/en/login/two-factor');
    expect((await halfway.get('/en/login/two-factor')).statusCode).toBe(200);
  });

  it('makes wrong codes at the second step wait longer and longer, and says how long', async () => {
    const db = t.database.db.kysely;
    const id = randomUUID();
    await insertUser(db, { id, email: `officer.${id.slice(0, 8)}@cmab.example`, displayName: 'Officer Ho', locale: 'en', passwordHash: null, emailVerifiedAt: new Date() });
    await insertRole(db, { userId: id, role: 'agency-officer', organisationId: 'hk-cmab', grantedBy: null });
    await db.updateTable('users').set(enrolledTwoFactor(id)).where('id', '=', id).execute();
    const client = new TestClient(t.app);
    client.cookies.set(SESSION_COOKIE, await createSession(db, { userId: id, settings: t.ctx.config.session, secondFactor: false }));
    for (let i = 0; i < 4; i += 1) {
      expect((await client.post('/en/login/two-factor', { code: '000000' }, { from: '/en/login/two-factor' })).body).toContain('The code is not right');
    }
    // Three wrong codes are free; after the fourth even the right one waits (10 s), unread.
    const waiting = await client.post('/en/login/two-factor', { code: code(TEST_TOTP_SECRET) }, { from: '/en/login/two-factor' });
    expect(waiting.statusCode).toBe(429);
    expect(Number(waiting.headers['retry-after'])).toBeGreaterThan(0);
    expect(Number(waiting.headers['retry-after'])).toBeLessThanOrEqual(10);
    expect(waiting.body).toMatch(/Too many unsuccessful attempts\. Please try again in (10|[1-9]) seconds?\./);
  });
});

import * as OTPAuth from 'otpauth';
import { describe, expect, it } from 'vitest';
import { testAppFor } from '../../../test/app.ts';
import { TestClient } from '../../../test/client.ts';
import { DATABASES } from '../../../test/databases.ts';
import { SYSTEM } from '../../platform/audit/audit.ts';
import { createUser } from './create-user.ts';

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
  });
});

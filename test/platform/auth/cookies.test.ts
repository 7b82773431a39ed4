import { randomUUID } from 'node:crypto';
import { describe, expect, it } from 'vitest';
import { testAppFor } from '../../app.ts';
import { TestClient } from '../../client.ts';
import { DATABASES } from '../../databases.ts';
import { insertRole, insertUser } from '../../../src/modules/accounts/testing.ts';
import { clearRateLimits, ENQUIRY_FIELDS, TRACK_COOKIE } from '../../../src/modules/enquiries/testing.ts';
import { hashPassword } from '../../../src/platform/auth/passwords.ts';

const PASSWORD = 'tea fields of longjing';

describe.each(DATABASES)('cookies when the platform is reached over https, on %s', (kind) => {
  const t = testAppFor(kind, { env: { PUBLIC_URL: 'https://zjhk.example.org' } });

  it('names the session __Host- and makes every cookie Secure, and reads the session by that name only', async () => {
    const email = `resident.${randomUUID().slice(0, 8)}@example.org`;
    const id = randomUUID();
    await insertUser(t.database.db.kysely, { id, email, displayName: 'Sample Resident', locale: 'en', passwordHash: await hashPassword(PASSWORD), emailVerifiedAt: new Date() });
    await insertRole(t.database.db.kysely, { userId: id, role: 'resident', organisationId: null, grantedBy: null });

    const client = new TestClient(t.app);
    const page = await client.get('/en/login');
    const set = Object.fromEntries(page.cookies.map((c) => [c.name, c]));
    expect(set._csrf).toMatchObject({ secure: true, httpOnly: true, path: '/' });
    expect(set.lang).toMatchObject({ secure: true });

    const login = await client.post('/en/login', { email, password: PASSWORD, next: '/en/account' });
    expect(login.statusCode).toBe(303);
    const session = login.cookies.find((c) => c.name === '__Host-zjhk_session');
    expect(session).toMatchObject({ secure: true, httpOnly: true, path: '/', sameSite: 'Lax' });
    expect(session?.domain).toBeUndefined();
    expect(login.cookies.some((c) => c.name === 'zjhk_session')).toBe(false);
    expect(login.cookies.find((c) => c.name === '__Host-zjhk_device')).toMatchObject({ secure: true, httpOnly: true, path: '/' });
    expect((await client.get('/en/account')).statusCode).toBe(200);

    // A cookie under the plain name (planted over http, say) is not a session here.
    const planted = new TestClient(t.app);
    planted.cookies.set('zjhk_session', session?.value as string);
    expect((await planted.get('/en/account')).headers.location).toBe('/en/login?next=%2Fen%2Faccount');

    // Every module's cookie follows the same default: the case-tracking cookie of an enquiry, say.
    await clearRateLimits(t.database.db.kysely);
    const citizen = new TestClient(t.app);
    const sent = await citizen.post('/zh-hans/enquiries/new', { ...ENQUIRY_FIELDS, intent: 'submit', consent: 'yes' }, { from: '/zh-hans/enquiries/new' });
    expect(sent.statusCode).toBe(303);
    expect(sent.cookies.find((c) => c.name === TRACK_COOKIE)).toMatchObject({ secure: true, httpOnly: true });

    const out = await client.post('/en/logout', {}, { from: '/en/account' });
    expect(out.cookies.find((c) => c.name === '__Host-zjhk_session')?.value).toBe('');
    expect((await client.get('/en/account')).statusCode).toBe(303);
  });
});

import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { buildApp } from '../../app.tsx';
import { loadConfig } from '../../config.ts';
import { TestClient } from '../../../test/client.ts';
import { DATABASES, freshDatabase, TEST_SECRET_KEY, type TestDatabase } from '../../../test/databases.ts';
import { signInThroughProvider, startOidcProvider, TEST_ACCOUNT, type TestOidcProvider } from '../../../test/oidc-provider.ts';

const REDIRECT = 'http://localhost:3000/auth/oidc/callback';

describe.each(DATABASES)('sign-in through an OpenID Connect provider on %s', (kind) => {
  let provider: TestOidcProvider;
  let database: TestDatabase;
  let app: Awaited<ReturnType<typeof buildApp>>['app'];
  beforeAll(async () => {
    provider = await startOidcProvider({ redirectUri: REDIRECT });
    database = await freshDatabase(kind);
    const config = loadConfig({
      LOG_LEVEL: 'silent',
      OIDC_ISSUER: provider.issuer,
      OIDC_CLIENT_ID: provider.clientId,
      OIDC_CLIENT_SECRET: provider.clientSecret,
      OIDC_REDIRECT_URI: REDIRECT,
      OIDC_ALLOW_INSECURE: 'true',
      OIDC_LABEL: 'Test ID',
      SECRET_KEY: TEST_SECRET_KEY,
    });
    ({ app } = await buildApp({ config, db: database.db, logger: false }));
  });
  afterAll(async () => {
    await app.close();
    await database.drop();
    await provider.stop();
  });

  /** Goes to the provider, signs in there, and comes back: the app's answer to the callback. */
  const roundTrip = async (client: TestClient, options: { cancel?: boolean } = {}) => {
    const start = await client.get('/auth/oidc/start?locale=en&next=/en/agreements/zjhk-2023');
    expect(start.statusCode).toBe(303);
    const back = await signInThroughProvider(String(start.headers.location), REDIRECT, options);
    return await client.get(`${back.pathname}${back.search}`);
  };

  it('offers the identity service on the sign-in page, and creates a resident’s account on first sign-in', async () => {
    const client = new TestClient(app);
    expect((await client.get('/en/login')).body).toContain('Sign in with Test ID');
    const callback = await roundTrip(client);
    expect(callback.statusCode).toBe(303);
    expect(callback.headers.location).toBe('/en/agreements/zjhk-2023');
    const account = await client.get('/en/account');
    expect(account.body).toContain(TEST_ACCOUNT.name);
    expect(account.body).toContain(TEST_ACCOUNT.email);
    const users = await database.db.kysely.selectFrom('users').select(['email', 'oidc_subject', 'password_hash', 'email_verified_at']).execute();
    expect(users).toEqual([{ email: TEST_ACCOUNT.email, oidc_subject: TEST_ACCOUNT.sub, password_hash: null, email_verified_at: expect.any(Date) }]);

    // The second time, the same account.
    const again = new TestClient(app);
    await roundTrip(again);
    expect((await again.get('/en/account')).body).toContain(TEST_ACCOUNT.name);
    expect(await database.db.kysely.selectFrom('users').select('id').execute()).toHaveLength(1);
  });

  it('says so, in the visitor’s language, when the person cancels at the provider or the attempt is unknown', async () => {
    const client = new TestClient(app);
    const cancelled = await roundTrip(client, { cancel: true });
    expect(cancelled.headers.location).toBe('/en/login?oidc=failed');
    expect((await client.get('/en/login?oidc=failed')).body).toContain('Signing in through the identity service did not work');
    const stray = await new TestClient(app).get('/auth/oidc/callback?code=x&state=y');
    expect(stray.headers.location).toBe('/zh-hant/login?oidc=expired');
  });
});

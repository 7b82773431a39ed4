import { createServer } from 'node:http';
import type { AddressInfo } from 'node:net';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { signInThroughProvider, startOidcProvider, TEST_ACCOUNT, type TestOidcProvider } from '../../../test/oidc-provider.ts';
import { ConfigError } from '../config-error.ts';
import { OidcClient, type OidcConfig, OidcError, type OidcErrorCode, parseOidcEnv } from './oidc.ts';

describe('parseOidcEnv', () => {
  const complete = {
    OIDC_ISSUER: 'https://login.example.gov.hk',
    OIDC_CLIENT_ID: 'zjhk',
    OIDC_CLIENT_SECRET: 's3cret',
    OIDC_REDIRECT_URI: 'https://zjhk.example.org/auth/oidc/callback',
  };

  function configError(env: Record<string, string>): ConfigError {
    try {
      parseOidcEnv(env);
    } catch (error) {
      if (error instanceof ConfigError) return error;
      throw error;
    }
    throw new Error(`no error for ${JSON.stringify(env)}`);
  }

  it('is off when OIDC_ISSUER is not set', () => {
    expect(parseOidcEnv({})).toBeUndefined();
    expect(parseOidcEnv({ OIDC_ISSUER: '', OIDC_LABEL: 'iAM Smart', OIDC_SCOPES: 'openid' })).toBeUndefined();
  });

  it('reads a complete configuration, with defaults', () => {
    expect(parseOidcEnv(complete)).toEqual({
      issuer: 'https://login.example.gov.hk',
      clientId: 'zjhk',
      clientSecret: 's3cret',
      redirectUri: 'https://zjhk.example.org/auth/oidc/callback',
      scopes: ['openid', 'email', 'profile'],
      allowInsecure: false,
      label: undefined,
    });
    const local = parseOidcEnv({
      OIDC_ISSUER: 'http://localhost:4000',
      OIDC_CLIENT_ID: 'zjhk',
      OIDC_REDIRECT_URI: 'http://localhost:3000/auth/oidc/callback',
      OIDC_SCOPES: ' openid  email ',
      OIDC_ALLOW_INSECURE: 'true',
      OIDC_LABEL: 'iAM Smart',
    });
    expect(local).toMatchObject({ clientSecret: undefined, scopes: ['openid', 'email'], allowInsecure: true, label: 'iAM Smart' });
  });

  it('names the variable that is missing or wrong', () => {
    const { OIDC_CLIENT_ID: _id, ...withoutClient } = complete;
    const { OIDC_REDIRECT_URI: _uri, ...withoutRedirect } = complete;
    const cases: Array<[Record<string, string>, string, string]> = [
      [withoutClient, 'OIDC_CLIENT_ID', 'must be set'],
      [withoutRedirect, 'OIDC_REDIRECT_URI', 'must be set'],
      [{ OIDC_CLIENT_ID: 'zjhk' }, 'OIDC_ISSUER', 'must be set when OIDC_CLIENT_ID is set'],
      [{ ...complete, OIDC_ISSUER: 'not a url' }, 'OIDC_ISSUER', 'not a valid URL'],
      [{ ...complete, OIDC_ISSUER: 'http://login.example.gov.hk' }, 'OIDC_ISSUER', 'OIDC_ALLOW_INSECURE'],
      [{ ...complete, OIDC_REDIRECT_URI: 'ftp://zjhk.example.org/cb' }, 'OIDC_REDIRECT_URI', 'https://'],
      [{ ...complete, OIDC_ALLOW_INSECURE: 'yes' }, 'OIDC_ALLOW_INSECURE', 'true or false'],
      [{ ...complete, OIDC_SCOPES: 'email profile' }, 'OIDC_SCOPES', 'must include openid'],
    ];
    for (const [env, variable, problem] of cases) {
      const error = configError(env);
      expect(error.variable, JSON.stringify(env)).toBe(variable);
      expect(error.message).toContain(problem);
    }
  });
});

async function oidcError(promise: Promise<unknown>, code: OidcErrorCode): Promise<OidcError> {
  try {
    await promise;
  } catch (error) {
    if (error instanceof OidcError && error.code === code) return error;
    throw error;
  }
  throw new Error(`expected OidcError ${code}, but the call succeeded`);
}

function configFor(provider: TestOidcProvider): OidcConfig {
  return {
    issuer: provider.issuer,
    clientId: provider.clientId,
    clientSecret: provider.clientSecret,
    redirectUri: provider.redirectUri,
    allowInsecure: true,
    label: 'Test provider',
  };
}

describe('sign-in through a real OpenID provider', () => {
  let provider: TestOidcProvider;
  let oidc: OidcClient;

  beforeAll(async () => {
    provider = await startOidcProvider();
    oidc = await OidcClient.create(configFor(provider));
  });
  afterAll(async () => {
    await provider?.stop();
  });

  const signIn = async (options?: Parameters<typeof signInThroughProvider>[2]) => {
    const attempt = await oidc.start();
    const callback = await signInThroughProvider(attempt.url, provider.redirectUri, options);
    return { attempt, callback };
  };

  it('starts with PKCE (S256), state and nonce', async () => {
    const attempt = await oidc.start({ locale: 'zh-Hant' });
    const url = new URL(attempt.url);
    expect(url.origin).toBe(provider.issuer);
    expect(Object.fromEntries(url.searchParams)).toMatchObject({
      client_id: provider.clientId,
      redirect_uri: provider.redirectUri,
      response_type: 'code',
      scope: 'openid email profile',
      code_challenge_method: 'S256',
      state: attempt.state,
      nonce: attempt.nonce,
      ui_locales: 'zh-Hant',
    });
    expect(url.searchParams.get('code_challenge')).toMatch(/^[\w-]{43}$/);
    expect(attempt.codeVerifier).toMatch(/^[\w-]{43,128}$/);
    const again = await oidc.start();
    expect(again.state).not.toBe(attempt.state);
    expect(again.nonce).not.toBe(attempt.nonce);
    expect(again.codeVerifier).not.toBe(attempt.codeVerifier);
    expect(oidc.label).toBe('Test provider');
  });

  it('signs in through the login and consent pages and reads the claims', async () => {
    const { attempt, callback } = await signIn();
    expect(callback.searchParams.get('code')).toBeTruthy();
    expect(callback.searchParams.get('state')).toBe(attempt.state);
    const identity = await oidc.finish(callback, attempt);
    expect(identity).toEqual({
      issuer: provider.issuer,
      subject: TEST_ACCOUNT.sub,
      email: TEST_ACCOUNT.email,
      emailVerified: true,
      name: TEST_ACCOUNT.name,
    });
  });

  it('uses only the query of the callback URL, so a URL rebuilt behind a proxy works', async () => {
    const { attempt, callback } = await signIn();
    const behindProxy = new URL(`https://zjhk.example.org/some/other/path${callback.search}`);
    await expect(oidc.finish(behindProxy, attempt)).resolves.toMatchObject({ subject: TEST_ACCOUNT.sub });
  });

  it('refuses a callback whose state does not match', async () => {
    const { attempt, callback } = await signIn();
    await oidcError(oidc.finish(callback, { ...attempt, state: 'another-attempt' }), 'state_mismatch');
    const tampered = new URL(callback);
    tampered.searchParams.set('state', `${attempt.state}x`);
    await oidcError(oidc.finish(tampered, attempt), 'state_mismatch');
    const withoutState = new URL(callback);
    withoutState.searchParams.delete('state');
    await oidcError(oidc.finish(withoutState, attempt), 'state_mismatch');
    await oidcError(oidc.finish(callback, { ...attempt, state: '' }), 'state_mismatch');
  });

  it('reports the provider refusing, when the person cancels', async () => {
    const { attempt, callback } = await signIn({ cancel: true });
    expect(callback.searchParams.get('error')).toBe('access_denied');
    const error = await oidcError(oidc.finish(callback, attempt), 'provider_error');
    expect(error.providerError).toBe('access_denied');
  });

  it('reports an error response built by hand', async () => {
    const attempt = await oidc.start();
    const callback = new URL(`${provider.redirectUri}?error=access_denied&error_description=nope&state=${attempt.state}`);
    const error = await oidcError(oidc.finish(callback, attempt), 'provider_error');
    expect(error.providerError).toBe('access_denied');
    expect(error.message).toContain('access_denied');
  });

  it('refuses an ID token with another nonce, without leaking the code or tokens', async () => {
    const { attempt, callback } = await signIn();
    const error = await oidcError(oidc.finish(callback, { ...attempt, nonce: 'another-nonce' }), 'invalid_response');
    const code = callback.searchParams.get('code') ?? '';
    expect(code.length).toBeGreaterThan(10);
    expect(error.message).not.toContain(code);
    expect(JSON.stringify(error)).not.toContain(code);
    expect(error.cause).toBeUndefined();
    expect(error.detail).toMatch(/^OAUTH_/);
  });

  it('refuses a wrong PKCE verifier and a code used twice', async () => {
    const wrongVerifier = await signIn();
    const error = await oidcError(oidc.finish(wrongVerifier.callback, { ...wrongVerifier.attempt, codeVerifier: (await oidc.start()).codeVerifier }), 'provider_error');
    expect(error.providerError).toBe('invalid_grant');

    const { attempt, callback } = await signIn();
    await oidc.finish(callback, attempt);
    const replay = await oidcError(oidc.finish(callback, attempt), 'provider_error');
    expect(replay.providerError).toBe('invalid_grant');
  });

  it('refuses an http:// provider unless insecure requests are allowed', async () => {
    await oidcError(OidcClient.create({ ...configFor(provider), allowInsecure: false }), 'invalid_response');
  });
});

describe('sign-in when the provider puts the claims in the ID token', () => {
  let provider: TestOidcProvider;
  afterAll(async () => {
    await provider?.stop();
  });

  it('reads them from the ID token', async () => {
    provider = await startOidcProvider({ claimsInIdToken: true });
    const oidc = await OidcClient.create(configFor(provider));
    const attempt = await oidc.start();
    const identity = await oidc.finish(await signInThroughProvider(attempt.url, provider.redirectUri), attempt);
    expect(identity).toEqual({ issuer: provider.issuer, subject: TEST_ACCOUNT.sub, email: TEST_ACCOUNT.email, emailVerified: true, name: TEST_ACCOUNT.name });
  });
});

describe('an unreachable provider', () => {
  it('is reported as unavailable', async () => {
    const server = createServer();
    await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
    const { port } = server.address() as AddressInfo;
    await new Promise<void>((resolve) => server.close(() => resolve()));
    const config = { issuer: `http://127.0.0.1:${port}`, clientId: 'x', redirectUri: 'http://127.0.0.1/cb', allowInsecure: true };
    await oidcError(OidcClient.create(config), 'unavailable');
  });
});

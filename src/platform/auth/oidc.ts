import * as client from 'openid-client';
import { ConfigError } from '../config-error.ts';

/**
 * Sign-in through an OpenID Connect provider: the authorization code flow with PKCE, state and nonce.
 *
 * The two halves run in two requests:
 *   1. `start()` returns the provider's URL to redirect to and three secrets {state, nonce,
 *      codeVerifier}. The caller keeps them for the browser that started, for a few minutes, in a
 *      signed (or encrypted), httpOnly, SameSite=Lax cookie or a server-side row keyed by such a
 *      cookie. SameSite must be Lax, not Strict: the provider's redirect back is a cross-site
 *      navigation, and a Strict cookie would not come with it.
 *   2. The provider redirects the browser to the redirect URI; the caller passes that request's URL
 *      and the kept secrets to `finish()`, deletes them (each is good for one attempt), and gets
 *      back who signed in. Accounts are keyed by (issuer, subject), never by email alone.
 */

export interface OidcConfig {
  /** The issuer identifier, exactly as the provider's discovery document states it. */
  issuer: string;
  clientId: string;
  /** Absent for a public client, which then relies on PKCE alone. */
  clientSecret?: string | undefined;
  /** This platform's callback URL, as registered with the provider. */
  redirectUri: string;
  /** Default: openid email profile. */
  scopes?: string[] | undefined;
  /** Allow http:// for the provider: local development and tests only. */
  allowInsecure?: boolean | undefined;
  /** Text for the sign-in button, such as "iAM Smart". */
  label?: string | undefined;
}

const DEFAULT_OIDC_SCOPES = ['openid', 'email', 'profile'];

/** Seconds to wait for the provider on any one request. */
const REQUEST_TIMEOUT_SECONDS = 10;

type Env = Record<string, string | undefined>;

function value(env: Env, name: string): string | undefined {
  const raw = env[name]?.trim();
  return raw === undefined || raw === '' ? undefined : raw;
}

function required(env: Env, name: string): string {
  const raw = value(env, name);
  if (raw === undefined) throw new ConfigError(name, 'must be set when OIDC_ISSUER is set');
  return raw;
}

function httpUrl(name: string, raw: string, allowInsecure: boolean): string {
  let url: URL;
  try {
    url = new URL(raw);
  } catch {
    throw new ConfigError(name, `is not a valid URL (got "${raw}")`);
  }
  if (url.protocol === 'https:' || (url.protocol === 'http:' && allowInsecure)) return raw;
  if (url.protocol === 'http:') throw new ConfigError(name, 'must use https:// (set OIDC_ALLOW_INSECURE=true only for local development)');
  throw new ConfigError(name, `must be an https:// URL (got "${url.protocol}//")`);
}

function allowInsecure(env: Env): boolean {
  const raw = value(env, 'OIDC_ALLOW_INSECURE') ?? 'false';
  if (raw !== 'true' && raw !== 'false') throw new ConfigError('OIDC_ALLOW_INSECURE', `must be true or false (got "${raw}")`);
  return raw === 'true';
}

function scopes(env: Env): string[] {
  const raw = value(env, 'OIDC_SCOPES');
  if (raw === undefined) return [...DEFAULT_OIDC_SCOPES];
  const list = [...new Set(raw.split(/\s+/))];
  if (!list.includes('openid')) throw new ConfigError('OIDC_SCOPES', `must include openid (got "${raw}")`);
  return list;
}

/**
 * Reads the OIDC_* variables. Sign-in through a provider is off (undefined) unless OIDC_ISSUER is
 * set; then OIDC_CLIENT_ID and OIDC_REDIRECT_URI are required too. Throws ConfigError naming the
 * first missing or invalid variable, including one set without OIDC_ISSUER.
 */
export function parseOidcEnv(env: Env): OidcConfig | undefined {
  const issuer = value(env, 'OIDC_ISSUER');
  if (issuer === undefined) {
    const stray = ['OIDC_CLIENT_ID', 'OIDC_CLIENT_SECRET', 'OIDC_REDIRECT_URI'].find((name) => value(env, name) !== undefined);
    if (stray !== undefined) throw new ConfigError('OIDC_ISSUER', `must be set when ${stray} is set`);
    return undefined;
  }
  const insecure = allowInsecure(env);
  return {
    issuer: httpUrl('OIDC_ISSUER', issuer, insecure),
    clientId: required(env, 'OIDC_CLIENT_ID'),
    clientSecret: value(env, 'OIDC_CLIENT_SECRET'),
    redirectUri: httpUrl('OIDC_REDIRECT_URI', required(env, 'OIDC_REDIRECT_URI'), insecure),
    scopes: scopes(env),
    allowInsecure: insecure,
    label: value(env, 'OIDC_LABEL'),
  };
}

/**
 * Why a sign-in through the provider failed. The message never contains tokens, codes or claims:
 * - state_mismatch: the callback does not belong to the sign-in this browser started (forged,
 *   replayed, or the kept secrets expired); start again.
 * - provider_error: the provider answered with an OAuth error; `providerError` holds its code,
 *   such as access_denied when the person cancelled.
 * - invalid_response: the provider's answer failed validation (ID token signature, issuer,
 *   audience, nonce, expiry, PKCE, missing fields).
 * - unavailable: the provider could not be reached or did not answer in time.
 */
export type OidcErrorCode = 'state_mismatch' | 'provider_error' | 'invalid_response' | 'unavailable';

export class OidcError extends Error {
  override readonly name = 'OidcError';

  constructor(
    readonly code: OidcErrorCode,
    message: string,
    /** The provider's OAuth error code (e.g. access_denied), for provider_error. */
    readonly providerError?: string,
    /** The underlying library's error code (e.g. OAUTH_JWT_CLAIM_COMPARISON_FAILED), for logs. */
    readonly detail?: string,
  ) {
    super(message);
  }
}

/** An OAuth error code is [\x20-\x21\x23-\x5B\x5D-\x7E]+ by RFC 6749; keep a short, plain version for logs. */
function errorCode(raw: unknown): string {
  return typeof raw === 'string' ? raw.replace(/[^\w.-]/g, '').slice(0, 64) || 'unknown' : 'unknown';
}

function isNetworkFailure(error: unknown): boolean {
  if (error instanceof client.ClientError) return error.code === 'OAUTH_TIMEOUT' || error.code === 'OAUTH_ABORT';
  return error instanceof TypeError && error.message === 'fetch failed';
}

/** Turns whatever openid-client threw into an OidcError, keeping no tokens, bodies or causes. */
function toOidcError(error: unknown, during: string): OidcError {
  if (error instanceof OidcError) return error;
  if (error instanceof client.AuthorizationResponseError || error instanceof client.ResponseBodyError) {
    const code = errorCode(error.error);
    return new OidcError('provider_error', `the provider refused the ${during}: ${code}`, code);
  }
  if (isNetworkFailure(error)) return new OidcError('unavailable', `the provider did not answer the ${during}`, undefined, codeOf(error));
  return new OidcError('invalid_response', `the provider's answer to the ${during} is not valid`, undefined, codeOf(error));
}

function codeOf(error: unknown): string | undefined {
  const code = error instanceof Error ? (error as Error & { code?: unknown }).code : undefined;
  return typeof code === 'string' ? code : undefined;
}

/**
 * Client authentication with the secret: HTTP Basic (the default of OpenID Connect Discovery), or
 * the form body when the provider says it supports only that.
 */
function secretAuth(secret: string): client.ClientAuth {
  const basic = client.ClientSecretBasic(secret);
  const post = client.ClientSecretPost(secret);
  return (as, metadata, body, headers) => {
    const methods = as.token_endpoint_auth_methods_supported;
    const usePost = methods !== undefined && !methods.includes('client_secret_basic') && methods.includes('client_secret_post');
    (usePost ? post : basic)(as, metadata, body, headers);
  };
}

/** The secrets of one sign-in attempt, kept by the caller between start() and finish(). */
export interface OidcAttempt {
  state: string;
  nonce: string;
  codeVerifier: string;
}

/** Who signed in, as the provider vouches. `emailVerified` is only true when the provider says so. */
export interface OidcIdentity {
  issuer: string;
  subject: string;
  email?: string;
  emailVerified?: boolean;
  name?: string;
}

type Profile = Omit<OidcIdentity, 'issuer' | 'subject'>;

/** A profile before its absent fields are dropped. */
interface ProfileFields {
  email: string | undefined;
  emailVerified: boolean | undefined;
  name: string | undefined;
}

export class OidcClient {
  private constructor(
    private readonly configuration: client.Configuration,
    private readonly config: Readonly<OidcConfig>,
  ) {}

  /**
   * Reads the provider's discovery document (one request) and returns a client for it. Throws
   * OidcError 'unavailable' when the provider cannot be reached, 'invalid_response' when its
   * document is unusable (for example an issuer that differs from the configured one).
   */
  static async create(config: OidcConfig): Promise<OidcClient> {
    const auth = config.clientSecret ? secretAuth(config.clientSecret) : client.None();
    const metadata: Partial<client.ClientMetadata> = { redirect_uris: [config.redirectUri], response_types: ['code'] };
    try {
      const configuration = await client.discovery(new URL(config.issuer), config.clientId, metadata, auth, {
        timeout: REQUEST_TIMEOUT_SECONDS,
        ...(config.allowInsecure ? { execute: [client.allowInsecureRequests] } : {}),
      });
      return new OidcClient(configuration, config);
    } catch (error) {
      throw toOidcError(error, 'discovery request');
    }
  }

  /** The button text, when configured. */
  get label(): string | undefined {
    return this.config.label;
  }

  /**
   * Begins a sign-in: the URL to redirect the browser to, and the secrets to keep until finish().
   * `locale` (a BCP 47 tag such as zh-Hant) asks the provider to show its pages in that language.
   */
  async start({ locale }: { locale?: string } = {}): Promise<{ url: string } & OidcAttempt> {
    const codeVerifier = client.randomPKCECodeVerifier();
    const state = client.randomState();
    const nonce = client.randomNonce();
    const parameters: Record<string, string> = {
      redirect_uri: this.config.redirectUri,
      scope: (this.config.scopes ?? DEFAULT_OIDC_SCOPES).join(' '),
      code_challenge: await client.calculatePKCECodeChallenge(codeVerifier),
      code_challenge_method: 'S256',
      state,
      nonce,
    };
    if (locale) parameters.ui_locales = locale;
    const url = client.buildAuthorizationUrl(this.configuration, parameters);
    return { url: url.href, state, nonce, codeVerifier };
  }

  /**
   * Completes a sign-in from the URL the provider redirected the browser to (only its query string
   * is used, so a URL rebuilt behind a proxy with another scheme or host still works). Checks the
   * state, exchanges the code (with the PKCE verifier) for tokens, validates the ID token (signature,
   * issuer, audience, expiry, nonce) and reads the user info endpoint for claims the ID token lacks.
   */
  async finish(callbackUrl: URL, expected: OidcAttempt): Promise<OidcIdentity> {
    const params = callbackUrl.searchParams;
    // An error response is reported as such even with a wrong state: it signs nobody in either way,
    // and some providers leave the state out of error responses.
    if (params.has('error')) {
      const code = errorCode(params.get('error'));
      throw new OidcError('provider_error', `the provider refused the sign-in: ${code}`, code);
    }
    if (!expected.state || params.get('state') !== expected.state) {
      throw new OidcError('state_mismatch', 'the callback does not match the sign-in this browser started');
    }
    const current = new URL(this.config.redirectUri);
    current.search = callbackUrl.search;
    try {
      const tokens = await client.authorizationCodeGrant(this.configuration, current, {
        pkceCodeVerifier: expected.codeVerifier,
        expectedState: expected.state,
        expectedNonce: expected.nonce,
        idTokenExpected: true,
      });
      const claims = tokens.claims();
      if (!claims) throw new OidcError('invalid_response', 'the provider sent no ID token');
      const profile = await this.completeProfile(profileOf(claims), tokens.access_token, claims.sub);
      return { issuer: claims.iss, subject: claims.sub, ...profile };
    } catch (error) {
      throw toOidcError(error, 'sign-in');
    }
  }

  /** Fills email and name from the user info endpoint when the ID token does not carry them. */
  private async completeProfile(fromIdToken: Profile, accessToken: string, subject: string): Promise<Profile> {
    const complete = fromIdToken.email !== undefined && fromIdToken.name !== undefined;
    if (complete || !this.configuration.serverMetadata().userinfo_endpoint) return fromIdToken;
    const fromUserInfo = profileOf(await client.fetchUserInfo(this.configuration, accessToken, subject));
    const email = fromIdToken.email !== undefined ? fromIdToken : fromUserInfo;
    return withoutUndefined({
      email: email.email,
      emailVerified: email.emailVerified,
      name: fromIdToken.name ?? fromUserInfo.name,
    });
  }
}

function profileOf(claims: Record<string, unknown>): Profile {
  const { email, email_verified: verified, name } = claims;
  return withoutUndefined({
    email: typeof email === 'string' && email !== '' ? email : undefined,
    // Some providers send the boolean as a string.
    emailVerified: verified === true || verified === 'true' ? true : verified === false || verified === 'false' ? false : undefined,
    name: typeof name === 'string' && name.trim() !== '' ? name.trim() : undefined,
  });
}

function withoutUndefined(profile: ProfileFields): Profile {
  return Object.fromEntries(Object.entries(profile).filter(([, v]) => v !== undefined)) as Profile;
}

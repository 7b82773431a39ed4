import { generateKeyPairSync, randomBytes } from 'node:crypto';
import { createServer, type IncomingMessage, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';

/**
 * A real OpenID Connect provider (the `oidc-provider` package) running in-process on a loopback
 * port, for tests of sign-in through OIDC; and a browser-less user agent that walks its built-in
 * development login and consent pages with plain fetch requests.
 */

/** The one account the provider knows; sign in with login = TEST_ACCOUNT.sub and any password. */
export const TEST_ACCOUNT = {
  sub: 'hk-resident-0001',
  email: 'sample.resident@example.org',
  email_verified: true,
  name: '示例居民 Sample Resident',
} as const;

export interface TestOidcProvider {
  issuer: string;
  clientId: string;
  clientSecret: string;
  redirectUri: string;
  stop(): Promise<void>;
}

export interface TestOidcProviderOptions {
  /** The client's registered redirect URI; nothing needs to listen there. */
  redirectUri?: string;
  /**
   * Put the email and profile claims in the ID token as well (oidc-provider's default, like the
   * specification's, is to give them only at the user info endpoint when asked for by scope).
   */
  claimsInIdToken?: boolean;
}

/** The part of oidc-provider's API used here: the package ships no type declarations. */
interface ProviderInstance {
  callback(): (req: IncomingMessage, res: ServerResponse) => void;
}
type ProviderConstructor = new (issuer: string, configuration: Record<string, unknown>) => ProviderInstance;

/** Through a variable, so that TypeScript does not look for the declarations the package lacks. */
const PROVIDER_PACKAGE = 'oidc-provider';

async function loadProvider(): Promise<ProviderConstructor> {
  const module = (await import(PROVIDER_PACKAGE)) as { default: ProviderConstructor };
  return module.default;
}

function signingKey(): Record<string, unknown> {
  const { privateKey } = generateKeyPairSync('rsa', { modulusLength: 2048 });
  return { ...privateKey.export({ format: 'jwk' }), alg: 'RS256', use: 'sig', kid: randomBytes(8).toString('hex') };
}

function providerConfiguration(client: { clientId: string; clientSecret: string; redirectUri: string }, claimsInIdToken: boolean): Record<string, unknown> {
  return {
    clients: [
      {
        client_id: client.clientId,
        client_secret: client.clientSecret,
        redirect_uris: [client.redirectUri],
        grant_types: ['authorization_code'],
        response_types: ['code'],
        token_endpoint_auth_method: 'client_secret_basic',
      },
    ],
    async findAccount(_ctx: unknown, id: string) {
      if (id !== TEST_ACCOUNT.sub) return undefined;
      return { accountId: id, claims: async () => ({ ...TEST_ACCOUNT }) };
    },
    claims: { openid: ['sub'], email: ['email', 'email_verified'], profile: ['name'] },
    conformIdTokenClaims: !claimsInIdToken,
    features: { devInteractions: { enabled: true } },
    pkce: { required: () => true },
    jwks: { keys: [signingKey()] },
    cookies: { keys: [randomBytes(32).toString('hex')] },
    // Lifetimes in seconds; set so that the provider does not print a notice for each default.
    ttl: { Interaction: 600, Session: 3600, Grant: 3600, AccessToken: 600, IdToken: 600, AuthorizationCode: 60 },
  };
}

/** Starts the provider on a free loopback port. Call stop() when done. */
export async function startOidcProvider(options: TestOidcProviderOptions = {}): Promise<TestOidcProvider> {
  const Provider = await loadProvider();
  let handle: ((req: IncomingMessage, res: ServerResponse) => void) | undefined;
  const server = createServer((req, res) => {
    if (handle) handle(req, res);
    else res.writeHead(503).end();
  });
  await new Promise<void>((resolve, reject) => {
    server.once('error', reject);
    server.listen(0, '127.0.0.1', resolve);
  });
  const { port } = server.address() as AddressInfo;
  const issuer = `http://127.0.0.1:${port}`;
  const client = {
    clientId: 'zjhk-platform-test',
    clientSecret: randomBytes(24).toString('hex'),
    redirectUri: options.redirectUri ?? 'http://127.0.0.1:9/auth/oidc/callback',
  };
  handle = new Provider(issuer, providerConfiguration(client, options.claimsInIdToken ?? false)).callback();
  return {
    issuer,
    ...client,
    stop: () =>
      new Promise<void>((resolve, reject) => {
        server.close((error) => (error ? reject(error) : resolve()));
        server.closeAllConnections();
      }),
  };
}

/** Cookies by name, as a browser would keep them for one loopback host (paths are ignored). */
class CookieJar {
  private readonly cookies = new Map<string, string>();

  store(response: Response): void {
    for (const header of response.headers.getSetCookie()) {
      const [pair = '', ...attributes] = header.split(';');
      const at = pair.indexOf('=');
      if (at < 1) continue;
      const name = pair.slice(0, at).trim();
      const expired = attributes.some((a) => /^\s*max-age\s*=\s*0\s*$/i.test(a) || (/^\s*expires\s*=/i.test(a) && Date.parse(a.split('=')[1] ?? '') < Date.now()));
      if (expired) this.cookies.delete(name);
      else this.cookies.set(name, pair.slice(at + 1).trim());
    }
  }

  header(): string {
    return [...this.cookies].map(([name, value]) => `${name}=${value}`).join('; ');
  }
}

/** A page the walk did not expect, with its content so that a failing test shows what went wrong. */
class UnexpectedPageError extends Error {
  constructor(step: string, url: string, status: number, body: string) {
    super(`${step}: unexpected response ${status} from ${url}\n${body.slice(0, 4000)}`);
  }
}

function decodeEntities(text: string): string {
  return text
    .replace(/&quot;/g, '"')
    .replace(/&#39;|&#x27;/g, "'")
    .replace(/&lt;/g, '<')
    .replace(/&gt;/g, '>')
    .replace(/&amp;/g, '&');
}

function attribute(tag: string, name: string): string | undefined {
  const match = new RegExp(`\\s${name}\\s*=\\s*("([^"]*)"|'([^']*)')`, 'i').exec(tag);
  return match ? decodeEntities(match[2] ?? match[3] ?? '') : undefined;
}

/** The first post form of a page: its action and the values of its inputs. */
function parseForm(html: string): { action: string; fields: Map<string, string> } | undefined {
  const form = /<form\b[^>]*>([\s\S]*?)<\/form>/i.exec(html);
  if (!form) return undefined;
  const action = attribute(form[0].slice(0, form[0].indexOf('>') + 1), 'action');
  if (action === undefined) return undefined;
  const fields = new Map<string, string>();
  for (const input of (form[1] ?? '').match(/<input\b[^>]*>/gi) ?? []) {
    const name = attribute(input, 'name');
    if (name !== undefined) fields.set(name, attribute(input, 'value') ?? '');
  }
  return { action, fields };
}

/** The href of the link whose text contains `text`. */
function linkHref(html: string, text: string): string | undefined {
  for (const match of html.matchAll(/<a\b[^>]*>([\s\S]*?)<\/a>/gi)) {
    if ((match[1] ?? '').includes(text)) return attribute(match[0], 'href');
  }
  return undefined;
}

export interface SignInOptions {
  /** The account id typed on the login page. Default: TEST_ACCOUNT.sub. */
  login?: string;
  /** Press the login page's Cancel link instead of signing in (the provider answers access_denied). */
  cancel?: boolean;
}

/**
 * Walks the provider's development pages from an authorization URL to the redirect back to the
 * client, following redirects by hand and keeping cookies. Returns the URL the provider sends the
 * browser to (redirect URI with ?code=&state= or ?error=). Throws UnexpectedPageError, with the
 * page's HTML, when the provider shows something else.
 */
export async function signInThroughProvider(authorizationUrl: string, redirectUri: string, options: SignInOptions = {}): Promise<URL> {
  const jar = new CookieJar();
  const target = new URL(redirectUri);
  const isCallback = (url: URL) => url.origin === target.origin && url.pathname === target.pathname;
  let request: { url: URL; body?: URLSearchParams } = { url: new URL(authorizationUrl) };
  for (let hop = 0; hop < 20; hop += 1) {
    const response = await fetch(request.url, {
      method: request.body ? 'POST' : 'GET',
      redirect: 'manual',
      headers: { cookie: jar.header(), ...(request.body ? { 'content-type': 'application/x-www-form-urlencoded' } : {}) },
      ...(request.body ? { body: request.body } : {}),
    });
    jar.store(response);
    const location = response.headers.get('location');
    if (response.status >= 300 && response.status < 400 && location) {
      await response.body?.cancel();
      const next = new URL(location, request.url);
      if (isCallback(next)) return next;
      request = { url: next };
      continue;
    }
    const html = await response.text();
    if (response.status !== 200) throw new UnexpectedPageError(`hop ${hop}`, request.url.href, response.status, html);
    request = nextRequest(request.url, html, options) ?? fail(`hop ${hop}`, request.url, response.status, html);
  }
  throw new Error('the provider redirected more than 20 times');
}

function fail(step: string, url: URL, status: number, html: string): never {
  throw new UnexpectedPageError(step, url.href, status, html);
}

/** What a person would do on this page: cancel, fill in the login form, or confirm consent. */
function nextRequest(pageUrl: URL, html: string, options: SignInOptions): { url: URL; body?: URLSearchParams } | undefined {
  const form = parseForm(html);
  if (!form) return undefined;
  const prompt = form.fields.get('prompt');
  if (options.cancel) {
    const cancel = linkHref(html, 'Cancel');
    return cancel === undefined ? undefined : { url: new URL(cancel, pageUrl) };
  }
  if (prompt === 'login') {
    form.fields.set('login', options.login ?? TEST_ACCOUNT.sub);
    form.fields.set('password', 'any password: the development login does not check it');
  } else if (prompt !== 'consent') {
    return undefined;
  }
  return { url: new URL(form.action, pageUrl), body: new URLSearchParams([...form.fields]) };
}

import type { FastifyInstance, LightMyRequestResponse } from 'fastify';

/** A browser-like client for app.inject: keeps cookies, and fills in a form's CSRF token. */
export class TestClient {
  readonly cookies = new Map<string, string>();
  constructor(private readonly app: FastifyInstance) {}

  private remember(response: LightMyRequestResponse): LightMyRequestResponse {
    for (const cookie of response.cookies) {
      if (cookie.value === '' || (cookie.maxAge !== undefined && cookie.maxAge <= 0) || (cookie.expires && cookie.expires.getTime() < Date.now())) this.cookies.delete(cookie.name);
      else this.cookies.set(cookie.name, cookie.value);
    }
    return response;
  }

  private cookieHeader(): string {
    return [...this.cookies].map(([k, v]) => `${k}=${v}`).join('; ');
  }

  async get(url: string, headers: Record<string, string> = {}): Promise<LightMyRequestResponse> {
    return this.remember(await this.app.inject({ method: 'GET', url, headers: { cookie: this.cookieHeader(), ...headers } }));
  }

  /** Posts a form as a browser would: with the CSRF token from the page it was on (or none). */
  async post(url: string, fields: Record<string, string>, options: { from?: string; csrf?: boolean } = {}): Promise<LightMyRequestResponse> {
    const body = new URLSearchParams(fields);
    if (options.csrf !== false) {
      const page = await this.get(options.from ?? url);
      const token = page.body.match(/name="_csrf" value="([^"]+)"/)?.[1];
      if (!token) throw new Error(`No CSRF token on ${options.from ?? url} (status ${page.statusCode})`);
      body.set('_csrf', token);
    }
    return this.remember(
      await this.app.inject({
        method: 'POST',
        url,
        headers: { cookie: this.cookieHeader(), 'content-type': 'application/x-www-form-urlencoded' },
        payload: body.toString(),
      }),
    );
  }
}

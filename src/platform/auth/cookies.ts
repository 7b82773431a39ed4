/**
 * How the platform's cookies are named and flagged. Whether they are Secure follows the public URL,
 * not the connection: behind a proxy that ends TLS the request arrives over http, yet the browser
 * talks https and must never send the session over anything else.
 */

/** The session cookie's name on plain http (development on localhost). */
export const SESSION_COOKIE = 'zjhk_session';

/** Whether the platform is reached over https, so that every cookie it sets is Secure. */
export function secureCookies(publicUrl: string): boolean {
  return publicUrl.toLowerCase().startsWith('https:');
}

/**
 * The session cookie's name. Over https it carries the `__Host-` prefix: the browser then accepts it
 * only when Secure, for path / and without a Domain, so no other host (a sibling subdomain, a
 * man-in-the-middle on http) can plant or overwrite it. Plain http (localhost) cannot have that.
 */
export function sessionCookieName(publicUrl: string): string {
  return secureCookies(publicUrl) ? `__Host-${SESSION_COOKIE}` : SESSION_COOKIE;
}

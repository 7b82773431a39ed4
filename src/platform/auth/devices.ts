/**
 * Devices a person signed in from before: a signed cookie, bound to the account, that lets the right
 * password through while the account's address is throttled for everyone else (OWASP's "device
 * cookies"). So someone who hammers an address with wrong passwords slows down guessers, not its
 * owner. A wrong password from a known device still counts, for the address and for that device.
 *
 * The cookie holds, for up to five accounts used in that browser, `<nonce>.<issued>.<signature>`,
 * the signature being an HMAC (keys().device) over the account id, nonce and issue time: the cookie
 * names no account, and a token made for one account does not open another.
 */
import { randomBytes } from 'node:crypto';
import { keys, mac, sameMac } from '../secrets.ts';
import { secureCookies } from './cookies.ts';

/** A device is remembered this long after its last successful sign-in. */
export const DEVICE_DAYS = 180;
const MAX_TOKENS = 5;

export function deviceCookieName(publicUrl: string): string {
  return secureCookies(publicUrl) ? '__Host-zjhk_device' : 'zjhk_device';
}

function signature(userId: string, nonce: string, issued: string): string {
  return mac(keys().device, `device/v1/${userId}/${nonce}/${issued}`);
}

/** The device's id (its nonce) if the cookie holds a valid, unexpired token for this account. */
export function knownDevice(cookie: string | undefined, userId: string, now: Date): string | undefined {
  for (const token of (cookie ?? '').split('~').slice(0, MAX_TOKENS)) {
    const [nonce, issued, sig] = token.split('.');
    if (!nonce || !issued || !sig || !/^\d+$/.test(issued)) continue;
    if (now.getTime() / 1000 - Number(issued) > DEVICE_DAYS * 86_400) continue;
    if (sameMac(sig, signature(userId, nonce, issued))) return nonce;
  }
  return undefined;
}

/**
 * The cookie's new value after a successful sign-in: a fresh token for this account first (the same
 * device id if it had one), then the other accounts' tokens, at most five.
 */
export function rememberDevice(cookie: string | undefined, userId: string, now: Date): string {
  const tokens = (cookie ?? '').split('~').filter(Boolean).slice(0, MAX_TOKENS);
  const existing = knownDevice(cookie, userId, now);
  const nonce = existing ?? randomBytes(16).toString('base64url');
  const issued = String(Math.floor(now.getTime() / 1000));
  const others = tokens.filter((t) => !knownDevice(t, userId, now) && /^[\w-]+\.\d+\.[0-9a-f]+$/.test(t));
  return [`${nonce}.${issued}.${signature(userId, nonce, issued)}`, ...others].slice(0, MAX_TOKENS).join('~');
}

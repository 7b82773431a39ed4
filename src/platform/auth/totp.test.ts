import { Secret, TOTP } from 'otpauth';
import { describe, expect, it } from 'vitest';
import '../../../test/databases.ts';
import {
  hashRecoveryCode,
  legacyRecoveryHash,
  newRecoveryCodes,
  newTotpSecret,
  normaliseRecoveryCode,
  openTotpSecret,
  saltLegacyRecoveryHash,
  sealTotpSecret,
  totpQrSvg,
  totpUri,
  unsealTotpSecret,
  verifyRecoveryCode,
  verifyTotp,
} from './totp.ts';

const STEP_MS = 30_000;
/** The middle of a 30-second step, so that nothing in a test crosses into the next one. */
const now = Math.floor(Date.now() / STEP_MS) * STEP_MS + STEP_MS / 2;

function codeAt(secret: string, timestamp: number): string {
  return TOTP.generate({ secret: Secret.fromBase32(secret), algorithm: 'SHA1', digits: 6, period: 30, timestamp });
}

describe('TOTP secrets and URIs', () => {
  it('makes 160-bit base32 secrets, different every time', () => {
    const secret = newTotpSecret();
    expect(secret).toMatch(/^[A-Z2-7]{32}$/);
    expect(Secret.fromBase32(secret).bytes.length).toBe(20);
    expect(newTotpSecret()).not.toBe(secret);
  });

  it('writes the otpauth URI with the settings authenticator apps support', () => {
    const secret = newTotpSecret();
    const uri = new URL(totpUri({ secret, account: 'chan@example.org', issuer: '浙港合作平台 ZJ-HK Platform' }));
    expect(uri.protocol).toBe('otpauth:');
    expect(uri.searchParams.get('secret')).toBe(secret);
    expect(uri.searchParams.get('issuer')).toBe('浙港合作平台 ZJ-HK Platform');
    expect(uri.searchParams.get('algorithm')).toBe('SHA1');
    expect(uri.searchParams.get('digits')).toBe('6');
    expect(uri.searchParams.get('period')).toBe('30');
    expect(decodeURIComponent(uri.pathname)).toContain('chan@example.org');
  });
});

describe('the TOTP QR code', () => {
  it('is an SVG without style attributes, labelled for screen readers', async () => {
    const uri = totpUri({ secret: newTotpSecret(), account: 'chan@example.org', issuer: 'ZJ-HK' });
    const svg = await totpQrSvg(uri, { label: 'QR code for "ZJ-HK" <authenticator>' });
    expect(svg.startsWith('<svg role="img" aria-label="QR code for &quot;ZJ-HK&quot; &lt;authenticator&gt;"')).toBe(true);
    expect(svg).toMatch(/<\/svg>$/);
    expect(svg).not.toMatch(/style/i);
    expect(svg).toContain('viewBox=');
  });
});

describe('verifyTotp', () => {
  const secret = newTotpSecret();
  const currentStep = Math.floor(now / STEP_MS);

  it('accepts the current code and returns its step', () => {
    expect(verifyTotp({ secret, code: codeAt(secret, now), now })).toEqual({ ok: true, step: currentStep });
  });

  it('accepts one step either side and reports that step', () => {
    expect(verifyTotp({ secret, code: codeAt(secret, now - STEP_MS), now })).toEqual({ ok: true, step: currentStep - 1 });
    expect(verifyTotp({ secret, code: codeAt(secret, now + STEP_MS), now })).toEqual({ ok: true, step: currentStep + 1 });
  });

  it('accepts a code generated at the real current time', () => {
    const code = codeAt(secret, Date.now());
    expect(verifyTotp({ secret, code }).ok).toBe(true);
  });

  it('refuses a code from two steps ago', () => {
    expect(verifyTotp({ secret, code: codeAt(secret, now - 2 * STEP_MS), now })).toEqual({ ok: false });
  });

  it('refuses a code for another secret', () => {
    expect(verifyTotp({ secret, code: codeAt(newTotpSecret(), now), now }).ok).toBe(false);
  });

  it('refuses a replay of the same step, and any earlier step', () => {
    const code = codeAt(secret, now);
    const first = verifyTotp({ secret, code, now });
    expect(first).toEqual({ ok: true, step: currentStep });
    expect(verifyTotp({ secret, code, now, lastUsedStep: currentStep })).toEqual({ ok: false });
    expect(verifyTotp({ secret, code: codeAt(secret, now - STEP_MS), now, lastUsedStep: currentStep })).toEqual({ ok: false });
    expect(verifyTotp({ secret, code: codeAt(secret, now + STEP_MS), now, lastUsedStep: currentStep })).toEqual({ ok: true, step: currentStep + 1 });
    expect(verifyTotp({ secret, code, now, lastUsedStep: null })).toEqual({ ok: true, step: currentStep });
  });

  it('accepts spaces and full-width digits as typed', () => {
    const code = codeAt(secret, now);
    expect(verifyTotp({ secret, code: ` ${code.slice(0, 3)} ${code.slice(3)} `, now }).ok).toBe(true);
    const fullWidth = [...code].map((d) => String.fromCharCode(0xff10 + Number(d))).join('');
    expect(verifyTotp({ secret, code: fullWidth, now }).ok).toBe(true);
  });

  it('refuses garbage', () => {
    const code = codeAt(secret, now);
    for (const input of ['', '12345', '1234567', 'abcdef', `${code}0`, code.replace(/\d$/, 'x'), '１２３', '-12345', '1e5000']) {
      expect(verifyTotp({ secret, code: input, now }), input).toEqual({ ok: false });
    }
  });
});

describe('recovery codes', () => {
  it('are unique, well-formed and free of look-alike characters', () => {
    const codes = newRecoveryCodes();
    expect(codes).toHaveLength(10);
    expect(new Set(codes).size).toBe(10);
    for (const code of codes) expect(code).toMatch(/^[a-hjkmnp-z2-9]{5}-[a-hjkmnp-z2-9]{5}$/);
    expect(codes.join('')).not.toMatch(/[01oli]/);
    expect(newRecoveryCodes(3)).toHaveLength(3);
  });

  it('are spread over the whole alphabet', () => {
    const seen = new Set(newRecoveryCodes(200).join('').replace(/-/g, ''));
    expect(seen.size).toBe(31);
  });

  it('match the same regardless of case, dashes, spaces or full-width input', async () => {
    const [code] = newRecoveryCodes(1);
    if (code === undefined) throw new Error('no code');
    const hash = await hashRecoveryCode(code);
    expect(hash).toMatch(/^scrypt\$[\w-]{22}\$[\w-]{43}$/);
    const compact = code.replace('-', '');
    const fullWidth = [...code.toUpperCase()].map((c) => String.fromCharCode(c.charCodeAt(0) + 0xfee0)).join('');
    for (const variant of [code.toUpperCase(), compact, ` ${code.slice(0, 5)} ${code.slice(6)} `, code.replace('-', '–'), fullWidth]) {
      expect(normaliseRecoveryCode(variant), variant).toBe(compact);
      expect(await verifyRecoveryCode(variant, hash), variant).toBe(true);
    }
    expect(await verifyRecoveryCode(newRecoveryCodes(1)[0] ?? '', hash)).toBe(false);
  });

  it('are hashed with a salt of their own: the same code never hashes the same twice', async () => {
    const code = 'abcde-fghjk';
    const [first, second] = [await hashRecoveryCode(code), await hashRecoveryCode(code)];
    expect(first).not.toBe(second);
    expect(first).not.toContain(legacyRecoveryHash(code));
    expect(await verifyRecoveryCode(code, first)).toBe(true);
    expect(await verifyRecoveryCode(code, second)).toBe(true);
  });

  it('stored unsalted before keep working once salted in place, and nothing else does', async () => {
    const code = 'mnpqr-stuvw';
    const salted = await saltLegacyRecoveryHash(legacyRecoveryHash(code));
    expect(salted).toMatch(/^scrypt-sha256\$/);
    expect(await verifyRecoveryCode('MNPQR STUVW', salted)).toBe(true);
    expect(await verifyRecoveryCode('mnpqr-stuvx', salted)).toBe(false);
    // The bare unsalted hash is no longer a form that anything accepts.
    expect(await verifyRecoveryCode(code, legacyRecoveryHash(code))).toBe(false);
  });
});

describe('two-step secrets at rest', () => {
  it('are sealed under the two-step key, bound to their account', () => {
    const secret = newTotpSecret();
    const sealed = sealTotpSecret('user-a', secret);
    expect(sealed).toMatch(/^v1:/);
    expect(sealed).not.toContain(secret);
    expect(sealTotpSecret('user-a', secret)).not.toBe(sealed);
    expect(unsealTotpSecret('user-a', sealed)).toBe(secret);
    // Copied onto another account, or opened with another key, it does not open.
    expect(() => unsealTotpSecret('user-b', sealed)).toThrow();
    expect(() => unsealTotpSecret('user-a', sealed, Buffer.alloc(32, 7))).toThrow();
  });

  it('one that cannot be opened (restored under another key, altered) reads as no secret, not as an error', () => {
    const secret = newTotpSecret();
    expect(openTotpSecret('user-a', sealTotpSecret('user-a', secret))).toBe(secret);
    expect(openTotpSecret('user-a', sealTotpSecret('user-a', secret, Buffer.alloc(32, 7)))).toBeUndefined();
    expect(openTotpSecret('user-a', 'v1:AAAA')).toBeUndefined();
  });
});

import { performance } from 'node:perf_hooks';
import { Algorithm, hash } from '@node-rs/argon2';
import { describe, expect, it } from 'vitest';
import { checkPasswordPolicy, DUMMY_PASSWORD_HASH, hashPassword, needsRehash, verifyPassword, verifyPasswordTiming } from './passwords.ts';

describe('password hashing', () => {
  it('hashes with Argon2id and the OWASP parameters, salted', async () => {
    const first = await hashPassword('correct horse battery staple');
    expect(first).toMatch(/^\$argon2id\$v=19\$m=19456,t=2,p=1\$[A-Za-z0-9+/]{22}\$[A-Za-z0-9+/]{43}$/);
    expect(await hashPassword('correct horse battery staple')).not.toBe(first);
  });

  it('verifies the right password and refuses a wrong one', async () => {
    const stored = await hashPassword('correct horse battery staple');
    expect(await verifyPassword(stored, 'correct horse battery staple')).toBe(true);
    expect(await verifyPassword(stored, 'correct horse battery stapler')).toBe(false);
    expect(await verifyPassword(stored, '')).toBe(false);
  });

  it('treats full-width and half-width forms of a password alike', async () => {
    const stored = await hashPassword('Tea in Hangzhou 2024');
    const fullWidth = [...'Tea in Hangzhou 2024'].map((c) => (c === ' ' ? '\u3000' : String.fromCharCode(c.charCodeAt(0) + 0xfee0))).join('');
    expect(await verifyPassword(stored, fullWidth)).toBe(true);
  });

  it('answers false, without throwing, for a malformed hash', async () => {
    for (const bad of ['', 'not a hash', '$argon2id$v=19$m=19456,t=2,p=1$short', '$2b$10$abcdefghijklmnopqrstuvABCDEFGHIJKLMNOPQRSTUVWXYZ01234']) {
      await expect(verifyPassword(bad, 'whatever password'), bad).resolves.toBe(false);
    }
  });

  it('asks for a rehash when the parameters are not today’s', async () => {
    expect(needsRehash(await hashPassword('correct horse battery staple'))).toBe(false);
    const older = await hash('correct horse battery staple', { algorithm: Algorithm.Argon2id, memoryCost: 4096, timeCost: 3, parallelism: 1 });
    expect(needsRehash(older)).toBe(true);
    const otherAlgorithm = await hash('correct horse battery staple', { algorithm: Algorithm.Argon2i, memoryCost: 19_456, timeCost: 2, parallelism: 1 });
    expect(needsRehash(otherAlgorithm)).toBe(true);
    expect(await verifyPassword(older, 'correct horse battery staple')).toBe(true);
    expect(needsRehash('not a hash')).toBe(true);
  });
});

describe('the timing of a sign-in without an account', () => {
  it('uses a dummy hash with today’s parameters that no password matches', async () => {
    expect(needsRehash(DUMMY_PASSWORD_HASH)).toBe(false);
    await expect(verifyPasswordTiming('correct horse battery staple')).resolves.toBe(false);
    await expect(verifyPasswordTiming('')).resolves.toBe(false);
  });

  it('spends about as long as a real verification', async () => {
    const stored = await hashPassword('correct horse battery staple');
    const time = async (run: () => Promise<unknown>) => {
      const start = performance.now();
      await run();
      return performance.now() - start;
    };
    // Interleaved, and the fastest of each kept: the least disturbed by other work on the machine.
    let real = Infinity;
    let dummy = Infinity;
    for (let i = 0; i < 7; i += 1) {
      real = Math.min(real, await time(() => verifyPassword(stored, 'a wrong password here')));
      dummy = Math.min(dummy, await time(() => verifyPasswordTiming('a wrong password here')));
    }
    expect(dummy).toBeGreaterThan(real / 3);
    expect(dummy).toBeLessThan(real * 3);
  });
});

describe('checkPasswordPolicy', () => {
  it('accepts a long, unremarkable password', () => {
    expect(checkPasswordPolicy('violet tram to West Lake at dusk', { email: 'chan@example.org', displayName: 'Sample Resident' })).toEqual([]);
    expect(checkPasswordPolicy('Xq7#mP2$vL9@')).toEqual([]);
    expect(checkPasswordPolicy('西湖邊的龍井茶很好喝呢對吧')).toEqual([]);
  });

  it('counts characters, not UTF-16 units, for the length limits', () => {
    expect(checkPasswordPolicy('Xq7#mP2$vL9')).toEqual(['too_short']);
    expect(checkPasswordPolicy('🍵🍵🍵🍵🍵🍵🍵🍵🍵🍵🍵').includes('too_short')).toBe(true);
    expect(checkPasswordPolicy(randomish(128))).toEqual([]);
    expect(checkPasswordPolicy(randomish(129))).toEqual(['too_long']);
  });

  it('refuses the email address, or its name part decorated with digits', () => {
    expect(checkPasswordPolicy('chan.taiman@example.org', { email: 'Chan.TaiMan@example.org' })).toContain('same_as_email');
    expect(checkPasswordPolicy('ChanTaiMan2024!', { email: 'chan.taiman@example.org' })).toContain('same_as_email');
    expect(checkPasswordPolicy('chan.taiman123456', { email: 'chan.taiman@example.org' })).toContain('same_as_email');
    expect(checkPasswordPolicy('chan.taiman likes dim sum', { email: 'chan.taiman@example.org' })).not.toContain('same_as_email');
  });

  it('refuses the display name decorated with digits', () => {
    expect(checkPasswordPolicy('Sample Resident 1990!!', { displayName: 'Sample Resident' })).toEqual(['same_as_name']);
    expect(checkPasswordPolicy('示例居民1990010199', { displayName: '示例居民' })).toEqual(['same_as_name']);
    expect(checkPasswordPolicy('示例居民在杭州喝龍井茶', { displayName: '示例居民' })).toEqual(['too_short']);
  });

  it('refuses common passwords, also decorated or with symbols for letters', () => {
    for (const password of ['password123456', 'Password2024!', 'P@ssw0rd2024!', 'iloveyou12345', '123Welcome!!!', 'woaini13145200', 'HongKong2024!!', 'qwerty123456789']) {
      expect(checkPasswordPolicy(password), password).toContain('common');
    }
    expect(checkPasswordPolicy('password')).toEqual(['too_short', 'common']);
    expect(checkPasswordPolicy('passwordless sign-in rocks')).not.toContain('common');
  });

  it('refuses repeated characters, repeated chunks and runs', () => {
    for (const password of ['aaaaaaaaaaaa', '121212121212', 'abcabcabcabc', 'passwordpassword', '123456789012', '987654321098', 'abcdefghijklm', 'qwertyuiopas', 'ZYXWVUTSRQPO']) {
      expect(checkPasswordPolicy(password), password).toContain('repetitive');
    }
    expect(checkPasswordPolicy('ab12cd34ef56gh')).not.toContain('repetitive');
  });
});

/** A long password without patterns: every character differs from its neighbours. */
function randomish(length: number): string {
  const alphabet = 'Kp4#vX9mQ2$tL7wR';
  let out = '';
  for (let i = 0; i < length; i += 1) out += alphabet[(i * 7 + Math.floor(i / 16)) % alphabet.length];
  return out;
}

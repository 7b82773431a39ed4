import { Algorithm, hash, parseOptions, verify } from '@node-rs/argon2';

/**
 * Password hashing (Argon2id) and the password policy.
 *
 * Parameters follow the OWASP Password Storage Cheat Sheet's first Argon2id option: 19 MiB of memory,
 * 2 passes, 1 lane. One hash or verification takes about 20–30 ms on the development machine. When
 * these change, `needsRehash` tells the sign-in code to store a fresh hash after a successful check.
 *
 * Passwords are normalised with Unicode NFKC before hashing (as NIST SP 800-63B suggests), so that
 * full-width and half-width forms typed through different input methods give the same password.
 */
const PARAMETERS = {
  algorithm: Algorithm.Argon2id,
  memoryCost: 19_456,
  timeCost: 2,
  parallelism: 1,
  outputLen: 32,
} as const;

/** Argon2 version 0x13 (19), the current one; `Version.V0x13` in @node-rs/argon2. */
const VERSION_0X13 = 1;

const MIN_PASSWORD_LENGTH = 12;
const MAX_PASSWORD_LENGTH = 128;

function normalise(password: string): string {
  return password.normalize('NFKC');
}

/** A PHC-format Argon2id hash ('$argon2id$v=19$m=19456,t=2,p=1$salt$hash') of the password. */
export function hashPassword(password: string): Promise<string> {
  return hash(normalise(password), PARAMETERS);
}

/** Whether the password matches the hash; false (never an exception) for a malformed hash. */
export async function verifyPassword(passwordHash: string, password: string): Promise<boolean> {
  try {
    return await verify(passwordHash, normalise(password));
  } catch {
    return false;
  }
}

/** Whether the hash was made with other parameters than today's (or cannot be read) and should be replaced. */
export function needsRehash(passwordHash: string): boolean {
  try {
    const used = parseOptions(passwordHash);
    return (
      used.algorithm !== PARAMETERS.algorithm ||
      used.version !== VERSION_0X13 ||
      used.memoryCost !== PARAMETERS.memoryCost ||
      used.timeCost !== PARAMETERS.timeCost ||
      used.parallelism !== PARAMETERS.parallelism ||
      used.outputLen !== PARAMETERS.outputLen
    );
  } catch {
    return true;
  }
}

/**
 * A hash, with today's parameters, of a random password nobody knows. Verifying against it costs the
 * same as verifying a real password (a test checks that its parameters stay current).
 */
export const DUMMY_PASSWORD_HASH = '$argon2id$v=19$m=19456,t=2,p=1$ipCjHLDUVSHF6eg4GYl8Lg$R8i339/iPZKs0arrWPBhFOlauhgR41xeaeDZavGXkSM';

/**
 * Spends the time of one password verification and answers false. Call it when sign-in finds no
 * account (or no password) for the email, so that the response time does not tell an attacker
 * which emails have accounts.
 */
export async function verifyPasswordTiming(password: string): Promise<false> {
  await verifyPassword(DUMMY_PASSWORD_HASH, password);
  return false;
}

/** What is wrong with a new password; stable codes that the interface translates. */
export type PasswordProblem = 'too_short' | 'too_long' | 'same_as_email' | 'same_as_name' | 'common' | 'repetitive';

/**
 * Checks a new password against the policy (NIST SP 800-63B style: length and a block list, no
 * composition rules). Returns every problem found; an empty list means the password is acceptable.
 */
export function checkPasswordPolicy(password: string, { email, displayName }: { email?: string | null; displayName?: string | null } = {}): PasswordProblem[] {
  const normalised = normalise(password);
  const length = [...normalised].length;
  const problems: PasswordProblem[] = [];
  if (length < MIN_PASSWORD_LENGTH) problems.push('too_short');
  if (length > MAX_PASSWORD_LENGTH) problems.push('too_long');
  const folded = fold(normalised);
  if (email && isBasedOn(folded, emailIdentifiers(email))) problems.push('same_as_email');
  if (displayName && isBasedOn(folded, [fold(displayName)])) problems.push('same_as_name');
  if (isCommon(folded)) problems.push('common');
  if (isRepetitive(folded)) problems.push('repetitive');
  return problems;
}

/** Lower case without white space: the form in which passwords are compared with words and names. */
function fold(text: string): string {
  return text.normalize('NFKC').toLowerCase().replace(/\s+/g, '');
}

/** Digits and punctuation that people tack onto a word to satisfy a rule ('password2024!'). */
const DECORATION = /^[^\p{L}]*|[^\p{L}]*$/gu;

function core(folded: string): string {
  return folded.replace(DECORATION, '');
}

function emailIdentifiers(email: string): string[] {
  const address = fold(email);
  const local = address.split('@')[0] ?? '';
  return [address, local, local.replace(/[._+-]/g, '')];
}

/** The password is the identifier itself, or the identifier decorated with digits and punctuation. */
function isBasedOn(folded: string, identifiers: string[]): boolean {
  return identifiers.some((id) => [...id].length >= 2 && (folded === id || (folded.includes(id) && folded.replace(id, '').replace(/[^\p{L}]/gu, '') === '')));
}

const LEET: Record<string, string> = { '@': 'a', '4': 'a', '3': 'e', '1': 'i', '!': 'i', '0': 'o', $: 's', '5': 's', '7': 't' };

function unleet(text: string): string {
  return text.replace(/[@431!0$57]/g, (c) => LEET[c] ?? c);
}

function isCommon(folded: string): boolean {
  const word = core(folded);
  return [folded, word, unleet(word), core(unleet(folded))].some((candidate) => candidate !== '' && COMMON_PASSWORDS.has(candidate));
}

/** Alphabet, digit and keyboard runs, long enough to hold any allowed password. */
const SEQUENCES = ['abcdefghijklmnopqrstuvwxyz', '0123456789', 'qwertyuiopasdfghjklzxcvbnm', '1qaz2wsx3edc4rfv5tgb6yhn7ujm8ik9ol0p', 'qwertyuiop', 'asdfghjkl', 'zxcvbnm']
  .flatMap((run) => [run, [...run].reverse().join('')])
  .map((run) => run.repeat(Math.ceil((MAX_PASSWORD_LENGTH + run.length) / run.length)));

/**
 * Few distinct characters ('aaaaaaaaaaaa', '121212121212'), one chunk repeated ('passwordpassword'),
 * or a run along the alphabet, the digits or the keyboard ('123456789012', 'qwertyuiopas').
 */
function isRepetitive(folded: string): boolean {
  if (folded === '') return false;
  if (new Set(folded).size < 4) return true;
  if (/^(.+)\1+$/su.test(folded)) return true;
  return SEQUENCES.some((run) => run.includes(folded));
}

/**
 * The most common passwords in public breach corpora (SecLists and NCSC top lists, NordPass yearly
 * lists), with common Chinese-pinyin ones and place names of this platform. Lower case; compared
 * with the password itself, with the password stripped of leading and trailing digits and
 * punctuation, and with simple letter-for-symbol swaps undone ('P@ssw0rd2024!' -> 'password').
 */
const COMMON_PASSWORDS: ReadonlySet<string> = new Set([
  '123456',
  '123456789',
  '12345678',
  '12345',
  '1234567',
  '1234567890',
  '123123',
  '111111',
  '000000',
  '654321',
  '666666',
  '888888',
  '121212',
  '112233',
  '123321',
  '159753',
  '147258369',
  '987654321',
  '7777777',
  '5201314',
  '1314520',
  '520520',
  '11223344',
  '147258',
  '159357',
  '123654',
  '1q2w3e4r',
  '1q2w3e4r5t',
  '1qaz2wsx',
  '1qazxsw2',
  'qazwsx',
  'qwerty',
  'qwertyuiop',
  'qwerty123',
  'qwer1234',
  'asdfgh',
  'asdfghjkl',
  'asdf1234',
  'zxcvbnm',
  'zxcvbn',
  'qweasd',
  'qweasdzxc',
  'zaq12wsx',
  'abc123',
  'abcd1234',
  'abcdef',
  'abcdefg',
  'a123456',
  'aa123456',
  'a1b2c3',
  'password',
  'passw0rd',
  'passwort',
  'password1',
  'pass',
  'pass1234',
  'letmein',
  'welcome',
  'welcome1',
  'admin',
  'administrator',
  'root',
  'toor',
  'guest',
  'login',
  'master',
  'changeme',
  'secret',
  'default',
  'test',
  'test1234',
  'testing',
  'user',
  'temp',
  'access',
  'trustno1',
  'iloveyou',
  'loveyou',
  'lovely',
  'love',
  'princess',
  'sunshine',
  'starwars',
  'football',
  'baseball',
  'basketball',
  'soccer',
  'hockey',
  'superman',
  'batman',
  'spiderman',
  'pokemon',
  'naruto',
  'minecraft',
  'dragon',
  'monkey',
  'shadow',
  'michael',
  'jennifer',
  'jordan',
  'jordan23',
  'hunter',
  'hunter2',
  'ranger',
  'buster',
  'tigger',
  'charlie',
  'daniel',
  'andrew',
  'thomas',
  'robert',
  'jessica',
  'ashley',
  'michelle',
  'nicole',
  'hannah',
  'maggie',
  'ginger',
  'pepper',
  'cookie',
  'chocolate',
  'cheese',
  'banana',
  'orange',
  'purple',
  'flower',
  'summer',
  'winter',
  'freedom',
  'whatever',
  'nothing',
  'computer',
  'internet',
  'samsung',
  'google',
  'facebook',
  'iphone',
  'apple',
  'microsoft',
  'killer',
  'matrix',
  'mustang',
  'corvette',
  'ferrari',
  'harley',
  'yankees',
  'liverpool',
  'chelsea',
  'arsenal',
  'qwertyui',
  'azerty',
  'q1w2e3r4',
  'q1w2e3r4t5',
  'zaq1zaq1',
  'asdasd',
  'qweqwe',
  'aaaaaa',
  'abcabc',
  'blink182',
  'secret123',
  'admin123',
  'root123',
  'password123',
  'welcome123',
  'iloveyou1',
  'princess1',
  'sunshine1',
  'monkey1',
  'dragon1',
  'fuckyou',
  'fuckoff',
  'asshole',
  'biteme',
  'cheater',
  'sexy',
  'lovers',
  'angel',
  'angels',
  'babygirl',
  'woaini',
  'woaini1314',
  'woaini520',
  'wodemima',
  'mima',
  'mima123',
  'nihao',
  'nihao123',
  'aini1314',
  'a5201314',
  'woaiwojia',
  'zhangwei',
  'wangwei',
  'liwei',
  'zhanglei',
  'qq123456',
  'qqqqqq',
  'wang123',
  'li123456',
  'zhang123',
  'hongkong',
  'xianggang',
  'zhejiang',
  'hangzhou',
  'ningbo',
  'wenzhou',
  'shanghai',
  'beijing',
  'shenzhen',
  'china',
  'zjhk',
  'zjhkplatform',
  'platform',
  'cooperation',
  'agreement',
  'government',
  'gov',
  'cmab',
  'hksar',
  'zhejianghongkong',
]);

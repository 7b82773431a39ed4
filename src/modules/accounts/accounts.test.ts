import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { testApp, type TestApp } from '../../../test/app.ts';
import { TestClient } from '../../../test/client.ts';
import { DATABASES } from '../../../test/databases.ts';
import { verifyAuditTrail } from '../../platform/audit/audit.ts';

const PASSWORD = 'plum blossom harbour ferry';

describe.each(DATABASES)('accounts on %s', (kind) => {
  let t: TestApp;
  beforeAll(async () => {
    t = await testApp(kind);
  });
  afterAll(async () => {
    await t.close();
  });

  /** The link in the newest message sent to an address. */
  const lastLink = async (to: string): Promise<string> => {
    const mail = await t.database.db.kysely.selectFrom('mail_outbox').select(['text_body']).where('to_address', '=', to).orderBy('id', 'desc').executeTakeFirstOrThrow();
    const link = mail.text_body.match(/https?:\/\/\S+/)?.[0];
    if (!link) throw new Error(`no link in ${mail.text_body}`);
    const url = new URL(link);
    return `${url.pathname}${url.search}`;
  };
  /** An account with PASSWORD and a confirmed address, made as a visitor makes one. */
  const registered = async (email: string, displayName: string, locale: 'zh-Hant' | 'zh-Hans' | 'en' = 'en'): Promise<void> => {
    const client = new TestClient(t.app);
    const register = await client.post('/en/register', { displayName, email, password: PASSWORD, confirmPassword: PASSWORD, locale });
    expect(register.statusCode).toBe(200);
    expect((await client.get(await lastLink(email))).statusCode).toBe(200);
  };
  /** A client signed in to an account with PASSWORD. */
  const signedInAs = async (email: string): Promise<TestClient> => {
    const client = new TestClient(t.app);
    expect((await client.post('/en/login', { email, password: PASSWORD })).statusCode).toBe(303);
    return client;
  };
  const users = () => t.database.db.kysely.selectFrom('users').select(['id', 'email', 'password_hash']);

  it('registers, confirms the email from the emailed link, signs in, out and in again', async () => {
    const client = new TestClient(t.app);
    const register = await client.post('/en/register', { displayName: 'Sample Resident', email: 'tai.man@example.org', password: PASSWORD, confirmPassword: PASSWORD, locale: 'zh-Hant' });
    expect(register.statusCode).toBe(200);
    expect(register.body).toContain('We have sent a message to tai.man@example.org with the next step');
    // Nobody is signed in by registering: the answer must not differ from an address that has an account.
    expect(client.cookies.has('zjhk_session')).toBe(false);
    const mail = await t.database.db.kysely.selectFrom('mail_outbox').selectAll().where('to_address', '=', 'tai.man@example.org').executeTakeFirstOrThrow();
    expect(mail).toMatchObject({ locale: 'zh-Hant', subject: '確認你的電郵地址', state: 'queued' });
    expect(mail.text_body).toContain('Sample Resident：');
    expect(mail.text_body).toContain('/zh-hant/verify-email?token=');

    const verified = await client.get(await lastLink('tai.man@example.org'));
    expect(verified.body).toContain('你的電郵地址已確認');
    const first = await client.post('/en/login', { email: 'tai.man@example.org', password: PASSWORD, next: '/en/account' });
    expect(first.headers.location).toBe('/en/account');
    const session = first.cookies.find((c) => c.name === 'zjhk_session');
    expect(session).toMatchObject({ httpOnly: true, sameSite: 'Lax', path: '/' });
    expect(session?.secure).toBeFalsy();
    const account = await client.get('/en/account');
    expect(account.statusCode).toBe(200);
    expect(account.body).toContain('Sample Resident');
    expect(account.body).toContain('Resident');

    const out = await client.post('/en/logout', {}, { from: '/en/account' });
    expect(out.headers.location).toBe('/en/login?signed-out');
    expect(client.cookies.has('zjhk_session')).toBe(false);
    expect((await client.get('/en/account')).headers.location).toBe('/en/login?next=%2Fen%2Faccount');

    const login = await client.post('/en/login', { email: 'TAI.MAN@example.org', password: PASSWORD, next: '/en/agreements/zjhk-2023' });
    expect(login.statusCode).toBe(303);
    expect(login.headers.location).toBe('/en/agreements/zjhk-2023');
    expect((await client.get('/en/agreements/zjhk-2023')).body).toContain('Sample Resident');

    const { id } = await users().where('email', '=', 'tai.man@example.org').executeTakeFirstOrThrow();
    const actions = (await t.database.db.kysely.selectFrom('audit_events').select('action').where('entity_type', 'in', ['user', 'sign-in']).where('entity_id', '=', id).orderBy('id').execute()).map(
      (r) => r.action,
    );
    expect(actions).toEqual(['user.registered', 'user.email_verified', 'user.signed_in', 'user.signed_out', 'user.signed_in']);
    expect((await verifyAuditTrail(t.database.db.kysely)).broken).toBeUndefined();
  });

  it('shows every problem beside its field, in the visitor’s language, keeping what was typed', async () => {
    const before = await users().execute();
    const client = new TestClient(t.app);
    const response = await client.post('/zh-hans/register', { displayName: '', email: 'not-an-address', password: 'password1234', confirmPassword: 'x', locale: 'fr' });
    expect(response.statusCode).toBe(200);
    expect(response.body).toContain('请更正以下问题');
    expect(response.body).toContain('请填写此项');
    expect(response.body).toContain('请输入有效的电子邮箱地址');
    expect(response.body).toContain('此密码过于常见');
    expect(response.body).toContain('value="not-an-address"');
    expect(response.body).toContain('aria-invalid="true"');
    expect(response.body).not.toContain('password1234');
    expect(await users().execute()).toHaveLength(before.length);
  });

  it('refuses a form without its CSRF token', async () => {
    const client = new TestClient(t.app);
    const response = await client.post('/en/login', { email: 'tai.man@example.org', password: PASSWORD }, { csrf: false });
    expect(response.statusCode).toBe(403);
    expect(client.cookies.has('zjhk_session')).toBe(false);
  });

  it('gives one answer for a wrong password and an unknown address, and makes further guesses wait', async () => {
    await registered('chan.guess@example.org', 'Chan Guess');
    const client = new TestClient(t.app, { ip: '198.51.100.7' });
    const unknown = await client.post('/en/login', { email: 'nobody@example.org', password: PASSWORD });
    expect(unknown.body).toContain('The email address or password is not right');
    for (let i = 0; i < 4; i += 1) {
      const wrong = await client.post('/en/login', { email: 'chan.guess@example.org', password: `wrong password ${i}` });
      expect(wrong.body).toContain('The email address or password is not right');
    }
    // Three failures are free; the fourth makes the next attempt wait 5 seconds, not 15 minutes.
    const refused = await client.post('/en/login', { email: 'chan.guess@example.org', password: PASSWORD });
    expect(refused.statusCode).toBe(429);
    expect(Number(refused.headers['retry-after'])).toBeGreaterThan(0);
    expect(Number(refused.headers['retry-after'])).toBeLessThanOrEqual(5);
    expect(refused.body).toMatch(/Too many unsuccessful attempts\. Please try again in [1-5] seconds?\./);
    expect(client.cookies.has('zjhk_session')).toBe(false);
    await t.database.db.kysely.deleteFrom('sign_in_throttles').execute();
  });

  it('resets a forgotten password by email, ends every other session, and uses the link once', async () => {
    // An account in Traditional Chinese, signed in elsewhere: a reset password must end that session.
    await registered('lee.forgot@example.org', 'Lee Forgot', 'zh-Hant');
    const signedIn = await signedInAs('lee.forgot@example.org');
    expect((await signedIn.get('/en/account')).statusCode).toBe(200);
    const client = new TestClient(t.app);
    const sent = await client.post('/en/forgot-password', { email: 'lee.forgot@example.org' });
    expect(sent.body).toContain('A message is on its way to that address');
    const same = await client.post('/en/forgot-password', { email: 'nobody@example.org' });
    expect(same.body).toContain('A message is on its way to that address');
    // However often it is asked for, an account is sent at most three reset links an hour.
    for (let i = 0; i < 4; i += 1) await client.post('/en/forgot-password', { email: 'lee.forgot@example.org' });
    const resets = await t.database.db.kysely.selectFrom('user_tokens').select('id').where('purpose', '=', 'reset-password').where('email', '=', 'lee.forgot@example.org').execute();
    expect(resets).toHaveLength(3);
    const link = await lastLink('lee.forgot@example.org');
    expect(link).toMatch(/^\/zh-hant\/reset-password\?token=/);
    const enLink = link.replace('/zh-hant/', '/en/');
    const weak = await client.post('/en/reset-password', { token: new URLSearchParams(link.split('?')[1]).get('token') ?? '', password: 'short', confirmPassword: 'short' }, { from: enLink });
    expect(weak.body).toContain('Use at least 12 characters');
    const token = new URLSearchParams(link.split('?')[1]).get('token') ?? '';
    const done = await client.post('/en/reset-password', { token, password: 'a new and longer passphrase', confirmPassword: 'a new and longer passphrase' }, { from: enLink });
    expect(done.body).toContain('Your password has been changed');
    const again = await client.post('/en/reset-password', { token, password: 'another long passphrase', confirmPassword: 'another long passphrase' }, { from: enLink });
    expect(again.body).toContain('This link does not work');
    expect((await signedIn.get('/en/account')).headers.location).toBe('/en/login?next=%2Fen%2Faccount');
    const { password_hash } = await users().where('email', '=', 'lee.forgot@example.org').executeTakeFirstOrThrow();
    expect(password_hash).toMatch(/^\$argon2id\$/);
  });

  it('changes the email address only when a link sent to the new address is opened, and tells the old one', async () => {
    await registered('wong.taken@example.org', 'Wong Taken');
    const client = new TestClient(t.app);
    await client.post('/en/register', { displayName: 'Ho Mei', email: 'mei@example.org', password: PASSWORD, confirmPassword: PASSWORD, locale: 'en' });
    await client.get(await lastLink('mei@example.org'));
    expect((await client.post('/en/login', { email: 'mei@example.org', password: PASSWORD })).statusCode).toBe(303);
    const wrong = await client.post('/en/account/email', { newEmail: 'mei@example.com', password: 'not my password' });
    expect(wrong.body).toContain('The password is not right');
    const taken = await client.post('/en/account/email', { newEmail: 'wong.taken@example.org', password: PASSWORD });
    expect(taken.body).toContain('An account with this email address already exists');
    const sent = await client.post('/en/account/email', { newEmail: 'mei@example.com', password: PASSWORD });
    expect(sent.body).toContain('We have sent a link to mei@example.com');
    expect((await client.get('/en/account')).body).toContain('mei@example.org');
    const done = await new TestClient(t.app).get(await lastLink('mei@example.com'));
    expect(done.body).toContain('Your email address is now mei@example.com');
    expect((await client.get('/en/account')).body).toContain('mei@example.com');
    const notice = await t.database.db.kysely.selectFrom('mail_outbox').select(['subject']).where('to_address', '=', 'mei@example.org').orderBy('id', 'desc').executeTakeFirstOrThrow();
    expect(notice.subject).toBe('Your email address has been changed');
  });
});

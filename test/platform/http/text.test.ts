import { describe, expect, it } from 'vitest';
import { testAppFor } from '../../app.ts';
import { TestClient } from '../../client.ts';
import { DATABASES } from '../../databases.ts';
import { clearRateLimits, ENQUIRY_FIELDS } from '../../../src/modules/enquiries/testing.ts';
import { Fields, Optional, readForm, Text } from '../../../src/platform/http/forms.ts';
import { hasBadText, parseUrlEncoded, withoutBadText } from '../../../src/platform/http/text.ts';

describe('text no field may carry', () => {
  it('refuses control characters but tab, line feed and CR LF; lone surrogates; and what invalid UTF-8 decodes to', () => {
    for (const bad of [
      'a\u0000b',
      'esc\u001b[31m',
      'bell\u0007',
      'lone\rCR',
      'CR at the end\r',
      'del\u007f',
      'c1\u0085',
      'high\ud800',
      'low\udc00x',
      'pair reversed\udc00\ud800',
      'replacement\ufffd',
    ]) {
      expect(hasBadText(bad), JSON.stringify(bad)).toBe(true);
    }
    for (const good of ['', 'plain', 'tab\there', 'lines\nand\r\nmore\r\n', '港澳居民居住證', 'emoji 😀 as a pair', 'zero\u200bwidth', '\u00a0no-break']) {
      expect(hasBadText(good), JSON.stringify(good)).toBe(false);
    }
    expect(withoutBadText('a\u0000b\r\nc\rd\ud800e')).toBe('ab\r\ncde');
  });

  it('decodes query strings and forms as the URL standard does: invalid UTF-8 becomes U+FFFD, not the escapes as typed', () => {
    const parsed = parseUrlEncoded('name=caf%C3%A9+au+lait&bad=%FF%FE&half=%E4%BD&lone=%ED%A0%80&odd=100%&repeat=1&repeat=2&__proto__=x');
    expect(parsed.name).toBe('café au lait');
    expect(parsed.bad).toBe('\ufffd\ufffd');
    expect(hasBadText(parsed.half as string)).toBe(true);
    expect(hasBadText(parsed.lone as string)).toBe(true);
    expect(parsed.odd).toBe('100%');
    expect(parsed.repeat).toEqual(['1', '2']);
    expect(Object.hasOwn(parsed, '__proto__')).toBe(true);
    expect(Object.getPrototypeOf(parsed)).toBe(null);
  });

  it('gives a form field with such text its own message, and its value without it', () => {
    const { values, errors } = readForm({ name: 'Chan\u0000 Tai Man', note: 'line\r\nnext', other: '' }, Fields({ name: Text(), note: Optional(Text(100)), other: Text() }));
    expect(errors).toEqual({ name: 'invalid_characters', other: 'required' });
    expect(values.name).toBe('Chan Tai Man');
    expect(values.note).toBe('line\r\nnext');
  });
});

const MESSAGE = {
  en: 'This holds characters that cannot be used',
  'zh-hant': '此欄含有無法使用的字元',
  'zh-hans': '此栏含有无法使用的字符',
};
const PASSWORD = 'plum blossom harbour ferry';

describe.each(DATABASES)('hostile text in forms and query strings on %s', (kind) => {
  const t = testAppFor(kind);
  const db = () => t.database.db.kysely;
  const count = async (table: 'users' | 'enquiries') =>
    Number(
      (
        await db()
          .selectFrom(table)
          .select((eb) => eb.fn.countAll().as('n'))
          .executeTakeFirstOrThrow()
      ).n,
    );

  /** Posts a body written by hand (bytes a browser would never send), with the CSRF token of the form's page. */
  async function postRaw(client: TestClient, url: string, body: string, contentType = 'application/x-www-form-urlencoded') {
    const page = await client.get(url);
    const token = page.body.match(/name="_csrf" value="([^"]+)"/)?.[1] as string;
    const payload = contentType.includes('json') ? body.replace('"_csrf":""', `"_csrf":${JSON.stringify(token)}`) : `_csrf=${encodeURIComponent(token)}&${body}`;
    const cookie = [...client.cookies].map(([k, v]) => `${k}=${v}`).join('; ');
    return t.app.inject({ method: 'POST', url, headers: { cookie, 'content-type': contentType }, payload });
  }

  it('answers a NUL in registration, sign-in and an enquiry with the field’s message in the visitor’s language, and stores nothing', async () => {
    await clearRateLimits(db());
    const users = await count('users');
    const enquiries = await count('enquiries');
    for (const [prefix, message] of Object.entries(MESSAGE)) {
      const client = new TestClient(t.app);
      const register = await client.post(`/${prefix}/register`, { displayName: 'Chan\u0000', email: 'nul@example.org', password: PASSWORD, confirmPassword: PASSWORD, locale: 'en' });
      expect(register.statusCode).toBeLessThan(500);
      expect(register.body).toContain(message);
      const signIn = await client.post(`/${prefix}/login`, { email: 'nul\u0000@example.org', password: PASSWORD });
      expect(signIn.statusCode).toBeLessThan(500);
      expect(signIn.body).toContain(message);
      const enquiry = await client.post(`/${prefix}/enquiries/new`, { ...ENQUIRY_FIELDS, description: 'Where do I apply?\u0000', intent: 'submit', consent: 'yes' });
      expect(enquiry.statusCode).toBeLessThan(500);
      expect(enquiry.body).toContain(message);
      // What was typed comes back without the character.
      expect(enquiry.body).toContain('>Where do I apply?</textarea>');
    }
    expect(await count('users')).toBe(users);
    expect(await count('enquiries')).toBe(enquiries);
  });

  it('answers invalid UTF-8 in a form, and a lone surrogate in a JSON body, with the field’s message, and stores nothing', async () => {
    await clearRateLimits(db());
    const users = await count('users');
    const enquiries = await count('enquiries');
    const client = new TestClient(t.app);
    const fields = `email=bytes%40example.org&password=${encodeURIComponent(PASSWORD)}&confirmPassword=${encodeURIComponent(PASSWORD)}&locale=en`;
    const invalid = await postRaw(client, '/en/register', `displayName=Chan%FF%FETai&${fields}`);
    expect(invalid.statusCode).toBeLessThan(500);
    expect(invalid.body).toContain(MESSAGE.en);
    const surrogate = await postRaw(
      client,
      '/en/register',
      JSON.stringify({ _csrf: '', displayName: 'Chan\ud800', email: 'surrogate@example.org', password: PASSWORD, confirmPassword: PASSWORD, locale: 'en' }),
      'application/json',
    );
    expect(surrogate.statusCode).toBeLessThan(500);
    expect(surrogate.body).toContain(MESSAGE.en);
    const enquiry = await postRaw(client, '/en/enquiries/new', `${new URLSearchParams({ ...ENQUIRY_FIELDS, intent: 'submit', consent: 'yes' }).toString().replace(/subject=[^&]*/, 'subject=%C3%28')}`);
    expect(enquiry.statusCode).toBeLessThan(500);
    expect(enquiry.body).toContain(MESSAGE.en);
    expect(await count('users')).toBe(users);
    expect(await count('enquiries')).toBe(enquiries);
  });

  it('keeps a textarea’s line breaks as browsers send them (CR LF) and tabs', async () => {
    await clearRateLimits(db());
    const client = new TestClient(t.app);
    const sent = await client.post('/en/enquiries/new', { ...ENQUIRY_FIELDS, description: 'First line\r\nSecond\tline', intent: 'submit', consent: 'yes' });
    expect(sent.statusCode).toBe(303);
    const saved = await db().selectFrom('enquiries').select('description').orderBy('id', 'desc').executeTakeFirstOrThrow();
    expect(saved.description).toContain('Second\tline');
    expect(saved.description).toMatch(/First line\r?\nSecond/);
  });

  it('answers such text in a query string with a 400 naming the parameter: a page in the visitor’s language, JSON for the API', async () => {
    const page = await t.app.inject({ method: 'GET', url: '/zh-hant/help/search?q=%E6%B8%AF%00' });
    expect(page.statusCode).toBe(400);
    expect(page.headers['content-type']).toContain('text/html');
    expect(page.body).toContain(MESSAGE['zh-hant']);
    expect(page.body).toContain('<code>q</code>');
    const invalid = await t.app.inject({ method: 'GET', url: '/en/help/search?q=%FF' });
    expect(invalid.statusCode).toBe(400);
    expect(invalid.body).toContain(MESSAGE.en);
    const api = await t.app.inject({ method: 'GET', url: '/api/v1/suggestions?topic=%1B' });
    expect(api.statusCode).toBe(400);
    expect(api.json().error).toMatchObject({ code: 'invalid_characters', details: [{ field: 'querystring.topic' }] });
    const param = await t.app.inject({ method: 'GET', url: '/en/agreements/zjhk%00' });
    expect(param.statusCode).toBe(400);
    expect(param.body).toContain('<code>id</code>');
  });
});

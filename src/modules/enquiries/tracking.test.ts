import { beforeAll, describe, expect, it } from 'vitest';
import { signedInClient, testAppFor } from '../../../test/app.ts';
import { TestClient } from '../../../test/client.ts';
import { DATABASES } from '../../../test/databases.ts';
import { TRACK_COOKIE } from './routes.tsx';
import { actOnCase, clearRateLimits, lastMail, sendEnquiry } from './testing.ts';

describe.each(DATABASES)('following an enquiry at /track on %s', (kind) => {
  const t = testAppFor(kind, { now: () => new Date('2026-09-30T02:00:00Z') });
  const db = () => t.database.db.kysely;
  let officer: TestClient;
  const mails = async () =>
    Number(
      (
        await db()
          .selectFrom('mail_outbox')
          .select((eb) => eb.fn.countAll().as('n'))
          .where('to_address', '=', 'Track@Example.org')
          .executeTakeFirstOrThrow()
      ).n,
    );
  /** The page without what differs from one request to the next (the CSRF token). */
  const stable = (html: string) => html.replace(/name="_csrf" value="[^"]*"/g, '');
  const askCode = async (client: TestClient, reference: string, email: string) => {
    await clearRateLimits(db());
    return client.post('/en/track', { reference, email }, { from: '/en/track' });
  };
  const tryCode = async (client: TestClient, reference: string, code: string) => {
    await clearRateLimits(db());
    return client.post('/en/track/code', { reference, code }, { from: '/en/track' });
  };
  const codeIn = (text: string | undefined) => /\n\n(\d{6})\n\n/.exec(text ?? '')?.[1] ?? '';

  /** An open case of the calling test's own, sent from another browser: no codes asked for it yet. */
  const newCase = async () => {
    const row = await sendEnquiry(new TestClient(t.app), db(), { email: 'Track@Example.org', locale: 'en' });
    return { id: row.id, reference: row.reference };
  };

  beforeAll(async () => {
    officer = (await signedInClient(t, { email: 'officer@hkmao.example', role: 'agency-officer', organisationId: 'zj-hkmao' })).client;
  });

  it('answers the same whether or not the reference and email belong together, and emails a code only when they do', async () => {
    const { id, reference } = await newCase();
    const visitor = new TestClient(t.app);
    const before = await mails();
    const wrong = await askCode(visitor, reference, 'someone-else@example.org');
    const unknown = await visitor.post('/en/track', { reference: 'ZJHK-E-2026-999999', email: 'track@example.org' }, { from: '/en/track' });
    const right = await askCode(visitor, reference, 'track@example.org');
    expect(wrong.statusCode).toBe(200);
    expect(stable(wrong.body)).toBe(stable(right.body));
    expect(stable(unknown.body)).toBe(stable(right.body).replaceAll(reference, 'ZJHK-E-2026-999999'));
    expect(right.body).toContain('If the reference number and the email address belong to an enquiry');
    expect(await mails()).toBe(before + 1);
    const mail = await lastMail(db(), 'Track@Example.org');
    expect(mail?.subject).toBe(`Your code to open enquiry ${reference}`);
    const code = codeIn(mail?.text_body);
    expect(code).toMatch(/^\d{6}$/);
    // Only a salted hash is kept.
    const stored = await db().selectFrom('enquiry_track_codes').selectAll().where('enquiry_id', '=', id).execute();
    expect(stored).toHaveLength(1);
    expect(JSON.stringify(stored)).not.toContain(code);
    const badReference = await visitor.post('/en/track', { reference: 'my enquiry', email: 'track@example.org' }, { from: '/en/track' });
    expect(badReference.body).toContain('Enter the reference number as in our email');
  });

  it('refuses a wrong code, an expired code and a code after five wrong tries, with one message that reveals nothing', async () => {
    const { id, reference } = await newCase();
    const visitor = new TestClient(t.app);
    await askCode(visitor, reference, 'track@example.org');
    const code = codeIn((await lastMail(db(), 'Track@Example.org'))?.text_body);
    const wrongCode = code === '000000' ? '111111' : '000000';
    const wrong = await tryCode(visitor, reference, wrongCode);
    expect(wrong.statusCode).toBe(200);
    expect(wrong.body).toContain('The code is not right, or has expired');
    expect(visitor.cookies.has(TRACK_COOKIE)).toBe(false);
    // Expired: the right code no longer opens it.
    await db()
      .updateTable('enquiry_track_codes')
      .set({ expires_at: new Date(Date.now() - 1000) })
      .where('enquiry_id', '=', id)
      .execute();
    expect((await tryCode(visitor, reference, code)).body).toContain('The code is not right, or has expired');

    await askCode(visitor, reference, 'track@example.org');
    const fresh = codeIn((await lastMail(db(), 'Track@Example.org'))?.text_body);
    for (let i = 0; i < 5; i++) expect((await tryCode(visitor, reference, fresh === '000000' ? '111111' : '000000')).body).toContain('The code is not right');
    expect((await tryCode(visitor, reference, fresh)).body).toContain('Too many wrong tries: ask for a new code');
    expect(visitor.cookies.has(TRACK_COOKIE)).toBe(false);
  });

  it('sends at most three codes in fifteen minutes, and opens the case for this browser with the newest', async () => {
    const { id, reference } = await newCase();
    const visitor = new TestClient(t.app);
    // Two codes asked for already, then the third.
    await askCode(visitor, reference, 'track@example.org');
    await askCode(visitor, reference, 'track@example.org');
    await askCode(visitor, reference, 'track@example.org');
    const third = codeIn((await lastMail(db(), 'Track@Example.org'))?.text_body);
    const before = await mails();
    const fourth = await askCode(visitor, reference, 'track@example.org');
    expect(fourth.body).toContain('If the reference number and the email address belong to an enquiry');
    expect(await mails()).toBe(before);

    const opened = await tryCode(visitor, reference, third);
    expect([opened.statusCode, opened.headers.location]).toEqual([303, '/en/track/case']);
    expect(visitor.cookies.has(TRACK_COOKIE)).toBe(true);
    const page = await visitor.get('/en/track/case');
    expect(page.statusCode).toBe(200);
    expect(page.body).toContain(`Enquiry ${reference}`);
    expect(page.body).toContain('Being handled');
    // A used code opens nothing again, and another browser sees nothing.
    expect((await tryCode(new TestClient(t.app), reference, third)).body).toContain('The code is not right');
    const other = await new TestClient(t.app).get('/en/track/case');
    expect([other.statusCode, other.headers.location]).toEqual([303, '/en/track']);
    // The session only opens this case's page: the staff pages stay closed.
    expect((await visitor.get(`/en/workspace/enquiries/${id}`)).statusCode).toBe(303);

    const write = await visitor.post('/en/track/case/reply', { body: 'I have also moved house.', version: /name="version" value="(\d+)"/.exec(page.body)?.[1] ?? '' }, { from: '/en/track/case' });
    expect(write.statusCode).toBe(303);
    expect((await visitor.get('/en/track/case?saved=reply')).body).toContain('Your message has been sent to the agency.');
  });

  it('lets the citizen rate the closed case once', async () => {
    const { id, reference } = await newCase();
    const visitor = new TestClient(t.app);
    await askCode(visitor, reference, 'track@example.org');
    await tryCode(visitor, reference, codeIn((await lastMail(db(), 'Track@Example.org'))?.text_body));
    const open = await visitor.get('/en/track/case');
    expect(open.body).not.toContain('Send my rating');
    const early = await visitor.post('/en/track/case/rating', { satisfaction: '5', version: '0' }, { from: '/en/track/case' });
    expect(early.body).toContain('You can rate an enquiry once it has been closed');

    expect((await actOnCase(officer, id, 'close', { outcome: 'answered', body: 'Bring your permit to the service centre.' })).statusCode).toBe(303);
    const closed = await visitor.get('/en/track/case');
    expect(closed.body).toContain('Bring your permit to the service centre.');
    expect(closed.body).not.toContain('name="body"');
    const version = /name="version" value="(\d+)"/.exec(closed.body)?.[1] ?? '';
    const noScore = await visitor.post('/en/track/case/rating', { version, comment: 'Quick answer.' }, { from: '/en/track/case' });
    expect(noScore.body).toContain('Choose one');
    expect(noScore.body).not.toContain('Enter this');
    expect(noScore.body).toContain('Quick answer.</textarea>');
    const rated = await visitor.post('/en/track/case/rating', { satisfaction: '4', comment: 'Quick answer.', version }, { from: '/en/track/case' });
    expect(rated.statusCode).toBe(303);
    // A second try, as from a page loaded before (the case page has no rating form any more).
    const again = await visitor.post('/en/track/case/rating', { satisfaction: '1', version: String(Number(version) + 1) }, { from: '/en/track' });
    expect(again.body).toContain('This enquiry has been rated already');
    expect(await db().selectFrom('enquiries').select(['satisfaction', 'satisfaction_comment']).where('id', '=', id).executeTakeFirstOrThrow()).toEqual({
      satisfaction: 4,
      satisfaction_comment: 'Quick answer.',
    });
    const write = await visitor.post('/en/track/case/reply', { body: 'One more thing.', version: String(Number(version) + 1) }, { from: '/en/track' });
    expect(write.body).toContain('This enquiry has been closed');
  });
});

import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { DATABASES, freshDatabase, type TestDatabase } from '../../../test/databases.ts';
import { findOutboxEntry, type MailMessage, queueMail } from './outbox.ts';
import { clearMailAbout, purgeMail } from './purge-mail.ts';

const DAY = 86_400_000;
const message: MailMessage = {
  to: 'resident@example.org',
  locale: 'zh-Hant',
  subject: '重設密碼',
  text: '陳大文您好：請按以下連結重設密碼 https://zjhk.example/reset?token=abc',
  attachments: [{ filename: 'qr.png', contentType: 'image/png', content: Buffer.from('png') }],
};

describe.each(DATABASES)('clearing mail that has served its purpose on %s', (kind) => {
  let t: TestDatabase;
  beforeEach(async () => {
    t = await freshDatabase(kind, { empty: true });
  });
  afterEach(async () => {
    await t.drop();
  });

  const now = new Date('2026-12-07T03:00:00Z');
  const queue = (options: Parameters<typeof queueMail>[2] = {}) => t.db.kysely.transaction().execute((trx) => queueMail(trx, message, options));
  const mark = (id: string, fields: Record<string, unknown>) => t.db.kysely.updateTable('mail_outbox').set(fields).where('id', '=', id).execute();
  const sentDaysAgo = (days: number) => ({ state: 'sent' as const, accepted_at: new Date(now.getTime() - days * DAY), sent_at: new Date(now.getTime() - days * DAY) });
  const cleared = async (id: string) => {
    const entry = await findOutboxEntry(t.db.kysely, id);
    return entry?.to === '' && entry.subject === '' && entry.text === '' && entry.html === null && entry.attachments.length === 0 && entry.lastError === null;
  };

  it('clears sent and given-up mail after the retention period, a link’s mail when its token expires, and never mail still to be sent', async () => {
    const old = await queue();
    await mark(old, sentDaysAgo(31));
    const recent = await queue();
    await mark(recent, sentDaysAgo(29));
    const failed = await queue();
    await mark(failed, { state: 'failed', last_error: 'the SMTP server refused the recipient', created_at: new Date(now.getTime() - 31 * DAY) });
    // Sent an hour ago, but its link expired ten minutes ago.
    const link = await queue({ purgeAfter: new Date(now.getTime() - 10 * 60_000) });
    await mark(link, sentDaysAgo(1 / 24));
    const liveLink = await queue({ purgeAfter: new Date(now.getTime() + 10 * 60_000) });
    await mark(liveLink, sentDaysAgo(1 / 24));
    // Waiting for the SMTP server for 40 days, its link long expired: it still has its work to do.
    const waiting = await queue({ purgeAfter: new Date(now.getTime() - 39 * DAY) });
    await mark(waiting, { created_at: new Date(now.getTime() - 40 * DAY) });
    // Accepted by the server 31 days ago, the bookkeeping after it never finished: it was sent.
    const accepted = await queue();
    await mark(accepted, { accepted_at: new Date(now.getTime() - 31 * DAY), created_at: new Date(now.getTime() - 31 * DAY) });

    expect(await purgeMail(t.db.kysely, { now, retentionDays: 30 })).toBe(4);
    expect(await cleared(old)).toBe(true);
    expect(await cleared(failed)).toBe(true);
    expect(await cleared(link)).toBe(true);
    expect(await cleared(accepted)).toBe(true);
    expect(await cleared(recent)).toBe(false);
    expect(await cleared(liveLink)).toBe(false);
    expect(await cleared(waiting)).toBe(false);
    // The skeleton stays, for the delivery figures; nothing is cleared twice.
    expect(await findOutboxEntry(t.db.kysely, old)).toMatchObject({ state: 'sent', locale: 'zh-Hant', sentAt: expect.any(Date), messageId: null });
    expect(await purgeMail(t.db.kysely, { now, retentionDays: 30 })).toBe(0);
    // A shorter period clears more.
    expect(await purgeMail(t.db.kysely, { now, retentionDays: 28 })).toBe(1);
    expect(await cleared(recent)).toBe(true);
  });

  it('clears the mail about a record with its purge, giving up on any still to be sent', async () => {
    const sent = await queue({ about: { type: 'enquiry', id: 'ZJHK-E-2024-000001' } });
    await mark(sent, sentDaysAgo(2));
    const waiting = await queue({ about: { type: 'enquiry', id: 'ZJHK-E-2024-000001' } });
    const other = await queue({ about: { type: 'enquiry', id: 'ZJHK-E-2024-000002' } });
    const count = await t.db.kysely.transaction().execute((trx) => clearMailAbout(trx, { type: 'enquiry', id: 'ZJHK-E-2024-000001' }, now));
    expect(count).toBe(2);
    expect([await cleared(sent), await cleared(waiting), await cleared(other)]).toEqual([true, true, false]);
    expect((await findOutboxEntry(t.db.kysely, waiting))?.state).toBe('failed');
    expect((await findOutboxEntry(t.db.kysely, sent))?.state).toBe('sent');
  });

  it('refuses a record or a purge date it could not store', async () => {
    await expect(queue({ about: { type: 'Enquiry; drop', id: '1' } })).rejects.toThrow(/not a record a mail can be about/);
    await expect(queue({ purgeAfter: new Date('not a date') })).rejects.toThrow(/purgeAfter must be a valid date/);
  });
});

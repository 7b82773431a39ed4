import { sql, type Transaction } from 'kysely';
import { simpleParser } from 'mailparser';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { DATABASES, freshDatabase, type TestDatabase } from '../../../test/databases.ts';
import { closedPort, startSmtpServer, type TestSmtpServer } from '../../../test/smtp.ts';
import type { Database } from '../db/schema.ts';
import { retryJob } from '../jobs/queue.ts';
import { runDueJobs, startWorker } from '../jobs/worker.ts';
import { mailHandlers } from './deliver.ts';
import { DELIVER_MAIL, findOutboxEntry, MAIL_MAX_ATTACHMENT_BYTES, type MailAttachment, type MailMessage, queueMail } from './outbox.ts';
import { createTransport, type MailTransport } from './transport.ts';

const FROM = 'noreply@zjhk.example.org';

const receipt: MailMessage = {
  to: 'resident@example.org',
  locale: 'zh-Hant',
  subject: '您的諮詢已收到（ENQ-2026-000123）',
  text: '我們已收到您的諮詢，將於十個工作天內回覆。',
  html: '<p>我們已收到您的諮詢，將於<strong>十個工作天</strong>內回覆。</p>',
};

/** An event invitation as a calendar client expects it (CRLF lines, METHOD:REQUEST), with non-ASCII text. */
const invitation = [
  'BEGIN:VCALENDAR',
  'VERSION:2.0',
  'PRODID:-//ZJHK//Events//EN',
  'METHOD:REQUEST',
  'BEGIN:VEVENT',
  'UID:event-42@zjhk.example.org',
  'DTSTAMP:20261126T090000Z',
  'DTSTART:20261210T020000Z',
  'DTEND:20261210T040000Z',
  'SUMMARY:浙港青年創科交流會',
  'ORGANIZER:mailto:noreply@zjhk.example.org',
  'ATTENDEE;RSVP=FALSE:mailto:resident@example.org',
  'END:VEVENT',
  'END:VCALENDAR',
  '',
].join('\r\n');

/** A 1×1 PNG: the bytes of the inline QR code image. */
const qrPng = Buffer.from('iVBORw0KGgoAAAANSUhEUgAAAAEAAAABCAYAAAAfFcSJAAAADUlEQVR42mNkYPhfDwAChwGA60e6kgAAAABJRU5ErkJggg==', 'base64');

const confirmation: MailMessage = {
  to: 'resident@example.org',
  locale: 'zh-Hant',
  subject: '報名確認：浙港青年創科交流會',
  text: '您已成功報名。入場時請出示二維碼。',
  html: '<p>您已成功報名。入場時請出示二維碼：</p><p><img src="cid:qr-registration-42@zjhk.example.org" alt="二維碼"></p>',
  attachments: [
    { filename: 'event.ics', contentType: 'text/calendar; method=REQUEST', content: invitation },
    { filename: 'qr.png', contentType: 'image/png', content: qrPng, cid: 'qr-registration-42@zjhk.example.org' },
  ],
};

async function waitUntil(condition: () => Promise<boolean>, timeoutMs = 20_000): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  while (!(await condition())) {
    if (Date.now() > deadline) throw new Error(`condition not met within ${timeoutMs} ms`);
    await new Promise((resolve) => setTimeout(resolve, 10));
  }
}

describe.each(DATABASES)('mail outbox on %s', (kind) => {
  let t: TestDatabase;
  let smtp: TestSmtpServer | undefined;
  let transport: MailTransport | undefined;
  beforeEach(async () => {
    t = await freshDatabase(kind, { empty: true });
  });
  afterEach(async () => {
    transport?.close();
    await smtp?.stop();
    smtp = undefined;
    transport = undefined;
    await t.drop();
  });

  const send = (message: MailMessage, options?: { maxAttempts?: number }) => t.db.kysely.transaction().execute((trx) => queueMail(trx, message, options));
  const jobFor = (outboxId: string) => t.db.kysely.selectFrom('jobs').selectAll().where('kind', '=', DELIVER_MAIL).where(sql<boolean>`payload->>'outboxId' = ${outboxId}`).executeTakeFirstOrThrow();

  it('delivers a queued message through a real SMTP server and records it as sent', async () => {
    smtp = await startSmtpServer();
    transport = createTransport({ host: smtp.host, port: smtp.port, secure: false, from: FROM });
    const id = await send(receipt);
    expect(await findOutboxEntry(t.db.kysely, id)).toMatchObject({ state: 'queued', attempts: 0, messageId: null, sentAt: null });

    const worker = startWorker({ db: t.db.kysely, handlers: mailHandlers(transport), pollMs: 10 });
    try {
      const [mail] = await smtp.waitFor(1);
      expect(mail?.envelope.to).toEqual(['resident@example.org']);
      expect(mail?.parsed.to).toMatchObject({ value: [{ address: 'resident@example.org' }] });
      expect(mail?.parsed.subject).toBe(receipt.subject);
      expect(mail?.parsed.text?.trim()).toBe(receipt.text);
      expect(mail?.parsed.html).toContain('<strong>十個工作天</strong>');
      await waitUntil(async () => (await findOutboxEntry(t.db.kysely, id))?.state === 'sent');
      const entry = await findOutboxEntry(t.db.kysely, id);
      expect(entry).toMatchObject({ state: 'sent', attempts: 1, lastError: null, messageId: mail?.parsed.messageId, sentAt: expect.any(Date) });
      const trail = await t.db.kysely.selectFrom('audit_events').select(['action', 'actor_type', 'entity_id']).where('entity_type', '=', 'mail').execute();
      expect(trail).toEqual([{ action: 'mail.sent', actor_type: 'system', entity_id: id }]);
      expect(entry?.messageId).toMatch(new RegExp(`^<outbox-${id}\\.[0-9a-f]{32}@zjhk\\.example\\.org>$`));
      await waitUntil(async () => (await jobFor(id)).state === 'done');
    } finally {
      await worker.stop();
    }
    expect(smtp.messages).toHaveLength(1);
  });

  it('sends nothing for a rolled-back transaction', async () => {
    smtp = await startSmtpServer();
    transport = createTransport({ host: smtp.host, port: smtp.port, secure: false, from: FROM });
    await expect(
      t.db.kysely.transaction().execute(async (trx) => {
        await queueMail(trx, receipt);
        throw new Error('the enquiry could not be saved');
      }),
    ).rejects.toThrow('the enquiry could not be saved');
    expect(await runDueJobs({ db: t.db.kysely, handlers: mailHandlers(transport) })).toBe(0);
    expect(await t.db.kysely.selectFrom('mail_outbox').selectAll().execute()).toEqual([]);
    expect(await t.db.kysely.selectFrom('jobs').selectAll().execute()).toEqual([]);
    expect(smtp.messages).toEqual([]);
  });

  it('keeps the message queued with the error while the SMTP server is down, and sends it once the server is back', async () => {
    const port = await closedPort();
    transport = createTransport({ host: '127.0.0.1', port, secure: false, from: FROM });
    const id = await send(receipt);

    expect(await runDueJobs({ db: t.db.kysely, handlers: mailHandlers(transport) })).toBe(1);
    expect(await findOutboxEntry(t.db.kysely, id)).toMatchObject({ state: 'queued', attempts: 1, lastError: expect.stringMatching(/ECONNREFUSED/), sentAt: null });
    const job = await jobFor(id);
    expect(job).toMatchObject({ state: 'queued', attempts: 1, last_error: expect.stringMatching(/ECONNREFUSED/) });
    expect(job.run_at.getTime()).toBeGreaterThan(Date.now() + 5_000);
    expect(await runDueJobs({ db: t.db.kysely, handlers: mailHandlers(transport) })).toBe(0);

    smtp = await startSmtpServer({ port });
    await t.db.kysely.updateTable('jobs').set({ run_at: sql<Date>`now()` }).where('id', '=', String(job.id)).execute();
    expect(await runDueJobs({ db: t.db.kysely, handlers: mailHandlers(transport) })).toBe(1);
    expect(smtp.messages.map((m) => m.parsed.subject)).toEqual([receipt.subject]);
    // The failure before the success stays on record.
    expect(await findOutboxEntry(t.db.kysely, id)).toMatchObject({ state: 'sent', attempts: 2, lastError: expect.stringMatching(/ECONNREFUSED/) });
  });

  it('marks the message failed when the last attempt fails, and sends it when the job is retried', async () => {
    const port = await closedPort();
    transport = createTransport({ host: '127.0.0.1', port, secure: false, from: FROM });
    const id = await send({ ...receipt, html: null, locale: 'en', subject: 'Enquiry received' }, { maxAttempts: 2 });
    expect(await runDueJobs({ db: t.db.kysely, handlers: mailHandlers(transport), retryDelay: () => 0 })).toBe(2);
    expect(await findOutboxEntry(t.db.kysely, id)).toMatchObject({ state: 'failed', attempts: 2, lastError: expect.stringMatching(/ECONNREFUSED/) });
    const job = await jobFor(id);
    expect(job).toMatchObject({ state: 'failed', attempts: 2 });

    smtp = await startSmtpServer({ port });
    expect(await retryJob(t.db.kysely, String(job.id))).toBe(true);
    expect(await runDueJobs({ db: t.db.kysely, handlers: mailHandlers(transport) })).toBe(1);
    expect(smtp.messages.map((m) => m.parsed.subject)).toEqual(['Enquiry received']);
    expect(await findOutboxEntry(t.db.kysely, id)).toMatchObject({ state: 'sent', attempts: 3 });
  });

  it('does not send a message twice when its job runs again', async () => {
    smtp = await startSmtpServer();
    transport = createTransport({ host: smtp.host, port: smtp.port, secure: false, from: FROM });
    const id = await send(receipt);
    await runDueJobs({ db: t.db.kysely, handlers: mailHandlers(transport) });
    const job = await jobFor(id);
    await t.db.kysely.updateTable('jobs').set({ state: 'queued', finished_at: null }).where('id', '=', String(job.id)).execute();
    expect(await runDueJobs({ db: t.db.kysely, handlers: mailHandlers(transport) })).toBe(1);
    expect(smtp.messages).toHaveLength(1);
    expect(await findOutboxEntry(t.db.kysely, id)).toMatchObject({ state: 'sent', attempts: 1 });
  });

  /** Makes every `when` change to `table` fail, as a process dying at that point would leave it. */
  const breakOn = async (name: string, table: 'mail_outbox' | 'audit_events', timing: 'before update' | 'before insert', when: string) => {
    await sql`create function ${sql.raw(name)}() returns trigger language plpgsql as $$ begin if ${sql.raw(when)} then raise exception 'the process died here'; end if; return new; end $$`.execute(
      t.db.kysely,
    );
    await sql`create trigger ${sql.raw(name)} ${sql.raw(timing)} on ${sql.table(table)} for each row execute function ${sql.raw(name)}()`.execute(t.db.kysely);
    return async () => {
      await sql`drop trigger ${sql.raw(name)} on ${sql.table(table)}`.execute(t.db.kysely);
      await sql`drop function ${sql.raw(name)}()`.execute(t.db.kysely);
    };
  };
  const dueNow = (outboxId: string) => t.db.kysely.updateTable('jobs').set({ run_at: sql<Date>`now()` }).where(sql<boolean>`payload->>'outboxId' = ${outboxId}`).execute();

  it('sends a message again under the same Message-ID, derived from its row, when the server accepted it but the acceptance was never recorded', async () => {
    smtp = await startSmtpServer();
    transport = createTransport({ host: smtp.host, port: smtp.port, secure: false, from: `ZJ-HK Platform <${FROM}>` });
    const id = await send(receipt);
    const { message_token } = await t.db.kysely.selectFrom('mail_outbox').select('message_token').where('id', '=', id).executeTakeFirstOrThrow();
    expect(message_token).toMatch(/^[0-9a-f]{32}$/);

    // The server takes the message, then the process dies before writing anything down.
    const restore = await breakOn('die_after_acceptance', 'mail_outbox', 'before update', 'new.message_id is not null and old.message_id is null');
    await runDueJobs({ db: t.db.kysely, handlers: mailHandlers(transport) });
    await restore();
    expect(smtp.messages).toHaveLength(1);
    expect(await findOutboxEntry(t.db.kysely, id)).toMatchObject({ state: 'queued', messageId: null });

    await dueNow(id);
    expect(await runDueJobs({ db: t.db.kysely, handlers: mailHandlers(transport) })).toBe(1);
    const [first, second] = await smtp.waitFor(2);
    const expected = `<outbox-${id}.${message_token}@zjhk.example.org>`;
    expect(first?.parsed.messageId).toBe(expected);
    expect(second?.parsed.messageId).toBe(expected);
    expect(await findOutboxEntry(t.db.kysely, id)).toMatchObject({ state: 'sent', messageId: expected });
  });

  it('records the server’s acceptance before any other bookkeeping, so a failure after it does not send the message again', async () => {
    smtp = await startSmtpServer();
    transport = createTransport({ host: smtp.host, port: smtp.port, secure: false, from: FROM });
    const id = await send(receipt);

    // The audit record of the sending fails (the bookkeeping after acceptance).
    const restore = await breakOn('fail_mail_audit', 'audit_events', 'before insert', "new.entity_type = 'mail'");
    await runDueJobs({ db: t.db.kysely, handlers: mailHandlers(transport) });
    await restore();
    const [mail] = await smtp.waitFor(1);
    const accepted = await t.db.kysely.selectFrom('mail_outbox').select(['state', 'accepted_at', 'smtp_response', 'message_id']).where('id', '=', id).executeTakeFirstOrThrow();
    expect(accepted).toMatchObject({ state: 'queued', accepted_at: expect.any(Date), smtp_response: expect.stringMatching(/^250\b/), message_id: mail?.parsed.messageId });
    expect((await jobFor(id)).state).toBe('queued');

    // The retry finishes the bookkeeping and sends nothing.
    await dueNow(id);
    expect(await runDueJobs({ db: t.db.kysely, handlers: mailHandlers(transport) })).toBe(1);
    expect(smtp.messages).toHaveLength(1);
    const entry = await t.db.kysely.selectFrom('mail_outbox').select(['state', 'accepted_at', 'sent_at']).where('id', '=', id).executeTakeFirstOrThrow();
    expect(entry.state).toBe('sent');
    expect(entry.sent_at).toEqual(entry.accepted_at);
    const trail = await t.db.kysely.selectFrom('audit_events').select(['action', 'changes']).where('entity_type', '=', 'mail').execute();
    expect(trail.map((r) => r.action)).toEqual(['mail.sent']);
    // The trail refers to the message by id, not by its recipient.
    expect(JSON.stringify(trail)).not.toContain('resident@example.org');
  });

  it('delivers an .ics invitation and an inline image with the message, byte for byte', async () => {
    smtp = await startSmtpServer();
    transport = createTransport({ host: smtp.host, port: smtp.port, secure: false, from: FROM });
    const id = await send(confirmation);

    // Stored in base64, read back as bytes.
    const row = await t.db.kysely.selectFrom('mail_outbox').select('attachments').where('id', '=', id).executeTakeFirstOrThrow();
    expect(row.attachments).toEqual([
      { filename: 'event.ics', contentType: 'text/calendar; method=REQUEST', contentBase64: Buffer.from(invitation, 'utf8').toString('base64') },
      { filename: 'qr.png', contentType: 'image/png', contentBase64: qrPng.toString('base64'), cid: 'qr-registration-42@zjhk.example.org' },
    ]);
    const entry = await findOutboxEntry(t.db.kysely, id);
    expect(entry?.attachments).toEqual([
      { filename: 'event.ics', contentType: 'text/calendar; method=REQUEST', content: Buffer.from(invitation, 'utf8') },
      { filename: 'qr.png', contentType: 'image/png', content: qrPng, cid: 'qr-registration-42@zjhk.example.org' },
    ]);

    expect(await runDueJobs({ db: t.db.kysely, handlers: mailHandlers(transport) })).toBe(1);
    expect(await findOutboxEntry(t.db.kysely, id)).toMatchObject({ state: 'sent', attempts: 1, lastError: null });
    const [mail] = await smtp.waitFor(1);
    if (!mail) throw new Error('no mail arrived');
    expect(mail.parsed.subject).toBe(confirmation.subject);
    expect(mail.parsed.text?.trim()).toBe(confirmation.text);

    const parts = mail.parsed.attachments;
    // The invitation as the calendar alternative (what makes clients offer Accept / Add to calendar) …
    const calendar = parts.filter((a) => a.contentType === 'text/calendar');
    expect(calendar).toHaveLength(1);
    expect(calendar[0]?.headers.get('content-type')).toMatchObject({ params: { method: 'REQUEST' } });
    expect(calendar[0]?.content.toString('utf8')).toBe(invitation);
    // … and as a file under its name.
    const file = parts.find((a) => a.filename === 'event.ics');
    expect(file).toMatchObject({ contentType: 'application/ics', contentDisposition: 'attachment' });
    expect(file?.content.equals(Buffer.from(invitation, 'utf8'))).toBe(true);
    // The QR code inline, next to the HTML that shows it.
    const image = parts.find((a) => a.filename === 'qr.png');
    expect(image).toMatchObject({ contentType: 'image/png', contentDisposition: 'inline', cid: 'qr-registration-42@zjhk.example.org', related: true });
    expect(image?.content.equals(qrPng)).toBe(true);
    expect(parts).toHaveLength(3);

    const asSent = await simpleParser(mail.raw, { skipImageLinks: true });
    expect(asSent.html).toContain('<img src="cid:qr-registration-42@zjhk.example.org" alt="二維碼">');
    // The parser resolves the cid to the attached image: the reference and the part match.
    expect(mail.parsed.html).toContain(`src="data:image/png;base64,${qrPng.toString('base64')}"`);
  });

  it('stores no attachments for a message without any', async () => {
    const id = await send(receipt);
    expect(await findOutboxEntry(t.db.kysely, id)).toMatchObject({ attachments: [] });
    const row = await t.db.kysely.selectFrom('mail_outbox').select('attachments').where('id', '=', id).executeTakeFirstOrThrow();
    expect(row.attachments).toEqual([]);
  });

  it('refuses attachments it could not send as given', async () => {
    const ics: MailAttachment = { filename: 'event.ics', contentType: 'text/calendar; method=REQUEST', content: invitation };
    const png: MailAttachment = { filename: 'qr.png', contentType: 'image/png', content: qrPng, cid: 'qr@zjhk.example.org' };
    const withFiles = (...attachments: MailAttachment[]) => send({ ...confirmation, attachments });

    await expect(withFiles(ics, png, { ...png, cid: 'a@zjhk' }, { ...png, cid: 'b@zjhk' }, { ...png, cid: 'c@zjhk' }, { ...ics, filename: 'again.ics' })).rejects.toThrow(
      /at most 5 attachments \(got 6\)/,
    );
    await expect(withFiles({ ...ics, filename: '../../etc/passwd' })).rejects.toThrow(/one line without path separators/);
    await expect(withFiles({ ...ics, filename: 'C:\\invite.ics' })).rejects.toThrow(/one line without path separators/);
    await expect(withFiles({ ...ics, filename: 'invite.ics\r\nBcc: everyone@example.org' })).rejects.toThrow(/one line without path separators/);
    await expect(withFiles({ ...ics, filename: '  ' })).rejects.toThrow(/attachment 1 needs a file name/);
    await expect(withFiles(png, { ...ics, contentType: 'calendar' })).rejects.toThrow(/attachment 2: not a content type of the form type\/subtype/);
    await expect(withFiles({ ...ics, contentType: 'text/calendar; method' })).rejects.toThrow(/not a content type/);
    await expect(withFiles({ ...ics, contentType: 'text/calendar\r\nBcc: everyone@example.org' })).rejects.toThrow(/not a content type/);
    await expect(withFiles({ ...png, cid: '<qr@zjhk.example.org>' })).rejects.toThrow(/not a content id/);
    await expect(withFiles({ ...png, cid: 'qr code' })).rejects.toThrow(/not a content id/);
    await expect(withFiles(png, { ...png, filename: 'again.png' })).rejects.toThrow(/content id "qr@zjhk.example.org" is used twice/);
    await expect(withFiles({ ...ics, content: '' })).rejects.toThrow(/attachment 1 \(event.ics\) is empty/);
    await expect(withFiles({ ...ics, content: 42 as unknown as string })).rejects.toThrow(/must be a Buffer or a string/);
    const half = Buffer.alloc(MAIL_MAX_ATTACHMENT_BYTES / 2, 1);
    await expect(
      withFiles(
        { ...png, cid: undefined, filename: 'a.bin', contentType: 'application/octet-stream', content: half },
        { filename: 'b.bin', contentType: 'application/octet-stream', content: Buffer.concat([half, Buffer.from([1])]) },
      ),
    ).rejects.toThrow(new RegExp(`at most ${MAIL_MAX_ATTACHMENT_BYTES} bytes together \\(got ${MAIL_MAX_ATTACHMENT_BYTES + 1}\\)`));
    expect(await t.db.kysely.selectFrom('mail_outbox').selectAll().execute()).toEqual([]);

    // Right at the limits is fine: five files, 2 MB in all, parameters in the content type.
    const id = await withFiles(
      { filename: '活動 Event.ics', contentType: 'text/calendar; charset=utf-8; method="REQUEST"', content: invitation },
      { filename: 'a.bin', contentType: 'application/octet-stream', content: half.subarray(Buffer.byteLength(invitation, 'utf8')) },
      { filename: 'b.bin', contentType: 'application/octet-stream', content: half.subarray(0, half.length - 2 * qrPng.length) },
      png,
      { ...png, cid: 'logo@zjhk.example.org', filename: 'logo.png' },
    );
    const entry = await findOutboxEntry(t.db.kysely, id);
    expect(entry?.attachments.reduce((sum, a) => sum + a.content.length, 0)).toBe(MAIL_MAX_ATTACHMENT_BYTES);
    expect(entry?.attachments.map((a) => a.filename)).toEqual(['活動 Event.ics', 'a.bin', 'b.bin', 'qr.png', 'logo.png']);
  });

  it('refuses a message it could not send as written, and a call outside a transaction', async () => {
    await expect(send({ ...receipt, to: 'Resident <resident@example.org>' })).rejects.toThrow(/not a single e-mail address/);
    await expect(send({ ...receipt, to: 'a@example.org, b@example.org' })).rejects.toThrow(/not a single e-mail address/);
    await expect(send({ ...receipt, subject: 'Hello\r\nBcc: everyone@example.org' })).rejects.toThrow(/one line/);
    await expect(send({ ...receipt, locale: 'fr' as MailMessage['locale'] })).rejects.toThrow(/not a locale/);
    await expect(queueMail(t.db.kysely as unknown as Transaction<Database>, receipt)).rejects.toThrow(/needs the transaction/);
    expect(await t.db.kysely.selectFrom('mail_outbox').selectAll().execute()).toEqual([]);
  });
});

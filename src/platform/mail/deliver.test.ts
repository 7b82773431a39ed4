import { sql, type Transaction } from 'kysely';
import { afterAll, afterEach, beforeEach, describe, expect, it } from 'vitest';
import { DATABASES, dropTemplates, freshDatabase, type TestDatabase } from '../../../test/databases.ts';
import { closedPort, startSmtpServer, type TestSmtpServer } from '../../../test/smtp.ts';
import type { Database } from '../db/schema.ts';
import { retryJob } from '../jobs/queue.ts';
import { runDueJobs, startWorker } from '../jobs/worker.ts';
import { mailHandlers } from './deliver.ts';
import { DELIVER_MAIL, findOutboxEntry, type MailMessage, queueMail } from './outbox.ts';
import { createTransport, type MailTransport } from './transport.ts';

const FROM = 'noreply@zjhk.example.org';

const receipt: MailMessage = {
  to: 'resident@example.org',
  locale: 'zh-Hant',
  subject: '您的諮詢已收到（ENQ-2026-000123）',
  text: '我們已收到您的諮詢，將於十個工作天內回覆。',
  html: '<p>我們已收到您的諮詢，將於<strong>十個工作天</strong>內回覆。</p>',
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
  afterAll(async () => {
    await dropTemplates();
  });

  const send = (message: MailMessage, options?: { maxAttempts?: number }) => t.db.kysely.transaction().execute((trx) => queueMail(trx, message, options));
  const jobFor = (outboxId: string) =>
    t.db.kysely
      .selectFrom('jobs')
      .selectAll()
      .where('kind', '=', DELIVER_MAIL)
      .where(sql<boolean>`payload->>'outboxId' = ${outboxId}`)
      .executeTakeFirstOrThrow();

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
      expect(entry?.messageId).toMatch(/^<.+@.+>$/);
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

  it('refuses a message it could not send as written, and a call outside a transaction', async () => {
    await expect(send({ ...receipt, to: 'Resident <resident@example.org>' })).rejects.toThrow(/not a single e-mail address/);
    await expect(send({ ...receipt, to: 'a@example.org, b@example.org' })).rejects.toThrow(/not a single e-mail address/);
    await expect(send({ ...receipt, subject: 'Hello\r\nBcc: everyone@example.org' })).rejects.toThrow(/one line/);
    await expect(send({ ...receipt, locale: 'fr' as MailMessage['locale'] })).rejects.toThrow(/not a locale/);
    await expect(queueMail(t.db.kysely as unknown as Transaction<Database>, receipt)).rejects.toThrow(/needs the transaction/);
    expect(await t.db.kysely.selectFrom('mail_outbox').selectAll().execute()).toEqual([]);
  });
});

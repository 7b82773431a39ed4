import type { Kysely, Transaction } from 'kysely';
import type { Database, MailState } from '../db/schema.ts';
import { enqueue } from '../jobs/queue.ts';

/** The job kind that delivers one outbox message. */
export const DELIVER_MAIL = 'mail.deliver';

export type MailLocale = 'zh-Hant' | 'zh-Hans' | 'en';

/** A message rendered by its sender, in the recipient's language. */
export interface MailMessage {
  to: string;
  locale: MailLocale;
  subject: string;
  text: string;
  html?: string | null;
}

export interface DeliverMailPayload {
  outboxId: string;
}

/** Delivery attempts before a message is given up on: with the job backoff, about 2 to 4 hours of trying. */
export const MAIL_MAX_ATTEMPTS = 12;

export interface QueueMailOptions {
  /** Delivery attempts before the message is given up on (default MAIL_MAX_ATTEMPTS). */
  maxAttempts?: number;
}

/** One address, nothing else: no display name, no list, no line breaks that could add a header. */
const ADDRESS = /^[^\s@<>",;]+@[^\s@<>",;]+\.[^\s@<>",;]+$/;
const LOCALES: readonly MailLocale[] = ['zh-Hant', 'zh-Hans', 'en'];

function check(message: MailMessage): void {
  if (!ADDRESS.test(message.to)) throw new TypeError(`not a single e-mail address: "${message.to}"`);
  if (!LOCALES.includes(message.locale)) throw new TypeError(`not a locale of the platform: "${message.locale}"`);
  if (/[\r\n]/.test(message.subject)) throw new TypeError('a mail subject must be one line');
  if (message.subject.trim() === '' || message.text.trim() === '') throw new TypeError('a mail needs a subject and a text body');
}

/**
 * Puts a message in the outbox and enqueues its delivery, both in the caller's transaction: if the
 * change that sends it is rolled back, nothing is sent. Returns the outbox id.
 */
export async function queueMail(trx: Transaction<Database>, message: MailMessage, options: QueueMailOptions = {}): Promise<string> {
  if (!trx.isTransaction) throw new TypeError('queueMail needs the transaction of the change the message belongs to');
  check(message);
  const row = await trx
    .insertInto('mail_outbox')
    .values({
      to_address: message.to,
      locale: message.locale,
      subject: message.subject,
      text_body: message.text,
      html_body: message.html ?? null,
    })
    .returning('id')
    .executeTakeFirstOrThrow();
  const outboxId = String(row.id);
  const payload: DeliverMailPayload = { outboxId };
  await enqueue(trx, DELIVER_MAIL, payload, { dedupeKey: `mail:${outboxId}`, maxAttempts: options.maxAttempts ?? MAIL_MAX_ATTEMPTS });
  return outboxId;
}

export interface OutboxEntry {
  id: string;
  to: string;
  locale: MailLocale;
  subject: string;
  text: string;
  html: string | null;
  state: MailState;
  attempts: number;
  lastError: string | null;
  messageId: string | null;
  createdAt: Date;
  sentAt: Date | null;
}

/** One outbox message by id. */
export async function findOutboxEntry(db: Kysely<Database>, id: string): Promise<OutboxEntry | undefined> {
  const row = await db.selectFrom('mail_outbox').selectAll().where('id', '=', id).executeTakeFirst();
  if (!row) return undefined;
  return {
    id: String(row.id),
    to: row.to_address,
    locale: row.locale,
    subject: row.subject,
    text: row.text_body,
    html: row.html_body,
    state: row.state,
    attempts: row.attempts,
    lastError: row.last_error,
    messageId: row.message_id,
    createdAt: row.created_at,
    sentAt: row.sent_at,
  };
}

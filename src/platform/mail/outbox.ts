import type { Kysely, Transaction } from 'kysely';
import { json } from '../db/index.ts';
import type { Database, MailAttachmentRow, MailState } from '../db/schema.ts';
import { enqueue } from '../jobs/queue.ts';
import type { OutgoingAttachment } from './transport.ts';

/** The job kind that delivers one outbox message. */
export const DELIVER_MAIL = 'mail.deliver';

type MailLocale = 'zh-Hant' | 'zh-Hans' | 'en';

/**
 * A file sent with a message: an .ics invitation (`text/calendar; method=REQUEST`), a PDF, or, with a
 * `cid`, an image shown inline in the HTML body (`<img src="cid:…">`). String content is sent as UTF-8.
 */
export type MailAttachment = OutgoingAttachment;

/** An attachment as read back from the outbox: the content decoded to bytes. */
export interface OutboxAttachment extends MailAttachment {
  content: Buffer;
}

/** At most this many attachments on one message. */
const MAIL_MAX_ATTACHMENTS = 5;
/** At most this many bytes of attachments (all together, before base64) on one message: 2 MB. */
export const MAIL_MAX_ATTACHMENT_BYTES = 2 * 1024 * 1024;

/** A message rendered by its sender, in the recipient's language. */
export interface MailMessage {
  to: string;
  locale: MailLocale;
  subject: string;
  text: string;
  html?: string | null;
  /** Files sent with the message (at most MAIL_MAX_ATTACHMENTS, MAIL_MAX_ATTACHMENT_BYTES together). */
  attachments?: MailAttachment[];
}

export interface DeliverMailPayload {
  outboxId: string;
}

/** Delivery attempts before a message is given up on: with the job backoff, about 2 to 4 hours of trying. */
const MAIL_MAX_ATTEMPTS = 12;

/** The record a message is about (an enquiry, a suggestion): that record's purge clears the message too. */
interface MailAbout {
  type: string;
  id: string;
}

export interface QueueMailOptions {
  /** Delivery attempts before the message is given up on (default MAIL_MAX_ATTEMPTS). */
  maxAttempts?: number;
  /**
   * When the message's personal data goes, if that is before the retention period after sending: a
   * message carrying a link with a token (a password reset, an invitation, a tracking code) passes the
   * token's expiry, after which the message is of no use. An unsent message waits until it is sent.
   */
  purgeAfter?: Date;
  /** The record the message is about, whose purge clears the message in the same transaction. */
  about?: MailAbout;
}

const ABOUT_TYPE = /^[a-z][a-z0-9-]*$/;

/** One address, nothing else: no display name, no list, no line breaks that could add a header. */
const ADDRESS = /^[^\s@<>",;]+@[^\s@<>",;]+\.[^\s@<>",;]+$/;
const LOCALES: readonly MailLocale[] = ['zh-Hant', 'zh-Hans', 'en'];

/** A MIME token (RFC 2045): what a type, a subtype and a parameter name are made of. */
const TOKEN = "[!#$%&'*+.^_`|~0-9A-Za-z-]+";
/** `type/subtype`, then any `; name=value` parameters (value a token or a quoted string), on one line. */
const CONTENT_TYPE = new RegExp(`^${TOKEN}/${TOKEN}(?:[ \\t]*;[ \\t]*${TOKEN}=(?:${TOKEN}|"[^"\\\\\\x00-\\x1f\\x7f]*"))*$`);
/** A content id as it goes between the angle brackets of Content-ID (and after `cid:` in the HTML). */
const CONTENT_ID = /^[A-Za-z0-9!#$%&'*+\-./=?^_`{|}~]+(?:@[A-Za-z0-9!#$%&'*+\-./=?^_`{|}~]+)?$/;
/** Control characters (a line break among them) and path separators: none in a file name. */
// biome-ignore lint/suspicious/noControlCharactersInRegex: the control characters are what this refuses
const NOT_IN_FILENAME = /[\x00-\x1f\x7f/\\]/;

function contentBytes(content: Buffer | string): Buffer {
  return Buffer.isBuffer(content) ? content : Buffer.from(content, 'utf8');
}

function checkAttachments(attachments: readonly MailAttachment[]): void {
  if (!Array.isArray(attachments)) throw new TypeError('mail attachments must be a list');
  if (attachments.length > MAIL_MAX_ATTACHMENTS) throw new TypeError(`a mail may carry at most ${MAIL_MAX_ATTACHMENTS} attachments (got ${attachments.length})`);
  let total = 0;
  const cids = new Set<string>();
  for (const [i, attachment] of attachments.entries()) {
    const { filename, contentType, content, cid } = attachment;
    const which = `attachment ${i + 1}`;
    if (typeof filename !== 'string' || filename.trim() === '') throw new TypeError(`${which} needs a file name`);
    if (NOT_IN_FILENAME.test(filename) || filename === '.' || filename === '..')
      throw new TypeError(`${which}: a file name must be one line without path separators (got ${JSON.stringify(filename)})`);
    if (filename.length > 200) throw new TypeError(`${which}: a file name may be at most 200 characters`);
    if (typeof contentType !== 'string' || !CONTENT_TYPE.test(contentType)) throw new TypeError(`${which}: not a content type of the form type/subtype: ${JSON.stringify(contentType)}`);
    if (!Buffer.isBuffer(content) && typeof content !== 'string') throw new TypeError(`${which}: the content must be a Buffer or a string`);
    const size = contentBytes(content).length;
    if (size === 0) throw new TypeError(`${which} (${filename}) is empty`);
    total += size;
    if (cid !== undefined) {
      if (typeof cid !== 'string' || cid.length > 200 || !CONTENT_ID.test(cid))
        throw new TypeError(`${which}: not a content id (letters, digits and @.-_ and the like, no spaces or angle brackets): ${JSON.stringify(cid)}`);
      if (cids.has(cid)) throw new TypeError(`${which}: the content id "${cid}" is used twice`);
      cids.add(cid);
    }
  }
  if (total > MAIL_MAX_ATTACHMENT_BYTES) throw new TypeError(`the attachments of a mail may be at most ${MAIL_MAX_ATTACHMENT_BYTES} bytes together (got ${total})`);
}

function check(message: MailMessage): void {
  if (!ADDRESS.test(message.to)) throw new TypeError(`not a single e-mail address: "${message.to}"`);
  if (!LOCALES.includes(message.locale)) throw new TypeError(`not a locale of the platform: "${message.locale}"`);
  if (/[\r\n]/.test(message.subject)) throw new TypeError('a mail subject must be one line');
  if (message.subject.trim() === '' || message.text.trim() === '') throw new TypeError('a mail needs a subject and a text body');
  if (message.attachments !== undefined) checkAttachments(message.attachments);
}

/** Attachments as the outbox stores them: content in base64. */
function encodeAttachments(attachments: readonly MailAttachment[]): MailAttachmentRow[] {
  return attachments.map(({ filename, contentType, content, cid }) => ({
    filename,
    contentType,
    contentBase64: contentBytes(content).toString('base64'),
    ...(cid !== undefined ? { cid } : {}),
  }));
}

/** Attachments as stored in the outbox (the `attachments` column), decoded to bytes. */
export function decodeAttachments(rows: readonly MailAttachmentRow[] | null | undefined): OutboxAttachment[] {
  return (rows ?? []).map(({ filename, contentType, contentBase64, cid }) => ({
    filename,
    contentType,
    content: Buffer.from(contentBase64, 'base64'),
    ...(cid !== undefined && cid !== null ? { cid } : {}),
  }));
}

/**
 * Puts a message in the outbox and enqueues its delivery, both in the caller's transaction: if the
 * change that sends it is rolled back, nothing is sent. Returns the outbox id.
 */
export async function queueMail(trx: Transaction<Database>, message: MailMessage, options: QueueMailOptions = {}): Promise<string> {
  if (!trx.isTransaction) throw new TypeError('queueMail needs the transaction of the change the message belongs to');
  check(message);
  if (options.about && (!ABOUT_TYPE.test(options.about.type) || options.about.id === '')) throw new TypeError(`not a record a mail can be about: ${JSON.stringify(options.about)}`);
  if (options.purgeAfter !== undefined && Number.isNaN(options.purgeAfter.getTime())) throw new TypeError('purgeAfter must be a valid date');
  const row = await trx
    .insertInto('mail_outbox')
    .values({
      to_address: message.to,
      locale: message.locale,
      subject: message.subject,
      text_body: message.text,
      html_body: message.html ?? null,
      attachments: json(encodeAttachments(message.attachments ?? [])),
      purge_after: options.purgeAfter ?? null,
      about_type: options.about?.type ?? null,
      about_id: options.about?.id ?? null,
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
  attachments: OutboxAttachment[];
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
    attachments: decodeAttachments(row.attachments),
    state: row.state,
    attempts: row.attempts,
    lastError: row.last_error,
    messageId: row.message_id,
    createdAt: row.created_at,
    sentAt: row.sent_at,
  };
}

import nodemailer from 'nodemailer';
import type { SendMailOptions } from 'nodemailer/lib/mailer';

/** Where and how to hand mail over: an SMTP server (a relay or the provider's submission port). */
export interface SmtpServer {
  host: string;
  port: number;
  /** TLS from the first byte (port 465, smtps://); otherwise STARTTLS is used when the server offers it. */
  secure: boolean;
  /** Refuse to send unless the connection is upgraded with STARTTLS (so a password never crosses in clear). */
  requireTls?: boolean;
  user?: string;
  password?: string;
}

export interface SmtpConfig extends SmtpServer {
  /** The From address of every message, e.g. '"Zhejiang–Hong Kong platform" <noreply@example.org>'. */
  from: string;
}

/** A file sent with a message; with a `cid`, an image the HTML body shows inline (`<img src="cid:…">`). */
export interface OutgoingAttachment {
  filename: string;
  /** `type/subtype`, with parameters if any, e.g. `image/png` or `text/calendar; method=REQUEST`. */
  contentType: string;
  /** The bytes; a string is sent as UTF-8. */
  content: Buffer | string;
  cid?: string;
}

/** A message ready to send. */
interface OutgoingMail {
  to: string;
  subject: string;
  text: string;
  html?: string | null;
  /** BCP 47 tag of the message's language (Content-Language). */
  locale?: string;
  attachments?: readonly OutgoingAttachment[];
  /** The Message-ID header, angle brackets included; the same on every attempt, so a receiving server drops a repeat. */
  messageId?: string;
}

const CALENDAR = /^text\/calendar\s*(?:;|$)/i;

/** The iTIP method (REQUEST, CANCEL, …) of a calendar attachment: its content type's parameter, else the METHOD line of the .ics. */
function calendarMethod(attachment: OutgoingAttachment): string | undefined {
  const parameter = /;\s*method\s*=\s*"?([A-Za-z-]+)"?/i.exec(attachment.contentType);
  if (parameter?.[1]) return parameter[1].toUpperCase();
  const text = Buffer.isBuffer(attachment.content) ? attachment.content.toString('utf8') : attachment.content;
  const line = /^METHOD:([A-Za-z-]+)\s*$/im.exec(text);
  return line?.[1]?.toUpperCase();
}

/**
 * The nodemailer options for a message's attachments. A single .ics goes as nodemailer's icalEvent:
 * a `text/calendar; method=…` alternative beside the text and HTML (what Gmail, Outlook and Apple
 * Mail turn into an invitation with Accept / Add to calendar), plus the same file attached under
 * its name. Several calendar files cannot all be the alternative, so then every file is attached
 * as it is.
 */
export function attachmentOptions(attachments: readonly OutgoingAttachment[] = []): Pick<SendMailOptions, 'attachments' | 'icalEvent'> {
  const calendars = attachments.filter((a) => CALENDAR.test(a.contentType));
  const event = calendars.length === 1 ? calendars[0] : undefined;
  const files = attachments.filter((a) => a !== event);
  const options: Pick<SendMailOptions, 'attachments' | 'icalEvent'> = {};
  if (event) {
    const method = calendarMethod(event);
    options.icalEvent = { filename: event.filename, content: event.content, ...(method ? { method } : {}) };
  }
  if (files.length > 0) {
    options.attachments = files.map(({ filename, contentType, content, cid }) => ({ filename, contentType, content, ...(cid !== undefined ? { cid } : {}) }));
  }
  return options;
}

/** What the SMTP server said when it took a message. */
export interface Acceptance {
  /** The Message-ID the message was sent under. */
  messageId: string;
  /** The server's reply to the end of the message (`250 OK: queued as …`). */
  response: string;
}

export interface MailTransport {
  /** The domain of the From address: the right-hand side of the Message-IDs made for this sender. */
  readonly domain: string;
  /** Hands one message to the server; resolves once the server accepted it. */
  send(mail: OutgoingMail): Promise<Acceptance>;
  /** Connects and authenticates without sending (for a health check). */
  verify(): Promise<void>;
  close(): void;
}

export interface TransportOptions {
  /** Give up on a server that does not answer (connect, greeting, each command) within this long (default 30 s). */
  timeoutMs?: number;
}

/** The domain of an address written as `name@example.org` or `Name <name@example.org>` (lower case). */
function addressDomain(from: string): string {
  const match = /@([^@\s<>"]+)>?\s*$/.exec(from);
  return (match?.[1] ?? 'localhost').toLowerCase();
}

/** An SMTP transport built from a config object (nodemailer underneath; one connection per message). */
export function createTransport(config: SmtpConfig, options: TransportOptions = {}): MailTransport {
  const timeoutMs = options.timeoutMs ?? 30_000;
  const transporter = nodemailer.createTransport({
    host: config.host,
    port: config.port,
    secure: config.secure,
    requireTLS: config.requireTls ?? false,
    ...(config.user !== undefined ? { auth: { user: config.user, pass: config.password ?? '' } } : {}),
    connectionTimeout: timeoutMs,
    greetingTimeout: timeoutMs,
    socketTimeout: timeoutMs,
  });
  return {
    domain: addressDomain(config.from),
    async send(mail) {
      const info = await transporter.sendMail({
        from: config.from,
        to: mail.to,
        subject: mail.subject,
        text: mail.text,
        ...(mail.html ? { html: mail.html } : {}),
        ...attachmentOptions(mail.attachments),
        ...(mail.locale ? { headers: { 'Content-Language': mail.locale } } : {}),
        ...(mail.messageId ? { messageId: mail.messageId } : {}),
      });
      // The address stays out of the error: it is kept on the outbox and job rows, which outlive the message.
      if (info.rejected.length > 0) throw new Error(`the SMTP server refused the recipient: ${info.response}`);
      return { messageId: info.messageId, response: info.response };
    },
    async verify() {
      await transporter.verify();
    },
    close() {
      transporter.close();
    },
  };
}

/** What is wrong with an SMTP URL, worded to follow the variable's name ("SMTP_URL must …"). */
export class SmtpUrlError extends Error {
  override name = 'SmtpUrlError';
}

const DEFAULT_PORTS = { 'smtp:': 587, 'smtps:': 465 } as const;

/**
 * Reads smtp://user:password@host:587 (STARTTLS) or smtps://user:password@host:465 (TLS from the
 * start). User and password may be percent-encoded. With credentials, smtp:// requires STARTTLS.
 */
export function parseSmtpUrl(raw: string): SmtpServer {
  let url: URL;
  try {
    url = new URL(raw);
  } catch {
    throw new SmtpUrlError('is not a valid URL (expected smtp://user:password@host:587 or smtps://user:password@host:465)');
  }
  if (url.protocol !== 'smtp:' && url.protocol !== 'smtps:') {
    throw new SmtpUrlError(`must start with smtp:// or smtps:// (got "${url.protocol}//")`);
  }
  if (!url.hostname) throw new SmtpUrlError('must name a host (smtp://host:587)');
  if ((url.pathname && url.pathname !== '/') || url.search) throw new SmtpUrlError('must be only smtp://user:password@host:port, without a path or query');
  const secure = url.protocol === 'smtps:';
  const server: SmtpServer = {
    host: url.hostname.replace(/^\[(.*)\]$/, '$1'),
    port: url.port ? Number(url.port) : DEFAULT_PORTS[url.protocol],
    secure,
  };
  if (url.username) {
    server.user = decodeURIComponent(url.username);
    server.password = decodeURIComponent(url.password);
    if (!secure) server.requireTls = true;
  } else if (url.password) {
    throw new SmtpUrlError('has a password but no user name');
  }
  return server;
}

/**
 * Text that no field may carry, refused in one place for every route: the query string, the path's
 * parameters and every body (urlencoded, multipart, JSON) are read through here before validation,
 * so nothing a person cannot type reaches a handler, let alone the database (PostgreSQL refuses a NUL
 * in text with an error, and would store a lone surrogate as a replacement character).
 *
 * What is refused:
 * - control characters (C0, DEL and C1) other than tab and line feed; a carriage return only
 *   before a line feed, as browsers send a textarea's line breaks;
 * - lone surrogates (a JSON string may carry "\ud800"; UTF-8 cannot);
 * - U+FFFD, the replacement character: what bytes that were not valid UTF-8 become once decoded,
 *   whichever parser decoded them (raw bytes in a body, "%FF" in a query string or form).
 */
import type { FastifyInstance, FastifyRequest } from 'fastify';
import { translator } from '../i18n/messages.ts';
import { HttpError, wantsJson } from './errors.ts';
import { requestLocale } from './pages.ts';

// biome-ignore lint/suspicious/noControlCharactersInRegex: the control characters are what this refuses
const BAD = /[\u0000-\u0008\u000B\u000C\u000E-\u001F\u007F-\u009F\uFFFD]|\r(?!\n)|[\uD800-\uDBFF](?![\uDC00-\uDFFF])|(?<![\uD800-\uDBFF])[\uDC00-\uDFFF]/;
const BAD_ALL = new RegExp(BAD.source, 'g');

/** Whether a text holds a character no field may carry. */
export function hasBadText(text: string): boolean {
  return BAD.test(text);
}

/** The text without the characters no field may carry (what a form shows again beside its message). */
export function withoutBadText(text: string): string {
  return text.replace(BAD_ALL, '');
}

/** The fields of a body that held refused text (their values cleaned), for readForm to name. */
const FLAGGED = Symbol('fields with refused text');

/** The fields of a form body whose text was refused (and cleaned) when the request arrived. */
export function flaggedFields(body: unknown): ReadonlySet<string> {
  const flagged = body && typeof body === 'object' ? (body as { [FLAGGED]?: Set<string> })[FLAGGED] : undefined;
  return flagged ?? new Set();
}

/** Nesting deeper than this in a JSON body is refused outright: no form has it. */
const MAX_DEPTH = 32;

/**
 * Walks a parsed value, cleaning every string and key in place, and calls `found` with the path of
 * each one that held refused text.
 */
function clean(value: unknown, path: string, found: (path: string) => void, depth: number): unknown {
  if (typeof value === 'string') {
    if (!hasBadText(value)) return value;
    found(path);
    return withoutBadText(value);
  }
  if (value === null || typeof value !== 'object') return value;
  // Only what a parser makes is walked: arrays and plain objects (not a file's bytes or stream).
  const proto = Object.getPrototypeOf(value) as unknown;
  if (!Array.isArray(value) && proto !== Object.prototype && proto !== null) return value;
  if (depth > MAX_DEPTH) throw new HttpError(400, 'bad_request', `The request is nested too deeply at ${path}`);
  if (Array.isArray(value)) {
    for (let i = 0; i < value.length; i++) value[i] = clean(value[i], path, found, depth + 1);
    return value;
  }
  const record = value as Record<string, unknown>;
  for (const key of Object.keys(record)) {
    if (hasBadText(key)) {
      // A field name nobody's form has: dropped, and named in the answer.
      found(`${path}.${withoutBadText(key)}`);
      delete record[key];
      continue;
    }
    record[key] = clean(record[key], `${path}.${key}`, found, depth + 1);
  }
  return value;
}

/**
 * Checks one request's text. The query string and the path's parameters come from links, not from
 * what a person typed into a form: refused text there is a 400 naming the parameter (an error page
 * in the visitor's language for a page). A form's fields are cleaned and remembered, and readForm
 * answers each with the field's own message on the form shown again.
 */
function checkRequestText(request: FastifyRequest): void {
  const refused: string[] = [];
  clean(request.query, 'querystring', (p) => refused.push(p), 0);
  clean(request.params, 'params', (p) => refused.push(p), 0);
  if (refused.length > 0) {
    const t = translator(wantsJson(request) ? 'en' : requestLocale(request));
    const message = t('form.error.invalid_characters');
    throw new HttpError(
      400,
      'invalid_characters',
      message,
      [...new Set(refused)].map((field) => ({ field, message })),
    );
  }
  const body = request.body;
  if (body === null || typeof body !== 'object' || Buffer.isBuffer(body)) {
    // A body sent as plain text (no route reads one) is checked all the same.
    if (typeof body === 'string' && hasBadText(body)) throw new HttpError(400, 'invalid_characters', 'The request body holds characters that are not allowed');
    return;
  }
  const flagged = new Set<string>();
  clean(body, '', (p) => flagged.add(p.slice(1).split('.')[0] as string), 0);
  if (flagged.size > 0) Object.defineProperty(body, FLAGGED, { value: flagged, enumerable: false });
}

/**
 * Registers the check for every route, after the bodies are read (multipart ones included: the
 * hook must be added after installUploads) and before validation, CSRF and handlers.
 */
export function installTextChecks(app: FastifyInstance): void {
  app.addHook('preValidation', async (request) => checkRequestText(request));
}

/**
 * Parses a query string or an urlencoded form as browsers and the URL standard do: "+" is a space,
 * percent-escapes are bytes, and the bytes are read as UTF-8, an invalid sequence becoming U+FFFD
 * (which the check above refuses) rather than the escapes being kept as typed. A repeated name gives
 * an array. The result has no prototype, so "__proto__" is a field like any other.
 */
export function parseUrlEncoded(text: string): Record<string, string | string[]> {
  const result = Object.create(null) as Record<string, string | string[]>;
  for (const [name, value] of new URLSearchParams(text)) {
    const existing = result[name];
    if (existing === undefined) result[name] = value;
    else if (Array.isArray(existing)) existing.push(value);
    else result[name] = [existing, value];
  }
  return result;
}

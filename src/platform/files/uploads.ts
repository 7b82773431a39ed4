/**
 * Forms with files (multipart/form-data). Such a form reaches its handler with `request.body` shaped
 * as a urlencoded one: each text field a string, a repeated field an array of strings; so readForm and
 * the CSRF check read them unchanged. Each file is streamed to a temporary file as it arrives (never
 * held in memory) and put in the body as an Upload, which readUploads gets back in a typed way. A file
 * over the size limit does not fail the request: it arrives marked `tooLarge` (its bytes dropped), so
 * the form can be shown again with a message beside the field.
 *
 * Files cost nothing until the sender is known to be allowed to send them. In the order a request is
 * handled:
 * 1. on arrival, the rate limit of the route (every upload route has one) and who is asking and
 *    whether they may use the route (auth/plugin.ts) are decided: nothing of the body is read yet;
 * 2. before the body is parsed, a route that takes no files refuses a multipart body (415), a body
 *    that does not declare its length is refused (411), one longer than the route's own cap at once
 *    (413), and the upload takes a slot of the account and of the address (see slots.ts; 429 when
 *    they have too many uploads running, on whichever app process);
 * 3. the body's first part must be the form's CSRF token (`_csrf`, as a browser sends the hidden
 *    field that opens every form), or the token must come in the X-CSRF-Token header: otherwise the
 *    request is refused (403) before any file is read;
 * 4. a refused request's unread body is never read: the connection is closed after the answer.
 * The temporary files and the slots go when the request ends, however it ends. A process that is
 * killed cannot clean up: its folders are swept at the next start and by the daily uploads purge
 * (sweepUploadFolders), once they are older than any running request can be (REQUEST_TIMEOUT_MS).
 */
import { createHash, randomBytes } from 'node:crypto';
import { createWriteStream } from 'node:fs';
import fs from 'node:fs/promises';
import type { Socket } from 'node:net';
import os from 'node:os';
import path from 'node:path';
import { Transform } from 'node:stream';
import { pipeline } from 'node:stream/promises';
import multipart, { type Multipart, type MultipartFile } from '@fastify/multipart';
import type { FastifyInstance, FastifyReply, FastifyRequest } from 'fastify';
import type { Kysely } from 'kysely';
import { systemClock } from '../clock.ts';
import type { Database } from '../db/schema.ts';
import { HttpError } from '../http/errors.ts';
import type { FieldError } from '../http/forms.ts';
import { DEFAULT_MAX_FILE_BYTES, detectAllowedType } from './files.ts';
import { acquireUploadSlots, DEFAULT_SLOT_LIMITS, releaseUploadSlots, type SlotLimits } from './slots.ts';

/** What a route that takes files declares: config `uploads`. */
export interface UploadRules {
  /** Most files in one form; more is refused with a 413. */
  maxFiles: number;
  /** Largest file, in bytes; a larger one arrives marked tooLarge. */
  maxFileBytes: number;
  /** Largest body, in bytes (by default every file at its largest, and room for the text fields). */
  maxBodyBytes?: number;
}

declare module 'fastify' {
  interface FastifyContextConfig {
    /** The route takes files (multipart/form-data) within these limits. */
    uploads?: UploadRules;
  }
}

/** Only uploads made here are read back: a look-alike object (a JSON field, say) is never one. */
const UPLOAD = Symbol('upload');

/** Bytes kept from the start of each file: enough for its type to be found (file-type reads 4,100). */
const HEAD_BYTES = 4100;

export interface Upload {
  /** The form field it came in. */
  field: string;
  /** The file name the browser sent (no folders); sanitised when the file is stored. */
  filename: string;
  /** The type the browser declared: informational only, the stored type is found in the bytes. */
  mimetype: string;
  /** Where the bytes wait until the request ends (empty when tooLarge). */
  path: string;
  /** Bytes received (0 when tooLarge). */
  size: number;
  /** The first HEAD_BYTES bytes, for finding the type. */
  head: Buffer;
  /** Hex SHA-256 of the bytes, computed as they arrived. */
  sha256: string;
  /** Over the size limit: the bytes were dropped as they arrived. */
  tooLarge: boolean;
  readonly [UPLOAD]: true;
}

export interface UploadSettings {
  /** Where the upload slots are kept: the app's database, shared by every process on it. */
  db: Kysely<Database>;
  /** Concurrent uploads allowed per account and per address (see slots.ts for the defaults). */
  slots?: Partial<SlotLimits>;
  /** Where files wait while their request runs (default: the system's temporary folder). */
  tmpDir?: string;
  /** The rate limit an upload route gets when it declares none: per address and route. */
  rateLimit?: { max: number; timeWindow: number };
}

/** Largest text field in a multipart form: forms' fields are at most a few thousand characters. */
const MAX_FIELD_BYTES = 100 * 1024;
const MAX_FIELDS = 500;
/** The most a body may hold before its first part (the CSRF token) has ended. */
const FIRST_PART_BYTES = 16 * 1024;
/** Room for the text fields and the parts' headers beside the files. */
const FIELDS_ALLOWANCE = 1024 * 1024;
/**
 * The longest a request may take to arrive, its files included (the server's requestTimeout: a slower
 * one is cut with a 408): as long as its upload slot lasts. 200 MB in that time is under 2 Mbit/s.
 */
export const REQUEST_TIMEOUT_MS = DEFAULT_SLOT_LIMITS.ttlMs;
/** The temporary folder of one request's files is named this and six random characters (mkdtemp). */
export const UPLOAD_FOLDER_PREFIX = 'zjhk-upload-';
/**
 * A temporary folder untouched for this long belongs to no running request, on this process or any
 * other sharing the folder: requests end within REQUEST_TIMEOUT_MS, and handlers take seconds.
 */
export const STALE_UPLOAD_FOLDER_MS = 60 * 60_000;
/** Per address and upload route, unless the route says otherwise: plenty for a person, few for a script. */
export const DEFAULT_UPLOAD_RATE_LIMIT = { max: 30, timeWindow: 10 * 60_000 };

/** A route's rules with the body cap worked out. */
function uploadRules(config: unknown): Required<UploadRules> | undefined {
  const rules = (config as { uploads?: UploadRules } | undefined)?.uploads;
  if (!rules) return undefined;
  return { ...rules, maxBodyBytes: rules.maxBodyBytes ?? rules.maxFiles * rules.maxFileBytes + FIELDS_ALLOWANCE };
}

function checkRules(rules: unknown, route: string): void {
  const r = rules as Partial<UploadRules> | null;
  const positive = (n: unknown) => typeof n === 'number' && Number.isInteger(n) && n > 0;
  if (typeof r !== 'object' || r === null || !positive(r.maxFiles) || !positive(r.maxFileBytes) || (r.maxBodyBytes !== undefined && !positive(r.maxBodyBytes))) {
    throw new Error(`The route ${route} must declare its upload limits: config.uploads = { maxFiles, maxFileBytes, maxBodyBytes? }`);
  }
}

/** The files a form sends, as most forms take them: up to `maxFiles` of at most 20 MB. */
export function fileForm(maxFiles: number, options: { maxFileBytes?: number; maxBodyBytes?: number } = {}): UploadRules {
  return { maxFiles, maxFileBytes: options.maxFileBytes ?? DEFAULT_MAX_FILE_BYTES, ...(options.maxBodyBytes ? { maxBodyBytes: options.maxBodyBytes } : {}) };
}

function add(body: Record<string, unknown>, name: string, value: unknown): void {
  const existing = body[name];
  if (existing === undefined) body[name] = value;
  else if (Array.isArray(existing)) existing.push(value);
  else body[name] = [existing, value];
}

interface RequestUploads {
  slots: string[];
  dir?: string;
}
const running = new WeakMap<FastifyRequest, RequestUploads>();

/** Streams a file part to `dir`, hashing it and keeping its first bytes; a truncated file leaves nothing. */
async function receiveFile(part: MultipartFile, dir: string): Promise<Upload> {
  const file = path.join(dir, randomBytes(12).toString('hex'));
  const hash = createHash('sha256');
  const head: Buffer[] = [];
  let headLength = 0;
  let size = 0;
  const tap = new Transform({
    transform(chunk: Buffer, _encoding, callback) {
      size += chunk.length;
      hash.update(chunk);
      if (headLength < HEAD_BYTES) {
        const piece = chunk.subarray(0, HEAD_BYTES - headLength);
        head.push(Buffer.from(piece));
        headLength += piece.length;
      }
      callback(null, chunk);
    },
  });
  await pipeline(part.file, tap, createWriteStream(file, { mode: 0o600 }));
  const tooLarge = part.file.truncated;
  if (tooLarge) await fs.rm(file, { force: true });
  return {
    field: part.fieldname,
    filename: part.filename,
    mimetype: part.mimetype,
    path: tooLarge ? '' : file,
    size: tooLarge ? 0 : size,
    head: tooLarge ? Buffer.alloc(0) : Buffer.concat(head),
    sha256: hash.digest('hex'),
    tooLarge,
    [UPLOAD]: true,
  };
}

/** Checks a CSRF token with the CSRF plugin's own check (its cookie, its secret), without sending anything. */
async function validCsrfToken(request: FastifyRequest, reply: FastifyReply, token: string | undefined): Promise<boolean> {
  const protect = (request.server as unknown as { csrfProtection?: (req: FastifyRequest, reply: FastifyReply, next: () => void) => void }).csrfProtection;
  if (!protect) return true; // No CSRF plugin (a bare test app): nothing to check against.
  const body = request.body;
  request.body = token === undefined ? undefined : { _csrf: token };
  try {
    return await new Promise<boolean>((resolve) => {
      // The plugin answers a bad token by sending its error: caught here instead, so the caller decides.
      const probe = Object.create(reply, { send: { value: () => resolve(false) } }) as FastifyReply;
      protect.call(request.server, request, probe, () => resolve(true));
    });
  } finally {
    request.body = body;
  }
}

const csrfRefused = () => new HttpError(403, 'invalid_csrf_token', 'The form must begin with its CSRF token (_csrf): reload the page and send it again');

/** Reads a multipart body into a urlencoded-like one, the files streamed to a folder of their own. */
async function readMultipart(request: FastifyRequest, reply: FastifyReply, rules: Required<UploadRules>, tmpRoot: string): Promise<Record<string, unknown>> {
  const headerToken = request.headers['x-csrf-token'];
  const tokenInHeader = typeof headerToken === 'string' && headerToken !== '';
  if (tokenInHeader && !(await validCsrfToken(request, reply, headerToken))) throw csrfRefused();
  const state = running.get(request) ?? { slots: [] };
  running.set(request, state);
  const body: Record<string, unknown> = {};
  // The token is a few dozen bytes: a first part that has not ended within FIRST_PART_BYTES is no token,
  // and is refused without waiting for it to end (a "field" as long as the body, say).
  let received = 0;
  let firstSettled = false;
  let firstPartTooLong: (error: HttpError) => void = () => {};
  const tooLong = new Promise<never>((_resolve, reject) => {
    firstPartTooLong = reject;
  });
  tooLong.catch(() => {});
  const count = (chunk: Buffer) => {
    received += chunk.length;
    // Checked once the parser has had this chunk: the chunk that ends the token may bring a file with it.
    if (received > FIRST_PART_BYTES) setImmediate(() => firstSettled || firstPartTooLong(csrfRefused()));
  };
  try {
    const parts = request
      .parts({
        limits: { fileSize: rules.maxFileBytes, files: rules.maxFiles, fields: MAX_FIELDS, fieldSize: MAX_FIELD_BYTES, parts: MAX_FIELDS + rules.maxFiles },
      })
      [Symbol.asyncIterator]();
    if (!tokenInHeader) {
      request.raw.on('data', count);
      let first: IteratorResult<Multipart>;
      try {
        first = await Promise.race([parts.next(), tooLong]);
      } finally {
        firstSettled = true;
        request.raw.off('data', count);
      }
      // An empty body has no first part: it carries no token, and the route's own CSRF check refuses it.
      if (first.done) return body;
      const part = first.value;
      const token = part.type === 'field' && part.fieldname === '_csrf' && typeof part.value === 'string' ? part.value : undefined;
      if (token === undefined || !(await validCsrfToken(request, reply, token))) throw csrfRefused();
      add(body, part.fieldname, token);
    }
    for (let next = await parts.next(); !next.done; next = await parts.next()) {
      const part = next.value;
      if (part.type === 'file') {
        state.dir ??= await fs.mkdtemp(path.join(tmpRoot, UPLOAD_FOLDER_PREFIX));
        add(body, part.fieldname, await receiveFile(part, state.dir));
      }
      // A part may declare itself JSON and arrive parsed: browsers never send one, forms take text.
      else if (typeof part.value === 'string') add(body, part.fieldname, part.value);
    }
  } catch (error) {
    if (error instanceof HttpError) throw error;
    const status = (error as { statusCode?: unknown }).statusCode;
    if (typeof status === 'number' && status >= 400 && status < 500) throw error;
    throw new HttpError(400, 'bad_request', `The form could not be read: ${(error as Error).message}`);
  } finally {
    // The request ended (the client went away) while a file was arriving: its cleanup has run already.
    if (!running.has(request) && state.dir) await fs.rm(state.dir, { recursive: true, force: true });
  }
  return body;
}

function isMultipartRequest(request: FastifyRequest): boolean {
  return /^\s*multipart\//i.test(request.headers['content-type'] ?? '');
}

/** Whether the request came with a body (a length above zero, or chunks). */
function hasBody(request: FastifyRequest): boolean {
  const length = request.headers['content-length'];
  return request.headers['transfer-encoding'] !== undefined || (length !== undefined && length !== '0');
}

/** How long, and how much more of an unread body, a closing connection takes in before it is cut. */
const LINGER_MS = 1000;
const LINGER_BYTES = 4 * 1024 * 1024;

/**
 * Closing a connection while the client is still sending makes the system answer the unread bytes
 * with a reset, which can reach the client before it has read the answer: it would see "connection
 * reset", not the 401 or 413. So, as web servers do, the connection is half-closed after the answer
 * and what still arrives is dropped for a moment (a second, 4 MB at most) before it is cut.
 */
function lingerOnClose(socket: Socket | null): void {
  if (!socket || (socket as Socket & { [LINGERING]?: true })[LINGERING]) return;
  (socket as Socket & { [LINGERING]?: true })[LINGERING] = true;
  // Node calls destroySoon once the last response has been written on a connection that closes.
  socket.destroySoon = function linger(this: Socket) {
    let dropped = 0;
    const cut = () => this.destroy();
    const timer = setTimeout(cut, LINGER_MS);
    timer.unref();
    this.on('data', (chunk: Buffer) => {
      dropped += chunk.length;
      if (dropped > LINGER_BYTES) cut();
    });
    this.once('close', () => clearTimeout(timer));
    this.end();
    this.resume();
  };
}
const LINGERING = Symbol('lingering');

async function endUploads(request: FastifyRequest, db: Kysely<Database>): Promise<void> {
  const state = running.get(request);
  if (!state) return;
  running.delete(request);
  if (state.dir) await fs.rm(state.dir, { recursive: true, force: true });
  if (state.slots.length > 0) await releaseUploadSlots(db, state.slots);
}

/**
 * Registers @fastify/multipart for the routes that take files (route config `uploads`, with the
 * route's limits) and the checks above. Any other route refuses a multipart body unread (415), so
 * nobody can make the server read files where no form has a file field.
 */
export async function installUploads(app: FastifyInstance, settings: UploadSettings): Promise<void> {
  const tmpRoot = settings.tmpDir ?? os.tmpdir();
  await fs.mkdir(tmpRoot, { recursive: true });
  // What a killed process left behind (the daily uploads purge sweeps again).
  const swept = await sweepUploadFolders({ tmpDir: tmpRoot }).catch((error: unknown) => {
    app.log.warn({ err: error }, 'the temporary folders of earlier uploads could not be swept');
    return 0;
  });
  if (swept > 0) app.log.info({ swept }, 'temporary upload folders left by a stopped process removed');
  const rateLimit = settings.rateLimit ?? DEFAULT_UPLOAD_RATE_LIMIT;
  // The limits are set per request from the route's rules; these only bound what the plugin allows.
  await app.register(multipart, { throwFileSizeLimit: false, limits: { fields: MAX_FIELDS, fieldSize: MAX_FIELD_BYTES } });

  // Every upload route declares its limits and is rate-limited (its own limit, or the default).
  app.addHook('onRoute', (route) => {
    const config = route.config as { uploads?: unknown; rateLimit?: unknown } | undefined;
    if (config?.uploads === undefined) return;
    checkRules(config.uploads, `${String(route.method)} ${route.url}`);
    if (config.rateLimit === undefined) route.config = { ...config, rateLimit } as typeof route.config;
  });

  // A body the answer came before is never read: Node would otherwise read (and drop) the rest of it,
  // 190 MB of it if that is what is sent, to keep the connection for another request.
  app.addHook('onSend', async (request, reply) => {
    if (hasBody(request) && request.raw.complete === false) {
      reply.header('connection', 'close');
      lingerOnClose(request.raw.socket);
    }
  });

  app.addHook('preParsing', async (request, _reply, payload) => {
    // The parser has not run yet, so the header says whether the body is multipart.
    if (!isMultipartRequest(request)) return payload;
    const rules = uploadRules(request.routeOptions.config);
    if (!rules) throw new HttpError(415, 'unsupported_media_type', 'This address takes no files');
    const declared = request.headers['content-length'];
    // Browsers always say how long a form is; without it the cap could only be found by reading.
    if (declared === undefined) throw new HttpError(411, 'length_required', 'A form with files must declare its length (Content-Length)');
    const length = Number(declared);
    if (!Number.isSafeInteger(length) || length < 0) throw new HttpError(400, 'bad_request', 'The Content-Length is not a number');
    if (length > rules.maxBodyBytes) {
      throw new HttpError(413, 'payload_too_large', `This form takes at most ${Math.floor(rules.maxBodyBytes / (1024 * 1024))} MB of files at once`);
    }
    const holders = [`ip:${request.ip}`, ...(request.principal ? [`user:${request.principal.user.id}`] : [])];
    const slots = await acquireUploadSlots(settings.db, holders, settings.slots);
    if (!slots.ok) {
      throw new HttpError(429, 'too_many_uploads', `Too many uploads at once from ${slots.holder.startsWith('user:') ? 'this account' : 'this address'}: wait for one to finish`);
    }
    running.set(request, { slots: slots.ids });
    return payload;
  });

  // The plugin's own attachFieldsToBody would do much the same, but a malformed body (no boundary,
  // cut short) would end in a 500; read here, it is the client's 400.
  app.addHook('preValidation', async (request, reply) => {
    if (!request.isMultipart()) return;
    const rules = uploadRules(request.routeOptions.config);
    if (!rules) throw new HttpError(415, 'unsupported_media_type', 'This address takes no files');
    request.body = await readMultipart(request, reply, rules, tmpRoot);
  });

  app.addHook('onResponse', async (request) => endUploads(request, settings.db));
  app.addHook('onRequestAbort', async (request) => endUploads(request, settings.db));
}

/**
 * Removes the temporary upload folders (zjhk-upload-*) of this system user that nothing has written
 * to for STALE_UPLOAD_FOLDER_MS: left by a process that was killed while a request's files waited
 * there. Several app processes may share the folder: none of them has a request that old. Returns
 * how many were removed.
 */
export async function sweepUploadFolders(options: { tmpDir?: string; now?: Date; olderThanMs?: number } = {}): Promise<number> {
  const root = options.tmpDir ?? os.tmpdir();
  const before = (options.now ?? systemClock()).getTime() - (options.olderThanMs ?? STALE_UPLOAD_FOLDER_MS);
  const uid = process.getuid?.();
  const name = new RegExp(`^${UPLOAD_FOLDER_PREFIX}[A-Za-z0-9]{6}$`);
  let removed = 0;
  const entries = await fs.readdir(root, { withFileTypes: true }).catch(() => []);
  for (const entry of entries) {
    // A real folder of ours only: never a link, never another user's.
    if (!entry.isDirectory() || !name.test(entry.name)) continue;
    const folder = path.join(root, entry.name);
    try {
      const stat = await fs.lstat(folder);
      if (uid !== undefined && stat.uid !== uid) continue;
      // Its last write: the folder changes when a file is added, a file while it is being received.
      let touched = stat.mtimeMs;
      for (const file of await fs.readdir(folder)) touched = Math.max(touched, (await fs.lstat(path.join(folder, file)).catch(() => stat)).mtimeMs);
      if (touched > before) continue;
      await fs.rm(folder, { recursive: true, force: true });
      removed++;
    } catch (error) {
      // Gone meanwhile (its request ended, or another process swept it): nothing to do.
      if ((error as NodeJS.ErrnoException).code !== 'ENOENT') throw error;
    }
  }
  return removed;
}

function isUpload(value: unknown): value is Upload {
  return typeof value === 'object' && value !== null && (value as Partial<Upload>)[UPLOAD] === true;
}

/**
 * The files sent in a form field, in order. A file input left empty (a part with no name and no
 * bytes, as browsers send it) is no file; an empty file that has a name is kept, for the store to
 * refuse as empty.
 */
export function readUploads(body: unknown, fieldName: string): Upload[] {
  if (!body || typeof body !== 'object' || !Object.hasOwn(body, fieldName)) return [];
  const given = (body as Record<string, unknown>)[fieldName];
  return [given]
    .flat()
    .filter(isUpload)
    .filter((upload) => upload.filename !== '' || upload.size > 0 || upload.tooLarge);
}

/** The problem with one uploaded file (checked by content), if any. */
export async function checkUpload(upload: Upload, maxBytes: number): Promise<FieldError | undefined> {
  if (upload.tooLarge || upload.size > maxBytes) return 'file_too_large';
  if (upload.size === 0) return 'file_empty';
  if (!(await detectAllowedType(upload.head, upload.filename))) return 'file_type_not_allowed';
  return undefined;
}

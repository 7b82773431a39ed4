/**
 * Uploaded files: evidence attached to progress updates, documents of project agreements.
 *
 * A file is accepted only for what its bytes are (magic numbers), never for its name or the type the
 * browser declared, and only from a short list of document and image types: no HTML, no SVG, no plain
 * zip, nothing a browser could run as a page. With the embedded database the bytes are kept on disk
 * under DATA_DIR/files (the database stays small and backups of it quick); with a PostgreSQL server
 * they are kept in the row, so every app process behind the server sees them.
 */
import { createHash, randomBytes } from 'node:crypto';
import fs from 'node:fs/promises';
import path from 'node:path';
import type { FastifyReply } from 'fastify';
import { fileTypeFromBuffer } from 'file-type';
import type { Kysely } from 'kysely';
import { systemClock } from '../clock.ts';
import type { Database } from '../db/schema.ts';
import type { Upload } from './uploads.ts';

/** The largest file accepted unless a store says otherwise: 20 MB. */
export const DEFAULT_MAX_FILE_BYTES = 20 * 1024 * 1024;

/** Longest kept file name, in characters (code points). */
const MAX_NAME_LENGTH = 200;

type FileError = 'file_type_not_allowed' | 'file_too_large' | 'file_empty';

export interface StoredFile {
  id: string;
  /** The sanitised name, its extension matching the type found in the bytes. */
  name: string;
  /** The type found in the bytes (never the one the browser declared). */
  mediaType: string;
  size: number;
  /** Hex SHA-256 of the bytes; also the ETag. */
  sha256: string;
  storage: 'disk' | 'database';
  uploadedBy: string | null;
  createdAt: Date;
}

type StoreResult = { ok: true; file: StoredFile } | { ok: false; error: FileError };

/** Where a store keeps bytes: on disk with the embedded database, in the row with a server. */
export interface FileStoreOptions {
  kind: 'pglite' | 'postgres';
  /** DATA_DIR (absolute); disk files go in its files/ folder. */
  dataDir: string;
  /** Default DEFAULT_MAX_FILE_BYTES. */
  maxBytes?: number;
}

interface NewFile {
  /** The name as given (a browser's file name): sanitised before it is kept. */
  name: string;
  bytes: Buffer;
  /** The user's id, or null for the system. */
  uploadedBy: string | null;
}

/** A database handle or a transaction (a Transaction is a Kysely). */
type Q = Kysely<Database>;

// ---------------------------------------------------------------------------------------------
// Types, by content

interface AllowedType {
  mediaType: string;
  /** Extensions a name may end with for this type; the first is added when the name has none of them. */
  extensions: readonly string[];
  /** Shown in the browser rather than downloaded. */
  inline: boolean;
}

/** The types accepted, keyed by the extension file-type reports. */
const ALLOWED: Readonly<Record<string, AllowedType>> = {
  pdf: { mediaType: 'application/pdf', extensions: ['pdf'], inline: true },
  png: { mediaType: 'image/png', extensions: ['png'], inline: true },
  jpg: { mediaType: 'image/jpeg', extensions: ['jpg', 'jpeg', 'jpe'], inline: true },
  webp: { mediaType: 'image/webp', extensions: ['webp'], inline: true },
  gif: { mediaType: 'image/gif', extensions: ['gif'], inline: true },
  docx: { mediaType: 'application/vnd.openxmlformats-officedocument.wordprocessingml.document', extensions: ['docx'], inline: false },
  xlsx: { mediaType: 'application/vnd.openxmlformats-officedocument.spreadsheetml.sheet', extensions: ['xlsx'], inline: false },
  pptx: { mediaType: 'application/vnd.openxmlformats-officedocument.presentationml.presentation', extensions: ['pptx'], inline: false },
  odt: { mediaType: 'application/vnd.oasis.opendocument.text', extensions: ['odt'], inline: false },
  ods: { mediaType: 'application/vnd.oasis.opendocument.spreadsheet', extensions: ['ods'], inline: false },
  odp: { mediaType: 'application/vnd.oasis.opendocument.presentation', extensions: ['odp'], inline: false },
};

/**
 * Legacy Office documents are Compound File Binary containers, as are Outlook messages, installers
 * and more: the bytes alone cannot tell them apart, so a CFB file is accepted only under one of these
 * names, and then as that document type.
 */
const LEGACY_OFFICE: Readonly<Record<string, AllowedType>> = {
  doc: { mediaType: 'application/msword', extensions: ['doc'], inline: false },
  xls: { mediaType: 'application/vnd.ms-excel', extensions: ['xls'], inline: false },
  ppt: { mediaType: 'application/vnd.ms-powerpoint', extensions: ['ppt'], inline: false },
};

const INLINE_TYPES = new Set(
  Object.values(ALLOWED)
    .filter((t) => t.inline)
    .map((t) => t.mediaType),
);

function extensionOf(name: string): string {
  const dot = name.lastIndexOf('.');
  return dot > 0 ? name.slice(dot + 1).toLowerCase() : '';
}

/** The accepted type of these bytes under this name, or undefined when they are not accepted. */
export async function detectAllowedType(bytes: Uint8Array, name: string): Promise<AllowedType | undefined> {
  const found = await fileTypeFromBuffer(bytes);
  if (!found) return undefined;
  if (found.ext === 'cfb') return LEGACY_OFFICE[extensionOf(name)];
  return Object.hasOwn(ALLOWED, found.ext) ? ALLOWED[found.ext] : undefined;
}

// ---------------------------------------------------------------------------------------------
// Names

// C0/C1 controls, and the invisible marks that can disguise a name (right-to-left overrides turn
// "report\u202Efdp.exe" into "reportexe.pdf" on screen).
const UNSAFE_CHARACTERS = /[\p{Cc}\u200B\u200E\u200F\u202A-\u202E\u2066-\u2069\uFEFF]/gu;
// Reserved on Windows, and troublesome in headers.
const RESERVED_CHARACTERS = /[<>:"|?*]/g;

/**
 * A file name safe to keep and show: no folders, no control or direction characters, no leading
 * dots, at most MAX_NAME_LENGTH characters (the extension kept); Chinese and other scripts are kept.
 * When `extensions` is given and the name ends with none of them, the first is added, so that a PDF
 * named "page.html" is downloaded as "page.html.pdf" and opened as what it is.
 */
export function sanitiseFileName(raw: string, extensions?: readonly string[]): string {
  let name = raw
    .normalize('NFC')
    .replace(/[\t\n\v\f\r]/g, ' ')
    .replace(UNSAFE_CHARACTERS, '');
  name = name.split(/[/\\]/).pop() ?? '';
  name = name
    .replace(RESERVED_CHARACTERS, '_')
    .replace(/\s+/g, ' ')
    .replace(/^[\s.]+|[\s.]+$/g, '');
  if (extensions && extensions.length > 0 && !extensions.includes(extensionOf(name))) {
    name = `${name || 'file'}.${extensions[0]}`;
  }
  if (!name) name = 'file';
  const chars = Array.from(name);
  if (chars.length <= MAX_NAME_LENGTH) return name;
  const dot = name.lastIndexOf('.');
  const extension = dot > 0 ? Array.from(name.slice(dot)) : [];
  if (extension.length > 0 && extension.length <= 20) {
    const base = Array.from(name.slice(0, dot)).slice(0, MAX_NAME_LENGTH - extension.length);
    return `${base.join('').trimEnd()}${extension.join('')}`;
  }
  return chars.slice(0, MAX_NAME_LENGTH).join('').trimEnd();
}

// ---------------------------------------------------------------------------------------------
// Storage

const ID_PATTERN = /^[A-Za-z0-9_-]{27}$/;

/** 20 random bytes, base64url: 27 characters, safe in URLs and file names. */
function newFileId(): string {
  return randomBytes(20).toString('base64url');
}

export function isFileId(id: string): boolean {
  return ID_PATTERN.test(id);
}

export function filesDir(dataDir: string): string {
  return path.join(dataDir, 'files');
}

/** Where a disk-stored file's bytes are: DATA_DIR/files/<first two characters of the id>/<id>. */
export function diskPath(dataDir: string, id: string): string {
  if (!isFileId(id)) throw new Error(`not a file id: ${JSON.stringify(id)}`);
  return path.join(filesDir(dataDir), id.slice(0, 2), id);
}

const TEMP_SUFFIX = '.tmp';

/**
 * Writes a file under a temporary name (the bytes given, or a copy of a file already on disk), flushes
 * it, then renames: a reader never sees half a file.
 */
async function writeDurably(file: string, from: Buffer | { path: string }): Promise<void> {
  const dir = path.dirname(file);
  await fs.mkdir(dir, { recursive: true });
  const temp = path.join(dir, `.${path.basename(file)}.${randomBytes(6).toString('hex')}${TEMP_SUFFIX}`);
  try {
    if (Buffer.isBuffer(from)) {
      const handle = await fs.open(temp, 'wx', 0o640);
      try {
        await handle.writeFile(from);
        await handle.sync();
      } finally {
        await handle.close();
      }
    } else {
      // Copied by the kernel where it can: the bytes never pass through the process's memory.
      await fs.copyFile(from.path, temp, fs.constants.COPYFILE_EXCL);
      await fs.chmod(temp, 0o640);
      const handle = await fs.open(temp, 'r+');
      try {
        await handle.sync();
      } finally {
        await handle.close();
      }
    }
    await fs.rename(temp, file);
  } catch (error) {
    await fs.rm(temp, { force: true });
    throw error;
  }
  // The rename is durable once the folder is flushed too (not possible on every platform).
  try {
    const folder = await fs.open(dir, 'r');
    try {
      await folder.sync();
    } finally {
      await folder.close();
    }
  } catch {
    // Windows cannot open a folder for flushing; the rename still happened.
  }
}

const META_COLUMNS = ['id', 'name', 'media_type', 'size', 'sha256', 'storage', 'uploaded_by', 'created_at'] as const;

function toStoredFile(row: { id: string; name: string; media_type: string; size: number; sha256: string; storage: 'disk' | 'database'; uploaded_by: string | null; created_at: Date }): StoredFile {
  return {
    id: row.id,
    name: row.name,
    mediaType: row.media_type,
    size: row.size,
    sha256: row.sha256,
    storage: row.storage,
    uploadedBy: row.uploaded_by,
    createdAt: row.created_at,
  };
}

/**
 * Checks and keeps a file. The row is inserted with `trx` (the caller's transaction, so the file
 * belongs to whatever it is attached to, or to nothing); with the embedded database the bytes are
 * written to disk first, and left there harmlessly if the transaction rolls back (removeOrphanFiles
 * clears them).
 */
async function storeFile(trx: Q, input: FileStoreOptions & NewFile): Promise<StoreResult> {
  const maxBytes = input.maxBytes ?? DEFAULT_MAX_FILE_BYTES;
  const { bytes } = input;
  if (bytes.length === 0) return { ok: false, error: 'file_empty' };
  if (bytes.length > maxBytes) return { ok: false, error: 'file_too_large' };
  const type = await detectAllowedType(bytes, sanitiseFileName(input.name));
  if (!type) return { ok: false, error: 'file_type_not_allowed' };

  const id = newFileId();
  const storage = input.kind === 'pglite' ? 'disk' : 'database';
  if (storage === 'disk') await writeDurably(diskPath(input.dataDir, id), bytes);
  const row = await trx
    .insertInto('files')
    .values({
      id,
      name: sanitiseFileName(input.name, type.extensions),
      media_type: type.mediaType,
      size: bytes.length,
      sha256: createHash('sha256').update(bytes).digest('hex'),
      storage,
      content: storage === 'database' ? bytes : null,
      uploaded_by: input.uploadedBy,
    })
    .returning(META_COLUMNS)
    .executeTakeFirstOrThrow();
  return { ok: true, file: toStoredFile(row) };
}

/**
 * Checks and keeps a file received with a form (streamed to a temporary file as it arrived: see
 * uploads.ts). Its type is found in its first bytes; on disk it is copied from the temporary file, in
 * the database it is read from it for the insert, one file at a time.
 */
async function storeUpload(trx: Q, input: FileStoreOptions & { upload: Upload; uploadedBy: string | null }): Promise<StoreResult> {
  const maxBytes = input.maxBytes ?? DEFAULT_MAX_FILE_BYTES;
  const { upload } = input;
  if (upload.tooLarge || upload.size > maxBytes) return { ok: false, error: 'file_too_large' };
  if (upload.size === 0) return { ok: false, error: 'file_empty' };
  const type = await detectAllowedType(upload.head, sanitiseFileName(upload.filename));
  if (!type) return { ok: false, error: 'file_type_not_allowed' };

  const id = newFileId();
  const storage = input.kind === 'pglite' ? 'disk' : 'database';
  if (storage === 'disk') await writeDurably(diskPath(input.dataDir, id), { path: upload.path });
  const content = storage === 'database' ? await fs.readFile(upload.path) : null;
  if (content && content.length !== upload.size) throw new Error(`the upload ${upload.filename} changed on disk while it was stored`);
  const row = await trx
    .insertInto('files')
    .values({
      id,
      name: sanitiseFileName(upload.filename, type.extensions),
      media_type: type.mediaType,
      size: upload.size,
      sha256: upload.sha256,
      storage,
      content,
      uploaded_by: input.uploadedBy,
    })
    .returning(META_COLUMNS)
    .executeTakeFirstOrThrow();
  return { ok: true, file: toStoredFile(row) };
}

function asBuffer(content: Uint8Array): Buffer {
  return Buffer.isBuffer(content) ? content : Buffer.from(content.buffer, content.byteOffset, content.byteLength);
}

/** A file's description, without its bytes. */
async function findFileMeta(db: Q, id: string): Promise<StoredFile | undefined> {
  if (!isFileId(id)) return undefined;
  const row = await db.selectFrom('files').select(META_COLUMNS).where('id', '=', id).executeTakeFirst();
  return row ? toStoredFile(row) : undefined;
}

/** A file and its bytes, from wherever they were stored (the row says where, not the current database). */
async function readFile(db: Q, dataDir: string, id: string): Promise<{ file: StoredFile; bytes: Buffer } | undefined> {
  if (!isFileId(id)) return undefined;
  const row = await db
    .selectFrom('files')
    .select([...META_COLUMNS, 'content'])
    .where('id', '=', id)
    .executeTakeFirst();
  if (!row) return undefined;
  const file = toStoredFile(row);
  let bytes: Buffer;
  if (file.storage === 'database') {
    if (!row.content) throw new Error(`file ${id} has no content in the database`);
    bytes = asBuffer(row.content);
  } else {
    try {
      bytes = await fs.readFile(diskPath(dataDir, id));
    } catch (error) {
      throw new Error(`file ${id} is missing from ${filesDir(dataDir)}`, { cause: error });
    }
  }
  if (bytes.length !== file.size) throw new Error(`file ${id} has ${bytes.length} bytes, ${file.size} were stored`);
  return { file, bytes };
}

/**
 * Deletes disk files that no row names (their transaction rolled back, or the row was deleted), and
 * temporary files left by an interrupted write: only those older than `olderThanMs` (an hour), so a
 * file whose transaction is still open is never touched. Returns how many were deleted.
 */
export async function removeOrphanFiles(db: Q, dataDir: string, options: { olderThanMs?: number; now?: Date } = {}): Promise<number> {
  const cutoff = (options.now ?? systemClock()).getTime() - (options.olderThanMs ?? 60 * 60 * 1000);
  const root = filesDir(dataDir);
  let folders: string[];
  try {
    folders = await fs.readdir(root);
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code === 'ENOENT') return 0;
    throw error;
  }
  let removed = 0;
  for (const folder of folders) {
    const dir = path.join(root, folder);
    let entries: string[];
    try {
      entries = await fs.readdir(dir);
    } catch {
      continue;
    }
    const candidates: string[] = [];
    for (const entry of entries) {
      const isTemp = entry.startsWith('.') && entry.endsWith(TEMP_SUFFIX);
      if (!isTemp && !isFileId(entry)) continue;
      const stat = await fs.stat(path.join(dir, entry)).catch(() => undefined);
      if (!stat?.isFile() || stat.mtimeMs >= cutoff) continue;
      if (isTemp) {
        await fs.rm(path.join(dir, entry), { force: true });
        removed++;
      } else candidates.push(entry);
    }
    for (let i = 0; i < candidates.length; i += 500) {
      const batch = candidates.slice(i, i + 500);
      const known = new Set((await db.selectFrom('files').select('id').where('id', 'in', batch).execute()).map((r) => r.id));
      for (const id of batch) {
        if (known.has(id)) continue;
        await fs.rm(path.join(dir, id), { force: true });
        removed++;
      }
    }
  }
  return removed;
}

/** Made once at start (from the database kind, DATA_DIR and the size limit) and handed to modules. */
export interface FileStore {
  readonly kind: 'pglite' | 'postgres';
  readonly dataDir: string;
  readonly maxBytes: number;
  /** Checks and keeps a file; the row is inserted with `trx`. */
  save(trx: Q, input: NewFile): Promise<StoreResult>;
  /** Keeps an uploaded file (see readUploads); one over the multipart size limit is refused as too large. */
  saveUpload(trx: Q, upload: Upload, uploadedBy: string | null): Promise<StoreResult>;
  read(db: Q, id: string): Promise<{ file: StoredFile; bytes: Buffer } | undefined>;
  findMeta(db: Q, id: string): Promise<StoredFile | undefined>;
  removeOrphans(db: Q, options?: { olderThanMs?: number; now?: Date }): Promise<number>;
}

export function createFileStore(options: FileStoreOptions): FileStore {
  const settings = { kind: options.kind, dataDir: options.dataDir, maxBytes: options.maxBytes ?? DEFAULT_MAX_FILE_BYTES };
  return {
    ...settings,
    save: (trx, input) => storeFile(trx, { ...settings, ...input }),
    saveUpload: (trx, upload, uploadedBy) => storeUpload(trx, { ...settings, upload, uploadedBy }),
    read: (db, id) => readFile(db, settings.dataDir, id),
    findMeta: (db, id) => findFileMeta(db, id),
    removeOrphans: (db, removeOptions) => removeOrphanFiles(db, settings.dataDir, removeOptions),
  };
}

// ---------------------------------------------------------------------------------------------
// Serving

/** Nothing in a served file may run: no script, no plugin, no same-origin access, no subresource. */
const FILE_CSP = "sandbox; default-src 'none'";
/**
 * Browsers show PDFs with a built-in viewer that a `sandbox` policy blocks outright ("This page has
 * been blocked by Chrome"; Safari and Firefox show nothing). An inline PDF is therefore served
 * without `sandbox` but still with nothing loaded from anywhere; its Content-Type (checked against
 * the bytes) with nosniff means it is only ever rendered by the PDF viewer, never as a page.
 */
const INLINE_PDF_CSP = "default-src 'none'; style-src 'unsafe-inline'; img-src data: blob:";

function asciiFallback(name: string): string {
  const dot = name.lastIndexOf('.');
  const extension = dot > 0 ? name.slice(dot).replace(/[^A-Za-z0-9.]/g, '') : '';
  const base = (dot > 0 ? name.slice(0, dot) : name)
    .replace(/[^\x20-\x7E]+/g, '_')
    .replace(/["\\%;]/g, '_')
    .replace(/_+/g, '_');
  return `${/[A-Za-z0-9]/.test(base) ? base : 'file'}${extension}`;
}

/** RFC 5987 ext-value: UTF-8, percent-encoded except attr-char. */
function encodeExtValue(value: string): string {
  return encodeURIComponent(value).replace(/['()*]/g, (c) => `%${c.charCodeAt(0).toString(16).toUpperCase()}`);
}

/** A Content-Disposition value (RFC 6266): an ASCII filename for old clients, filename* with the real one. */
export function contentDisposition(name: string, type: 'inline' | 'attachment'): string {
  const fallback = asciiFallback(name);
  const header = `${type}; filename="${fallback}"`;
  return fallback === name ? header : `${header}; filename*=UTF-8''${encodeExtValue(name)}`;
}

function matchesEtag(ifNoneMatch: string | undefined, etag: string): boolean {
  if (!ifNoneMatch) return false;
  return ifNoneMatch.split(',').some((candidate) => {
    const tag = candidate.trim();
    return tag === '*' || tag === etag || tag === `W/${etag}`;
  });
}

/**
 * Sends a stored file: its checked type, shown inline when it is a PDF or an image (unless `download`),
 * as an attachment otherwise; it may never run as a page. Revalidated on every use (a file's access can
 * change) with its SHA-256 as ETag, so an unchanged file costs a 304.
 */
export function sendFile(reply: FastifyReply, file: StoredFile, bytes: Buffer, options: { download?: boolean } = {}): FastifyReply {
  const inline = !options.download && INLINE_TYPES.has(file.mediaType);
  const etag = `"${file.sha256}"`;
  reply
    .header('etag', etag)
    .header('cache-control', 'private, max-age=0, must-revalidate')
    .header('x-content-type-options', 'nosniff')
    .header('content-security-policy', inline && file.mediaType === 'application/pdf' ? INLINE_PDF_CSP : FILE_CSP);
  const ifNoneMatch = reply.request.headers['if-none-match'];
  if (matchesEtag(ifNoneMatch, etag)) return reply.code(304).send();
  return reply
    .type(file.mediaType)
    .header('content-disposition', contentDisposition(file.name, inline ? 'inline' : 'attachment'))
    .send(bytes);
}

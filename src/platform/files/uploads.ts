/**
 * Forms with files (multipart/form-data). Such a form reaches its handler with `request.body` shaped
 * as a urlencoded one: each text field a string, a repeated field an array of strings; so readForm and
 * the CSRF check read them unchanged. Each file is buffered into the body as an Upload, which
 * readUploads gets back in a typed way. A file over the size limit does not fail the request: it
 * arrives marked `tooLarge` (without its bytes), so the form can be shown again with a message beside
 * the field.
 */
import multipart, { type MultipartFile } from '@fastify/multipart';
import type { FastifyInstance, FastifyRequest } from 'fastify';
import { HttpError } from '../http/errors.ts';
import type { Transaction } from 'kysely';
import type { Database } from '../db/schema.ts';
import type { FieldError } from '../http/forms.ts';
import { DEFAULT_MAX_FILE_BYTES, detectAllowedType, type FileStore } from './files.ts';

/** Only uploads made here are read back: a look-alike object (a JSON field, say) is never one. */
const UPLOAD = Symbol('upload');

export interface Upload {
  /** The form field it came in. */
  field: string;
  /** The file name the browser sent (no folders); sanitised when the file is stored. */
  filename: string;
  /** The type the browser declared: informational only, the stored type is found in the bytes. */
  mimetype: string;
  /** The bytes (empty when tooLarge). */
  data: Buffer;
  /** Over the size limit: the bytes were dropped as they arrived. */
  tooLarge: boolean;
  readonly [UPLOAD]: true;
}

export interface UploadLimits {
  /** Largest file, in bytes (default DEFAULT_MAX_FILE_BYTES). */
  maxFileBytes?: number;
  /** Most files in one form (default 10); more is refused with a 413. */
  maxFiles?: number;
}

/** Largest text field in a multipart form: forms' fields are at most a few thousand characters. */
const MAX_FIELD_BYTES = 100 * 1024;
const MAX_FIELDS = 500;

async function bufferFile(part: MultipartFile): Promise<Upload> {
  const chunks: Buffer[] = [];
  for await (const chunk of part.file as AsyncIterable<Buffer>) {
    // Past the limit busboy stops passing data on; what came before is dropped rather than kept.
    if (!part.file.truncated) chunks.push(chunk);
  }
  const tooLarge = part.file.truncated;
  return {
    field: part.fieldname,
    filename: part.filename,
    mimetype: part.mimetype,
    data: tooLarge ? Buffer.alloc(0) : Buffer.concat(chunks),
    tooLarge,
    [UPLOAD]: true,
  };
}

function add(body: Record<string, unknown>, name: string, value: unknown): void {
  const existing = body[name];
  if (existing === undefined) body[name] = value;
  else if (Array.isArray(existing)) existing.push(value);
  else body[name] = [existing, value];
}

/**
 * Registers @fastify/multipart for the routes that take files (route config `uploads: true`): their
 * forms are sent as multipart/form-data. The body is read before validation, hence before the CSRF
 * check, as a urlencoded one is. Any other route refuses a multipart body unread (415), so nobody can
 * make the server buffer files where no form has a file field.
 */
export async function installUploads(app: FastifyInstance, limits: UploadLimits = {}): Promise<void> {
  const maxFiles = limits.maxFiles ?? 10;
  await app.register(multipart, {
    // An over-limit file is marked, not thrown: see bufferFile.
    throwFileSizeLimit: false,
    limits: {
      fileSize: limits.maxFileBytes ?? DEFAULT_MAX_FILE_BYTES,
      files: maxFiles,
      fields: MAX_FIELDS,
      fieldSize: MAX_FIELD_BYTES,
      parts: MAX_FIELDS + maxFiles,
    },
  });
  // The plugin's own attachFieldsToBody would do much the same, but a malformed body (no boundary,
  // cut short) would end in a 500; read here, it is the client's 400.
  app.addHook('preValidation', async (request: FastifyRequest) => {
    if (!request.isMultipart()) return;
    if ((request.routeOptions.config as { uploads?: boolean } | undefined)?.uploads !== true) {
      throw new HttpError(415, 'unsupported_media_type', 'This address takes no files');
    }
    const body: Record<string, unknown> = {};
    try {
      for await (const part of request.parts()) {
        if (part.type === 'file') add(body, part.fieldname, await bufferFile(part));
        // A part may declare itself JSON and arrive parsed: browsers never send one, forms take text.
        else if (typeof part.value === 'string') add(body, part.fieldname, part.value);
      }
    } catch (error) {
      const status = (error as { statusCode?: unknown }).statusCode;
      if (typeof status === 'number' && status >= 400 && status < 500) throw error;
      throw new HttpError(400, 'bad_request', `The form could not be read: ${(error as Error).message}`);
    }
    request.body = body;
  });
}

export function isUpload(value: unknown): value is Upload {
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
    .filter((upload) => upload.filename !== '' || upload.data.length > 0 || upload.tooLarge);
}

/** The first problem with uploaded files (checked by content), before anything is saved. */
export async function checkUploads(uploads: Upload[], maxBytes: number): Promise<FieldError | undefined> {
  for (const u of uploads) {
    if (u.tooLarge || u.data.length > maxBytes) return 'file_too_large';
    if (u.data.length === 0) return 'file_empty';
    if (!(await detectAllowedType(u.data, u.filename))) return 'file_type_not_allowed';
  }
  return undefined;
}

/** Stores the uploads in a transaction (checked before with checkUploads) and returns their ids. */
export function storeUploads(files: FileStore, uploads: Upload[], userId: string) {
  return async (trx: Transaction<Database>): Promise<string[]> => {
    const ids: string[] = [];
    for (const upload of uploads) {
      const stored = await files.saveUpload(trx, upload, userId);
      if (!stored.ok) throw new HttpError(400, stored.error, `The file ${upload.filename} was refused: ${stored.error}`);
      ids.push(stored.file.id);
    }
    return ids;
  };
}

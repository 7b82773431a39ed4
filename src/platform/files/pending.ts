/**
 * Forms that lose no files. When a form with files is refused (a mistyped figure, a missing consent),
 * the files that were fine are kept as pending uploads, bound to whoever sent them, and shown on the
 * form again (see PendingFiles in html/forms.tsx): each with a hidden field that sends it again and a
 * button that removes it. The corrected form then brings them, and they are attached with the new
 * ones in the change's own transaction.
 *
 * The sender is the account when someone is signed in, otherwise the browser: a random cookie of its
 * own (only its hash is stored), so an anonymous visitor's files can be neither seen nor used by
 * anyone else; an id that is not the sender's own is as if it had not been sent. A pending upload is
 * usable for PENDING_HOURS, then purged with its file (purgePendingUploads, daily housekeeping).
 */
import { createHash, randomBytes } from 'node:crypto';
import type { FastifyReply, FastifyRequest } from 'fastify';
import { type Kysely, sql, type Transaction } from 'kysely';
import type { Database } from '../db/schema.ts';
import type { FieldError } from '../http/forms.ts';
import type { FileStore } from './files.ts';
import { checkUpload, readUploads, type Upload } from './uploads.ts';

/** The browser's own random token, for files sent without an account. */
export const PENDING_COOKIE = 'pending_uploads';
/** How long a kept file can be sent again before it is purged. */
const PENDING_HOURS = 24;
/** The field that names a kept file to send again: `<field>Kept`. */
const keptFieldName = (field: string) => `${field}Kept`;
/** The button that removes a kept file (its value is the file's id). */
const REMOVE_FIELD = 'removeUpload';

export interface PendingFile {
  id: string;
  name: string;
  size: number;
}

export interface FormFiles {
  /** Files kept from an earlier attempt that the form sent again (the sender's own only). */
  kept: PendingFile[];
  /** Files that came with this request. */
  uploads: Upload[];
  /** A remove button was pressed: the form is to be shown again, not saved. */
  removed: boolean;
  /** The first problem with the new files, or too many files in all. */
  error: FieldError | undefined;
  /** In the change's transaction: stores the new files, takes over the kept ones; their ids, kept first. */
  store(trx: Transaction<Database>): Promise<string[]>;
  /** After the form was refused: keeps the new files that were fine; every file to show again. */
  keep(): Promise<PendingFile[]>;
}

const sha256 = (value: string) => createHash('sha256').update(value).digest('hex');

/** Who the kept files belong to: the account, or this browser's cookie (undefined: none yet). */
function ownerOf(request: FastifyRequest): string | undefined {
  if (request.principal) return `user:${request.principal.user.id}`;
  const token = request.cookies[PENDING_COOKIE];
  return token && /^[A-Za-z0-9_-]{43}$/.test(token) ? `browser:${sha256(token)}` : undefined;
}

/** The owner, giving an anonymous browser its cookie first if it has none. */
function ensureOwner(request: FastifyRequest, reply: FastifyReply): string {
  const known = ownerOf(request);
  if (known) return known;
  const token = randomBytes(32).toString('base64url');
  reply.setCookie(PENDING_COOKIE, token, { path: '/', httpOnly: true, sameSite: 'lax', maxAge: PENDING_HOURS * 3600 });
  request.cookies[PENDING_COOKIE] = token;
  return `browser:${sha256(token)}`;
}

const fresh = () => sql<Date>`now() - ${PENDING_HOURS} * interval '1 hour'`;

/** The owner's kept files among these ids, in the order given. */
async function findPending(db: Kysely<Database>, owner: string, field: string, ids: string[]): Promise<PendingFile[]> {
  if (ids.length === 0) return [];
  const rows = await db
    .selectFrom('pending_uploads as p')
    .innerJoin('files as f', 'f.id', 'p.file_id')
    .select(['f.id', 'f.name', 'f.size'])
    .where('p.file_id', 'in', ids)
    .where('p.owner', '=', owner)
    .where('p.field', '=', field)
    .where('p.created_at', '>', fresh())
    .execute();
  return ids.flatMap((id) => rows.filter((r) => r.id === id));
}

/** Deletes one of the owner's kept files (the row and the file). */
async function removePending(db: Kysely<Database>, owner: string, id: string): Promise<void> {
  await db
    .deleteFrom('files')
    .where('id', 'in', (q) => q.selectFrom('pending_uploads').select('file_id').where('file_id', '=', id).where('owner', '=', owner))
    .execute();
}

const list = (body: unknown, name: string): string[] => {
  const value = body && typeof body === 'object' ? (body as Record<string, unknown>)[name] : undefined;
  return [value].flat().filter((v): v is string => typeof v === 'string' && v !== '');
};

/**
 * The files of one field of a form with files: those kept from before and those just sent, checked.
 * A remove button's file is deleted here (the caller shows the form again when `removed`).
 */
export async function receiveFormFiles(options: {
  request: FastifyRequest;
  reply: FastifyReply;
  db: Kysely<Database>;
  files: FileStore;
  field: string;
  maxFiles: number;
  /** The error for more than maxFiles files in all (default 'too_many_files'). */
  tooMany?: FieldError;
}): Promise<FormFiles> {
  const { request, reply, db, files, field, maxFiles } = options;
  const body = request.body;
  const owner = ownerOf(request);
  const uploads = readUploads(body, field);
  const removeId = list(body, REMOVE_FIELD)[0];
  if (owner && removeId) await removePending(db, owner, removeId);
  const keptIds = [...new Set(list(body, keptFieldName(field)))].filter((id) => id !== removeId).slice(0, maxFiles);
  const kept = owner ? await findPending(db, owner, field, keptIds) : [];
  const checks = await Promise.all(uploads.map((upload) => checkUpload(upload, files.maxBytes)));
  const error = kept.length + uploads.length > maxFiles ? (options.tooMany ?? 'too_many_files') : checks.find(Boolean);

  return {
    kept,
    uploads,
    removed: removeId !== undefined,
    error,
    async store(trx) {
      const ids: string[] = [];
      if (kept.length > 0) {
        const taken = await trx
          .deleteFrom('pending_uploads')
          .where(
            'file_id',
            'in',
            kept.map((k) => k.id),
          )
          .where('owner', '=', owner ?? '')
          .returning('file_id')
          .execute();
        const takenIds = new Set(taken.map((t) => t.file_id));
        ids.push(...kept.map((k) => k.id).filter((id) => takenIds.has(id)));
      }
      for (const upload of uploads) {
        const stored = await files.saveUpload(trx, upload, request.principal?.user.id ?? null);
        if (stored.ok) ids.push(stored.file.id);
      }
      return ids;
    },
    async keep() {
      const fine = uploads.filter((_upload, i) => !checks[i]).slice(0, Math.max(0, maxFiles - kept.length));
      if (fine.length === 0) return kept;
      const keeper = ensureOwner(request, reply);
      const added = await db.transaction().execute(async (trx) => {
        const result: PendingFile[] = [];
        for (const upload of fine) {
          const stored = await files.saveUpload(trx, upload, request.principal?.user.id ?? null);
          if (!stored.ok) continue;
          await trx.insertInto('pending_uploads').values({ file_id: stored.file.id, owner: keeper, field }).execute();
          result.push({ id: stored.file.id, name: stored.file.name, size: stored.file.size });
        }
        return result;
      });
      return [...kept, ...added];
    },
  };
}

/**
 * Deletes pending uploads older than PENDING_HOURS with their files (the disk copies go with the
 * orphan files). Returns how many.
 */
export async function purgePendingUploads(db: Kysely<Database>): Promise<number> {
  const result = await db
    .deleteFrom('files')
    .where('id', 'in', (q) => q.selectFrom('pending_uploads').select('file_id').where('created_at', '<=', fresh()))
    .executeTakeFirst();
  return Number(result.numDeletedRows);
}

import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { crc32 } from 'node:zlib';
import cookie from '@fastify/cookie';
import formbody from '@fastify/formbody';
import { Type as T } from '@sinclair/typebox';
import Fastify, { type FastifyInstance } from 'fastify';
import { afterAll, afterEach, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { testAppFor } from '../../../test/app.ts';
import { multipart, type Part, TestClient } from '../../../test/client.ts';
import { DATABASES, freshDatabaseEach } from '../../../test/databases.ts';
import { loadConfig } from '../../config.ts';
import { installAuth } from '../auth/plugin.ts';
import type { Db } from '../db/index.ts';
import { Fields, Optional, readForm, Text } from '../http/forms.ts';
import { contentDisposition, createFileStore, diskPath, type FileStore, removeOrphanFiles, sanitiseFileName, sendFile, type StoredFile } from './files.ts';
import { installUploads, readUploads } from './uploads.ts';

// ---------------------------------------------------------------------------------------------
// Minimal files of each kind, built here

/** A zip with stored (uncompressed) entries, enough for type detection. */
function zip(entries: [name: string, content: string][]): Buffer {
  const locals: Buffer[] = [];
  const centrals: Buffer[] = [];
  let offset = 0;
  for (const [name, content] of entries) {
    const nameBytes = Buffer.from(name);
    const data = Buffer.from(content);
    const crc = crc32(data);
    const local = Buffer.alloc(30);
    local.writeUInt32LE(0x04034b50, 0);
    local.writeUInt16LE(20, 4);
    local.writeUInt32LE(crc, 14);
    local.writeUInt32LE(data.length, 18);
    local.writeUInt32LE(data.length, 22);
    local.writeUInt16LE(nameBytes.length, 26);
    const central = Buffer.alloc(46);
    central.writeUInt32LE(0x02014b50, 0);
    central.writeUInt16LE(20, 4);
    central.writeUInt16LE(20, 6);
    central.writeUInt32LE(crc, 16);
    central.writeUInt32LE(data.length, 20);
    central.writeUInt32LE(data.length, 24);
    central.writeUInt16LE(nameBytes.length, 28);
    central.writeUInt32LE(offset, 42);
    locals.push(local, nameBytes, data);
    centrals.push(central, nameBytes);
    offset += 30 + nameBytes.length + data.length;
  }
  const directory = Buffer.concat(centrals);
  const end = Buffer.alloc(22);
  end.writeUInt32LE(0x06054b50, 0);
  end.writeUInt16LE(entries.length, 8);
  end.writeUInt16LE(entries.length, 10);
  end.writeUInt32LE(directory.length, 12);
  end.writeUInt32LE(offset, 16);
  return Buffer.concat([...locals, directory, end]);
}

const PDF = Buffer.from('%PDF-1.4\n1 0 obj << /Type /Catalog /Pages 2 0 R >> endobj\n2 0 obj << /Type /Pages /Kids [] /Count 0 >> endobj\ntrailer << /Root 1 0 R >>\n%%EOF\n');
const PNG = Buffer.from('iVBORw0KGgoAAAANSUhEUgAAAAEAAAABCAYAAAAfFcSJAAAADUlEQVR42mP8z8BQDwAEhQGAhKmMIQAAAABJRU5ErkJggg==', 'base64');
const DOCX = zip([
  [
    '[Content_Types].xml',
    '<?xml version="1.0" encoding="UTF-8"?><Types xmlns="http://schemas.openxmlformats.org/package/2006/content-types"><Default Extension="xml" ContentType="application/xml"/><Override PartName="/word/document.xml" ContentType="application/vnd.openxmlformats-officedocument.wordprocessingml.document.main+xml"/></Types>',
  ],
  ['word/document.xml', '<?xml version="1.0" encoding="UTF-8"?><w:document xmlns:w="http://schemas.openxmlformats.org/wordprocessingml/2006/main"><w:body><w:p/></w:body></w:document>'],
]);
const PLAIN_ZIP = zip([['notes.txt', 'hello']]);
const HTML = Buffer.from('<!doctype html><html><body><script>alert(document.cookie)</script></body></html>');
const SVG = Buffer.from('<?xml version="1.0"?><svg xmlns="http://www.w3.org/2000/svg"><script>alert(1)</script></svg>');
/** The header of a Compound File Binary container (legacy Office, but also Outlook messages, installers). */
const CFB = Buffer.concat([Buffer.from('d0cf11e0a1b11ae1', 'hex'), Buffer.alloc(1016)]);

const DOCX_TYPE = 'application/vnd.openxmlformats-officedocument.wordprocessingml.document';

function tempDir(): string {
  return fs.mkdtempSync(path.join(os.tmpdir(), 'zjhk-files-'));
}

// ---------------------------------------------------------------------------------------------

describe('file names', () => {
  it('lose folders, controls and direction marks, keep Chinese, and are cut to 200 characters with the extension kept', () => {
    expect(sanitiseFileName('../../etc/passwd')).toBe('passwd');
    expect(sanitiseFileName('C:\\Users\\chan\\進度報告 2026.pdf')).toBe('進度報告 2026.pdf');
    expect(sanitiseFileName('evil\u202Efdp.exe')).toBe('evilfdp.exe');
    expect(sanitiseFileName('a\u0000b\nc\td.pdf')).toBe('ab c d.pdf');
    expect(sanitiseFileName('..')).toBe('file');
    expect(sanitiseFileName('.htaccess')).toBe('htaccess');
    expect(sanitiseFileName('say "hi"?.pdf')).toBe('say _hi__.pdf');
    const long = sanitiseFileName(`${'浙港合作'.repeat(80)}.docx`);
    expect(Array.from(long)).toHaveLength(200);
    expect(long).toBe(`${'浙港合作'.repeat(48)}浙港合.docx`);
    // Emoji (two UTF-16 units) are not cut in half.
    expect(Array.from(sanitiseFileName('😀'.repeat(300)))).toHaveLength(200);
  });

  it('get the extension of the type found in the bytes when they lack it', () => {
    expect(sanitiseFileName('page.html', ['pdf'])).toBe('page.html.pdf');
    expect(sanitiseFileName('photo.JPEG', ['jpg', 'jpeg'])).toBe('photo.JPEG');
    expect(sanitiseFileName('', ['png'])).toBe('file.png');
  });
});

describe('Content-Disposition', () => {
  it('gives ASCII names as they are, and others in RFC 5987 form with an ASCII fallback', () => {
    expect(contentDisposition('report.pdf', 'inline')).toBe('inline; filename="report.pdf"');
    expect(contentDisposition('進度報告.pdf', 'attachment')).toBe(`attachment; filename="file.pdf"; filename*=UTF-8''%E9%80%B2%E5%BA%A6%E5%A0%B1%E5%91%8A.pdf`);
    expect(contentDisposition('2026 進度報告 (final).docx', 'attachment')).toBe(
      `attachment; filename="2026 _ (final).docx"; filename*=UTF-8''2026%20%E9%80%B2%E5%BA%A6%E5%A0%B1%E5%91%8A%20%28final%29.docx`,
    );
    expect(contentDisposition('100%;x.pdf', 'inline')).toBe(`inline; filename="100_x.pdf"; filename*=UTF-8''100%25%3Bx.pdf`);
  });
});

describe.each(DATABASES)('storing files on %s', (kind) => {
  const t = freshDatabaseEach(kind, { empty: true });
  let dataDir: string;
  let store: FileStore;
  beforeEach(() => {
    dataDir = tempDir();
    store = createFileStore({ kind, dataDir });
  });
  afterEach(() => {
    fs.rmSync(dataDir, { recursive: true, force: true });
  });

  it('accepts a PDF, a PNG and a DOCX by their bytes, and gives them back unchanged', async () => {
    for (const [name, bytes, mediaType] of [
      ['進度報告.pdf', PDF, 'application/pdf'],
      ['photo.png', PNG, 'image/png'],
      ['agreement.docx', DOCX, DOCX_TYPE],
    ] as const) {
      const result = await store.save(t.db.kysely, { name, bytes, uploadedBy: null });
      if (!result.ok) throw new Error(`${name} refused: ${result.error}`);
      expect(result.file).toMatchObject({ name, mediaType, size: bytes.length, storage: kind === 'pglite' ? 'disk' : 'database', uploadedBy: null });
      expect(result.file.id).toMatch(/^[A-Za-z0-9_-]{27}$/);
      expect(result.file.sha256).toMatch(/^[0-9a-f]{64}$/);
      expect(result.file.createdAt).toBeInstanceOf(Date);

      const read = await store.read(t.db.kysely, result.file.id);
      expect(read?.file).toEqual(result.file);
      expect(read?.bytes.equals(bytes)).toBe(true);
      expect(await store.findMeta(t.db.kysely, result.file.id)).toEqual(result.file);

      const row = await t.db.kysely.selectFrom('files').select(['storage', 'content']).where('id', '=', result.file.id).executeTakeFirstOrThrow();
      const onDisk = diskPath(dataDir, result.file.id);
      if (kind === 'pglite') {
        // With the embedded database the bytes are on disk, under files/<first two characters>/<id>.
        expect(row).toEqual({ storage: 'disk', content: null });
        expect(fs.readFileSync(onDisk).equals(bytes)).toBe(true);
        expect(path.relative(dataDir, onDisk)).toBe(path.join('files', result.file.id.slice(0, 2), result.file.id));
      } else {
        // With a server they are in the row, for every app process to see.
        expect(row.storage).toBe('database');
        expect(Buffer.from(row.content as Uint8Array).equals(bytes)).toBe(true);
        expect(fs.existsSync(onDisk)).toBe(false);
      }
    }
    expect(await store.read(t.db.kysely, 'A'.repeat(27))).toBeUndefined();
    expect(await store.read(t.db.kysely, '../../etc/passwd')).toBeUndefined();
  });

  it('refuses by content: HTML named .pdf, SVG, a plain zip, an empty file, a file over the limit', async () => {
    const small = createFileStore({ kind, dataDir, maxBytes: 100 });
    const cases = [
      [store, 'report.pdf', HTML, 'file_type_not_allowed'],
      [store, 'diagram.svg', SVG, 'file_type_not_allowed'],
      [store, 'archive.zip', PLAIN_ZIP, 'file_type_not_allowed'],
      [store, 'archive.docx', PLAIN_ZIP, 'file_type_not_allowed'],
      [store, 'message.msg', CFB, 'file_type_not_allowed'],
      [store, 'empty.pdf', Buffer.alloc(0), 'file_empty'],
      [small, 'big.pdf', PDF, 'file_too_large'],
    ] as const;
    for (const [using, name, bytes, error] of cases) {
      expect(await using.save(t.db.kysely, { name, bytes, uploadedBy: null }), name).toEqual({ ok: false, error });
    }
    expect(await t.db.kysely.selectFrom('files').select('id').execute()).toEqual([]);
    expect(fs.existsSync(path.join(dataDir, 'files'))).toBe(false);
  });

  it('accepts a legacy Office container only under a legacy Office name, and names a file after its real type', async () => {
    const doc = await store.save(t.db.kysely, { name: 'minutes.DOC', bytes: CFB, uploadedBy: null });
    expect(doc).toMatchObject({ ok: true, file: { name: 'minutes.DOC', mediaType: 'application/msword' } });
    const xls = await store.save(t.db.kysely, { name: 'figures.xls', bytes: CFB, uploadedBy: null });
    expect(xls).toMatchObject({ ok: true, file: { mediaType: 'application/vnd.ms-excel' } });
    const misnamed = await store.save(t.db.kysely, { name: 'dir/page.html', bytes: PDF, uploadedBy: null });
    expect(misnamed).toMatchObject({ ok: true, file: { name: 'page.html.pdf', mediaType: 'application/pdf' } });
  });

  it('leaves no row when the transaction rolls back, and clears the orphan disk file after an hour', async () => {
    let id = '';
    await expect(
      t.db.kysely.transaction().execute(async (trx) => {
        const result = await store.save(trx, { name: 'evidence.pdf', bytes: PDF, uploadedBy: null });
        if (!result.ok) throw new Error(result.error);
        id = result.file.id;
        throw new Error('the update it belonged to failed');
      }),
    ).rejects.toThrow('failed');
    expect(await store.findMeta(t.db.kysely, id)).toBeUndefined();
    const kept = await store.save(t.db.kysely, { name: 'kept.pdf', bytes: PDF, uploadedBy: null });
    if (!kept.ok) throw new Error(kept.error);
    if (kind === 'pglite') {
      expect(fs.existsSync(diskPath(dataDir, id))).toBe(true);
      // A temporary file left by an interrupted write.
      const temp = path.join(dataDir, 'files', 'ab', '.abc.123.tmp');
      fs.mkdirSync(path.dirname(temp), { recursive: true });
      fs.writeFileSync(temp, 'partial');
      // Too recent: its transaction might still be open.
      expect(await removeOrphanFiles(t.db.kysely, dataDir)).toBe(0);
      const later = new Date(Date.now() + 2 * 3600 * 1000);
      expect(await store.removeOrphans(t.db.kysely, { now: later })).toBe(2);
      expect(fs.existsSync(diskPath(dataDir, id))).toBe(false);
      expect(fs.existsSync(temp)).toBe(false);
      expect((await store.read(t.db.kysely, kept.file.id))?.bytes.equals(PDF)).toBe(true);
    } else {
      expect(await store.removeOrphans(t.db.kysely, { now: new Date(Date.now() + 2 * 3600 * 1000) })).toBe(0);
    }
  });
});

describe('sending a file', () => {
  let app: FastifyInstance;
  const files = new Map<string, { file: StoredFile; bytes: Buffer }>();
  const stored = (id: string, name: string, mediaType: string, bytes: Buffer): void => {
    files.set(id, { file: { id, name, mediaType, size: bytes.length, sha256: 'a'.repeat(63) + id.length, storage: 'disk', uploadedBy: null, createdAt: new Date() }, bytes });
  };
  beforeAll(async () => {
    stored('pdf', '進度報告.pdf', 'application/pdf', PDF);
    stored('png', 'photo.png', 'image/png', PNG);
    stored('docx', 'agreement.docx', DOCX_TYPE, DOCX);
    app = Fastify();
    app.get<{ Params: { id: string }; Querystring: { download?: string } }>('/files/:id', async (request, reply) => {
      const found = files.get(request.params.id);
      if (!found) return reply.code(404).send();
      return sendFile(reply, found.file, found.bytes, { download: request.query.download !== undefined });
    });
    await app.ready();
  });
  afterAll(() => app.close());

  it('sends the stored type inline for PDFs and images, as an attachment otherwise, and never as a page', async () => {
    const pdf = await app.inject({ url: '/files/pdf' });
    expect(pdf.statusCode).toBe(200);
    expect(pdf.rawPayload.equals(PDF)).toBe(true);
    expect(pdf.headers).toMatchObject({
      'content-type': 'application/pdf',
      'content-disposition': `inline; filename="file.pdf"; filename*=UTF-8''%E9%80%B2%E5%BA%A6%E5%A0%B1%E5%91%8A.pdf`,
      'x-content-type-options': 'nosniff',
      'cache-control': 'private, max-age=0, must-revalidate',
      etag: `"${'a'.repeat(63)}3"`,
    });
    // A sandbox would stop the browser's PDF viewer; nothing may load from anywhere all the same.
    expect(pdf.headers['content-security-policy']).toMatch(/^default-src 'none'/);

    const png = await app.inject({ url: '/files/png' });
    expect(png.headers).toMatchObject({ 'content-type': 'image/png', 'content-disposition': 'inline; filename="photo.png"', 'content-security-policy': "sandbox; default-src 'none'" });

    const docx = await app.inject({ url: '/files/docx' });
    expect(docx.headers).toMatchObject({ 'content-type': DOCX_TYPE, 'content-disposition': 'attachment; filename="agreement.docx"', 'content-security-policy': "sandbox; default-src 'none'" });

    const download = await app.inject({ url: '/files/pdf?download' });
    expect(download.headers['content-disposition']).toMatch(/^attachment; /);
    expect(download.headers['content-security-policy']).toBe("sandbox; default-src 'none'");
  });

  it('answers 304 to a matching If-None-Match', async () => {
    const first = await app.inject({ url: '/files/png' });
    const etag = first.headers.etag as string;
    for (const given of [etag, `W/${etag}`, `"other", ${etag}`, '*']) {
      const again = await app.inject({ url: '/files/png', headers: { 'if-none-match': given } });
      expect(again.statusCode, given).toBe(304);
      expect(again.body).toBe('');
      expect(again.headers.etag).toBe(etag);
    }
    expect((await app.inject({ url: '/files/png', headers: { 'if-none-match': '"other"' } })).statusCode).toBe(200);
  });
});

// ---------------------------------------------------------------------------------------------
// Forms with files

describe.each(DATABASES)('a form with files on %s', (kind) => {
  const t = freshDatabaseEach(kind);
  let app: FastifyInstance;
  let dataDir: string;
  const MAX = 64 * 1024;

  /** An app with the same plugins as the real one, and a form route that stores its files. */
  async function formApp(db: Db): Promise<FastifyInstance> {
    const store = createFileStore({ kind, dataDir, maxBytes: MAX });
    const instance = Fastify({ ajv: { customOptions: { coerceTypes: 'array', removeAdditional: false, allErrors: true } } });
    await instance.register(cookie);
    await instance.register(formbody);
    await installUploads(instance, { db: db.kysely });
    await installAuth(instance, { db, session: loadConfig({}).session });
    instance.get('/form', { config: { access: 'public' } }, async (_request, reply) => reply.type('text/html').send(`<form><input type="hidden" name="_csrf" value="${reply.generateCsrf()}"></form>`));
    instance.post('/form', { config: { access: 'public', uploads: { maxFiles: 10, maxFileBytes: MAX } }, schema: { body: T.Record(T.String(), T.Unknown()) } }, async (request) => {
      const form = readForm(request.body, Fields({ title: Text(200), tag: Optional(Text()) }));
      const uploads = readUploads(request.body, 'evidence');
      const results = await db.kysely.transaction().execute(async (trx) => Promise.all(uploads.map((upload) => store.saveUpload(trx, upload, null))));
      const tags = (request.body as { tag?: unknown }).tag;
      return {
        values: form.values,
        errors: form.errors,
        tags,
        files: uploads.map((upload, i) => {
          const result = results[i];
          return { filename: upload.filename, declared: upload.mimetype, size: upload.size, stored: result?.ok ? result.file.mediaType : result?.error };
        }),
      };
    });
    await instance.ready();
    return instance;
  }

  beforeEach(async () => {
    dataDir = tempDir();
    app = await formApp(t.db);
  });
  afterEach(async () => {
    await app.close();
    fs.rmSync(dataDir, { recursive: true, force: true });
  });

  const token = async (client: TestClient): Promise<string> => {
    const page = await client.get('/form');
    const found = page.body.match(/name="_csrf" value="([^"]+)"/)?.[1];
    if (!found) throw new Error('no token');
    return found;
  };
  const post = (client: TestClient, parts: Part[]) => {
    const { payload, contentType } = multipart(parts);
    return app.inject({ method: 'POST', url: '/form', headers: { 'content-type': contentType, cookie: [...client.cookies].map(([k, v]) => `${k}=${v}`).join('; ') }, payload });
  };

  it('is refused without its CSRF token, and with it brings its text fields and files', async () => {
    const client = new TestClient(app);
    const csrf = await token(client);
    const fields: Part[] = [
      { name: 'title', value: '  第一季度進度  ' },
      { name: 'tag', value: 'trade' },
      { name: 'tag', value: '貿易' },
      { name: 'evidence', filename: '報告.pdf', type: 'application/pdf', data: PDF },
      // Declared as a PDF: the bytes say HTML.
      { name: 'evidence', filename: 'looks-fine.pdf', type: 'application/pdf', data: HTML },
      { name: 'evidence', filename: 'photo.png', type: 'image/png', data: PNG },
      { name: 'evidence', filename: 'agreement.docx', data: DOCX },
      { name: 'evidence', filename: 'huge.pdf', type: 'application/pdf', data: Buffer.concat([PDF, Buffer.alloc(MAX)]) },
      { name: 'evidence', filename: 'empty.pdf', data: Buffer.alloc(0) },
      // A file input left empty.
      { name: 'evidence', filename: '', data: Buffer.alloc(0) },
    ];

    const refused = await post(client, fields);
    expect(refused.statusCode).toBe(403);
    expect(await t.db.kysely.selectFrom('files').select('id').execute()).toEqual([]);
    const forged = await post(client, [{ name: '_csrf', value: 'forged' }, ...fields]);
    expect(forged.statusCode).toBe(403);

    const accepted = await post(client, [{ name: '_csrf', value: csrf }, ...fields]);
    expect(accepted.statusCode).toBe(200);
    expect(accepted.json()).toEqual({
      values: { title: '第一季度進度', tag: 'trade' },
      errors: {},
      tags: ['trade', '貿易'],
      files: [
        { filename: '報告.pdf', declared: 'application/pdf', size: PDF.length, stored: 'application/pdf' },
        { filename: 'looks-fine.pdf', declared: 'application/pdf', size: HTML.length, stored: 'file_type_not_allowed' },
        { filename: 'photo.png', declared: 'image/png', size: PNG.length, stored: 'image/png' },
        { filename: 'agreement.docx', declared: 'application/octet-stream', size: DOCX.length, stored: DOCX_TYPE },
        { filename: 'huge.pdf', declared: 'application/pdf', size: 0, stored: 'file_too_large' },
        { filename: 'empty.pdf', declared: 'application/octet-stream', size: 0, stored: 'file_empty' },
      ],
    });
    const kept = await t.db.kysely.selectFrom('files').select(['name', 'media_type']).orderBy('media_type').execute();
    expect(kept).toEqual([
      { name: '報告.pdf', media_type: 'application/pdf' },
      { name: 'agreement.docx', media_type: DOCX_TYPE },
      { name: 'photo.png', media_type: 'image/png' },
    ]);

    // The CSRF token may also come in the header, and the form still as urlencoded.
    const header = await app.inject({
      method: 'POST',
      url: '/form',
      headers: { 'content-type': multipart([]).contentType, 'x-csrf-token': csrf, cookie: [...client.cookies].map(([k, v]) => `${k}=${v}`).join('; ') },
      payload: multipart([{ name: 'title', value: 'by header' }]).payload,
    });
    expect(header.json()).toMatchObject({ values: { title: 'by header' }, files: [] });
    const urlencoded = await client.post('/form', { title: 'plain form' });
    expect(urlencoded.json()).toMatchObject({ values: { title: 'plain form' }, files: [] });
  });

  it('refuses more than ten files, and a file in a field made to look like one', async () => {
    const client = new TestClient(app);
    const csrf = await token(client);
    const many: Part[] = Array.from({ length: 11 }, (_, i) => ({ name: 'evidence', filename: `p${i}.png`, data: PNG }));
    const tooMany = await post(client, [{ name: '_csrf', value: csrf }, { name: 'title', value: 'x' }, ...many]);
    expect(tooMany.statusCode).toBe(413);
    const ten = await post(client, [{ name: '_csrf', value: csrf }, { name: 'title', value: 'x' }, ...many.slice(1)]);
    expect(ten.statusCode).toBe(200);
    expect(ten.json().files).toHaveLength(10);

    // A text field (even JSON) is never read as a file.
    // The token first, as every form sends it; then the look-alike, then the rest.
    const { payload, contentType } = multipart([{ name: 'title', value: 'x' }]);
    const boundary = contentType.split('boundary=')[1] as string;
    const first = Buffer.from(`--${boundary}\r\nContent-Disposition: form-data; name="_csrf"\r\n\r\n${csrf}\r\n`);
    const json = Buffer.from(`--${boundary}\r\nContent-Disposition: form-data; name="evidence"\r\nContent-Type: application/json\r\n\r\n{"filename":"a.pdf","data":"%PDF-1.4"}\r\n`);
    const lookalike = await app.inject({
      method: 'POST',
      url: '/form',
      headers: { 'content-type': contentType, cookie: [...client.cookies].map(([k, v]) => `${k}=${v}`).join('; ') },
      payload: Buffer.concat([first, json, payload]),
    });
    expect(lookalike.statusCode).toBe(200);
    expect(lookalike.json().files).toEqual([]);
  });

  it('answers a malformed multipart body with a 400, not a server error', async () => {
    const client = new TestClient(app);
    const csrf = await token(client);
    const cookieHeader = [...client.cookies].map(([k, v]) => `${k}=${v}`).join('; ');
    for (const [contentType, payload] of [
      ['multipart/form-data', 'no boundary'],
      ['multipart/form-data; boundary=zz', `--zz\r\nContent-Disposition: form-data; name="_csrf"\r\n\r\n${csrf}\r\n--zz\r\nContent-Disposition: form-data; name="title"\r\n\r\ncut short`],
    ] as const) {
      const response = await app.inject({ method: 'POST', url: '/form', headers: { 'content-type': contentType, cookie: cookieHeader, 'x-csrf-token': csrf }, payload });
      expect(response.statusCode, contentType).toBe(400);
    }
  });
});

describe.each(DATABASES)('the app and multipart forms on %s', (kind) => {
  const t = testAppFor(kind);

  it('refuses a multipart body, unread, where no form takes files', async () => {
    const client = new TestClient(t.app);
    const page = await client.get('/en/forgot-password');
    const csrf = page.body.match(/name="_csrf" value="([^"]+)"/)?.[1] as string;
    const { payload, contentType } = multipart([
      { name: '_csrf', value: csrf },
      { name: 'email', value: 'someone@example.org' },
      { name: 'email', filename: 'a.png', data: PNG },
    ]);
    const response = await t.app.inject({
      method: 'POST',
      url: '/en/forgot-password',
      headers: { 'content-type': contentType, cookie: [...client.cookies].map(([k, v]) => `${k}=${v}`).join('; '), accept: 'text/html' },
      payload,
    });
    expect(response.statusCode).toBe(415);
    expect(await t.database.db.kysely.selectFrom('mail_outbox').select('id').execute()).toHaveLength(0);
  });
});

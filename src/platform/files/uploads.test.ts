import { execFile } from 'node:child_process';
import http from 'node:http';
import type { AddressInfo, Socket } from 'node:net';
import { promisify } from 'node:util';
import type { FastifyInstance } from 'fastify';
import { sql } from 'kysely';
import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { signedInClient, testAppFor } from '../../../test/app.ts';
import { multipart, TestClient } from '../../../test/client.ts';
import { DATABASES, TEST_SECRET_KEY } from '../../../test/databases.ts';
import { buildApp } from '../../app.tsx';
import { loadConfig } from '../../config.ts';
import { purgePendingUploads } from './pending.ts';
import { DEFAULT_UPLOAD_RATE_LIMIT } from './uploads.ts';
import { DEFAULT_SLOT_LIMITS } from './slots.ts';

/** The smallest real PDF a reader accepts. */
const PDF = Buffer.from('%PDF-1.4\n1 0 obj<</Type/Catalog/Pages 2 0 R>>endobj 2 0 obj<</Type/Pages/Kids[]/Count 0>>endobj\ntrailer<</Root 1 0 R>>\n%%EOF\n');
const MB = 1024 * 1024;
const BOUNDARY = '----zjhkBoundary7MA4YWxkTrZu0gW';

interface Sent {
  status: number | undefined;
  /** Milliseconds from the first byte sent to the answer. */
  answeredMs: number;
  /** Milliseconds until the connection was closed (by either side). */
  closedMs: number;
  /** Body bytes the client managed to send before the connection closed. */
  sentBytes: number;
  body: string;
}

/**
 * Sends a multipart request over a real socket: `first` at once, then filler at about 10 MB/s up
 * to the declared length (as a slow uplink would), until the server answers and closes, or `stopAfterMs`.
 */
function slowUpload(port: number, options: { path: string; declared: number; first: Buffer; cookie?: string; stopAfterMs?: number }): Promise<Sent> {
  return new Promise((resolve) => {
    const started = Date.now();
    let status: number | undefined;
    let answeredMs = -1;
    let sentBytes = 0;
    let body = '';
    let done = false;
    const request = http.request({
      host: '127.0.0.1',
      port,
      method: 'POST',
      path: options.path,
      agent: false,
      headers: { 'content-type': `multipart/form-data; boundary=${BOUNDARY}`, 'content-length': options.declared, accept: 'text/html', ...(options.cookie ? { cookie: options.cookie } : {}) },
    });
    const finish = () => {
      if (done) return;
      done = true;
      clearInterval(timer);
      clearTimeout(stop);
      resolve({ status, answeredMs, closedMs: Date.now() - started, sentBytes, body });
    };
    request.on('response', (response) => {
      status = response.statusCode;
      answeredMs = Date.now() - started;
      response.on('data', (chunk: Buffer) => {
        body += chunk.toString();
      });
    });
    request.on('error', finish);
    request.on('close', finish);
    request.write(options.first);
    sentBytes += options.first.length;
    const filler = Buffer.alloc(100 * 1024, 0x41);
    const timer = setInterval(() => {
      if (request.destroyed) return;
      const left = options.declared - sentBytes;
      if (left <= 0) return;
      const piece = left < filler.length ? filler.subarray(0, left) : filler;
      sentBytes += piece.length;
      request.write(piece);
    }, 10);
    const stop = setTimeout(() => {
      request.destroy();
      finish();
    }, options.stopAfterMs ?? 8000);
  });
}

/**
 * `times` uploads one after another from a child process: the file part, a 4 MB burst, then 100 KB
 * every 10 ms up to 190 MB; each reports its answer's status, when it came and when the connection closed.
 */
async function uploadsFromAnotherProcess(port: number, path: string, times: number): Promise<{ status: number | null; answeredMs: number; closedMs: number }[]> {
  const script = `
    const http = require('node:http');
    const one = () => new Promise((resolve) => {
      const started = Date.now();
      let status = null, answeredMs = -1, done = false;
      const request = http.request({ host: '127.0.0.1', port: ${port}, method: 'POST', path: ${JSON.stringify(path)}, agent: false,
        headers: { 'content-type': 'multipart/form-data; boundary=${BOUNDARY}', 'content-length': ${190 * MB}, accept: 'text/html' } });
      const finish = () => { if (done) return; done = true; clearInterval(timer); clearTimeout(stop); resolve({ status, answeredMs, closedMs: Date.now() - started }); };
      request.on('response', (r) => { status = r.statusCode; answeredMs = Date.now() - started; r.resume(); });
      request.on('error', finish);
      request.on('close', finish);
      request.write(${JSON.stringify(filePart('attachments', 'a.pdf').toString())});
      request.write(Buffer.alloc(${4 * MB}, 65));
      const chunk = Buffer.alloc(${100 * 1024}, 65);
      const timer = setInterval(() => { if (!request.destroyed) request.write(chunk); }, 10);
      const stop = setTimeout(() => { request.destroy(); finish(); }, 4000);
    });
    (async () => { const results = []; for (let i = 0; i < ${times}; i++) results.push(await one()); process.stdout.write(JSON.stringify(results)); })();
  `;
  const { stdout } = await promisify(execFile)(process.execPath, ['-e', script], { timeout: 60_000 });
  return JSON.parse(stdout) as { status: number | null; answeredMs: number; closedMs: number }[];
}

/** A request that declares a body and sends none of it, holding its upload slot until `abort`. */
function stalledUpload(port: number, path: string, cookie?: string): { response: Promise<number | undefined>; abort(): void } {
  const request = http.request({
    host: '127.0.0.1',
    port,
    method: 'POST',
    path,
    agent: false,
    headers: { 'content-type': `multipart/form-data; boundary=${BOUNDARY}`, 'content-length': 5000, accept: 'text/html', ...(cookie ? { cookie } : {}) },
  });
  const response = new Promise<number | undefined>((resolve) => {
    request.on('response', (r) => {
      r.resume();
      resolve(r.statusCode);
    });
    request.on('error', () => resolve(undefined));
    request.on('close', () => resolve(undefined));
  });
  request.flushHeaders();
  return { response, abort: () => request.destroy() };
}

const filePart = (name: string, filename: string) =>
  Buffer.from(`--${BOUNDARY}\r\nContent-Disposition: form-data; name="${name}"; filename="${filename}"\r\nContent-Type: application/pdf\r\n\r\n%PDF-1.4\n`);
const fieldPart = (name: string, value: string) => Buffer.from(`--${BOUNDARY}\r\nContent-Disposition: form-data; name="${name}"\r\n\r\n${value}\r\n`);
const cookieOf = (client: TestClient) => [...client.cookies].map(([k, v]) => `${k}=${v}`).join('; ');

async function until(check: () => Promise<boolean>, what: string): Promise<void> {
  for (let i = 0; i < 200; i++) {
    if (await check()) return;
    await new Promise((r) => setTimeout(r, 25));
  }
  throw new Error(`timed out waiting for ${what}`);
}

describe.each(DATABASES)('uploads refused before they cost anything, on %s', (kind) => {
  const t = testAppFor(kind);
  const db = () => t.database.db.kysely;
  let port = 0;
  /** A second app process on the same database. */
  let other: FastifyInstance;
  let otherPort = 0;

  /** Bytes the server has read from its connections (reset by each test that looks). */
  let serverRead = 0;
  beforeAll(async () => {
    t.app.server.on('connection', (socket: Socket) => socket.on('data', (chunk: Buffer) => (serverRead += chunk.length)));
    await t.app.listen({ port: 0, host: '127.0.0.1' });
    port = (t.app.server.address() as AddressInfo).port;
    const built = await buildApp({ config: loadConfig({ LOG_LEVEL: 'silent', SECRET_KEY: TEST_SECRET_KEY }), db: t.database.db, logger: false });
    other = built.app;
    await other.listen({ port: 0, host: '127.0.0.1' });
    otherPort = (other.server.address() as AddressInfo).port;
  });
  afterAll(async () => {
    await other?.close();
  });
  beforeEach(async () => {
    await db().deleteFrom('rate_limits').execute();
  });
  /** The ids of every stored file, to tell what a test left behind from what was there before it. */
  const fileIds = async () => (await db().selectFrom('files').select('id').execute()).map((r) => r.id).sort();

  it('answers an anonymous upload to the workspace 401 at once and closes the connection instead of reading 190 MB', async () => {
    // Closing at once with unread bytes waiting makes the system reset the connection, which often
    // reaches the client before the answer does: so several times, each with 4 MB already on its way,
    // from a client in a process of its own (as a browser is), so the race is a real one.
    const filesBefore = await fileIds();
    serverRead = 0;
    const sent = await uploadsFromAnotherProcess(port, '/en/workspace/actions/1/updates/new', 5);
    for (const one of sent) {
      expect(one.status).toBe(401);
      expect(one.answeredMs).toBeLessThan(1000);
      // At 10 MB/s the body would take 19 s: the server hung up long before.
      expect(one.closedMs).toBeLessThan(2000);
    }
    // Having read a few MB of each at most.
    expect(serverRead).toBeLessThan(5 * 16 * MB);
    // No file stored by these uploads (other tests' files may be there).
    expect(await fileIds()).toEqual(filesBefore);
  });

  it('refuses a body over the route’s own cap from its declared length (413), before reading it', async () => {
    const client = new TestClient(t.app);
    await client.get('/en/enquiries/new');
    // The enquiry form takes five files of 20 MB.
    const sent = await slowUpload(port, { path: '/en/enquiries/new', declared: 190 * MB, first: fieldPart('_csrf', 'x'), cookie: cookieOf(client) });
    expect(sent.status).toBe(413);
    expect(sent.answeredMs).toBeLessThan(1000);
    expect(sent.closedMs).toBeLessThan(2000);
    expect(sent.body).toContain('Too much to send at once');
  });

  it('refuses a body whose first part is not a valid CSRF token (403) while its file is still arriving', async () => {
    const client = new TestClient(t.app);
    const page = await client.get('/en/enquiries/new');
    const token = page.body.match(/name="_csrf" value="([^"]+)"/)?.[1] as string;
    const filesBefore = await fileIds();
    // A file first; a forged token; the token after another field; the token whose part never ends (a "token" as long as the body).
    for (const first of [
      filePart('attachments', 'a.pdf'),
      Buffer.concat([fieldPart('_csrf', 'forged'), filePart('attachments', 'a.pdf')]),
      Buffer.concat([fieldPart('subject', 'x'), fieldPart('_csrf', token), filePart('attachments', 'a.pdf')]),
      fieldPart('_csrf', token).subarray(0, -2),
    ]) {
      const sent = await slowUpload(port, { path: '/en/enquiries/new', declared: 90 * MB, first, cookie: cookieOf(client) });
      expect(sent.status).toBe(403);
      expect(sent.closedMs).toBeLessThan(2000);
      expect(sent.sentBytes).toBeLessThan(30 * MB);
    }
    // The same form with its token first goes through to the form (no consent: shown again).
    const { payload, contentType } = multipart([
      { name: '_csrf', value: token },
      { name: 'intent', value: 'submit' },
    ]);
    const accepted = await t.app.inject({ method: 'POST', url: '/en/enquiries/new', headers: { 'content-type': contentType, cookie: cookieOf(client) }, payload });
    expect(accepted.statusCode).toBe(200);
    // No file stored by any of these requests (other tests' files may be there).
    expect(await fileIds()).toEqual(filesBefore);
  });

  it('counts running uploads per address and per account across app processes on one database', async () => {
    // Four uploads from this address on one process take every slot of the address …
    const held = Array.from({ length: DEFAULT_SLOT_LIMITS.perAddress }, () => stalledUpload(port, '/en/enquiries/new'));
    const slots = async () => Number((await db().selectFrom('upload_slots').select(sql<number>`count(*)`.as('n')).executeTakeFirstOrThrow()).n);
    await until(async () => (await slots()) === DEFAULT_SLOT_LIMITS.perAddress, 'the slots to be taken');
    // … so the fifth, on the other process, is refused before its body is read.
    const fifth = await slowUpload(otherPort, { path: '/en/enquiries/new', declared: 50 * MB, first: fieldPart('_csrf', 'x') });
    expect(fifth.status).toBe(429);
    expect(fifth.body).toContain('<html');
    // A dropped upload gives its slot back.
    for (const h of held) h.abort();
    await until(async () => (await slots()) === 0, 'the slots to be given back');
    const again = await slowUpload(otherPort, { path: '/en/enquiries/new', declared: 50 * MB, first: Buffer.concat([fieldPart('_csrf', 'x'), filePart('attachments', 'a.pdf')]) });
    expect(again.status).toBe(403);

    // An account has two, wherever it uploads from.
    const { client } = await signedInClient(t, { email: 'uploads-officer@example.org', role: 'agency-officer', organisationId: 'hk-fstb' });
    const cookie = cookieOf(client);
    const mine = Array.from({ length: DEFAULT_SLOT_LIMITS.perAccount }, () => stalledUpload(port, '/en/workspace/actions/1/updates/new', cookie));
    await until(async () => (await db().selectFrom('upload_slots').select('id').where('holder', 'like', 'user:%').execute()).length === DEFAULT_SLOT_LIMITS.perAccount, 'the account’s slots');
    const third = await slowUpload(otherPort, { path: '/en/workspace/actions/1/updates/new', declared: 10 * MB, first: fieldPart('_csrf', 'x'), cookie });
    expect(third.status).toBe(429);
    for (const h of mine) h.abort();
    await until(async () => (await slots()) === 0, 'the account’s slots to be given back');

    // A slot whose process died is free once it expires.
    await db()
      .insertInto('upload_slots')
      .values(Array.from({ length: DEFAULT_SLOT_LIMITS.perAddress }, (_, i) => ({ id: `dead-${i}`, holder: 'ip:127.0.0.1', expires_at: new Date(Date.now() - 1000) })))
      .execute();
    const afterCrash = await slowUpload(otherPort, { path: '/en/enquiries/new', declared: 10 * MB, first: Buffer.concat([fieldPart('_csrf', 'x'), filePart('attachments', 'a.pdf')]) });
    expect(afterCrash.status).toBe(403);
  });

  it('rate-limits every upload route, also one that declares no limit of its own', async () => {
    const { client } = await signedInClient(t, { email: 'rate-officer@example.org', role: 'agency-officer', organisationId: 'hk-fstb' });
    const { payload, contentType } = multipart([{ name: '_csrf', value: 'forged' }]);
    const statuses: number[] = [];
    for (let i = 0; i <= DEFAULT_UPLOAD_RATE_LIMIT.max; i++) {
      const response = await t.app.inject({ method: 'POST', url: '/en/workspace/actions/1/updates/new', headers: { 'content-type': contentType, cookie: cookieOf(client) }, payload });
      statuses.push(response.statusCode);
    }
    expect(statuses.slice(0, DEFAULT_UPLOAD_RATE_LIMIT.max).every((s) => s === 403)).toBe(true);
    expect(statuses.at(-1)).toBe(429);
  });

  it('purges pending uploads and their files a day after they were kept', async () => {
    const filesBefore = await fileIds();
    const pendingBefore = (await db().selectFrom('pending_uploads').select('file_id').execute()).map((r) => r.file_id).sort();
    const files = await db()
      .insertInto('files')
      .values(
        ['old', 'new'].map((n) => ({
          id: `${n}${'x'.repeat(27 - n.length)}`,
          name: `${n}.pdf`,
          media_type: 'application/pdf',
          size: PDF.length,
          sha256: 'a'.repeat(64),
          storage: 'database' as const,
          content: PDF,
          uploaded_by: null,
        })),
      )
      .returning('id')
      .execute();
    await db()
      .insertInto('pending_uploads')
      .values([
        { file_id: files[0]?.id as string, owner: 'browser:x', field: 'attachments', created_at: new Date(Date.now() - 25 * 3600 * 1000) },
        { file_id: files[1]?.id as string, owner: 'browser:x', field: 'attachments' },
      ])
      .execute();
    try {
      expect(await purgePendingUploads(db())).toBe(1);
      // The day-old one is gone with its file; the new one and its file are kept (as is whatever was there before).
      expect((await db().selectFrom('pending_uploads').select('file_id').execute()).map((r) => r.file_id).sort()).toEqual([...pendingBefore, files[1]?.id].sort());
      expect(await fileIds()).toEqual([...filesBefore, files[1]?.id].sort());
    } finally {
      // The kept one is purged only a day later by design: remove it, so no other test finds it.
      const ids = files.map((f) => f.id);
      await db().deleteFrom('pending_uploads').where('file_id', 'in', ids).execute();
      await db().deleteFrom('files').where('id', 'in', ids).execute();
    }
  });
});

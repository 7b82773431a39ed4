import zlib from 'node:zlib';
import { describe, expect, it } from 'vitest';
import { testAppFor } from '../../../test/app.ts';

describe('cached pages are compressed once', () => {
  const t = testAppFor('pglite');

  it('sends the kept brotli or gzip form of a cached page, the same each time, and the plain one to whoever asks for none', async () => {
    const url = '/en/agreements/zjhk-2023/commitments/1-7';
    const plain = await t.app.inject({ url });
    expect(plain.headers['content-encoding']).toBeUndefined();
    const first = await t.app.inject({ url, headers: { 'accept-encoding': 'gzip, deflate, br' } });
    const second = await t.app.inject({ url, headers: { 'accept-encoding': 'gzip, deflate, br' } });
    expect(first.headers['content-encoding']).toBe('br');
    expect(first.headers.vary).toContain('Accept-Encoding');
    expect(zlib.brotliDecompressSync(first.rawPayload).equals(plain.rawPayload)).toBe(true);
    expect(second.rawPayload.equals(first.rawPayload)).toBe(true);
    const gzip = await t.app.inject({ url, headers: { 'accept-encoding': 'gzip;q=1, br;q=0' } });
    expect(gzip.headers['content-encoding']).toBe('gzip');
    expect(zlib.gunzipSync(gzip.rawPayload).equals(plain.rawPayload)).toBe(true);
  });

  it('leaves pages that are not cached to the ordinary compression', async () => {
    const response = await t.app.inject({ url: '/en/login', headers: { 'accept-encoding': 'br' } });
    expect(response.statusCode).toBe(200);
    expect(zlib.brotliDecompressSync(response.rawPayload).toString()).toContain('<html');
  });
});

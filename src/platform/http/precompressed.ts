import { promisify } from 'node:util';
import zlib from 'node:zlib';
import type { FastifyInstance, FastifyReply, FastifyRequest } from 'fastify';

const brotli = promisify(zlib.brotliCompress);
const gzip = promisify(zlib.gzip);

/** Compressed forms of bodies that are sent again and again (cached pages and API answers). */
const variants = new WeakMap<Buffer, Map<'br' | 'gzip', Promise<Buffer>>>();

/**
 * Marks a cached body so that each compressed form of it is made once, when first asked for, instead
 * of on every response (brotli took 11–14 ms of CPU for a large commitment page, at every hit).
 */
export function keepCompressed(body: Buffer): Buffer {
  if (!variants.has(body)) variants.set(body, new Map());
  return body;
}

/** The best encoding the client accepts of those we keep: brotli, then gzip. */
function accepted(request: FastifyRequest): 'br' | 'gzip' | undefined {
  const header = request.headers['accept-encoding'];
  if (typeof header !== 'string') return undefined;
  const ranked = new Map(
    header.split(',').map((part) => {
      const [name = '', ...params] = part.trim().toLowerCase().split(';');
      const q = params.map((p) => p.trim()).find((p) => p.startsWith('q='));
      return [name.trim(), q ? Number(q.slice(2)) : 1] as const;
    }),
  );
  const ok = (name: string) => (ranked.get(name) ?? ranked.get('*') ?? 0) > 0;
  if (ok('br')) return 'br';
  if (ok('gzip')) return 'gzip';
  return undefined;
}

/**
 * Sends the kept compressed form of a marked body; @fastify/compress then leaves the response alone.
 * Installed before it, so that it runs first.
 */
export function installPrecompressed(app: FastifyInstance): void {
  app.addHook('onSend', async (request: FastifyRequest, reply: FastifyReply, payload: unknown) => {
    if (!Buffer.isBuffer(payload) || reply.statusCode !== 200) return payload;
    const forms = variants.get(payload);
    if (!forms) return payload;
    const encoding = accepted(request);
    reply.header('vary', 'Accept-Encoding');
    if (!encoding) return payload;
    let form = forms.get(encoding);
    if (!form) {
      form = encoding === 'br' ? brotli(payload, { params: { [zlib.constants.BROTLI_PARAM_QUALITY]: 9 } }) : gzip(payload, { level: 9 });
      forms.set(encoding, form);
    }
    reply.header('content-encoding', encoding);
    reply.removeHeader('content-length');
    return form;
  });
}

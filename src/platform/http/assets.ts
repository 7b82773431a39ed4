import { createHash } from 'node:crypto';
import fs from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import type { FastifyInstance } from 'fastify';

const SOURCE_DIR = fileURLToPath(new URL('../../../assets/', import.meta.url));
const TYPES: Record<string, string> = {
  '.css': 'text/css; charset=utf-8',
  '.js': 'text/javascript; charset=utf-8',
  '.svg': 'image/svg+xml',
  '.ico': 'image/x-icon',
};

interface Asset {
  body: Buffer;
  type: string;
}

/** Static assets, served under content-hashed names (app.3f2a9c1b.css) that may be cached for a year. */
export class Assets {
  private readonly byHashedName = new Map<string, Asset>();
  private readonly urls = new Map<string, string>();

  constructor(dir = SOURCE_DIR) {
    for (const name of fs.readdirSync(dir)) {
      const ext = path.extname(name);
      const type = TYPES[ext];
      if (!type) continue;
      const body = fs.readFileSync(path.join(dir, name));
      const hash = createHash('sha256').update(body).digest('hex').slice(0, 12);
      const hashed = `${path.basename(name, ext)}.${hash}${ext}`;
      this.byHashedName.set(hashed, { body, type });
      this.urls.set(name, `/assets/${hashed}`);
    }
  }

  /** The public URL of a source asset, e.g. url('app.css') -> /assets/app.3f2a9c1b0d4e.css */
  url(name: string): string {
    const url = this.urls.get(name);
    if (!url) throw new Error(`Unknown asset ${name}`);
    return url;
  }

  register(app: FastifyInstance): void {
    app.get<{ Params: { name: string } }>('/assets/:name', { config: { access: 'public' }, schema: { hide: true } }, async (request, reply) => {
      const asset = this.byHashedName.get(request.params.name);
      if (!asset) return reply.callNotFound();
      return reply.header('content-type', asset.type).header('cache-control', 'public, max-age=31536000, immutable').send(asset.body);
    });
  }
}

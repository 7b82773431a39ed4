import { describe, expect, it } from 'vitest';
import { buildApp } from '../../app.tsx';
import { loadConfig } from '../../config.ts';
import { testAppFor } from '../../../test/app.ts';
import { TestClient } from '../../../test/client.ts';
import { DATABASES, TEST_SECRET_KEY } from '../../../test/databases.ts';
import { openDatabase } from '../db/index.ts';

describe.each(DATABASES)('rate limits on forms on %s', (kind) => {
  const t = testAppFor(kind);

  it('refuse an address that posts a form too often, with Retry-After and a page in its language', async () => {
    const client = new TestClient(t.app);
    for (let i = 0; i < 10; i += 1) expect((await client.post('/zh-hans/forgot-password', { email: `a${i}@example.org` })).statusCode).toBe(200);
    const refused = await client.post('/zh-hans/forgot-password', { email: 'again@example.org' });
    expect(refused.statusCode).toBe(429);
    expect(Number(refused.headers['retry-after'])).toBeGreaterThan(0);
    expect(refused.body).toContain('尝试次数过多');
    // Other forms count separately.
    expect((await client.post('/zh-hans/login', { email: 'x@example.org', password: 'y' })).statusCode).toBe(200);
  });

  // Only PostgreSQL can be shared by several processes (one process holds an embedded database).
  if (kind === 'postgres') {
    it('count across app processes sharing one database', async () => {
      const other = await openDatabase({ databaseUrl: t.database.url, dataDir: '', onConnectionLost: () => {} });
      const second = await buildApp({ config: loadConfig({ LOG_LEVEL: 'silent', SECRET_KEY: TEST_SECRET_KEY }), db: other, logger: false });
      try {
        const a = new TestClient(t.app);
        const b = new TestClient(second.app);
        for (let i = 0; i < 5; i += 1) expect((await a.post('/en/register', { email: 'x' })).statusCode).toBe(200);
        for (let i = 0; i < 5; i += 1) expect((await b.post('/en/register', { email: 'x' })).statusCode).toBe(200);
        expect((await a.post('/en/register', { email: 'x' })).statusCode).toBe(429);
        expect((await b.post('/en/register', { email: 'x' })).statusCode).toBe(429);
      } finally {
        await second.app.close();
        await other.close();
      }
    });
  }
});

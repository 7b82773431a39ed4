import type { FastifyInstance } from 'fastify';
import { buildApp, type RouteInfo } from '../src/app.tsx';
import { loadConfig } from '../src/config.ts';
import type { AppContext } from '../src/platform/module.ts';
import { type DatabaseKind, freshDatabase, type TestDatabase } from './databases.ts';

export interface TestApp {
  app: FastifyInstance;
  ctx: AppContext;
  database: TestDatabase;
  /** Every route the app registered. */
  routes: RouteInfo[];
  close(): Promise<void>;
}

/** The whole app on a fresh, loaded database of the given kind; `now` fixes the clock. */
export async function testApp(kind: DatabaseKind, options: { now?: () => Date } = {}): Promise<TestApp> {
  const database = await freshDatabase(kind);
  const config = loadConfig({ LOG_LEVEL: 'silent' });
  const { app, ctx, routes } = await buildApp({ config, db: database.db, logger: false, ...(options.now ? { now: options.now } : {}) });
  return {
    app,
    ctx,
    routes,
    database,
    async close() {
      await app.close();
      await database.drop();
    },
  };
}

import type { FastifyInstance } from 'fastify';
import { buildApp, type RouteInfo } from '../src/app.tsx';
import { loadConfig } from '../src/config.ts';
import type { AppContext } from '../src/platform/module.ts';
import { afterAll, beforeAll } from 'vitest';
import { type DatabaseKind, dropTemplates, freshDatabase, type TestDatabase } from './databases.ts';

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

/** The app on a fresh database for the calling describe block; the returned object reads through to it. */
export function testAppFor(kind: DatabaseKind, options: { now?: () => Date } = {}): TestApp {
  let current: TestApp | undefined;
  beforeAll(async () => {
    current = await testApp(kind, options);
  });
  afterAll(async () => {
    await current?.close();
    await dropTemplates();
  });
  const get = (): TestApp => {
    if (!current) throw new Error('the app starts in beforeAll');
    return current;
  };
  return {
    get app() {
      return get().app;
    },
    get ctx() {
      return get().ctx;
    },
    get database() {
      return get().database;
    },
    get routes() {
      return get().routes;
    },
    close: () => get().close(),
  };
}

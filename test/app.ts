import { randomUUID } from 'node:crypto';
import type { FastifyInstance } from 'fastify';
import { buildApp, type RouteInfo } from '../src/app.tsx';
import type { ModuleManifest } from '../src/platform/module.ts';
import { loadConfig } from '../src/config.ts';
import type { AppContext } from '../src/platform/module.ts';
import { insertRole, insertUser } from '../src/modules/accounts/queries.ts';
import { type Role, TWO_FACTOR_ROLES } from '../src/platform/auth/roles.ts';
import { createSession, SESSION_COOKIE } from '../src/platform/auth/sessions.ts';
import { sealTotpSecret } from '../src/platform/auth/totp.ts';
import { TestClient } from './client.ts';
import { afterAll, afterEach, beforeAll, beforeEach } from 'vitest';
import { type DatabaseKind, freshDatabase, TEST_SECRET_KEY, type TestDatabase } from './databases.ts';

/** The authenticator secret of every test account with two-step verification (base32). */
export const TEST_TOTP_SECRET = 'JBSWY3DPEHPK3PXP';

/** A users row's columns for two-step verification enrolled with TEST_TOTP_SECRET, sealed as the platform stores it. */
export function enrolledTwoFactor(userId: string): { totp_enabled_at: Date; totp_secret: string } {
  return { totp_enabled_at: new Date(), totp_secret: sealTotpSecret(userId, TEST_TOTP_SECRET) };
}

export interface TestApp {
  app: FastifyInstance;
  ctx: AppContext;
  database: TestDatabase;
  /** Every route the app registered. */
  routes: RouteInfo[];
  close(): Promise<void>;
}

interface AppOptions {
  /** Fixes the clock. */
  now?: () => Date;
  env?: Record<string, string>;
  /** The modules the app is made of (default: the platform's). */
  modules?: readonly ModuleManifest[];
}

/** The whole app on a fresh, loaded database of the given kind; `now` fixes the clock. */
export async function testApp(kind: DatabaseKind, options: AppOptions = {}): Promise<TestApp> {
  const database = await freshDatabase(kind);
  const config = loadConfig({ LOG_LEVEL: 'silent', SECRET_KEY: TEST_SECRET_KEY, ...options.env });
  const { app, ctx, routes } = await buildApp({ config, db: database.db, logger: false, ...(options.now ? { now: options.now } : {}), ...(options.modules ? { modules: options.modules } : {}) });
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

/** Reads through to the app a hook made, so a describe block can hold it before the hook runs. */
function readThrough(get: () => TestApp): TestApp {
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

/** The app on a fresh database for the calling describe block; the returned object reads through to it. */
export function testAppFor(kind: DatabaseKind, options: AppOptions = {}): TestApp {
  let current: TestApp | undefined;
  beforeAll(async () => {
    current = await testApp(kind, options);
  });
  afterAll(async () => {
    await current?.close();
  });
  return readThrough(() => {
    if (!current) throw new Error('the app starts in beforeAll');
    return current;
  });
}

/**
 * The app on a fresh database for each test of the calling describe block, for tests whose subject
 * acts on every record there is (a job, a statistic): each starts from the same state.
 */
export function testAppEach(kind: DatabaseKind, options: AppOptions = {}): TestApp {
  let current: TestApp | undefined;
  beforeEach(async () => {
    current = await testApp(kind, options);
  });
  afterEach(async () => {
    await current?.close();
    current = undefined;
  });
  return readThrough(() => {
    if (!current) throw new Error('the app starts in beforeEach');
    return current;
  });
}

/**
 * A person with one role (officers and above with two-factor enrolled), signed in: a client whose
 * session has passed both steps.
 */
export async function signedInClient(
  t: Pick<TestApp, 'app' | 'ctx' | 'database'>,
  person: { email: string; role: Role; organisationId?: string | null; locale?: 'zh-Hant' | 'zh-Hans' | 'en' },
): Promise<{ client: TestClient; userId: string }> {
  const db = t.database.db.kysely;
  const userId = randomUUID();
  await insertUser(db, { id: userId, email: person.email, displayName: person.email.split('@')[0] as string, locale: person.locale ?? 'en', passwordHash: null, emailVerifiedAt: new Date() });
  await insertRole(db, { userId, role: person.role, organisationId: person.organisationId ?? null, grantedBy: null });
  if (TWO_FACTOR_ROLES.includes(person.role)) await db.updateTable('users').set(enrolledTwoFactor(userId)).where('id', '=', userId).execute();
  const client = new TestClient(t.app);
  client.cookies.set(SESSION_COOKIE, await createSession(db, { userId, settings: t.ctx.config.session, secondFactor: true }));
  return { client, userId };
}

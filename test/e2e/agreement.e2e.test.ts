// End-to-end browser tests: the real server (bin/zjhk.js serve) in a child process, read with Chromium.
// Runs against the embedded database always, and against PostgreSQL when TEST_DATABASE_URL is set.
// The scenarios are in agreement.ts; axe on every page type, and the server with its clock set, in
// agreement-accessibility.e2e.test.ts (a file of its own, so that the run's two workers share the work).
//
//   npx vitest run test/e2e
//   TEST_DATABASE_URL=postgres://postgres@127.0.0.1:5432/postgres npx vitest run test/e2e
import { afterAll, beforeAll, describe } from 'vitest';
import { freshDatabase, type TestDatabase } from '../databases.ts';
import { scenarios } from './agreement.ts';
import { browserForFile } from './browser.ts';
import { type RunningServer, startServer } from './server.ts';

// When it is unset, the run's global setup prints the one line saying the PostgreSQL runs are skipped.
const TEST_DATABASE_URL = process.env.TEST_DATABASE_URL || undefined;

const browser = browserForFile();

describe('embedded database (PGlite)', () => {
  let server: RunningServer | undefined;
  beforeAll(async () => {
    // A copy of the run's loaded template: the first start on an empty folder is the command-line
    // tests' (test/cli.test.ts), and this file's PostgreSQL run's.
    server = await startServer({ fromTemplate: true });
  });
  afterAll(async () => {
    await server?.stop();
  });

  scenarios(
    browser,
    () => {
      if (!server) throw new Error('the server did not start (see beforeAll)');
      return server;
    },
    { walkIn: 'zh-hant' },
  );
});

describe.skipIf(!TEST_DATABASE_URL)('PostgreSQL', () => {
  let database: TestDatabase | undefined;
  let server: RunningServer | undefined;

  beforeAll(async () => {
    // An empty database of the run's own: the server migrates it and loads the agreement, as on a first start.
    database = await freshDatabase('postgres', { empty: true });
    await database.db.close();
    server = await startServer({ databaseUrl: database.url as string });
  });

  afterAll(async () => {
    try {
      await server?.stop();
    } finally {
      await database?.drop();
    }
  });

  scenarios(
    browser,
    () => {
      if (!server) throw new Error('the server did not start (see beforeAll)');
      return server;
    },
    { walkIn: 'en' },
  );
});

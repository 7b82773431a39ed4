import { defineConfig } from 'vitest/config';

// Three layers, each runnable alone (`npm run test:unit`, `test:db`, `test:browser`):
//   unit     *.unit.test.ts(x): no database, no browser;
//   db       every other *.test.ts: real SQL on PGlite and, with TEST_DATABASE_URL, PostgreSQL;
//   browser  *.e2e.test.ts: the platform as a child process, driven by Debian's Chromium.
const UNIT = ['src/**/*.unit.test.{ts,tsx}', 'test/**/*.unit.test.{ts,tsx}'];
const BROWSER = ['src/**/*.e2e.test.ts', 'test/e2e/**/*.e2e.test.ts'];

// Generous, for a busy two-core machine; waits inside tests are on conditions, never on clocks.
const LIMITS = { testTimeout: 60_000, hookTimeout: 120_000 };

/** Installs every module's messages and policies in each test process, as the app does. */
const SETUP = ['test/setup.ts'];

export default defineConfig({
  test: {
    // PGlite instances are large; two workers fit the machine's two cores.
    maxWorkers: 2,
    // Once a run, for every layer that needs it: compiles dist/ and builds the template databases.
    globalSetup: ['test/global-setup.ts'],
    projects: [
      // The files of a worker share one module graph: the platform is loaded once per worker, not
      // once per file (a third of the SQL layer's time). No file may leave process-wide state changed:
      // a test that installs another secret key puts the test key back.
      { test: { name: 'unit', include: UNIT, setupFiles: SETUP, isolate: false, ...LIMITS } },
      { test: { name: 'db', setupFiles: SETUP, include: ['src/**/*.test.{ts,tsx}', 'test/**/*.test.ts'], exclude: [...UNIT, ...BROWSER], isolate: false, ...LIMITS } },
      // A journey waits on what the page shows; these limits only stop one that hangs.
      { test: { name: 'browser', setupFiles: SETUP, include: BROWSER, testTimeout: 600_000, hookTimeout: 300_000 } },
    ],
  },
});

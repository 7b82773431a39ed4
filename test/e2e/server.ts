// Starts the platform as a real child process for the browser tests: `node bin/zjhk.js serve`
// on a free port, against a fresh embedded database (or a PostgreSQL database when given its URL).
import { type ChildProcess, spawn } from 'node:child_process';
import { mkdtemp, rm } from 'node:fs/promises';
import net from 'node:net';
import os from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import type { Page } from 'playwright-core';
import { describe } from 'vitest';
import { axeViolations } from './browser.ts';
import { openDatabase } from '../../src/platform/db/index.ts';
import { freshDatabase, TEST_SECRET_KEY, templateDump, type TestDatabase } from '../databases.ts';

export interface RunningServer {
  /** e.g. http://127.0.0.1:41234 (no trailing slash). */
  baseUrl: string;
  /** Runs a command of the platform's command line against the same data (through the server on PGlite). */
  zjhk(args: string[]): Promise<{ code: number | null; stdout: string; stderr: string }>;
  /** Stops the server and removes its temporary data folder. Safe to call more than once. */
  stop(): Promise<void>;
}

export interface StartOptions {
  /** A PostgreSQL URL; when unset the embedded PGlite database in a fresh temporary folder is used. */
  databaseUrl?: string | undefined;
  /** How long to wait for GET /readyz to answer 200 before giving up on a server that hangs (default 240 s). */
  readyTimeoutMs?: number;
  /** More settings for the server (e.g. DEV_MAILBOX). */
  env?: Record<string, string>;
  /**
   * Embedded only: start on a copy of the run's migrated and loaded template instead of an empty
   * folder (which the server migrates and loads, as on a first start).
   */
  fromTemplate?: boolean;
}

const ROOT = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '../..');
const HOST = '127.0.0.1';
/** Keep at most this much of the child's output for error messages. */
const OUTPUT_LIMIT = 20_000;

/** A port that was free a moment ago: listen on port 0, read the port, close. */
function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const server = net.createServer();
    server.unref();
    server.once('error', reject);
    server.listen(0, HOST, () => {
      const address = server.address();
      if (address === null || typeof address === 'string') {
        server.close();
        reject(new Error('could not read the port of a listening socket'));
        return;
      }
      const { port } = address;
      server.close((error) => (error ? reject(error) : resolve(port)));
    });
  });
}

function exited(child: ChildProcess): boolean {
  return child.exitCode !== null || child.signalCode !== null;
}

function waitForExit(child: ChildProcess, timeoutMs: number): Promise<boolean> {
  if (exited(child)) return Promise.resolve(true);
  return new Promise((resolve) => {
    const timer = setTimeout(() => {
      child.off('exit', onExit);
      resolve(false);
    }, timeoutMs);
    const onExit = () => {
      clearTimeout(timer);
      resolve(true);
    };
    child.once('exit', onExit);
  });
}

const sleep = (ms: number) => new Promise<void>((resolve) => setTimeout(resolve, ms));

export async function startServer(options: StartOptions = {}): Promise<RunningServer> {
  const readyTimeoutMs = options.readyTimeoutMs ?? 240_000;
  const port = await freePort();
  // A temporary data folder in both cases: with PostgreSQL the app does not use it, but this keeps the
  // child away from the repository's own data/ folder (the default DATA_DIR) whatever happens.
  const dataDir = await mkdtemp(path.join(os.tmpdir(), 'zjhk-e2e-'));
  const env: NodeJS.ProcessEnv = {
    ...process.env,
    PORT: String(port),
    HOST,
    DATA_DIR: dataDir,
    LOG_LEVEL: 'warn',
    PUBLIC_URL: `http://${HOST}:${port}`,
  };
  // Never inherit a DATABASE_URL by accident: the embedded run must really be embedded.
  delete env.DATABASE_URL;
  delete env.SECRET_KEY;
  if (options.fromTemplate && !options.databaseUrl) {
    const copy = await openDatabase({ dataDir, loadDataDir: await templateDump('seeded') });
    await copy.close();
    // The template's audit trail was sealed with the tests' key.
    env.SECRET_KEY = TEST_SECRET_KEY;
  }
  if (options.databaseUrl) {
    env.DATABASE_URL = options.databaseUrl;
    // A PostgreSQL installation must be given its key (the embedded one makes its own in DATA_DIR):
    // the one the test database's trail was sealed with.
    env.SECRET_KEY = TEST_SECRET_KEY;
  }
  Object.assign(env, options.env);

  let output = '';
  const capture = (stream: string) => (chunk: Buffer) => {
    output += `[${stream}] ${chunk.toString('utf8')}`;
    if (output.length > OUTPUT_LIMIT) output = output.slice(-OUTPUT_LIMIT);
  };
  const child = spawn(process.execPath, [path.join(ROOT, 'bin/zjhk.js'), 'serve'], {
    cwd: ROOT,
    env,
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  child.stdout?.on('data', capture('stdout'));
  child.stderr?.on('data', capture('stderr'));
  // 'close' comes after 'exit' once the child's output has been read to the end.
  const closed = new Promise<void>((resolve) => child.once('close', () => resolve()));
  let spawnError: Error | undefined;
  child.once('error', (error) => {
    spawnError = error;
  });

  const baseUrl = `http://${HOST}:${port}`;
  const zjhk = (args: string[]) =>
    new Promise<{ code: number | null; stdout: string; stderr: string }>((resolve) => {
      const run = spawn(process.execPath, [path.join(ROOT, 'bin/zjhk.js'), ...args], { cwd: ROOT, env, stdio: ['ignore', 'pipe', 'pipe'] });
      let stdout = '';
      let stderr = '';
      run.stdout?.on('data', (d: Buffer) => (stdout += d.toString('utf8')));
      run.stderr?.on('data', (d: Buffer) => (stderr += d.toString('utf8')));
      run.once('close', (code) => resolve({ code, stdout, stderr }));
    });
  let stopped = false;
  const stop = async (): Promise<void> => {
    if (stopped) return;
    stopped = true;
    if (!exited(child)) {
      child.kill('SIGTERM');
      if (!(await waitForExit(child, 10_000))) {
        child.kill('SIGKILL');
        await waitForExit(child, 5_000);
      }
    }
    await rm(dataDir, { recursive: true, force: true });
  };

  const started = Date.now();
  let lastProblem = 'no answer yet';
  try {
    for (;;) {
      if (spawnError) throw new Error(`could not start the server: ${spawnError.message}`);
      if (exited(child)) throw new Error(`the server exited early (code ${child.exitCode}, signal ${child.signalCode})`);
      try {
        const response = await fetch(`${baseUrl}/readyz`, { signal: AbortSignal.timeout(2_000) });
        if (response.status === 200) return { baseUrl, zjhk, stop };
        lastProblem = `GET /readyz answered ${response.status}: ${await response.text()}`;
      } catch (error) {
        lastProblem = `GET /readyz failed: ${(error as Error).message}`;
      }
      if (Date.now() - started > readyTimeoutMs) throw new Error(`the server was not ready within ${readyTimeoutMs / 1000} s (${lastProblem})`);
      await sleep(200);
    }
  } catch (error) {
    await stop();
    await Promise.race([closed, sleep(2_000)]);
    throw new Error(
      `${(error as Error).message}\n` +
        `command: ${process.execPath} bin/zjhk.js serve (PORT=${port}, DATA_DIR=${dataDir}${options.databaseUrl ? ', DATABASE_URL set' : ''})\n` +
        `--- server output ---\n${output || '(none)'}`,
    );
  }
}

/** Checks a page with axe (WCAG 2.1 A and AA) and returns its violations, or checks nothing. */
export type Axe = (page: Page, label: string) => Promise<string[]>;

type Journey = (name: string, start: () => Promise<RunningServer>, cleanup: () => Promise<void>, axe: Axe) => void;

/**
 * Runs a browser journey on the embedded database and, when TEST_DATABASE_URL is set, on a PostgreSQL
 * database of the run's own, each a copy of the run's migrated and loaded template (the command-line
 * tests and the agreement's browser test on PostgreSQL cover a first start), with the dev mailbox on: the
 * journeys read the platform's mail there. Accessibility (axe) is checked on the embedded run only.
 */
export function onEachDatabase(journey: Journey): void {
  journey(
    'embedded database (PGlite)',
    () => startServer({ fromTemplate: true }),
    async () => {},
    axeViolations,
  );
  let database: TestDatabase | undefined;
  describe.skipIf(!process.env.TEST_DATABASE_URL)('on PostgreSQL', () => {
    journey(
      'PostgreSQL',
      async () => {
        database = await freshDatabase('postgres');
        await database.db.close();
        return await startServer({ databaseUrl: database.url as string, env: { DEV_MAILBOX: 'true' } });
      },
      async () => {
        await database?.drop();
      },
      // The pages' markup does not depend on the database: the embedded run checks it.
      async () => [],
    );
  });
}

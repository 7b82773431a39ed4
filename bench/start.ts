// Cold start: how long `npm start` (bin/zjhk.js serve) takes to serve its first page, on a fresh data
// folder (a first start: migrate and load the agreement) and on an existing one, started directly and
// through npm start. Env: BENCH_RUNS
// (default 5), BENCH_ROOT (another checkout of the platform to time with the same method).
import { type ChildProcess, spawn } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { onCleanup } from './lib/cleanup.ts';
import { runBenchmark, table } from './lib/output.ts';
import { BenchError, freePort, get, HOST } from './lib/server.ts';

const ROOT = process.env.BENCH_ROOT ? path.resolve(process.env.BENCH_ROOT) : fileURLToPath(new URL('..', import.meta.url));
const RUNS = Number(process.env.BENCH_RUNS ?? 5);
const PAGE = '/en/agreements/zjhk-2023';
const LIMIT_MS = 180_000;

const sleep = (ms: number) => new Promise<void>((resolve) => setTimeout(resolve, ms));

/** npm itself, when the benchmark runs through it (npm run bench:start); otherwise the one on the PATH. */
const NPM = process.env.npm_execpath ? [process.execPath, process.env.npm_execpath] : ['npm'];

/**
 * Starts the server on `dataDir` (with `node bin/zjhk.js serve`, or with `npm start` when `viaNpm`)
 * and returns the milliseconds until PAGE answered 200, and the process to stop.
 */
async function timeStart(dataDir: string, viaNpm = false): Promise<{ ms: number; child: ChildProcess }> {
  const port = await freePort();
  const started = performance.now();
  const [command, ...args] = viaNpm ? [...NPM, 'start'] : [process.execPath, path.join(ROOT, 'bin/zjhk.js'), 'serve'];
  const child = spawn(command as string, args, {
    cwd: ROOT,
    env: { ...process.env, PORT: String(port), HOST, DATA_DIR: dataDir, LOG_LEVEL: 'warn', DATABASE_URL: '' },
    stdio: 'ignore',
    // Its own process group, so that stopping npm stops the server it started.
    detached: true,
  });
  for (;;) {
    if (child.exitCode !== null) throw new BenchError(`the server exited (code ${child.exitCode})`);
    try {
      if ((await get(`http://${HOST}:${port}${PAGE}`, 2_000)).status === 200) return { ms: performance.now() - started, child };
    } catch {
      // Not listening yet.
    }
    if (performance.now() - started > LIMIT_MS) throw new BenchError(`no page within ${LIMIT_MS / 1000} s`);
    await sleep(10);
  }
}

function stop(child: ChildProcess): Promise<void> {
  return new Promise((resolve) => {
    if (child.exitCode !== null) return resolve();
    child.once('exit', () => resolve());
    process.kill(-(child.pid as number), 'SIGTERM');
  });
}

const median = (values: number[]) => [...values].sort((a, b) => a - b)[Math.floor(values.length / 2)] ?? Number.NaN;

runBenchmark(async () => {
  const dataDir = mkdtempSync(path.join(os.tmpdir(), 'zjhk-bench-start-'));
  onCleanup('data folder', async () => rmSync(dataDir, { recursive: true, force: true }));
  console.log(`Cold start of ${path.join(ROOT, 'bin/zjhk.js')} serve on Node.js ${process.version}: time to the first 200 of GET ${PAGE}`);
  const first = await timeStart(dataDir);
  await stop(first.child);
  const existing: number[] = [];
  for (let run = 0; run < RUNS; run += 1) {
    const { ms, child } = await timeStart(dataDir);
    existing.push(ms);
    await stop(child);
  }
  const viaNpm: number[] = [];
  for (let run = 0; run < RUNS; run += 1) {
    const { ms, child } = await timeStart(dataDir, true);
    viaNpm.push(ms);
    await stop(child);
  }
  const s = (ms: number) => (ms / 1000).toFixed(2);
  table(
    ['data folder', 'runs', 'median s', 'min s', 'max s'],
    [
      ['fresh (first start)', '1', s(first.ms), s(first.ms), s(first.ms)],
      ['existing', String(RUNS), s(median(existing)), s(Math.min(...existing)), s(Math.max(...existing))],
      ['existing, through npm start', String(RUNS), s(median(viaNpm)), s(Math.min(...viaNpm)), s(Math.max(...viaNpm))],
    ],
    1,
  );
  return 0;
});

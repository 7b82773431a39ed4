// HTTP benchmark: the platform on PGlite and on PostgreSQL against a bare node:http server
// returning the same bytes. Env: BENCH_SECONDS (default 10), BENCH_ONLY=pglite|postgres,
// BENCH_PG_ADMIN_URL (default postgres://postgres@127.0.0.1:5432/postgres).
import { randomBytes } from 'node:crypto';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import pg from 'pg';
import type { CapturedResponse } from './bare-server.ts';
import { onCleanup } from './lib/cleanup.ts';
import { runBenchmark } from './lib/output.ts';
import { clockTicks } from './lib/cpu.ts';
import { CONNECTIONS, measure, PIPELINING, type Measurement } from './lib/load.ts';
import { saveResults } from './lib/results.ts';
import { type DatabaseKind, readSettings, type Settings } from './lib/settings.ts';
import { BenchError, freePort, get, HOST, startServer, type Server } from './lib/server.ts';

const ROOT = fileURLToPath(new URL('..', import.meta.url));
const PATHS = ['/en/agreements/zjhk-2023/commitments/1-7', '/api/v1/agreements/zjhk-2023'] as const;
const WARMUP_SECONDS = 2;
const READY_TIMEOUT_MS = 180_000;
const TARGET_CPU_RATIO = 2.5;
const TARGET_P99_MS = 50;

type Database = DatabaseKind;

interface Captured {
  status: number;
  contentType: string;
  body: Buffer;
}

interface Row {
  server: Database | 'bare';
  path: string;
  measurement: Measurement;
}

/** Everything measured so far; kept outside the runs so a failure later still prints what was measured. */
interface Results {
  rows: Row[];
  captured: Map<Database, Map<string, Captured>>;
  failures: string[];
  notes: string[];
}

const log = (message: string): void => console.error(message);
const errorText = (error: unknown): string => (error instanceof Error ? error.message : String(error));

async function withTempDir<T>(prefix: string, use: (dir: string) => Promise<T>): Promise<T> {
  const dir = mkdtempSync(path.join(os.tmpdir(), prefix));
  const remove = onCleanup(`remove ${dir}`, async () => rmSync(dir, { recursive: true, force: true }));
  try {
    return await use(dir);
  } finally {
    await remove();
  }
}

async function capture(url: string): Promise<Captured> {
  const response = await get(url);
  if (response.status !== 200) throw new BenchError(`GET ${url} answered ${response.status}, expected 200`);
  const contentType = response.headers['content-type'];
  if (!contentType) throw new BenchError(`GET ${url} has no content-type`);
  return { status: response.status, contentType, body: response.body };
}

interface PathRun {
  server: Server;
  serverName: Row['server'];
  urlPath: string;
  settings: Settings;
  /** Sees the first response before the load; may reject it by throwing. */
  check: (path: string, captured: Captured) => void;
  extraPids?: (() => Promise<number[]>) | undefined;
}

async function measurePath(run: PathRun, results: Results): Promise<void> {
  const url = run.server.baseUrl + run.urlPath;
  run.check(run.urlPath, await capture(url));
  log(`  ${run.serverName} ${run.urlPath}: ${WARMUP_SECONDS} s warm-up, ${run.settings.seconds} s load…`);
  const measurement = await measure({
    url,
    pid: run.server.pid,
    seconds: run.settings.seconds,
    warmupSeconds: WARMUP_SECONDS,
    ...(run.extraPids ? { extraPids: run.extraPids } : {}),
  });
  results.rows.push({ server: run.serverName, path: run.urlPath, measurement });
  if (measurement.non2xx > 0 || measurement.errors > 0) {
    results.failures.push(`${run.serverName} ${run.urlPath}: ${measurement.non2xx} non-2xx responses and ${measurement.errors} errors under load`);
  }
}

/** Measures each path on a started server; a failed path is recorded and the next one still runs. */
async function measurePaths(paths: readonly string[], run: Omit<PathRun, 'urlPath'>, results: Results): Promise<void> {
  for (const urlPath of paths) {
    try {
      await measurePath({ ...run, urlPath }, results);
    } catch (error) {
      results.failures.push(`${run.serverName} ${urlPath}: ${errorText(error)}`);
      log(`  ${run.serverName} ${urlPath}: FAILED: ${errorText(error)}`);
    }
  }
}

async function benchApp(database: Database, env: Record<string, string>, results: Results, settings: Settings, extraPids?: () => Promise<number[]>): Promise<void> {
  const port = await freePort();
  log(`${database}: starting the app on ${HOST}:${port}…`);
  const started = Date.now();
  const server = await startServer({
    label: `app (${database})`,
    args: ['bin/zjhk.js', 'serve'],
    env: { ...env, PORT: String(port), HOST, LOG_LEVEL: 'warn' },
    cwd: ROOT,
    readyPath: '/readyz',
    readyTimeoutMs: READY_TIMEOUT_MS,
  });
  log(`  ready in ${((Date.now() - started) / 1000).toFixed(1)} s (pid ${server.pid})`);
  const captured = new Map<string, Captured>();
  results.captured.set(database, captured);
  try {
    const check = (urlPath: string, response: Captured): void => void captured.set(urlPath, response);
    await measurePaths(PATHS, { server, serverName: database, settings, check, extraPids }, results);
  } finally {
    await server.stop();
  }
}

async function runPglite(results: Results, settings: Settings): Promise<void> {
  await withTempDir('zjhk-bench-pglite-', (dir) => benchApp('pglite', { DATA_DIR: dir }, results, settings));
}

async function connectAdmin(adminUrl: string): Promise<pg.Client | undefined> {
  const admin = new pg.Client({ connectionString: adminUrl, connectionTimeoutMillis: 5_000 });
  admin.on('error', (error) => log(`postgres admin connection: ${error.message}`));
  try {
    await admin.connect();
    return admin;
  } catch (error) {
    await admin.end().catch(() => undefined);
    console.log(`PostgreSQL: skipped (cannot connect to ${adminUrl}: ${errorText(error)})`);
    return undefined;
  }
}

async function runPostgres(results: Results, settings: Settings): Promise<void> {
  const admin = await connectAdmin(settings.adminUrl);
  if (!admin) return;
  const name = `zjhk_bench_${randomBytes(6).toString('hex')}`;
  const release = onCleanup(`drop database ${name}`, async () => {
    await admin.query(`drop database if exists "${name}" with (force)`);
    await admin.end();
  });
  try {
    await admin.query(`create database "${name}"`);
    const databaseUrl = new URL(settings.adminUrl);
    databaseUrl.pathname = `/${name}`;
    const backendPids = async (): Promise<number[]> => {
      const found = await admin.query<{ pid: number }>('select pid from pg_stat_activity where datname = $1', [name]);
      return found.rows.map((row) => row.pid);
    };
    await withTempDir('zjhk-bench-postgres-', (dir) => benchApp('postgres', { DATA_DIR: dir, DATABASE_URL: databaseUrl.href }, results, settings, backendPids));
  } finally {
    await release();
  }
}

async function runBare(reference: Map<string, Captured>, results: Results, settings: Settings): Promise<void> {
  await withTempDir('zjhk-bench-bare-', async (dir) => {
    const file = path.join(dir, 'responses.json');
    const entries: CapturedResponse[] = [...reference].map(([urlPath, response]) => ({
      path: urlPath,
      contentType: response.contentType,
      bodyBase64: response.body.toString('base64'),
    }));
    writeFileSync(file, JSON.stringify(entries));
    const port = await freePort();
    log(`bare: starting node:http on ${HOST}:${port}…`);
    const server = await startServer({
      label: 'bare node:http',
      args: ['--import', 'tsx', 'bench/bare-server.ts', file],
      env: { PORT: String(port), HOST },
      cwd: ROOT,
      readyPath: [...reference.keys()][0] ?? '/',
      readyTimeoutMs: 30_000,
    });
    try {
      const check = (urlPath: string, response: Captured): void => {
        const expected = reference.get(urlPath);
        if (!expected?.body.equals(response.body) || expected.contentType !== response.contentType) {
          throw new BenchError(`bare server's ${urlPath} differs from the captured response`);
        }
      };
      await measurePaths([...reference.keys()], { server, serverName: 'bare', settings, check }, results);
    } finally {
      await server.stop();
    }
  });
}

function compareCaptures(results: Results): void {
  const pglite = results.captured.get('pglite');
  const postgres = results.captured.get('postgres');
  if (!pglite || !postgres) return;
  for (const [urlPath, response] of postgres) {
    const other = pglite.get(urlPath);
    if (other && (!other.body.equals(response.body) || other.contentType !== response.contentType)) {
      results.notes.push(`${urlPath}: PostgreSQL's response (${response.body.length} bytes) differs from PGlite's ` + `(${other.body.length} bytes); the bare server serves PGlite's.`);
    }
  }
}

// ---- Output ----

const fixed = (value: number | undefined, digits: number): string => (value === undefined || !Number.isFinite(value) ? '—' : value.toFixed(digits));
const ratio = (value: number | undefined): string => (value === undefined ? '—' : `${fixed(value, 2)}×`);
const gib = (bytes: number): string => `${(bytes / 2 ** 30).toFixed(1)} GiB`;
const startLoad = os.loadavg();

function machineFacts(settings: Settings): string[] {
  const cpus = os.cpus();
  const models = [...new Set(cpus.map((cpu) => cpu.model.trim()))].join(', ');
  return [
    `Machine: ${cpus.length} CPUs (${models}), ${gib(os.totalmem())} RAM, ${os.platform()} ${os.arch()}, ` + `Node ${process.version}, CLK_TCK ${clockTicks()}`,
    `Load average at start: ${startLoad.map((value) => value.toFixed(2)).join(', ')} (1, 5, 15 min)`,
    `Load: autocannon in the benchmark process, ${CONNECTIONS} connections, pipelining ${PIPELINING}, ` + `no Accept-Encoding; ${WARMUP_SECONDS} s warm-up then ${settings.seconds} s per URL`,
  ];
}

function bareOf(results: Results, urlPath: string): Measurement | undefined {
  return results.rows.find((row) => row.server === 'bare' && row.path === urlPath)?.measurement;
}

function printTable(results: Results): void {
  const header = ['server', 'URL', 'req/s', 'p50 ms', 'p99 ms', 'CPU µs/req', 'CPU/req ÷bare', 'req/s ÷bare', 'PG µs/req', 'other busy %'];
  const lines = results.rows.map((row) => {
    const m = row.measurement;
    const bare = bareOf(results, row.path);
    return [
      row.server === 'bare' ? 'bare node:http' : row.server,
      row.path,
      fixed(m.reqPerSec, 0),
      fixed(m.p50, 2),
      fixed(m.p99, 2),
      fixed(m.cpuMicrosPerRequest, 1),
      ratio(bare && m.cpuMicrosPerRequest / bare.cpuMicrosPerRequest),
      ratio(bare && m.reqPerSec / bare.reqPerSec),
      fixed(m.extraMicrosPerRequest, 1),
      fixed(m.otherBusyPercent, 0),
    ];
  });
  const widths = header.map((title, i) => Math.max(title.length, ...lines.map((line) => (line[i] ?? '').length)));
  const format = (cells: string[]): string => cells.map((cell, i) => (i < 2 ? cell.padEnd(widths[i] ?? 0) : cell.padStart(widths[i] ?? 0))).join('  ');
  console.log(format(header));
  console.log(widths.map((width) => '-'.repeat(width)).join('  '));
  for (const line of lines) console.log(format(line));
}

function verdict(results: Results, row: Row): string {
  const m = row.measurement;
  const bare = bareOf(results, row.path);
  const cpuRatio = bare ? m.cpuMicrosPerRequest / bare.cpuMicrosPerRequest : undefined;
  const cpuMet = cpuRatio !== undefined && cpuRatio <= TARGET_CPU_RATIO;
  const p99Met = m.p99 < TARGET_P99_MS;
  const cpuText = cpuRatio === undefined ? 'CPU/request vs bare: not measured' : `CPU/request ${ratio(cpuRatio)} bare (≤ ${TARGET_CPU_RATIO}×) ${cpuMet ? 'met' : 'MISSED'}`;
  const p99Text = `p99 ${fixed(m.p99, 2)} ms (< ${TARGET_P99_MS} ms) ${p99Met ? 'met' : 'MISSED'}`;
  const overall = cpuRatio === undefined ? 'not judged (no bare figure)' : cpuMet && p99Met ? 'meets targets' : 'MISSES targets';
  return `${row.server.padEnd(8)} ${row.path}: ${cpuText}; ${p99Text} → ${overall}`;
}

function printReport(results: Results, settings: Settings): void {
  console.log('');
  for (const line of machineFacts(settings)) console.log(line);
  for (const [database, captured] of results.captured) {
    for (const [urlPath, response] of captured) {
      console.log(`Response (${database}) ${urlPath}: ${response.status}, ${response.contentType}, ${response.body.length} bytes`);
    }
  }
  console.log('');
  if (results.rows.length > 0) printTable(results);
  else console.log('(no measurements)');
  console.log('');
  console.log('Verdicts (targets: app CPU per request ≤ 2.5× bare, p99 < 50 ms):');
  const appRows = results.rows.filter((row) => row.server !== 'bare');
  for (const row of appRows) console.log(`  ${verdict(results, row)}`);
  if (appRows.length === 0) console.log('  (no app measurements)');
  console.log('');
  console.log(
    `Note: on ${os.cpus().length} cores the load generator saturates its own core first, so req/s largely ` +
      'measures autocannon; CPU per request (server process utime+stime from /proc over the load window ' +
      '÷ requests completed) is the figure that compares servers.',
  );
  console.log('PG µs/req is the CPU of the PostgreSQL backends serving the app (not included in CPU µs/req); ' + 'PGlite runs inside the app process, so its work is included there.');
  console.log(
    'other busy % is the share of all CPUs used during the window by other processes (not the server, ' +
      'the load generator or its PostgreSQL backends); above ~10 % the figures are disturbed by other work.',
  );
  for (const note of results.notes) console.log(`Note: ${note}`);
  for (const failure of results.failures) console.log(`FAILED: ${failure}`);
}

async function main(): Promise<number> {
  const settings = readSettings(process.env);
  const results: Results = { rows: [], captured: new Map(), failures: [], notes: [] };
  for (const database of settings.databases) {
    try {
      await (database === 'pglite' ? runPglite(results, settings) : runPostgres(results, settings));
    } catch (error) {
      results.failures.push(`${database}: ${errorText(error)}`);
      log(`${database}: FAILED: ${errorText(error)}`);
    }
  }
  compareCaptures(results);
  // The bare server serves the first database's captured responses (or the most complete set).
  const reference = [...results.captured.values()].reduce<Map<string, Captured> | undefined>((best, captured) => (captured.size > (best?.size ?? 0) ? captured : best), undefined);
  if (reference) {
    try {
      await runBare(reference, results, settings);
    } catch (error) {
      results.failures.push(`bare: ${errorText(error)}`);
      log(`bare: FAILED: ${errorText(error)}`);
    }
  } else {
    results.notes.push('bare server not measured: no app response was captured.');
  }
  printReport(results, settings);
  if (results.rows.length > 0) saveResults('http', { machine: machineFacts(settings), seconds: settings.seconds, rows: results.rows, failures: results.failures, notes: results.notes });
  return results.failures.length > 0 ? 1 : 0;
}

runBenchmark(main);

// Events at the issue's scale: 10,000 events (70 % one-off, 30 % monthly or quarterly series, about
// 29,000 dates over 2024–2028) and 500,000 registrations by 50,000 residents, on PGlite and on
// PostgreSQL. Seeds, bulk-loads the data set, starts the real server and loads with autocannon, at 1
// and at 10 connections, each URL rotating through its filters: the calendar's list view (upcoming)
// and month view, for anonymous visitors (served from the page cache once built) and for a signed-in
// resident (never cached: the real work), and the iCalendar feeds (all, per area, per commitment, per
// organiser), without and with Accept-Encoding (calendar programs accept compressed answers). Target: p95 < 100 ms for every row. Prints figures; exits 0 even when a target is missed
// (1 only when the benchmark itself could not run).
// Env: BENCH_SECONDS (default 10), BENCH_ONLY=pglite|postgres,
// BENCH_PG_ADMIN_URL (default postgres://postgres@127.0.0.1:5432/postgres).
import os from 'node:os';
import type { Kysely } from 'kysely';
import { loadConfig } from '../src/config.ts';
import { createSession, SESSION_COOKIE } from '../src/platform/auth/sessions.ts';
import { openDatabase } from '../src/platform/db/index.ts';
import type { Database } from '../src/platform/db/schema.ts';
import { runBenchmark, table } from './lib/output.ts';
import { ROOT, runCliOrThrow } from './lib/cli.ts';
import { onEachDatabase } from './lib/environments.ts';
import { describeData, type LoadTiming, loadEventData, SCALE, type Targets } from './lib/events-data.ts';
import { type LoadFigures, loadUrl } from './lib/implementation-load.ts';
import { saveResults } from './lib/results.ts';
import { BenchError, freePort, get, HOST, startServer, type Server } from './lib/server.ts';
import { type DatabaseKind, readSettings, type Settings } from './lib/settings.ts';

const CONNECTION_LEVELS = [1, 10] as const;
const WARMUP_SECONDS = 2;
const READY_TIMEOUT_MS = 300_000;
const REQUEST_TIMEOUT_MS = 120_000;
const TARGET_P95_MS = 100;
/** Months the month view is asked for, in turn (the data runs from 2024-01 to 2028-12). */
const MONTH_RANGE = { from: '2025-01', count: 36 } as const;

/** What browsers and calendar programs send; autocannon by default sends no Accept-Encoding, as the issue's figures assume. */
const COMPRESSED = 'gzip, deflate, br';

/**
 * Who asks: an anonymous visitor (no Accept-Encoding), a signed-in resident (never served from the
 * page cache), or, for feeds, a calendar program that accepts compressed answers.
 */
type Visitor = 'anonymous' | 'signed in' | 'compressed';

interface PageRow {
  database: DatabaseKind;
  page: string;
  visitor: Visitor;
  connections: number;
  /** The first of the paths; all of them are asked for in turn under load. */
  url: string;
  paths: number;
  /** Each path asked for once, one at a time, before any load (nothing of it cached yet): ms. */
  cold?: Cold;
  load?: LoadFigures;
  error?: string;
}

interface Run {
  database: DatabaseKind;
  seedMs?: number;
  loadMs?: number;
  loadSteps?: LoadTiming[];
  readyMs?: number;
  targets?: Targets;
}

interface Results {
  runs: Run[];
  pages: PageRow[];
  failures: string[];
  notes: string[];
}

const log = (message: string): void => console.error(message);
const errorText = (error: unknown): string => (error instanceof Error ? error.message : String(error));
const seconds = (ms: number | undefined): string => (ms === undefined ? '—' : `${(ms / 1000).toFixed(1)} s`);

interface Cold {
  requests: number;
  p50: number;
  max: number;
  /** The slowest path. */
  slowest: string;
  /** Median bytes of a response. */
  bytes: number;
}

const median = (values: number[]): number => {
  const sorted = [...values].sort((a, b) => a - b);
  return sorted[Math.floor((sorted.length - 1) / 2)] ?? Number.NaN;
};

/** Every path once, one at a time; throws on an answer other than 200. */
async function coldPass(baseUrl: string, paths: readonly string[], headers: Record<string, string> | undefined): Promise<Cold> {
  const times: number[] = [];
  const sizes: number[] = [];
  let slowest = { path: '', ms: -1 };
  for (const path of paths) {
    const started = performance.now();
    const response = await get(baseUrl + path, REQUEST_TIMEOUT_MS, headers);
    const ms = performance.now() - started;
    if (response.status !== 200) throw new BenchError(`${path} answered ${response.status}: ${response.body.toString('utf8').slice(0, 300)}`);
    times.push(ms);
    sizes.push(response.body.length);
    if (ms > slowest.ms) slowest = { path, ms };
  }
  return { requests: times.length, p50: median(times), max: slowest.ms, slowest: slowest.path, bytes: median(sizes) };
}

// ---- What is asked for ----

const query = (params: Record<string, string | number>): string => {
  const entries = Object.entries(params);
  return entries.length === 0 ? '' : `?${entries.map(([k, v]) => `${k}=${encodeURIComponent(String(v))}`).join('&')}`;
};

function months(): string[] {
  const [year, month] = MONTH_RANGE.from.split('-').map(Number) as [number, number];
  return Array.from({ length: MONTH_RANGE.count }, (_, i) => {
    const m = month - 1 + i;
    return `${year + Math.floor(m / 12)}-${String((m % 12) + 1).padStart(2, '0')}`;
  });
}

/** One filter of each kind in turn: area, type, city, organiser, commitment (the values with the most events first). */
function filters(targets: Targets): Record<string, string | number>[] {
  const out: Record<string, string | number>[] = [];
  const longest = Math.max(targets.areas.length, targets.types.length, targets.cities.length, targets.organisers.length, targets.commitments.length);
  for (let i = 0; i < longest; i += 1) {
    const area = targets.areas[i];
    const type = targets.types[i];
    const city = targets.cities[i];
    const organiser = targets.organisers[i];
    const commitment = targets.commitments[i];
    if (area !== undefined) out.push({ area });
    if (type !== undefined) out.push({ type });
    if (city !== undefined) out.push({ city });
    if (organiser !== undefined) out.push({ organiser });
    if (commitment !== undefined) out.push({ commitment });
  }
  return out;
}

interface PageSpec {
  page: string;
  paths: string[];
  /** Pages: anonymous and signed in. Feeds (read by calendar programs, without a session): anonymous, and accepting compression. */
  visitors: readonly Visitor[];
}

const PAGE_VISITORS: readonly Visitor[] = ['anonymous', 'signed in'];
const FEED_VISITORS: readonly Visitor[] = ['anonymous', 'compressed'];

function pageSpecs(targets: Targets): PageSpec[] {
  const each = filters(targets);
  // The list view (upcoming): unfiltered and its next pages, each filter, each filter's second page, and two filters together.
  const list = [
    '/en/events',
    ...[2, 3, 5].map((page) => `/en/events${query({ page })}`),
    ...each.map((f) => `/en/events${query(f)}`),
    ...each.filter((_, i) => i % 3 === 0).map((f) => `/en/events${query({ ...f, page: 2 })}`),
    ...targets.types.slice(0, 4).flatMap((type, i) => (targets.cities[i] ? [`/en/events${query({ type, city: targets.cities[i] as string })}`] : [])),
  ];
  // The month view: each month unfiltered, then each month with a filter.
  const monthList = months();
  const month = [
    ...monthList.map((m) => `/zh-hant/events${query({ view: 'month', month: m })}`),
    ...monthList.map((m, i) => `/zh-hant/events${query({ view: 'month', month: m, ...(each[i % each.length] ?? {}) })}`),
  ];
  return [
    { page: `calendar, list view (${list.length} filters and pages in turn)`, paths: list, visitors: PAGE_VISITORS },
    { page: `calendar, month view (${month.length} months and filters in turn)`, paths: month, visitors: PAGE_VISITORS },
    { page: 'feed: all events', paths: ['/en/events/calendar.ics'], visitors: FEED_VISITORS },
    { page: `feed per area (${targets.areas.length} in turn)`, paths: targets.areas.map((area) => `/en/events/calendar.ics${query({ area })}`), visitors: FEED_VISITORS },
    {
      page: `feed per commitment (${targets.commitments.length} in turn)`,
      paths: targets.commitments.map((commitment) => `/en/events/calendar.ics${query({ commitment })}`),
      visitors: FEED_VISITORS,
    },
    {
      page: `feed per organiser (${targets.organisers.length} in turn)`,
      paths: targets.organisers.map((organiser) => `/en/events/calendar.ics${query({ organiser })}`),
      visitors: FEED_VISITORS,
    },
  ];
}

// ---- One database ----

/** A session of the resident with the most registrations (a generated user); returns the cookie. */
async function residentCookie(db: Kysely<Database>, userId: string): Promise<string> {
  const secret = await createSession(db, { userId, settings: loadConfig({}).session, secondFactor: true });
  return `${SESSION_COOKIE}=${secret}`;
}

async function prepare(run: Run, env: Record<string, string>): Promise<{ cookie: string }> {
  log(`${run.database}: migrating and seeding (zjhk seed)…`);
  run.seedMs = (await runCliOrThrow(['seed'], env)).ms;
  log(`  seeded in ${seconds(run.seedMs)}`);
  log(`${run.database}: bulk-loading ${SCALE.events} events and ${SCALE.registrations} registrations…`);
  const started = performance.now();
  const db = await openDatabase({ databaseUrl: env.DATABASE_URL, dataDir: env.DATA_DIR ?? '' });
  try {
    run.loadSteps = await loadEventData(db.kysely, log);
    run.loadMs = performance.now() - started;
    log(`  loaded in ${seconds(run.loadMs)}`);
    run.targets = await describeData(db.kysely);
    return { cookie: await residentCookie(db.kysely, run.targets.busiestUser.id) };
  } finally {
    await db.close();
  }
}

async function startApp(run: Run, env: Record<string, string>): Promise<Server> {
  const port = await freePort();
  log(`${run.database}: starting the server on ${HOST}:${port}…`);
  const started = performance.now();
  const server = await startServer({
    label: `app (${run.database})`,
    args: ['bin/zjhk.js', 'serve'],
    env: { ...env, PORT: String(port), HOST, LOG_LEVEL: 'warn' },
    cwd: ROOT,
    readyPath: '/readyz',
    readyTimeoutMs: READY_TIMEOUT_MS,
  });
  run.readyMs = performance.now() - started;
  log(`  ready in ${seconds(run.readyMs)} (pid ${server.pid})`);
  return server;
}

async function measurePages(run: Run, server: Server, cookie: string, settings: Settings, backendPids: (() => Promise<number[]>) | undefined, results: Results): Promise<void> {
  const specs = pageSpecs(run.targets as Targets);
  for (const connections of CONNECTION_LEVELS) {
    for (const spec of specs) {
      for (const visitor of spec.visitors) {
        const url = spec.paths[0] as string;
        const row: PageRow = { database: run.database, page: spec.page, visitor, connections, url, paths: spec.paths.length };
        results.pages.push(row);
        const headers: Record<string, string> | undefined = visitor === 'signed in' ? { cookie } : visitor === 'compressed' ? { 'accept-encoding': COMPRESSED } : undefined;
        try {
          if (connections === CONNECTION_LEVELS[0]) {
            // Each URL once before any load: the page (or feed) built from the database, not from a cache.
            log(`${run.database}: ${spec.page}, ${visitor}: each of ${spec.paths.length} URLs once…`);
            row.cold = await coldPass(server.baseUrl, spec.paths, headers);
            log(`  p50 ${row.cold.p50.toFixed(0)} ms, max ${row.cold.max.toFixed(0)} ms (${row.cold.slowest}), ${row.cold.bytes} bytes`);
          }
          log(`${run.database}: ${spec.page}, ${visitor}, ${connections} connection(s): ${WARMUP_SECONDS} s warm-up, ${settings.seconds} s…`);
          row.load = await loadUrl({
            url: server.baseUrl + url,
            connections,
            seconds: settings.seconds,
            warmupSeconds: WARMUP_SECONDS,
            ...(headers ? { headers } : {}),
            paths: spec.paths,
            serverPid: server.pid,
            backendPids,
          });
          const m = row.load;
          log(
            `  p50 ${m.p50.toFixed(1)} ms, p95 ${m.p95.toFixed(1)} ms, p99 ${m.p99.toFixed(1)} ms, ${m.reqPerSec.toFixed(0)} req/s, ${m.non2xx} non-2xx, ${m.errors} errors; server CPU ${m.cpuMsPerRequest.toFixed(2)} ms/req`,
          );
        } catch (error) {
          row.error = errorText(error);
          results.failures.push(`${run.database} ${spec.page} (${visitor}, ${connections} conn.): ${row.error}`);
          log(`  FAILED: ${row.error}`);
        }
      }
    }
  }
}

async function runDatabase(run: Run, env: Record<string, string>, settings: Settings, backendPids: (() => Promise<number[]>) | undefined, results: Results): Promise<void> {
  const { cookie } = await prepare(run, env);
  const server = await startApp(run, env);
  try {
    await measurePages(run, server, cookie, settings, backendPids, results);
  } finally {
    await server.stop();
  }
}

// ---- Output ----

const fixed = (value: number | undefined, digits: number): string => (value === undefined || !Number.isFinite(value) ? '—' : value.toFixed(digits));

function verdict(row: PageRow | undefined): string {
  if (!row) return '';
  const m = row.load;
  if (!m) return `MISSED (${row.error ?? 'not measured'})`;
  if (m.non2xx > 0 || m.errors > 0) return `MISSED (${m.non2xx} non-2xx, ${m.errors} err.)`;
  return m.p95 < TARGET_P95_MS ? 'met' : 'MISSED';
}

function machineFacts(settings: Settings): string[] {
  const cpus = os.cpus();
  const models = [...new Set(cpus.map((cpu) => cpu.model.trim()))].join(', ');
  return [
    `Machine: ${cpus.length} CPUs (${models}), ${(os.totalmem() / 2 ** 30).toFixed(1)} GiB RAM, ${os.platform()} ${os.arch()}, Node ${process.version}`,
    `Load: autocannon in the benchmark process on the same machine, at ${CONNECTION_LEVELS.join(' and ')} connections, each row's URLs in turn, no Accept-Encoding; ${WARMUP_SECONDS} s warm-up then ${settings.seconds} s per row`,
    `Data: ${SCALE.events} events, ${SCALE.registrations} registrations by ${SCALE.users} residents (all illustrative)`,
  ];
}

function printReport(results: Results, settings: Settings): void {
  console.log('');
  for (const line of machineFacts(settings)) console.log(line);
  for (const run of results.runs) {
    console.log('');
    console.log(`${run.database}: seed ${seconds(run.seedMs)}, data load ${seconds(run.loadMs)} (SQL insert … select, then analyze), server ready ${seconds(run.readyMs)}`);
    for (const step of run.loadSteps ?? []) console.log(`  ${step.label.padEnd(20)} ${String(step.rows).padStart(7)} rows ${(step.ms / 1000).toFixed(1).padStart(6)} s`);
    if (run.targets) {
      console.log(
        `  rows: ${Object.entries(run.targets.counts)
          .map(([k, v]) => `${k} ${v}`)
          .join(', ')}`,
      );
      console.log(`  signed-in visitor: ${run.targets.busiestUser.id} (${run.targets.busiestUser.registrations} registrations)`);
    }
  }
  const databases = results.runs.map((run) => run.database);
  const keys = [...new Map(results.pages.map((row) => [`${row.connections}|${row.page}|${row.visitor}`, row])).values()];
  const find = (database: DatabaseKind, key: PageRow): PageRow | undefined =>
    results.pages.find((row) => row.database === database && row.connections === key.connections && row.page === key.page && row.visitor === key.visitor);
  console.log('');
  console.log(`Latency under load, ms; target p95 < ${TARGET_P95_MS} ms. cold = each of the row's URLs once before any load (median / max): built from the database`);
  table(
    ['page', 'visitor', 'conn', ...databases.flatMap((d) => [`${d} cold`, 'p50', 'p95', 'p99', 'req/s', 'target'])],
    keys.map((key) => [
      key.page,
      key.visitor,
      String(key.connections),
      ...databases.flatMap((database) => {
        const row = find(database, key);
        const m = row?.load;
        return [row?.cold ? `${row.cold.p50.toFixed(0)} / ${row.cold.max.toFixed(0)}` : '', fixed(m?.p50, 1), fixed(m?.p95, 1), fixed(m?.p99, 1), fixed(m?.reqPerSec, 0), verdict(row)];
      }),
    ]),
    2,
  );
  console.log('');
  console.log('Where the time goes (CPU ms/req = the server process, with PGlite inside it; PG ms/req = its PostgreSQL backends; bytes = median response)');
  table(
    ['db', 'page', 'visitor', 'conn', 'bytes', 'max', '>100ms', 'non-2xx/err', 'CPU ms/req', 'PG ms/req', 'client CPU', 'other busy', 'slowest URL when cold'],
    results.pages.map((row) => {
      const m = row.load;
      return [
        row.database,
        row.page,
        row.visitor,
        String(row.connections),
        row.cold ? String(row.cold.bytes) : '',
        fixed(m?.max, 0),
        m ? `${m.over100ms}/${m.requests}` : '—',
        m ? `${m.non2xx}/${m.errors}` : (row.error ?? '—'),
        fixed(m?.cpuMsPerRequest, 2),
        fixed(m?.pgMsPerRequest, 2),
        m ? `${m.clientCpuPercent.toFixed(0)} %` : '—',
        m?.otherBusyPercent === undefined ? '—' : `${m.otherBusyPercent.toFixed(0)} %`,
        row.cold?.slowest ?? '',
      ];
    }),
    3,
  );
  const missed = results.pages.filter((row) => verdict(row) !== 'met');
  console.log('');
  console.log(missed.length === 0 ? `All ${results.pages.length} rows met the target.` : `MISSED: ${missed.length} of ${results.pages.length} rows over ${TARGET_P95_MS} ms at p95 (or failing).`);
  for (const note of results.notes) console.log(`Note: ${note}`);
  for (const failure of results.failures) console.log(`FAILED: ${failure}`);
}

async function main(): Promise<number> {
  const settings = readSettings(process.env);
  const results: Results = { runs: [], pages: [], failures: [], notes: [] };
  const broken = await onEachDatabase('events', settings, results, async (database, { env, backendPids }) => {
    const run: Run = { database };
    results.runs.push(run);
    await runDatabase(run, env, settings, backendPids, results);
  });
  printReport(results, settings);
  if (results.runs.length > 0) saveResults('events', { machine: machineFacts(settings), seconds: settings.seconds, ...results });
  return broken ? 1 : 0;
}

runBenchmark(main);

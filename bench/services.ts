// The one-stop service at the scale: 5,000 knowledge articles and 100,000 enquiries, on PGlite
// and on PostgreSQL. Seeds, bulk-loads the data set, measures search recall on the team's query lists
// (Simplified queries for articles indexed only in Traditional, and the reverse), times search()
// in-process, then starts the real server and loads the search page, the suggestions while typing and
// an agency's and a coordinator's enquiry queue with autocannon.
// Targets: search p95 < 20 ms, an agency's queue page p95 < 100 ms. Prints figures; exits 0 even when a
// target is missed (1 only when the benchmark itself could not run).
// Env: BENCH_SECONDS (default 10), BENCH_ONLY=pglite|postgres,
// BENCH_PG_ADMIN_URL (default postgres://postgres@127.0.0.1:5432/postgres).
import { randomUUID } from 'node:crypto';
import { readFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import type { Kysely } from 'kysely';
import { insertRole, insertUser } from '../src/modules/accounts/queries.ts';
import type { Role } from '../src/platform/auth/roles.ts';
import { createSession, SESSION_COOKIE } from '../src/platform/auth/sessions.ts';
import { loadConfig } from '../src/config.ts';
import { openDatabase } from '../src/platform/db/index.ts';
import type { Database } from '../src/platform/db/schema.ts';
import { search } from '../src/platform/search/index.ts';
import { runBenchmark, table } from './lib/output.ts';
import { ROOT, runCliOrThrow } from './lib/cli.ts';
import { onEachDatabase } from './lib/environments.ts';
import { type LoadFigures, loadUrl } from './lib/implementation-load.ts';
import { Latencies } from './lib/load.ts';
import { saveResults } from './lib/results.ts';
import { BenchError, freePort, get, HOST, startServer } from './lib/server.ts';
import { busiestAgency, dropRecallCorpora, loadArticles, loadEnquiries, loadRecallCorpora, SCALE } from './lib/services-data.ts';
import { type DatabaseKind, readSettings, type Settings } from './lib/settings.ts';
import { sealTotpSecret } from '../src/platform/auth/totp.ts';

const WARMUP_SECONDS = 2;
const TARGET_SEARCH_MS = 20;
const TARGET_QUEUE_MS = 100;
/** In-process search: every query this many times. */
const SEARCH_ROUNDS = 10;
const RECALL_DEPTHS = [1, 5, 10] as const;

interface RecallQuery {
  query: string;
  expect: string[];
}
interface QueryList {
  simplifiedToTraditional: RecallQuery[];
  traditionalToSimplified: RecallQuery[];
}

/** The team's recall lists (bench/data/search-queries-*.json), merged. */
function queryLists(): QueryList {
  const lists = ['A', 'B'].map((letter) => JSON.parse(readFileSync(path.join(ROOT, 'bench', 'data', `search-queries-${letter}.json`), 'utf8')) as QueryList);
  return { simplifiedToTraditional: lists.flatMap((l) => l.simplifiedToTraditional), traditionalToSimplified: lists.flatMap((l) => l.traditionalToSimplified) };
}

/** Keyword searches as people type them into the box, besides the recall lists' questions. */
const KEYWORDS = [
  '居住證',
  '居住证',
  '社保',
  '公積金',
  '公积金',
  'MPF',
  '醫保',
  '医保',
  '子女入學',
  'DSE',
  '駕駛執照',
  '驾照',
  '法律援助',
  '個人所得稅',
  '创业',
  'residence permit',
  'social insurance',
  'bank account',
  'tax',
  'internship',
];

interface RecallFigures {
  direction: string;
  queries: number;
  /** Queries with a right answer within the first k hits, per k. */
  found: Record<number, number>;
  /** Mean reciprocal rank of the first right answer (0 when none in the first 10). */
  mrr: number;
  misses: string[];
}

interface SearchFigures {
  searches: number;
  p50: number;
  p95: number;
  max: number;
  zeroHits: number;
}

interface PageRow {
  label: string;
  url: string;
  connections: number;
  target?: number;
  first?: { ms: number; status: number; bytes: number };
  load?: LoadFigures;
  error?: string;
}

interface Run {
  database: DatabaseKind;
  seedMs?: number;
  loadMs?: number;
  counts?: Record<string, number>;
  queue?: { agency: string; side: string; open: number };
  recall: RecallFigures[];
  search?: SearchFigures;
  pages: PageRow[];
}

interface Results {
  runs: Run[];
  failures: string[];
  notes: string[];
}

const log = (message: string): void => console.error(message);
const errorText = (error: unknown): string => (error instanceof Error ? error.message : String(error));
const seconds = (ms: number | undefined): string => (ms === undefined ? '—' : `${(ms / 1000).toFixed(1)} s`);

async function measureRecall(db: Kysely<Database>, direction: string, kind: string, queries: RecallQuery[]): Promise<RecallFigures> {
  const found: Record<number, number> = Object.fromEntries(RECALL_DEPTHS.map((k) => [k, 0]));
  let reciprocal = 0;
  const misses: string[] = [];
  for (const q of queries) {
    const { hits } = await search(db, { query: q.query, kinds: [kind], visibility: ['public'], limit: 10 });
    const rank = hits.findIndex((h) => q.expect.includes(h.key)) + 1;
    for (const k of RECALL_DEPTHS) if (rank > 0 && rank <= k) found[k] = (found[k] ?? 0) + 1;
    if (rank > 0) reciprocal += 1 / rank;
    else
      misses.push(
        `${q.query} → ${
          hits
            .slice(0, 3)
            .map((h) => h.key)
            .join(', ') || 'nothing'
        } (wanted ${q.expect.join(' or ')})`,
      );
  }
  return { direction, queries: queries.length, found, mrr: reciprocal / queries.length, misses };
}

async function measureSearch(db: Kysely<Database>, queries: string[]): Promise<SearchFigures> {
  const latencies = new Latencies();
  let zeroHits = 0;
  for (let round = 0; round <= SEARCH_ROUNDS; round += 1) {
    for (const query of queries) {
      const started = performance.now();
      const { total } = await search(db, { query, kinds: ['article'], visibility: ['public'], limit: 20 });
      // Round 0 warms the caches and is not counted.
      if (round === 0) {
        if (total === 0) zeroHits += 1;
        continue;
      }
      latencies.add(performance.now() - started);
    }
  }
  const [p50, p95, max] = latencies.percentiles(0.5, 0.95, 1) as [number, number, number];
  return { searches: latencies.size, p50, p95, max, zeroHits };
}

/** A user with one role (two-factor done where it is needed) and a session; returns the session cookie. */
async function signedIn(db: Kysely<Database>, role: Role, organisationId: string | null): Promise<string> {
  const id = randomUUID();
  await insertUser(db, { id, email: `bench-${role}-${id.slice(0, 8)}@example.org`, displayName: `Bench ${role}`, locale: 'en', passwordHash: null, emailVerifiedAt: new Date() });
  await insertRole(db, { userId: id, role, organisationId, grantedBy: null });
  if (role !== 'resident')
    await db
      .updateTable('users')
      .set({ totp_enabled_at: new Date(), totp_secret: sealTotpSecret(id, 'JBSWY3DPEHPK3PXP') })
      .where('id', '=', id)
      .execute();
  const secret = await createSession(db, { userId: id, settings: loadConfig({}).session, secondFactor: true });
  return `${SESSION_COOKIE}=${secret}`;
}

interface Prepared {
  cookies: { resident: string; officer: string; coordinator: string };
}

async function prepare(run: Run, env: Record<string, string>, lists: QueryList): Promise<Prepared> {
  log(`${run.database}: migrating and seeding (zjhk seed)…`);
  run.seedMs = (await runCliOrThrow(['seed'], env)).ms;
  log(`  seeded in ${seconds(run.seedMs)}`);
  const started = performance.now();
  const db = await openDatabase({ databaseUrl: env.DATABASE_URL, dataDir: env.DATA_DIR ?? '' });
  try {
    const k = db.kysely;
    log(`${run.database}: ${SCALE.articles} articles…`);
    const articles = await loadArticles(k, SCALE.articles, log);
    log(`${run.database}: ${SCALE.enquiries} enquiries…`);
    const today = new Intl.DateTimeFormat('en-CA', { timeZone: 'Asia/Hong_Kong' }).format(new Date());
    await loadEnquiries(k, SCALE.enquiries, today);
    run.loadMs = performance.now() - started;
    run.counts = { 'articles (seeded)': articles.seeded, 'articles (generated)': articles.generated, enquiries: SCALE.enquiries };
    for (const table of ['search_documents', 'enquiry_events'] as const) {
      run.counts[table] = Number(
        (
          await k
            .selectFrom(table)
            .select((e) => e.fn.countAll<number>().as('n'))
            .executeTakeFirstOrThrow()
        ).n,
      );
    }
    run.queue = await busiestAgency(k);

    log(`${run.database}: recall (each seeded article indexed in one script among ${SCALE.recallDistractors} distractors made of the agreement's sentences)…`);
    await loadRecallCorpora(k, SCALE.recallDistractors);
    run.recall.push(await measureRecall(k, 'Simplified query → Traditional article', 'recall-hant', lists.simplifiedToTraditional));
    run.recall.push(await measureRecall(k, 'Traditional query → Simplified article', 'recall-hans', lists.traditionalToSimplified));
    await dropRecallCorpora(k);

    log(`${run.database}: search() in-process, ${SEARCH_ROUNDS} rounds…`);
    const queries = [...lists.simplifiedToTraditional, ...lists.traditionalToSimplified].map((q) => q.query).concat(KEYWORDS);
    run.search = await measureSearch(k, queries);

    const coordinatorOf = run.queue.side === 'zhejiang' ? 'zj-hkmao' : 'hk-cmab';
    return {
      cookies: {
        resident: await signedIn(k, 'resident', null),
        officer: await signedIn(k, 'agency-officer', run.queue.agency),
        coordinator: await signedIn(k, 'custodian-coordinator', coordinatorOf),
      },
    };
  } finally {
    await db.close();
  }
}

async function measurePages(
  run: Run,
  env: Record<string, string>,
  prepared: Prepared,
  lists: QueryList,
  settings: Settings,
  backendPids: (() => Promise<number[]>) | undefined,
  results: Results,
): Promise<void> {
  const port = await freePort();
  const server = await startServer({
    label: `app (${run.database})`,
    args: ['bin/zjhk.js', 'serve'],
    env: { ...env, PORT: String(port), HOST, LOG_LEVEL: 'warn' },
    cwd: ROOT,
    readyPath: '/readyz',
    readyTimeoutMs: 300_000,
  });
  try {
    const queries = [...lists.simplifiedToTraditional, ...lists.traditionalToSimplified].map((q) => q.query).concat(KEYWORDS);
    const searchPaths = queries.map((q) => `/zh-hans/help/search?q=${encodeURIComponent(q)}`);
    const prefixes = queries.flatMap((q) => [q.slice(0, 2), q.slice(0, 4)]).filter((p) => p.trim().length > 0);
    const suggestPaths = [...new Set(prefixes)].map((p) => `/zh-hant/help/suggest?q=${encodeURIComponent(p)}`);
    const specs: { row: PageRow; cookie?: string; paths?: string[] }[] = [];
    for (const connections of [1, 10]) {
      specs.push(
        {
          row: { label: `search page, ${searchPaths.length} queries in turn (signed in: never cached)`, url: searchPaths[0] as string, connections, target: TARGET_SEARCH_MS },
          cookie: prepared.cookies.resident,
          paths: searchPaths,
        },
        { row: { label: `suggestions while typing, ${suggestPaths.length} prefixes in turn`, url: suggestPaths[0] as string, connections, target: TARGET_SEARCH_MS }, paths: suggestPaths },
        { row: { label: `queue of ${run.queue?.agency} (officer)`, url: '/en/workspace/enquiries', connections, target: TARGET_QUEUE_MS }, cookie: prepared.cookies.officer },
        { row: { label: `queue of the ${run.queue?.side} coordinators`, url: '/en/workspace/enquiries', connections, target: TARGET_QUEUE_MS }, cookie: prepared.cookies.coordinator },
      );
    }
    for (const spec of specs) {
      const row = spec.row;
      run.pages.push(row);
      const headers = spec.cookie ? { cookie: spec.cookie } : undefined;
      try {
        if (row.connections === 1) {
          const started = performance.now();
          const response = await get(server.baseUrl + row.url, 60_000, headers);
          row.first = { ms: performance.now() - started, status: response.status, bytes: response.body.length };
          if (response.status !== 200) throw new BenchError(`${row.url} answered ${response.status}`);
        }
        log(`${run.database}: ${row.label} at ${row.connections} connection(s)…`);
        row.load = await loadUrl({
          url: server.baseUrl + row.url,
          connections: row.connections,
          seconds: settings.seconds,
          warmupSeconds: WARMUP_SECONDS,
          ...(headers ? { headers } : {}),
          ...(spec.paths ? { paths: spec.paths } : {}),
          serverPid: server.pid,
          backendPids,
        });
        log(`  p50 ${row.load.p50.toFixed(1)} ms, p95 ${row.load.p95.toFixed(1)} ms, ${row.load.reqPerSec.toFixed(0)} req/s, ${row.load.non2xx} non-2xx`);
      } catch (error) {
        row.error = errorText(error);
        results.failures.push(`${run.database} ${row.label}: ${row.error}`);
        log(`  FAILED: ${row.error}`);
      }
    }
  } finally {
    await server.stop();
  }
}

async function runDatabase(run: Run, env: Record<string, string>, settings: Settings, backendPids: (() => Promise<number[]>) | undefined, results: Results): Promise<void> {
  const lists = queryLists();
  const prepared = await prepare(run, env, lists);
  await measurePages(run, env, prepared, lists, settings, backendPids, results);
}

// ---- Output ----

const verdict = (p95: number | undefined, target: number | undefined, bad = false): string => (p95 === undefined || bad ? 'MISSED' : target === undefined ? '' : p95 < target ? 'met' : 'MISSED');

function machineFacts(settings: Settings): string[] {
  const cpus = os.cpus();
  return [
    `Machine: ${cpus.length} CPUs (${[...new Set(cpus.map((c) => c.model.trim()))].join(', ')}), ${(os.totalmem() / 2 ** 30).toFixed(1)} GiB RAM, Node ${process.version}`,
    `Data: ${SCALE.articles} articles (the seeded ones and generated ones made of their sentences), ${SCALE.enquiries} enquiries (illustrative); load ${WARMUP_SECONDS} s warm-up then ${settings.seconds} s per row, no Accept-Encoding`,
  ];
}

function printReport(results: Results, settings: Settings): void {
  console.log('');
  for (const line of machineFacts(settings)) console.log(line);
  for (const run of results.runs) {
    console.log('');
    console.log(
      `${run.database}: seed ${seconds(run.seedMs)}, bulk load ${seconds(run.loadMs)}; ${Object.entries(run.counts ?? {})
        .map(([k, v]) => `${k} ${v}`)
        .join(', ')}`,
    );
    if (run.queue) console.log(`  heaviest queue: ${run.queue.agency} (${run.queue.side}), ${run.queue.open} open cases`);
  }
  console.log('');
  console.log('Recall on the team’s query lists (right answer within the first k hits)');
  table(
    ['db', 'direction', 'queries', ...RECALL_DEPTHS.map((k) => `@${k}`), 'MRR'],
    results.runs.flatMap((run) =>
      run.recall.map((r) => [run.database, r.direction, String(r.queries), ...RECALL_DEPTHS.map((k) => `${r.found[k]} (${((100 * (r.found[k] ?? 0)) / r.queries).toFixed(0)} %)`), r.mrr.toFixed(2)]),
    ),
    2,
  );
  const first = results.runs[0];
  for (const r of first?.recall ?? []) {
    if (r.misses.length === 0) continue;
    console.log(`  Not in the first 10 (${first?.database}, ${r.direction}):`);
    for (const miss of r.misses) console.log(`    ${miss}`);
  }
  console.log('');
  console.log(`search() in-process over ${SCALE.articles} articles (every query ${SEARCH_ROUNDS} times, one at a time; ms)`);
  table(
    ['db', 'searches', 'p50', 'p95', 'max', 'queries with no hit', `p95 < ${TARGET_SEARCH_MS} ms`],
    results.runs
      .filter((r) => r.search)
      .map((r) => {
        const s = r.search as SearchFigures;
        return [r.database, String(s.searches), s.p50.toFixed(2), s.p95.toFixed(2), s.max.toFixed(1), String(s.zeroHits), verdict(s.p95, TARGET_SEARCH_MS)];
      }),
    1,
  );
  console.log('');
  console.log('Pages under load (ms; CPU = server process per request, PG = its PostgreSQL backends)');
  table(
    ['db', 'page', 'conn', 'first', 'p50', 'p95', 'p99', 'req/s', 'non-2xx/err', 'CPU ms/req', 'PG ms/req', 'target'],
    results.runs.flatMap((run) =>
      run.pages.map((row) => {
        const m = row.load;
        return [
          run.database,
          row.label,
          String(row.connections),
          row.first ? row.first.ms.toFixed(0) : '',
          m ? m.p50.toFixed(1) : '—',
          m ? m.p95.toFixed(1) : '—',
          m ? m.p99.toFixed(1) : '—',
          m ? m.reqPerSec.toFixed(0) : '—',
          m ? `${m.non2xx}/${m.errors}` : (row.error ?? '—'),
          m ? m.cpuMsPerRequest.toFixed(2) : '—',
          m?.pgMsPerRequest === undefined ? '—' : m.pgMsPerRequest.toFixed(2),
          `p95 < ${row.target} ms: ${verdict(m?.p95, row.target, !m || m.non2xx > 0 || m.errors > 0)}`,
        ];
      }),
    ),
    3,
  );
  for (const note of results.notes) console.log(`Note: ${note}`);
  for (const failure of results.failures) console.log(`FAILED: ${failure}`);
}

async function main(): Promise<number> {
  const settings = readSettings(process.env);
  const results: Results = { runs: [], failures: [], notes: [] };
  const broken = await onEachDatabase('services', settings, results, async (database, { env, backendPids }) => {
    const run: Run = { database, recall: [], pages: [] };
    results.runs.push(run);
    await runDatabase(run, env, settings, backendPids, results);
  });
  printReport(results, settings);
  if (results.runs.length > 0) saveResults('services', { machine: machineFacts(settings), seconds: settings.seconds, ...results });
  return broken ? 1 : 0;
}

runBenchmark(main);

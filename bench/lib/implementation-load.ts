// Load with autocannon at a chosen number of connections, with p50/p95/p99 from every response's own
// timing, and the CPU the server (and its PostgreSQL backends) spend meanwhile.
import os from 'node:os';
import { clockTicks, cpuTicks, cpuTicksOf, machineBusyTicks, ticksBetween } from './cpu.ts';
import { runLoad } from './load.ts';
import { BenchError } from './server.ts';

export interface LoadFigures {
  connections: number;
  requests: number;
  seconds: number;
  reqPerSec: number;
  /** Milliseconds, over 2xx responses. */
  p50: number;
  p95: number;
  p99: number;
  max: number;
  /** 2xx responses slower than 100 ms. */
  over100ms: number;
  non2xx: number;
  errors: number;
  /** Server CPU per request, ms (PGlite runs inside it). */
  cpuMsPerRequest: number;
  /** PostgreSQL backends' CPU per request, ms; undefined on PGlite. */
  pgMsPerRequest: number | undefined;
  /** The load generator's own CPU (this process) as a share of one core: near 100 % it limits the figures. */
  clientCpuPercent: number;
  /** Share of all CPUs used meanwhile by other processes (not the server, its backends or this process). */
  otherBusyPercent: number | undefined;
}

export interface LoadOptions {
  url: string;
  connections: number;
  seconds: number;
  warmupSeconds: number;
  /** Request headers (none by default: autocannon then sends no Accept-Encoding). */
  headers?: Record<string, string>;
  /** Paths asked for in turn instead of the URL's own (see runLoad). */
  paths?: readonly string[];
  serverPid: number;
  /** The PostgreSQL backends serving the app, read at the start of the window. */
  backendPids?: (() => Promise<number[]>) | undefined;
}

export async function loadUrl(options: LoadOptions): Promise<LoadFigures> {
  const headers = options.headers ?? {};
  if (options.warmupSeconds > 0)
    await runLoad({ url: options.url, connections: options.connections, seconds: options.warmupSeconds, timeout: 30, headers, ...(options.paths ? { paths: options.paths } : {}) });
  const backends = options.backendPids ? await options.backendPids() : undefined;
  const serverBefore = cpuTicks(options.serverPid);
  const backendsBefore = backends ? cpuTicksOf(backends) : undefined;
  const clientBefore = process.cpuUsage();
  const machineBefore = machineBusyTicks();
  const wallBefore = performance.now();
  const { result, latencies } = await runLoad({
    url: options.url,
    connections: options.connections,
    seconds: options.seconds,
    timeout: 30,
    headers,
    ...(options.paths ? { paths: options.paths } : {}),
  });
  const client = process.cpuUsage(clientBefore);
  const wallMs = performance.now() - wallBefore;
  const machineAfter = machineBusyTicks();
  const serverAfter = cpuTicks(options.serverPid);
  const backendsAfter = backends ? cpuTicksOf(backends) : undefined;
  if (serverBefore === undefined || serverAfter === undefined) throw new BenchError(`cannot read /proc/${options.serverPid}/stat (did the server exit?)`);
  const requests = result.requests.total;
  const perRequestMs = (ticks: number): number => (requests > 0 ? ((ticks / clockTicks()) * 1000) / requests : Number.NaN);
  const serverTicks = serverAfter - serverBefore;
  const backendTicks = backendsBefore && backendsAfter ? ticksBetween(backendsBefore, backendsAfter) : 0;
  const clientTicks = ((client.user + client.system) / 1e6) * clockTicks();
  const capacity = (wallMs / 1000) * clockTicks() * os.availableParallelism();
  const otherBusyPercent =
    machineBefore === undefined || machineAfter === undefined ? undefined : Math.max(0, (100 * (machineAfter - machineBefore - serverTicks - backendTicks - clientTicks)) / capacity);
  const [p50, p95, p99, max, over100ms] = [...latencies.percentiles(0.5, 0.95, 0.99, 1), latencies.countOver(100)];
  return {
    connections: options.connections,
    requests,
    seconds: result.duration,
    reqPerSec: requests / result.duration,
    p50: p50 as number,
    p95: p95 as number,
    p99: p99 as number,
    max: max as number,
    over100ms: over100ms as number,
    non2xx: result.non2xx,
    errors: result.errors + result.timeouts,
    cpuMsPerRequest: perRequestMs(serverTicks),
    pgMsPerRequest: backendsBefore && backendsAfter && backendsBefore.size > 0 ? perRequestMs(backendTicks) : undefined,
    clientCpuPercent: ((client.user + client.system) / 1000 / wallMs) * 100,
    otherBusyPercent,
  };
}

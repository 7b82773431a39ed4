// Load with autocannon at a chosen number of connections, with p50/p95/p99 from every response's own
// timing, and the CPU the server (and its PostgreSQL backends) spend meanwhile.
import autocannon from 'autocannon';
import { onCleanup } from './cleanup.ts';
import os from 'node:os';
import { clockTicks, cpuTicks, cpuTicksOf, machineBusyTicks, ticksBetween } from './cpu.ts';
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

class Latencies {
  private values = new Float64Array(1 << 14);
  size = 0;

  add(value: number): void {
    if (this.size === this.values.length) {
      const larger = new Float64Array(this.values.length * 2);
      larger.set(this.values);
      this.values = larger;
    }
    this.values[this.size++] = value;
  }

  sorted(): Float64Array {
    return this.values.slice(0, this.size).sort();
  }
}

const rank = (sorted: Float64Array, p: number): number => sorted[Math.max(0, Math.ceil(p * sorted.length) - 1)] ?? Number.NaN;

function run(url: string, connections: number, seconds: number, headers: Record<string, string>): Promise<{ result: autocannon.Result; latencies: Latencies }> {
  const latencies = new Latencies();
  return new Promise((resolve, reject) => {
    let release = async (): Promise<void> => {};
    const instance = autocannon({ url, connections, pipelining: 1, duration: seconds, timeout: 30, headers }, (error, result) => {
      void release();
      if (error) reject(error);
      else resolve({ result, latencies });
    });
    release = onCleanup(`load on ${url}`, async () => instance.stop());
    instance.on('response', (_client, statusCode, _bytes, responseTime) => {
      if (statusCode >= 200 && statusCode < 300) latencies.add(responseTime);
    });
  });
}

export interface LoadOptions {
  url: string;
  connections: number;
  seconds: number;
  warmupSeconds: number;
  /** Request headers (none by default: autocannon then sends no Accept-Encoding). */
  headers?: Record<string, string>;
  serverPid: number;
  /** The PostgreSQL backends serving the app, read at the start of the window. */
  backendPids?: (() => Promise<number[]>) | undefined;
}

export async function loadUrl(options: LoadOptions): Promise<LoadFigures> {
  const headers = options.headers ?? {};
  if (options.warmupSeconds > 0) await run(options.url, options.connections, options.warmupSeconds, headers);
  const backends = options.backendPids ? await options.backendPids() : undefined;
  const serverBefore = cpuTicks(options.serverPid);
  const backendsBefore = backends ? cpuTicksOf(backends) : undefined;
  const clientBefore = process.cpuUsage();
  const machineBefore = machineBusyTicks();
  const wallBefore = performance.now();
  const { result, latencies } = await run(options.url, options.connections, options.seconds, headers);
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
  const sorted = latencies.sorted();
  let over100ms = 0;
  for (const value of sorted) if (value > 100) over100ms += 1;
  return {
    connections: options.connections,
    requests,
    seconds: result.duration,
    reqPerSec: requests / result.duration,
    p50: rank(sorted, 0.5),
    p95: rank(sorted, 0.95),
    p99: rank(sorted, 0.99),
    max: sorted[sorted.length - 1] ?? Number.NaN,
    over100ms,
    non2xx: result.non2xx,
    errors: result.errors + result.timeouts,
    cpuMsPerRequest: perRequestMs(serverTicks),
    pgMsPerRequest: backendsBefore && backendsAfter && backendsBefore.size > 0 ? perRequestMs(backendTicks) : undefined,
    clientCpuPercent: ((client.user + client.system) / 1000 / wallMs) * 100,
    otherBusyPercent,
  };
}

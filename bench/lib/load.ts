// Load generation with autocannon, and the CPU the server spends meanwhile.
import autocannon from 'autocannon';
import { onCleanup } from './cleanup.ts';
import os from 'node:os';
import { clockTicks, cpuTicks, cpuTicksOf, machineBusyTicks, ticksBetween } from './cpu.ts';
import { BenchError } from './server.ts';

export const CONNECTIONS = 10;
export const PIPELINING = 1;

export interface Measurement {
  requests: number;
  seconds: number;
  reqPerSec: number;
  /** Milliseconds, from every 2xx response's own timing. */
  p50: number;
  p99: number;
  cpuSeconds: number;
  cpuMicrosPerRequest: number;
  /** CPU of other processes doing the work (PostgreSQL backends), per request; undefined when not asked. */
  extraMicrosPerRequest: number | undefined;
  /**
   * Share of the whole machine's CPU capacity used during the window by processes other than the server,
   * the load generator and the PostgreSQL backends: a measure of interference. Percent.
   */
  otherBusyPercent: number | undefined;
  non2xx: number;
  errors: number;
}

/** A growable list of latencies in ms (autocannon's own histogram keeps whole milliseconds only). */
export class Latencies {
  private values = new Float64Array(1 << 16);
  private count = 0;

  add(value: number): void {
    if (this.count === this.values.length) {
      const larger = new Float64Array(this.values.length * 2);
      larger.set(this.values);
      this.values = larger;
    }
    this.values[this.count++] = value;
  }

  get size(): number {
    return this.count;
  }

  countOver(ms: number): number {
    let n = 0;
    for (let i = 0; i < this.count; i += 1) if ((this.values[i] as number) > ms) n += 1;
    return n;
  }

  percentiles(...ranks: number[]): number[] {
    const sorted = this.values.slice(0, this.count).sort();
    return ranks.map((rank) => sorted[Math.max(0, Math.ceil(rank * sorted.length) - 1)] ?? Number.NaN);
  }
}

export interface LoadRun {
  result: autocannon.Result;
  latencies: Latencies;
}

export interface LoadSpec {
  url: string;
  connections: number;
  seconds: number;
  pipelining?: number;
  timeout?: number;
  headers?: Record<string, string>;
  /** Paths (with query) asked for in turn instead of the URL's own, e.g. a list of searches. */
  paths?: readonly string[];
}

/** Loads a URL with autocannon, timing every 2xx response; stopped with the benchmark on Ctrl-C. */
export function runLoad(options: LoadSpec): Promise<LoadRun> {
  const latencies = new Latencies();
  const paths = options.paths;
  let turn = 0;
  const rotation = paths?.length
    ? {
        requests: [
          {
            setupRequest: (request: { path: string }) => {
              request.path = paths[turn++ % paths.length] as string;
              return request;
            },
          },
        ],
      }
    : {};
  return new Promise((resolve, reject) => {
    let release = async (): Promise<void> => {};
    const instance = autocannon(
      {
        url: options.url,
        connections: options.connections,
        pipelining: options.pipelining ?? PIPELINING,
        duration: options.seconds,
        timeout: options.timeout ?? 10,
        headers: options.headers ?? {},
        ...rotation,
      },
      (error, result) => {
        void release();
        if (error) reject(error);
        else resolve({ result, latencies });
      },
    );
    release = onCleanup(`load on ${options.url}`, async () => instance.stop());
    instance.on('response', (_client, statusCode, _bytes, responseTime) => {
      if (statusCode >= 200 && statusCode < 300) latencies.add(responseTime);
    });
  });
}

// autocannon sends no Accept-Encoding, so responses are uncompressed.
const load = (url: string, seconds: number): Promise<LoadRun> => runLoad({ url, connections: CONNECTIONS, seconds });

export interface MeasureOptions {
  url: string;
  pid: number;
  seconds: number;
  warmupSeconds: number;
  /** Pids of other processes whose CPU counts towards the work (read at the start of the window). */
  extraPids?: () => Promise<number[]>;
}

/** CPU counters read at one edge of the load window. */
interface Snapshot {
  at: number;
  server: number | undefined;
  self: number | undefined;
  machine: number | undefined;
  extra: Map<number, number> | undefined;
}

function snapshot(pid: number, extraPids: readonly number[] | undefined): Snapshot {
  return {
    at: performance.now(),
    server: cpuTicks(pid),
    self: cpuTicks(process.pid),
    machine: machineBusyTicks(),
    extra: extraPids ? cpuTicksOf(extraPids) : undefined,
  };
}

const delta = (before: number | undefined, after: number | undefined): number | undefined => (before === undefined || after === undefined ? undefined : after - before);

/** Percent of all CPUs used by everything but the server, this process and the extra pids. */
function otherBusyPercent(before: Snapshot, after: Snapshot, serverTicks: number, extraTicks: number): number | undefined {
  const machine = delta(before.machine, after.machine);
  const self = delta(before.self, after.self);
  if (machine === undefined || self === undefined) return undefined;
  const capacity = ((after.at - before.at) / 1000) * clockTicks() * os.availableParallelism();
  return Math.max(0, (100 * (machine - serverTicks - self - extraTicks)) / capacity);
}

export async function measure(options: MeasureOptions): Promise<Measurement> {
  await load(options.url, options.warmupSeconds);
  const extraPids = options.extraPids ? await options.extraPids() : undefined;
  const before = snapshot(options.pid, extraPids);
  const { result, latencies } = await load(options.url, options.seconds);
  const after = snapshot(options.pid, extraPids);
  const serverTicks = delta(before.server, after.server);
  if (serverTicks === undefined) throw new BenchError(`cannot read /proc/${options.pid}/stat (did the server exit?)`);
  const extraTicks = before.extra && after.extra ? ticksBetween(before.extra, after.extra) : 0;
  const requests = result.requests.total;
  const perRequest = (ticks: number): number => (requests > 0 ? ((ticks / clockTicks()) * 1e6) / requests : Number.NaN);
  const [p50 = Number.NaN, p99 = Number.NaN] = latencies.percentiles(0.5, 0.99);
  return {
    requests,
    seconds: result.duration,
    reqPerSec: requests / result.duration,
    p50,
    p99,
    cpuSeconds: serverTicks / clockTicks(),
    cpuMicrosPerRequest: perRequest(serverTicks),
    extraMicrosPerRequest: before.extra && before.extra.size > 0 ? perRequest(extraTicks) : undefined,
    otherBusyPercent: otherBusyPercent(before, after, serverTicks, extraTicks),
    non2xx: result.non2xx,
    errors: result.errors + result.timeouts,
  };
}

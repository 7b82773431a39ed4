// Load generation with autocannon, and the CPU the server spends meanwhile.
import autocannon from 'autocannon';
import { onCleanup } from './cleanup.ts';
import { clockTicks, cpuTicks, cpuTicksOf, ticksBetween } from './cpu.ts';
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
  non2xx: number;
  errors: number;
}

/** A growable list of latencies in ms (autocannon's own histogram keeps whole milliseconds only). */
class Latencies {
  private values = new Float64Array(1 << 16);
  private size = 0;

  add(value: number): void {
    if (this.size === this.values.length) {
      const larger = new Float64Array(this.values.length * 2);
      larger.set(this.values);
      this.values = larger;
    }
    this.values[this.size++] = value;
  }

  percentiles(...ranks: number[]): number[] {
    const sorted = this.values.slice(0, this.size).sort();
    return ranks.map((rank) => sorted[Math.max(0, Math.ceil(rank * sorted.length) - 1)] ?? Number.NaN);
  }
}

interface LoadRun {
  result: autocannon.Result;
  latencies: Latencies;
}

function load(url: string, seconds: number): Promise<LoadRun> {
  const latencies = new Latencies();
  return new Promise((resolve, reject) => {
    let release = async (): Promise<void> => {};
    const instance = autocannon(
      // autocannon sends no Accept-Encoding, so responses are uncompressed.
      { url, connections: CONNECTIONS, pipelining: PIPELINING, duration: seconds, timeout: 10 },
      (error, result) => {
        void release();
        if (error) reject(error);
        else resolve({ result, latencies });
      },
    );
    release = onCleanup(`load on ${url}`, async () => instance.stop());
    instance.on('response', (_client, statusCode, _bytes, responseTime) => {
      if (statusCode >= 200 && statusCode < 300) latencies.add(responseTime);
    });
  });
}

export interface MeasureOptions {
  url: string;
  pid: number;
  seconds: number;
  warmupSeconds: number;
  /** Pids of other processes whose CPU counts towards the work (read at the start of the window). */
  extraPids?: () => Promise<number[]>;
}

export async function measure(options: MeasureOptions): Promise<Measurement> {
  await load(options.url, options.warmupSeconds);
  const extraPids = options.extraPids ? await options.extraPids() : undefined;
  const extraBefore = extraPids ? cpuTicksOf(extraPids) : undefined;
  const before = cpuTicks(options.pid);
  const { result, latencies } = await load(options.url, options.seconds);
  const after = cpuTicks(options.pid);
  const extraAfter = extraPids ? cpuTicksOf(extraPids) : undefined;
  if (before === undefined || after === undefined) {
    throw new BenchError(`cannot read /proc/${options.pid}/stat (did the server exit?)`);
  }
  const requests = result.requests.total;
  const cpuSeconds = (after - before) / clockTicks();
  const [p50 = Number.NaN, p99 = Number.NaN] = latencies.percentiles(0.5, 0.99);
  const perRequest = (ticks: number): number => (requests > 0 ? ((ticks / clockTicks()) * 1e6) / requests : Number.NaN);
  return {
    requests,
    seconds: result.duration,
    reqPerSec: requests / result.duration,
    p50,
    p99,
    cpuSeconds,
    cpuMicrosPerRequest: perRequest(after - before),
    extraMicrosPerRequest:
      extraBefore && extraAfter && extraBefore.size > 0 ? perRequest(ticksBetween(extraBefore, extraAfter)) : undefined,
    non2xx: result.non2xx,
    errors: result.errors + result.timeouts,
  };
}

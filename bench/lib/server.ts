// Server child processes: start on a free loopback port, wait until they answer, stop them.
import { spawn, type ChildProcess } from 'node:child_process';
import http from 'node:http';
import net from 'node:net';
import { onCleanup } from './cleanup.ts';

export const HOST = '127.0.0.1';

export class BenchError extends Error {}

export interface Server {
  label: string;
  pid: number;
  baseUrl: string;
  stop(): Promise<void>;
}

interface ServerSpec {
  label: string;
  /** Arguments to `node` itself (process.execPath is spawned directly: no shell, so the pid is the server's). */
  args: string[];
  env: Record<string, string>;
  cwd: string;
  /** Path that answers 200 once the server is ready. */
  readyPath: string;
  readyTimeoutMs: number;
}

export interface HttpResponse {
  status: number;
  headers: http.IncomingHttpHeaders;
  body: Buffer;
}

export async function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const probe = net.createServer();
    probe.once('error', reject);
    probe.listen(0, HOST, () => {
      const address = probe.address();
      const port = typeof address === 'object' && address ? address.port : 0;
      probe.close(() => (port ? resolve(port) : reject(new BenchError('no free port'))));
    });
  });
}

/** A plain GET with no Accept-Encoding, so the body is the uncompressed one a load run receives. */
export function get(url: string, timeoutMs = 10_000, headers: Record<string, string> = {}): Promise<HttpResponse> {
  return new Promise((resolve, reject) => {
    const request = http.get(url, { agent: false, timeout: timeoutMs, headers }, (response) => {
      const chunks: Buffer[] = [];
      response.on('data', (chunk: Buffer) => chunks.push(chunk));
      response.on('end', () => resolve({ status: response.statusCode ?? 0, headers: response.headers, body: Buffer.concat(chunks) }));
      response.on('error', reject);
    });
    request.on('timeout', () => request.destroy(new Error(`GET ${url} timed out`)));
    request.on('error', reject);
  });
}

/** Keeps the last lines a child printed, to show them if it fails. */
function tail(child: ChildProcess, limit = 40): () => string {
  const lines: string[] = [];
  const keep = (chunk: Buffer): void => {
    lines.push(
      ...chunk
        .toString('utf8')
        .split('\n')
        .filter((line) => line.trim() !== ''),
    );
    if (lines.length > limit) lines.splice(0, lines.length - limit);
  };
  child.stdout?.on('data', keep);
  child.stderr?.on('data', keep);
  return () => lines.map((line) => `    | ${line}`).join('\n');
}

function exitOf(child: ChildProcess): Promise<string> {
  return new Promise((resolve) => {
    if (child.exitCode !== null || child.signalCode !== null) {
      resolve(`exited (code ${child.exitCode}, signal ${child.signalCode})`);
      return;
    }
    child.once('exit', (code, signal) => resolve(`exited (code ${code}, signal ${signal})`));
  });
}

const sleep = (ms: number): Promise<void> => new Promise((resolve) => setTimeout(resolve, ms));

async function pollUntilOk(url: string, deadline: number, exited: Promise<string>): Promise<void> {
  let stopped: string | undefined;
  void exited.then((how) => (stopped = how));
  let last = 'no answer yet';
  while (Date.now() < deadline) {
    if (stopped) throw new BenchError(`server ${stopped} before ${url} answered 200`);
    try {
      const response = await get(url, 2_000);
      if (response.status === 200) return;
      last = `status ${response.status}`;
    } catch (error) {
      last = error instanceof Error ? error.message : String(error);
    }
    await sleep(200);
  }
  throw new BenchError(`${url} did not answer 200 in time (last: ${last})`);
}

async function terminate(child: ChildProcess, exited: Promise<string>, graceMs = 15_000): Promise<void> {
  if (child.exitCode !== null || child.signalCode !== null) return;
  child.kill('SIGTERM');
  const timer = sleep(graceMs).then(() => 'timeout');
  if ((await Promise.race([exited, timer])) === 'timeout') {
    console.error(`  server pid ${child.pid} ignored SIGTERM for ${graceMs / 1000} s; killing it`);
    child.kill('SIGKILL');
    await exited;
  }
}

export async function startServer(spec: ServerSpec): Promise<Server> {
  const child = spawn(process.execPath, spec.args, {
    cwd: spec.cwd,
    env: { ...process.env, ...spec.env },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  const output = tail(child);
  const exited = exitOf(child);
  const spawned = new Promise<void>((resolve, reject) => {
    child.once('spawn', resolve);
    child.once('error', reject);
  });
  const stop = onCleanup(`stop ${spec.label}`, () => terminate(child, exited));
  try {
    await spawned;
    const baseUrl = `http://${HOST}:${spec.env.PORT}`;
    await pollUntilOk(baseUrl + spec.readyPath, Date.now() + spec.readyTimeoutMs, exited);
    if (child.pid === undefined) throw new BenchError('child has no pid');
    return { label: spec.label, pid: child.pid, baseUrl, stop };
  } catch (error) {
    await stop();
    const message = error instanceof Error ? error.message : String(error);
    const lines = output();
    throw new BenchError(`${spec.label} did not start: ${message}${lines ? `\n  last output:\n${lines}` : ''}`);
  }
}

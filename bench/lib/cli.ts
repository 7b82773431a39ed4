// The zjhk command line as a child process of a benchmark.
import { spawn } from 'node:child_process';
import { fileURLToPath } from 'node:url';
import { onCleanup } from './cleanup.ts';
import { BenchError } from './server.ts';

export const ROOT = fileURLToPath(new URL('../..', import.meta.url));

export interface CliResult {
  code: number | null;
  ms: number;
  output: string;
}

/** Runs `node bin/zjhk.js …` with the env; stopped on Ctrl-C. */
export function runCli(args: string[], env: Record<string, string>, timeoutMs = 600_000): Promise<CliResult> {
  const started = performance.now();
  const child = spawn(process.execPath, ['bin/zjhk.js', ...args], { cwd: ROOT, env: { ...process.env, ...env, LOG_LEVEL: 'warn' }, stdio: ['ignore', 'pipe', 'pipe'] });
  const chunks: Buffer[] = [];
  child.stdout.on('data', (chunk: Buffer) => chunks.push(chunk));
  child.stderr.on('data', (chunk: Buffer) => chunks.push(chunk));
  const exited = new Promise<number | null>((resolve, reject) => {
    child.once('error', reject);
    child.once('exit', (code) => resolve(code));
  });
  const release = onCleanup(`stop zjhk ${args[0] ?? ''}`, async () => {
    if (child.exitCode === null && child.signalCode === null) {
      child.kill('SIGTERM');
      await exited.catch(() => undefined);
    }
  });
  const timer = setTimeout(() => child.kill('SIGKILL'), timeoutMs);
  return exited.then(
    async (code) => {
      clearTimeout(timer);
      await release();
      return { code, ms: performance.now() - started, output: Buffer.concat(chunks).toString('utf8') };
    },
    async (error: unknown) => {
      clearTimeout(timer);
      await release();
      throw error;
    },
  );
}

export async function runCliOrThrow(args: string[], env: Record<string, string>): Promise<CliResult> {
  const result = await runCli(args, env);
  if (result.code !== 0) throw new BenchError(`zjhk ${args.join(' ')} exited ${result.code}:\n${result.output.trim().split('\n').slice(-15).join('\n')}`);
  return result;
}

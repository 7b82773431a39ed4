import { createHash, randomBytes, timingSafeEqual } from 'node:crypto';
import fs from 'node:fs';
import net from 'node:net';
import path from 'node:path';

/**
 * An exclusive, OS-level lock on a data folder. PGlite does not refuse a second process opening the
 * same folder (and the data is then silently corrupted), so every opener takes this lock first.
 *
 * The lock is a listening Unix socket: on Linux in the abstract namespace (named after the folder's
 * real path), elsewhere a socket file inside the folder. The kernel releases it when the process
 * exits, even on kill -9, so there is never a stale lock to clean up by hand. The socket also serves
 * as the running server's control channel (see `ControlHandler`): `zjhk backup` uses it.
 */
export class DataFolderLockedError extends Error {
  constructor(
    readonly dataDir: string,
    readonly holderPid: number | undefined,
  ) {
    super(
      `The data folder ${dataDir} is in use by another process${holderPid ? ` (pid ${holderPid})` : ''}. ` +
        'Only one process may open the embedded database at a time: stop the other process, or use a PostgreSQL server (DATABASE_URL) to run several.',
    );
  }
}

export interface ControlRequest {
  command: string;
  args?: string[];
  /** Proves the sender may read the data folder (the token file there is readable by its owner only). */
  token?: string;
  /** Who sent it, for the audit trail. */
  actor?: string;
}

type ControlHandler = (request: ControlRequest) => Promise<Record<string, unknown>>;

const tokenFile = (dataDir: string): string => path.join(dataDir, '.control-token');

export interface DataFolderLock {
  /** Sets what the lock answers to control requests from other processes (e.g. `zjhk backup`). */
  onControl(handler: ControlHandler): void;
  release(): Promise<void>;
}

function socketAddress(dataDir: string): string {
  const real = fs.realpathSync(dataDir);
  if (process.platform === 'linux') {
    return `\0zjhk-${createHash('sha256').update(real).digest('hex').slice(0, 32)}`;
  }
  return path.join(real, '.lock.sock');
}

/** Sends one control request to the process holding the folder; undefined when nobody holds it. */
export async function sendControl(dataDir: string, request: ControlRequest, timeoutMs = 600_000): Promise<Record<string, unknown> | undefined> {
  const address = socketAddress(dataDir);
  return await new Promise((resolve, reject) => {
    const socket = net.connect(address);
    let buffer = '';
    const timer = setTimeout(() => {
      socket.destroy();
      reject(new Error(`The process holding ${dataDir} did not answer in ${timeoutMs / 1000} s`));
    }, timeoutMs);
    socket.on('connect', () => {
      let token: string | undefined;
      try {
        token = fs.readFileSync(tokenFile(dataDir), 'utf8');
      } catch {
        token = undefined;
      }
      socket.write(`${JSON.stringify({ ...request, token })}\n`);
    });
    socket.on('data', (chunk) => {
      buffer += chunk.toString('utf8');
      const end = buffer.indexOf('\n');
      if (end >= 0) {
        clearTimeout(timer);
        socket.end();
        resolve(JSON.parse(buffer.slice(0, end)) as Record<string, unknown>);
      }
    });
    socket.on('error', (error: NodeJS.ErrnoException) => {
      clearTimeout(timer);
      if (error.code === 'ECONNREFUSED' || error.code === 'ENOENT') resolve(undefined);
      else reject(error);
    });
  });
}

function listen(server: net.Server, address: string): Promise<void> {
  return new Promise((resolve, reject) => {
    server.once('error', reject);
    server.listen(address, () => {
      server.off('error', reject);
      resolve();
    });
  });
}

export async function lockDataFolder(dataDir: string): Promise<DataFolderLock> {
  fs.mkdirSync(dataDir, { recursive: true });
  const address = socketAddress(dataDir);
  let handler: ControlHandler = async () => ({ error: 'not ready' });
  const token = Buffer.from(randomBytes(24).toString('hex'));
  const authorised = (given: unknown): boolean => typeof given === 'string' && given.length === token.length && timingSafeEqual(Buffer.from(given), token);
  const server = net.createServer((socket) => {
    let buffer = '';
    socket.on('error', () => socket.destroy());
    socket.on('data', (chunk) => {
      buffer += chunk.toString('utf8');
      const end = buffer.indexOf('\n');
      if (end < 0) return;
      let request: ControlRequest;
      try {
        request = JSON.parse(buffer.slice(0, end)) as ControlRequest;
      } catch {
        socket.end(`${JSON.stringify({ error: 'bad request' })}\n`);
        return;
      }
      const reply =
        request.command === 'whois'
          ? Promise.resolve({ pid: process.pid })
          : authorised(request.token)
            ? handler(request).catch((error: Error) => ({ error: error.message }))
            : Promise.resolve({ error: 'not authorised: run the command as a user who can read the data folder' });
      void reply.then((body) => socket.end(`${JSON.stringify(body)}\n`));
    });
  });
  server.unref();
  try {
    await listen(server, address);
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code !== 'EADDRINUSE') throw error;
    const holder = await sendControl(dataDir, { command: 'whois' }, 5_000).catch(() => ({ pid: undefined }));
    if (holder) throw new DataFolderLockedError(dataDir, holder.pid as number | undefined);
    // A socket file left by a process that died (only where the abstract namespace is not used).
    fs.rmSync(address, { force: true });
    await listen(server, address);
  }
  fs.writeFileSync(tokenFile(dataDir), token, { mode: 0o600 });
  return {
    onControl(next) {
      handler = next;
    },
    release: () => new Promise<void>((resolve) => server.close(() => resolve())),
  };
}

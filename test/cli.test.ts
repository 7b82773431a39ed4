import { type ChildProcess, spawn } from 'node:child_process';
import fs from 'node:fs';
import net from 'node:net';
import os from 'node:os';
import path from 'node:path';
import { sql } from 'kysely';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { DataFolderLockedError, lockDataFolder } from '../src/platform/db/lock.ts';
import { freshDatabase, TEST_SECRET_KEY } from './databases.ts';

const BIN = path.resolve(import.meta.dirname, '../bin/zjhk.js');

interface Run {
  code: number | null;
  stdout: string;
  stderr: string;
}

function zjhk(args: string[], env: Record<string, string>): Promise<Run> {
  return new Promise((resolve) => {
    const child = spawn(process.execPath, [BIN, ...args], { env: { ...process.env, LOG_LEVEL: 'warn', ...env } });
    let stdout = '';
    let stderr = '';
    child.stdout.on('data', (d) => (stdout += d));
    child.stderr.on('data', (d) => (stderr += d));
    child.on('close', (code) => resolve({ code, stdout, stderr }));
  });
}

async function freePort(): Promise<number> {
  const server = net.createServer();
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const port = (server.address() as net.AddressInfo).port;
  await new Promise((resolve) => server.close(resolve));
  return port;
}

async function startServer(env: Record<string, string>, cwd = process.cwd()): Promise<{ child: ChildProcess; base: string; output: () => string }> {
  const port = await freePort();
  const child = spawn(process.execPath, [BIN, 'serve'], { cwd, env: { ...process.env, LOG_LEVEL: 'warn', HOST: '127.0.0.1', PORT: String(port), ...env } });
  let output = '';
  child.stdout?.on('data', (d) => (output += d));
  child.stderr?.on('data', (d) => (output += d));
  const base = `http://127.0.0.1:${port}`;
  const deadline = Date.now() + 60_000;
  while (Date.now() < deadline) {
    if (child.exitCode !== null) throw new Error(`server exited: ${output}`);
    const ready = await fetch(`${base}/readyz`)
      .then((r) => r.ok)
      .catch(() => false);
    if (ready) return { child, base, output: () => output };
    await new Promise((r) => setTimeout(r, 200));
  }
  child.kill('SIGKILL');
  throw new Error(`server did not become ready: ${output}`);
}

function stop(child: ChildProcess, signal: NodeJS.Signals = 'SIGTERM'): Promise<void> {
  return new Promise((resolve) => {
    if (child.exitCode !== null) return resolve();
    child.once('exit', () => resolve());
    child.kill(signal);
  });
}

describe('configuration errors', () => {
  it('stop the process with one line naming the variable, exit code 1', async () => {
    const run = await zjhk(['serve'], { PORT: 'eighty' });
    expect(run.code).toBe(1);
    expect(run.stderr).toBe('Configuration error: PORT must be a whole number from 1 to 65535 (got "eighty")\n');
  });

  it('unknown commands exit 2 and point to help', async () => {
    const run = await zjhk(['frobnicate'], {});
    expect(run.code).toBe(2);
    expect(run.stderr).toContain('unknown command "frobnicate"');
  });
});

describe('the data-folder lock', () => {
  it('refuses a second opener of the same folder and is released with its holder', async () => {
    const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'zjhk-lock-'));
    const first = await lockDataFolder(dir);
    const error = await lockDataFolder(dir).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(DataFolderLockedError);
    expect((error as Error).message).toContain(`pid ${process.pid}`);
    await first.release();
    const again = await lockDataFolder(dir);
    await again.release();
    fs.rmSync(dir, { recursive: true, force: true });
  });
});

describe('the embedded database from the command line', () => {
  // Each test has a data folder of its own, made empty before it and removed after it: the first
  // start in a test creates the database, whatever ran before.
  let dataDir: string;
  let backupFile: string;
  beforeEach(() => {
    dataDir = fs.mkdtempSync(path.join(os.tmpdir(), 'zjhk-cli-'));
    backupFile = path.join(dataDir, '..', `${path.basename(dataDir)}-backup.tar.gz`);
  });
  afterEach(() => {
    fs.rmSync(dataDir, { recursive: true, force: true });
    fs.rmSync(backupFile, { force: true });
  });

  it('serves, refuses a second server, runs commands and online backups through the running one, and restores', async () => {
    const env = { DATA_DIR: dataDir };
    const server = await startServer(env);
    try {
      expect(server.output()).toContain('zjhk-2023: created (revision 1; 12 areas, 42 commitments, 3 languages)');
      const page = await fetch(`${server.base}/en/agreements/zjhk-2023`).then((r) => r.text());
      expect(page).toContain('Expired');

      const second = await zjhk(['serve'], { ...env, PORT: String(await freePort()) });
      expect(second.code).toBe(1);
      expect(second.stderr).toContain(`is in use by another process (pid ${server.child.pid})`);

      const record = await zjhk(['agreement-status', 'zjhk-2023', 'negotiating', '--note', 'talks opened', '--by', 'CMAB'], env);
      expect(record.code, record.stderr).toBe(0);
      expect(record.stdout).toContain('running the command there');
      expect(record.stdout).toContain('Recorded: zjhk-2023 negotiating');
      const after = await fetch(`${server.base}/en/agreements/zjhk-2023`).then((r) => r.text());
      expect(after).toContain('Renewal under negotiation');

      const bad = await zjhk(['agreement-status', 'zjhk-2023', 'renewed'], env);
      expect(bad.code).toBe(2);
      expect(bad.stderr).toContain('A renewal needs the id of the agreement that renews this one');

      const backup = await zjhk(['backup', backupFile], env);
      expect(backup.code, backup.stderr).toBe(0);
      expect(fs.statSync(backupFile).size).toBeGreaterThan(100_000);

      const restoreWhileRunning = await zjhk(['restore', backupFile], env);
      expect(restoreWhileRunning.code).toBe(2);
      expect(restoreWhileRunning.stderr).toContain('stop the server before restoring');
    } finally {
      await stop(server.child);
    }

    const lapsed = await zjhk(['agreement-status', 'zjhk-2023', 'lapsed'], env);
    expect(lapsed.code, lapsed.stderr).toBe(0);
    expect(lapsed.stdout).toContain('renewal: lapsed');

    const restore = await zjhk(['restore', backupFile], env);
    expect(restore.code, restore.stderr).toBe(0);
    expect(restore.stdout).toContain('The previous database was kept as');

    const status = await zjhk(['agreement-status', 'zjhk-2023'], env);
    expect(status.stdout).toContain('expired');
    expect(status.stdout).toContain('renewal: negotiating');
    expect(status.stdout).not.toContain('renewal: lapsed');

    const doctor = await zjhk(['doctor'], env);
    expect(doctor.code, doctor.stderr).toBe(0);
    expect(doctor.stdout).toMatch(/migrations: \d+ applied, 0 pending/);

    // The organisations and the agreement loaded at first start, then negotiating (recorded through the
    // server); lapsed was undone by the restore.
    const verify = await zjhk(['audit', 'verify'], env);
    expect(verify.code, verify.stderr).toBe(0);
    expect(verify.stdout).toMatch(/Audit trail intact: \d+ records/);
    const trail = await zjhk(['agreement-status', 'zjhk-2023'], env);
    expect(trail.stdout).toContain('negotiating');
  }, 240_000);

  it('starts again after its server was killed outright, also from another folder', async () => {
    const env = { DATA_DIR: dataDir };
    // The folder's first start creates the database; the server is then killed without warning.
    const first = await startServer(env);
    expect(first.output()).toContain('zjhk-2023: created');
    await stop(first.child, 'SIGKILL');
    const second = await startServer(env, os.tmpdir());
    try {
      expect(second.output()).toContain('zjhk-2023: unchanged');
      const page = await fetch(`${second.base}/zh-hant/agreements/zjhk-2023/commitments/1-7`);
      expect(page.status).toBe(200);
    } finally {
      await stop(second.child);
    }
  });
});

describe.skipIf(!process.env.TEST_DATABASE_URL)('a PostgreSQL server from the command line', () => {
  it('migrates, seeds and passes the doctor', async () => {
    const database = await freshDatabase('postgres', { empty: true });
    const scratch = fs.mkdtempSync(path.join(os.tmpdir(), 'zjhk-cli-'));
    try {
      // On PostgreSQL every node must be given the same key.
      const env = { DATABASE_URL: database.url as string, SECRET_KEY: TEST_SECRET_KEY };
      const seed = await zjhk(['seed'], env);
      expect(seed.code, seed.stderr).toBe(0);
      expect(seed.stdout).toContain('zjhk-2023: created');
      const doctor = await zjhk(['doctor'], env);
      expect(doctor.stdout).toContain('PostgreSQL server');
      expect(doctor.stdout).toContain('0 pending');

      expect((await zjhk(['agreement-status', 'zjhk-2023', 'negotiating'], env)).code).toBe(0);
      const intact = await zjhk(['audit', 'verify'], env);
      expect(intact.code, intact.stderr).toBe(0);
      const records = await database.db.kysely
        .selectFrom('audit_events')
        .select((eb) => eb.fn.countAll<string>().as('n'))
        .executeTakeFirstOrThrow();
      expect(intact.stdout).toContain(`Audit trail intact: ${records.n} records`);
      // A checkpoint to publish, and the trail checked against it.
      const checkpoint = await zjhk(['audit', 'checkpoint'], env);
      expect(checkpoint.code, checkpoint.stderr).toBe(0);
      const published = path.join(scratch, 'checkpoints.txt');
      fs.writeFileSync(published, `${checkpoint.stdout.split('\n').find((l) => l.startsWith('{'))}\n`);
      const against = await zjhk(['audit', 'verify', '--against', published], env);
      expect(against.code, against.stderr).toBe(0);
      expect(against.stdout).toContain('The published checkpoint matches the trail.');
      await sql`alter table audit_events disable trigger audit_events_no_change`.execute(database.db.kysely);
      const first = await database.db.kysely.selectFrom('audit_events').select('id').orderBy('id').executeTakeFirstOrThrow();
      await sql`update audit_events set actor_label = 'someone else' where id = ${first.id}::bigint`.execute(database.db.kysely);
      const broken = await zjhk(['audit', 'verify'], env);
      expect(broken.code).toBe(1);
      expect(broken.stderr).toContain(`the audit trail is broken at record ${first.id}: its content does not match its seal`);
      const backup = await zjhk(['backup', '/tmp/never.tar.gz'], env);
      expect(backup.code).toBe(2);
      expect(backup.stderr).toContain('use pg_dump');
    } finally {
      await database.drop();
      fs.rmSync(scratch, { recursive: true, force: true });
    }
    // Nine commands, each a process of its own.
  }, 180_000);
});

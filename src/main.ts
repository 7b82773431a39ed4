import os from 'node:os';
import path from 'node:path';
import { parseArgs } from 'node:util';
import { buildApp } from './app.tsx';
import { type Config, loadConfig, withSecretKey } from './config.ts';
import { ConfigError } from './platform/config-error.ts';
import { clockStartingAt, systemClock } from './platform/clock.ts';
import { installKeys } from './platform/secrets.ts';
import { modules } from './modules/index.ts';

// Every command (not only `serve`) speaks the modules' messages and asks their policies.
installModules(modules);
import { backupEmbedded, restoreEmbedded } from './platform/db/backup.ts';
import { type Db, migrate, migrationState, openDatabase, ping } from './platform/db/index.ts';
import { DataFolderLockedError, lockDataFolder, sendControl } from './platform/db/lock.ts';
import { HttpError } from './platform/http/errors.ts';
import { startWorker } from './platform/jobs/worker.ts';
import { mailHandlers } from './platform/mail/deliver.ts';
import { createTransport } from './platform/mail/transport.ts';
import { platformRetention, retentionJobs } from './platform/retention.ts';
import type { Actor } from './platform/audit/audit.ts';
import { auditCommand } from './platform/audit/command.ts';
import { type Command, CommandError, type CommandContext, installModules, UsageError } from './platform/module.ts';

const print = (line: string): void => {
  process.stdout.write(`${line}\n`);
};

/** The audit trail's name for a command run here: the command and the host, not the account that ran it. */
function commandActor(name: string): Actor & { type: 'command' } {
  return { type: 'command', label: `zjhk ${name} (${os.hostname()})` };
}

/** The platform's clock: the real one, or one started at CLOCK_START. */
function clockOf(config: Config): () => Date {
  return config.clockStart ? clockStartingAt(config.clockStart) : systemClock;
}

/** Migrates and loads the reference data every module needs; run on every start. */
async function prepare(ctx: CommandContext): Promise<void> {
  ctx.print('Applying migrations …');
  const result = await migrate(ctx.db);
  ctx.print(`  ${result.results?.length ? result.results.map((r) => r.migrationName).join(', ') : 'already up to date'}`);
  for (const module of modules) await module.seed?.(ctx);
}

const databaseCommands: Command[] = [
  {
    name: 'migrate',
    usage: 'migrate',
    summary: 'Apply pending database migrations',
    async run(ctx) {
      const result = await migrate(ctx.db);
      ctx.print(result.results?.length ? `Applied ${result.results.map((r) => r.migrationName).join(', ')}` : 'Migrations are up to date');
    },
  },
  {
    name: 'seed',
    usage: 'seed [--demo]',
    summary: 'Load the agreement (and, with --demo, illustrative demo data)',
    async run(ctx, args) {
      const { values } = parseArgs({ args, options: { demo: { type: 'boolean', default: false } } });
      await prepare(ctx);
      if (values.demo) {
        const providers = modules.filter((m) => m.demo);
        ctx.print(`Demo data: ${providers.length ? providers.map((m) => m.name).join(', ') : 'no module provides demo data yet'}`);
        for (const module of providers) await module.demo?.(ctx);
      }
      ctx.print('Done.');
    },
  },
  {
    name: 'doctor',
    usage: 'doctor',
    summary: 'Check the configuration, the database and its migrations',
    async run(ctx) {
      ctx.print(`config: ok (port ${ctx.config.port}, host ${ctx.config.host}, time zone ${ctx.config.timeZone})`);
      ctx.print(`database: ${ctx.db.kind === 'pglite' ? `embedded PGlite in ${ctx.config.dataDir}` : 'PostgreSQL server (DATABASE_URL)'}`);
      await ping(ctx.db);
      ctx.print('  reachable: ok');
      const state = await migrationState(ctx.db);
      ctx.print(`  migrations: ${state.applied.length} applied, ${state.pending.length} pending${state.pending.length ? ` (${state.pending.join(', ')}): run zjhk migrate` : ''}`);
      if (state.pending.length) throw new UsageError('the database needs migrating');
    },
  },
  {
    name: 'backup',
    usage: 'backup <file.tar.gz>',
    summary: 'Write a consistent copy of the embedded database (works while the server runs)',
    async run(ctx, args) {
      const [file] = args;
      if (!file) throw new UsageError('usage: zjhk backup <file.tar.gz>');
      if (ctx.db.kind !== 'pglite') throw new UsageError('backup copies the embedded database; on PostgreSQL use pg_dump');
      ctx.print(`Writing a backup of ${ctx.config.dataDir} …`);
      const bytes = await backupEmbedded(ctx.db, ctx.config.dataDir, file);
      ctx.print(`Backup written: ${file} (${(bytes / 1024 / 1024).toFixed(1)} MB)`);
    },
  },
  auditCommand,
  ...modules.flatMap((m) => m.commands ?? []),
];

/** Commands that can run inside a server that holds the embedded database (through its control socket). */
const commandsByName = new Map(databaseCommands.map((c) => [c.name, c]));

async function withDatabase<T>(config: Config, run: (db: Db) => Promise<T>): Promise<T> {
  const db = await openDatabase({ databaseUrl: config.databaseUrl, dataDir: config.dataDir });
  try {
    return await run(db);
  } finally {
    await db.close();
  }
}

async function runCommand(config: Config, command: Command, args: string[]): Promise<void> {
  try {
    await withDatabase(config, (db) => command.run({ config, db, print, actor: commandActor(command.name), now: clockOf(config), modules }, args));
  } catch (error) {
    if (!(error instanceof DataFolderLockedError)) throw error;
    // The server holds the embedded database: ask it to run the command.
    print(`The server (pid ${error.holderPid ?? '?'}) holds ${config.dataDir}; running the command there.`);
    const reply = await sendControl(config.dataDir, { command: 'run', args: [command.name, ...args], actor: commandActor(command.name).label });
    for (const line of (reply?.output as string[] | undefined) ?? []) print(line);
    if (reply?.error) throw reply.failed ? new CommandError(String(reply.error)) : new UsageError(String(reply.error));
  }
}

async function serve(config: Config): Promise<void> {
  const db = await openDatabase({ databaseUrl: config.databaseUrl, dataDir: config.dataDir });
  const now = clockOf(config);
  const ctx: CommandContext = { config, db, print, actor: { type: 'system', label: 'zjhk serve (start-up)' }, now, modules };
  print(`Database: ${db.kind === 'pglite' ? `embedded PGlite in ${config.dataDir} (for production use PostgreSQL: DATABASE_URL)` : 'PostgreSQL server'}`);
  await prepare(ctx);
  if (config.clockStart) print(`Clock: CLOCK_START set, so the server's clock started at ${config.clockStart.toISOString()} (never set it in production).`);
  const { app, ctx: appCtx } = await buildApp({ config, db, now });
  const transport = config.smtp ? createTransport({ ...config.smtp, from: config.mailFrom }) : undefined;
  if (!transport) print(`Mail: no SMTP_URL, so messages wait in the outbox${config.devMailbox ? ' (see them in the dev mailbox, /admin/mailbox)' : ''}.`);
  const moduleJobs = modules.flatMap((m) => (m.jobs ? [m.jobs(config)] : []));
  // The purges of the account of personal data that no module runs as its own job.
  moduleJobs.push(retentionJobs(config, [...platformRetention, ...modules.flatMap((m) => m.retention ?? [])], moduleJobs));
  const worker = startWorker({
    db: db.kysely,
    handlers: Object.assign({ ...(transport ? mailHandlers(transport) : {}) }, ...moduleJobs.map((j) => j.handlers)),
    recurring: moduleJobs.flatMap((j) => j.recurring ?? []),
    log: app.log.child({ component: 'jobs' }),
    now,
  });
  db.lock?.onControl(async (request) => {
    const [name = '', ...args] = request.args ?? [];
    const command = commandsByName.get(name);
    if (request.command !== 'run' || !command) return { error: `unknown command ${name}` };
    const output: string[] = [];
    try {
      const label = typeof request.actor === 'string' ? request.actor.slice(0, 200) : `zjhk ${name}`;
      await command.run({ config, db, print: (line) => output.push(line), actor: { type: 'command', label: `${label} via the running server` }, now, modules }, args);
      return { output };
    } catch (error) {
      const known = error instanceof UsageError || error instanceof HttpError || error instanceof CommandError;
      return { output, error: known ? error.message : `failed: ${(error as Error).message}`, failed: error instanceof CommandError || !known };
    } finally {
      appCtx.invalidate();
    }
  });
  let closing = false;
  const shutdown = async (signal: string) => {
    if (closing) return;
    closing = true;
    app.log.info({ signal }, 'shutting down');
    await app.close();
    await worker.stop();
    transport?.close();
    await db.close();
    process.exit(0);
  };
  process.on('SIGINT', () => void shutdown('SIGINT'));
  process.on('SIGTERM', () => void shutdown('SIGTERM'));
  await app.listen({ port: config.port, host: config.host });
  print(`Serving the platform at http://${config.host.includes(':') ? `[${config.host}]` : config.host}:${config.port}/`);
}

async function restore(config: Config, args: string[]): Promise<void> {
  const [file] = args;
  if (!file) throw new UsageError('usage: zjhk restore <file.tar.gz>');
  if (config.databaseUrl) throw new UsageError('restore replaces the embedded database; on PostgreSQL use pg_restore');
  const lock = await lockDataFolder(config.dataDir).catch((error: unknown) => {
    if (error instanceof DataFolderLockedError) throw new UsageError(`${error.message.split('.')[0]}: stop the server before restoring.`);
    throw error;
  });
  try {
    print(`Restoring ${path.resolve(file)} into ${config.dataDir} …`);
    const { keptAs } = await restoreEmbedded(config.dataDir, path.resolve(file));
    print(keptAs ? `Restored. The previous database was kept as ${keptAs}` : 'Restored.');
  } finally {
    await lock.release();
  }
}

function help(): string {
  const lines = [
    'Usage: zjhk <command> [options]',
    '',
    '  serve                      Start the platform (migrates and loads the agreement first)',
    ...databaseCommands.map((c) => `  ${c.usage.padEnd(26)} ${c.summary}`),
    '  restore <file.tar.gz>      Replace the embedded database with a backup (server stopped)',
    '',
    'Configuration comes from the environment: PORT, HOST, DATA_DIR, DATABASE_URL, LOG_LEVEL, APP_TIME_ZONE, TRUST_PROXY.',
  ];
  return lines.join('\n');
}

/** Runs the command line; returns the exit code. */
export async function main(argv: string[], env: NodeJS.ProcessEnv = process.env): Promise<number> {
  const [name, ...args] = argv;
  if (!name || name === 'help' || name === '--help' || name === '-h') {
    print(help());
    return name ? 0 : 2;
  }
  let config: Config;
  try {
    config = loadConfig(env);
    // Every command may seal or audit: the key is read (or, on a new embedded database, made) first.
    if (name !== 'restore') {
      config = withSecretKey(config);
      installKeys(config.secretKey as Buffer);
    }
  } catch (error) {
    if (error instanceof ConfigError) {
      process.stderr.write(`Configuration error: ${error.message}\n`);
      return 1;
    }
    throw error;
  }
  // Backups and restores print relative paths as given but work on absolute ones.
  const resolved =
    name === 'backup' && args[0]
      ? [path.resolve(args[0]), ...args.slice(1)]
      : // A key file (or published checkpoints) named relative to here is found by a running server too (the command may run there).
        args.map((arg, i) => (args[i - 1] === '--new-key-file' || args[i - 1] === '--against' ? path.resolve(arg) : arg));
  try {
    if (name === 'serve') await serve(config);
    else if (name === 'restore') await restore(config, args);
    else {
      const command = commandsByName.get(name);
      if (!command) throw new UsageError(`unknown command "${name}"; run zjhk help`);
      await runCommand(config, command, resolved);
    }
    return 0;
  } catch (error) {
    if (error instanceof UsageError || error instanceof HttpError) {
      process.stderr.write(`zjhk ${name}: ${error.message}\n`);
      return 2;
    }
    if (error instanceof CommandError) {
      process.stderr.write(`zjhk ${name}: ${error.message}\n`);
      return 1;
    }
    if (error instanceof DataFolderLockedError) {
      process.stderr.write(`${error.message}\n`);
      return 1;
    }
    process.stderr.write(`zjhk ${name} failed: ${(error as Error).stack ?? String(error)}\n`);
    return 1;
  }
}

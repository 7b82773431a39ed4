import { randomBytes } from 'node:crypto';
import { mkdtemp, rm } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import type { TestProject } from 'vitest/node';
import { tsImport } from 'tsx/esm/api';
import { ensureBuilt } from '../scripts/build.js';
import { admin } from './postgres.ts';

/** The template databases of a run: each file's databases are clones of these, never rebuilt. */
export interface Templates {
  /** Dumps of a migrated PGlite (`dumpDataDir`), loaded with the agreement (`seeded`) or not (`empty`). */
  pglite: { seeded: string; empty: string };
  /** Names of PostgreSQL template databases, when TEST_DATABASE_URL names a server. */
  postgres?: { seeded: string; empty: string };
}

declare module 'vitest' {
  export interface ProvidedContext {
    /** Names every PostgreSQL database this run makes, so that the run can drop exactly its own. */
    runId: string;
    templates: Templates;
  }
}

/** Drops every PostgreSQL database the run made (its templates and any clone a killed file left). */
async function dropRunDatabases(runId: string): Promise<void> {
  await admin(async (c) => {
    const { rows } = await c.query<{ datname: string }>('select datname from pg_database where datname like $1', [`zjhk\\_%\\_${runId}\\_%`]);
    for (const { datname } of rows) await c.query(`drop database if exists "${datname}" with (force)`);
  });
}

/**
 * Runs once per test run (it is the root project's), before any file: compiles dist/ if a source
 * changed, builds the migrated and seeded template databases every SQL test clones (a PGlite dump in
 * a temporary folder; template databases on PostgreSQL), and afterwards removes them and every
 * database the run made.
 */
export default async function setup(project: TestProject): Promise<(() => Promise<void>) | undefined> {
  const runId = randomBytes(4).toString('hex');
  project.provide('runId', runId);
  // A run of the unit layer alone needs neither.
  if (project.vitest.projects.every((p) => p.name === 'unit')) return undefined;
  // Node loads the platform's code here as `zjhk serve` does (through tsx), not through Vitest's
  // module runner, which cannot load some of its CommonJS dependencies in the main process.
  const { pgliteTemplates, postgresTemplates }: typeof import('./templates.ts') = await tsImport('./templates.ts', import.meta.url);
  const postgres = Boolean(process.env.TEST_DATABASE_URL);
  if (!postgres) process.stdout.write('TEST_DATABASE_URL is not set: the PostgreSQL runs of the SQL tests are skipped (PGlite runs only).\n');
  // The command-line and browser tests start `bin/zjhk.js`, which runs dist/: compiled once here.
  if (ensureBuilt()) process.stdout.write('Compiled the platform into dist/ (its sources changed since the last build).\n');
  const folder = await mkdtemp(path.join(os.tmpdir(), 'zjhk-templates-'));
  const teardown = async () => {
    await rm(folder, { recursive: true, force: true });
    if (postgres) await dropRunDatabases(runId);
  };
  try {
    const [pglite, postgresPair] = await Promise.all([pgliteTemplates(folder), postgres ? postgresTemplates(runId) : undefined]);
    project.provide('templates', { pglite, ...(postgresPair ? { postgres: postgresPair } : {}) });
  } catch (error) {
    await teardown();
    throw error;
  }
  return teardown;
}

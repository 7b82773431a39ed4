import { randomBytes } from 'node:crypto';
import pg from 'pg';
import type { TestProject } from 'vitest/node';

declare module 'vitest' {
  export interface ProvidedContext {
    /** Names every PostgreSQL database this run makes, so that the run can drop exactly its own. */
    runId: string;
  }
}

/** Runs once per test run: says what is skipped, and afterwards drops the run's PostgreSQL databases. */
export default function setup(project: TestProject): () => Promise<void> {
  const runId = randomBytes(4).toString('hex');
  project.provide('runId', runId);
  if (!process.env.TEST_DATABASE_URL) {
    process.stdout.write('TEST_DATABASE_URL is not set: the PostgreSQL runs of the SQL tests are skipped (PGlite runs only).\n');
  }
  return async () => {
    if (!process.env.TEST_DATABASE_URL) return;
    const client = new pg.Client({ connectionString: process.env.TEST_DATABASE_URL });
    await client.connect();
    try {
      const { rows } = await client.query<{ datname: string }>('select datname from pg_database where datname like $1', [`zjhk\\_%\\_${runId}\\_%`]);
      for (const { datname } of rows) await client.query(`drop database if exists "${datname}" with (force)`);
    } finally {
      await client.end();
    }
  };
}

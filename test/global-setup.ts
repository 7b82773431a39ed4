/** Runs once per test run. */
export default function setup(): void {
  if (!process.env.TEST_DATABASE_URL) {
    process.stdout.write('TEST_DATABASE_URL is not set: the PostgreSQL runs of the SQL tests are skipped (PGlite runs only).\n');
  }
}

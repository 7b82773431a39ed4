// Whether registration and password reset tell which addresses have accounts by how long they take.
// On PGlite and on PostgreSQL, in-process (app.inject, so the figures are the platform's own time,
// not a load generator's): POST /register and POST /forgot-password with an address that has an
// account and with one that has none, interleaved, each request from its own IP and, for reset, to
// its own address (so no rate limit or per-address cap answers instead). Prints the median and p90 in
// milliseconds for each, and the difference of the medians. Exits 0 (1 only when it could not run).
// Env: BENCH_ROUNDS (requests of each kind, default 40), BENCH_ONLY=pglite|postgres,
// BENCH_PG_ADMIN_URL (default postgres://postgres@127.0.0.1:5432/postgres).
import { randomUUID } from 'node:crypto';
import type { FastifyInstance } from 'fastify';
import { buildApp } from '../src/app.tsx';
import { loadConfig } from '../src/config.ts';
import { insertRole, insertUser } from '../src/modules/accounts/queries.ts';
import { hashPassword } from '../src/platform/auth/passwords.ts';
import { migrate, openDatabase } from '../src/platform/db/index.ts';
import { installKeys, newSecretKey } from '../src/platform/secrets.ts';
import { onEachDatabase } from './lib/environments.ts';
import { runBenchmark, table } from './lib/output.ts';
import { BenchError } from './lib/server.ts';
import { readSettings } from './lib/settings.ts';

const PASSWORD = 'harbour lights over the bay';

function percentile(values: number[], p: number): number {
  const sorted = [...values].sort((a, b) => a - b);
  return sorted[Math.min(sorted.length - 1, Math.floor((sorted.length - 1) * p))] ?? Number.NaN;
}

let ipCounter = 0;
/** A fresh documentation-range address for each request: per-IP limits never answer for the form. */
const nextIp = (): string => {
  ipCounter += 1;
  return `198.18.${Math.floor(ipCounter / 250) % 250}.${(ipCounter % 250) + 1}`;
};

/** Posts a form as a browser would (CSRF token from the page first, untimed); returns the POST's milliseconds. */
async function timedPost(app: FastifyInstance, url: string, fields: Record<string, string>): Promise<number> {
  const ip = nextIp();
  const page = await app.inject({ method: 'GET', url, remoteAddress: ip });
  const token = page.body.match(/name="_csrf" value="([^"]+)"/)?.[1];
  if (!token) throw new BenchError(`no CSRF token on ${url} (status ${page.statusCode})`);
  const cookie = page.cookies.map((c) => `${c.name}=${c.value}`).join('; ');
  const body = new URLSearchParams({ ...fields, _csrf: token }).toString();
  const started = performance.now();
  const response = await app.inject({ method: 'POST', url, remoteAddress: ip, headers: { cookie, 'content-type': 'application/x-www-form-urlencoded' }, payload: body });
  const ms = performance.now() - started;
  if (response.statusCode >= 400) throw new BenchError(`${url} answered ${response.statusCode}`);
  return ms;
}

runBenchmark(async () => {
  const settings = readSettings(process.env);
  const rounds = Number(process.env.BENCH_ROUNDS || 40);
  if (!Number.isInteger(rounds) || rounds < 5) throw new BenchError('BENCH_ROUNDS must be a whole number of at least 5');
  const results = { failures: [] as string[], notes: [] as string[] };
  const rows: string[][] = [];
  const broken = await onEachDatabase('accounts', settings, results, async (database, environment) => {
    const secret = newSecretKey();
    const config = { ...loadConfig({ ...environment.env, LOG_LEVEL: 'silent', SECRET_KEY: secret }), secretKey: Buffer.from(secret, 'hex') };
    installKeys(config.secretKey);
    const db = await openDatabase({ databaseUrl: config.databaseUrl, dataDir: config.dataDir });
    try {
      await migrate(db);
      const { app } = await buildApp({ config, db, logger: false });
      try {
        // Accounts that exist: one per reset request (an address is sent at most three links an hour).
        const hash = await hashPassword(PASSWORD);
        const existing: string[] = [];
        for (let i = 0; i < rounds + 1; i += 1) {
          const id = randomUUID();
          const email = `member.${i}.${id.slice(0, 6)}@example.org`;
          await insertUser(db.kysely, { id, email, displayName: `Member ${i}`, locale: 'en', passwordHash: hash, emailVerifiedAt: new Date() });
          await insertRole(db.kysely, { userId: id, role: 'resident', organisationId: null, grantedBy: null });
          existing.push(email);
        }
        const register = (email: string) =>
          timedPost(app, '/en/register', { displayName: 'Bench Visitor', email, password: 'a long enough passphrase 42', confirmPassword: 'a long enough passphrase 42', locale: 'en' });
        const reset = (email: string) => timedPost(app, '/en/forgot-password', { email });
        // Warm-up: the first requests compile templates and fill caches.
        await register(`warm.${randomUUID()}@example.net`);
        await reset(existing[rounds] as string);
        const times = { registerReal: [] as number[], registerNew: [] as number[], resetReal: [] as number[], resetUnknown: [] as number[] };
        for (let i = 0; i < rounds; i += 1) {
          // Interleaved, so that drift (caches, autovacuum) touches both kinds alike.
          times.registerReal.push(await register(existing[i] as string));
          times.registerNew.push(await register(`new.${i}.${randomUUID().slice(0, 8)}@example.net`));
          times.resetReal.push(await reset(existing[i] as string));
          times.resetUnknown.push(await reset(`nobody.${i}.${randomUUID().slice(0, 8)}@example.net`));
        }
        const line = (form: string, real: number[], other: number[], otherLabel: string) => {
          const [a, b] = [percentile(real, 0.5), percentile(other, 0.5)];
          rows.push([database, form, a.toFixed(1), percentile(real, 0.9).toFixed(1), otherLabel, b.toFixed(1), percentile(other, 0.9).toFixed(1), (a - b).toFixed(1)]);
        };
        line('POST /register', times.registerReal, times.registerNew, 'new address');
        line('POST /forgot-password', times.resetReal, times.resetUnknown, 'unknown address');
      } finally {
        await app.close();
      }
    } finally {
      await db.close();
    }
  });
  console.log(`\nAccount enumeration by timing: ${rounds} requests of each kind, milliseconds (in-process)\n`);
  table(['database', 'form', 'existing p50', 'p90', 'other address', 'p50', 'p90', 'p50 difference'], rows, 2);
  for (const note of results.notes) console.log(`note: ${note}`);
  for (const failure of results.failures) console.log(`FAILED: ${failure}`);
  return broken ? 1 : 0;
});

import { createHash, randomBytes } from 'node:crypto';
import { type Kysely, sql } from 'kysely';
import { type Migration, Migrator } from 'kysely/migration';
import pg from 'pg';
import { afterEach, describe, expect, inject, it } from 'vitest';
import { DATABASES } from '../../../../test/databases.ts';
import { PERSONAL, verifyAuditTrail } from '../../audit/audit.ts';
import { canonical } from '../../canonical.ts';
import { type Db, openDatabase } from '../index.ts';
import type { Database } from '../schema.ts';
import { migrations } from './index.ts';

const THIS = '2026-12-07-0018-audit-chains';

/** An empty database of the given kind, not migrated. */
async function emptyDatabase(kind: 'pglite' | 'postgres'): Promise<{ db: Db; drop(): Promise<void> }> {
  if (kind === 'pglite') {
    const db = await openDatabase({ dataDir: '', inMemory: true });
    return { db, drop: () => db.close() };
  }
  const name = `zjhk_test_${inject('runId')}_${randomBytes(6).toString('hex')}`;
  const admin = async (query: string) => {
    const client = new pg.Client({ connectionString: process.env.TEST_DATABASE_URL });
    await client.connect();
    try {
      await client.query(query);
    } finally {
      await client.end();
    }
  };
  await admin(`create database ${name}`);
  const url = new URL(process.env.TEST_DATABASE_URL as string);
  url.pathname = `/${name}`;
  const db = await openDatabase({ databaseUrl: url.toString(), dataDir: '', onConnectionLost: () => {} });
  return {
    db,
    async drop() {
      await db.close();
      await admin(`drop database if exists ${name} with (force)`);
    },
  };
}

const migrator = (db: Db) => new Migrator({ db: db.kysely, provider: { getMigrations: async (): Promise<Record<string, Migration>> => migrations } });

/** The trail as it was written before this migration: email labels, IP addresses, personal fields, plain SHA-256. */
async function writeOldTrail(db: Kysely<Database>): Promise<void> {
  const old = [
    {
      actor_type: 'user',
      actor_id: 'u-res',
      actor_label: 'res2@sec.test',
      action: 'user.registered',
      entity_type: 'user',
      entity_id: 'u-res',
      changes: { email: { before: null, after: 'res2@sec.test' }, display_name: { before: null, after: '陳大文' }, role: { before: null, after: 'resident' } },
      ip: '203.0.113.7',
    },
    {
      actor_type: 'user',
      actor_id: 'u-res',
      actor_label: 'res2@sec.test',
      action: 'enquiry.received',
      entity_type: 'enquiry',
      entity_id: 'ZJHK-E-2026-000003',
      changes: { topic: { before: null, after: 'employment' } },
      ip: '203.0.113.7',
    },
    {
      actor_type: 'system',
      actor_id: null,
      actor_label: 'system',
      action: 'mail.sent',
      entity_type: 'mail',
      entity_id: '12',
      changes: { to: { before: null, after: 'res2@sec.test' }, state: { before: 'queued', after: 'sent' } },
      ip: null,
    },
    {
      actor_type: 'command',
      actor_id: null,
      actor_label: 'zjhk seed (opsuser@host-1)',
      action: 'organisation.updated',
      entity_type: 'organisation',
      entity_id: 'hk-cmab',
      changes: { name: { before: 'A', after: 'B' } },
      ip: null,
    },
    {
      actor_type: 'command',
      actor_id: null,
      actor_label: 'Chan Tai Man (zjhk agreement-status (opsuser@host-1))',
      action: 'agreement.renewal.recorded',
      entity_type: 'agreement',
      entity_id: 'zjhk-2023',
      changes: { renewal_note: { before: null, after: 'Ask wong@cmab.example for the minutes' } },
      ip: null,
    },
    {
      actor_type: 'user',
      actor_id: 'u-coord',
      actor_label: 'coord@sec.test',
      action: 'user.email_changed',
      entity_type: 'user',
      entity_id: 'u-coord',
      changes: { email: { before: 'coord@sec.test', after: 'coord2@sec.test' } },
      ip: '198.51.100.2',
    },
    {
      actor_type: 'system',
      actor_id: null,
      actor_label: 'system',
      action: 'enquiry.escalated',
      entity_type: 'enquiry',
      entity_id: 'ZJHK-E-2026-000003',
      changes: { escalated: { before: false, after: true } },
      ip: null,
    },
  ];
  let prevHash = '0'.repeat(64);
  for (const [i, row] of old.entries()) {
    const fields = { occurred_at: new Date(Date.UTC(2026, 11, 1, 1, 0, i)), on_behalf_of: null, request_id: `req-${i}`, ...row };
    const content = canonical({ ...fields, occurred_at: fields.occurred_at.toISOString() });
    const hash = createHash('sha256').update(prevHash).update('\n').update(JSON.stringify(content)).digest('hex');
    await sql`
      insert into audit_events (occurred_at, actor_type, actor_id, actor_label, on_behalf_of, action, entity_type, entity_id, changes, request_id, ip, prev_hash, hash)
      values (${fields.occurred_at}, ${fields.actor_type}, ${fields.actor_id}, ${fields.actor_label}, null, ${fields.action}, ${fields.entity_type}, ${fields.entity_id},
              ${JSON.stringify(fields.changes)}::jsonb, ${fields.request_id}, ${fields.ip}, ${prevHash}, ${hash})`.execute(db);
    prevHash = hash;
  }
}

describe.each(DATABASES)('migration 0018 of the audit trail on %s', (kind) => {
  let current: { db: Db; drop(): Promise<void> } | undefined;
  afterEach(async () => {
    await current?.drop();
    current = undefined;
  });

  it('removes the personal data from the existing records, seals the trail with the key and records that as the first checkpoint', async () => {
    current = await emptyDatabase(kind);
    const { db } = current;
    const before = Object.keys(migrations)
      .sort()
      .filter((name) => name < THIS)
      .at(-1) as string;
    const upTo = await migrator(db).migrateTo(before);
    if (upTo.error) throw upTo.error;
    await writeOldTrail(db.kysely);

    const result = await migrator(db).migrateToLatest();
    if (result.error) throw result.error;

    const rows = await db.kysely.selectFrom('audit_events').selectAll().orderBy('id').execute();
    expect(rows).toHaveLength(7);
    const text = JSON.stringify(rows);
    for (const personal of ['res2@sec.test', 'coord@sec.test', 'coord2@sec.test', 'wong@cmab.example', '陳大文', 'Chan Tai Man', 'opsuser', '203.0.113.7', '198.51.100.2'])
      expect(text).not.toContain(personal);
    expect(rows[0]).not.toHaveProperty('ip');
    // People by id; what happened stays; personal fields say that they changed.
    expect(rows[0]).toMatchObject({ actor_type: 'user', actor_id: 'u-res', actor_label: null, request_id: 'req-0', chain: 0 });
    expect(rows[0]?.changes).toEqual({ email: { before: null, after: PERSONAL }, display_name: { before: null, after: PERSONAL }, role: { before: null, after: 'resident' } });
    expect(rows[1]).toMatchObject({ action: 'enquiry.received', entity_id: 'ZJHK-E-2026-000003', changes: { topic: { before: null, after: 'employment' } } });
    expect(rows[2]?.changes).toEqual({ to: { before: null, after: PERSONAL }, state: { before: 'queued', after: 'sent' } });
    expect(rows[3]?.actor_label).toBe('zjhk seed (host-1)');
    expect(rows[4]?.actor_label).toBe('zjhk agreement-status (host-1)');
    expect(rows[4]?.changes).toEqual({ renewal_note: { before: null, after: `Ask ${PERSONAL} for the minutes` } });
    expect(rows[5]?.changes).toEqual({ email: { before: PERSONAL, after: PERSONAL } });
    expect(rows[6]).toMatchObject({ actor_label: 'system', changes: { escalated: { before: false, after: true } } });

    // Sealed again under the key, and recorded as the first checkpoint.
    expect(await verifyAuditTrail(db.kysely)).toEqual({ checked: 7, checkpoints: 1 });
    const checkpoints = await db.kysely.selectFrom('audit_checkpoints').selectAll().execute();
    expect(checkpoints).toHaveLength(1);
    expect(checkpoints[0]).toMatchObject({ kind: 'sealed', heads: [{ chain: 0, id: String(rows[6]?.id), hash: rows[6]?.hash }] });
    expect(checkpoints[0]?.reason).toMatch(/^migration 2026-12-07-0018: personal data removed from 6 of 7 records/);
    // The plain SHA-256 seals are gone: nobody without the key can recompute one.
    expect(rows[0]?.prev_hash).toBe('0'.repeat(64));
    expect(rows[1]?.prev_hash).toBe(rows[0]?.hash);
  });
});

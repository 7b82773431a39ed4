import { sql } from 'kysely';
import { describe, expect, it } from 'vitest';
import { DATABASES, freshDatabaseEach } from '../../../test/databases.ts';
import { openDatabase } from '../db/index.ts';
import { type Actor, audit, diff, GENESIS, verifyAuditTrail } from './audit.ts';

const alice: Actor = { type: 'user', id: 'user-1', label: 'alice@example.org', onBehalfOf: 'hk-cmab' };

describe('diff', () => {
  it('keeps only the fields that changed', () => {
    expect(diff({ a: 1, b: 'x', c: null }, { a: 1, b: 'y', d: [1] })).toEqual({ b: { before: 'x', after: 'y' }, d: { before: null, after: [1] } });
    expect(diff(null, { a: 1 })).toEqual({ a: { before: null, after: 1 } });
  });
});

describe.each(DATABASES)('the audit trail on %s', (kind) => {
  const t = freshDatabaseEach(kind, { empty: true });

  const append = (n: number) =>
    t.db.kysely.transaction().execute(async (trx) => {
      for (let i = 0; i < n; i += 1) {
        await audit(trx, {
          actor: alice,
          action: 'thing.updated',
          entity: { type: 'thing', id: String(i) },
          changes: { title: { before: `old ${i}`, after: `新 ${i}` }, when: { before: null, after: new Date('2026-11-26T01:02:03.456Z') } },
          request: { requestId: `req-${i}`, ip: '127.0.0.1' },
        });
      }
    });

  it('chains every record to the one before and verifies the whole chain', async () => {
    await append(5);
    const rows = await t.db.kysely.selectFrom('audit_events').selectAll().orderBy('id').execute();
    expect(rows).toHaveLength(5);
    expect(rows[0]?.prev_hash).toBe(GENESIS);
    for (let i = 1; i < rows.length; i += 1) expect(rows[i]?.prev_hash).toBe(rows[i - 1]?.hash);
    expect(rows[0]).toMatchObject({ actor_type: 'user', actor_id: 'user-1', on_behalf_of: 'hk-cmab', request_id: 'req-0', ip: '127.0.0.1' });
    expect(await verifyAuditTrail(t.db.kysely)).toEqual({ checked: 5 });
  });

  it('writes nothing for a change that is rolled back', async () => {
    await expect(
      t.db.kysely.transaction().execute(async (trx) => {
        await audit(trx, { actor: alice, action: 'thing.created', entity: { type: 'thing', id: 'x' }, changes: {} });
        throw new Error('the change failed');
      }),
    ).rejects.toThrow('the change failed');
    expect(await t.db.kysely.selectFrom('audit_events').select('id').execute()).toHaveLength(0);
  });

  it('refuses updates, deletes and truncation', async () => {
    await append(1);
    await expect(sql`update audit_events set action = 'x'`.execute(t.db.kysely)).rejects.toThrow(/append-only/);
    await expect(sql`delete from audit_events`.execute(t.db.kysely)).rejects.toThrow(/append-only/);
    await expect(sql`truncate audit_events`.execute(t.db.kysely)).rejects.toThrow(/append-only/);
    expect(await verifyAuditTrail(t.db.kysely)).toEqual({ checked: 1 });
  });

  it('names the first record edited by hand, and the first one after a removed record', async () => {
    await append(4);
    const ids = (await t.db.kysely.selectFrom('audit_events').select('id').orderBy('id').execute()).map((r) => String(r.id));
    await sql`alter table audit_events disable trigger audit_events_no_change`.execute(t.db.kysely);
    await sql`update audit_events set changes = '{"title":{"before":"old 2","after":"forged"}}' where id = ${ids[2]}::bigint`.execute(t.db.kysely);
    expect(await verifyAuditTrail(t.db.kysely)).toEqual({ checked: 2, broken: { id: ids[2], reason: expect.stringContaining('edited') } });
    await sql`delete from audit_events where id = ${ids[2]}::bigint`.execute(t.db.kysely);
    expect(await verifyAuditTrail(t.db.kysely)).toEqual({ checked: 2, broken: { id: ids[3], reason: expect.stringContaining('removed') } });
  });

  // Only PostgreSQL can be shared by several processes (one process holds an embedded database).
  if (kind === 'postgres') {
    it('keeps one chain when several processes append at once', async () => {
      const others = await Promise.all([1, 2, 3].map(() => openDatabase({ databaseUrl: t.url, dataDir: '', onConnectionLost: () => {} })));
      try {
        await Promise.all(
          [t.db, ...others].flatMap((db, p) =>
            Array.from({ length: 10 }, (_, i) =>
              db.kysely.transaction().execute((trx) => audit(trx, { actor: alice, action: 'thing.updated', entity: { type: 'thing', id: `${p}-${i}` }, changes: {} })),
            ),
          ),
        );
      } finally {
        await Promise.all(others.map((db) => db.close()));
      }
      expect(await verifyAuditTrail(t.db.kysely)).toEqual({ checked: 40 });
    });
  }
});

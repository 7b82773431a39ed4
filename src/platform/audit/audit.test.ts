import { createHash, randomBytes } from 'node:crypto';
import { sql } from 'kysely';
import { describe, expect, it } from 'vitest';
import { DATABASES, freshDatabaseEach } from '../../../test/databases.ts';
import { canonical } from '../canonical.ts';
import { openDatabase } from '../db/index.ts';
import { deriveKeys, keys } from '../secrets.ts';
import { type Actor, audit, checkPublishedCheckpoint, diff, GENESIS, PERSONAL, publishedCheckpoint, redactPersonal, rekeyAuditTrail, verifyAuditTrail, writeCheckpoint } from './audit.ts';

const alice: Actor = { type: 'user', id: 'user-1', onBehalfOf: 'hk-cmab' };

describe('diff', () => {
  it('keeps only the fields that changed', () => {
    expect(diff({ a: 1, b: 'x', c: null }, { a: 1, b: 'y', d: [1] })).toEqual({ b: { before: 'x', after: 'y' }, d: { before: null, after: [1] } });
    expect(diff(null, { a: 1 })).toEqual({ a: { before: null, after: 1 } });
  });
});

describe('redactPersonal', () => {
  it('records that a personal field changed, never its value, and removes addresses from any value', () => {
    expect(
      redactPersonal({
        email: { before: 'old@example.org', after: 'new@example.org' },
        display_name: { before: null, after: '陳大文' },
        contactPhone: { before: '', after: '+852 9123 4567' },
        title: { before: 'Write to a.person@example.org', after: 'Symposium' },
        nested: { before: null, after: { to: 'x@example.org', count: 2, list: ['y@example.org'] } },
        state: { before: 'received', after: 'published' },
      }),
    ).toEqual({
      email: { before: PERSONAL, after: PERSONAL },
      display_name: { before: null, after: PERSONAL },
      contactPhone: { before: null, after: PERSONAL },
      title: { before: `Write to ${PERSONAL}`, after: 'Symposium' },
      nested: { before: null, after: { to: PERSONAL, count: 2, list: [PERSONAL] } },
      state: { before: 'received', after: 'published' },
    });
  });
});

/** The seal the trail used before it was keyed: plain SHA-256, which anyone can recompute. */
function plainSha256(prevHash: string, fields: Record<string, unknown>): string {
  const content = canonical({ ...fields, occurred_at: (fields.occurred_at as Date).toISOString() });
  return createHash('sha256').update(prevHash).update('\n').update(JSON.stringify(content)).digest('hex');
}

describe.each(DATABASES)('the audit trail on %s', (kind) => {
  const t = freshDatabaseEach(kind, { empty: true });

  /** One transaction appending n records. */
  const append = (n: number, tag = '') =>
    t.db.kysely.transaction().execute(async (trx) => {
      for (let i = 0; i < n; i += 1) {
        await audit(trx, {
          actor: alice,
          action: 'thing.updated',
          entity: { type: 'thing', id: `${tag}${i}` },
          changes: { title: { before: `old ${i}`, after: `新 ${i}` }, when: { before: null, after: new Date('2026-11-26T01:02:03.456Z') } },
          request: { requestId: `req-${i}`, ip: '127.0.0.1' },
        });
      }
    });

  const rows = () => t.db.kysely.selectFrom('audit_events').selectAll().orderBy('id').execute();
  const withoutTrigger = async (change: () => Promise<unknown>) => {
    await sql`alter table audit_events disable trigger audit_events_no_change`.execute(t.db.kysely);
    await change();
    await sql`alter table audit_events enable trigger audit_events_no_change`.execute(t.db.kysely);
  };

  it('chains the records of a transaction in one chain and verifies the whole trail', async () => {
    await append(5);
    const all = await rows();
    expect(all).toHaveLength(5);
    // One transaction, one chain: each record follows the one before it.
    expect(new Set(all.map((r) => r.chain)).size).toBe(1);
    expect(all[0]?.prev_hash).toBe(GENESIS);
    for (let i = 1; i < all.length; i += 1) expect(all[i]?.prev_hash).toBe(all[i - 1]?.hash);
    // A person by internal id only; the request by its id, not its address.
    expect(all[0]).toMatchObject({ actor_type: 'user', actor_id: 'user-1', actor_label: null, on_behalf_of: 'hk-cmab', request_id: 'req-0' });
    expect(all[0]).not.toHaveProperty('ip');
    expect(JSON.stringify(all)).not.toContain('127.0.0.1');
    expect(await verifyAuditTrail(t.db.kysely)).toEqual({ checked: 5, checkpoints: 1 });
  });

  it('keeps the transactions that append at the same time each in its own chain, all verifying', async () => {
    const writers = kind === 'postgres' ? await Promise.all([1, 2, 3].map(() => openDatabase({ databaseUrl: t.url, dataDir: '', onConnectionLost: () => {} }))) : [];
    try {
      await Promise.all(
        [t.db, ...writers].flatMap((db, p) =>
          Array.from({ length: 10 }, (_, i) =>
            db.kysely.transaction().execute(async (trx) => {
              await audit(trx, { actor: alice, action: 'thing.updated', entity: { type: 'thing', id: `${p}-${i}` }, changes: {} });
              await audit(trx, { actor: alice, action: 'thing.checked', entity: { type: 'thing', id: `${p}-${i}` }, changes: {} });
            }),
          ),
        ),
      );
    } finally {
      await Promise.all(writers.map((db) => db.close()));
    }
    const all = await rows();
    expect(all).toHaveLength((writers.length + 1) * 20);
    // Both records of a transaction are in the same chain, the second right after the first.
    for (const entity of new Set(all.map((r) => r.entity_id))) {
      const [updated, checked] = all.filter((r) => r.entity_id === entity);
      expect(checked?.chain).toBe(updated?.chain);
      expect(checked?.prev_hash).toBe(updated?.hash);
    }
    if (kind === 'postgres') expect(new Set(all.map((r) => r.chain)).size).toBeGreaterThan(1);
    expect(await verifyAuditTrail(t.db.kysely)).toEqual({ checked: all.length, checkpoints: 1 });
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

  it('refuses updates, deletes and truncation of records and checkpoints', async () => {
    await append(1);
    await writeCheckpoint(t.db.kysely, { reason: 'test' });
    for (const table of ['audit_events', 'audit_checkpoints']) {
      await expect(sql`update ${sql.table(table)} set ${sql.ref(table === 'audit_events' ? 'action' : 'reason')} = ${'x'}`.execute(t.db.kysely)).rejects.toThrow(/append-only/);
      await expect(sql`delete from ${sql.table(table)}`.execute(t.db.kysely)).rejects.toThrow(/append-only/);
      await expect(sql`truncate ${sql.table(table)}`.execute(t.db.kysely)).rejects.toThrow(/append-only/);
    }
    expect(await verifyAuditTrail(t.db.kysely)).toEqual({ checked: 1, checkpoints: 2 });
  });

  it('names the first record edited by hand, and the first one after a removed record', async () => {
    await append(4);
    const ids = (await rows()).map((r) => String(r.id));
    await withoutTrigger(() => sql`update audit_events set changes = '{"title":{"before":"old 2","after":"forged"}}' where id = ${ids[2]}::bigint`.execute(t.db.kysely));
    expect(await verifyAuditTrail(t.db.kysely)).toMatchObject({ checked: 2, broken: { id: ids[2], reason: expect.stringContaining('edited') } });
    await withoutTrigger(() => sql`delete from audit_events where id = ${ids[2]}::bigint`.execute(t.db.kysely));
    expect(await verifyAuditTrail(t.db.kysely)).toMatchObject({ checked: 2, broken: { id: ids[3], reason: expect.stringContaining('removed') } });
  });

  it('sees the last records removed after a checkpoint', async () => {
    await append(3, 'a');
    await append(2, 'b');
    const checkpoint = await writeCheckpoint(t.db.kysely, { reason: 'daily' });
    await append(1, 'c');
    expect((await verifyAuditTrail(t.db.kysely)).broken).toBeUndefined();
    // Cut every chain back to before the checkpoint's heads: each chain on its own still links up.
    const heads = checkpoint.heads.map((h) => h.id);
    const lowest = heads.map(Number).sort((x, y) => x - y)[0];
    await withoutTrigger(() => sql`delete from audit_events where id >= ${lowest}::bigint`.execute(t.db.kysely));
    const result = await verifyAuditTrail(t.db.kysely);
    expect(result.broken?.reason).toMatch(/missing: the trail was cut short/);
    expect(heads).toContain(result.broken?.id);
  });

  it('sees a last record forged with a recomputed plain SHA-256 (the key is needed)', async () => {
    await append(3);
    const last = (await rows()).at(-1);
    if (!last) throw new Error('no record');
    const { id: _id, prev_hash, hash: _hash, ...fields } = last;
    const forged = { ...fields, changes: { title: { before: 'old 2', after: 'forged' } } };
    await withoutTrigger(() =>
      sql`update audit_events set changes = ${JSON.stringify(forged.changes)}::jsonb, hash = ${plainSha256(prev_hash, forged)} where id = ${last.id}::bigint`.execute(t.db.kysely),
    );
    expect(await verifyAuditTrail(t.db.kysely)).toMatchObject({ checked: 2, broken: { id: String(last.id), reason: expect.stringContaining('does not match its seal') } });
  });

  it('sees a checkpoint forged without the key', async () => {
    await append(2);
    const checkpoint = await writeCheckpoint(t.db.kysely, { reason: 'daily' });
    await sql`alter table audit_checkpoints disable trigger audit_checkpoints_no_change`.execute(t.db.kysely);
    await sql`update audit_checkpoints set heads = '[]'::jsonb where id = ${checkpoint.id}::bigint`.execute(t.db.kysely);
    expect((await verifyAuditTrail(t.db.kysely)).broken).toEqual({ id: `checkpoint ${checkpoint.id}`, reason: expect.stringContaining('MAC') });
  });

  it('checks a published checkpoint against the trail, also when the checkpoints were removed', async () => {
    await append(3);
    const line = publishedCheckpoint(await writeCheckpoint(t.db.kysely, { reason: 'on demand' }));
    expect(await checkPublishedCheckpoint(t.db.kysely, line)).toEqual({ ok: true, heads: 1 });
    expect(await checkPublishedCheckpoint(t.db.kysely, line.replace(/"mac":"[0-9a-f]{4}/, '"mac":"0000'))).toMatchObject({ ok: false, reason: expect.stringContaining('MAC') });
    const last = (await rows()).at(-1);
    await withoutTrigger(() => sql`delete from audit_events where id = ${last?.id}::bigint`.execute(t.db.kysely));
    await sql`alter table audit_checkpoints disable trigger audit_checkpoints_no_change`.execute(t.db.kysely);
    await sql`delete from audit_checkpoints where kind = 'periodic'`.execute(t.db.kysely);
    // The trail and its checkpoints agree again; the published line does not.
    expect((await verifyAuditTrail(t.db.kysely)).broken).toBeUndefined();
    expect(await checkPublishedCheckpoint(t.db.kysely, line)).toMatchObject({ ok: false, reason: expect.stringContaining('cut short') });
  });

  it('re-keys the trail: verified under the old key, sealed under the new one, recorded as a checkpoint', async () => {
    await append(3);
    await writeCheckpoint(t.db.kysely, { reason: 'daily' });
    const from = keys();
    const to = deriveKeys(randomBytes(32));
    const checkpoint = await t.db.kysely.transaction().execute((trx) => rekeyAuditTrail(trx, from, to));
    expect(checkpoint).toMatchObject({ kind: 'sealed', reason: 'the secret key was rotated', heads: [expect.objectContaining({ id: expect.any(String) })] });
    expect(await verifyAuditTrail(t.db.kysely, { key: to.audit })).toEqual({ checked: 3, checkpoints: 1 });
    expect((await verifyAuditTrail(t.db.kysely, { key: from.audit })).broken).toBeDefined();
    // A broken trail is not re-keyed (that would hide the break).
    const first = (await rows())[0];
    await withoutTrigger(() => sql`update audit_events set action = 'forged' where id = ${first?.id}::bigint`.execute(t.db.kysely));
    await expect(t.db.kysely.transaction().execute((trx) => rekeyAuditTrail(trx, to, from))).rejects.toThrow(/broken/);
  });
});

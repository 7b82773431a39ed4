/**
 * Upload slots: how many uploads an account and an address have running at once, kept in the
 * database so that every app process on one PostgreSQL counts them together. A slot is taken before
 * a byte of the files is read and given back when the request ends; one left by a process that was
 * killed expires on its own.
 */
import { randomBytes } from 'node:crypto';
import { type Kysely, sql } from 'kysely';
import type { Database } from '../db/schema.ts';

export interface SlotLimits {
  /** Uploads one account may have running at once. */
  perAccount: number;
  /** Uploads one address may have running at once (several people may share one). */
  perAddress: number;
  /** After this long a slot is free again even if its request never ended (its process died). */
  ttlMs: number;
}

export const DEFAULT_SLOT_LIMITS: SlotLimits = { perAccount: 2, perAddress: 4, ttlMs: 15 * 60_000 };

export type SlotResult = { ok: true; ids: string[] } | { ok: false; holder: string };

/**
 * Takes a slot for each holder (`ip:<address>`, `user:<id>`), all or none. The holders are locked
 * (in a fixed order, so two requests never wait on each other) for the count and the insert, so
 * concurrent requests on any process cannot both take the last slot.
 */
export async function acquireUploadSlots(db: Kysely<Database>, holders: string[], limits: Partial<SlotLimits> = {}): Promise<SlotResult> {
  const { perAccount, perAddress, ttlMs } = { ...DEFAULT_SLOT_LIMITS, ...limits };
  const sorted = [...new Set(holders)].sort();
  return db.transaction().execute(async (trx) => {
    for (const holder of sorted) await sql`select pg_advisory_xact_lock(hashtext(${`upload_slots|${holder}`}))`.execute(trx);
    const counts = await trx
      .selectFrom('upload_slots')
      .select(['holder', sql<number>`count(*)::integer`.as('running')])
      .where('holder', 'in', sorted)
      .where('expires_at', '>', sql<Date>`now()`)
      .groupBy('holder')
      .execute();
    for (const holder of sorted) {
      const running = counts.find((c) => c.holder === holder)?.running ?? 0;
      if (running >= (holder.startsWith('user:') ? perAccount : perAddress)) return { ok: false, holder } as const;
    }
    const rows = sorted.map((holder) => ({ id: randomBytes(16).toString('base64url'), holder, expires_at: sql<Date>`now() + ${ttlMs} * interval '1 millisecond'` as unknown as Date }));
    await trx.deleteFrom('upload_slots').where('holder', 'in', sorted).where('expires_at', '<=', sql<Date>`now()`).execute();
    await trx.insertInto('upload_slots').values(rows).execute();
    return { ok: true, ids: rows.map((r) => r.id) } as const;
  });
}

export async function releaseUploadSlots(db: Kysely<Database>, ids: string[]): Promise<void> {
  if (ids.length > 0) await db.deleteFrom('upload_slots').where('id', 'in', ids).execute();
}

/** Removes slots that expired (their process died without giving them back). */
export async function purgeUploadSlots(db: Kysely<Database>): Promise<number> {
  const result = await db.deleteFrom('upload_slots').where('expires_at', '<=', sql<Date>`now()`).executeTakeFirst();
  return Number(result.numDeletedRows);
}

import { createHash } from 'node:crypto';
import { type Kysely, type Selectable, sql, type Transaction } from 'kysely';
import { json } from '../db/index.ts';
import type { AuditEventsTable, Database } from '../db/schema.ts';
import { canonical } from '../canonical.ts';

/** Who acts: a signed-in person (for an organisation), the system itself, or someone at the command line. */
export type Actor =
  | { type: 'user'; id: string; label: string; onBehalfOf?: string | null }
  | { type: 'system'; label: string }
  | { type: 'command'; label: string };

export const SYSTEM: Actor = { type: 'system', label: 'system' };

/** The audit trail's name for a signed-in person. */
export function userActor(principal: { user: { id: string; email: string } }): Actor {
  return { type: 'user', id: principal.user.id, label: principal.user.email };
}

/** What the audit trail keeps of the request a change came from. */
export function requestInfo(request: { id: unknown; ip: string }): RequestInfo {
  return { requestId: String(request.id), ip: request.ip };
}

/** The request a change came from, when it came from one. */
export interface RequestInfo {
  requestId?: string | undefined;
  ip?: string | undefined;
}

export type Changes = Record<string, { before: unknown; after: unknown }>;

export interface AuditEntry {
  actor: Actor;
  action: string;
  entity: { type: string; id: string };
  changes: Changes;
  request?: RequestInfo | undefined;
}

/** The first record's predecessor. */
export const GENESIS = '0'.repeat(64);

/** Chain audit writers one after another; any constant key will do, as long as it is this one. */
const CHAIN_LOCK = 7_201_932_023;

/** Every column of a record but its id and the chain's own two. */
type HashedFields = Omit<Selectable<AuditEventsTable>, 'id' | 'prev_hash' | 'hash' | 'changes'> & { changes: unknown };


/** A record's hash covers its predecessor's hash and every field that says what happened. */
export function auditHash(prevHash: string, fields: HashedFields): string {
  const content = canonical({ ...fields, occurred_at: fields.occurred_at.toISOString() });
  return createHash('sha256').update(prevHash).update('\n').update(JSON.stringify(content)).digest('hex');
}

/** The fields that changed between two versions of a record (only those). */
export function diff(before: Record<string, unknown> | null, after: Record<string, unknown> | null): Changes {
  const changes: Changes = {};
  const keys = new Set([...Object.keys(before ?? {}), ...Object.keys(after ?? {})]);
  for (const key of keys) {
    const a = before?.[key] ?? null;
    const b = after?.[key] ?? null;
    if (JSON.stringify(canonical(a)) !== JSON.stringify(canonical(b))) changes[key] = { before: a, after: b };
  }
  return changes;
}

/**
 * Appends one record to the audit trail, inside the caller's transaction: the record exists if and
 * only if the change does. Writers are serialised for the rest of the transaction so the chain
 * never forks.
 */
export async function audit(trx: Transaction<Database>, entry: AuditEntry): Promise<void> {
  await sql`select pg_advisory_xact_lock(${CHAIN_LOCK})`.execute(trx);
  const last = await trx.selectFrom('audit_events').select('hash').orderBy('id', 'desc').limit(1).executeTakeFirst();
  const prevHash = last?.hash ?? GENESIS;
  const fields: HashedFields = {
    // A Date has millisecond precision, which timestamptz keeps: the value read back is the value hashed.
    occurred_at: new Date(),
    actor_type: entry.actor.type,
    actor_id: entry.actor.type === 'user' ? entry.actor.id : null,
    actor_label: entry.actor.label,
    on_behalf_of: entry.actor.type === 'user' ? (entry.actor.onBehalfOf ?? null) : null,
    action: entry.action,
    entity_type: entry.entity.type,
    entity_id: entry.entity.id,
    changes: entry.changes,
    request_id: entry.request?.requestId ?? null,
    ip: entry.request?.ip ?? null,
  };
  await trx
    .insertInto('audit_events')
    .values({ ...fields, changes: json(fields.changes), prev_hash: prevHash, hash: auditHash(prevHash, fields) })
    .execute();
}

export interface VerifyResult {
  checked: number;
  /** The first record that does not fit the chain, and why. */
  broken?: { id: string; reason: string };
}

/** Walks the whole trail in order and recomputes every hash. */
export async function verifyAuditTrail(db: Kysely<Database>, batch = 1_000): Promise<VerifyResult> {
  let prevHash = GENESIS;
  let checked = 0;
  let after = '0';
  for (;;) {
    const rows = await db
      .selectFrom('audit_events')
      .selectAll()
      .where(sql<boolean>`id > ${after}::bigint`)
      .orderBy('id')
      .limit(batch)
      .execute();
    if (rows.length === 0) return { checked };
    for (const row of rows) {
      const id = String(row.id);
      if (row.prev_hash !== prevHash) return { checked, broken: { id, reason: 'it does not follow the record before it (a record was removed or reordered)' } };
      const { id: _id, prev_hash: _prev, hash, ...fields } = row;
      if (auditHash(prevHash, fields as HashedFields) !== hash) return { checked, broken: { id, reason: 'its content does not match its hash (the record was edited)' } };
      prevHash = hash;
      checked += 1;
      after = id;
    }
  }
}

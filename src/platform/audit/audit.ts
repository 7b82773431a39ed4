import { randomInt } from 'node:crypto';
import { type Kysely, type Selectable, sql, type Transaction } from 'kysely';
import { json } from '../db/json.ts';
import type { AuditEventsTable, Database } from '../db/schema.ts';
import { canonical } from '../canonical.ts';
import { systemClock } from '../clock.ts';
import { type Keys, keys, mac, sameMac } from '../secrets.ts';

/**
 * The audit trail: what happened, by whom (an internal id, never a name or an address), to which
 * record, inside the same transaction as the change. Records are kept in several chains; each record
 * carries an HMAC (keyed with the secret key's audit subkey) over its content and its predecessor's in
 * the same chain, so that nobody without the key can edit, forge or re-chain one. Checkpoints record
 * every chain's head, MACed as well, so that cutting a chain short after a checkpoint is seen; an
 * operator may publish them elsewhere.
 */

/**
 * Who acts: a signed-in person (by internal id, for an organisation), the system itself, or a
 * command run on the server. A person's name and address live in their own rows, which the purge
 * clears; the trail refers to them by id only.
 */
export type Actor = { type: 'user'; id: string; onBehalfOf?: string | null } | { type: 'system'; label: string } | { type: 'command'; label: string };

export const SYSTEM: Actor = { type: 'system', label: 'system' };

/** The audit trail's name for a signed-in person: their internal id. */
export function userActor(principal: { user: { id: string } }): Actor & { type: 'user' } {
  return { type: 'user', id: principal.user.id };
}

/** What a use case keeps of the request a change came from (the address serves sessions, not the trail). */
export function requestInfo(request: { id: unknown; ip: string }): RequestInfo {
  return { requestId: String(request.id), ip: request.ip };
}

/** The request a change came from, when it came from one. The trail keeps its id only. */
export interface RequestInfo {
  requestId?: string | undefined;
  ip?: string | undefined;
  /** When it is answered, by the app's clock (a test may fix it): the time the trail records for what it changes. */
  at?: Date | undefined;
}

export type Changes = Record<string, { before: unknown; after: unknown }>;

export interface AuditEntry {
  actor: Actor;
  action: string;
  entity: { type: string; id: string };
  changes: Changes;
  request?: RequestInfo | undefined;
  /** When it happened (a job's or a command's clock); by default the request's instant, else the real clock. */
  at?: Date | undefined;
}

/** Each chain's first record's predecessor. */
export const GENESIS = '0'.repeat(64);

/** How many chains the trail keeps: transactions on different chains append at the same time. */
const CHAINS = 16;

/** The advisory-lock class of the chains' locks (the second key is the chain's number). */
const CHAIN_LOCK_CLASS = 72_019_023;

/** The transaction-local setting that remembers which chain a transaction holds. */
const CHAIN_SETTING = 'zjhk.audit_chain';

// --- personal data -------------------------------------------------------------------------------

/** What the trail records instead of a personal value: that there was one, never what it was. */
export const PERSONAL = '(personal data)';

/**
 * Fields whose value is always personal, by name (compared without case, `_` or `-`): a person's
 * email address and name, an event's contact, a registrant's answers, codes handed to a person. (An
 * organisation's telephone number and address are not personal, nor an article's body: their records
 * keep them. What residents and enterprises write never reaches the trail: use cases record its
 * length or that it changed.)
 */
const PERSONAL_FIELDS = new Set(
  [
    'email',
    'requestedEmail',
    'newEmail',
    'oldEmail',
    'to',
    'toAddress',
    'contactEmail',
    'contactPhone',
    'contactName',
    'displayName',
    'fullName',
    'personName',
    'ip',
    'ipAddress',
    'userAgent',
    'checkInCode',
    'answers',
  ].map(fieldKey),
);

function fieldKey(name: string): string {
  return name.replace(/[_-]/g, '').toLowerCase();
}

/** An email address anywhere in a text. */
const EMAIL = /[^\s@<>"'(),;:]+@[^\s@<>"'(),;:]+\.[^\s@<>"'(),;:]+/g;

function scrubText(text: string): string {
  return text.replace(EMAIL, PERSONAL);
}

function scrubValue(value: unknown): unknown {
  if (typeof value === 'string') return scrubText(value);
  if (Array.isArray(value)) return value.map(scrubValue);
  if (value instanceof Date) return value;
  if (value && typeof value === 'object') return Object.fromEntries(Object.entries(value).map(([k, v]) => [k, PERSONAL_FIELDS.has(fieldKey(k)) ? marker(v) : scrubValue(v)]));
  return value;
}

function marker(value: unknown): unknown {
  return value === null || value === undefined || value === '' ? null : PERSONAL;
}

/**
 * A change set without personal data: a personal field records that it changed (the marker in place
 * of each non-empty side), and an email address anywhere in a value is replaced by the marker. Every
 * record passes through this, so a use case that forgets cannot leak an address into the trail.
 */
export function redactPersonal(changes: Changes): Changes {
  const out: Changes = {};
  for (const [key, change] of Object.entries(changes)) {
    const personal = PERSONAL_FIELDS.has(fieldKey(key));
    const before = change?.before ?? null;
    const after = change?.after ?? null;
    out[key] = personal ? { before: marker(before), after: marker(after) } : { before: scrubValue(before), after: scrubValue(after) };
  }
  return out;
}

/** A personal field's change as the trail records it: that it changed, not to what. */
export function personalChange(before: unknown, after: unknown): { before: unknown; after: unknown } {
  return { before: marker(before), after: marker(after) };
}

/** An entity id or a label as the trail may keep it (an address in it is replaced). */
export function redactText(text: string): string {
  return scrubText(text);
}

// --- sealing -------------------------------------------------------------------------------------

/** Every column of a record but its id and the chain's own two. */
type SealedFields = Omit<Selectable<AuditEventsTable>, 'id' | 'prev_hash' | 'hash' | 'changes'> & { changes: unknown };

/** A record's seal: an HMAC over its predecessor's seal in the same chain and every field that says what happened. */
function auditHash(key: Buffer, prevHash: string, fields: SealedFields): string {
  const content = canonical({ ...fields, occurred_at: fields.occurred_at.toISOString() });
  return mac(key, `${prevHash}\n${JSON.stringify(content)}`);
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

/** A random order of the chains, so that writers spread over them. */
function shuffledChains(): number[] {
  const order = Array.from({ length: CHAINS }, (_, i) => i);
  for (let i = order.length - 1; i > 0; i -= 1) {
    const j = randomInt(i + 1);
    [order[i], order[j]] = [order[j] as number, order[i] as number];
  }
  return order;
}

/**
 * The chain this transaction appends to. A transaction takes one chain for all its records and holds
 * it to commit (a transaction-level advisory lock), remembered in a transaction-local setting. It
 * tries the chains without waiting, in a random order; only when all are busy does it wait, for one,
 * holding none: so two transactions never wait on each other's chains and no deadlock can arise.
 */
async function chainOf(trx: Transaction<Database>): Promise<number> {
  const order = shuffledChains();
  for (const chain of order) {
    // COALESCE evaluates its second argument only when the first is null: a transaction that holds a
    // chain already learns which in the same statement, without trying another.
    const taken = await sql<{ chain: string | null }>`
      select coalesce(nullif(current_setting(${CHAIN_SETTING}, true), ''),
                      case when pg_try_advisory_xact_lock(${CHAIN_LOCK_CLASS}::int, ${chain}::int)
                           then set_config(${CHAIN_SETTING}, ${String(chain)}, true) end) as chain`.execute(trx);
    const held = taken.rows[0]?.chain;
    if (held) return Number(held);
  }
  const chain = order[0] as number;
  await sql`select pg_advisory_xact_lock(${CHAIN_LOCK_CLASS}::int, ${chain}::int), set_config(${CHAIN_SETTING}, ${String(chain)}, true)`.execute(trx);
  return chain;
}

/**
 * Appends one record to the audit trail, inside the caller's transaction: the record exists if and
 * only if the change does. Personal data is left out (see redactPersonal); the request's address is
 * never kept, only its id.
 */
export async function audit(trx: Transaction<Database>, entry: AuditEntry): Promise<void> {
  const chain = await chainOf(trx);
  // Read in a statement of its own, after the chain is held: its snapshot sees the last record the
  // chain's previous holder committed.
  const last = await trx.selectFrom('audit_events').select('hash').where('chain', '=', chain).orderBy('id', 'desc').limit(1).executeTakeFirst();
  const prevHash = last?.hash ?? GENESIS;
  const fields: SealedFields = {
    // A Date has millisecond precision, which timestamptz keeps: the value read back is the value sealed.
    occurred_at: entry.at ?? entry.request?.at ?? systemClock(),
    chain,
    actor_type: entry.actor.type,
    actor_id: entry.actor.type === 'user' ? entry.actor.id : null,
    actor_label: entry.actor.type === 'user' ? null : redactText(entry.actor.label),
    on_behalf_of: entry.actor.type === 'user' ? (entry.actor.onBehalfOf ?? null) : null,
    action: entry.action,
    entity_type: entry.entity.type,
    entity_id: redactText(entry.entity.id),
    changes: redactPersonal(entry.changes),
    request_id: entry.request?.requestId ?? null,
  };
  await trx
    .insertInto('audit_events')
    .values({ ...fields, changes: json(fields.changes), prev_hash: prevHash, hash: auditHash(keys().audit, prevHash, fields) })
    .execute();
}

// --- checkpoints ---------------------------------------------------------------------------------

/** One chain's last record when a checkpoint was made. */
interface ChainHead {
  chain: number;
  id: string;
  hash: string;
}

export type CheckpointKind = 'sealed' | 'periodic';

export interface Checkpoint {
  id: string;
  madeAt: Date;
  /** 'sealed' when the whole trail was (re)sealed under a key: checkpoints before it name the old seals. */
  kind: CheckpointKind;
  reason: string;
  heads: ChainHead[];
  mac: string;
}

function checkpointMac(key: Buffer, checkpoint: Omit<Checkpoint, 'id' | 'mac'>): string {
  return mac(key, JSON.stringify(canonical({ madeAt: checkpoint.madeAt.toISOString(), kind: checkpoint.kind, reason: checkpoint.reason, heads: checkpoint.heads })));
}

async function chainHeads(db: Kysely<Database>): Promise<ChainHead[]> {
  // Ordered by the bigint id (an alias of id as text would sort '99' after '113').
  const rows = await sql<{ chain: number; id: string; hash: string }>`
    select distinct on (chain) chain, id, hash from audit_events order by chain, id desc`.execute(db);
  return rows.rows.map((r) => ({ chain: Number(r.chain), id: String(r.id), hash: r.hash }));
}

/**
 * Records every chain's head, with a MAC over the whole checkpoint. The daily job and `zjhk audit
 * checkpoint` write one; `zjhk audit verify` checks that each head is still there, unchanged.
 */
export async function writeCheckpoint(db: Kysely<Database>, options: { kind?: CheckpointKind; reason: string; key?: Buffer; now?: Date }): Promise<Checkpoint> {
  const key = options.key ?? keys().audit;
  const content = { madeAt: new Date(Math.floor((options.now ?? systemClock()).getTime())), kind: options.kind ?? ('periodic' as const), reason: options.reason, heads: await chainHeads(db) };
  const sealed = checkpointMac(key, content);
  const row = await db
    .insertInto('audit_checkpoints')
    .values({ made_at: content.madeAt, kind: content.kind, reason: content.reason, heads: json(content.heads), mac: sealed })
    .returning('id')
    .executeTakeFirstOrThrow();
  return { id: String(row.id), ...content, mac: sealed };
}

/** The checkpoint as one line of JSON, as an operator publishes it. */
export function publishedCheckpoint(checkpoint: Checkpoint): string {
  return JSON.stringify({ checkpoint: checkpoint.id, madeAt: checkpoint.madeAt.toISOString(), kind: checkpoint.kind, reason: checkpoint.reason, heads: checkpoint.heads, mac: checkpoint.mac });
}

/** The checkpoints made since the trail was last sealed (the only ones the current seals can answer for). */
async function currentCheckpoints(db: Kysely<Database>): Promise<Checkpoint[]> {
  const lastSealed = await db.selectFrom('audit_checkpoints').select('id').where('kind', '=', 'sealed').orderBy('id', 'desc').limit(1).executeTakeFirst();
  let query = db.selectFrom('audit_checkpoints').selectAll().orderBy('id');
  if (lastSealed) query = query.where('id', '>=', lastSealed.id);
  return (await query.execute()).map((r) => ({ id: String(r.id), madeAt: r.made_at, kind: r.kind, reason: r.reason, heads: r.heads as ChainHead[], mac: r.mac }));
}

// --- verification --------------------------------------------------------------------------------

export interface VerifyResult {
  /** Records found intact. */
  checked: number;
  /** Checkpoints whose heads were all found. */
  checkpoints: number;
  /** The first record (or checkpoint) that does not fit, and why. */
  broken?: { id: string; reason: string };
}

/**
 * Walks every chain from its start in id order and recomputes every seal, then checks that every
 * checkpoint since the trail was last sealed is genuine and that each head it names is still there
 * with that seal (so removing records after a checkpoint, or forging the last record, is seen).
 * Names the first broken record: the one with the lowest id among the chains' first breaks.
 */
export async function verifyAuditTrail(db: Kysely<Database>, options: { key?: Buffer; batch?: number } = {}): Promise<VerifyResult> {
  const key = options.key ?? keys().audit;
  const batch = options.batch ?? 1_000;
  const checkpoints = await currentCheckpoints(db);
  const chains = (await db.selectFrom('audit_events').select('chain').distinct().execute()).map((r) => Number(r.chain));
  for (const c of checkpoints) for (const head of c.heads) if (!chains.includes(head.chain)) chains.push(head.chain);
  let checked = 0;
  const breaks: { id: string; reason: string }[] = [];
  const brokenAt = new Map<number, bigint>();
  const seen = new Map<string, string>();
  const wanted = new Set(checkpoints.flatMap((c) => c.heads.map((h) => h.id)));
  for (const chain of chains.sort((a, b) => a - b)) {
    let prevHash = GENESIS;
    let after = '0';
    walk: for (;;) {
      const rows = await db.selectFrom('audit_events').selectAll().where('chain', '=', chain).where(sql<boolean>`id > ${after}::bigint`).orderBy('id').limit(batch).execute();
      if (rows.length === 0) break;
      for (const row of rows) {
        const id = String(row.id);
        if (row.prev_hash !== prevHash) {
          breaks.push({ id, reason: 'it does not follow the record before it in its chain (a record was removed or reordered)' });
          brokenAt.set(chain, BigInt(id));
          break walk;
        }
        const { id: _id, prev_hash: _prev, hash, ...fields } = row;
        if (!sameMac(auditHash(key, prevHash, fields as SealedFields), hash)) {
          breaks.push({ id, reason: 'its content does not match its seal (the record was edited, forged, or sealed with another key)' });
          brokenAt.set(chain, BigInt(id));
          break walk;
        }
        if (wanted.has(id)) seen.set(id, hash);
        prevHash = hash;
        checked += 1;
        after = id;
      }
    }
  }
  let intactCheckpoints = 0;
  for (const c of checkpoints) {
    if (!sameMac(checkpointMac(key, c), c.mac)) {
      breaks.push({ id: `checkpoint ${c.id}`, reason: `checkpoint ${c.id} does not match its MAC (it was forged or altered)` });
      continue;
    }
    let intact = true;
    for (const head of c.heads) {
      const found = seen.get(head.id);
      if (found === undefined) {
        // A head past a chain's first break is reported by that break already.
        const chainBroken = brokenAt.get(head.chain);
        if (chainBroken === undefined || chainBroken > BigInt(head.id)) {
          breaks.push({ id: head.id, reason: `record ${head.id}, the last of chain ${head.chain} at checkpoint ${c.id} (${c.madeAt.toISOString()}), is missing: the trail was cut short` });
        }
        intact = false;
      } else if (found !== head.hash) {
        breaks.push({ id: head.id, reason: `record ${head.id} differs from what checkpoint ${c.id} (${c.madeAt.toISOString()}) recorded of it (the record was replaced)` });
        intact = false;
      }
    }
    if (intact) intactCheckpoints += 1;
  }
  if (breaks.length === 0) return { checked, checkpoints: intactCheckpoints };
  const order = (b: { id: string }): bigint => (/^\d+$/.test(b.id) ? BigInt(b.id) : BigInt(Number.MAX_SAFE_INTEGER) * 1024n);
  breaks.sort((a, b) => (order(a) < order(b) ? -1 : order(a) > order(b) ? 1 : 0));
  return { checked, checkpoints: intactCheckpoints, broken: breaks[0] as { id: string; reason: string } };
}

// --- sealing the whole trail again ---------------------------------------------------------------

/**
 * Recomputes every record's seal under `key`, chain by chain in id order. The append-only trigger is
 * lifted for this transaction only (the table is locked against writers until it commits).
 */
export async function resealAuditTrail(trx: Kysely<Database>, key: Buffer, batch = 1_000): Promise<number> {
  await sql`lock table audit_events in exclusive mode`.execute(trx);
  await sql`alter table audit_events disable trigger audit_events_no_change`.execute(trx);
  let sealed = 0;
  const chains = (await trx.selectFrom('audit_events').select('chain').distinct().execute()).map((r) => Number(r.chain)).sort((a, b) => a - b);
  for (const chain of chains) {
    let prevHash = GENESIS;
    let after = '0';
    for (;;) {
      const rows = await trx.selectFrom('audit_events').selectAll().where('chain', '=', chain).where(sql<boolean>`id > ${after}::bigint`).orderBy('id').limit(batch).execute();
      if (rows.length === 0) break;
      const ids: string[] = [];
      const prevs: string[] = [];
      const hashes: string[] = [];
      for (const row of rows) {
        const { id, prev_hash: _prev, hash: _hash, ...fields } = row;
        const hash = auditHash(key, prevHash, fields as SealedFields);
        ids.push(String(id));
        prevs.push(prevHash);
        hashes.push(hash);
        prevHash = hash;
        after = String(id);
      }
      await sql`
        update audit_events a set prev_hash = v.prev_hash, hash = v.hash
        from unnest(${ids}::bigint[], ${prevs}::text[], ${hashes}::text[]) as v(id, prev_hash, hash)
        where a.id = v.id`.execute(trx);
      sealed += rows.length;
    }
  }
  await sql`alter table audit_events enable trigger audit_events_no_change`.execute(trx);
  return sealed;
}

/**
 * Re-keys the trail when the secret key changes: verifies the whole trail under the old key (and
 * refuses if it is broken: re-sealing would hide the break), seals it again under the new key, and
 * records that as a checkpoint. Run inside one transaction.
 */
export async function rekeyAuditTrail(trx: Transaction<Database>, from: Keys, to: Keys, reason = 'the secret key was rotated'): Promise<Checkpoint> {
  const before = await verifyAuditTrail(trx, { key: from.audit });
  if (before.broken) throw new Error(`the audit trail is broken at ${before.broken.id} under the old key (${before.broken.reason}); it was not re-keyed`);
  await resealAuditTrail(trx, to.audit);
  return await writeCheckpoint(trx, { kind: 'sealed', reason, key: to.audit });
}

/**
 * Checks a checkpoint published earlier (the line `zjhk audit checkpoint` printed) against the trail:
 * its MAC under the current key, unless the trail was sealed again since, and that every head it
 * names is still there, with the same seal unless the trail was sealed again since. This catches a
 * trail cut short together with its checkpoints table.
 */
export async function checkPublishedCheckpoint(db: Kysely<Database>, line: string, options: { key?: Buffer } = {}): Promise<{ ok: true; heads: number } | { ok: false; reason: string }> {
  let parsed: { checkpoint?: unknown; madeAt?: unknown; kind?: unknown; reason?: unknown; heads?: unknown; mac?: unknown };
  try {
    parsed = JSON.parse(line) as typeof parsed;
  } catch {
    return { ok: false, reason: 'the published checkpoint is not the JSON line `zjhk audit checkpoint` printed' };
  }
  const heads = parsed.heads;
  if (
    typeof parsed.madeAt !== 'string' ||
    Number.isNaN(Date.parse(parsed.madeAt)) ||
    (parsed.kind !== 'sealed' && parsed.kind !== 'periodic') ||
    typeof parsed.reason !== 'string' ||
    typeof parsed.mac !== 'string' ||
    !Array.isArray(heads) ||
    !heads.every((h) => h && typeof h.chain === 'number' && typeof h.id === 'string' && /^\d+$/.test(h.id) && typeof h.hash === 'string')
  ) {
    return { ok: false, reason: 'the published checkpoint lacks madeAt, kind, reason, heads or mac' };
  }
  const checkpoint = { madeAt: new Date(parsed.madeAt), kind: parsed.kind as CheckpointKind, reason: parsed.reason, heads: heads as ChainHead[] };
  const resealedSince = await db.selectFrom('audit_checkpoints').select('id').where('kind', '=', 'sealed').where('made_at', '>', checkpoint.madeAt).limit(1).executeTakeFirst();
  if (!resealedSince && !sameMac(checkpointMac(options.key ?? keys().audit, checkpoint), parsed.mac)) {
    return { ok: false, reason: 'the published checkpoint does not match its MAC under this installation’s key' };
  }
  for (const head of checkpoint.heads) {
    const row = await db.selectFrom('audit_events').select(['hash', 'chain']).where('id', '=', head.id).executeTakeFirst();
    if (!row || Number(row.chain) !== head.chain) return { ok: false, reason: `record ${head.id}, the last of chain ${head.chain} when the checkpoint was made, is missing: the trail was cut short` };
    if (!resealedSince && row.hash !== head.hash) return { ok: false, reason: `record ${head.id} differs from what the checkpoint recorded of it (the record was replaced)` };
  }
  return { ok: true, heads: checkpoint.heads.length };
}

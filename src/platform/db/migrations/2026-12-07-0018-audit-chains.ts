import { type Kysely, sql } from 'kysely';
import { type Changes, redactPersonal, redactText, resealAuditTrail, writeCheckpoint } from '../../audit/audit.ts';
import { canonical } from '../../canonical.ts';
import { keys } from '../../secrets.ts';
import type { Database } from '../schema.ts';

/**
 * The audit trail without personal data, in keyed chains, anchored by checkpoints:
 * - records belong to one of several chains (a transaction appends to one), so that audited writes
 *   no longer queue behind one lock;
 * - a person is recorded by internal id only: the email address that used to label them is removed,
 *   as are personal fields in the changes and the request's IP address (the request id stays);
 * - the whole trail is sealed again with an HMAC under the secret key's audit subkey, and that
 *   re-sealing is recorded as the first checkpoint.
 * Runs with the secret key installed (the start-up and the tests install it before migrating).
 */
export async function up(untyped: Kysely<unknown>): Promise<void> {
  const db = untyped as unknown as Kysely<Database>;
  await sql`alter table audit_events add column chain smallint not null default 0 check (chain >= 0)`.execute(db);
  await sql`alter table audit_events alter column chain drop default`.execute(db);
  await sql`alter table audit_events alter column actor_label drop not null`.execute(db);
  await sql`create index audit_events_chain on audit_events (chain, id)`.execute(db);

  await sql`
    create table audit_checkpoints (
      id bigint generated always as identity primary key,
      made_at timestamptz not null,
      kind text not null check (kind in ('sealed', 'periodic')),
      reason text not null,
      heads jsonb not null,
      mac text not null
    )`.execute(db);
  await sql`
    create function audit_checkpoints_append_only() returns trigger language plpgsql as $$
    begin
      raise exception 'audit_checkpoints is append-only: % is not allowed', tg_op using errcode = 'insufficient_privilege';
    end
    $$`.execute(db);
  await sql`create trigger audit_checkpoints_no_change before update or delete on audit_checkpoints for each row execute function audit_checkpoints_append_only()`.execute(db);
  await sql`create trigger audit_checkpoints_no_truncate before truncate on audit_checkpoints for each statement execute function audit_checkpoints_append_only()`.execute(db);

  // Personal data out of the existing records, once (the trigger is lifted for this transaction only).
  await sql`alter table audit_events disable trigger audit_events_no_change`.execute(db);
  let redacted = 0;
  let after = '0';
  for (;;) {
    const rows = (
      await sql<{ id: string; actor_type: string; actor_label: string | null; entity_id: string; changes: Changes; ip: string | null }>`
        select id::text as id, actor_type, actor_label, entity_id, changes, ip from audit_events where id > ${after}::bigint order by id limit 1000`.execute(db)
    ).rows;
    if (rows.length === 0) break;
    after = rows[rows.length - 1]?.id as string;
    const ids: string[] = [];
    const labels: (string | null)[] = [];
    const entityIds: string[] = [];
    const changes: string[] = [];
    for (const row of rows) {
      const label = redactLabel(row.actor_type, row.actor_label);
      const entityId = redactText(row.entity_id);
      const cleaned = JSON.stringify(canonical(redactPersonal(row.changes ?? {})));
      if (label === row.actor_label && entityId === row.entity_id && cleaned === JSON.stringify(canonical(row.changes)) && row.ip === null) continue;
      ids.push(row.id);
      labels.push(label);
      entityIds.push(entityId);
      changes.push(cleaned);
    }
    if (ids.length === 0) continue;
    await sql`
      update audit_events a set actor_label = v.label, entity_id = v.entity_id, changes = v.changes::jsonb
      from unnest(${ids}::bigint[], ${labels}::text[], ${entityIds}::text[], ${changes}::text[]) as v(id, label, entity_id, changes)
      where a.id = v.id`.execute(db);
    redacted += ids.length;
  }
  await sql`alter table audit_events enable trigger audit_events_no_change`.execute(db);
  await sql`alter table audit_events drop column ip`.execute(db);

  const sealed = await resealAuditTrail(db, keys().audit);
  await writeCheckpoint(db, {
    kind: 'sealed',
    reason: `migration 2026-12-07-0018: personal data removed from ${redacted} of ${sealed} records (people's addresses, personal fields, request IP addresses); the trail sealed with the secret key`,
  });
}

/**
 * A person is named by id only; a command keeps its name and host but not the account that ran it
 * (nor a name given with --by); the system's labels are fixed words.
 */
function redactLabel(actorType: string, label: string | null): string | null {
  if (actorType === 'user') return null;
  if (actorType === 'command') {
    const command = /zjhk [a-z][\w-]*/.exec(label ?? '')?.[0];
    const host = /\([^()@\s]+@([^()\s]+)\)\)?$/.exec(label ?? '')?.[1];
    return command ? `${command}${host ? ` (${host})` : ''}` : 'command';
  }
  return label === null ? null : redactText(label);
}

export async function down(): Promise<void> {
  throw new Error('2026-12-07-0018-audit-chains cannot be undone: the personal data it removed is gone');
}

import { type Kysely, sql } from 'kysely';
import type { Principal } from '../../platform/auth/roles.ts';
import { type AuditSubjects, visibleSubjects } from '../../platform/audit/subjects.ts';
import type { Database } from '../../platform/db/schema.ts';

export interface AuditFilter {
  actor?: string | undefined;
  action?: string | undefined;
  entity?: string | undefined;
  from?: string | undefined;
  to?: string | undefined;
}

const AUDIT_PAGE_SIZE = 50;

/**
 * A page of the audit trail, newest first, filtered, with only the entries whose subject the person
 * may see (each module declares its subjects). `before` is the id to continue from.
 */
export async function findAuditEvents(db: Kysely<Database>, viewer: { principal: Principal; subjects: AuditSubjects }, filter: AuditFilter, before?: string) {
  let query = db
    .selectFrom('audit_events')
    .select(['id', 'occurred_at', 'actor_type', 'actor_id', 'actor_label', 'on_behalf_of', 'action', 'entity_type', 'entity_id', 'changes', 'request_id'])
    .where(visibleSubjects(viewer.subjects, db, viewer.principal))
    .orderBy('id', 'desc')
    .limit(AUDIT_PAGE_SIZE + 1);
  if (filter.actor) {
    const actor = filter.actor.trim();
    query = query.where((eb) => eb.or([eb('actor_id', '=', actor), eb('actor_label', 'ilike', `%${actor.replace(/[%_\\]/g, '\\$&')}%`)]));
  }
  if (filter.action) query = query.where('action', 'like', `${filter.action.replace(/[%_\\]/g, '\\$&')}%`);
  if (filter.entity) {
    const [type, id] = filter.entity.split(':');
    if (type) query = query.where('entity_type', '=', type);
    if (id) query = query.where('entity_id', '=', id);
  }
  if (filter.from) query = query.where('occurred_at', '>=', new Date(`${filter.from}T00:00:00+08:00`));
  if (filter.to) query = query.where('occurred_at', '<', sql<Date>`${`${filter.to}T00:00:00+08:00`}::timestamptz + interval '1 day'`);
  if (before) query = query.where(sql<boolean>`id < ${before}::bigint`);
  const rows = await query.execute();
  return { rows: rows.slice(0, AUDIT_PAGE_SIZE), more: rows.length > AUDIT_PAGE_SIZE };
}

export async function findOutbox(db: Kysely<Database>, limit = 100) {
  return await db
    .selectFrom('mail_outbox')
    .select(['id', 'to_address', 'locale', 'subject', 'text_body', 'state', 'attempts', 'last_error', 'created_at', 'sent_at', 'purged_at'])
    // The attachments' names only: their content stays in the outbox.
    .select(sql<string[]>`coalesce((select jsonb_agg(a->>'filename') from jsonb_array_elements(attachments) a), '[]'::jsonb)`.as('attachment_names'))
    .orderBy('id', 'desc')
    .limit(limit)
    .execute();
}

import type { Expression, ExpressionBuilder, Kysely, SelectQueryBuilder, SqlBool } from 'kysely';
import type { Principal } from '../auth/roles.ts';
import type { Database } from '../db/schema.ts';

/**
 * Which records of one entity type a person may see in the audit trail: all of them, none, or those
 * whose id (the trail's entity_id) a query returns, as a column named `id`.
 */
// The query may read any tables (`any`): only its one column matters.
// biome-ignore lint/suspicious/noExplicitAny: a query over any tables, of which only the id column is read
type AuditSubjectRule = 'all' | 'none' | SelectQueryBuilder<Database, any, { id: string }>;

/**
 * A module's declaration, per entity type it writes to the trail whose records carry or point at
 * personal data (enquiries, accounts, registrations …): which of them a person may see. An entry of
 * the audit page is shown only to those who may see its subject; entity types no module declares
 * (actions, articles, calendars …) are shown to everyone who may browse the trail.
 */
export type AuditSubjects = Record<string, (db: Kysely<Database>, principal: Principal) => AuditSubjectRule>;

/** The condition on audit_events that keeps the entries whose subject the person may see. */
export function visibleSubjects(subjects: AuditSubjects, db: Kysely<Database>, principal: Principal) {
  return (eb: ExpressionBuilder<Database, 'audit_events'>): Expression<SqlBool> => {
    const declared = Object.keys(subjects);
    const shown: Expression<SqlBool>[] = [];
    if (declared.length > 0) shown.push(eb('entity_type', 'not in', declared));
    else shown.push(eb.lit(true));
    const all: string[] = [];
    for (const [type, rule] of Object.entries(subjects)) {
      const answer = rule(db, principal);
      if (answer === 'all') all.push(type);
      else if (answer !== 'none') shown.push(eb.and([eb('entity_type', '=', type), eb('entity_id', 'in', answer)]));
    }
    if (all.length > 0) shown.push(eb('entity_type', 'in', all));
    return eb.or(shown);
  };
}

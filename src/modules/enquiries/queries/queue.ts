// The queue: the cases a person handles, as a list and as counts.
import { type ExpressionBuilder, type Kysely, sql, type Transaction } from 'kysely';
import type { Database } from '../../../platform/db/schema.ts';
import type { EnquiryState, EnquiryType } from '../tables.ts';

type Q = Kysely<Database> | Transaction<Database>;

export interface QueueFilter {
  /** Cases handled by these agencies (officers). */
  agencyIds?: string[];
  /** Cases of this side (coordinators), and every case with the coordinators. */
  sides?: ('hong-kong' | 'zhejiang')[];
  withCoordinators?: boolean;
  state?: EnquiryState | undefined;
  type?: EnquiryType | undefined;
  /** Open cases due before this day. */
  overdueOn?: string | undefined;
}

export interface QueueRow {
  id: number;
  reference: string;
  type: EnquiryType;
  topicKey: string;
  subject: string | null;
  agencyId: string | null;
  state: EnquiryState;
  receivedOn: string;
  dueOn: string;
  escalated: boolean;
}

/**
 * One predicate per place the person looks (their agencies, their side, the coordinators' tray),
 * joined with OR: each matches an index that leads with it, and the database can combine them.
 */
function scoped(filter: QueueFilter) {
  return (eb: ExpressionBuilder<Database, 'enquiries'>) => {
    const places = [];
    if (filter.agencyIds?.length) places.push(eb('agency_id', 'in', filter.agencyIds));
    if (filter.sides?.length) places.push(eb('side', 'in', filter.sides));
    if (filter.withCoordinators) places.push(eb('state', '=', 'with-coordinators'));
    const conditions = [places.length ? eb.or(places) : sql<boolean>`false`];
    if (filter.state) conditions.push(eb('state', '=', filter.state));
    else conditions.push(eb('state', '<>', 'closed'));
    if (filter.type) conditions.push(eb('type', '=', filter.type));
    if (filter.overdueOn) conditions.push(eb.and([eb('due_on', '<', filter.overdueOn), eb('state', '=', 'open')]));
    return eb.and(conditions);
  };
}

/**
 * The references of the cases a person may open (the rule `enquiry.view` in SQL): those handled by
 * their agencies, their side's, and, for coordinators, those with the coordinators. The audit page
 * shows a case's entries only to them.
 */
export function visibleCaseReferences(db: Kysely<Database>, who: { agencyIds: string[]; sides: ('hong-kong' | 'zhejiang')[]; coordinator: boolean }) {
  return db
    .selectFrom('enquiries')
    .select('reference as id')
    .where((eb) => {
      const places = [];
      if (who.agencyIds.length) places.push(eb('agency_id', 'in', who.agencyIds));
      if (who.sides.length) places.push(eb('side', 'in', who.sides));
      if (who.coordinator) places.push(eb('state', '=', 'with-coordinators'));
      return places.length ? eb.or(places) : sql<boolean>`false`;
    });
}

/** A page of the queue, soonest due first (closed cases: most recently closed first). */
export async function findQueue(db: Q, filter: QueueFilter, page: { limit: number; offset: number }): Promise<QueueRow[]> {
  let query = db.selectFrom('enquiries').select(['id', 'reference', 'type', 'topic_key', 'subject', 'agency_id', 'state', 'received_on', 'due_on', 'escalated_at']).where(scoped(filter));
  query = filter.state === 'closed' ? query.orderBy('closed_on', 'desc').orderBy('id', 'desc') : query.orderBy('due_on').orderBy('id');
  const rows = await query.limit(page.limit).offset(page.offset).execute();
  return rows.map((r) => ({
    id: r.id,
    reference: r.reference,
    type: r.type,
    topicKey: r.topic_key,
    subject: r.subject,
    agencyId: r.agency_id,
    state: r.state,
    receivedOn: r.received_on,
    dueOn: r.due_on,
    escalated: r.escalated_at !== null,
  }));
}

/** How many cases the filter finds. */
export async function countQueue(db: Q, filter: QueueFilter): Promise<number> {
  const row = await db.selectFrom('enquiries').select(sql<string>`count(*)`.as('n')).where(scoped(filter)).executeTakeFirstOrThrow();
  return Number(row.n);
}

/** The counts above the queue: open cases per state, and how many are overdue. */
export async function countOpenByState(db: Q, filter: Pick<QueueFilter, 'agencyIds' | 'sides' | 'withCoordinators'>, today: string): Promise<Record<EnquiryState | 'overdue', number>> {
  const rows = await db
    .selectFrom('enquiries')
    .select(['state', sql<string>`count(*)`.as('n'), sql<string>`count(*) filter (where state = 'open' and due_on < ${today})`.as('overdue')])
    .where(scoped(filter))
    .groupBy('state')
    .execute();
  const counts = { open: 0, 'awaiting-citizen': 0, 'with-coordinators': 0, closed: 0, overdue: 0 };
  for (const r of rows) {
    counts[r.state] = Number(r.n);
    counts.overdue += Number(r.overdue);
  }
  return counts;
}

/** A signed-in person's own cases, newest first. */
export async function findEnquiriesOfUser(db: Q, userId: string): Promise<QueueRow[]> {
  const rows = await db
    .selectFrom('enquiries')
    .select(['id', 'reference', 'type', 'topic_key', 'subject', 'agency_id', 'state', 'received_on', 'due_on', 'escalated_at'])
    .where('user_id', '=', userId)
    .orderBy('id', 'desc')
    .limit(200)
    .execute();
  return rows.map((r) => ({
    id: r.id,
    reference: r.reference,
    type: r.type,
    topicKey: r.topic_key,
    subject: r.subject,
    agencyId: r.agency_id,
    state: r.state,
    receivedOn: r.received_on,
    dueOn: r.due_on,
    escalated: r.escalated_at !== null,
  }));
}

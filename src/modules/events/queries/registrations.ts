// Registrations: people's places on an occurrence, the waitlist, their answers.
import { sql, type Transaction } from 'kysely';
import { insertNumbered, referenceNumber } from '../../../platform/db/reference.ts';
import type { Database } from '../../../platform/db/schema.ts';
import type { RegistrationLocale, RegistrationState } from '../tables.ts';
import { anyOf, type Q } from './common.ts';

/** Registration states that hold a place. */
const HOLDING: readonly RegistrationState[] = ['confirmed', 'attended'];
/** Registration states that still count as the person's registration (a new one is refused). */
export const ACTIVE: readonly RegistrationState[] = ['pending', 'confirmed', 'waitlisted', 'attended'];

export interface Registration {
  id: number;
  reference: string;
  occurrenceId: number;
  userId: string;
  state: RegistrationState;
  locale: RegistrationLocale;
  answers: Record<string, string>;
  checkInCode: string;
  rejectReason: string | null;
  createdAt: Date;
  waitlistedAt: Date | null;
  decidedAt: Date | null;
  cancelledAt: Date | null;
  checkedInAt: Date | null;
  remindedAt: Date | null;
  /** The person, as their account says. */
  name: string;
  email: string;
}

function registrationsQuery(db: Q) {
  return db
    .selectFrom('event_registrations as r')
    .innerJoin('users as u', 'u.id', 'r.user_id')
    .select([
      'r.id',
      'r.reference',
      'r.occurrence_id',
      'r.user_id',
      'r.state',
      'r.locale',
      'r.answers',
      'r.check_in_code',
      'r.reject_reason',
      'r.created_at',
      'r.waitlisted_at',
      'r.decided_at',
      'r.cancelled_at',
      'r.checked_in_at',
      'r.reminded_at',
      'u.display_name',
      'u.email',
    ]);
}

type RegistrationRow = Awaited<ReturnType<ReturnType<typeof registrationsQuery>['executeTakeFirstOrThrow']>>;

function toRegistration(r: RegistrationRow): Registration {
  return {
    id: r.id,
    reference: r.reference,
    occurrenceId: r.occurrence_id,
    userId: r.user_id,
    state: r.state,
    locale: r.locale,
    answers: r.answers,
    checkInCode: r.check_in_code,
    rejectReason: r.reject_reason,
    createdAt: r.created_at,
    waitlistedAt: r.waitlisted_at,
    decidedAt: r.decided_at,
    cancelledAt: r.cancelled_at,
    checkedInAt: r.checked_in_at,
    remindedAt: r.reminded_at,
    name: r.display_name,
    email: r.email,
  };
}

export interface RegistrationFilter {
  occurrenceIds?: readonly number[];
  userIds?: readonly string[];
  references?: readonly string[];
  checkInCodes?: readonly string[];
  states?: readonly RegistrationState[];
}

/** Registrations in the order they came: the waitlist's order is by `waitlisted_at`, then id. */
export async function findRegistrations(db: Q, f: RegistrationFilter): Promise<Registration[]> {
  if (Object.values(f).some((list) => list.length === 0)) return [];
  let q = registrationsQuery(db);
  if (f.occurrenceIds) q = q.where('r.occurrence_id', '=', anyOf(f.occurrenceIds));
  if (f.userIds) q = q.where('r.user_id', '=', anyOf(f.userIds));
  if (f.references) q = q.where('r.reference', '=', anyOf(f.references));
  if (f.checkInCodes) q = q.where('r.check_in_code', '=', anyOf(f.checkInCodes));
  if (f.states) q = q.where('r.state', '=', anyOf(f.states).$castTo<RegistrationState>());
  const rows = await q.orderBy('r.created_at').orderBy('r.id').execute();
  return rows.map(toRegistration);
}

export async function findRegistration(db: Q, reference: string): Promise<Registration | undefined> {
  return (await findRegistrations(db, { references: [reference] }))[0];
}

/** Registrations of an occurrence per state. */
export async function countRegistrations(db: Q, occurrenceIds: readonly number[]): Promise<Map<number, Record<RegistrationState, number>>> {
  const out = new Map<number, Record<RegistrationState, number>>();
  if (occurrenceIds.length === 0) return out;
  const rows = await db
    .selectFrom('event_registrations')
    .select(['occurrence_id', 'state', sql<number>`count(*)::int`.as('n')])
    .where('occurrence_id', '=', anyOf(occurrenceIds))
    .groupBy(['occurrence_id', 'state'])
    .execute();
  for (const id of occurrenceIds) out.set(id, { pending: 0, confirmed: 0, waitlisted: 0, cancelled: 0, attended: 0, rejected: 0 });
  for (const r of rows) (out.get(r.occurrence_id) as Record<RegistrationState, number>)[r.state] = r.n;
  return out;
}

export async function insertRegistration(
  trx: Transaction<Database>,
  r: { occurrenceId: number; userId: string; state: RegistrationState; locale: RegistrationLocale; answers: Record<string, string>; checkInCode: string; year: number; now: Date },
): Promise<{ id: number; reference: string }> {
  // ZJHK-R-2026-000123 for registrations.
  const insert = (reference: string) =>
    trx
      .insertInto('event_registrations')
      .values({
        reference,
        occurrence_id: r.occurrenceId,
        user_id: r.userId,
        state: r.state,
        locale: r.locale,
        answers: JSON.stringify(r.answers),
        check_in_code: r.checkInCode,
        created_at: r.now,
        waitlisted_at: r.state === 'waitlisted' ? r.now : null,
      })
      .returning('id')
      .executeTakeFirstOrThrow();
  return insertNumbered(trx, 'event_registrations', insert, (id) => referenceNumber('ZJHK-R', r.year, id, 6));
}

export interface RegistrationChanges {
  state: RegistrationState;
  locale?: RegistrationLocale;
  answers?: Record<string, string>;
  rejectReason?: string | null;
  waitlistedAt?: Date | null;
  decidedAt?: Date | null;
  decidedBy?: string | null;
  cancelledAt?: Date | null;
  checkedInAt?: Date | null;
  checkedInBy?: string | null;
}

/** Moves a registration from one of the expected states; false if it was in none of them (someone else acted first). */
export async function moveRegistration(db: Q, id: number, from: readonly RegistrationState[], c: RegistrationChanges): Promise<boolean> {
  const result = await db
    .updateTable('event_registrations')
    .set({
      state: c.state,
      ...(c.locale !== undefined ? { locale: c.locale } : {}),
      ...(c.answers !== undefined ? { answers: JSON.stringify(c.answers) } : {}),
      ...(c.rejectReason !== undefined ? { reject_reason: c.rejectReason } : {}),
      ...(c.waitlistedAt !== undefined ? { waitlisted_at: c.waitlistedAt } : {}),
      ...(c.decidedAt !== undefined ? { decided_at: c.decidedAt } : {}),
      ...(c.decidedBy !== undefined ? { decided_by: c.decidedBy } : {}),
      ...(c.cancelledAt !== undefined ? { cancelled_at: c.cancelledAt } : {}),
      ...(c.checkedInAt !== undefined ? { checked_in_at: c.checkedInAt } : {}),
      ...(c.checkedInBy !== undefined ? { checked_in_by: c.checkedInBy } : {}),
    })
    .where('id', '=', id)
    .where('state', '=', anyOf(from))
    .executeTakeFirst();
  return Number(result.numUpdatedRows) === 1;
}

/** Places held on an occurrence (confirmed and attended). */
export async function countHeld(db: Q, occurrenceId: number): Promise<number> {
  const row = await db
    .selectFrom('event_registrations')
    .select(sql<number>`count(*)::int`.as('n'))
    .where('occurrence_id', '=', occurrenceId)
    .where('state', '=', anyOf(HOLDING))
    .executeTakeFirstOrThrow();
  return row.n;
}

/** The first `n` on the waitlist: the earliest to join first. */
export async function firstWaitlisted(db: Q, occurrenceId: number, n: number): Promise<Registration[]> {
  if (n <= 0) return [];
  const rows = await registrationsQuery(db).where('r.occurrence_id', '=', occurrenceId).where('r.state', '=', 'waitlisted').orderBy('r.waitlisted_at').orderBy('r.id').limit(n).execute();
  return rows.map(toRegistration);
}

/**
 * The question keys registrants of an event have ever answered: a new question never takes one of
 * them, so old answers are never read as answers to it.
 */
export async function answeredKeys(db: Q, eventId: number): Promise<string[]> {
  const rows = await db
    .selectFrom('event_registrations as r')
    .innerJoin('event_occurrences as o', 'o.id', 'r.occurrence_id')
    .select(sql<string>`jsonb_object_keys(r.answers)`.as('key'))
    .distinct()
    .where('o.event_id', '=', eventId)
    .execute();
  return rows.map((r) => r.key);
}

/**
 * Clears the answers to the organisers' questions and the reasons for rejection of registrations for
 * dates that ended before `endedBefore` (the purge of personal data): who registered and whether they
 * came stay, for the attendance the commitments' indicators count. Returns how many were cleared.
 */
export async function clearPastRegistrationAnswers(db: Q, endedBefore: Date): Promise<number> {
  const result = await db
    .updateTable('event_registrations')
    // A rejection keeps an (empty) reason: the row's rule wants one.
    .set({ answers: '{}', reject_reason: sql<string | null>`case when reject_reason is null then null else '' end` })
    .where('occurrence_id', 'in', (q) => q.selectFrom('event_occurrences').select('id').where('ends_at', '<', endedBefore))
    .where((eb) => eb.or([eb(sql`answers`, '<>', sql`'{}'::jsonb`), eb('reject_reason', '<>', '')]))
    .executeTakeFirst();
  return Number(result.numUpdatedRows);
}

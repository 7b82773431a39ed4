// People to tell: the officers and coordinators a case concerns, and the daily digests they get.
import type { Kysely, Transaction } from 'kysely';
import type { Database } from '../../../platform/db/schema.ts';
import type { EnquiryLocale } from '../tables.ts';

type Q = Kysely<Database> | Transaction<Database>;

export interface Recipient {
  userId: string;
  email: string;
  name: string;
  locale: EnquiryLocale;
  /** The agencies (officers) or coordinating organisations they act for here, and their sides. */
  organisationIds: string[];
  sides: ('hong-kong' | 'zhejiang' | 'other')[];
}

/** Active officers and coordinators with a verified address, of some agencies or of some sides' coordinators. */
export async function findStaff(db: Q, who: { officersOf?: string[]; coordinatorsOf?: ('hong-kong' | 'zhejiang')[] }): Promise<Recipient[]> {
  const officers = who.officersOf ?? [];
  const sides = who.coordinatorsOf ?? [];
  if (officers.length === 0 && sides.length === 0) return [];
  const rows = await db
    .selectFrom('users as u')
    .innerJoin('user_roles as r', 'r.user_id', 'u.id')
    .innerJoin('organisations as o', 'o.id', 'r.organisation_id')
    .select(['u.id', 'u.email', 'u.display_name', 'u.locale', 'r.organisation_id', 'o.side'])
    .where('u.disabled_at', 'is', null)
    .where('u.email_verified_at', 'is not', null)
    .where((eb) =>
      eb.or([
        ...(officers.length ? [eb.and([eb('r.role', '=', 'agency-officer'), eb('r.organisation_id', 'in', officers)])] : []),
        ...(sides.length ? [eb.and([eb('r.role', '=', 'custodian-coordinator'), eb('o.side', 'in', sides)])] : []),
      ]),
    )
    .orderBy('u.id')
    .execute();
  const people = new Map<string, Recipient>();
  for (const r of rows) {
    const person = people.get(r.id) ?? { userId: r.id, email: r.email, name: r.display_name, locale: r.locale, organisationIds: [], sides: [] };
    person.organisationIds.push(r.organisation_id as string);
    if (!person.sides.includes(r.side)) person.sides.push(r.side);
    people.set(r.id, person);
  }
  return [...people.values()];
}

/** Claims a person's digest for a day; false when they had it already. */
export async function claimDigest(db: Q, userId: string, day: string): Promise<boolean> {
  const row = await db
    .insertInto('enquiry_digests')
    .values({ user_id: userId, sent_on: day })
    .onConflict((oc) => oc.doNothing())
    .returning('user_id')
    .executeTakeFirst();
  return row !== undefined;
}

/** Deletes the record of which officer got a deadline digest on which day, for days before `before` ('YYYY-MM-DD'): it only stops a second digest the same day. */
export async function deleteDigestsBefore(db: Q, before: string): Promise<number> {
  const result = await db.deleteFrom('enquiry_digests').where('sent_on', '<', before).executeTakeFirst();
  return Number(result.numDeletedRows);
}

// Topics: what a case is about, and the agency each is routed to.
import type { Kysely, Transaction } from 'kysely';
import { canonical } from '../../../platform/canonical.ts';
import { json } from '../../../platform/db/index.ts';
import type { Database } from '../../../platform/db/schema.ts';
import type { LocalizedText } from '../../../platform/i18n/locales.ts';

type Q = Kysely<Database> | Transaction<Database>;

export interface Topic {
  key: string;
  name: LocalizedText;
  category: string | null;
  agencyId: string;
  defaultAgencyId: string;
  position: number;
}

export async function findTopics(db: Q): Promise<Topic[]> {
  const rows = await db.selectFrom('enquiry_topics').select(['key', 'name', 'category', 'agency_id', 'default_agency_id', 'position']).orderBy('position').execute();
  return rows.map((r) => ({ key: r.key, name: r.name, category: r.category, agencyId: r.agency_id, defaultAgencyId: r.default_agency_id, position: r.position }));
}

/**
 * Loads a topic from the reference file: a new topic is routed to the file's agency; an existing one
 * follows a changed default only if nobody changed its routing on the platform.
 */
export async function upsertTopic(db: Q, t: Omit<Topic, 'agencyId'>): Promise<'created' | 'updated' | 'unchanged'> {
  const existing = (await findTopics(db)).find((x) => x.key === t.key);
  if (!existing) {
    await db
      .insertInto('enquiry_topics')
      .values({ key: t.key, name: json(t.name), category: t.category, agency_id: t.defaultAgencyId, default_agency_id: t.defaultAgencyId, position: t.position })
      .execute();
    return 'created';
  }
  const same =
    JSON.stringify(canonical(existing.name)) === JSON.stringify(canonical(t.name)) &&
    existing.category === t.category &&
    existing.defaultAgencyId === t.defaultAgencyId &&
    existing.position === t.position;
  if (same) return 'unchanged';
  await db
    .updateTable('enquiry_topics')
    .set({
      name: json(t.name),
      category: t.category,
      position: t.position,
      default_agency_id: t.defaultAgencyId,
      ...(existing.agencyId === existing.defaultAgencyId ? { agency_id: t.defaultAgencyId } : {}),
    })
    .where('key', '=', t.key)
    .execute();
  return 'updated';
}

export async function setTopicAgency(db: Q, key: string, agencyId: string, userId: string | null, now: Date): Promise<void> {
  await db.updateTable('enquiry_topics').set({ agency_id: agencyId, updated_by: userId, updated_at: now }).where('key', '=', key).execute();
}

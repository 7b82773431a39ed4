import type { Kysely, Selectable, Transaction } from 'kysely';
import { json } from '../../platform/db/index.ts';
import type { Database, OrganisationsTable } from '../../platform/db/schema.ts';
import type { LocalizedText } from '../../platform/i18n/locales.ts';

type Q = Kysely<Database> | Transaction<Database>;

export interface Organisation {
  id: string;
  type: string;
  side: 'hong-kong' | 'zhejiang' | 'other';
  parentId: string | null;
  name: LocalizedText;
  abbreviation: string | null;
  website: string | null;
  email: string | null;
  phone: string | null;
  verified: Partial<Record<string, boolean>>;
  note: string | null;
}

const columns = ['id', 'type', 'side', 'parent_id', 'name', 'abbreviation', 'website', 'email', 'phone', 'verified', 'note'] as const;

function toOrganisation(row: Pick<Selectable<OrganisationsTable>, (typeof columns)[number]>): Organisation {
  return {
    id: row.id,
    type: row.type,
    side: row.side,
    parentId: row.parent_id,
    name: row.name,
    abbreviation: row.abbreviation,
    website: row.website,
    email: row.email,
    phone: row.phone,
    verified: row.verified,
    note: row.note,
  };
}

export async function findOrganisation(db: Q, id: string): Promise<Organisation | undefined> {
  const row = await db.selectFrom('organisations').select(columns).where('id', '=', id).executeTakeFirst();
  return row ? toOrganisation(row) : undefined;
}

export async function findOrganisations(db: Q): Promise<Organisation[]> {
  const rows = await db.selectFrom('organisations').select(columns).orderBy('side').orderBy('id').execute();
  return rows.map(toOrganisation);
}

export async function findReferenceHashes(db: Q): Promise<Map<string, string | null>> {
  const rows = await db.selectFrom('organisations').select(['id', 'reference_sha256']).execute();
  return new Map(rows.map((r) => [r.id, r.reference_sha256]));
}

/**
 * Inserts or updates an organisation's own fields (its parent is set separately, once all exist).
 * `referenceSha256` is the reference-file entry it comes from, or null for an edit on the platform.
 */
export async function saveOrganisation(db: Q, o: Omit<Organisation, 'parentId'>, referenceSha256: string | null, now: Date): Promise<void> {
  const values = {
    type: o.type,
    side: o.side,
    name: json(o.name),
    abbreviation: o.abbreviation,
    website: o.website,
    email: o.email,
    phone: o.phone,
    verified: json(o.verified),
    note: o.note,
    reference_sha256: referenceSha256,
  };
  await db
    .insertInto('organisations')
    .values({ id: o.id, ...values })
    .onConflict((oc) => oc.column('id').doUpdateSet({ ...values, updated_at: now }))
    .execute();
}

export async function setOrganisationParent(db: Q, id: string, parentId: string | null): Promise<void> {
  await db.updateTable('organisations').set({ parent_id: parentId }).where('id', '=', id).execute();
}

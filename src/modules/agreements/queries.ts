import type { Kysely, Transaction } from 'kysely';
import { json } from '../../platform/db/index.ts';
import type { Database } from '../../platform/db/schema.ts';
import type { Locale, LocalizedText } from '../../platform/i18n/locales.ts';
import type { AgreementDocument } from './schemas.ts';
import type { AgreementContent } from './source.ts';

type Q = Kysely<Database> | Transaction<Database>;

export type RenewalStatus = 'negotiating' | 'renewed' | 'lapsed';

interface Renewal {
  status: RenewalStatus;
  renewedById: string | null;
  renewedByTitle: LocalizedText | null;
  note: string | null;
  recordedAt: Date;
}

/** An agreement as stored, with its version and the custodians' renewal record. */
export interface StoredAgreement extends AgreementContent {
  revision: number;
  /** When the stored text last changed (the renewal record has its own time). */
  revisedAt: Date;
  contentSha256: string;
  renewal: Renewal | null;
}

export async function findAgreementIds(db: Q): Promise<string[]> {
  const rows = await db.selectFrom('agreements').select('id').orderBy('signed_on').orderBy('id').execute();
  return rows.map((r) => r.id);
}

export async function findAgreement(db: Q, id: string): Promise<StoredAgreement | undefined> {
  const row = await db
    .selectFrom('agreements as a')
    .leftJoin('agreements as r', 'r.id', 'a.renewed_by_id')
    .selectAll('a')
    .select('r.title as renewed_by_title')
    .where('a.id', '=', id)
    .executeTakeFirst();
  if (!row) return undefined;
  const [texts, areas, commitments] = await Promise.all([
    db.selectFrom('agreement_texts').selectAll().where('agreement_id', '=', id).execute(),
    db.selectFrom('agreement_areas').selectAll().where('agreement_id', '=', id).orderBy('number').execute(),
    db.selectFrom('commitments').selectAll().where('agreement_id', '=', id).orderBy('area_number').orderBy('number').execute(),
  ]);
  return {
    id: row.id,
    title: row.title,
    signedOn: row.signed_on,
    signedPlace: row.signed_place,
    effectiveFrom: row.effective_from,
    expiresOn: row.expires_on,
    renewable: row.renewable,
    officialLocales: row.official_locales as Locale[],
    custodians: row.custodians,
    texts: Object.fromEntries(texts.map((t) => [t.locale, { authority: t.authority, document: t.document as AgreementDocument }])),
    areas: areas.map((a) => ({
      number: a.number,
      label: a.label,
      heading: a.heading,
      title: a.title,
      commitments: commitments.filter((c) => c.area_number === a.number).map((c) => ({ number: c.number, text: c.text })),
    })),
    revision: row.revision,
    revisedAt: row.updated_at,
    contentSha256: row.content_sha256,
    renewal: row.renewal_status
      ? {
          status: row.renewal_status,
          renewedById: row.renewed_by_id,
          renewedByTitle: (row.renewed_by_title as LocalizedText | null) ?? null,
          note: row.renewal_note,
          recordedAt: row.renewal_recorded_at as Date,
        }
      : null,
  };
}

/** Writes the content of an agreement (not its renewal record), inserting or replacing every text. */
export async function saveAgreementContent(db: Transaction<Database>, content: AgreementContent, sha256: string, revision: number, now: Date): Promise<void> {
  const values = {
    title: json(content.title),
    signed_on: content.signedOn,
    signed_place: json(content.signedPlace),
    effective_from: content.effectiveFrom,
    expires_on: content.expiresOn,
    renewable: content.renewable,
    official_locales: json(content.officialLocales),
    custodians: json(content.custodians),
    content_sha256: sha256,
    revision,
  };
  await db
    .insertInto('agreements')
    .values({ id: content.id, ...values })
    .onConflict((oc) => oc.column('id').doUpdateSet({ ...values, updated_at: now }))
    .execute();
  await db.deleteFrom('agreement_texts').where('agreement_id', '=', content.id).execute();
  const texts = Object.entries(content.texts).map(([locale, t]) => ({
    agreement_id: content.id,
    locale,
    authority: t.authority,
    document: json(t.document),
  }));
  if (texts.length) await db.insertInto('agreement_texts').values(texts).execute();
  for (const area of content.areas) {
    const areaValues = { label: json(area.label), heading: json(area.heading), title: json(area.title) };
    await db
      .insertInto('agreement_areas')
      .values({ agreement_id: content.id, number: area.number, ...areaValues })
      .onConflict((oc) => oc.columns(['agreement_id', 'number']).doUpdateSet(areaValues))
      .execute();
    await db
      .insertInto('commitments')
      .values(area.commitments.map((c) => ({ agreement_id: content.id, area_number: area.number, number: c.number, text: json(c.text) })))
      .onConflict((oc) => oc.columns(['agreement_id', 'area_number', 'number']).doUpdateSet((eb) => ({ text: eb.ref('excluded.text') })))
      .execute();
  }
}

export async function insertRevision(db: Q, agreementId: string, revision: number, sha256: string, changes: string[]): Promise<void> {
  await db
    .insertInto('agreement_revisions')
    .values({ agreement_id: agreementId, revision, content_sha256: sha256, changes: json(changes) })
    .execute();
}

export async function findRevisions(db: Q, agreementId: string) {
  return await db.selectFrom('agreement_revisions').select(['revision', 'content_sha256', 'changes', 'created_at']).where('agreement_id', '=', agreementId).orderBy('revision').execute();
}

export async function agreementExists(db: Q, id: string): Promise<boolean> {
  return (await db.selectFrom('agreements').select('id').where('id', '=', id).executeTakeFirst()) !== undefined;
}

export interface RenewalRecord {
  agreementId: string;
  status: RenewalStatus | null;
  renewedById: string | null;
  note: string | null;
  recordedBy: string;
  /** When it was said. */
  at: Date;
}

/** Sets (or clears, with status null) the custodians' renewal record and appends it to the history. */
export async function saveRenewal(db: Transaction<Database>, record: RenewalRecord): Promise<void> {
  const now = record.at;
  await db
    .updateTable('agreements')
    .set({
      renewal_status: record.status,
      renewed_by_id: record.renewedById,
      renewal_note: record.note,
      renewal_recorded_at: record.status ? now : null,
    })
    .where('id', '=', record.agreementId)
    .execute();
  await db
    .insertInto('agreement_status_events')
    .values({
      agreement_id: record.agreementId,
      renewal_status: record.status,
      renewed_by_id: record.renewedById,
      note: record.note,
      recorded_by: record.recordedBy,
      recorded_at: now,
    })
    .execute();
}

export async function findRenewal(db: Q, agreementId: string) {
  return await db.selectFrom('agreements').select(['renewal_status', 'renewed_by_id', 'renewal_note']).where('id', '=', agreementId).executeTakeFirst();
}

export async function findRenewalHistory(db: Q, agreementId: string) {
  return await db
    .selectFrom('agreement_status_events')
    .select(['renewal_status', 'renewed_by_id', 'note', 'recorded_by', 'recorded_at'])
    .where('agreement_id', '=', agreementId)
    .orderBy('recorded_at')
    .orderBy('id')
    .execute();
}

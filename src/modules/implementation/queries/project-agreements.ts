import { type Selectable, sql } from 'kysely';
import { json } from '../../../platform/db/index.ts';
import { insertNumbered, referenceNumber } from '../../../platform/db/reference.ts';
import type { LocalizedText } from '../../../platform/i18n/locales.ts';
import type { ProjectAgreementParty, ProjectAgreementStatus, ProjectAgreementsTable } from '../tables.ts';
import { anyOf, type FileRef, type Q } from './shared.ts';

/** Project agreements signed under the framework agreement, the commitments they serve and their documents. */

export interface ProjectAgreement {
  id: number;
  reference: string;
  title: LocalizedText;
  summary: LocalizedText;
  parties: ProjectAgreementParty[];
  signedOn: string;
  signedPlace: LocalizedText;
  startsOn: string | null;
  endsOn: string | null;
  status: ProjectAgreementStatus;
  sourceUrl: string | null;
  illustrative: boolean;
  commitmentIds: number[];
  documents: FileRef[];
}

export async function findProjectAgreements(db: Q, filter: { ids?: number[]; commitmentIds?: number[] } = {}): Promise<ProjectAgreement[]> {
  let query = db.selectFrom('project_agreements').selectAll();
  if (filter.ids) query = filter.ids.length ? query.where('id', '=', anyOf(filter.ids)) : query.where(sql<boolean>`false`);
  if (filter.commitmentIds) {
    const ids = filter.commitmentIds.length ? filter.commitmentIds : [-1];
    query = query.where('id', 'in', db.selectFrom('project_agreement_commitments').select('project_agreement_id').where('commitment_id', '=', anyOf(ids)));
  }
  const rows: Selectable<ProjectAgreementsTable>[] = await query.orderBy('signed_on', 'desc').orderBy('id', 'desc').execute();
  if (rows.length === 0) return [];
  const ids = rows.map((r) => r.id);
  const [links, documents] = await Promise.all([
    db.selectFrom('project_agreement_commitments').selectAll().where('project_agreement_id', '=', anyOf(ids)).orderBy('commitment_id').execute(),
    db
      .selectFrom('project_agreement_documents as d')
      .innerJoin('files as f', 'f.id', 'd.file_id')
      .select(['d.project_agreement_id', 'f.id', 'f.name', 'f.media_type', 'f.size'])
      .where('d.project_agreement_id', '=', anyOf(ids))
      .orderBy('f.created_at')
      .execute(),
  ]);
  return rows.map((r) => ({
    id: r.id,
    reference: r.reference,
    title: r.title,
    summary: r.summary,
    parties: r.parties,
    signedOn: r.signed_on,
    signedPlace: r.signed_place,
    startsOn: r.starts_on,
    endsOn: r.ends_on,
    status: r.status,
    sourceUrl: r.source_url,
    illustrative: r.illustrative,
    commitmentIds: links.filter((l) => l.project_agreement_id === r.id).map((l) => l.commitment_id),
    documents: documents.filter((d) => d.project_agreement_id === r.id).map((d) => ({ id: d.id, name: d.name, mediaType: d.media_type, size: d.size })),
  }));
}

export type ProjectAgreementValues = Omit<ProjectAgreement, 'id' | 'reference' | 'illustrative' | 'documents'>;

function projectAgreementColumns(p: ProjectAgreementValues) {
  return {
    title: json(p.title),
    summary: json(p.summary),
    parties: json(p.parties),
    signed_on: p.signedOn,
    signed_place: json(p.signedPlace),
    starts_on: p.startsOn,
    ends_on: p.endsOn,
    status: p.status,
    source_url: p.sourceUrl,
  };
}

export async function saveProjectAgreement(db: Q, id: number | undefined, p: ProjectAgreementValues, now: Date): Promise<{ id: number; reference: string }> {
  let saved: { id: number; reference: string };
  if (id === undefined) {
    const insert = (reference: string) =>
      db
        .insertInto('project_agreements')
        .values({ reference, ...projectAgreementColumns(p) })
        .returning('id')
        .executeTakeFirstOrThrow();
    saved = await insertNumbered(db, 'project_agreements', insert, (id) => referenceNumber('ZJHK-P', p.signedOn.slice(0, 4), id, 4));
  } else {
    const row = await db
      .updateTable('project_agreements')
      .set({ ...projectAgreementColumns(p), updated_at: now })
      .where('id', '=', id)
      .returning(['id', 'reference'])
      .executeTakeFirstOrThrow();
    saved = row;
  }
  await db.deleteFrom('project_agreement_commitments').where('project_agreement_id', '=', saved.id).execute();
  if (p.commitmentIds.length) {
    await db
      .insertInto('project_agreement_commitments')
      .values(p.commitmentIds.map((commitment_id) => ({ project_agreement_id: saved.id, commitment_id })))
      .execute();
  }
  return saved;
}

export async function addProjectAgreementDocuments(db: Q, id: number, fileIds: string[]): Promise<void> {
  if (fileIds.length)
    await db
      .insertInto('project_agreement_documents')
      .values(fileIds.map((file_id) => ({ project_agreement_id: id, file_id })))
      .execute();
}

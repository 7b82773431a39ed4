// The agreement catalogue: what other modules know of the agreements. Areas and commitments, the code
// of a commitment ('3-2' for area 3, commitment 2) and the addresses of their pages. Published through
// the module's index.ts.
import type { Kysely, Transaction } from 'kysely';
import type { Database } from '../../platform/db/schema.ts';
import type { LocalizedText } from '../../platform/i18n/locales.ts';

type Q = Kysely<Database> | Transaction<Database>;

/** A commitment as other records point at it. */
export interface CommitmentKey {
  id: number;
  agreementId: string;
  areaNumber: number;
  number: number;
}

/** A commitment with its text, for labels and choices. */
export interface CommitmentInfo extends CommitmentKey {
  text: LocalizedText;
}

/** An area of cooperation: label '（三）' / '(3)' and title, for headings and commitment labels. */
export interface AreaInfo {
  agreementId: string;
  number: number;
  label: LocalizedText;
  title: LocalizedText;
}

/** '3-2' for area 3, commitment 2: the key used in addresses. */
export const commitmentCode = (c: Pick<CommitmentKey, 'areaNumber' | 'number'>): string => `${c.areaNumber}-${c.number}`;

export const agreementPath = (agreementId: string): string => `/agreements/${agreementId}`;
export const areaPath = (agreementId: string, area: number): string => `/agreements/${agreementId}/areas/${area}`;
/** A commitment's page, below the language prefix. */
export const commitmentPath = (c: Pick<CommitmentKey, 'agreementId' | 'areaNumber' | 'number'>): string => `/agreements/${c.agreementId}/commitments/${commitmentCode(c)}`;

/** Every commitment of every agreement (or of one), in the agreement's order. */
export async function findCommitments(db: Q, agreementId?: string): Promise<CommitmentInfo[]> {
  let query = db.selectFrom('commitments').select(['id', 'agreement_id', 'area_number', 'number', 'text']);
  if (agreementId !== undefined) query = query.where('agreement_id', '=', agreementId);
  const rows = await query.orderBy('agreement_id').orderBy('area_number').orderBy('number').execute();
  return rows.map((r) => ({ id: r.id, agreementId: r.agreement_id, areaNumber: r.area_number, number: r.number, text: r.text }));
}

/** Every commitment's key (or those of one agreement), without its text. */
export async function findCommitmentKeys(db: Q, agreementId?: string): Promise<CommitmentKey[]> {
  let query = db.selectFrom('commitments').select(['id', 'agreement_id', 'area_number', 'number']);
  if (agreementId !== undefined) query = query.where('agreement_id', '=', agreementId);
  const rows = await query.orderBy('agreement_id').orderBy('area_number').orderBy('number').execute();
  return rows.map((r) => ({ id: r.id, agreementId: r.agreement_id, areaNumber: r.area_number, number: r.number }));
}

/** Every area of every agreement (or of one), in order. */
export async function findAreas(db: Q, agreementId?: string): Promise<AreaInfo[]> {
  let query = db.selectFrom('agreement_areas').select(['agreement_id', 'number', 'label', 'title']);
  if (agreementId !== undefined) query = query.where('agreement_id', '=', agreementId);
  const rows = await query.orderBy('agreement_id').orderBy('number').execute();
  return rows.map((r) => ({ agreementId: r.agreement_id, number: r.number, label: r.label, title: r.title }));
}

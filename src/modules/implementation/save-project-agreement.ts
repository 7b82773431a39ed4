import type { Kysely, Transaction } from 'kysely';
import { type Actor, audit, diff, type RequestInfo } from '../../platform/audit/audit.ts';
import type { Database } from '../../platform/db/schema.ts';
import type { ProjectAgreementParty } from './tables.ts';
import { Choice, Day, type FieldError, Fields, type FieldsOf, type FormResult, hasErrors, localizedFields, localizedValue, Optional, Text } from '../../platform/http/forms.ts';
import { findOrganisations } from '../organisations/index.ts';
import { addProjectAgreementDocuments, type ProjectAgreement, type ProjectAgreementValues, saveProjectAgreement as save } from './queries/project-agreements.ts';
import { PROJECT_AGREEMENT_STATUSES } from './schemas.ts';

export const PROJECT_AGREEMENT_FORM = Fields({
  ...localizedFields('title', 300),
  ...localizedFields('summary', 4000),
  ...localizedFields('place', 200),
  otherParties: Optional(Text(2000)),
  signedOn: Day(),
  startsOn: Optional(Day()),
  endsOn: Optional(Day()),
  status: Choice(PROJECT_AGREEMENT_STATUSES),
  sourceUrl: Optional(Text(500)),
});

export type ProjectAgreementFields = FieldsOf<typeof PROJECT_AGREEMENT_FORM> | 'parties' | 'commitments' | 'documents';

/**
 * Records a project agreement signed under the framework, or changes one. Parties are organisations on
 * the platform or, one a line, names as signed (in the language typed).
 */
export async function saveProjectAgreement(options: {
  db: Kysely<Database>;
  existing?: ProjectAgreement;
  form: FormResult<FieldsOf<typeof PROJECT_AGREEMENT_FORM>>;
  parties: string[];
  commitmentIds: number[];
  knownCommitmentIds: Set<number>;
  locale: 'zh-Hant' | 'zh-Hans' | 'en';
  storeFiles(trx: Transaction<Database>): Promise<string[]>;
  fileError?: FieldError | undefined;
  actor: Actor;
  request: RequestInfo;
  now: Date;
}): Promise<{ ok: true; id: number } | { ok: false; errors: Partial<Record<ProjectAgreementFields, FieldError>> }> {
  const v = options.form.values;
  const errors: Partial<Record<ProjectAgreementFields, FieldError>> = { ...options.form.errors };
  const title = localizedValue(v, 'title');
  if (Object.keys(title).length === 0) errors.titleHant = 'one_language_required';
  if (!errors.startsOn && !errors.endsOn && v.startsOn && v.endsOn && v.endsOn < v.startsOn) errors.endsOn = 'ends_before_start';
  if (v.sourceUrl && !/^https:\/\/\S+$/.test(v.sourceUrl)) errors.sourceUrl = 'invalid_url';
  const organisations = new Set((await findOrganisations(options.db)).map((o) => o.id));
  if (options.parties.some((p) => !organisations.has(p))) errors.parties = 'unknown_organisation';
  const named = v.otherParties
    .split('\n')
    .map((line) => line.trim())
    .filter(Boolean);
  if (options.parties.length + named.length < 2) errors.parties = 'two_parties_required';
  if (options.commitmentIds.length === 0) errors.commitments = 'required';
  else if (options.commitmentIds.some((id) => !options.knownCommitmentIds.has(id))) errors.commitments = 'invalid_choice';
  if (options.fileError) errors.documents = options.fileError;
  if (hasErrors(errors)) return { ok: false, errors };

  const parties: ProjectAgreementParty[] = [...options.parties.map((organisationId) => ({ organisationId })), ...named.map((name) => ({ name: { [options.locale]: name } }))];
  const values: ProjectAgreementValues = {
    title,
    summary: localizedValue(v, 'summary'),
    parties,
    signedOn: v.signedOn,
    signedPlace: localizedValue(v, 'place'),
    startsOn: v.startsOn || null,
    endsOn: v.endsOn || null,
    status: v.status as ProjectAgreement['status'],
    sourceUrl: v.sourceUrl || null,
    commitmentIds: options.commitmentIds,
  };
  const before = options.existing;
  const id = await options.db.transaction().execute(async (trx) => {
    const saved = await save(trx, before?.id, values, options.now);
    const fileIds = await options.storeFiles(trx);
    await addProjectAgreementDocuments(trx, saved.id, fileIds);
    const { id: _id, reference: _r, illustrative: _i, documents: _d, ...previous } = before ?? ({} as ProjectAgreement);
    await audit(trx, {
      actor: options.actor,
      action: before ? 'project-agreement.updated' : 'project-agreement.created',
      entity: { type: 'project-agreement', id: saved.reference },
      changes: diff(before ? { ...previous } : null, { ...values, ...(fileIds.length ? { documentsAdded: fileIds } : {}) }),
      request: options.request,
    });
    return saved.id;
  });
  return { ok: true, id };
}

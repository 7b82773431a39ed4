import { findUpdates, type ProgressUpdate } from './updates.ts';
import type { Q } from './shared.ts';

/** The update (if any) a file is attached to, and whether it is approved: who may download depends on it. */
export async function findFileUse(db: Q, fileId: string): Promise<{ update?: ProgressUpdate; projectAgreementId?: number } | undefined> {
  const attached = await db.selectFrom('update_attachments').select('update_id').where('file_id', '=', fileId).executeTakeFirst();
  if (attached) {
    const update = (await findUpdates(db, { ids: [attached.update_id] }))[0];
    return update ? { update } : undefined;
  }
  const document = await db.selectFrom('project_agreement_documents').select('project_agreement_id').where('file_id', '=', fileId).executeTakeFirst();
  return document ? { projectAgreementId: document.project_agreement_id } : undefined;
}

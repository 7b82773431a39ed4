import { describe, expect, it } from 'vitest';
import { signedInClient, testAppFor } from '../../../test/app.ts';
import type { Part } from '../../../test/client.ts';
import { DATABASES } from '../../../test/databases.ts';

/** The smallest real PDF a reader accepts. */
const PDF = Buffer.from('%PDF-1.4\n1 0 obj<</Type/Catalog/Pages 2 0 R>>endobj 2 0 obj<</Type/Pages/Kids[]/Count 0>>endobj\ntrailer<</Root 1 0 R>>\n%%EOF\n');
const pdf = (filename: string): Part => ({ name: 'documents', filename, type: 'application/pdf', data: PDF });
const kept = (id: string): Part => ({ name: 'documentsKept', value: id });

const keptIds = (body: string) => [...body.matchAll(/name="documentsKept" value="([^"]+)"/g)].map((m) => m[1] as string);

describe.each(DATABASES)('documents that survive a refused project agreement on %s', (kind) => {
  const t = testAppFor(kind);
  const db = () => t.database.db.kysely;
  const pendingIds = async () => (await db().selectFrom('pending_uploads').select('file_id').orderBy('file_id').execute()).map((r) => r.file_id);

  it('keeps the documents of an agreement with one party, removes one on request, lets no one else use them, and stores the rest with the corrected form', async () => {
    const coordinator = (await signedInClient(t, { email: 'documents-coordinator@example.org', role: 'custodian-coordinator', organisationId: 'zj-hkmao', locale: 'zh-Hant' })).client;
    const other = (await signedInClient(t, { email: 'documents-other@example.org', role: 'custodian-coordinator', organisationId: 'hk-cmab', locale: 'en' })).client;
    const commitment = await db().selectFrom('commitments').select('id').where('area_number', '=', 4).where('number', '=', 1).executeTakeFirstOrThrow();
    const fields: Part[] = [
      { name: 'titleHant', value: '共建聯合實驗室協議' },
      { name: 'signedOn', value: '2026-11-20' },
      { name: 'status', value: 'signed' },
      { name: 'parties', value: 'zj-dst' },
      { name: 'commitments', value: String(commitment.id) },
    ];
    const url = '/zh-hant/workspace/project-agreements/new';

    // One party only: refused, and both documents shown again, each with its remove button.
    const refused = await coordinator.postMultipart(url, [...fields, pdf('協議正本.pdf'), pdf('annex.pdf')]);
    expect(refused.statusCode).toBe(200);
    expect(refused.body).toContain('以下檔案已從上次提交保留');
    expect(refused.body).toContain('協議正本.pdf');
    expect(refused.body).toContain('annex.pdf');
    expect(refused.body).toContain('共建聯合實驗室協議');
    const [original, annex] = keptIds(refused.body);
    expect(original && annex).toBeTruthy();
    expect(refused.body).toContain(`name="removeUpload" value="${annex}"`);
    expect(await db().selectFrom('project_agreements').select('id').execute()).toEqual([]);
    expect(await pendingIds()).toEqual([original, annex].sort());

    // The remove button shows the form again without that document, and deletes it.
    const removed = await coordinator.postMultipart(url, [...fields, kept(original as string), kept(annex as string), { name: 'removeUpload', value: annex as string }]);
    expect(removed.statusCode).toBe(200);
    expect(keptIds(removed.body)).toEqual([original]);
    expect(removed.body).not.toContain('annex.pdf');
    expect(
      await db()
        .selectFrom('files')
        .select('id')
        .where('id', '=', annex as string)
        .execute(),
    ).toEqual([]);

    // Another coordinator who learnt the id records an agreement with it: it is not theirs, nothing is attached.
    const stolen = await other.postMultipart('/en/workspace/project-agreements/new', [
      { name: 'titleEn', value: 'Another agreement' },
      { name: 'signedOn', value: '2026-11-21' },
      { name: 'status', value: 'signed' },
      { name: 'parties', value: 'zj-dst' },
      { name: 'otherParties', value: 'The University of Hong Kong' },
      { name: 'commitments', value: String(commitment.id) },
      kept(original as string),
    ]);
    expect(stolen.statusCode).toBe(303);
    expect(await db().selectFrom('project_agreement_documents').select('file_id').execute()).toEqual([]);
    expect(await pendingIds()).toEqual([original]);

    // The corrected form brings the kept document and a new one.
    const sent = await coordinator.postMultipart(url, [...fields, { name: 'otherParties', value: '香港大學' }, kept(original as string), pdf('signatures.pdf')]);
    expect(sent.statusCode).toBe(303);
    const id = Number(/project-agreements\/(\d+)/.exec(String(sent.headers.location))?.[1]);
    const documents = await db()
      .selectFrom('project_agreement_documents as d')
      .innerJoin('files as f', 'f.id', 'd.file_id')
      .select(['f.id', 'f.name'])
      .where('d.project_agreement_id', '=', id)
      .orderBy('f.name')
      .execute();
    expect(documents.map((d) => d.name).sort()).toEqual(['signatures.pdf', '協議正本.pdf']);
    expect(documents.map((d) => d.id)).toContain(original);
    expect(await pendingIds()).toEqual([]);
  });
});

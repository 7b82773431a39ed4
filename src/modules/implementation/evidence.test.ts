import { describe, expect, it } from 'vitest';
import { signedInClient, testAppFor } from '../../../test/app.ts';
import type { TestClient } from '../../../test/client.ts';
import { DATABASES } from '../../../test/databases.ts';

/** The smallest real PDF a reader accepts. */
const PDF = Buffer.from('%PDF-1.4\n1 0 obj<</Type/Catalog/Pages 2 0 R>>endobj 2 0 obj<</Type/Pages/Kids[]/Count 0>>endobj\ntrailer<</Root 1 0 R>>\n%%EOF\n');

const keptIds = (body: string) => [...body.matchAll(/name="attachmentsKept" value="([^"]+)"/g)].map((m) => m[1] as string);

describe.each(DATABASES)('evidence files that survive a refused progress update on %s', (kind) => {
  const t = testAppFor(kind);
  const db = () => t.database.db.kysely;
  const location = (r: { headers: Record<string, unknown> }) => String(r.headers.location ?? '');
  let officer: TestClient;
  let colleague: TestClient;
  let actionId = '';
  let periodId = '';

  it('keeps the files of an update with a mistyped figure, shows them with a remove button, and sends them with the corrected form', async () => {
    const hk = (await signedInClient(t, { email: 'evidence-coordinator@example.org', role: 'custodian-coordinator', organisationId: 'hk-cmab' })).client;
    officer = (await signedInClient(t, { email: 'evidence-officer@example.org', role: 'agency-officer', organisationId: 'hk-fstb', locale: 'zh-Hant' })).client;
    colleague = (await signedInClient(t, { email: 'evidence-colleague@example.org', role: 'agency-officer', organisationId: 'hk-fstb' })).client;
    const created = await hk.post('/en/workspace/commitments/1-1/actions/new', {
      titleEn: 'Joint seminars on cross-boundary wealth management',
      status: 'in-progress',
      leadHongKong: 'hk-fstb',
      startsOn: '2024-01-01',
      endsOn: '2026-12-31',
    });
    actionId = /actions\/(\d+)/.exec(location(created))?.[1] ?? '';
    const commitment = await db().selectFrom('commitments').select('id').where('area_number', '=', 1).where('number', '=', 1).executeTakeFirstOrThrow();
    const indicator = await hk.post('/en/workspace/indicators/new', {
      commitment: String(commitment.id),
      nameEn: 'Seminars held',
      unitEn: 'seminars',
      measure: 'number',
      direction: 'increase',
      scope: 'joint',
      baseline: '0',
      baselineOn: '2023-12-31',
    });
    const indicatorId = /indicators\/(\d+)/.exec(location(indicator))?.[1] ?? '';
    await hk.post(`/en/workspace/indicators/${indicatorId}/periods`, { startsOn: '2025-01-01', endsOn: '2025-12-31', target: '10' }, { from: `/en/workspace/indicators/${indicatorId}` });
    periodId = String((await db().selectFrom('indicator_periods').select('id').where('indicator_id', '=', Number(indicatorId)).executeTakeFirstOrThrow()).id);

    const url = `/zh-hant/workspace/actions/${actionId}/updates/new`;
    const refused = await officer.postMultipart(url, [
      { name: 'narrativeHant', value: '已舉辦首場研討會。' },
      { name: `period-${periodId}`, value: '十二' },
      { name: 'intent', value: 'submit' },
      { name: 'attachments', filename: '研討會紀錄.pdf', type: 'application/pdf', data: PDF },
      { name: 'attachments', filename: 'sign-in-sheet.pdf', type: 'application/pdf', data: PDF },
    ]);
    expect(refused.statusCode).toBe(200);
    expect(refused.body).toContain('請輸入數字');
    expect(refused.body).toContain('已舉辦首場研討會。');
    // Both files are shown again, each sent again by a hidden field and with its own remove button.
    expect(refused.body).toContain('研討會紀錄.pdf');
    expect(refused.body).toContain('sign-in-sheet.pdf');
    const [minutes, sheet] = keptIds(refused.body);
    expect(minutes && sheet).toBeTruthy();
    expect(refused.body).toContain(`name="removeUpload" value="${minutes}"`);
    expect(refused.body).toContain('以下檔案已從上次提交保留');
    expect(await db().selectFrom('progress_updates').select('id').execute()).toHaveLength(0);
    expect(await db().selectFrom('pending_uploads').select('file_id').execute()).toHaveLength(2);

    // Removing one shows the form again without it, and deletes it.
    const removed = await officer.postMultipart(url, [
      { name: 'narrativeHant', value: '已舉辦首場研討會。' },
      { name: `period-${periodId}`, value: '十二' },
      { name: 'attachmentsKept', value: minutes as string },
      { name: 'attachmentsKept', value: sheet as string },
      { name: 'removeUpload', value: minutes as string },
    ]);
    expect(removed.statusCode).toBe(200);
    expect(keptIds(removed.body)).toEqual([sheet]);
    expect(removed.body).not.toContain('研討會紀錄.pdf');
    expect(removed.body).toContain('已舉辦首場研討會。');
    expect(
      await db()
        .selectFrom('files')
        .select('id')
        .where('id', '=', minutes as string)
        .execute(),
    ).toEqual([]);

    // Another officer, even of the same agency, cannot attach someone else's kept file by its id.
    const stolen = await colleague.postMultipart(`/en/workspace/actions/${actionId}/updates/new`, [
      { name: 'narrativeEn', value: 'Another update.' },
      { name: 'intent', value: 'save' },
      { name: 'attachmentsKept', value: sheet as string },
    ]);
    expect(stolen.statusCode).toBe(303);
    const theirs = Number(/updates\/(\d+)/.exec(location(stolen))?.[1]);
    expect(await db().selectFrom('update_attachments').select('file_id').where('update_id', '=', theirs).execute()).toEqual([]);
    expect(await db().selectFrom('pending_uploads').select('file_id').execute()).toEqual([{ file_id: sheet }]);

    // The corrected form brings the kept file and a new one.
    const sent = await officer.postMultipart(url, [
      { name: 'narrativeHant', value: '已舉辦首場研討會。' },
      { name: `period-${periodId}`, value: '12' },
      { name: 'intent', value: 'submit' },
      { name: 'attachmentsKept', value: sheet as string },
      { name: 'attachments', filename: 'photos.pdf', type: 'application/pdf', data: PDF },
    ]);
    expect(sent.statusCode).toBe(303);
    const updateId = Number(/updates\/(\d+)/.exec(location(sent))?.[1]);
    const attached = await db()
      .selectFrom('update_attachments as a')
      .innerJoin('files as f', 'f.id', 'a.file_id')
      .select(['f.id', 'f.name'])
      .where('a.update_id', '=', updateId)
      .orderBy('f.name')
      .execute();
    expect(attached.map((f) => f.name)).toEqual(['photos.pdf', 'sign-in-sheet.pdf']);
    expect(attached.map((f) => f.id)).toContain(sheet);
    expect(await db().selectFrom('pending_uploads').select('file_id').execute()).toEqual([]);
  });
});

import ExcelJS from 'exceljs';
import { beforeAll, describe, expect, it } from 'vitest';
import { signedInClient, testAppFor } from '../../../test/app.ts';
import type { TestClient } from '../../../test/client.ts';
import { DATABASES } from '../../../test/databases.ts';

/** The smallest real PDF a reader accepts. */
const PDF = Buffer.from('%PDF-1.4\n1 0 obj<</Type/Catalog/Pages 2 0 R>>endobj 2 0 obj<</Type/Pages/Kids[]/Count 0>>endobj\ntrailer<</Root 1 0 R>>\n%%EOF\n');

describe.each(DATABASES)('reporting progress and approving it on %s', (kind) => {
  const t = testAppFor(kind);
  const people: Record<string, { client: TestClient; userId: string }> = {};
  const db = () => t.database.db.kysely;
  const location = (r: { headers: Record<string, unknown> }) => String(r.headers.location ?? '');
  const indicatorApi = async (indicatorId: string) => {
    const body = JSON.parse((await t.app.inject({ url: '/api/v1/indicators?commitment=1-1' })).body);
    return body.data.find((i: { id: number }) => String(i.id) === indicatorId);
  };
  const ACTION = 'Joint seminars on cross-boundary wealth management';

  beforeAll(async () => {
    for (const [key, role, organisationId, locale] of [
      ['hkCoordinator', 'custodian-coordinator', 'hk-cmab', 'en'],
      ['zjCoordinator', 'custodian-coordinator', 'zj-hkmao', 'zh-Hans'],
      ['hkOfficer', 'agency-officer', 'hk-fstb', 'zh-Hant'],
      ['zjOfficer', 'agency-officer', 'zj-local-finance', 'zh-Hans'],
      ['otherOfficer', 'agency-officer', 'hk-itib', 'en'],
    ] as const) {
      people[key] = await signedInClient(t, { email: `${key}@example.org`, role, organisationId, locale });
    }
  });

  /**
   * A test's own action on commitment 1-1, led by hk-fstb and zj-local-finance, and its own joint
   * indicator on the commitment (named as given: the reports find it by name) with one period, 2025, target 10.
   */
  const actionWithIndicator = async (indicatorName: string) => {
    const hk = people.hkCoordinator?.client as TestClient;
    const created = await hk.post('/en/workspace/commitments/1-1/actions/new', { titleEn: ACTION, status: 'in-progress', leadHongKong: 'hk-fstb', startsOn: '2024-01-01', endsOn: '2026-12-31' });
    expect(created.statusCode).toBe(303);
    const actionId = /actions\/(\d+)/.exec(location(created))?.[1] ?? '';
    const assigned = await (people.zjCoordinator?.client as TestClient).post(`/zh-hans/workspace/actions/${actionId}`, {
      titleEn: ACTION,
      titleHans: '跨境理财联合研讨会',
      status: 'in-progress',
      leadHongKong: 'hk-fstb',
      leadZhejiang: 'zj-local-finance',
      startsOn: '2024-01-01',
      endsOn: '2026-12-31',
    });
    expect(assigned.statusCode).toBe(303);
    const commitment = await db().selectFrom('commitments').select('id').where('area_number', '=', 1).where('number', '=', 1).executeTakeFirstOrThrow();
    const indicator = await hk.post('/en/workspace/indicators/new', {
      commitment: String(commitment.id),
      nameEn: indicatorName,
      unitEn: 'seminars',
      measure: 'number',
      direction: 'increase',
      scope: 'joint',
      baseline: '2',
      baselineOn: '2023-12-31',
    });
    expect(indicator.statusCode).toBe(303);
    const indicatorId = /indicators\/(\d+)/.exec(location(indicator))?.[1] ?? '';
    const period = await hk.post(
      `/en/workspace/indicators/${indicatorId}/periods`,
      { startsOn: '2025-01-01', endsOn: '2025-12-31', target: '10' },
      { from: `/en/workspace/indicators/${indicatorId}` },
    );
    expect(period.statusCode).toBe(303);
    const row = await db().selectFrom('indicator_periods').select('id').where('indicator_id', '=', Number(indicatorId)).executeTakeFirstOrThrow();
    return { actionId, indicatorId, periodId: String(row.id) };
  };

  /** The Hong Kong officer reports 12 for the period, and the Hong Kong coordinator approves it. */
  const approvedHongKongFigure = async ({ actionId, periodId }: { actionId: string; periodId: string }) => {
    const submitted = await (people.hkOfficer?.client as TestClient).postMultipart(`/zh-hant/workspace/actions/${actionId}/updates/new`, [
      { name: 'narrativeHant', value: '2025年3月12日已舉辦首場跨境理財研討會，逾百名業界人士參加。' },
      { name: `period-${periodId}`, value: '12' },
      { name: 'intent', value: 'submit' },
    ]);
    expect(submitted.statusCode).toBe(303);
    const updateId = /updates\/(\d+)/.exec(location(submitted))?.[1] ?? '';
    const approved = await (people.hkCoordinator?.client as TestClient).post(`/en/workspace/updates/${updateId}/decision`, { decision: 'approve' }, { from: `/en/workspace/updates/${updateId}` });
    expect(approved.statusCode).toBe(303);
  };

  it('lets each side’s coordinator assign only their own side’s lead agency', async () => {
    const hk = people.hkCoordinator?.client as TestClient;
    const actionIds = async () => (await db().selectFrom('actions').select('id').orderBy('id').execute()).map((a) => a.id);
    const before = await actionIds();
    const refused = await hk.post('/en/workspace/commitments/1-1/actions/new', {
      titleEn: 'Joint seminars on cross-boundary wealth management',
      status: 'in-progress',
      leadHongKong: 'hk-fstb',
      leadZhejiang: 'zj-local-finance',
    });
    expect(refused.statusCode).toBe(200);
    expect(refused.body).toContain('Only a coordinator of this side can assign or change its lead agency');
    expect(await actionIds()).toEqual(before);

    const created = await hk.post('/en/workspace/commitments/1-1/actions/new', {
      titleEn: 'Joint seminars on cross-boundary wealth management',
      status: 'in-progress',
      leadHongKong: 'hk-fstb',
      startsOn: '2024-01-01',
      endsOn: '2026-12-31',
    });
    expect(created.statusCode).toBe(303);
    const actionId = /actions\/(\d+)/.exec(location(created))?.[1] ?? '';
    const zj = people.zjCoordinator?.client as TestClient;
    const assigned = await zj.post(`/zh-hans/workspace/actions/${actionId}`, {
      titleEn: 'Joint seminars on cross-boundary wealth management',
      titleHans: '跨境理财联合研讨会',
      status: 'in-progress',
      leadHongKong: 'hk-fstb',
      leadZhejiang: 'zj-local-finance',
      startsOn: '2024-01-01',
      endsOn: '2026-12-31',
    });
    expect(assigned.statusCode).toBe(303);
    const row = await db().selectFrom('actions').selectAll().where('id', '=', Number(actionId)).executeTakeFirstOrThrow();
    expect([row.lead_hong_kong, row.lead_zhejiang, row.title]).toEqual(['hk-fstb', 'zj-local-finance', { en: 'Joint seminars on cross-boundary wealth management', 'zh-Hans': '跨境理财联合研讨会' }]);

    const discontinued = await (people.hkOfficer?.client as TestClient).post(`/zh-hant/workspace/actions/${actionId}`, {
      titleEn: 'x',
      status: 'discontinued',
      leadHongKong: 'hk-fstb',
      leadZhejiang: 'zj-local-finance',
    });
    expect(discontinued.body).toContain('請說明原因');
  });

  it('defines a joint indicator with a period and a target', async () => {
    const hk = people.hkCoordinator?.client as TestClient;
    const commitment = await db().selectFrom('commitments').select('id').where('area_number', '=', 1).where('number', '=', 1).executeTakeFirstOrThrow();
    const created = await hk.post('/en/workspace/indicators/new', {
      commitment: String(commitment.id),
      nameEn: 'Wealth management seminars defined',
      unitEn: 'seminars',
      measure: 'number',
      direction: 'increase',
      scope: 'joint',
      baseline: '2',
      baselineOn: '2023-12-31',
    });
    expect(created.statusCode).toBe(303);
    const indicatorId = /indicators\/(\d+)/.exec(location(created))?.[1] ?? '';
    const first = await hk.post(`/en/workspace/indicators/${indicatorId}/periods`, { startsOn: '2025-01-01', endsOn: '2025-12-31', target: '10' }, { from: `/en/workspace/indicators/${indicatorId}` });
    expect(first.statusCode).toBe(303);
    const clash = await hk.post(
      `/en/workspace/indicators/${indicatorId}/periods`,
      { startsOn: '2025-06-01', endsOn: '2026-05-31', target: 'ten' },
      { from: `/en/workspace/indicators/${indicatorId}` },
    );
    expect(clash.body).toContain('Enter a number');
    const overlapping = await hk.post(
      `/en/workspace/indicators/${indicatorId}/periods`,
      { startsOn: '2025-06-01', endsOn: '2026-05-31', target: '12' },
      { from: `/en/workspace/indicators/${indicatorId}` },
    );
    expect(overlapping.body).toContain('This period overlaps another period of the indicator');
    const period = await db().selectFrom('indicator_periods').selectAll().where('indicator_id', '=', Number(indicatorId)).executeTakeFirstOrThrow();
    expect(period.target_value).toBe(10);
  });

  it('refuses a bad figure or a file that is not a document, and keeps nothing of it', async () => {
    const { actionId, periodId } = await actionWithIndicator('Wealth management seminars refused');
    const fileIds = async () => (await db().selectFrom('files').select('id').orderBy('id').execute()).map((f) => f.id);
    const filesBefore = await fileIds();
    const officer = people.hkOfficer?.client as TestClient;
    const badNumber = await officer.postMultipart(`/zh-hant/workspace/actions/${actionId}/updates/new`, [
      { name: 'narrativeHant', value: '已舉辦首場研討會。' },
      { name: `period-${periodId}`, value: '十二' },
      { name: 'intent', value: 'submit' },
    ]);
    expect(badNumber.statusCode).toBe(200);
    expect(badNumber.body).toContain('請輸入數字');
    expect(badNumber.body).toContain('已舉辦首場研討會。');
    const badFile = await officer.postMultipart(`/zh-hant/workspace/actions/${actionId}/updates/new`, [
      { name: 'narrativeHant', value: '已舉辦首場研討會。' },
      { name: 'intent', value: 'submit' },
      { name: 'attachments', filename: 'evidence.pdf', type: 'application/pdf', data: Buffer.from('<html><script>alert(1)</script></html>') },
    ]);
    expect(badFile.body).toContain('只可附加 PDF');
    expect(await db().selectFrom('progress_updates').select('id').where('action_id', '=', Number(actionId)).execute()).toHaveLength(0);
    expect(await fileIds()).toEqual(filesBefore);
    const outsider = await (people.otherOfficer?.client as TestClient).get(`/en/workspace/actions/${actionId}/updates/new`);
    expect(outsider.statusCode).toBe(403);
  });

  it('takes an update through submission, return with a reason, resubmission and approval', async () => {
    const { actionId, indicatorId, periodId } = await actionWithIndicator('Wealth management seminars approved');
    const officer = people.hkOfficer?.client as TestClient;
    const submitted = await officer.postMultipart(`/zh-hant/workspace/actions/${actionId}/updates/new`, [
      { name: 'narrativeHant', value: '已舉辦首場跨境理財研討會，逾百名業界人士參加。' },
      { name: `period-${periodId}`, value: '12' },
      { name: 'intent', value: 'submit' },
      { name: 'attachments', filename: '研討會紀錄.pdf', type: 'application/pdf', data: PDF },
    ]);
    expect(submitted.statusCode).toBe(303);
    const updateId = /updates\/(\d+)/.exec(location(submitted))?.[1] ?? '';
    const update = await db().selectFrom('progress_updates').selectAll().where('id', '=', Number(updateId)).executeTakeFirstOrThrow();
    expect(update.reference).toMatch(/^ZJHK-U-\d{4}-\d{6}$/);
    expect([update.state, update.side, update.organisation_id]).toEqual(['submitted', 'hong-kong', 'hk-fstb']);

    // Not public yet: no figure, and the evidence cannot be fetched.
    expect((await indicatorApi(indicatorId)).periods[0].actual.status).toBe('none');
    const file = await db()
      .selectFrom('files')
      .innerJoin('update_attachments', 'update_attachments.file_id', 'files.id')
      .select(['files.id', 'files.name'])
      .where('update_attachments.update_id', '=', Number(updateId))
      .executeTakeFirstOrThrow();
    expect((await t.app.inject({ url: `/files/${file.id}/${encodeURIComponent(file.name)}` })).statusCode).toBe(404);

    // The other side's coordinator may not decide; this side's must give a reason to return it.
    expect(
      (await (people.zjCoordinator?.client as TestClient).post(`/en/workspace/updates/${updateId}/decision`, { decision: 'approve' }, { from: `/en/workspace/updates/${updateId}` })).statusCode,
    ).toBe(403);
    const coordinator = people.hkCoordinator?.client as TestClient;
    // Waiting in the coordinator's workspace, named by its action (led by another agency).
    const home = (await coordinator.get('/en/workspace')).body;
    expect(home).toContain(update.reference);
    expect(home).toContain('Joint seminars on cross-boundary wealth management');
    const noReason = await coordinator.post(`/en/workspace/updates/${updateId}/decision`, { decision: 'return' }, { from: `/en/workspace/updates/${updateId}` });
    expect(noReason.body).toContain('Give the reason');
    const returned = await coordinator.post(
      `/en/workspace/updates/${updateId}/decision`,
      { decision: 'return', reason: 'Please give the date of the seminar.' },
      { from: `/en/workspace/updates/${updateId}` },
    );
    expect(returned.statusCode).toBe(303);
    const returnMail = await db().selectFrom('mail_outbox').selectAll().where('to_address', '=', 'hkOfficer@example.org').orderBy('id', 'desc').executeTakeFirstOrThrow();
    expect(returnMail.locale).toBe('zh-Hant');
    expect(returnMail.subject).toContain('已退回修改');
    expect(returnMail.text_body).toContain('Please give the date of the seminar.');

    const resubmitted = await officer.postMultipart(`/zh-hant/workspace/updates/${updateId}`, [
      { name: 'narrativeHant', value: '2025年3月12日已舉辦首場跨境理財研討會，逾百名業界人士參加。' },
      { name: `period-${periodId}`, value: '12' },
      { name: 'intent', value: 'submit' },
    ]);
    expect(resubmitted.statusCode).toBe(303);
    const approved = await coordinator.post(`/en/workspace/updates/${updateId}/decision`, { decision: 'approve' }, { from: `/en/workspace/updates/${updateId}` });
    expect(approved.statusCode).toBe(303);
    const again = await coordinator.post(`/en/workspace/updates/${updateId}/decision`, { decision: 'approve' }, { from: `/en/workspace/updates/${updateId}` });
    expect(again.statusCode).toBe(403);

    const reading = (await indicatorApi(indicatorId)).periods[0].actual;
    expect(reading).toMatchObject({ status: 'agreed', value: 12, hongKong: { value: 12, confirmed: false }, zhejiang: null });
    const download = await t.app.inject({ url: `/files/${file.id}/${encodeURIComponent(file.name)}` });
    expect(download.statusCode).toBe(200);
    expect(download.rawPayload.equals(PDF)).toBe(true);
    const audit = await db().selectFrom('audit_events').select('action').where('entity_id', '=', update.reference).orderBy('id').execute();
    expect(audit.map((a) => a.action)).toEqual(['update.created', 'update.submitted', 'update.returned', 'update.updated', 'update.submitted', 'update.approved']);
    const approvedMail = await db().selectFrom('mail_outbox').select('subject').where('to_address', '=', 'hkOfficer@example.org').orderBy('id', 'desc').executeTakeFirstOrThrow();
    expect(approvedMail.subject).toBe(`進展報告 ${update.reference} 已獲批准`);
  });

  it('shows both figures and flags them when the other side reports a different one', async () => {
    const setUp = await actionWithIndicator('Wealth management seminars held');
    const { actionId, indicatorId, periodId } = setUp;
    await approvedHongKongFigure(setUp);
    const officer = people.zjOfficer?.client as TestClient;
    const submitted = await officer.postMultipart(`/zh-hans/workspace/actions/${actionId}/updates/new`, [
      { name: 'narrativeHans', value: '浙方统计全年共举办研讨会14场。' },
      { name: `period-${periodId}`, value: '14' },
      { name: 'intent', value: 'submit' },
    ]);
    const updateId = /updates\/(\d+)/.exec(location(submitted))?.[1] ?? '';
    expect(
      (await (people.hkCoordinator?.client as TestClient).post(`/en/workspace/updates/${updateId}/decision`, { decision: 'approve' }, { from: `/en/workspace/updates/${updateId}` })).statusCode,
    ).toBe(403);
    expect(
      (await (people.zjCoordinator?.client as TestClient).post(`/zh-hans/workspace/updates/${updateId}/decision`, { decision: 'approve' }, { from: `/zh-hans/workspace/updates/${updateId}` }))
        .statusCode,
    ).toBe(303);

    expect((await indicatorApi(indicatorId)).periods[0].actual).toMatchObject({ status: 'differs', value: null, hongKong: { value: 12 }, zhejiang: { value: 14 } });
    const page = await t.app.inject({ url: '/en/agreements/zjhk-2023/commitments/1-1' });
    expect(page.body).toContain('Joint seminars on cross-boundary wealth management');
    expect(page.body).toContain('The two sides’ figures differ:');
    expect(page.body).toContain('浙方统计全年共举办研讨会14场。');
    // In Traditional Chinese, the Zhejiang officer's Simplified text is converted by machine, and says so.
    const traditional = await t.app.inject({ url: '/zh-hant/agreements/zjhk-2023/commitments/1-1' });
    expect(traditional.body).toContain('浙方統計全年共舉辦研討會14場。');
    expect(traditional.body).toContain('由简体中文自動轉換');

    // The annual report's workbook and CSV carry the same two figures.
    const xlsx = await t.app.inject({ url: '/en/reports/annual/2025.xlsx' });
    const workbook = new ExcelJS.Workbook();
    await workbook.xlsx.load(xlsx.rawPayload as unknown as ArrayBuffer);
    const sheet = workbook.getWorksheet('Indicators');
    const rows: unknown[][] = [];
    sheet?.eachRow((r) => {
      rows.push((r.values as unknown[]).slice(1));
    });
    const row = rows.find((r) => r[1] === 'Wealth management seminars held');
    expect(row?.slice(5, 10)).toEqual([10, undefined, 12, 14, 'The two sides’ figures differ:']);
    const csv = (await t.app.inject({ url: '/zh-hant/reports/annual/2025-indicators.csv' })).body;
    expect(csv).toMatch(/Wealth management seminars held,seminars,2025-01-01,2025-12-31,10,,12,14,雙方數字不一致：/);
    // Approved this year, they also carry 2025's figures: the 2025 report lists them beside those figures.
    const updates2025 = (await t.app.inject({ url: '/en/reports/annual/2025-updates.csv' })).body;
    expect(updates2025).toContain('浙方统计全年共举办研讨会14场。');
    expect((await t.app.inject({ url: '/en/reports/annual/2024-updates.csv' })).body).not.toContain('浙方统计');
  });

  it('lets the other side confirm a figure recorded by one side', async () => {
    const setUp = await actionWithIndicator('Wealth management seminars confirmed');
    const { indicatorId, periodId } = setUp;
    await approvedHongKongFigure(setUp);
    expect((await indicatorApi(indicatorId)).periods[0].actual.hongKong.confirmed).toBe(false);
    const hkCannot = await (people.hkCoordinator?.client as TestClient).post(
      `/en/workspace/indicators/${indicatorId}/confirm`,
      { period: periodId, side: 'hong-kong' },
      { from: `/en/workspace/indicators/${indicatorId}` },
    );
    expect(hkCannot.statusCode).toBe(403);
    const confirmed = await (people.zjCoordinator?.client as TestClient).post(
      `/en/workspace/indicators/${indicatorId}/confirm`,
      { period: periodId, side: 'hong-kong' },
      { from: `/en/workspace/indicators/${indicatorId}` },
    );
    expect(confirmed.statusCode).toBe(303);
    expect((await indicatorApi(indicatorId)).periods[0].actual).toMatchObject({ status: 'agreed', value: 12, hongKong: { confirmed: true } });
  });
});

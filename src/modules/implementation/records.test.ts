import { mkdtemp, readdir, readFile, rm } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { beforeAll, describe, expect, it, onTestFinished } from 'vitest';
import { signedInClient, type TestApp, testApp, testAppFor } from '../../../test/app.ts';
import type { TestClient } from '../../../test/client.ts';
import { DATABASES } from '../../../test/databases.ts';
import { Value } from '@sinclair/typebox/value';
import { API_ITEMS, ApiPage } from './api.ts';
import { loadImplementationDemo } from './demo/load.ts';
import { reportCommand } from './reports.tsx';
import { sendMilestoneDigests } from './send-digests.ts';

describe.each(DATABASES)('milestones, meetings, project agreements, digests and reports on %s', (kind) => {
  const t = testAppFor(kind);
  const db = () => t.database.db.kysely;
  let coordinator: TestClient;
  let officer: TestClient;
  const signIn = async (app: TestApp) => ({
    coordinator: (await signedInClient(app, { email: 'coordinator@example.org', role: 'custodian-coordinator', organisationId: 'zj-hkmao', locale: 'zh-Hans' })).client,
    officer: (await signedInClient(app, { email: 'officer@example.org', role: 'agency-officer', organisationId: 'zj-dst', locale: 'zh-Hans' })).client,
  });
  beforeAll(async () => {
    ({ coordinator, officer } = await signIn(t));
  });

  /**
   * For a test that needs a database to itself, on an app of its own: digests go to everyone with
   * milestones due, and the demo adds plenaries, milestones and project agreements of its own.
   */
  const ownApp = async (): Promise<TestApp> => {
    const own = await testApp(kind);
    onTestFinished(() => own.close());
    return own;
  };

  it('records milestones on an action, with the date met when met', async () => {
    const created = await coordinator.post('/zh-hans/workspace/commitments/4-1/actions/new', { titleHans: '共建联合实验室', status: 'in-progress', leadZhejiang: 'zj-dst' });
    const actionId = Number(/actions\/(\d+)/.exec(String(created.headers.location))?.[1]);
    const from = `/zh-hans/workspace/actions/${actionId}`;
    const missingDate = await officer.post(`/zh-hans/workspace/actions/${actionId}/milestones`, { titleHans: '签署合作备忘录', dueOn: '2026-12-01', status: 'met' }, { from });
    expect(missingDate.body).toContain('milestone-form');
    expect(await db().selectFrom('milestones').select('id').where('action_id', '=', actionId).execute()).toHaveLength(0);
    const future = await officer.post(`/zh-hans/workspace/actions/${actionId}/milestones`, { titleHans: '签署合作备忘录', dueOn: '2026-12-01', status: 'met', metOn: '2099-01-01' }, { from });
    expect(future.body).toContain('此日期不能是将来的日期');
    expect((await officer.post(`/zh-hans/workspace/actions/${actionId}/milestones`, { titleHans: '签署合作备忘录', dueOn: '2026-12-01', status: 'scheduled' }, { from })).statusCode).toBe(303);
    expect((await officer.post(`/zh-hans/workspace/actions/${actionId}/milestones`, { titleHans: '首批联合课题立项', dueOn: '2026-11-01', status: 'scheduled' }, { from })).statusCode).toBe(303);
    const milestone = await db().selectFrom('milestones').selectAll().where('action_id', '=', actionId).where('due_on', '=', '2026-12-01').executeTakeFirstOrThrow();
    const met = await officer.post(
      `/zh-hans/workspace/milestones/${milestone.id}`,
      { titleHans: '签署合作备忘录', dueOn: '2026-12-01', status: 'met', metOn: '2026-11-20', evidenceHans: '备忘录已于11月20日签署' },
      { from },
    );
    expect(met.statusCode).toBe(303);
    const page = await t.app.inject({ url: `/en/implementation/actions/${actionId}` });
    expect(page.body).toContain('签署合作备忘录');
    expect(page.body).toContain('Available in 简体中文 only');
    expect(page.body).toMatch(/milestone-overdue">Overdue/);
  });

  it('emails each officer one digest a day of milestones due within 14 days or overdue, in their language', async () => {
    const own = await ownApp();
    const { coordinator, officer } = await signIn(own);
    const db = () => own.database.db.kysely;
    // The lab action's milestones: one met, one scheduled and overdue.
    const created = await coordinator.post('/zh-hans/workspace/commitments/4-1/actions/new', { titleHans: '共建联合实验室', status: 'in-progress', leadZhejiang: 'zj-dst' });
    expect(created.statusCode).toBe(303);
    const actionId = Number(/actions\/(\d+)/.exec(String(created.headers.location))?.[1]);
    const from = `/zh-hans/workspace/actions/${actionId}`;
    expect(
      (
        await officer.post(
          `/zh-hans/workspace/actions/${actionId}/milestones`,
          { titleHans: '签署合作备忘录', dueOn: '2026-12-01', status: 'met', metOn: '2026-11-20', evidenceHans: '备忘录已于11月20日签署' },
          { from },
        )
      ).statusCode,
    ).toBe(303);
    expect((await officer.post(`/zh-hans/workspace/actions/${actionId}/milestones`, { titleHans: '首批联合课题立项', dueOn: '2026-11-01', status: 'scheduled' }, { from })).statusCode).toBe(303);

    const today = own.ctx.today();
    const first = await sendMilestoneDigests({ db: db(), today, publicUrl: 'https://zjhk.example' });
    const second = await sendMilestoneDigests({ db: db(), today, publicUrl: 'https://zjhk.example' });
    expect([first.sent, second.sent]).toEqual([1, 0]);
    const mail = await db().selectFrom('mail_outbox').selectAll().where('to_address', '=', 'officer@example.org').executeTakeFirstOrThrow();
    expect(mail.subject).toBe('1 个里程碑即将到期或已逾期');
    expect(mail.text_body).toContain('已逾期：');
    expect(mail.text_body).toContain('首批联合课题立项');
    expect(mail.text_body).not.toContain('签署合作备忘录');
    expect(mail.text_body).toContain('https://zjhk.example/zh-hans/workspace');
  });

  it('records a meeting whose decision creates an action, and reports progress since the previous plenary', async () => {
    const commitment = await db().selectFrom('commitments').select('id').where('area_number', '=', 4).where('number', '=', 1).executeTakeFirstOrThrow();
    const saved = await coordinator.post('/zh-hans/workspace/meetings/new', {
      type: 'plenary',
      titleHans: '浙港合作会议第二次全体会议',
      heldOn: '2026-11-20',
      placeHans: '杭州',
      participants: 'zj-hkmao',
      decisionNumber: '1',
      'decision-1-hans': '推进共建联合实验室',
      'decision-1-commitment': String(commitment.id),
    });
    expect(saved.statusCode).toBe(303);
    const meeting = await db().selectFrom('meetings').selectAll().executeTakeFirstOrThrow();
    expect(meeting.reference).toMatch(/^ZJHK-M-2026-\d{3}$/);
    const decision = await db().selectFrom('meeting_decisions').selectAll().executeTakeFirstOrThrow();
    const page = await coordinator.get(`/zh-hans/meetings/${meeting.id}`);
    expect(page.body).toContain(`/zh-hans/workspace/commitments/4-1/actions/new?decision=${decision.id}`);
    const created = await coordinator.post(
      `/zh-hans/workspace/commitments/4-1/actions/new`,
      { titleHans: '联合实验室年度评估', status: 'planned', decisionId: String(decision.id) },
      { from: `/zh-hans/workspace/commitments/4-1/actions/new?decision=${decision.id}` },
    );
    expect(created.statusCode).toBe(303);
    const fromDecision = await db().selectFrom('actions').select('decision_id').where('decision_id', '=', decision.id).execute();
    expect(fromDecision).toHaveLength(1);
    const report = await t.app.inject({ url: `/zh-hans/reports/meetings/${meeting.id}` });
    expect(report.statusCode).toBe(200);
    expect(report.body).toContain('浙港合作会议第二次全体会议前的进展');
    expect(report.body).toContain('涵盖 2023-06-26 至 2026-11-20');
  });

  it('records a project agreement with its parties and commitments, and refuses one with a single party', async () => {
    const commitment = await db().selectFrom('commitments').select('id').where('area_number', '=', 4).where('number', '=', 1).executeTakeFirstOrThrow();
    const one = await coordinator.postMultipart('/en/workspace/project-agreements/new', [
      { name: 'titleEn', value: 'Joint laboratory agreement' },
      { name: 'signedOn', value: '2026-11-20' },
      { name: 'status', value: 'signed' },
      { name: 'parties', value: 'zj-dst' },
      { name: 'commitments', value: String(commitment.id) },
    ]);
    expect(one.body).toContain('Name at least two parties');
    const two = await coordinator.postMultipart('/en/workspace/project-agreements/new', [
      { name: 'titleEn', value: 'Joint laboratory agreement' },
      { name: 'signedOn', value: '2026-11-20' },
      { name: 'status', value: 'signed' },
      { name: 'parties', value: 'zj-dst' },
      { name: 'otherParties', value: 'The University of Hong Kong' },
      { name: 'commitments', value: String(commitment.id) },
    ]);
    expect(two.statusCode).toBe(303);
    const api = JSON.parse((await t.app.inject({ url: '/api/v1/project-agreements?commitment=4-1' })).body);
    expect(api.data).toHaveLength(1);
    expect(api.data[0]).toMatchObject({
      reference: 'ZJHK-P-2026-0001',
      parties: [
        { organisation: 'zj-dst', name: null },
        { organisation: null, name: { en: 'The University of Hong Kong' } },
      ],
      commitments: [{ code: '4-1' }],
    });
    const section = await t.app.inject({ url: '/en/agreements/zjhk-2023/commitments/4-1' });
    expect(section.body).toContain('Joint laboratory agreement');
  });

  it('pages and filters the open data, and writes the annual report from the command line', async () => {
    const own = await ownApp();
    await loadImplementationDemo(own.database.db.kysely, { today: '2026-11-26', print: () => {} });
    own.ctx.invalidate();
    const page1 = JSON.parse((await own.app.inject({ url: '/api/v1/actions?limit=10' })).body);
    expect(page1.data).toHaveLength(10);
    expect(page1.total).toBeGreaterThan(40);
    const page2 = JSON.parse((await own.app.inject({ url: page1.next })).body);
    expect(page2.offset).toBe(10);
    expect(page2.data[0].id).not.toBe(page1.data[0].id);
    const delayed = JSON.parse((await own.app.inject({ url: '/api/v1/actions?status=delayed&limit=500' })).body);
    expect(delayed.data.every((a: { status: string }) => a.status === 'delayed')).toBe(true);
    expect((await own.app.inject({ url: '/api/v1/actions?limit=501' })).statusCode).toBe(400);
    const zhejiang = JSON.parse((await own.app.inject({ url: '/api/v1/actions?side=zhejiang&agency=zj-dst&limit=500' })).body);
    expect(zhejiang.data.length).toBeGreaterThan(0);
    expect(zhejiang.data.every((a: { leadZhejiang: string | null; partners: string[] }) => a.leadZhejiang === 'zj-dst' || a.partners.includes('zj-dst'))).toBe(true);

    // The answers are written without the schema-driven serialiser: they must match the documented schemas.
    for (const [url, item] of Object.entries(API_ITEMS)) {
      const answer = JSON.parse((await own.app.inject({ url: `${url}?limit=500` })).body);
      const errors = [...Value.Errors(ApiPage(item), answer)].slice(0, 3).map((e) => `${e.path}: ${e.message}`);
      expect(errors, url).toEqual([]);
      expect(answer.data.length, url).toBeGreaterThan(0);
    }

    const out = await mkdtemp(path.join(os.tmpdir(), 'zjhk-report-'));
    try {
      const printed: string[] = [];
      await reportCommand.run({ config: own.ctx.config, db: own.database.db, actor: { type: 'command', label: 'test' }, now: own.ctx.now, print: (l) => printed.push(l), modules: own.ctx.modules }, [
        'annual',
        '2025',
        '--lang',
        'zh-Hant',
        '--out',
        out,
      ]);
      const files = (await readdir(out)).sort();
      expect(files).toContain('zjhk-annual-2025-zh-hant.html');
      expect(files).toContain('zjhk-annual-2025-zh-hant.xlsx');
      expect(files).toContain('zjhk-annual-2025-zh-hant-indicators.csv');
      const html = await readFile(path.join(out, 'zjhk-annual-2025-zh-hant.html'), 'utf8');
      expect(html).toContain('2025年度落實報告');
      expect(html).toContain('<style>');
      const web = await own.app.inject({ url: '/zh-hant/reports/annual/2025-indicators.csv' });
      expect(await readFile(path.join(out, 'zjhk-annual-2025-zh-hant-indicators.csv'), 'utf8')).toBe(web.body);
    } finally {
      await rm(out, { recursive: true, force: true });
    }
  });
});

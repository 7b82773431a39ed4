import * as OpenCC from 'opencc-js';
import { sql } from 'kysely';
import { describe, expect, it } from 'vitest';
import { DATABASES, freshDatabaseEach } from '../../../test/databases.ts';
import { verifyAuditTrail } from '../../platform/audit/audit.ts';
import type { LocalizedText } from '../../platform/i18n/locales.ts';
import { type ImplementationDemo, readImplementationDemo } from './demo/data.ts';
import { loadImplementationDemo } from './demo/load.ts';

const TODAY = '2026-11-26';
const data = readImplementationDemo();
const toSimplified = OpenCC.Converter({ from: 'hk', to: 'cn' });

/**
 * Where the Simplified text deliberately departs from a character-by-character conversion of the
 * Traditional: Mainland wording for the same thing.
 */
const MAINLAND_USAGE: [string, string][] = [
  ['空气质素', '空气质量'],
  ['乡郊振兴', '乡村振兴'],
  ['“组装合成”建筑法', '模块化集成建筑'],
  ['资讯', '信息'],
  ['网上', '线上'],
  ['质素', '质量'],
  ['数码', '数字'],
  ['视像', '视频'],
  ['营运', '运营'],
  ['程式', '程序'],
  ['支援', '支持'],
  ['检讨', '评估'],
  ['联同', '联合'],
  ['议定', '商定'],
  ['简介会', '说明会'],
  ['检视', '审视'],
  ['范畴', '领域'],
  ['未有', '尚无'],
  ['第三季完成', '第三季度完成'],
];

/** Titles deliberately in one language only (entered by one side), to show the missing-language notice. */
const ONE_LANGUAGE_TITLES = ['完成2026年度在浙港籍学生入学情况汇总', '在溫州舉辦人才入境講座'];

function mainland(traditional: string): string {
  let text = toSimplified(traditional);
  for (const [from, to] of MAINLAND_USAGE) text = text.split(from).join(to);
  return text;
}

function allActions(d: ImplementationDemo) {
  return d.actions.flatMap((a) => [a, ...(a.children ?? [])]);
}

function titles(d: ImplementationDemo): LocalizedText[] {
  return allActions(d).flatMap((a) => [a.title, ...a.milestones.map((m) => m.title)]);
}

describe('the implementation demo file', () => {
  it('says it is illustrative and names its sources', () => {
    expect(data.note).toMatch(/illustrative/i);
    expect(data.sources.length).toBeGreaterThan(0);
    for (const s of data.sources) expect(s.url).toMatch(/^https:\/\//);
  });

  it('titles every action and milestone in three languages, except the deliberate one-language ones', () => {
    const partial = titles(data).filter((t) => !(t['zh-Hant'] && t['zh-Hans'] && t.en));
    expect(partial.map((t) => t['zh-Hant'] ?? t['zh-Hans'] ?? t.en).sort()).toEqual([...ONE_LANGUAGE_TITLES].sort());
    for (const t of partial) expect(Object.keys(t)).toHaveLength(1);
  });

  it('writes the Simplified titles in Simplified characters, as converted from the Traditional and read through', () => {
    const pairs = titles(data).filter((t) => t['zh-Hant'] && t['zh-Hans']) as Required<LocalizedText>[];
    const deliberate: { hant: string; hans: string }[] = [];
    for (const t of pairs) {
      // Already Simplified: converting again changes nothing.
      expect(toSimplified(t['zh-Hans']), t['zh-Hans']).toBe(t['zh-Hans']);
      expect(t['zh-Hans'], t['zh-Hant']).toBe(mainland(t['zh-Hant']));
      if (toSimplified(t['zh-Hant']) !== t['zh-Hans']) deliberate.push({ hant: t['zh-Hant'], hans: t['zh-Hans'] });
    }
    // Most titles are the plain conversion; the rest differ only by the Mainland wording listed above.
    expect(deliberate.length).toBeLessThan(pairs.length / 5);
    // Conversion changes most titles, so identical Traditional and Simplified titles are rare.
    expect(pairs.filter((t) => t['zh-Hant'] === t['zh-Hans']).length).toBeLessThan(pairs.length / 10);
  });

  it('writes Zhejiang agencies’ narratives in Simplified and Hong Kong agencies’ in Traditional', () => {
    for (const u of data.updates) {
      if (u.organisation.startsWith('zj-')) {
        expect(u.narrative['zh-Hans'], u.organisation).toBeTruthy();
        expect(toSimplified(u.narrative['zh-Hans'] as string)).toBe(u.narrative['zh-Hans']);
      } else {
        expect(u.narrative['zh-Hant'], u.organisation).toBeTruthy();
      }
    }
  });
});

describe.each(DATABASES)('loading the implementation demo on %s', (kind) => {
  const t = freshDatabaseEach(kind);

  it('loads actions for every commitment, all illustrative, once', async () => {
    const db = t.db.kysely;
    const lines: string[] = [];
    await loadImplementationDemo(db, { today: TODAY, print: (l) => lines.push(l) });
    expect(lines.join('\n')).toMatch(/illustrative/);

    // Every one of the 42 commitments has at least one action.
    const perCommitment = await db
      .selectFrom('commitments')
      .leftJoin('actions', 'actions.commitment_id', 'commitments.id')
      .select(['commitments.area_number', 'commitments.number', (eb) => eb.fn.count<number>('actions.id').as('actions')])
      .where('commitments.agreement_id', '=', 'zjhk-2023')
      .groupBy(['commitments.area_number', 'commitments.number'])
      .execute();
    expect(perCommitment).toHaveLength(42);
    for (const c of perCommitment) expect(Number(c.actions), `${c.area_number}-${c.number}`).toBeGreaterThan(0);

    // Everything is marked illustrative.
    const flagged = async (table: 'actions' | 'milestones' | 'indicators' | 'progress_updates' | 'project_agreements' | 'meetings') => {
      const rows = await db.selectFrom(table).select(['illustrative']).execute();
      return { total: rows.length, illustrative: rows.filter((r) => r.illustrative).length };
    };
    const counts: Record<string, number> = {};
    for (const table of ['actions', 'milestones', 'indicators', 'progress_updates', 'project_agreements', 'meetings'] as const) {
      const c = await flagged(table);
      expect(c.total, table).toBeGreaterThan(0);
      expect(c.illustrative, table).toBe(c.total);
      counts[table] = c.total;
    }
    expect(counts.actions).toBe(allActions(data).length);
    expect(counts.meetings).toBe(data.meetings.length);
    expect(await db.selectFrom('actions').select('id').where('parent_id', 'is not', null).execute()).not.toHaveLength(0);
    expect(await db.selectFrom('actions').select('id').where('decision_id', 'is not', null).execute()).not.toHaveLength(0);

    // References.
    for (const m of await db.selectFrom('meetings').select(['id', 'reference', 'held_on']).execute()) {
      expect(m.reference).toBe(`ZJHK-M-${m.held_on.slice(0, 4)}-${String(m.id).padStart(2, '0')}`);
    }
    for (const p of await db.selectFrom('project_agreements').select(['id', 'reference']).execute()) {
      expect(p.reference).toMatch(new RegExp(`^ZJHK-P-20\\d\\d-${String(p.id).padStart(4, '0')}$`));
    }
    for (const u of await db.selectFrom('progress_updates').select(['id', 'reference']).execute()) {
      expect(u.reference).toMatch(new RegExp(`^ZJHK-U-20\\d\\d-${String(u.id).padStart(6, '0')}$`));
    }

    // Updates: by a lead of their action, on that organisation's side; each state present.
    const updates = await db
      .selectFrom('progress_updates as u')
      .innerJoin('actions as a', 'a.id', 'u.action_id')
      .innerJoin('organisations as o', 'o.id', 'u.organisation_id')
      .select(['u.state', 'u.side', 'o.side as organisation_side', 'u.organisation_id', 'a.lead_hong_kong', 'a.lead_zhejiang', 'u.approved_at', 'u.decided_at'])
      .execute();
    for (const u of updates) {
      expect(u.side).toBe(u.organisation_side);
      expect([u.lead_hong_kong, u.lead_zhejiang]).toContain(u.organisation_id);
      if (u.state === 'approved') expect(u.approved_at && u.decided_at).toBeTruthy();
    }
    expect(new Set(updates.map((u) => u.state))).toEqual(new Set(['draft', 'submitted', 'returned', 'approved']));

    // Every figure was written by an approved update of the same side that carries it.
    const actuals = await db
      .selectFrom('indicator_actuals as x')
      .innerJoin('progress_updates as u', 'u.id', 'x.update_id')
      .leftJoin('update_indicator_values as v', (j) => j.onRef('v.update_id', '=', 'x.update_id').onRef('v.period_id', '=', 'x.period_id'))
      .select(['x.side', 'u.side as update_side', 'u.state', 'v.period_id'])
      .execute();
    const expectedActuals = data.indicators.reduce((n, i) => n + i.actuals.length, 0);
    expect(actuals).toHaveLength(expectedActuals);
    for (const a of actuals) expect([a.side, a.state, a.period_id !== null]).toEqual([a.update_side, 'approved', true]);

    // A joint indicator whose two sides' figures differ for a period, and one recorded by one side only.
    const differing = await sql<{ id: number }>`
      select p.id from indicator_periods p
      join indicators i on i.id = p.indicator_id and i.scope = 'joint'
      join indicator_actuals h on h.period_id = p.id and h.side = 'hong-kong'
      join indicator_actuals z on z.period_id = p.id and z.side = 'zhejiang'
      where h.value <> z.value`.execute(db);
    expect(differing.rows.length).toBeGreaterThan(0);
    const oneSided = await sql<{ id: number }>`
      select i.id from indicators i
      where i.scope = 'joint'
        and exists (select 1 from indicator_actuals x join indicator_periods p on p.id = x.period_id where p.indicator_id = i.id)
        and (select count(distinct x.side) from indicator_actuals x join indicator_periods p on p.id = x.period_id where p.indicator_id = i.id) = 1`.execute(db);
    expect(oneSided.rows.length).toBeGreaterThan(0);
    const measures = await db.selectFrom('indicators').select('measure').distinct().execute();
    expect(measures.map((m) => m.measure).sort()).toEqual(['number', 'percentage', 'qualitative']);

    // One audit record for the load, and the chain holds.
    const trail = await db.selectFrom('audit_events').select(['action', 'entity_id', 'changes']).where('action', '=', 'implementation.demo-loaded').execute();
    expect(trail).toHaveLength(1);
    expect(trail[0]?.entity_id).toBe('zjhk-2023');
    expect(trail[0]?.changes.actions).toEqual({ before: 0, after: counts.actions });
    expect((await verifyAuditTrail(db)).broken).toBeUndefined();

    // A second load adds nothing.
    const again: string[] = [];
    await loadImplementationDemo(db, { today: TODAY, print: (l) => again.push(l) });
    expect(again.join('\n')).toMatch(/already loaded/);
    for (const table of ['actions', 'milestones', 'indicators', 'progress_updates', 'project_agreements', 'meetings'] as const) {
      expect((await flagged(table)).total, table).toBe(counts[table]);
    }
    expect(await db.selectFrom('audit_events').select('id').where('action', '=', 'implementation.demo-loaded').execute()).toHaveLength(1);
  });

  it('refuses an unknown organisation or commitment, naming the entry, and loads nothing', async () => {
    const db = t.db.kysely;
    const copy = structuredClone(data);
    const first = copy.actions[0];
    if (!first) throw new Error('no actions in the demo file');
    first.leadHongKong = 'hk-no-such-bureau';
    await expect(loadImplementationDemo(db, { today: TODAY, print: () => {}, data: copy })).rejects.toThrow(/actions\[0\].*unknown organisation "hk-no-such-bureau" as leadHongKong/);

    const wrongCommitment = structuredClone(data);
    const indicator = wrongCommitment.indicators[0];
    if (!indicator) throw new Error('no indicators in the demo file');
    indicator.commitment = '13-1';
    await expect(loadImplementationDemo(db, { today: TODAY, print: () => {}, data: wrongCommitment })).rejects.toThrow(
      new RegExp(`indicators\\[0\\] \\(${indicator.key}\\).*unknown commitment "13-1"`),
    );

    expect(await db.selectFrom('actions').select('id').execute()).toHaveLength(0);
    expect(await db.selectFrom('meetings').select('id').execute()).toHaveLength(0);
  });
});

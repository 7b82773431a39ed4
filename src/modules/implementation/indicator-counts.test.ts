import { beforeAll, describe, expect, it } from 'vitest';
import { signedInClient, testAppFor } from '../../../test/app.ts';
import type { TestClient } from '../../../test/client.ts';
import { DATABASES } from '../../../test/databases.ts';
import { todayIn } from '../../platform/clock.ts';
import { defineMessages } from '../../platform/i18n/messages.ts';
import { type IndicatorCountRequest, type IndicatorCountSource, indicatorCountSources } from '../../platform/indicator-counts.ts';
import type { MessageKeyWith, PlainMessageKey } from '../../platform/i18n/messages.ts';
import type { ModuleManifest } from '../../platform/module.ts';
import { modules } from '../index.ts';
import { countActuals } from './indicator-counts.ts';
import { addDays } from './progress.ts';
import { insertIndicator, savePeriod } from './queries/indicators.ts';

const ZONE = 'Asia/Hong_Kong';

/** What a placements module would declare: its words in the three languages (keys outside the typed catalogue, hence the casts). */
const placementsMessages = defineMessages({
  en: {
    'test.placements.label': 'Actuals come from placements made on this platform',
    'test.placements.hint': 'Counting placements: each period’s actual is the number of interns placed.',
    'test.placements.interns': 'Interns placed',
    'test.placements.badge': 'Counted from placements',
    'test.placements.note': (p: { kind: string }) => `The actuals are the placements made (${p.kind}).`,
    'test.placements.link': 'See these placements',
    'test.placements.noFigure': (p: { name: string }) => `${p.name}: counted from placements.`,
  },
  'zh-Hant': {
    'test.placements.label': '實際數字取自本平台的實習配對',
    'test.placements.hint': '按實習配對統計。',
    'test.placements.interns': '已配對實習生',
    'test.placements.badge': '按實習配對統計',
    'test.placements.note': (p) => `實際數字為已配對的實習（${p.kind}）。`,
    'test.placements.link': '查看這些配對',
    'test.placements.noFigure': (p) => `${p.name}：按實習配對統計。`,
  },
  'zh-Hans': {
    'test.placements.label': '实际数字取自本平台的实习配对',
    'test.placements.hint': '按实习配对统计。',
    'test.placements.interns': '已配对实习生',
    'test.placements.badge': '按实习配对统计',
    'test.placements.note': (p) => `实际数字为已配对的实习（${p.kind}）。`,
    'test.placements.link': '查看这些配对',
    'test.placements.noFigure': (p) => `${p.name}：按实习配对统计。`,
  },
});

/** The requests the source was asked to count, the last time. */
let asked: readonly IndicatorCountRequest[] = [];
const NEXT = new Date('2099-01-01T00:00:00Z');

/** A source that keeps no table: every period counts 2 Hong Kong placements and 3 Zhejiang ones. */
const placements: IndicatorCountSource = {
  kind: 'placements',
  choices: [{ value: 'interns', label: 'test.placements.interns' as PlainMessageKey }],
  label: 'test.placements.label' as PlainMessageKey,
  hint: 'test.placements.hint' as PlainMessageKey,
  badge: 'test.placements.badge' as PlainMessageKey,
  note: 'test.placements.note' as MessageKeyWith<{ kind: string }>,
  recordsLink: 'test.placements.link' as PlainMessageKey,
  noFigure: 'test.placements.noFigure' as MessageKeyWith<{ name: string }>,
  async count(_db, requests) {
    asked = requests;
    return { periods: new Map(requests.map((r) => [r.periodId, { total: 5, hongKong: 2, zhejiang: 3 }])), nextChange: NEXT };
  },
  recordsPath: (commitmentCode, choice) => `/placements?commitment=${commitmentCode}&kind=${choice}`,
};

const placementsModule: ModuleManifest = { name: 'placements', messages: placementsMessages, indicatorCounts: [placements] };

/**
 * Implementation counts what any module offers through its manifest: a second source, of a module it
 * does not know, feeds an indicator as events do.
 */
describe.each(DATABASES)('indicators counted by the sources the modules declare, on %s', (kind) => {
  const t = testAppFor(kind, { modules: [...modules, placementsModule] });
  const db = () => t.database.db.kysely;
  let coordinator: TestClient;
  beforeAll(async () => {
    coordinator = (await signedInClient(t, { email: 'counts-coordinator@example.org', role: 'custodian-coordinator', organisationId: 'hk-cmab' })).client;
  });

  it('reads the sources from the app’s modules, in their order, and refuses a kind declared twice', () => {
    expect(indicatorCountSources(t.ctx.modules).map((s) => s.kind)).toEqual(['events', 'placements']);
    expect(() => indicatorCountSources([placementsModule, placementsModule])).toThrow('The indicator count source placements is declared twice');
  });

  it('offers every source’s choices on the form, and shows what a source counts on the pages and in the open data', async () => {
    const form = await coordinator.get('/en/workspace/indicators/new');
    expect(form.body).toContain('<optgroup label="Actuals come from events held on this platform">');
    expect(form.body).toContain('<optgroup label="Actuals come from placements made on this platform"><option value="placements:interns">Interns placed</option></optgroup>');

    const commitment = await db().selectFrom('commitments').select('id').where('area_number', '=', 6).where('number', '=', 1).executeTakeFirstOrThrow();
    const fields = { commitment: String(commitment.id), nameEn: 'Interns placed in Zhejiang', unitEn: 'interns', measure: 'number', direction: 'increase', scope: 'per-side' };
    const created = await coordinator.post('/en/workspace/indicators/new', { ...fields, countsEvents: 'placements:interns' });
    expect(created.statusCode).toBe(303);
    const indicatorId = /indicators\/(\d+)/.exec(String(created.headers.location))?.[1] ?? '';
    expect((await db().selectFrom('indicators').select('counted_by').where('id', '=', Number(indicatorId)).executeTakeFirstOrThrow()).counted_by).toBe('placements:interns');
    const today = todayIn(ZONE);
    const period = await coordinator.post(
      `/en/workspace/indicators/${indicatorId}/periods`,
      { startsOn: addDays(today, -100), endsOn: addDays(today, 100), target: '9' },
      { from: `/en/workspace/indicators/${indicatorId}` },
    );
    expect(period.statusCode).toBe(303);

    const page = await t.app.inject({ url: `/en/implementation/indicators/${indicatorId}` });
    expect(page.body).toContain('<span class="badge">Counted from placements</span> The actuals are the placements made (Interns placed).');
    expect(page.body).toContain('href="/en/placements?commitment=6-1&amp;kind=interns"');
    expect(page.body).toContain('Hong Kong: 2; Zhejiang: 3');
    expect(asked.map((r) => r.choice)).toEqual(['interns']);

    const api = JSON.parse((await t.app.inject({ url: '/api/v1/indicators?commitment=6-1' })).body) as { data: { id: number; countedFromEvents: unknown; periods: { actual: unknown }[] }[] };
    const item = api.data.find((i) => String(i.id) === indicatorId);
    // The open data's field names events: an indicator another source counts has none, and its actuals all the same.
    expect(item?.countedFromEvents).toBeNull();
    expect(item?.periods[0]?.actual).toEqual({ status: 'per-side', value: 5, hongKong: { value: 2, comment: null, confirmed: true }, zhejiang: { value: 3, comment: null, confirmed: true } });
  });

  it('counts each source’s periods with that source, and none of an indicator whose source the app lacks', async () => {
    const commitment = await db().selectFrom('commitments').select('id').where('area_number', '=', 6).where('number', '=', 2).executeTakeFirstOrThrow();
    const values = {
      commitmentId: commitment.id,
      actionId: null,
      name: { en: 'Counted' },
      description: {},
      unit: {},
      measure: 'number',
      direction: 'increase',
      scope: 'joint',
      baselineValue: null,
      baselineText: null,
      baselineOn: null,
      source: {},
    } as const;
    const counted = await insertIndicator(db(), { ...values, countedBy: { source: 'placements', choice: 'interns' } });
    const orphan = await insertIndicator(db(), { ...values, countedBy: { source: 'directory', choice: 'any' } });
    const begun = await savePeriod(db(), counted, { startsOn: '2026-01-01', endsOn: '2026-12-31', targetValue: null, targetText: null });
    const toCome = await savePeriod(db(), counted, { startsOn: '2027-01-01', endsOn: '2027-12-31', targetValue: null, targetText: null });
    const lacking = await savePeriod(db(), orphan, { startsOn: '2026-01-01', endsOn: '2026-12-31', targetValue: null, targetText: null });

    const counts = await countActuals(db(), indicatorCountSources(t.ctx.modules), { now: new Date('2026-06-15T04:00:00Z'), timeZone: ZONE, indicatorIds: [counted, orphan] });
    expect(asked.map((r) => r.periodId)).toEqual([begun, toCome]);
    expect(counts.periods.get(begun)).toEqual({ total: 5, hongKong: 2, zhejiang: 3 });
    // A period yet to begin has no actual; nor has one whose source no module offers.
    expect(counts.periods.has(toCome)).toBe(false);
    expect(counts.periods.has(lacking)).toBe(false);
    expect(counts.nextChange).toEqual(NEXT);
  });
});

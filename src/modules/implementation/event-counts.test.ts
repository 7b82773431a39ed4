import { Value } from '@sinclair/typebox/value';
import type { Kysely } from 'kysely';
import { beforeAll, describe, expect, it } from 'vitest';
import { signedInClient, testAppFor } from '../../../test/app.ts';
import type { TestClient } from '../../../test/client.ts';
import { DATABASES } from '../../../test/databases.ts';
import { json } from '../../platform/db/index.ts';
import type { Database } from '../../platform/db/schema.ts';
import type { EventCountType, EventStatus, EventType } from '../events/index.ts';
import { todayIn } from '../../platform/clock.ts';
import { indicatorCountSources } from '../../platform/indicator-counts.ts';
import { API_ITEMS, ApiPage } from './api.ts';
import { countedRecordsPath, periodReading } from './indicator-counts.ts';
import { addDays } from './progress.ts';
import { insertIndicator, savePeriod } from './queries/indicators.ts';
import { ImplementationReadModel } from './read-model.ts';

const ZONE = 'Asia/Hong_Kong';
const HOUR = 3_600_000;
const DAY = 24 * HOUR;

interface EventSpec {
  type: EventType;
  status?: EventStatus;
  organisers: string[];
  commitments: number[];
  dates: { at: Date; cancelled?: boolean }[];
}

let sequence = 0;

/** An event with its occurrences, written straight into the events tables. */
async function addEvent(db: Kysely<Database>, spec: EventSpec): Promise<number> {
  sequence += 1;
  const first = spec.dates[0]?.at ?? new Date();
  const local = (d: Date) => new Date(d.getTime() + 8 * HOUR).toISOString().slice(0, 16);
  const { id } = await db
    .insertInto('events')
    .values({
      reference: `ZJHK-V-2026-${String(900_000 + sequence)}`,
      type: spec.type,
      status: spec.status ?? 'published',
      title: json({ en: `${spec.type} ${sequence}` }),
      city: 'hangzhou',
      time_zone: ZONE,
      starts_local: local(first),
      duration_minutes: 120,
    })
    .returning('id')
    .executeTakeFirstOrThrow();
  if (spec.organisers.length)
    await db
      .insertInto('event_organisers')
      .values(spec.organisers.map((organisation_id) => ({ event_id: id, organisation_id })))
      .execute();
  if (spec.commitments.length)
    await db
      .insertInto('event_commitments')
      .values(spec.commitments.map((commitment_id) => ({ event_id: id, commitment_id })))
      .execute();
  for (const date of spec.dates) {
    await db
      .insertInto('event_occurrences')
      .values({
        event_id: id,
        slot: local(date.at).slice(0, 10),
        starts_at: date.at,
        ends_at: new Date(date.at.getTime() + 2 * HOUR),
        status: date.cancelled ? 'cancelled' : 'scheduled',
        cancel_reason: date.cancelled ? 'Typhoon signal no. 8' : null,
      })
      .execute();
  }
  return id;
}

async function commitmentId(db: Kysely<Database>, area: number, number: number): Promise<number> {
  const row = await db.selectFrom('commitments').select('id').where('agreement_id', '=', 'zjhk-2023').where('area_number', '=', area).where('number', '=', number).executeTakeFirstOrThrow();
  return row.id;
}

async function addIndicator(db: Kysely<Database>, commitment: number, options: { counts: EventCountType | null; scope?: 'joint' | 'per-side'; periods: [string, string][] }) {
  const id = await insertIndicator(db, {
    commitmentId: commitment,
    actionId: null,
    name: { en: `Events counted (${options.counts ?? 'reported'})` },
    description: {},
    unit: { en: 'events' },
    measure: 'number',
    direction: 'increase',
    scope: options.scope ?? 'joint',
    baselineValue: null,
    baselineText: null,
    baselineOn: null,
    source: {},
    countedBy: options.counts === null ? null : { source: 'events', choice: options.counts },
  });
  const periods: number[] = [];
  for (const [startsOn, endsOn] of options.periods) periods.push(await savePeriod(db, id, { startsOn, endsOn, targetValue: 4, targetText: null }));
  return { id, periods };
}

const at = (iso: string) => new Date(iso);

describe.each(DATABASES)('indicators fed by event counts on %s', (kind) => {
  const t = testAppFor(kind);
  const db = () => t.database.db.kysely;

  it('counts the held, published, not cancelled occurrences of its type and commitment in each period, in the platform’s time zone', async () => {
    const c31 = await commitmentId(db(), 3, 1);
    const c32 = await commitmentId(db(), 3, 2);
    const promotions = await addIndicator(db(), c31, {
      counts: 'promotion',
      periods: [
        ['2025-01-01', '2025-12-31'],
        ['2026-01-01', '2026-12-31'],
        ['2027-01-01', '2027-12-31'],
      ],
    });
    const anyType = await addIndicator(db(), c31, { counts: 'any', periods: [['2026-01-01', '2026-12-31']] });
    const reported = await addIndicator(db(), c31, { counts: null, periods: [['2026-01-01', '2026-12-31']] });
    // 2026: two held promotions, one cancelled, one still to come (later on the day of "now").
    await addEvent(db(), {
      type: 'promotion',
      organisers: ['zj-commerce'],
      commitments: [c31],
      dates: [{ at: at('2026-03-10T02:00:00Z') }, { at: at('2026-04-01T02:00:00Z'), cancelled: true }, { at: at('2026-05-20T06:00:00Z') }, { at: at('2026-06-15T08:00:00Z') }],
    });
    // A symposium: counted by 'any' only.
    await addEvent(db(), { type: 'symposium', organisers: ['hk-investhk'], commitments: [c31], dates: [{ at: at('2026-02-01T02:00:00Z') }] });
    // Not counted: a draft, a cancelled event, another commitment's promotion.
    await addEvent(db(), { type: 'promotion', status: 'draft', organisers: ['zj-commerce'], commitments: [c31], dates: [{ at: at('2026-02-02T02:00:00Z') }] });
    await addEvent(db(), { type: 'promotion', status: 'cancelled', organisers: ['zj-commerce'], commitments: [c31], dates: [{ at: at('2026-02-03T02:00:00Z') }] });
    await addEvent(db(), { type: 'promotion', organisers: ['zj-commerce'], commitments: [c32], dates: [{ at: at('2026-02-04T02:00:00Z') }] });
    // Midnight in Hong Kong: 00:30 on 1 January 2025 there is still 2024 in UTC; 23:30 on 31 December 2024 is not in 2025.
    await addEvent(db(), { type: 'promotion', organisers: ['hk-investhk'], commitments: [c31], dates: [{ at: at('2024-12-31T16:30:00Z') }, { at: at('2024-12-31T15:30:00Z') }] });

    let now = at('2026-06-15T04:00:00Z');
    // Held until something changes (no refresh every few seconds, so the stamps below compare).
    const model = new ImplementationReadModel(
      t.database.db,
      { today: () => todayIn(ZONE, now), now: () => now, timeZone: ZONE, sources: indicatorCountSources(t.ctx.modules) },
      Number.POSITIVE_INFINITY,
    );
    const counts = await model.eventCounts();
    const [y2025, y2026, y2027] = promotions.periods as [number, number, number];
    expect(counts.periods.get(y2025)).toEqual({ total: 1, hongKong: 1, zhejiang: 0 });
    expect(counts.periods.get(y2026)).toEqual({ total: 2, hongKong: 0, zhejiang: 2 });
    expect(counts.periods.has(y2027)).toBe(false);
    expect(counts.periods.get(anyType.periods[0] as number)?.total).toBe(3);
    expect(counts.periods.has(reported.periods[0] as number)).toBe(false);
    expect(counts.nextStart).toEqual(at('2026-06-15T08:00:00Z'));
    expect(await model.eventCounts()).toBe(counts);

    // The commitment's indicators carry the counts; a year not begun has no actual.
    const section = await model.commitment(c31);
    const indicator = section.indicators.find((i) => i.id === promotions.id);
    const readings = indicator?.periods.map((p) => periodReading(indicator, p, (text) => text.en ?? null));
    expect(readings?.map((r) => (r.kind === 'agreed' ? r.value : r.kind))).toEqual([1, 2, 'none']);
    expect(indicator && countedRecordsPath(indicatorCountSources(t.ctx.modules), indicator)).toBe('/events?commitment=3-1&type=promotion');

    // The counts hold until the promotion to come starts, and then count it.
    const stamp = model.stamp();
    now = at('2026-06-15T07:59:00Z');
    expect(model.stamp()).toBe(stamp);
    now = at('2026-06-15T08:00:00Z');
    expect(model.stamp()).not.toBe(stamp);
    expect((await model.eventCounts()).periods.get(y2026)?.total).toBe(3);
  });

  it('counts per side by the organisers’ side, an occurrence organised by both sides for each', async () => {
    const c21 = await commitmentId(db(), 2, 1);
    const perSide = await addIndicator(db(), c21, { counts: 'forum', scope: 'per-side', periods: [['2026-01-01', '2026-12-31']] });
    await addEvent(db(), { type: 'forum', organisers: ['hk-investhk'], commitments: [c21], dates: [{ at: at('2026-02-10T02:00:00Z') }] });
    await addEvent(db(), { type: 'forum', organisers: ['hk-investhk', 'zj-commerce'], commitments: [c21], dates: [{ at: at('2026-03-10T02:00:00Z') }, { at: at('2026-04-10T02:00:00Z') }] });
    await addEvent(db(), { type: 'forum', organisers: ['zj-commerce'], commitments: [c21], dates: [{ at: at('2026-05-10T02:00:00Z') }] });
    const now = at('2026-06-15T04:00:00Z');
    const model = new ImplementationReadModel(t.database.db, { today: () => todayIn(ZONE, now), now: () => now, timeZone: ZONE, sources: indicatorCountSources(t.ctx.modules) });
    const indicator = (await model.commitment(c21)).indicators.find((i) => i.id === perSide.id);
    const period = indicator?.periods[0];
    expect(period?.counted).toEqual({ total: 4, hongKong: 3, zhejiang: 3 });
    const reading = indicator && period ? periodReading(indicator, period, () => null) : undefined;
    expect(reading?.kind === 'per-side' ? [reading.hongKong?.value, reading.zhejiang?.value, reading.total] : reading).toEqual([3, 3, 4]);
  });

  // Each test has a commitment of its own: the pages and counts of one are not those of another.
  describe('on the pages', () => {
    let coordinator: TestClient;
    beforeAll(async () => {
      coordinator = (await signedInClient(t, { email: 'coordinator@example.org', role: 'custodian-coordinator', organisationId: 'hk-cmab' })).client;
    });

    /** An indicator counting events of the given type, with a period from 200 days ago to 200 days on, target 6. */
    const countingIndicator = async (commitment: number, nameEn: string, countsEvents: EventCountType) => {
      const created = await coordinator.post('/en/workspace/indicators/new', {
        commitment: String(commitment),
        nameEn,
        unitEn: 'promotions',
        measure: 'number',
        direction: 'increase',
        scope: 'joint',
        countsEvents: `events:${countsEvents}`,
      });
      expect(created.statusCode).toBe(303);
      const indicatorId = /indicators\/(\d+)/.exec(String(created.headers.location))?.[1] ?? '';
      const today = todayIn(ZONE);
      const period = await coordinator.post(
        `/en/workspace/indicators/${indicatorId}/periods`,
        { startsOn: addDays(today, -200), endsOn: addDays(today, 200), target: '6' },
        { from: `/en/workspace/indicators/${indicatorId}` },
      );
      expect(period.statusCode).toBe(303);
      return indicatorId;
    };

    /** On the commitment: two promotions held, one cancelled and one to come; and a symposium held. */
    const addHeldEvents = async (commitment: number) => {
      const now = Date.now();
      await addEvent(db(), {
        type: 'promotion',
        organisers: ['zj-commerce'],
        commitments: [commitment],
        dates: [{ at: new Date(now - 30 * DAY) }, { at: new Date(now - 20 * DAY) }, { at: new Date(now - 10 * DAY), cancelled: true }, { at: new Date(now + 10 * DAY) }],
      });
      await addEvent(db(), { type: 'symposium', organisers: ['hk-investhk'], commitments: [commitment], dates: [{ at: new Date(now - 5 * DAY) }] });
      // Events writes drop every read model and cached page.
      t.ctx.invalidate();
    };

    it('saves the setting on the indicator form, shows it, and refuses a bad value', async () => {
      const c42 = await commitmentId(db(), 4, 2);
      const fields = { commitment: String(c42), nameEn: 'Investment promotions planned', unitEn: 'promotions', measure: 'number', direction: 'increase', scope: 'joint' };
      const unknown = await coordinator.post('/en/workspace/indicators/new', { ...fields, countsEvents: 'concert' });
      expect(unknown.statusCode).toBe(200);
      expect(unknown.body).toContain('Choose one of the options');
      const unknownType = await coordinator.post('/en/workspace/indicators/new', { ...fields, countsEvents: 'events:concert' });
      expect(unknownType.body).toContain('Choose one of the options');
      const notNumber = await coordinator.post('/en/workspace/indicators/new', { ...fields, measure: 'percentage', countsEvents: 'events:promotion' });
      expect(notNumber.body).toContain('Only an indicator measured as a number can count events');
      expect(await db().selectFrom('indicators').select('id').where('commitment_id', '=', c42).execute()).toHaveLength(0);

      const created = await coordinator.post('/en/workspace/indicators/new', { ...fields, countsEvents: 'events:promotion' });
      expect(created.statusCode).toBe(303);
      const indicatorId = /indicators\/(\d+)/.exec(String(created.headers.location))?.[1] ?? '';
      const row = await db().selectFrom('indicators').select('counted_by').where('id', '=', Number(indicatorId)).executeTakeFirstOrThrow();
      expect(row.counted_by).toBe('events:promotion');
      const form = await coordinator.get(`/en/workspace/indicators/${indicatorId}`);
      expect(form.body).toMatch(/<option value="events:promotion" selected[^>]*>Investment promotion<\/option>/);
      expect(form.body).toContain('Actuals come from events held on this platform');

      const changed = await coordinator.post(`/en/workspace/indicators/${indicatorId}`, { ...fields, countsEvents: 'events:any' });
      expect(changed.statusCode).toBe(303);
      const audited = await db().selectFrom('audit_events').select(['action', 'changes']).where('entity_type', '=', 'indicator').where('entity_id', '=', indicatorId).orderBy('id').execute();
      expect(audited.map((a) => a.action)).toEqual(['indicator.created', 'indicator.updated']);
      expect(JSON.stringify(audited[1]?.changes)).toContain('"countedBy"');
      const back = await coordinator.post(`/zh-hant/workspace/indicators/${indicatorId}`, { ...fields, countsEvents: 'events:promotion' });
      expect(back.statusCode).toBe(303);
    });

    it('shows counted actuals, marked and linked to the calendar, on the commitment page and the dashboard', async () => {
      const c41 = await commitmentId(db(), 4, 1);
      const indicatorId = await countingIndicator(c41, 'Investment promotions held', 'promotion');
      await addHeldEvents(c41);

      const actual = (html: string) =>
        /<caption>Investment promotions held: targets and actuals by period<\/caption>[\s\S]*?<tbody>\s*<tr[^>]*>\s*<th scope="row">[^<]*<\/th>\s*<td class="num">([^<]*)<\/td>\s*<td>([^<]*)<\/td>/
          .exec(html)
          ?.slice(1);
      const page = await t.app.inject({ url: '/en/agreements/zjhk-2023/commitments/4-1' });
      expect(page.statusCode).toBe(200);
      expect(actual(page.body)).toEqual(['6', '2']);
      expect(page.body).toContain('Counted from events');
      expect(page.body).toContain('href="/en/events?commitment=4-1&amp;type=promotion"');
      const dashboard = await t.app.inject({ url: '/en/dashboard?area=4' });
      expect(actual(dashboard.body)).toEqual(['6', '2']);

      // Counting any type takes the symposium too.
      const fields = { nameEn: 'Investment promotions held', unitEn: 'promotions', measure: 'number', direction: 'increase', scope: 'joint', countsEvents: 'events:any' };
      expect((await coordinator.post(`/en/workspace/indicators/${indicatorId}`, fields)).statusCode).toBe(303);
      const again = await t.app.inject({ url: '/en/agreements/zjhk-2023/commitments/4-1' });
      expect(actual(again.body)).toEqual(['6', '3']);
      expect(again.body).toContain('href="/en/events?commitment=4-1"');
      const simplified = await t.app.inject({ url: '/zh-hans/agreements/zjhk-2023/commitments/4-1' });
      expect(simplified.body).toContain('在活动日历中查看这些活动');
    });

    it('asks no figure of it in progress updates, and says why', async () => {
      const indicatorId = await countingIndicator(await commitmentId(db(), 4, 3), 'Investment promotion roadshows', 'promotion');
      const created = await coordinator.post('/en/workspace/commitments/4-3/actions/new', { titleEn: 'Joint investment promotion roadshows', status: 'in-progress', leadHongKong: 'hk-investhk' });
      expect(created.statusCode).toBe(303);
      const actionId = /actions\/(\d+)/.exec(String(created.headers.location))?.[1] ?? '';
      const officer = (await signedInClient(t, { email: 'officer@example.org', role: 'agency-officer', organisationId: 'hk-investhk' })).client;
      const form = await officer.get(`/en/workspace/actions/${actionId}/updates/new`);
      expect(form.statusCode).toBe(200);
      const period = await db().selectFrom('indicator_periods').select('id').where('indicator_id', '=', Number(indicatorId)).executeTakeFirstOrThrow();
      expect(form.body).not.toContain(`name="period-${period.id}"`);
      expect(form.body).toContain('counted from the events held on this platform, so there is no figure to enter here');
      const posted = await officer.post(`/en/workspace/actions/${actionId}/updates/new`, { narrativeEn: 'Two roadshows held.', [`period-${period.id}`]: '5', intent: 'save' });
      expect(posted.statusCode).toBe(303);
      expect(await db().selectFrom('update_indicator_values').select('period_id').where('period_id', '=', period.id).execute()).toHaveLength(0);
    });

    it('gives the counts on the indicator’s page, in the open data and in the annual report', async () => {
      const c51 = await commitmentId(db(), 5, 1);
      const indicatorId = await countingIndicator(c51, 'Investment promotions counted', 'any');
      await addHeldEvents(c51);
      const page = await t.app.inject({ url: `/en/implementation/indicators/${indicatorId}` });
      expect(page.body).toContain('Counted from events');
      expect(page.body).toContain('href="/en/events?commitment=5-1"');
      const api = JSON.parse((await t.app.inject({ url: '/api/v1/indicators?commitment=5-1' })).body) as { data: { id: number; countedFromEvents: unknown; periods: { actual: unknown }[] }[] };
      expect(Value.Check(ApiPage(API_ITEMS['/api/v1/indicators']), api)).toBe(true);
      const item = api.data.find((i) => String(i.id) === indicatorId);
      expect(item?.countedFromEvents).toEqual({ type: 'any', url: '/zh-hant/events?commitment=5-1' });
      expect(item?.periods[0]?.actual).toEqual({ status: 'agreed', value: 3, hongKong: null, zhejiang: null });
      const year = todayIn(ZONE).slice(0, 4);
      const csv = (await t.app.inject({ url: `/en/reports/annual/${year}-indicators.csv` })).body;
      const row = csv.split('\n').find((line) => line.includes('Investment promotions counted'));
      expect(row).toContain(',3,');
      expect(row).toContain('Counted from events');
    });
  });
});

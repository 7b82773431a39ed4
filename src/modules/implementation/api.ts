import { type Static, type TSchema, Type as T } from '@sinclair/typebox';
import { DateSchema, refuseReversed } from '../../platform/http/dates.ts';
import { ErrorResponses } from '../../platform/http/openapi.ts';
import { sendEncodedJson } from '../../platform/http/pages.ts';
import { PagingQuery, RecordIdSchema } from '../../platform/http/query.ts';
import type { App, AppContext } from '../../platform/module.ts';
import { LocalizedTextSchema } from '../../platform/i18n/schemas.ts';
import { DateText, Nullable } from '../../platform/schemas.ts';
import { type IndicatorCountSource, indicatorCountSources } from '../../platform/indicator-counts.ts';
import { countedRecordsPath, periodReading } from './indicator-counts.ts';
import { findActions } from './queries/actions.ts';
import { findMilestones } from './queries/milestones.ts';
import { findIndicators, type Indicator, type Period } from './queries/indicators.ts';
import { findProjectAgreements } from './queries/project-agreements.ts';
import { findMeetings } from './queries/meetings.ts';
import type { ImplementationReadModel } from './read-model.ts';
import { ACTION_STATUSES, MEETING_TYPES, MILESTONE_STATUSES, PROJECT_AGREEMENT_STATUSES } from './schemas.ts';
import { commitmentCode, type CommitmentKey, commitmentPath } from '../agreements/index.ts';

const Code = T.String({ pattern: '^[1-9][0-9]?-[1-9][0-9]?$', description: 'Area and commitment number, e.g. 3-2' });
const Side = T.Union([T.Literal('hong-kong'), T.Literal('zhejiang')]);

const Paging = PagingQuery;
const CommitmentFilter = {
  commitment: T.Optional(Code),
  area: T.Optional(T.Integer({ minimum: 1, maximum: 99, description: 'Area of cooperation number' })),
};

const CommitmentRefSchema = T.Object({ code: Code, area: T.Integer(), number: T.Integer(), url: T.String() });
const Page = <S extends TSchema>(item: S) =>
  T.Object({
    data: T.Array(item),
    total: T.Integer({ description: 'Items matching the filter' }),
    limit: T.Integer(),
    offset: T.Integer(),
    next: Nullable(T.String({ description: 'The next page, if any' })),
  });

const MilestoneSchema = T.Object({
  id: T.Integer(),
  action: T.Integer({ description: 'The action it belongs to' }),
  commitment: CommitmentRefSchema,
  title: LocalizedTextSchema,
  dueOn: DateText,
  status: T.Union(MILESTONE_STATUSES.map((s) => T.Literal(s))),
  metOn: Nullable(DateText),
  overdue: T.Boolean({ description: 'Still scheduled after its due date' }),
  evidence: LocalizedTextSchema,
  illustrative: T.Boolean({ description: 'Demo data, not a real record' }),
});

const ActionSchema = T.Object({
  id: T.Integer(),
  parent: Nullable(T.Integer()),
  commitment: CommitmentRefSchema,
  title: LocalizedTextSchema,
  description: LocalizedTextSchema,
  leadHongKong: Nullable(T.String({ description: 'Organisation id of the Hong Kong lead agency' })),
  leadZhejiang: Nullable(T.String({ description: 'Organisation id of the Zhejiang lead agency' })),
  partners: T.Array(T.String()),
  startsOn: Nullable(DateText),
  endsOn: Nullable(DateText),
  status: T.Union(
    ACTION_STATUSES.map((s) => T.Literal(s)),
    { description: 'As recorded; for a parent, rolled up from its children and milestones' },
  ),
  statusReason: Nullable(T.String()),
  decision: Nullable(T.Integer({ description: 'The meeting decision that created it' })),
  illustrative: T.Boolean(),
  url: T.String(),
});

const ActualSchema = T.Object({ value: Nullable(T.Number()), comment: Nullable(LocalizedTextSchema), confirmed: T.Boolean() });
const IndicatorSchema = T.Object(
  {
    id: T.Integer(),
    commitment: CommitmentRefSchema,
    action: Nullable(T.Integer()),
    title: LocalizedTextSchema,
    description: LocalizedTextSchema,
    unit: LocalizedTextSchema,
    measure: T.Union([T.Literal('number'), T.Literal('percentage'), T.Literal('qualitative')]),
    iatiMeasure: T.Integer({ description: 'IATI IndicatorMeasure code: 1 unit, 2 percentage, 5 qualitative' }),
    ascending: Nullable(T.Boolean({ description: 'IATI ascending: true when higher is better; null when the aim is to maintain' })),
    scope: T.Union([T.Literal('joint'), T.Literal('per-side')], { description: 'One joint figure, or one figure per side' }),
    countedFromEvents: Nullable(
      T.Object(
        {
          type: T.String({ description: 'The type of events counted (promotion, symposium, forum, exhibition, study-tour, training, other), or "any"' }),
          url: T.String({ description: 'The calendar of those events' }),
        },
        {
          description:
            'The actuals are the dates of events held on the platform for the commitment that have taken place (cancelled ones not counted); per side, each date counts for the side of its organisers, and value is the number of dates',
        },
      ),
    ),
    baseline: Nullable(T.Object({ isoDate: Nullable(DateText), value: Nullable(T.Number()), comment: Nullable(LocalizedTextSchema) })),
    periods: T.Array(
      T.Object({
        periodStart: DateText,
        periodEnd: DateText,
        target: T.Object({ value: Nullable(T.Number()), comment: Nullable(LocalizedTextSchema) }),
        actual: T.Object({
          status: T.Union([T.Literal('none'), T.Literal('agreed'), T.Literal('differs'), T.Literal('per-side')], { description: 'differs: the two sides recorded different figures' }),
          value: Nullable(T.Number({ description: 'The agreed figure, or the sum of the sides’ figures where they add up' })),
          hongKong: Nullable(ActualSchema),
          zhejiang: Nullable(ActualSchema),
        }),
      }),
    ),
    source: LocalizedTextSchema,
    illustrative: T.Boolean(),
    url: T.String(),
  },
  { description: 'A results indicator, shaped after the IATI result/indicator element (baseline, periods with target and actual)' },
);

const ProjectAgreementSchema = T.Object({
  id: T.Integer(),
  reference: T.String(),
  title: LocalizedTextSchema,
  summary: LocalizedTextSchema,
  parties: T.Array(T.Object({ organisation: Nullable(T.String()), name: Nullable(LocalizedTextSchema) })),
  signedOn: DateText,
  signedPlace: LocalizedTextSchema,
  startsOn: Nullable(DateText),
  endsOn: Nullable(DateText),
  status: T.Union(PROJECT_AGREEMENT_STATUSES.map((s) => T.Literal(s))),
  commitments: T.Array(CommitmentRefSchema),
  documents: T.Array(T.Object({ name: T.String(), mediaType: T.String(), size: T.Integer(), url: T.String() })),
  sourceUrl: Nullable(T.String()),
  illustrative: T.Boolean(),
  url: T.String(),
});

const MeetingSchema = T.Object({
  id: T.Integer(),
  reference: T.String(),
  type: T.Union(MEETING_TYPES.map((s) => T.Literal(s))),
  title: LocalizedTextSchema,
  heldOn: DateText,
  place: LocalizedTextSchema,
  participants: T.Array(T.String()),
  minutes: LocalizedTextSchema,
  decisions: T.Array(T.Object({ id: T.Integer(), number: T.Integer(), text: LocalizedTextSchema, commitment: Nullable(CommitmentRefSchema) })),
  illustrative: T.Boolean(),
  url: T.String(),
});

/** Each list's item schema, by address (the tests check answers against them). */
export const API_ITEMS = {
  '/api/v1/actions': ActionSchema,
  '/api/v1/milestones': MilestoneSchema,
  '/api/v1/indicators': IndicatorSchema,
  '/api/v1/project-agreements': ProjectAgreementSchema,
  '/api/v1/meetings': MeetingSchema,
} as const;
export const ApiPage = <S extends TSchema>(item: S) => Page(item);

const ActionQuery = T.Object({
  ...Paging,
  ...CommitmentFilter,
  agency: T.Optional(T.String({ pattern: '^[a-z0-9-]{1,64}$' })),
  side: T.Optional(Side),
  status: T.Optional(T.Union(ACTION_STATUSES.map((s) => T.Literal(s)))),
});
const MilestoneQuery = T.Object({
  ...Paging,
  ...CommitmentFilter,
  action: T.Optional(RecordIdSchema),
  status: T.Optional(T.Union(MILESTONE_STATUSES.map((s) => T.Literal(s)))),
  dueFrom: T.Optional(DateSchema),
  dueTo: T.Optional(DateSchema),
});
const IndicatorQuery = T.Object({ ...Paging, ...CommitmentFilter });
const ProjectAgreementQuery = T.Object({ ...Paging, ...CommitmentFilter, status: T.Optional(T.Union(PROJECT_AGREEMENT_STATUSES.map((s) => T.Literal(s)))) });
const MeetingQuery = T.Object({ ...Paging, type: T.Optional(T.Union(MEETING_TYPES.map((s) => T.Literal(s)))), from: T.Optional(DateSchema), to: T.Optional(DateSchema) });

function commitmentRef(c: CommitmentKey): Static<typeof CommitmentRefSchema> {
  return { code: commitmentCode(c), area: c.areaNumber, number: c.number, url: `/zh-hant${commitmentPath(c)}` };
}

/**
 * The open data's `countedFromEvents`, published when events alone fed indicators: it keeps its name
 * and shape, and gives what an indicator counts from the source of that kind ('events') and where to
 * see those records.
 */
function countedFromEvents(i: Indicator, sources: readonly IndicatorCountSource[]): Static<typeof IndicatorSchema>['countedFromEvents'] {
  const path = i.countedBy?.source === 'events' ? countedRecordsPath(sources, i) : undefined;
  return i.countedBy && path ? { type: i.countedBy.choice, url: `/zh-hant${path}` } : null;
}

/** An indicator in IATI's terms: measure code, ascending, baseline, periods with target and actual. `sources`: the app's count sources. */
function iatiIndicator(i: Indicator, commitment: CommitmentKey, sources: readonly IndicatorCountSource[]): Static<typeof IndicatorSchema> {
  const actualOf = (p: Period) => {
    const reading = periodReading(i, p, (text) => JSON.stringify(text));
    const side = (s: 'hong-kong' | 'zhejiang') => {
      if (i.countedBy !== null) {
        const figure = reading.kind === 'per-side' ? (s === 'hong-kong' ? reading.hongKong : reading.zhejiang) : null;
        return figure ? { value: figure.value, comment: null, confirmed: true } : null;
      }
      const a = p.actuals.find((x) => x.side === s);
      return a ? { value: a.value, comment: a.text, confirmed: a.confirmedAt !== null } : null;
    };
    const value = reading.kind === 'agreed' ? reading.value : reading.kind === 'per-side' ? reading.total : null;
    return { status: reading.kind, value, hongKong: side('hong-kong'), zhejiang: side('zhejiang') };
  };
  return {
    id: i.id,
    commitment: commitmentRef(commitment),
    action: i.actionId,
    title: i.name,
    description: i.description,
    unit: i.unit,
    measure: i.measure,
    iatiMeasure: i.measure === 'number' ? 1 : i.measure === 'percentage' ? 2 : 5,
    ascending: i.direction === 'increase' ? true : i.direction === 'decrease' ? false : null,
    scope: i.scope,
    countedFromEvents: countedFromEvents(i, sources),
    baseline: i.baselineOn || i.baselineValue !== null ? { isoDate: i.baselineOn, value: i.baselineValue, comment: i.baselineText } : null,
    periods: i.periods.map((p) => ({ periodStart: p.startsOn, periodEnd: p.endsOn, target: { value: p.targetValue, comment: p.targetText }, actual: actualOf(p) })),
    source: i.source,
    illustrative: i.illustrative,
    url: `/zh-hant/implementation/indicators/${i.id}`,
  };
}

/** Open data of implementation: approved and public records only, paginated and filterable. */
export function implementationApi(app: App, ctx: AppContext, model: ImplementationReadModel): void {
  const db = ctx.db.kysely;
  const sources = indicatorCountSources(ctx.modules);
  const tags = ['Implementation'];
  const page = <X>(url: string, query: Record<string, unknown>, all: X[]) => {
    const limit = Number(query.limit ?? 100);
    const offset = Number(query.offset ?? 0);
    const params = new URLSearchParams(
      Object.entries(query)
        .filter((e) => e[1] !== undefined)
        .map(([k, v]) => [k, String(v)]),
    );
    params.set('limit', String(limit));
    params.set('offset', String(offset + limit));
    return { data: all.slice(offset, offset + limit), total: all.length, limit, offset, next: offset + limit < all.length ? `${url}?${params.toString()}` : null };
  };
  const commitmentsMatching = async (q: { commitment?: string; area?: number }) => {
    const keys = await model.commitmentKeys();
    return keys.filter((c) => (!q.commitment || commitmentCode(c) === q.commitment) && (q.area === undefined || c.areaNumber === q.area));
  };
  /**
   * Answers are cached, serialised, per address until what the public sees changes (with the pages,
   * one building at a time). They are built to the documented schemas and written with
   * JSON.stringify: the schema-driven serialiser checks every union at run time, which for an area's
   * indicators took seconds.
   */
  const route = <Q extends TSchema, R extends TSchema>(
    url: string,
    operationId: string,
    summary: string,
    description: string,
    querystring: Q,
    item: R,
    handler: (query: Static<Q>) => Promise<Static<R>[]>,
  ) => {
    app.get(url, { config: { access: 'public' }, schema: { operationId, tags, summary, description, querystring, response: { 200: Page(item), ...ErrorResponses } } }, async (request, reply) => {
      const body = await ctx.pages.load(`api|${request.url}|${model.stamp()}`, async () => JSON.stringify(page(url, request.query as Record<string, unknown>, await handler(request.query))));
      return sendEncodedJson(reply, body);
    });
  };

  route(
    '/api/v1/actions',
    'listActions',
    'List actions',
    'Actions under the commitments, with their lead agencies on both sides and their state (a parent’s rolled up from its children and milestones).',
    ActionQuery,
    ActionSchema,
    async (q) => {
      const commitments = await commitmentsMatching(q);
      const byId = new Map(commitments.map((c) => [c.id, c]));
      const actions = await findActions(db, { commitmentIds: [...byId.keys()], ...(q.agency ? { organisationIds: [q.agency] } : {}) });
      const rows = await Promise.all(actions.map(async (a) => ({ a, status: (await model.actionStatus(a.id)) ?? a.status })));
      return rows
        .filter(({ a, status }) => (!q.side || (q.side === 'hong-kong' ? a.leadHongKong : a.leadZhejiang) !== null) && (!q.status || status === q.status))
        .map(({ a, status }) => ({
          id: a.id,
          parent: a.parentId,
          commitment: commitmentRef(byId.get(a.commitmentId) as CommitmentKey),
          title: a.title,
          description: a.description,
          leadHongKong: a.leadHongKong,
          leadZhejiang: a.leadZhejiang,
          partners: a.partners,
          startsOn: a.startsOn,
          endsOn: a.endsOn,
          status,
          statusReason: a.statusReason,
          decision: a.decisionId,
          illustrative: a.illustrative,
          url: `/zh-hant/implementation/actions/${a.id}`,
        }));
    },
  );

  route('/api/v1/milestones', 'listMilestones', 'List milestones', 'Milestones of the actions, with due dates and whether they were met.', MilestoneQuery, MilestoneSchema, async (q) => {
    refuseReversed(q, 'dueFrom', 'dueTo');
    const commitments = await commitmentsMatching(q);
    const byId = new Map(commitments.map((c) => [c.id, c]));
    const actions = await findActions(db, { commitmentIds: [...byId.keys()], ...(q.action ? { ids: [q.action] } : {}) });
    const commitmentOf = new Map(actions.map((a) => [a.id, byId.get(a.commitmentId) as CommitmentKey]));
    const today = ctx.today();
    return (await findMilestones(db, { actionIds: actions.map((a) => a.id) }))
      .filter((m) => (!q.status || m.status === q.status) && (!q.dueFrom || m.dueOn >= q.dueFrom) && (!q.dueTo || m.dueOn <= q.dueTo))
      .map((m) => ({
        id: m.id,
        action: m.actionId,
        commitment: commitmentRef(commitmentOf.get(m.actionId) as CommitmentKey),
        title: m.title,
        dueOn: m.dueOn,
        status: m.status,
        metOn: m.metOn,
        overdue: m.status === 'scheduled' && m.dueOn < today,
        evidence: m.evidence,
        illustrative: m.illustrative,
      }));
  });

  route(
    '/api/v1/indicators',
    'listIndicators',
    'List indicators with baselines, targets and actuals',
    'Indicators in the shape of IATI results: baseline, and per period a target and the approved actual. Where the two sides recorded different figures for a joint indicator, status is "differs" and both are given.',
    IndicatorQuery,
    IndicatorSchema,
    async (q) => {
      const commitments = await commitmentsMatching(q);
      const byId = new Map(commitments.map((c) => [c.id, c]));
      const indicators = await model.withCounts(await findIndicators(db, { commitmentIds: [...byId.keys()] }));
      return indicators.map((i) => iatiIndicator(i, byId.get(i.commitmentId) as CommitmentKey, sources));
    },
  );

  route(
    '/api/v1/project-agreements',
    'listProjectAgreements',
    'List project agreements',
    'Concrete project agreements signed under the framework agreement, with their parties, term and the commitments they serve.',
    ProjectAgreementQuery,
    ProjectAgreementSchema,
    async (q) => {
      const commitments = await commitmentsMatching(q);
      const byId = new Map((await model.commitmentKeys()).map((c) => [c.id, c]));
      const filtered = q.commitment || q.area !== undefined;
      const list = await findProjectAgreements(db, filtered ? { commitmentIds: commitments.map((c) => c.id) } : {});
      return list
        .filter((p) => !q.status || p.status === q.status)
        .map((p) => ({
          id: p.id,
          reference: p.reference,
          title: p.title,
          summary: p.summary,
          parties: p.parties.map((x) => ({ organisation: x.organisationId ?? null, name: x.name ?? null })),
          signedOn: p.signedOn,
          signedPlace: p.signedPlace,
          startsOn: p.startsOn,
          endsOn: p.endsOn,
          status: p.status,
          commitments: p.commitmentIds.flatMap((id) => (byId.has(id) ? [commitmentRef(byId.get(id) as CommitmentKey)] : [])),
          documents: p.documents.map((f) => ({ name: f.name, mediaType: f.mediaType, size: f.size, url: `/files/${f.id}/${encodeURIComponent(f.name)}` })),
          sourceUrl: p.sourceUrl,
          illustrative: p.illustrative,
          url: `/zh-hant/project-agreements/${p.id}`,
        }));
    },
  );

  route(
    '/api/v1/meetings',
    'listMeetings',
    'List meetings',
    'Plenaries of the cooperation conference, working groups and symposiums, with participants, minutes and decisions.',
    MeetingQuery,
    MeetingSchema,
    async (q) => {
      refuseReversed(q, 'from', 'to');
      const byId = new Map((await model.commitmentKeys()).map((c) => [c.id, c]));
      return (await findMeetings(db))
        .filter((m) => (!q.type || m.type === q.type) && (!q.from || m.heldOn >= q.from) && (!q.to || m.heldOn <= q.to))
        .map((m) => ({
          id: m.id,
          reference: m.reference,
          type: m.type,
          title: m.title,
          heldOn: m.heldOn,
          place: m.place,
          participants: m.participants,
          minutes: m.minutes,
          decisions: m.decisions.map((d) => ({
            id: d.id,
            number: d.number,
            text: d.text,
            commitment: d.commitmentId !== null && byId.has(d.commitmentId) ? commitmentRef(byId.get(d.commitmentId) as CommitmentKey) : null,
          })),
          illustrative: m.illustrative,
          url: `/zh-hant/meetings/${m.id}`,
        }));
    },
  );
}

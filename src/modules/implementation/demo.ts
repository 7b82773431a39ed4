import { randomUUID } from 'node:crypto';
import fs from 'node:fs';
import { fileURLToPath } from 'node:url';
import { type Static, type TSchema, Type as T } from '@sinclair/typebox';
import { Value } from '@sinclair/typebox/value';
import type { Kysely, Transaction } from 'kysely';
import { type Actor, audit, SYSTEM } from '../../platform/audit/audit.ts';
import { json } from '../../platform/db/index.ts';
import type { Database, Side } from '../../platform/db/schema.ts';
import { LOCALES, type LocalizedText } from '../../platform/i18n/locales.ts';
import { LocalizedTextSchema } from '../../platform/i18n/schemas.ts';
import { ACTION_STATUSES, DIRECTIONS, MEASURES, MILESTONE_STATUSES, SCOPES } from './schemas.ts';
import { commitmentCode, findCommitmentKeys } from '../agreements/index.ts';

/**
 * The illustrative demo data set of implementation tracking (`zjhk seed --demo`): actions and
 * milestones for every commitment, indicators with their periods and figures, progress updates,
 * project agreements and meetings, all read from data/demo/implementation.json and marked illustrative.
 */

export const IMPLEMENTATION_DEMO_FILE = fileURLToPath(new URL('../../../data/demo/implementation.json', import.meta.url));
const AGREEMENT_ID = 'zjhk-2023';

const DateString = T.String({ pattern: '^\\d{4}-\\d{2}-\\d{2}$' });
/** An instant with its offset, e.g. 2026-01-20T11:05:00+08:00. */
const Instant = T.String({ pattern: '^\\d{4}-\\d{2}-\\d{2}T\\d{2}:\\d{2}(:\\d{2})?(Z|[+-]\\d{2}:\\d{2})$' });
const CommitmentRef = T.String({ pattern: '^\\d+-\\d+$', description: '"area-number", e.g. "3-2"' });
const ActionPath = T.String({ pattern: '^\\d+(/\\d+)?$', description: 'index in actions, then index in its children, e.g. "12" or "12/0"' });
const Key = T.String({ minLength: 1 });
const SideSchema = T.Union([T.Literal('hong-kong'), T.Literal('zhejiang')]);
const union = <V extends string>(values: readonly V[]) => T.Union(values.map((v) => T.Literal(v)));
const obj = <P extends Record<string, TSchema>>(properties: P) => T.Object(properties, { additionalProperties: false });


const MilestoneSchema = obj({
  title: LocalizedTextSchema,
  dueOn: DateString,
  status: union(MILESTONE_STATUSES),
  metOn: T.Optional(DateString),
  evidence: T.Optional(LocalizedTextSchema),
});

const actionFields = {
  commitment: CommitmentRef,
  title: LocalizedTextSchema,
  description: T.Optional(LocalizedTextSchema),
  leadHongKong: T.Union([Key, T.Null()]),
  leadZhejiang: T.Union([Key, T.Null()]),
  partners: T.Optional(T.Array(Key)),
  startsOn: DateString,
  endsOn: DateString,
  status: union(ACTION_STATUSES),
  statusReason: T.Optional(T.String({ minLength: 1 })),
  milestones: T.Array(MilestoneSchema),
};
const ChildActionSchema = obj(actionFields);
const ActionSchema = obj({ ...actionFields, children: T.Optional(T.Array(ChildActionSchema)) });

const IndicatorSchema = obj({
  key: Key,
  commitment: CommitmentRef,
  action: T.Optional(ActionPath),
  name: LocalizedTextSchema,
  description: T.Optional(LocalizedTextSchema),
  unit: LocalizedTextSchema,
  measure: union(MEASURES),
  direction: union(DIRECTIONS),
  scope: union(SCOPES),
  baseline: T.Optional(obj({ value: T.Optional(T.Number()), text: T.Optional(LocalizedTextSchema), on: DateString })),
  source: T.Union([
    T.Literal('illustrative'),
    obj({
      publisher: LocalizedTextSchema,
      /** The exact title or headline, quoted as published. */
      title: T.Optional(T.String()),
      /** What the source is, in our words, where its exact title is not given. */
      description: T.Optional(LocalizedTextSchema),
      date: DateString,
      url: T.Optional(T.String({ pattern: '^https?://' })),
      note: T.Optional(LocalizedTextSchema),
    }),
  ]),
  periods: T.Array(obj({ startsOn: DateString, endsOn: DateString, target: T.Optional(T.Number()), targetText: T.Optional(LocalizedTextSchema) }), { minItems: 1 }),
  actuals: T.Array(obj({ period: T.Integer({ minimum: 0 }), side: SideSchema, value: T.Optional(T.Number()), text: T.Optional(LocalizedTextSchema) })),
});

const UpdateSchema = obj({
  action: ActionPath,
  organisation: Key,
  state: union(['draft', 'submitted', 'returned', 'approved'] as const),
  narrative: LocalizedTextSchema,
  createdAt: Instant,
  submittedAt: T.Optional(Instant),
  decidedAt: T.Optional(Instant),
  returnReason: T.Optional(T.String({ minLength: 1 })),
  values: T.Array(obj({ indicator: Key, period: T.Integer({ minimum: 0 }), value: T.Optional(T.Number()), text: T.Optional(LocalizedTextSchema) })),
  projectAgreements: T.Optional(T.Array(Key)),
});

const ProjectAgreementSchema = obj({
  key: Key,
  title: LocalizedTextSchema,
  summary: T.Optional(LocalizedTextSchema),
  parties: T.Array(obj({ organisation: T.Optional(Key), name: T.Optional(LocalizedTextSchema) }), { minItems: 1 }),
  signedOn: DateString,
  signedPlace: LocalizedTextSchema,
  startsOn: T.Optional(DateString),
  endsOn: T.Optional(DateString),
  commitments: T.Array(CommitmentRef),
  status: union(['signed', 'in-implementation', 'completed', 'terminated'] as const),
  sourceUrl: T.Optional(T.String({ pattern: '^https?://' })),
});

const MeetingSchema = obj({
  type: union(['plenary', 'working-group', 'symposium'] as const),
  title: LocalizedTextSchema,
  heldOn: DateString,
  place: LocalizedTextSchema,
  participants: T.Array(Key),
  minutes: LocalizedTextSchema,
  decisions: T.Array(obj({ number: T.Integer({ minimum: 1 }), text: LocalizedTextSchema, commitment: T.Optional(CommitmentRef), actions: T.Optional(T.Array(ActionPath)) })),
});

export const ImplementationDemoSchema = obj({
  note: T.String({ minLength: 1 }),
  sources: T.Array(
    obj({ publisher: T.String(), title: T.Optional(T.String()), description: T.Optional(T.String()), date: DateString, url: T.String({ pattern: '^https?://' }), usedFor: T.String() }),
  ),
  actions: T.Array(ActionSchema),
  indicators: T.Array(IndicatorSchema),
  updates: T.Array(UpdateSchema),
  projectAgreements: T.Array(ProjectAgreementSchema),
  meetings: T.Array(MeetingSchema),
});

export type ImplementationDemo = Static<typeof ImplementationDemoSchema>;
type DemoAction = Static<typeof ChildActionSchema> & { children?: Static<typeof ChildActionSchema>[] };
type DemoIndicator = Static<typeof IndicatorSchema>;

function checkShape(data: unknown, file: string): ImplementationDemo {
  const first = Value.Errors(ImplementationDemoSchema, data).First();
  if (first) throw new Error(`${file}: ${first.path || '/'} ${first.message}`);
  return data as ImplementationDemo;
}

/** Reads and checks the shape of the demo file (references are checked against the database on load). */
export function readImplementationDemo(file = IMPLEMENTATION_DEMO_FILE): ImplementationDemo {
  return checkShape(JSON.parse(fs.readFileSync(file, 'utf8')), file);
}

export interface LoadImplementationDemoOptions {
  /** Today's date, 'YYYY-MM-DD': statuses in the file are checked against it and back-filled figures are dated on it. */
  today: string;
  print(line: string): void;
  /** Who the audit trail records (default: the system). */
  actor?: Actor;
  /** The data to load instead of the file (already parsed; its shape is checked all the same). */
  data?: ImplementationDemo;
}

interface FlatAction {
  path: string;
  where: string;
  action: DemoAction;
  parentPath: string | null;
  commitmentId: number;
}

interface Checked {
  actions: FlatAction[];
  byPath: Map<string, FlatAction>;
  commitmentIds: Map<string, number>;
  sides: Map<string, Side>;
  /** Action path → the decision (meeting index, decision number) that created it. */
  createdBy: Map<string, string>;
}

const SOURCE_LABEL = 'data/demo/implementation.json';

function label(text: LocalizedText): string {
  return text.en ?? text['zh-Hant'] ?? text['zh-Hans'] ?? '';
}

function hasText(text: LocalizedText | undefined): boolean {
  return text !== undefined && LOCALES.some((l) => Boolean(text[l]?.trim()));
}

function dateOf(instant: string): string {
  return instant.slice(0, 10);
}

/** Checks every reference and every date and status against the database and today; throws at the first mistake, naming the entry. */
function check(data: ImplementationDemo, today: string, commitmentIds: Map<string, number>, sides: Map<string, Side | 'other'>): Checked {
  const fail = (where: string, message: string): never => {
    throw new Error(`${SOURCE_LABEL}: ${where}: ${message}`);
  };
  const commitment = (where: string, ref: string): number => commitmentIds.get(ref) ?? fail(where, `names an unknown commitment "${ref}" (no commitment ${ref} in ${AGREEMENT_ID})`);
  const organisation = (where: string, key: string, role: string, side?: Side): void => {
    const actual = sides.get(key);
    if (!actual) fail(where, `names an unknown organisation "${key}" as ${role}`);
    if (side && actual !== side) fail(where, `names "${key}" as ${role}, but it is on the ${actual} side, not ${side}`);
  };
  const text = (where: string, value: LocalizedText | undefined, field: string): void => {
    if (!hasText(value)) fail(where, `has no ${field} in any language`);
  };

  const flat: FlatAction[] = [];
  const checkAction = (action: DemoAction, path: string, parentPath: string | null, where: string): void => {
    const named = `${where} (${action.commitment} “${label(action.title)}”)`;
    const commitmentId = commitment(named, action.commitment);
    text(named, action.title, 'title');
    if (action.leadHongKong) organisation(named, action.leadHongKong, 'leadHongKong', 'hong-kong');
    if (action.leadZhejiang) organisation(named, action.leadZhejiang, 'leadZhejiang', 'zhejiang');
    for (const partner of action.partners ?? []) organisation(named, partner, 'partner');
    if (action.endsOn < action.startsOn) fail(named, `ends (${action.endsOn}) before it starts (${action.startsOn})`);
    if (action.status === 'discontinued' && !action.statusReason) fail(named, 'is discontinued without a statusReason');
    if (action.status === 'planned' && action.startsOn <= today) fail(named, `is planned but started on ${action.startsOn}`);
    if (action.status === 'completed' && action.endsOn > today) fail(named, `is completed but ends on ${action.endsOn}, after today`);
    action.milestones.forEach((m, i) => {
      const mWhere = `${named} milestones[${i}] (“${label(m.title)}”)`;
      text(mWhere, m.title, 'title');
      const reached = m.status === 'met' || m.status === 'partially-met';
      if (reached !== Boolean(m.metOn)) fail(mWhere, reached ? `is ${m.status} without metOn` : `has metOn but is ${m.status}`);
      if (m.metOn && m.metOn > today) fail(mWhere, `was met on ${m.metOn}, after today (${today})`);
      if (m.status === 'not-met' && m.dueOn >= today) fail(mWhere, `is not-met but only due on ${m.dueOn}`);
    });
    flat.push({ path, where: named, action, parentPath, commitmentId });
  };
  data.actions.forEach((action, i) => {
    checkAction(action, String(i), null, `actions[${i}]`);
    (action.children ?? []).forEach((child, j) => {
      checkAction(child, `${i}/${j}`, String(i), `actions[${i}].children[${j}]`);
      if (child.commitment !== action.commitment) fail(`actions[${i}].children[${j}]`, `is under commitment ${child.commitment} but its parent is under ${action.commitment}`);
    });
  });
  const byPath = new Map(flat.map((a) => [a.path, a]));
  const actionAt = (where: string, path: string): FlatAction => byPath.get(path) ?? fail(where, `names an unknown action "${path}"`);

  const indicators = new Map<string, DemoIndicator>();
  data.indicators.forEach((indicator, i) => {
    const where = `indicators[${i}] (${indicator.key})`;
    if (indicators.has(indicator.key)) fail(where, 'repeats an indicator key');
    indicators.set(indicator.key, indicator);
    commitment(where, indicator.commitment);
    text(where, indicator.name, 'name');
    if (indicator.source !== 'illustrative' && !indicator.source.title && !hasText(indicator.source.description)) fail(where, 'names a source with neither a title nor a description');
    if (indicator.action) {
      const action = actionAt(where, indicator.action);
      if (action.action.commitment !== indicator.commitment) fail(where, `is under commitment ${indicator.commitment} but its action ${indicator.action} is under ${action.action.commitment}`);
    }
    const starts = new Set<string>();
    indicator.periods.forEach((p, j) => {
      if (p.endsOn < p.startsOn) fail(`${where} periods[${j}]`, 'ends before it starts');
      if (starts.has(p.startsOn)) fail(`${where} periods[${j}]`, `repeats the start ${p.startsOn}`);
      starts.add(p.startsOn);
    });
    const seen = new Set<string>();
    indicator.actuals.forEach((a, j) => {
      const aWhere = `${where} actuals[${j}]`;
      const period = indicator.periods[a.period] ?? fail(aWhere, `names period ${a.period}, but the indicator has ${indicator.periods.length}`);
      if (period.endsOn >= today) fail(aWhere, `gives a figure for a period that has not ended (${period.startsOn} – ${period.endsOn})`);
      if (seen.has(`${a.period}:${a.side}`)) fail(aWhere, `repeats the ${a.side} figure of period ${a.period}`);
      seen.add(`${a.period}:${a.side}`);
      if (indicator.measure === 'qualitative' ? !hasText(a.text) : a.value === undefined) fail(aWhere, indicator.measure === 'qualitative' ? 'needs a text' : 'needs a value');
    });
  });

  const projectAgreements = new Set<string>();
  data.projectAgreements.forEach((pa, i) => {
    const where = `projectAgreements[${i}] (${pa.key})`;
    if (projectAgreements.has(pa.key)) fail(where, 'repeats a project agreement key');
    projectAgreements.add(pa.key);
    text(where, pa.title, 'title');
    for (const ref of pa.commitments) commitment(where, ref);
    pa.parties.forEach((party, j) => {
      if (party.organisation) organisation(where, party.organisation, `party ${j + 1}`);
      else if (!hasText(party.name)) fail(where, `party ${j + 1} has neither an organisation nor a name`);
    });
    if (pa.startsOn && pa.endsOn && pa.endsOn < pa.startsOn) fail(where, 'ends before it starts');
  });

  const covered = new Set<string>();
  data.updates.forEach((u, i) => {
    const action = actionAt(`updates[${i}]`, u.action);
    const where = `updates[${i}] (${u.organisation} on action ${u.action})`;
    organisation(where, u.organisation, 'author');
    if (u.organisation !== action.action.leadHongKong && u.organisation !== action.action.leadZhejiang) fail(where, `is by "${u.organisation}", which does not lead action ${u.action}`);
    const side = sides.get(u.organisation) as Side;
    text(where, u.narrative, 'narrative');
    if (u.state !== 'draft' && !u.submittedAt) fail(where, `is ${u.state} without submittedAt`);
    if ((u.state === 'approved' || u.state === 'returned') !== Boolean(u.decidedAt)) fail(where, `is ${u.state} ${u.decidedAt ? 'with' : 'without'} decidedAt`);
    if ((u.state === 'returned') !== Boolean(u.returnReason)) fail(where, u.state === 'returned' ? 'is returned without a returnReason' : 'has a returnReason but is not returned');
    const times = [u.createdAt, u.submittedAt, u.decidedAt].filter((t): t is string => Boolean(t));
    for (let k = 1; k < times.length; k += 1) if (Date.parse(times[k] as string) < Date.parse(times[k - 1] as string)) fail(where, 'has its timestamps out of order');
    if (times.some((t) => dateOf(t) > today)) fail(where, `is dated after today (${today})`);
    for (const key of u.projectAgreements ?? []) if (!projectAgreements.has(key)) fail(where, `names an unknown project agreement "${key}"`);
    u.values.forEach((v, j) => {
      const vWhere = `${where} values[${j}]`;
      const indicator = indicators.get(v.indicator) ?? fail(vWhere, `names an unknown indicator "${v.indicator}"`);
      const period = indicator.periods[v.period] ?? fail(vWhere, `names period ${v.period} of ${v.indicator}, which has ${indicator.periods.length}`);
      if (u.state === 'approved') {
        const actual = indicator.actuals.find((a) => a.period === v.period && a.side === side);
        if (!actual) fail(vWhere, `is approved but ${v.indicator} has no ${side} figure for period ${v.period}`);
        if (v.value !== undefined && v.value !== actual?.value) fail(vWhere, `gives ${v.value}, but the ${side} figure of ${v.indicator} period ${v.period} is ${actual?.value}`);
        if (u.decidedAt && dateOf(u.decidedAt) <= period.endsOn) fail(vWhere, `is approved on ${dateOf(u.decidedAt)}, before period ${v.period} ended`);
        const coverKey = `${v.indicator}:${v.period}:${side}`;
        if (covered.has(coverKey)) fail(vWhere, `carries the ${side} figure of ${v.indicator} period ${v.period}, which another approved update already carries`);
        covered.add(coverKey);
      } else if (v.value === undefined && !hasText(v.text)) {
        fail(vWhere, 'needs a value or a text');
      }
    });
  });

  // Figures no update carries are back-filled by the action's lead on that side.
  for (const indicator of data.indicators) {
    for (const a of indicator.actuals) {
      if (covered.has(`${indicator.key}:${a.period}:${a.side}`)) continue;
      const where = `indicators (${indicator.key}) actuals period ${a.period} ${a.side}`;
      if (!indicator.action) fail(where, 'is carried by no update, and the indicator names no action whose lead could report it');
      const action = actionAt(where, indicator.action as string).action;
      if (!(a.side === 'hong-kong' ? action.leadHongKong : action.leadZhejiang)) fail(where, `is carried by no update, and action ${indicator.action} has no ${a.side} lead to report it`);
    }
  }

  const createdBy = new Map<string, string>();
  data.meetings.forEach((m, i) => {
    const where = `meetings[${i}] (${m.heldOn} “${label(m.title)}”)`;
    text(where, m.title, 'title');
    for (const key of m.participants) organisation(where, key, 'participant');
    const numbers = new Set<number>();
    for (const d of m.decisions) {
      const dWhere = `${where} decision ${d.number}`;
      if (numbers.has(d.number)) fail(dWhere, 'repeats a decision number');
      numbers.add(d.number);
      text(dWhere, d.text, 'text');
      if (d.commitment) commitment(dWhere, d.commitment);
      for (const path of d.actions ?? []) {
        actionAt(dWhere, path);
        if (createdBy.has(path)) fail(dWhere, `names action ${path}, which another decision already created`);
        createdBy.set(path, `${i}:${d.number}`);
      }
    }
  });

  return { actions: flat, byPath, commitmentIds, sides: sides as Map<string, Side>, createdBy };
}

/** The database's text for an indicator's source. */
function sourceText(source: DemoIndicator['source']): LocalizedText {
  if (source === 'illustrative') {
    return { 'zh-Hant': '示例數字，並非官方統計。', 'zh-Hans': '示例数字，并非官方统计。', en: 'Illustrative figures, not official statistics.' };
  }
  const out: LocalizedText = {};
  const inLocale = (text: LocalizedText | undefined, locale: (typeof LOCALES)[number]) => (text ? (text[locale] ?? label(text)) : '');
  for (const locale of LOCALES) {
    const en = locale === 'en';
    const parts = [inLocale(source.publisher, locale)];
    if (source.title) parts.push(en ? `“${source.title}”` : `《${source.title}》`);
    if (source.description) parts.push(inLocale(source.description, locale));
    parts.push(source.date);
    if (source.url) parts.push(source.url);
    const note = inLocale(source.note, locale);
    out[locale] = `${parts.join(en ? ', ' : '，')}${en ? '.' : '。'}${note ? (en ? ` ${note}` : note) : ''}`;
  }
  return out;
}

/** A local instant on a date (Hong Kong and Zhejiang share UTC+8). */
function at(date: string, time: string): string {
  return `${date}T${time}+08:00`;
}

function reference(prefix: string, year: string, id: number, digits: number): string {
  return `ZJHK-${prefix}-${year}-${String(id).padStart(digits, '0')}`;
}

type Trx = Transaction<Database>;

/**
 * Loads the demo data set into the implementation tables, all in one transaction and all marked
 * illustrative. Loads nothing when illustrative actions already exist. The agreement and the
 * organisations must be loaded first (`zjhk seed`).
 */
export async function loadImplementationDemo(db: Kysely<Database>, options: LoadImplementationDemoOptions): Promise<void> {
  const { today, print } = options;
  if (!/^\d{4}-\d{2}-\d{2}$/.test(today)) throw new Error(`today must be YYYY-MM-DD, not "${today}"`);
  const data = options.data ? checkShape(options.data, 'the demo data given') : readImplementationDemo();
  const actor = options.actor ?? SYSTEM;

  await db.transaction().execute(async (trx) => {
    const already = await trx.selectFrom('actions').select('id').where('illustrative', '=', true).limit(1).executeTakeFirst();
    if (already) {
      print('  implementation demo: already loaded (illustrative actions exist); nothing added');
      return;
    }
    const commitmentRows = await findCommitmentKeys(trx, AGREEMENT_ID);
    if (commitmentRows.length === 0) throw new Error(`the demo needs the agreement ${AGREEMENT_ID} and its commitments: run \`zjhk seed\` first`);
    const commitmentIds = new Map(commitmentRows.map((c) => [commitmentCode(c), c.id]));
    const organisationRows = await trx.selectFrom('organisations').select(['id', 'side']).execute();
    const checked = check(data, today, commitmentIds, new Map(organisationRows.map((o) => [o.id, o.side])));
    const counts = await insertAll(trx, data, checked, today);
    await audit(trx, {
      actor,
      action: 'implementation.demo-loaded',
      entity: { type: 'agreement', id: AGREEMENT_ID },
      changes: Object.fromEntries(Object.entries(counts).map(([k, n]) => [k, { before: 0, after: n }])),
    });
    print(
      `  implementation demo (illustrative): ${counts.actions} actions, ${counts.milestones} milestones, ${counts.indicators} indicators with ${counts.periods} periods and ${counts.actuals} figures, ${counts.updates} progress updates, ${counts.projectAgreements} project agreements, ${counts.meetings} meetings with ${counts.decisions} decisions`,
    );
  });
}

interface Counts {
  actions: number;
  milestones: number;
  indicators: number;
  periods: number;
  actuals: number;
  updates: number;
  projectAgreements: number;
  meetings: number;
  decisions: number;
}

async function insertAll(trx: Trx, data: ImplementationDemo, checked: Checked, today: string): Promise<Counts> {
  const counts: Counts = { actions: 0, milestones: 0, indicators: 0, periods: 0, actuals: 0, updates: 0, projectAgreements: 0, meetings: 0, decisions: 0 };

  // Meetings and their decisions first: actions point at the decision that created them.
  const decisionIds = new Map<string, number>();
  for (const [i, m] of data.meetings.entries()) {
    const createdAt = at(m.heldOn, '18:00:00');
    const { id } = await trx
      .insertInto('meetings')
      .values({
        reference: `tmp-${randomUUID()}`,
        type: m.type,
        title: json(m.title),
        held_on: m.heldOn,
        place: json(m.place),
        minutes: json(m.minutes),
        illustrative: true,
        created_at: createdAt,
        updated_at: createdAt,
      })
      .returning('id')
      .executeTakeFirstOrThrow();
    await trx.updateTable('meetings').set({ reference: reference('M', m.heldOn.slice(0, 4), id, 2) }).where('id', '=', id).execute();
    counts.meetings += 1;
    if (m.participants.length) {
      await trx
        .insertInto('meeting_participants')
        .values(m.participants.map((organisation_id) => ({ meeting_id: id, organisation_id })))
        .execute();
    }
    for (const d of m.decisions) {
      const decision = await trx
        .insertInto('meeting_decisions')
        .values({ meeting_id: id, number: d.number, text: json(d.text), commitment_id: d.commitment ? (checked.commitmentIds.get(d.commitment) ?? null) : null })
        .returning('id')
        .executeTakeFirstOrThrow();
      decisionIds.set(`${i}:${d.number}`, decision.id);
      counts.decisions += 1;
    }
  }

  // Actions (parents before their children), their partners and milestones.
  const actionIds = new Map<string, number>();
  for (const a of checked.actions) {
    const action = a.action;
    const createdAt = at(action.startsOn < today ? action.startsOn : today, '09:00:00');
    const decision = checked.createdBy.get(a.path);
    const { id } = await trx
      .insertInto('actions')
      .values({
        commitment_id: a.commitmentId,
        parent_id: a.parentPath === null ? null : (actionIds.get(a.parentPath) ?? null),
        decision_id: decision ? (decisionIds.get(decision) ?? null) : null,
        title: json(action.title),
        description: json(action.description ?? {}),
        lead_hong_kong: action.leadHongKong,
        lead_zhejiang: action.leadZhejiang,
        starts_on: action.startsOn,
        ends_on: action.endsOn,
        status: action.status,
        status_reason: action.statusReason ?? null,
        illustrative: true,
        created_at: createdAt,
        updated_at: createdAt,
      })
      .returning('id')
      .executeTakeFirstOrThrow();
    actionIds.set(a.path, id);
    counts.actions += 1;
    if (action.partners?.length) {
      await trx
        .insertInto('action_partners')
        .values(action.partners.map((organisation_id) => ({ action_id: id, organisation_id })))
        .execute();
    }
    if (action.milestones.length) {
      await trx
        .insertInto('milestones')
        .values(
          action.milestones.map((m) => ({
            action_id: id,
            title: json(m.title),
            due_on: m.dueOn,
            status: m.status,
            met_on: m.metOn ?? null,
            evidence: json(m.evidence ?? {}),
            illustrative: true,
            created_at: createdAt,
            updated_at: m.metOn ? at(m.metOn, '17:00:00') : createdAt,
          })),
        )
        .execute();
      counts.milestones += action.milestones.length;
    }
  }

  // Project agreements, in the order given (their numbers follow it).
  const projectAgreementIds = new Map<string, number>();
  for (const pa of data.projectAgreements) {
    const createdAt = at(pa.signedOn, '12:00:00');
    const { id } = await trx
      .insertInto('project_agreements')
      .values({
        reference: `tmp-${randomUUID()}`,
        title: json(pa.title),
        summary: json(pa.summary ?? {}),
        parties: json(pa.parties.map((p) => (p.organisation ? { organisationId: p.organisation } : { name: p.name }))),
        signed_on: pa.signedOn,
        signed_place: json(pa.signedPlace),
        starts_on: pa.startsOn ?? null,
        ends_on: pa.endsOn ?? null,
        status: pa.status,
        source_url: pa.sourceUrl ?? null,
        illustrative: true,
        created_at: createdAt,
        updated_at: createdAt,
      })
      .returning('id')
      .executeTakeFirstOrThrow();
    await trx.updateTable('project_agreements').set({ reference: reference('P', pa.signedOn.slice(0, 4), id, 4) }).where('id', '=', id).execute();
    projectAgreementIds.set(pa.key, id);
    counts.projectAgreements += 1;
    const commitments = [...new Set(pa.commitments.map((c) => checked.commitmentIds.get(c) as number))];
    if (commitments.length) {
      await trx
        .insertInto('project_agreement_commitments')
        .values(commitments.map((commitment_id) => ({ project_agreement_id: id, commitment_id })))
        .execute();
    }
  }

  // Indicators and their periods.
  const periodIds = new Map<string, number[]>();
  for (const indicator of data.indicators) {
    const { id } = await trx
      .insertInto('indicators')
      .values({
        commitment_id: checked.commitmentIds.get(indicator.commitment) as number,
        action_id: indicator.action ? (actionIds.get(indicator.action) ?? null) : null,
        name: json(indicator.name),
        description: json(indicator.description ?? {}),
        unit: json(indicator.unit),
        measure: indicator.measure,
        direction: indicator.direction,
        scope: indicator.scope,
        baseline_value: indicator.baseline?.value ?? null,
        baseline_text: indicator.baseline?.text ? json(indicator.baseline.text) : null,
        baseline_on: indicator.baseline?.on ?? null,
        source: json(sourceText(indicator.source)),
        illustrative: true,
      })
      .returning('id')
      .executeTakeFirstOrThrow();
    counts.indicators += 1;
    const ids: number[] = [];
    for (const p of indicator.periods) {
      const period = await trx
        .insertInto('indicator_periods')
        .values({ indicator_id: id, starts_on: p.startsOn, ends_on: p.endsOn, target_value: p.target ?? null, target_text: p.targetText ? json(p.targetText) : null })
        .returning('id')
        .executeTakeFirstOrThrow();
      ids.push(period.id);
      counts.periods += 1;
    }
    periodIds.set(indicator.key, ids);
  }
  const indicatorsByKey = new Map(data.indicators.map((i) => [i.key, i]));

  interface NewUpdate {
    actionPath: string;
    organisation: string;
    state: 'draft' | 'submitted' | 'returned' | 'approved';
    narrative: LocalizedText;
    createdAt: string;
    submittedAt: string | null;
    decidedAt: string | null;
    returnReason: string | null;
    values: { indicator: string; period: number; value: number | null; text: LocalizedText | null }[];
    projectAgreements: string[];
  }
  const insertUpdate = async (u: NewUpdate): Promise<void> => {
    const action = checked.byPath.get(u.actionPath) as FlatAction;
    const side = checked.sides.get(u.organisation) as Side;
    const { id } = await trx
      .insertInto('progress_updates')
      .values({
        reference: `tmp-${randomUUID()}`,
        action_id: actionIds.get(u.actionPath) as number,
        commitment_id: action.commitmentId,
        organisation_id: u.organisation,
        side,
        narrative: json(u.narrative),
        state: u.state,
        return_reason: u.returnReason,
        submitted_at: u.submittedAt,
        decided_at: u.decidedAt,
        approved_at: u.state === 'approved' ? u.decidedAt : null,
        illustrative: true,
        created_at: u.createdAt,
        updated_at: u.decidedAt ?? u.submittedAt ?? u.createdAt,
      })
      .returning('id')
      .executeTakeFirstOrThrow();
    await trx.updateTable('progress_updates').set({ reference: reference('U', u.createdAt.slice(0, 4), id, 6) }).where('id', '=', id).execute();
    counts.updates += 1;
    for (const v of u.values) {
      const periodId = periodIds.get(v.indicator)?.[v.period] as number;
      const text = v.text ? json(v.text) : null;
      await trx.insertInto('update_indicator_values').values({ update_id: id, period_id: periodId, value: v.value, text }).execute();
      if (u.state === 'approved') {
        await trx
          .insertInto('indicator_actuals')
          .values({ period_id: periodId, side, value: v.value, text, update_id: id, recorded_at: u.decidedAt as string })
          .execute();
        counts.actuals += 1;
      }
    }
    const linked = [...new Set(u.projectAgreements)];
    if (linked.length) {
      await trx
        .insertInto('update_project_agreements')
        .values(linked.map((key) => ({ update_id: id, project_agreement_id: projectAgreementIds.get(key) as number })))
        .execute();
    }
  };

  // The progress updates of the file; an approved one carries the figures it names.
  const covered = new Set<string>();
  for (const u of data.updates) {
    const side = checked.sides.get(u.organisation) as Side;
    await insertUpdate({
      actionPath: u.action,
      organisation: u.organisation,
      state: u.state,
      narrative: u.narrative,
      createdAt: u.createdAt,
      submittedAt: u.submittedAt ?? null,
      decidedAt: u.decidedAt ?? null,
      returnReason: u.returnReason ?? null,
      values: u.values.map((v) => {
        if (u.state !== 'approved') return { indicator: v.indicator, period: v.period, value: v.value ?? null, text: v.text ?? null };
        covered.add(`${v.indicator}:${v.period}:${side}`);
        const actual = indicatorsByKey.get(v.indicator)?.actuals.find((a) => a.period === v.period && a.side === side);
        return { indicator: v.indicator, period: v.period, value: actual?.value ?? null, text: actual?.text ?? null };
      }),
      projectAgreements: u.projectAgreements ?? [],
    });
  }

  // Every other past figure: one back-fill update per action and side, by that side's lead, approved today.
  const backfills = new Map<string, { actionPath: string; side: Side; indicators: Set<string>; values: NewUpdate['values'] }>();
  for (const indicator of data.indicators) {
    for (const a of indicator.actuals) {
      if (covered.has(`${indicator.key}:${a.period}:${a.side}`)) continue;
      const actionPath = indicator.action as string;
      const key = `${actionPath}:${a.side}`;
      const group = backfills.get(key) ?? { actionPath, side: a.side, indicators: new Set<string>(), values: [] };
      group.indicators.add(indicator.key);
      group.values.push({ indicator: indicator.key, period: a.period, value: a.value ?? null, text: a.text ?? null });
      backfills.set(key, group);
    }
  }
  for (const group of backfills.values()) {
    const action = (checked.byPath.get(group.actionPath) as FlatAction).action;
    const names = [...group.indicators].map((key) => (indicatorsByKey.get(key) as DemoIndicator).name);
    const nameIn = (locale: 'zh-Hant' | 'zh-Hans' | 'en') => names.map((n) => n[locale] ?? label(n));
    await insertUpdate({
      actionPath: group.actionPath,
      organisation: (group.side === 'hong-kong' ? action.leadHongKong : action.leadZhejiang) as string,
      state: 'approved',
      narrative: {
        'zh-Hant': `平台啟用時補錄以下指標的過往數字：${nameIn('zh-Hant').join('、')}。`,
        'zh-Hans': `平台启用时补录以下指标的以往数据：${nameIn('zh-Hans').join('、')}。`,
        en: `Past figures entered when the platform was set up, for: ${nameIn('en').join('; ')}.`,
      },
      createdAt: at(today, '09:00:00'),
      submittedAt: at(today, '09:00:00'),
      decidedAt: at(today, '09:30:00'),
      returnReason: null,
      values: group.values,
      projectAgreements: [],
    });
  }

  return counts;
}

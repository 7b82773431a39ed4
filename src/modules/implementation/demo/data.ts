import fs from 'node:fs';
import { fileURLToPath } from 'node:url';
import { type Static, type TSchema, Type as T } from '@sinclair/typebox';
import { Value } from '@sinclair/typebox/value';
import { LOCALES, type LocalizedText } from '../../../platform/i18n/locales.ts';
import { LocalizedTextSchema } from '../../../platform/i18n/schemas.ts';
import { Nullable } from '../../../platform/schemas.ts';
import { ACTION_STATUSES, DIRECTIONS, MEASURES, MILESTONE_STATUSES, SCOPES } from '../schemas.ts';

/**
 * The illustrative demo data set of implementation tracking (`zjhk seed --demo`): actions and
 * milestones for every commitment, indicators with their periods and figures, progress updates,
 * project agreements and meetings, all read from data/demo/implementation.json and marked illustrative.
 */

const IMPLEMENTATION_DEMO_FILE = fileURLToPath(new URL('../../../../data/demo/implementation.json', import.meta.url));
/** The agreement the demo's commitments belong to. */
export const AGREEMENT_ID = 'zjhk-2023';

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
  leadHongKong: Nullable(Key),
  leadZhejiang: Nullable(Key),
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

const ImplementationDemoSchema = obj({
  note: T.String({ minLength: 1 }),
  sources: T.Array(obj({ publisher: T.String(), title: T.Optional(T.String()), description: T.Optional(T.String()), date: DateString, url: T.String({ pattern: '^https?://' }), usedFor: T.String() })),
  actions: T.Array(ActionSchema),
  indicators: T.Array(IndicatorSchema),
  updates: T.Array(UpdateSchema),
  projectAgreements: T.Array(ProjectAgreementSchema),
  meetings: T.Array(MeetingSchema),
});

export type ImplementationDemo = Static<typeof ImplementationDemoSchema>;
export type DemoAction = Static<typeof ChildActionSchema> & { children?: Static<typeof ChildActionSchema>[] };
export type DemoIndicator = Static<typeof IndicatorSchema>;

/** The data, if it has the demo file's shape; else an error naming the first mistake. */
export function checkShape(data: unknown, file: string): ImplementationDemo {
  const first = Value.Errors(ImplementationDemoSchema, data).First();
  if (first) throw new Error(`${file}: ${first.path || '/'} ${first.message}`);
  return data as ImplementationDemo;
}

/** Reads and checks the shape of the demo file (references are checked against the database on load). */
export function readImplementationDemo(file = IMPLEMENTATION_DEMO_FILE): ImplementationDemo {
  return checkShape(JSON.parse(fs.readFileSync(file, 'utf8')), file);
}

/** A text's name in messages: English, or else either Chinese. */
export function label(text: LocalizedText): string {
  return text.en ?? text['zh-Hant'] ?? text['zh-Hans'] ?? '';
}

/** The text says something in some language. */
export function hasText(text: LocalizedText | undefined): boolean {
  return text !== undefined && LOCALES.some((l) => Boolean(text[l]?.trim()));
}

import { Type as T } from '@sinclair/typebox';

export const SUGGESTION_STATES = ['received', 'published', 'responded', 'rejected', 'merged'] as const;
/** The states the public sees. */
export const PUBLIC_STATES = ['published', 'responded'] as const;
export const SUBMITTER_TYPES = ['resident', 'enterprise', 'other'] as const;
/** The workspace queue's views: open (received, then published) is the default. */
export const QUEUE_VIEWS = ['open', ...SUGGESTION_STATES, 'all'] as const;
export type QueueView = (typeof QUEUE_VIEWS)[number];
/** The states each view of the queue lists. */
export const STATE_VIEWS: Record<QueueView, readonly (typeof SUGGESTION_STATES)[number][]> = {
  open: ['received', 'published'],
  received: ['received'],
  published: ['published'],
  responded: ['responded'],
  rejected: ['rejected'],
  merged: ['merged'],
  all: SUGGESTION_STATES,
};
/** Officers see their agency's suggestions once published: waiting for their response, and answered. */
export const OFFICER_VIEWS: readonly QueueView[] = ['published', 'responded'];

/** ZJHK-S-2026-000123: year of receipt and row number. */
const REFERENCE_PATTERN = '^ZJHK-S-\\d{4}-\\d{6,10}$';
const CODE_OR_EMPTY = '^([1-9][0-9]?-[1-9][0-9]?)?$';
const KEY_OR_EMPTY = '^([a-z0-9-]{1,64})?$';
const PAGE = '^([1-9][0-9]{0,5})?$';

export const ReferenceParams = T.Object({ reference: T.String({ pattern: REFERENCE_PATTERN }) });
export const FormBody = T.Record(T.String(), T.Unknown());

/** Filters of the public list (empty values are "any", as an unchanged filter form sends them). */
export const ListQuery = T.Object({
  topic: T.Optional(T.String({ pattern: KEY_OR_EMPTY })),
  commitment: T.Optional(T.String({ pattern: CODE_OR_EMPTY })),
  status: T.Optional(T.Union([T.Literal(''), ...PUBLIC_STATES.map((s) => T.Literal(s))])),
  page: T.Optional(T.String({ pattern: PAGE })),
});

/** A link may preselect what the suggestion is about. */
export const NewQuery = T.Object({
  commitment: T.Optional(T.String({ pattern: CODE_OR_EMPTY })),
  topic: T.Optional(T.String({ pattern: KEY_OR_EMPTY })),
});

export const ReceivedQuery = T.Object({ reference: T.String({ pattern: REFERENCE_PATTERN }) });

export const QueueQuery = T.Object({
  state: T.Optional(T.Union([T.Literal(''), ...QUEUE_VIEWS.map((s) => T.Literal(s))])),
  page: T.Optional(T.String({ pattern: PAGE })),
});

export const SavedQuery = T.Object({ done: T.Optional(T.String({ pattern: '^[a-z]{0,20}$' })) });

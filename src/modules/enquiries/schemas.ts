import { Type as T } from '@sinclair/typebox';
import type { EnquiryOutcome, EnquiryState, EnquiryType } from './tables.ts';

export const ENQUIRY_TYPES = ['enquiry', 'help', 'complaint'] as const satisfies readonly EnquiryType[];
export const ENQUIRY_STATES = ['open', 'awaiting-citizen', 'with-coordinators', 'closed'] as const satisfies readonly EnquiryState[];
export const ENQUIRY_OUTCOMES = ['answered', 'resolved', 'referred', 'not-substantiated', 'withdrawn'] as const satisfies readonly EnquiryOutcome[];

/** At most this many files with an enquiry, and with each reply. */
export const MAX_ATTACHMENTS = 5;
/** Longest description or reply, in characters. */
export const MAX_TEXT = 10_000;

export const IdParams = T.Object({ id: T.String({ pattern: '^[1-9][0-9]{0,9}$' }) });
export const FileParams = T.Object({ id: T.String({ pattern: '^[1-9][0-9]{0,9}$' }), file: T.String({ pattern: '^[A-Za-z0-9_-]{10,64}$' }), name: T.String({ maxLength: 400 }) });
export const TrackFileParams = T.Object({ file: T.String({ pattern: '^[A-Za-z0-9_-]{10,64}$' }), name: T.String({ maxLength: 400 }) });
export const FormBody = T.Record(T.String(), T.Unknown());

export const QueueQuery = T.Object({
  state: T.Optional(T.Union([T.Literal(''), ...ENQUIRY_STATES.map((s) => T.Literal(s))])),
  type: T.Optional(T.Union([T.Literal(''), ...ENQUIRY_TYPES.map((s) => T.Literal(s))])),
  overdue: T.Optional(T.Union([T.Literal(''), T.Literal('1')])),
  page: T.Optional(T.Integer({ minimum: 1, maximum: 10_000 })),
  saved: T.Optional(T.String({ maxLength: 40 })),
});

export const CaseQuery = T.Object({ saved: T.Optional(T.String({ maxLength: 40 })) });
export const TrackQuery = T.Object({ reference: T.Optional(T.String({ maxLength: 40 })), saved: T.Optional(T.String({ maxLength: 40 })) });

export const StatisticsQuery = T.Object({
  year: T.Optional(T.Integer({ minimum: 2023, maximum: 2100 })),
  agency: T.Optional(T.String({ pattern: '^[a-z0-9-]{0,64}$' })),
});

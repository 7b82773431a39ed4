import { Type as T } from '@sinclair/typebox';
import { DateOrEmptySchema } from '../../platform/http/dates.ts';

export const ACTION_STATUSES = ['planned', 'in-progress', 'completed', 'at-risk', 'delayed', 'discontinued'] as const;
export const MILESTONE_STATUSES = ['scheduled', 'met', 'not-met', 'partially-met'] as const;
export const MEASURES = ['number', 'percentage', 'qualitative'] as const;
export const DIRECTIONS = ['increase', 'decrease', 'maintain'] as const;
export const SCOPES = ['joint', 'per-side'] as const;
export const PROJECT_AGREEMENT_STATUSES = ['signed', 'in-implementation', 'completed', 'terminated'] as const;
export const MEETING_TYPES = ['plenary', 'working-group', 'symposium'] as const;

export const IdParams = T.Object({ id: T.String({ pattern: '^[1-9][0-9]{0,9}$' }) });
export const CodeParams = T.Object({ code: T.String({ pattern: '^[1-9][0-9]?-[1-9][0-9]?$' }) });
export const FormBody = T.Record(T.String(), T.Unknown());

/** Filters of the public dashboard and the reports. */
export const DashboardQuery = T.Object({
  area: T.Optional(T.String({ pattern: '^([1-9][0-9]?)?$' })),
  side: T.Optional(T.Union([T.Literal(''), T.Literal('hong-kong'), T.Literal('zhejiang')])),
  agency: T.Optional(T.String({ pattern: '^[a-z0-9-]{0,64}$' })),
  from: T.Optional(DateOrEmptySchema),
  to: T.Optional(DateOrEmptySchema),
});

import { type Static, Type as T } from '@sinclair/typebox';
import { LocalizedTextSchema } from '../../platform/i18n/schemas.ts';
import { Nullable } from '../../platform/schemas.ts';

export const ORGANISATION_TYPES = [
  'government-agency',
  'custodian',
  'statutory-body',
  'enterprise',
  'ngo',
  'school-or-university',
  'hospital',
  'law-firm',
  'mediation-body',
  'arbitration-body',
  'chamber-or-association',
] as const;
export const SIDES = ['hong-kong', 'zhejiang', 'other'] as const;

const Verified = T.Object({ 'zh-Hant': T.Optional(T.Boolean()), 'zh-Hans': T.Optional(T.Boolean()), en: T.Optional(T.Boolean()) }, { additionalProperties: false });

/** One entry of data/organisations/organisations.json. */
const OrganisationFileEntrySchema = T.Object(
  {
    key: T.String({ pattern: '^[a-z0-9]+(-[a-z0-9]+)*$' }),
    type: T.Union(ORGANISATION_TYPES.map((t) => T.Literal(t))),
    side: T.Union(SIDES.map((s) => T.Literal(s))),
    parent: Nullable(T.String()),
    name: LocalizedTextSchema,
    abbreviation: T.Optional(T.Object({ en: T.String() }, { additionalProperties: false })),
    website: T.Optional(T.String({ pattern: '^https://' })),
    verified: Verified,
    note: T.Optional(T.String()),
  },
  { additionalProperties: false },
);
export type OrganisationFileEntry = Static<typeof OrganisationFileEntrySchema>;
export const OrganisationFileSchema = T.Array(OrganisationFileEntrySchema);

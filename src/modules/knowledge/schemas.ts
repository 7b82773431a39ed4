import { type Static, Type as T } from '@sinclair/typebox';
import { LocalizedTextSchema } from '../../platform/i18n/schemas.ts';
import { Nullable } from '../../platform/schemas.ts';

export const ARTICLE_STATUSES = ['draft', 'internal', 'public'] as const;
/** The agreement whose commitments articles and categories name by code ("11-1"). */
export const AGREEMENT_ID = 'zjhk-2023';

const Key = T.String({ pattern: '^[a-z0-9]+(-[a-z0-9]+)*$', maxLength: 100 });
const CommitmentCode = T.String({ pattern: '^[1-9][0-9]?-[1-9][0-9]?$' });
/** A source's date as precise as it is known: 2020, 2020-03 or 2020-03-31. */
export const SOURCE_DATE = /^\d{4}(-(0[1-9]|1[0-2])(-(0[1-9]|[12]\d|3[01]))?)?$/;
/** Only absolute web addresses: a source is something a reader can open. */
export const SOURCE_URL = /^https?:\/\/[^\s|]+$/;

const ArticleSourceSchema = T.Object(
  {
    publisher: T.String({ minLength: 1, maxLength: 300 }),
    title: T.String({ minLength: 1, maxLength: 500 }),
    date: T.String({ pattern: SOURCE_DATE.source }),
    url: T.Optional(T.String({ pattern: SOURCE_URL.source, maxLength: 1000 })),
  },
  { additionalProperties: false },
);

/** One entry of data/knowledge/categories.json. */
const CategoryFileEntrySchema = T.Object(
  {
    key: Key,
    parent: Nullable(Key),
    commitments: T.Array(CommitmentCode),
    name: LocalizedTextSchema,
  },
  { additionalProperties: false },
);
export type CategoryFileEntry = Static<typeof CategoryFileEntrySchema>;
export const CategoryFileSchema = T.Array(CategoryFileEntrySchema);

/** data/knowledge/articles/<slug>/meta.json */
export const ArticleMetaSchema = T.Object(
  {
    category: Key,
    responsibleAgency: T.String({ minLength: 1, maxLength: 64 }),
    commitments: T.Array(CommitmentCode),
    related: T.Array(Key),
    reviewOn: T.String({ pattern: '^\\d{4}-\\d{2}-\\d{2}$' }),
    status: T.Union(ARTICLE_STATUSES.map((s) => T.Literal(s))),
    sources: T.Array(ArticleSourceSchema),
  },
  { additionalProperties: false },
);
export type ArticleMeta = Static<typeof ArticleMetaSchema>;

export const SlugParams = T.Object({ slug: Key });
export const KeyParams = T.Object({ key: Key });
export const IdParams = T.Object({ id: T.String({ pattern: '^[1-9][0-9]{0,9}$' }) });
export const FormBody = T.Record(T.String(), T.Unknown());

/** The public search page. Anything can be typed: overlong queries are cut rather than refused. */
export const SearchQuery = T.Object({
  q: T.Optional(T.String({ maxLength: 1000 })),
  category: T.Optional(T.String({ pattern: '^([a-z0-9]+(-[a-z0-9]+)*)?$', maxLength: 100 })),
  page: T.Optional(T.String({ pattern: '^[1-9][0-9]{0,3}$' })),
});

export const SuggestQuery = T.Object({ q: T.Optional(T.String({ maxLength: 1000 })) });

export const SuggestResponse = T.Object({
  query: T.String(),
  /** What a screen reader announces: how many suggestions there are. */
  status: T.String(),
  suggestions: T.Array(T.Object({ title: T.String(), url: T.String() })),
});

export const WorkspaceQuery = T.Object({
  status: T.Optional(T.Union([T.Literal(''), T.Literal('review-due'), ...ARTICLE_STATUSES.map((s) => T.Literal(s))])),
  q: T.Optional(T.String({ maxLength: 1000 })),
  saved: T.Optional(T.String({ maxLength: 20 })),
});

/** The longest query searched (longer ones are cut): enough for a question typed in full. */
export const MAX_QUERY = 200;

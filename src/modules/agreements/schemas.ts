import { type Static, Type as T } from '@sinclair/typebox';
import { LocalizedTextSchema } from '../../platform/i18n/schemas.ts';
import { Nullable } from '../../platform/schemas.ts';

const Text = T.String({ minLength: 1 });
const DateString = T.String({ pattern: '^\\d{4}-\\d{2}-\\d{2}$', description: 'A calendar date, YYYY-MM-DD' });
const Locale = T.Union([T.Literal('zh-Hant'), T.Literal('zh-Hans'), T.Literal('en')]);
const Authority = T.Union([T.Literal('official'), T.Literal('unofficial-translation')]);
const RenewalStatus = T.Union([T.Literal('negotiating'), T.Literal('renewed'), T.Literal('lapsed')]);

// ---- The data files under data/agreements/<id>/ -------------------------------------------------

/** The facts of an agreement that do not depend on the language, as in its file and in the API. */
const agreementFacts = {
  title: LocalizedTextSchema,
  signedOn: DateString,
  signedPlace: LocalizedTextSchema,
  effectiveFrom: DateString,
  expiresOn: DateString,
  renewable: T.Boolean(),
  officialLocales: T.Array(Locale, { minItems: 1 }),
  custodians: T.Array(T.Object({ key: Text, name: LocalizedTextSchema }, { additionalProperties: false })),
};

/** data/agreements/<id>/agreement.json: what does not depend on the language. */
export const AgreementFileSchema = T.Object(
  {
    id: T.String({ pattern: '^[a-z0-9]+(-[a-z0-9]+)*$' }),
    ...agreementFacts,
    texts: T.Record(T.String(), T.Object({ file: Text, authority: Authority }, { additionalProperties: false })),
    sources: T.Array(Text),
  },
  { additionalProperties: false },
);
export type AgreementFile = Static<typeof AgreementFileSchema>;

const Party = T.Object({ key: Text, name: Text, addressLabel: Text, address: Text, representativeLabel: Text }, { additionalProperties: false });
const Clause = T.Object({ key: Text, paragraph: T.Integer({ minimum: 1 }), text: Text }, { additionalProperties: false });
const Signatory = T.Object({ key: Text, name: Text, seal: Text, signatory: Text, date: Text }, { additionalProperties: false });

/** The parts of one language's text other than the areas and commitments. */
const AgreementDocumentSchema = T.Object(
  {
    annexLabel: Text,
    title: Text,
    parties: T.Array(Party),
    preamble: Text,
    purpose: T.Object({ heading: Text, text: Text }, { additionalProperties: false }),
    content: T.Object({ heading: Text }, { additionalProperties: false }),
    closing: T.Object({ heading: Text, clauses: T.Array(Clause) }, { additionalProperties: false }),
    signature: T.Object({ parties: T.Array(Signatory) }, { additionalProperties: false }),
  },
  { additionalProperties: false },
);
export type AgreementDocument = Static<typeof AgreementDocumentSchema>;

/** data/agreements/<id>/<locale>.json: one language's whole text. */
export const AgreementTextFileSchema = T.Composite([
  T.Object({
    locale: Locale,
    areas: T.Array(
      T.Object(
        {
          number: T.Integer({ minimum: 1 }),
          label: Text,
          heading: Text,
          title: Text,
          commitments: T.Array(T.Object({ number: T.Integer({ minimum: 1 }), text: Text }, { additionalProperties: false }), { minItems: 1 }),
        },
        { additionalProperties: false },
      ),
      { minItems: 1 },
    ),
  }),
  AgreementDocumentSchema,
]);
export type AgreementTextFile = Static<typeof AgreementTextFileSchema>;

// ---- The JSON API -----------------------------------------------------------------------------

const Lifecycle = T.Object(
  {
    phase: T.Union([T.Literal('not-yet-in-force'), T.Literal('in-force'), T.Literal('expiring'), T.Literal('expired')], {
      description: 'Computed from the term and today’s date (Hong Kong time): expiring means within 180 days of the end of the term.',
    }),
    days: T.Integer({ minimum: 0, description: 'Days until entry into force, days remaining, or days since expiry, by phase' }),
    asOf: DateString,
    renewal: T.Union([
      T.Null(),
      T.Object({
        status: RenewalStatus,
        renewedBy: Nullable(T.String(), { description: 'The id of the agreement that renewed this one' }),
        note: Nullable(T.String()),
        recordedAt: T.String({ format: 'date-time' }),
      }),
    ]),
  },
  { description: 'Where the agreement stands today' },
);

const CommitmentSchema = T.Object({
  code: T.String({ description: 'Area number and commitment number, e.g. 1-7: stable, used in URLs' }),
  area: T.Integer(),
  number: T.Integer(),
  text: LocalizedTextSchema,
  url: T.String({ description: 'The commitment’s page (Traditional Chinese; /zh-hans/ and /en/ give the other languages)' }),
});

const AreaSchema = T.Object({
  number: T.Integer(),
  label: LocalizedTextSchema,
  heading: LocalizedTextSchema,
  title: LocalizedTextSchema,
  commitments: T.Array(CommitmentSchema),
});

export const AgreementSummarySchema = T.Object({
  id: T.String(),
  ...agreementFacts,
  lifecycle: Lifecycle,
  areaCount: T.Integer(),
  commitmentCount: T.Integer(),
  revision: T.Integer({ description: 'Increases whenever the stored text changes' }),
  url: T.String(),
});

export const AgreementDetailSchema = T.Composite([
  AgreementSummarySchema,
  T.Object({
    texts: T.Record(
      T.String(),
      T.Object({
        authority: Authority,
        document: T.Unsafe<AgreementDocument>(T.Object({}, { additionalProperties: true, description: 'Parties, preamble, purpose, closing provisions and signatures in this language' })),
      }),
    ),
    areas: T.Array(AreaSchema),
  }),
]);

export const AgreementListSchema = T.Object({ data: T.Array(AgreementSummarySchema), total: T.Integer() });
export const AgreementParamsSchema = T.Object({ id: T.String({ pattern: '^[a-z0-9-]{1,64}$', description: 'The agreement id', examples: ['zjhk-2023'] }) });
export const AreaParamsSchema = T.Object({ id: T.String({ pattern: '^[a-z0-9-]{1,64}$' }), area: T.String({ pattern: '^[1-9][0-9]?$' }) });
export const CommitmentParamsSchema = T.Object({ id: T.String({ pattern: '^[a-z0-9-]{1,64}$' }), code: T.String({ pattern: '^[1-9][0-9]?-[1-9][0-9]?$' }) });
export const CompareQuerySchema = T.Object({
  left: T.Optional(Locale),
  right: T.Optional(Locale),
  area: T.Optional(T.String({ pattern: '^(all|[1-9][0-9]?)$' })),
});

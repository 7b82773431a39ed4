import type { Static } from '@sinclair/typebox';
import { ErrorResponses } from '../../platform/http/openapi.ts';
import { sendEncodedJson } from '../../platform/http/pages.ts';
import { keepCompressed } from '../../platform/http/precompressed.ts';
import { HttpError } from '../../platform/http/errors.ts';
import type { App, AppContext } from '../../platform/module.ts';
import { computeLifecycle } from './lifecycle.ts';
import type { StoredAgreement } from './queries.ts';
import { AgreementDetailSchema, AgreementListSchema, AgreementParamsSchema, type AgreementSummarySchema } from './schemas.ts';
import { agreementStamp, type AgreementStore } from './store.ts';
import { agreementPath, commitmentCode, commitmentPath } from './catalogue.ts';

function summary(agreement: StoredAgreement, today: string): Static<typeof AgreementSummarySchema> {
  const lifecycle = computeLifecycle(agreement, today);
  return {
    id: agreement.id,
    title: agreement.title,
    signedOn: agreement.signedOn,
    signedPlace: agreement.signedPlace,
    effectiveFrom: agreement.effectiveFrom,
    expiresOn: agreement.expiresOn,
    renewable: agreement.renewable,
    lifecycle: {
      ...lifecycle,
      renewal: agreement.renewal
        ? {
            status: agreement.renewal.status,
            renewedBy: agreement.renewal.renewedById,
            note: agreement.renewal.note,
            recordedAt: agreement.renewal.recordedAt.toISOString(),
          }
        : null,
    },
    officialLocales: agreement.officialLocales,
    custodians: agreement.custodians,
    areaCount: agreement.areas.length,
    commitmentCount: agreement.areas.reduce((n, a) => n + a.commitments.length, 0),
    revision: agreement.revision,
    url: `/zh-hant${agreementPath(agreement.id)}`,
  };
}

function detail(agreement: StoredAgreement, today: string): Static<typeof AgreementDetailSchema> {
  return {
    ...summary(agreement, today),
    texts: agreement.texts as Static<typeof AgreementDetailSchema>['texts'],
    areas: agreement.areas.map((area) => ({
      number: area.number,
      label: area.label,
      heading: area.heading,
      title: area.title,
      commitments: area.commitments.map((c) => ({
        code: commitmentCode({ areaNumber: area.number, number: c.number }),
        area: area.number,
        number: c.number,
        text: c.text,
        url: `/zh-hant${commitmentPath({ agreementId: agreement.id, areaNumber: area.number, number: c.number })}`,
      })),
    })),
  };
}

export function agreementApi(app: App, ctx: AppContext, store: AgreementStore): void {
  const cache = new Map<string, Buffer>();
  /** The serialised JSON is cached (encoded) per agreement version and day, like the pages. */
  const serialise = (key: string, build: () => unknown): Buffer => {
    let body = cache.get(key);
    if (body === undefined) {
      if (cache.size > 100) cache.clear();
      body = keepCompressed(Buffer.from(JSON.stringify(build())));
      cache.set(key, body);
    }
    return body;
  };
  ctx.onInvalidate(() => cache.clear());

  app.get(
    '/api/v1/agreements',
    {
      config: { access: 'public' },
      schema: {
        operationId: 'listAgreements',
        tags: ['Agreements'],
        summary: 'List the agreements',
        description: 'Every agreement on the platform with its term, lifecycle and custodians, in all three languages.',
        response: { 200: AgreementListSchema, ...ErrorResponses },
      },
    },
    async (_request, reply) => {
      const agreements = await store.list();
      const today = ctx.today();
      const body = serialise(`list|${today}|${agreements.map(agreementStamp).join(',')}`, () => ({
        data: agreements.map((a) => summary(a, today)),
        total: agreements.length,
      }));
      return sendEncodedJson(reply, body);
    },
  );

  app.get(
    '/api/v1/agreements/:id',
    {
      config: { access: 'public' },
      schema: {
        operationId: 'getAgreement',
        tags: ['Agreements'],
        summary: 'Get an agreement with its areas and commitments',
        description:
          'The whole agreement: parties, preamble, purpose, the areas with their numbered commitments, closing provisions and signatures, in Traditional Chinese and Simplified Chinese (official) and English (unofficial translation).',
        params: AgreementParamsSchema,
        response: { 200: AgreementDetailSchema, ...ErrorResponses },
      },
    },
    async (request, reply) => {
      const agreement = await store.get(request.params.id);
      if (!agreement) throw new HttpError(404, 'agreement_not_found', `No agreement ${request.params.id}`);
      const today = ctx.today();
      const body = serialise(`one|${today}|${agreementStamp(agreement)}`, () => detail(agreement, today));
      return sendEncodedJson(reply, body);
    },
  );
}

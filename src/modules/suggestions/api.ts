import { type Static, Type as T } from '@sinclair/typebox';
import { ErrorResponses } from '../../platform/http/openapi.ts';
import { sendEncodedJson } from '../../platform/http/pages.ts';
import { PagingQuery } from '../../platform/http/query.ts';
import type { App, AppContext } from '../../platform/module.ts';
import { todayIn } from '../../platform/clock.ts';
import { LocalizedTextSchema } from '../../platform/i18n/schemas.ts';
import { DateText, Nullable } from '../../platform/schemas.ts';
import { findPublicSuggestions, type PublicSuggestion } from './queries.ts';
import type { SuggestionsReadModel } from './read-model.ts';
import { PUBLIC_STATES } from './schemas.ts';
import { commitmentCode, type CommitmentInfo, commitmentPath } from '../agreements/index.ts';

const Code = T.String({ pattern: '^[1-9][0-9]?-[1-9][0-9]?$', description: 'Area and commitment number, e.g. 3-2' });
const Status = T.Union(
  PUBLIC_STATES.map((s) => T.Literal(s)),
  { description: 'published: waiting for the official response; responded: answered' },
);

const CommitmentRefSchema = T.Object({ code: Code, area: T.Integer(), number: T.Integer(), url: T.String() });

const SuggestionSchema = T.Object(
  {
    reference: T.String({ description: 'ZJHK-S-<year of receipt>-<number>' }),
    status: Status,
    title: T.String({ description: 'The public title, checked by a coordinator' }),
    text: T.String({ description: 'The public text, checked by a coordinator' }),
    language: T.Union([T.Literal('zh-Hant'), T.Literal('zh-Hans'), T.Literal('en')], { description: 'The language it was written in' }),
    topic: Nullable(T.String({ description: 'A knowledge-base category key, or "other"' })),
    commitment: Nullable(CommitmentRefSchema),
    responsibleAgency: T.String({ description: 'Organisation id of the agency that responds' }),
    supporters: T.Integer({ minimum: 1, description: 'People who made this suggestion: itself and the duplicates merged into it' }),
    receivedOn: DateText,
    publishedOn: DateText,
    respondedOn: Nullable(DateText),
    response: Nullable(LocalizedTextSchema),
    url: T.String(),
  },
  { description: 'A published suggestion and its official response. Who sent it is never published.' },
);

export const SuggestionsPage = T.Object({
  data: T.Array(SuggestionSchema),
  total: T.Integer({ description: 'Items matching the filter' }),
  limit: T.Integer(),
  offset: T.Integer(),
  next: Nullable(T.String({ description: 'The next page, if any' })),
});

const SuggestionsQuery = T.Object({
  ...PagingQuery,
  topic: T.Optional(T.String({ pattern: '^[a-z0-9-]{1,64}$', description: 'A knowledge-base category key, or "other"' })),
  commitment: T.Optional(Code),
  status: T.Optional(Status),
});

/** Open data of suggestions: published and responded ones only, with no personal data. */
export function suggestionsApi(app: App, ctx: AppContext, model: SuggestionsReadModel): void {
  const db = ctx.db.kysely;
  const day = (at: Date) => todayIn(ctx.config.timeZone, at);
  const item = (s: PublicSuggestion, commitments: Map<number, CommitmentInfo>): Static<typeof SuggestionSchema> => {
    const c = s.commitmentId === null ? undefined : commitments.get(s.commitmentId);
    return {
      reference: s.reference,
      status: s.state,
      title: s.title,
      text: s.body,
      language: s.language,
      topic: s.topic,
      commitment: c ? { code: commitmentCode(c), area: c.areaNumber, number: c.number, url: `/zh-hant${commitmentPath(c)}` } : null,
      responsibleAgency: s.responsibleAgency,
      supporters: s.supporters,
      receivedOn: day(s.receivedAt),
      publishedOn: day(s.publishedAt),
      respondedOn: s.respondedAt ? day(s.respondedAt) : null,
      response: s.response,
      url: `/zh-hant/suggestions/${s.reference}`,
    };
  };

  app.get(
    '/api/v1/suggestions',
    {
      config: { access: 'public' },
      schema: {
        operationId: 'listSuggestions',
        tags: ['Suggestions'],
        summary: 'List published suggestions',
        description:
          'Suggestions from Hong Kong people and enterprises in Zhejiang, as published by the coordinators, with their status, the responsible agency and its official response. The most recently published first.',
        querystring: SuggestionsQuery,
        response: { 200: SuggestionsPage, ...ErrorResponses },
      },
    },
    async (request, reply) => {
      const body = await ctx.pages.load(`api|${request.url}|${model.stamp()}`, async () => {
        const q = request.query;
        const limit = q.limit ?? 100;
        const offset = q.offset ?? 0;
        const commitments = new Map((await model.commitments()).map((c) => [c.id, c]));
        const commitment = q.commitment ? [...commitments.values()].find((c) => commitmentCode(c) === q.commitment) : undefined;
        const { rows, total } = await findPublicSuggestions(db, {
          ...(q.topic ? { topic: q.topic } : {}),
          ...(q.commitment ? { commitmentIds: commitment ? [commitment.id] : [] } : {}),
          ...(q.status ? { states: [q.status] } : {}),
          limit,
          offset,
        });
        const params = new URLSearchParams(
          Object.entries(q)
            .filter((e) => e[1] !== undefined)
            .map(([k, v]) => [k, String(v)]),
        );
        params.set('limit', String(limit));
        params.set('offset', String(offset + limit));
        const page: Static<typeof SuggestionsPage> = {
          data: rows.map((s) => item(s, commitments)),
          total,
          limit,
          offset,
          next: offset + limit < total ? `/api/v1/suggestions?${params.toString()}` : null,
        };
        return JSON.stringify(page);
      });
      return sendEncodedJson(reply, body);
    },
  );
}

import { type Static, Type as T } from '@sinclair/typebox';
import { ErrorResponses } from '../../platform/http/openapi.ts';
import { sendEncodedJson } from '../../platform/http/pages.ts';
import { PagingQuery } from '../../platform/http/query.ts';
import type { App, AppContext } from '../../platform/module.ts';
import { Nullable } from '../../platform/schemas.ts';
import { findStatistics, type StatisticsRow } from './queries/statistics.ts';
import type { StatisticsPages } from './statistics.tsx';

const EnquiryStatisticsSchema = T.Object(
  {
    agency: Nullable(T.String({ description: 'Organisation id of the handling agency (null: cases waiting with the coordinators to be assigned)' })),
    month: T.String({ pattern: '^\\d{4}-\\d{2}$', description: 'The month, YYYY-MM' }),
    received: T.Integer({ minimum: 0, description: 'Cases received in the month (counted for the agency handling them now)' }),
    closed: T.Integer({ minimum: 0, description: 'Cases closed in the month' }),
    closedOnTime: T.Integer({ minimum: 0, description: 'Of those closed, how many within their time limit and extensions' }),
    onTimeRate: Nullable(T.Number({ minimum: 0, maximum: 1, description: 'closedOnTime / closed' })),
    medianWorkingDays: Nullable(T.Number({ minimum: 0, description: 'Median working days taken by the cases closed (pauses for the citizen left out)' })),
    averageSatisfaction: Nullable(T.Number({ minimum: 1, maximum: 5, description: 'Average rating (1 to 5) of the cases closed that were rated' })),
    ratings: T.Integer({ minimum: 0, description: 'How many of the cases closed were rated' }),
  },
  { description: 'Enquiries handled by one agency in one month. Personal data is never part of it; purged cases still count.' },
);

export const EnquiryStatisticsPage = T.Object({
  data: T.Array(EnquiryStatisticsSchema),
  total: T.Integer({ description: 'Items matching the filter' }),
  limit: T.Integer(),
  offset: T.Integer(),
  next: Nullable(T.String({ description: 'The next page, if any' })),
});

const Query = T.Object({
  year: T.Optional(T.Integer({ minimum: 2023, maximum: 2100, description: 'The year (default: this year)' })),
  agency: T.Optional(T.String({ pattern: '^[a-z0-9-]{1,64}$', description: 'Only this agency (organisation id)' })),
  ...PagingQuery,
});

function statisticsItem(r: StatisticsRow): Static<typeof EnquiryStatisticsSchema> {
  return {
    agency: r.agencyId,
    month: r.month,
    received: r.received,
    closed: r.closed,
    closedOnTime: r.closedOnTime,
    onTimeRate: r.closed === 0 ? null : Math.round((r.closedOnTime / r.closed) * 10_000) / 10_000,
    medianWorkingDays: r.medianWorkingDays,
    averageSatisfaction: r.averageSatisfaction,
    ratings: r.ratings,
  };
}

/** Open data: enquiry statistics per agency per month, as on the statistics page. */
export function enquiriesApi(app: App, ctx: AppContext, pages: StatisticsPages): void {
  const url = '/api/v1/enquiry-statistics';
  app.get(
    url,
    {
      config: { access: 'public' },
      schema: {
        operationId: 'listEnquiryStatistics',
        tags: ['Enquiries'],
        summary: 'Enquiry statistics per agency per month',
        description:
          'For each handling agency and month of a year: enquiries received and closed, the share closed within the time limit (counted in working days on the agency’s calendar), the median working days taken and the average satisfaction rating.',
        querystring: Query,
        response: { 200: EnquiryStatisticsPage, ...ErrorResponses },
      },
    },
    async (request, reply) => {
      const q = request.query;
      const body = await ctx.pages.load(`api|${request.url}|enquiry-statistics|${pages.stamp()}`, async () => {
        const year = q.year ?? Number(ctx.today().slice(0, 4));
        const limit = q.limit ?? 100;
        const offset = q.offset ?? 0;
        const all = (await findStatistics(ctx.db.kysely, { year, agencyId: q.agency })).map(statisticsItem);
        const params = new URLSearchParams({ year: String(year), ...(q.agency ? { agency: q.agency } : {}), limit: String(limit), offset: String(offset + limit) });
        return JSON.stringify({ data: all.slice(offset, offset + limit), total: all.length, limit, offset, next: offset + limit < all.length ? `${url}?${params.toString()}` : null });
      });
      return sendEncodedJson(reply, body);
    },
  );
}

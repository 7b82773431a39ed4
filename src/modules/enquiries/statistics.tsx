import { renderPage } from '../../platform/html/layout.tsx';
import { pageRoute } from '../../platform/http/pages.ts';
import type { App, AppContext } from '../../platform/module.ts';
import { ReadModelCache } from '../../platform/read-model.ts';
import { lookups } from './lookups.ts';
import { findStatistics, findStatisticsYears, type StatisticsRow } from './queries/statistics.ts';
import { StatisticsQuery } from './schemas.ts';
import { StatisticsPage, type StatisticsView } from './views/statistics.tsx';

/**
 * The statistics are aggregates over every case of a year: the page and the open data are cached per
 * address, under a stamp that changes when this process receives, closes or rates a case, and at
 * least every minute (so a change made by another process shows within a minute).
 */
export class StatisticsPages {
  private readonly cache: ReadModelCache;
  constructor(clock: () => number = Date.now) {
    this.cache = new ReadModelCache({ name: 'enquiry-statistics', ttlMs: 60_000, now: clock });
  }

  changed(): void {
    this.cache.invalidate();
  }

  stamp(): string {
    return this.cache.stamp();
  }
}

/** The figures of a year, per agency and month, per month, and in total. */
async function statisticsFor(ctx: AppContext, year: number, agencyId: string | undefined): Promise<{ rows: StatisticsRow[]; months: StatisticsRow[]; total: StatisticsRow | undefined }> {
  const db = ctx.db.kysely;
  const [rows, months, yearly] = await Promise.all([
    findStatistics(db, { year, agencyId }),
    findStatistics(db, { year, agencyId, overall: true }),
    findStatistics(db, { year, agencyId, overall: true, wholeYear: true }),
  ]);
  return { rows, months, total: yearly[0] };
}

export function statisticsRoutes(app: App, ctx: AppContext, pages: StatisticsPages): void {
  const db = ctx.db.kysely;
  const look = lookups(ctx);
  pageRoute(app, ctx.assets, '/enquiries/statistics', { querystring: StatisticsQuery }, async (request, _reply, page) => {
    const year = request.query.year ?? Number(ctx.today().slice(0, 4));
    const agency = request.query.agency ?? '';
    const render = async () => {
      const [figures, span, organisations] = await Promise.all([statisticsFor(ctx, year, agency || undefined), findStatisticsYears(db), look.organisations()]);
      const last = Math.max(span?.last ?? year, Number(ctx.today().slice(0, 4)), year);
      const first = Math.min(span?.first ?? year, year);
      const years = Array.from({ length: last - first + 1 }, (_, i) => last - i);
      const agencies = [...(await look.agencies(page.locale)).keys()];
      const view: StatisticsView = { year, agency, years, agencies, ...figures };
      return renderPage(<StatisticsPage ctx={page} view={view} organisations={organisations} />);
    };
    if (page.principal) return render();
    return ctx.pages.load(`${page.locale}|${page.path}|enquiry-statistics|${pages.stamp()}`, render);
  });
}

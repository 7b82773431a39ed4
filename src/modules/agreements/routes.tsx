import type { PageContext } from '../../platform/html/context.ts';
import { renderPage } from '../../platform/html/layout.tsx';
import { HttpError } from '../../platform/http/errors.ts';
import { pageRoute } from '../../platform/http/pages.ts';
import type { Locale } from '../../platform/i18n/locales.ts';
import type { App, AppContext } from '../../platform/module.ts';
import { computeLifecycle } from './lifecycle.ts';
import type { StoredAgreement } from './queries.ts';
import { AgreementParamsSchema, AreaParamsSchema, CommitmentParamsSchema, CompareQuerySchema } from './schemas.ts';
import { agreementStamp, type AgreementStore } from './store.ts';
import { AreaPage } from './views/area.tsx';
import { CommitmentPage } from './views/commitment.tsx';
import { HomePage } from './views/home.tsx';
import { ComparePage } from './views/compare.tsx';
import { ListPage } from './views/list.tsx';
import { OverviewPage } from './views/overview.tsx';
import { PrintPage } from './views/print.tsx';

export function agreementRoutes(app: App, ctx: AppContext, store: AgreementStore): void {
  const load = async (id: string): Promise<StoredAgreement> => {
    const agreement = await store.get(id);
    if (!agreement) throw new HttpError(404, 'agreement_not_found', `No agreement ${id}`);
    return agreement;
  };
  /**
   * Renders through the page cache: for visitors who are not signed in, pages change only with the
   * agreement, the day, and the URL. A signed-in person's header is their own, so theirs are rendered.
   */
  const cached = (page: PageContext, agreement: StoredAgreement, render: () => preact.VNode): Buffer | string =>
    page.principal ? renderPage(render()) : ctx.pages.get(`${page.locale}|${page.path}|${agreementStamp(agreement)}|${ctx.today()}`, () => renderPage(render()));

  /** The home page leads with the current agreement (the most recently signed). */
  pageRoute(app, ctx.assets, '/', {}, async (_request, _reply, page) => {
    const agreements = await store.list();
    const current = agreements.at(-1);
    if (!current) return renderPage(<HomePage ctx={page} agreement={undefined} lifecycle={undefined} />);
    return cached(page, current, () => <HomePage ctx={page} agreement={current} lifecycle={computeLifecycle(current, ctx.today())} />);
  });

  pageRoute(app, ctx.assets, '/agreements', {}, async (_request, _reply, page) => {
    const agreements = await store.list();
    const today = ctx.today();
    return renderPage(<ListPage ctx={page} agreements={agreements.map((a) => ({ agreement: a, lifecycle: computeLifecycle(a, today) }))} />);
  });

  pageRoute(app, ctx.assets, '/agreements/:id', { params: AgreementParamsSchema }, async (request, _reply, page) => {
    const agreement = await load(request.params.id);
    return cached(page, agreement, () => <OverviewPage ctx={page} agreement={agreement} lifecycle={computeLifecycle(agreement, ctx.today())} />);
  });

  pageRoute(app, ctx.assets, '/agreements/:id/areas/:area', { params: AreaParamsSchema }, async (request, _reply, page) => {
    const agreement = await load(request.params.id);
    return cached(page, agreement, () => {
      const area = agreement.areas.find((a) => a.number === Number(request.params.area));
      if (!area) throw new HttpError(404, 'area_not_found', `No area ${request.params.area} in ${agreement.id}`);
      return <AreaPage ctx={page} agreement={agreement} area={area} />;
    });
  });

  pageRoute(app, ctx.assets, '/agreements/:id/commitments/:code', { params: CommitmentParamsSchema }, async (request, _reply, page) => {
    const agreement = await load(request.params.id);
    const [areaNumber, number] = request.params.code.split('-').map(Number) as [number, number];
    const sequence = agreement.areas.flatMap((area) => area.commitments.map((c) => ({ area, number: c.number })));
    const index = sequence.findIndex((s) => s.area.number === areaNumber && s.number === number);
    const here = sequence[index];
    if (!here) throw new HttpError(404, 'commitment_not_found', `No commitment ${request.params.code} in ${agreement.id}`);
    // Other modules' sections (implementation …) load their data first; their stamps join the cache key.
    const sections = await Promise.all(ctx.commitmentSections.map((s) => s.load({ agreementId: agreement.id, areaNumber, number }, page)));
    const render = () => (
      <CommitmentPage ctx={page} agreement={agreement} area={here.area} number={number} previous={sequence[index - 1]} next={sequence[index + 1]}>
        {sections.map((s) => s.render())}
      </CommitmentPage>
    );
    if (page.principal) return renderPage(render());
    return ctx.pages.get(`${page.locale}|${page.path}|${agreementStamp(agreement)}|${sections.map((s) => s.stamp).join(',')}|${ctx.today()}`, () => renderPage(render()));
  });

  pageRoute(app, ctx.assets, '/agreements/:id/compare', { params: AgreementParamsSchema, querystring: CompareQuerySchema }, async (request, _reply, page) => {
    const agreement = await load(request.params.id);
    const left: Locale = request.query.left ?? page.locale;
    const right: Locale = request.query.right ?? (left === 'en' ? 'zh-Hant' : 'en');
    const areaParam = request.query.area;
    const area = areaParam === undefined || areaParam === 'all' ? undefined : Number(areaParam);
    if (area !== undefined && !agreement.areas.some((a) => a.number === area)) {
      throw new HttpError(404, 'area_not_found', `No area ${area} in ${agreement.id}`);
    }
    return cached(page, agreement, () => <ComparePage ctx={page} agreement={agreement} left={left} right={right} area={area} />);
  });

  pageRoute(app, ctx.assets, '/agreements/:id/print', { params: AgreementParamsSchema }, async (request, _reply, page) => {
    const agreement = await load(request.params.id);
    return cached(page, agreement, () => <PrintPage ctx={page} agreement={agreement} lifecycle={computeLifecycle(agreement, ctx.today())} />);
  });
}

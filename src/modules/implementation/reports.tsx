import { mkdir, readFile, writeFile } from 'node:fs/promises';
import path from 'node:path';
import { parseArgs } from 'node:util';
import { Type as T } from '@sinclair/typebox';
import type { PageContext } from '../../platform/html/context.ts';
import { pageContext } from '../../platform/html/context.ts';
import { Layout, renderPage } from '../../platform/html/layout.tsx';
import { Assets } from '../../platform/http/assets.ts';
import { HttpError } from '../../platform/http/errors.ts';
import { pageRoute } from '../../platform/http/pages.ts';
import { isLocale, LOCALE_INFO, type Locale } from '../../platform/i18n/locales.ts';
import { indicatorCountSources } from '../../platform/indicator-counts.ts';
import { type Command, UsageError } from '../../platform/module.ts';
import type { App, AppContext } from '../../platform/module.ts';
import { toCsv, toXlsx } from '../../platform/reports/spreadsheet.ts';
import { todayIn } from '../../platform/clock.ts';
import { countActuals } from './indicator-counts.ts';
import { buildReport, type Report, REPORT_TABLES, type ReportScope, type ReportTable, reportWorkbook } from './build-report.ts';
import { findMeetings } from './queries/meetings.ts';
import type { ImplementationReadModel } from './read-model.ts';
import { formatNumber } from './views/parts.tsx';

const FIRST_YEAR = 2023;
/** Rows a table shows on the page (and on paper); the workbook and the CSV files have them all. */
const HTML_ROWS = 500;
const FileParams = T.Object({ file: T.String({ pattern: `^\\d{4}(-(${REPORT_TABLES.join('|')})\\.csv|\\.xlsx)?$` }) });
const MeetingFileParams = T.Object({ file: T.String({ pattern: `^[1-9][0-9]{0,9}(-(${REPORT_TABLES.join('|')})\\.csv|\\.xlsx)?$` }) });

function cell(value: unknown, kind: string | undefined, ctx: PageContext): string {
  if (value === null || value === undefined || value === '') return '–';
  if (typeof value === 'number') return formatNumber(ctx, value);
  if (kind === 'date' && typeof value === 'string') return ctx.date(value);
  return String(value);
}

/**
 * A report for reading and printing: each table starts on a new page, and the report's title repeats
 * at the top of every printed page (a table header the browser repeats).
 */
function ReportPage({ ctx, report, downloads }: { ctx: PageContext; report: Report; downloads: { label: string; href: string }[] }) {
  const { t } = ctx;
  return (
    <Layout ctx={ctx} title={report.title} variant="print" breadcrumbs={[{ label: t('impl.reports.title'), href: ctx.href('/reports') }, { label: report.title }]}>
      <table class="report-frame">
        <thead>
          <tr>
            <td class="running-header">
              {t('site.name')} · {report.title}
            </td>
          </tr>
        </thead>
        <tbody>
          <tr>
            <td>
              <h1>{report.title}</h1>
              <p class="lead">{report.subtitle}</p>
              <p class="meta">{t('impl.report.generated', { date: ctx.date(report.generatedOn) })}</p>
              {report.illustrative && <p class="notice">{t('impl.report.illustrativeNote')}</p>}
              {downloads.length > 0 && (
                <ul class="downloads no-print">
                  {downloads.map((d) => (
                    <li>
                      <a href={d.href} download>
                        {d.label}
                      </a>
                    </li>
                  ))}
                </ul>
              )}
              {REPORT_TABLES.map((key) => {
                const sheet = report.tables[key];
                return (
                  <section class="report-section" aria-labelledby={`report-${key}`}>
                    <h2 id={`report-${key}`}>{sheet.name}</h2>
                    {sheet.rows.length === 0 ? (
                      <p>{t('impl.report.empty')}</p>
                    ) : (
                      <div class="table-scroll">
                        <table class="report-table">
                          <caption class="visually-hidden">{sheet.title}</caption>
                          <thead>
                            <tr>
                              {sheet.columns.map((c) => (
                                <th scope="col">{c.header}</th>
                              ))}
                            </tr>
                          </thead>
                          <tbody>
                            {sheet.rows.slice(0, HTML_ROWS).map((row) => (
                              <tr>
                                {sheet.columns.map((c, i) =>
                                  i === 0 ? <th scope="row">{cell(row[c.key], c.kind, ctx)}</th> : <td class={c.kind === 'number' ? 'num' : undefined}>{cell(row[c.key], c.kind, ctx)}</td>,
                                )}
                              </tr>
                            ))}
                          </tbody>
                        </table>
                        {sheet.rows.length > HTML_ROWS && <p class="meta">{t('impl.report.moreRows', { shown: HTML_ROWS, total: sheet.rows.length })}</p>}
                      </div>
                    )}
                  </section>
                );
              })}
            </td>
          </tr>
        </tbody>
      </table>
    </Layout>
  );
}

function ReportsIndex({ ctx, years, meetings }: { ctx: PageContext; years: number[]; meetings: { id: number; label: string }[] }) {
  const { t } = ctx;
  return (
    <Layout ctx={ctx} title={t('impl.reports.title')} breadcrumbs={[{ label: t('impl.reports.title') }]}>
      <h1>{t('impl.reports.title')}</h1>
      <p class="lead">{t('impl.reports.intro')}</p>
      <h2>{t('impl.reports.annual')}</h2>
      <ul>
        {years.map((y) => (
          <li>
            <a href={ctx.href(`/reports/annual/${y}`)}>{t('impl.report.annualTitle', { year: y })}</a> · <a href={ctx.href(`/reports/annual/${y}.xlsx`)}>XLSX</a> ·{' '}
            <a href={ctx.href(`/reports/annual/${y}-indicators.csv`)}>CSV</a>
          </li>
        ))}
      </ul>
      <h2>{t('impl.reports.meetings')}</h2>
      {meetings.length === 0 ? (
        <p>{t('impl.meetings.none')}</p>
      ) : (
        <ul>
          {meetings.map((m) => (
            <li>
              <a href={ctx.href(`/reports/meetings/${m.id}`)}>{m.label}</a> · <a href={ctx.href(`/reports/meetings/${m.id}.xlsx`)}>XLSX</a>
            </li>
          ))}
        </ul>
      )}
    </Layout>
  );
}

const XLSX_TYPE = 'application/vnd.openxmlformats-officedocument.spreadsheetml.sheet';

/** File names like zjhk-annual-2025-en.xlsx: the report, its language and the format. */
function fileName(scope: ReportScope, locale: Locale, suffix: string): string {
  const base = scope.kind === 'annual' ? `zjhk-annual-${scope.year}` : `zjhk-progress-${scope.meeting.reference}`;
  return `${base}-${LOCALE_INFO[locale].prefix}${suffix}`;
}

export function reportRoutes(app: App, ctx: AppContext, model: ImplementationReadModel): void {
  const db = ctx.db.kysely;
  const sources = indicatorCountSources(ctx.modules);
  const cache = new Map<string, Promise<Report>>();
  ctx.onInvalidate(() => cache.clear());
  /** Reports are built once per language, content version and day. */
  const report = (scope: ReportScope, locale: Locale): Promise<Report> => {
    const key = `${scope.kind === 'annual' ? scope.year : scope.meeting.id}|${locale}|${model.stamp()}`;
    let hit = cache.get(key);
    if (!hit) {
      if (cache.size > 50) cache.clear();
      hit = model.eventCounts().then((counts) => buildReport(db, scope, locale, ctx.today(), { sources, counts }));
      hit.catch(() => cache.delete(key));
      cache.set(key, hit);
    }
    return hit;
  };
  const years = () => {
    const last = Number(ctx.today().slice(0, 4));
    return Array.from({ length: last - FIRST_YEAR + 1 }, (_, i) => last - i);
  };

  const serve = async (scope: ReportScope, suffix: string, page: PageContext, reply: import('fastify').FastifyReply, base: string) => {
    const r = await report(scope, page.locale);
    if (suffix === '.xlsx') {
      const bytes = await toXlsx(reportWorkbook(r));
      reply
        .type(XLSX_TYPE)
        .header('content-disposition', `attachment; filename="${fileName(scope, page.locale, '.xlsx')}"`)
        .send(bytes);
      return '';
    }
    if (suffix.endsWith('.csv')) {
      const table = suffix.slice(1, -4) as ReportTable;
      reply
        .type('text/csv; charset=utf-8')
        .header('content-disposition', `attachment; filename="${fileName(scope, page.locale, `-${table}.csv`)}"`)
        .send(toCsv(r.tables[table]));
      return '';
    }
    const downloads = [
      { label: page.t('impl.report.downloadXlsx'), href: page.href(`${base}.xlsx`) },
      ...REPORT_TABLES.map((k) => ({ label: page.t('impl.report.downloadCsv', { table: r.tables[k].name }), href: page.href(`${base}-${k}.csv`) })),
    ];
    return renderPage(<ReportPage ctx={page} report={r} downloads={downloads} />);
  };

  pageRoute(app, ctx.assets, '/reports', {}, async (_request, _reply, page) => {
    const meetings = await findMeetings(db);
    return renderPage(
      <ReportsIndex
        ctx={page}
        years={years()}
        meetings={meetings.map((m) => ({ id: m.id, label: `${page.t('impl.report.meetingTitle', { meeting: page.text(m.title) })} (${page.date(m.heldOn)})` }))}
      />,
    );
  });

  pageRoute(app, ctx.assets, '/reports/annual/:file', { params: FileParams }, async (request, reply, page) => {
    const year = Number(request.params.file.slice(0, 4));
    if (!years().includes(year)) throw new HttpError(404, 'report_not_found', `No annual report for ${year}`);
    return serve({ kind: 'annual', year }, request.params.file.slice(4), page, reply, `/reports/annual/${year}`);
  });

  pageRoute(app, ctx.assets, '/reports/meetings/:file', { params: MeetingFileParams }, async (request, reply, page) => {
    const id = Number(/^\d+/.exec(request.params.file)?.[0]);
    const meeting = (await findMeetings(db, { ids: [id] }))[0];
    if (!meeting) throw new HttpError(404, 'meeting_not_found', `No meeting ${id}`);
    return serve({ kind: 'meeting', meeting }, request.params.file.slice(String(id).length), page, reply, `/reports/meetings/${id}`);
  });
}

/** `zjhk report annual 2025 --lang en --out reports/` writes the same HTML, XLSX and CSV files as the site. */
export const reportCommand: Command = {
  name: 'report',
  usage: 'report annual <year> | report meeting <reference> [--lang zh-Hant|zh-Hans|en] [--out folder]',
  summary: 'Write a progress report (HTML, XLSX and CSV) in one language',
  async run(ctx, args) {
    const { values, positionals } = parseArgs({ args, allowPositionals: true, options: { lang: { type: 'string', default: 'zh-Hant' }, out: { type: 'string', default: 'reports' } } });
    const [kind, which] = positionals;
    const locale = values.lang;
    if (!isLocale(locale)) throw new UsageError(`--lang must be zh-Hant, zh-Hans or en, not ${locale}`);
    let scope: ReportScope;
    if (kind === 'annual' && which && /^\d{4}$/.test(which)) scope = { kind: 'annual', year: Number(which) };
    else if (kind === 'meeting' && which) {
      const meeting = (await findMeetings(ctx.db.kysely)).find((m) => m.reference === which || String(m.id) === which);
      if (!meeting) throw new UsageError(`No meeting ${which}`);
      scope = { kind: 'meeting', meeting };
    } else throw new UsageError(`usage: zjhk ${reportCommand.usage}`);
    const now = ctx.now();
    const today = todayIn(ctx.config.timeZone, now);
    // The counts of indicators come from the modules the command runs with (all of the platform's, by zjhk).
    const sources = indicatorCountSources(ctx.modules ?? []);
    const counts = await countActuals(ctx.db.kysely, sources, { now, timeZone: ctx.config.timeZone });
    const report = await buildReport(ctx.db.kysely, scope, locale, today, { sources, counts });
    const folder = path.resolve(values.out);
    await mkdir(folder, { recursive: true });
    const assets = new Assets();
    const page = pageContext(locale, '/reports', assets);
    // A file read on its own: the stylesheet goes inside it.
    const css = await readFile(new URL('../../../assets/app.css', import.meta.url), 'utf8');
    const html = renderPage(<ReportPage ctx={page} report={report} downloads={[]} />)
      .replace(/<link rel="stylesheet"[^>]*>/, `<style>${css}</style>`)
      .replace(/<script[^>]*><\/script>/, '');
    const written: string[] = [];
    const write = async (name: string, data: string | Buffer) => {
      await writeFile(path.join(folder, name), data);
      written.push(name);
    };
    await write(fileName(scope, locale, '.html'), html);
    await write(fileName(scope, locale, '.xlsx'), await toXlsx(reportWorkbook(report)));
    for (const key of REPORT_TABLES) await write(fileName(scope, locale, `-${key}.csv`), toCsv(report.tables[key]));
    ctx.print(`${report.title}: ${written.length} files in ${folder}`);
    for (const name of written) ctx.print(`  ${name}`);
  },
};

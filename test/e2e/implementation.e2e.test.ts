// The implementation journey in a real browser, on each database ("Done when" of the issue): an
// officer of a Hong Kong bureau and an officer of a Zhejiang department each report progress on the
// same commitment, their coordinators approve, and the public dashboard, the annual report (HTML and
// XLSX) and the API all show the same figures in three languages.
//
//   npx vitest run test/e2e/implementation.e2e.test.ts
//   TEST_DATABASE_URL=postgres://postgres@127.0.0.1:5432/postgres npx vitest run test/e2e/implementation.e2e.test.ts
import ExcelJS from 'exceljs';
import type { Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, test } from 'vitest';
import { LOCALE_INFO, type Locale } from '../../src/platform/i18n/locales.ts';
import { translator } from '../../src/platform/i18n/messages.ts';
import { browserForFile } from './browser.ts';
import { onboard, type Person } from './people.ts';
import { type Axe, onEachDatabase, type RunningServer } from './server.ts';

const AGREEMENT = '/agreements/zjhk-2023';

const LANGS = [
  { locale: 'zh-Hant', prefix: 'zh-hant', browserLocale: 'zh-HK' },
  { locale: 'zh-Hans', prefix: 'zh-hans', browserLocale: 'zh-CN' },
  { locale: 'en', prefix: 'en', browserLocale: 'en-GB' },
] as const satisfies readonly { locale: Locale; prefix: string; browserLocale: string }[];
const prefixOf = (locale: Locale) => LANGS.find((l) => l.locale === locale)?.prefix as string;

// What the people type in. The action and the indicator are named in all three languages, so each
// public page shows them in its own; each narrative is written in its author's language only.
const ACTION_TITLE: Record<Locale, string> = {
  'zh-Hant': '跨境理財聯合研討會',
  'zh-Hans': '跨境理财联合研讨会',
  en: 'Joint seminars on cross-boundary wealth management',
};
const INDICATOR_NAME: Record<Locale, string> = {
  'zh-Hant': '跨境理財研討會場次',
  'zh-Hans': '跨境理财研讨会场次',
  en: 'Wealth management seminars held',
};
const INDICATOR_UNIT: Record<Locale, string> = { 'zh-Hant': '場', 'zh-Hans': '场', en: 'seminars' };
const HK_NARRATIVE = '財經事務及庫務局於二〇二五年舉辦七場跨境理財研討會，逾七百名業界人士參加。';
const ZJ_NARRATIVE = '浙江省地方金融管理局二〇二五年在杭州、宁波等地举办跨境理财研讨会五场。';
/**
 * How each narrative reads on each language's pages: as written, or converted by machine into the
 * page's Chinese script (and marked so); English pages show both as written, marked with their language.
 */
const NARRATIVE_SHOWN: Record<Locale, { hongKong: string; zhejiang: string }> = {
  'zh-Hant': { hongKong: HK_NARRATIVE, zhejiang: '浙江省地方金融管理局二〇二五年在杭州、寧波等地舉辦跨境理財研討會五場。' },
  'zh-Hans': { hongKong: '财经事务及库务局于二〇二五年举办七场跨境理财研讨会，逾七百名业界人士参加。', zhejiang: ZJ_NARRATIVE },
  en: { hongKong: HK_NARRATIVE, zhejiang: ZJ_NARRATIVE },
};

/** The figures every public view must show for the indicator's 2025 period. */
interface Figures {
  target: number | null;
  hongKong: number | null;
  zhejiang: number | null;
  total: number | null;
}
const TARGET = 20;
const HK_FIGURE = 7;
const ZJ_FIGURE = 5;
const EXPECTED: Figures = { target: TARGET, hongKong: HK_FIGURE, zhejiang: ZJ_FIGURE, total: HK_FIGURE + ZJ_FIGURE };

/** The smallest real PDF a reader accepts: the Hong Kong officer's evidence. */
const PDF = Buffer.from('%PDF-1.4\n1 0 obj<</Type/Catalog/Pages 2 0 R>>endobj 2 0 obj<</Type/Pages/Kids[]/Count 0>>endobj\ntrailer<</Root 1 0 R>>\n%%EOF\n');
const PDF_NAME = 'seminar-record.pdf';

const browser = browserForFile();

const escapeRegExp = (s: string) => s.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');
const squash = (s: string | null | undefined) => (s ?? '').replace(/\s+/g, ' ').trim();
/** A figure as a page writes it ("1,234", "12"), or null for "–" and empty cells. */
function numberIn(text: string | null | undefined): number | null {
  const t = squash(text).replace(/,/g, '');
  if (t === '' || t === '–') return null;
  const n = Number(t);
  if (!Number.isFinite(n)) throw new Error(`not a figure: ${JSON.stringify(text)}`);
  return n;
}
const lastPathNumber = (page: Page, pattern: RegExp): string => {
  const found = pattern.exec(new URL(page.url()).pathname)?.[1];
  if (!found) throw new Error(`no id in ${page.url()} for ${pattern}`);
  return found;
};

/**
 * The indicator's 2025 figures as an IndicatorFigure shows them (dashboard, commitment page): the
 * periods table ("Hong Kong: 7; Zhejiang: 5 (total: 12)"), beside its chart.
 */
async function figuresOnPage(page: Page, locale: Locale, label: string): Promise<Figures> {
  const t = translator(locale);
  const figure = page.locator(`section.indicator[aria-label="${INDICATOR_NAME[locale]}"]`);
  expect(await figure.count(), `${label}: the indicator's figure`).toBe(1);
  const row = figure.locator('table.periods tbody tr').filter({ has: page.locator('th', { hasText: /^2025$/ }) });
  expect(await row.count(), `${label}: the 2025 row of the periods table`).toBe(1);
  const cells = row.locator('td');
  const actual = squash(await cells.nth(1).textContent());
  const reading = new RegExp(`^${escapeRegExp(t('impl.side.hongKong'))}: (\\S+); ${escapeRegExp(t('impl.side.zhejiang'))}: (\\S+) \\(${escapeRegExp(t('impl.reading.total'))}: (\\S+)\\)$`).exec(
    actual,
  );
  expect(reading, `${label}: the actual reads ${JSON.stringify(actual)}`).not.toBeNull();
  const table: Figures = { target: numberIn(await cells.nth(0).textContent()), hongKong: numberIn(reading?.[1]), zhejiang: numberIn(reading?.[2]), total: numberIn(reading?.[3]) };

  // The chart beside the table: an image named after the indicator (the table gives its figures).
  const chart = figure.locator('figure.chart svg[role="img"]');
  expect(await chart.count(), `${label}: the indicator's chart`).toBe(1);
  expect(squash(await chart.locator('title').textContent()), `${label}: the chart's name`).toBe(INDICATOR_NAME[locale]);
  return table;
}

/** Picks the report's columns by their headers, in the report's language. */
function reportFigures(locale: Locale, headers: string[], row: unknown[], label: string): Figures {
  const t = translator(locale);
  const at = (header: string) => {
    const i = headers.indexOf(header);
    if (i < 0) throw new Error(`${label}: no column ${header} in ${JSON.stringify(headers)}`);
    const value = row[i];
    return typeof value === 'number' ? value : numberIn(value === undefined || value === null ? '' : String(value));
  };
  return { target: at(t('impl.indicator.target')), total: at(t('impl.indicator.actual')), hongKong: at(t('impl.side.hongKong')), zhejiang: at(t('impl.side.zhejiang')) };
}

function journey(name: string, start: () => Promise<RunningServer>, cleanup: () => Promise<void>, axe: Axe) {
  describe(name, () => {
    let server: RunningServer;
    const people: Person[] = [];
    beforeAll(async () => {
      server = await start();
    });
    afterAll(async () => {
      for (const p of people) await p.context.close().catch(() => {});
      await server?.stop();
      await cleanup();
    });

    test('two officers report on commitment 1-1, their coordinators approve, and every public view shows 7 + 5 = 12 in three languages', async () => {
      const problems: string[] = [];

      // 1. Four people, from the command line, each in their own browser and language.
      const hkCoordinator = await onboard(server, browser(), { email: 'coordinator@cmab.example', name: 'CMAB coordinator', role: 'custodian-coordinator', organisation: 'hk-cmab', locale: 'en' });
      const zjCoordinator = await onboard(server, browser(), { email: 'coordinator@hkmao.example', name: '港澳办协调员', role: 'custodian-coordinator', organisation: 'zj-hkmao', locale: 'zh-Hans' });
      const hkOfficer = await onboard(server, browser(), { email: 'officer@fstb.example', name: '香港局方職員', role: 'agency-officer', organisation: 'hk-fstb', locale: 'zh-Hant' });
      const zjOfficer = await onboard(server, browser(), { email: 'officer@zjjr.example', name: '浙江单位干部', role: 'agency-officer', organisation: 'zj-local-finance', locale: 'zh-Hans' });
      people.push(hkCoordinator, zjCoordinator, hkOfficer, zjOfficer);

      // 2. The Hong Kong coordinator adds an action under 1-1 with its Hong Kong lead …
      const hkc = hkCoordinator.page;
      await hkc.goto(hkCoordinator.href('/workspace'));
      problems.push(...(await axe(hkc, 'workspace home (en, coordinator)')));
      await hkc.goto(hkCoordinator.href('/workspace/commitments/1-1/actions/new'));
      problems.push(...(await axe(hkc, 'new action form (en)')));
      await hkc.fill('#field-titleHant', ACTION_TITLE['zh-Hant']);
      await hkc.fill('#field-titleHans', ACTION_TITLE['zh-Hans']);
      await hkc.fill('#field-titleEn', ACTION_TITLE.en);
      await hkc.fill('#field-descriptionEn', 'A series of seminars for the industry on the cross-boundary wealth management connect.');
      await hkc.selectOption('#field-leadHongKong', 'hk-fstb');
      // The Zhejiang lead is not this coordinator's to assign: shown, not offered.
      expect(await hkc.locator('select#field-leadZhejiang').count()).toBe(0);
      await hkc.fill('#field-startsOn', '2024-01-01');
      await hkc.fill('#field-endsOn', '2026-12-31');
      await hkc.selectOption('#field-status', 'in-progress');
      await hkc.click('form[action$="/workspace/commitments/1-1/actions/new"] button[type=submit]');
      await hkc.waitForURL(/\/en\/workspace\/actions\/\d+\?saved=1$/);
      const actionId = lastPathNumber(hkc, /\/workspace\/actions\/(\d+)$/);
      expect(await hkc.locator('main p.notice').textContent()).toBe(translator('en')('impl.saved'));

      // … and an indicator of 1-1 whose two sides' figures add up, with a 2025 period and target.
      await hkc.goto(hkCoordinator.href('/workspace/indicators/new'));
      problems.push(...(await axe(hkc, 'new indicator form (en)')));
      const commitmentOption = await hkc
        .locator('#field-commitment option')
        .evaluateAll((options) => options.map((o) => ({ value: (o as HTMLOptionElement).value, label: (o.textContent ?? '').trim() })));
      const commitment11 = commitmentOption.find((o) => o.label === 'Area (1), commitment 1');
      expect(commitment11, JSON.stringify(commitmentOption.slice(0, 3))).toBeDefined();
      await hkc.selectOption('#field-commitment', commitment11?.value ?? '');
      for (const [suffix, locale] of [
        ['Hant', 'zh-Hant'],
        ['Hans', 'zh-Hans'],
        ['En', 'en'],
      ] as const) {
        await hkc.fill(`#field-name${suffix}`, INDICATOR_NAME[locale]);
        await hkc.fill(`#field-unit${suffix}`, INDICATOR_UNIT[locale]);
      }
      await hkc.selectOption('#field-measure', 'number');
      await hkc.selectOption('#field-direction', 'increase');
      await hkc.selectOption('#field-scope', 'per-side');
      await hkc.click('form[action$="/workspace/indicators/new"] button[type=submit]');
      await hkc.waitForURL(/\/en\/workspace\/indicators\/\d+\?saved=1$/);
      const indicatorId = lastPathNumber(hkc, /\/workspace\/indicators\/(\d+)$/);
      await hkc.fill('#field-startsOn', '2025-01-01');
      await hkc.fill('#field-endsOn', '2025-12-31');
      await hkc.fill('#field-target', String(TARGET));
      await hkc.click(`form[action$="/workspace/indicators/${indicatorId}/periods"] button[type=submit]`);
      await hkc.waitForURL(new RegExp(`/en/workspace/indicators/${indicatorId}\\?saved=1#periods$`));
      const periodRow = hkc.locator('section[aria-labelledby="periods"] tbody tr');
      expect(await periodRow.count()).toBe(1);
      expect(squash(await periodRow.locator('th').textContent())).toBe('2025');
      expect(numberIn(await periodRow.locator('td').first().textContent())).toBe(TARGET);
      problems.push(...(await axe(hkc, 'indicator form with its period (en)')));

      // The Zhejiang coordinator assigns the Zhejiang lead on the same action.
      const zjc = zjCoordinator.page;
      await zjc.goto(zjCoordinator.href(`/workspace/actions/${actionId}`));
      expect(await zjc.locator('main h1').textContent()).toBe(ACTION_TITLE['zh-Hans']);
      problems.push(...(await axe(zjc, 'action form (zh-Hans, Zhejiang coordinator)')));
      expect(await zjc.locator('select#field-leadHongKong').count()).toBe(0);
      await zjc.selectOption('#field-leadZhejiang', 'zj-local-finance');
      await zjc.click(`form[action$="/zh-hans/workspace/actions/${actionId}"] button[type=submit]`);
      await zjc.waitForURL(new RegExp(`/zh-hans/workspace/actions/${actionId}\\?saved=1$`));
      expect(await zjc.locator('#field-leadZhejiang').inputValue()).toBe('zj-local-finance');
      // The Hong Kong lead the other side chose is kept.
      expect(await zjc.locator('input[type=hidden][name=leadHongKong]').inputValue()).toBe('hk-fstb');

      // 3. Each officer finds the action in their workspace and reports on it.
      const report = async (officer: Person, narrative: { field: string; text: string }, figure: number, files: boolean): Promise<string> => {
        const page = officer.page;
        const t = translator(officer.locale);
        await page.goto(officer.href('/workspace'));
        problems.push(...(await axe(page, `workspace home (${officer.locale}, officer)`)));
        await page.click(`section[aria-labelledby="my-actions"] a[href$="/workspace/actions/${actionId}"]`);
        await page.waitForURL(new RegExp(`/workspace/actions/${actionId}$`));
        await page.click(`main a[href$="/workspace/actions/${actionId}/updates/new"]`);
        await page.waitForURL(new RegExp(`/workspace/actions/${actionId}/updates/new$`));
        problems.push(...(await axe(page, `new update form (${officer.locale})`)));
        const periodField = page.locator('fieldset.indicator-values input[id^="field-period-"]');
        expect(await periodField.count(), 'one reportable period').toBe(1);
        expect(squash(await page.locator(`label[for="${await periodField.getAttribute('id')}"]`).textContent())).toBe(`${INDICATOR_NAME[officer.locale]} · 2025 (${INDICATOR_UNIT[officer.locale]})`);
        await page.fill(narrative.field, narrative.text);
        await periodField.fill(String(figure));
        if (files) await page.setInputFiles('#field-attachments', { name: PDF_NAME, mimeType: 'application/pdf', buffer: PDF });
        await page.click('button[name=intent][value=submit]');
        await page.waitForURL(/\/workspace\/updates\/\d+\?saved=submitted$/);
        expect(await page.locator('main p.notice').textContent()).toBe(t('impl.update.submittedNotice'));
        expect(await page.locator('dl.facts dd').first().textContent()).toBe(t('impl.update.state.submitted'));
        if (files) expect(await page.locator('ul.attachments a').allTextContents()).toEqual([PDF_NAME]);
        return lastPathNumber(page, /\/workspace\/updates\/(\d+)$/);
      };
      const hkUpdate = await report(hkOfficer, { field: '#field-narrativeHant', text: HK_NARRATIVE }, HK_FIGURE, true);
      const zjUpdate = await report(zjOfficer, { field: '#field-narrativeHans', text: ZJ_NARRATIVE }, ZJ_FIGURE, false);

      // Nothing is public before approval.
      const api = async () => {
        const response = await hkc.request.get(`${server.baseUrl}/api/v1/indicators?commitment=1-1`);
        expect(response.status()).toBe(200);
        const body = (await response.json()) as {
          data: {
            id: number;
            title: Record<string, string>;
            scope: string;
            commitment: { code: string };
            periods: {
              periodStart: string;
              periodEnd: string;
              target: { value: number | null };
              actual: { status: string; value: number | null; hongKong: { value: number | null } | null; zhejiang: { value: number | null } | null };
            }[];
          }[];
        };
        const indicator = body.data.find((i) => String(i.id) === indicatorId);
        expect(indicator, 'the indicator in the API').toBeDefined();
        return indicator as NonNullable<typeof indicator>;
      };
      expect((await api()).periods[0]?.actual.status).toBe('none');

      // 4. Each coordinator approves their own side's update, from their list.
      const approve = async (coordinator: Person, updateId: string, otherUpdateId: string) => {
        const page = coordinator.page;
        const t = translator(coordinator.locale);
        await page.goto(coordinator.href('/workspace'));
        const waiting = page.locator('section[aria-labelledby="to-decide"]');
        expect(await waiting.locator(`a[href$="/workspace/updates/${otherUpdateId}"]`).count(), 'the other side’s update is not theirs to decide').toBe(0);
        await waiting.locator(`a[href$="/workspace/updates/${updateId}"]`).click();
        await page.waitForURL(new RegExp(`/${prefixOf(coordinator.locale)}/workspace/updates/${updateId}$`));
        problems.push(...(await axe(page, `update awaiting decision (${coordinator.locale})`)));
        await page.click('button[name=decision][value=approve]');
        await page.waitForURL(new RegExp(`/workspace/updates/${updateId}\\?saved=decided$`));
        expect(await page.locator('main p.notice').textContent()).toBe(t('impl.update.decidedNotice'));
        expect(await page.locator('dl.facts dd').first().textContent()).toBe(t('impl.update.state.approved'));
        expect(await page.locator('button[name=decision]').count()).toBe(0);
        await page.goto(coordinator.href('/workspace'));
        expect(await page.locator('section[aria-labelledby="to-decide"]').textContent()).toContain(t('impl.workspace.nothingToDecide'));
      };
      await approve(hkCoordinator, hkUpdate, zjUpdate);
      await approve(zjCoordinator, zjUpdate, hkUpdate);

      // 5. Anyone, in each language: the same figures everywhere.
      const observed: Record<string, Figures> = {};
      const consoleErrors: string[] = [];
      const visitor = await browser().newContext();
      try {
        const page = await visitor.newPage();
        page.on('console', (message) => {
          if (message.type() === 'error') consoleErrors.push(`${page.url()}: ${message.text()}`);
        });
        page.on('pageerror', (error) => consoleErrors.push(`${page.url()}: uncaught ${error.message}`));
        for (const { locale, prefix } of LANGS) {
          const url = (path: string) => `${server.baseUrl}/${prefix}${path}`;

          // The dashboard of area 1.
          consoleErrors.length = 0;
          const dashboard = await page.goto(url('/dashboard?area=1'), { waitUntil: 'load' });
          expect(dashboard?.status()).toBe(200);
          const onDashboard = await figuresOnPage(page, locale, `dashboard ${prefix}`);
          observed[`dashboard ${prefix}`] = onDashboard;
          problems.push(...(await axe(page, `dashboard (${prefix})`)));
          expect(consoleErrors, `console errors on the dashboard (${prefix})`).toEqual([]);

          // The commitment page: the action, both narratives, the figures and the evidence.
          expect((await page.goto(url(`${AGREEMENT}/commitments/1-1`)))?.status()).toBe(200);
          const section = page.locator('section.implementation');
          expect(await section.locator('ul.action-list a').allTextContents()).toEqual([ACTION_TITLE[locale]]);
          const t = translator(locale);
          // Both sides' lead agencies, named (not "no lead agency").
          const leads = await section.locator('dl.leads').first().locator('dd').allTextContents();
          expect(leads).toHaveLength(2);
          for (const lead of leads) expect(squash(lead)).not.toBe(t('impl.noLead'));
          const history = section.locator('ol.updates');
          expect(await history.locator('> li').count()).toBe(2);
          // Each narrative: as written, converted into this page's Chinese script, or marked with its language.
          for (const [side, written] of [
            ['hongKong', 'zh-Hant'],
            ['zhejiang', 'zh-Hans'],
          ] as const) {
            const shown = NARRATIVE_SHOWN[locale][side];
            const article = history.locator('article').filter({ has: page.locator('.prose p', { hasText: shown }) });
            expect(await article.count(), `commitment page ${prefix}: the ${side} narrative reads ${shown}`).toBe(1);
            const notes = (await article.locator('.language-note').allTextContents()).map(squash);
            const language = LOCALE_INFO[written].autonym;
            if (locale === written) expect(notes, `${prefix}: ${side} narrative as written`).toEqual([]);
            else if (locale === 'en') {
              expect(notes).toEqual([t('text.onlyIn', { language })]);
              expect(await article.locator(`.prose [lang="${LOCALE_INFO[written].htmlLang}"]`).textContent()).toBe(shown);
            } else expect(notes).toEqual([t('text.convertedFrom', { language })]);
          }
          const evidence = history.locator('ul.attachments a');
          expect(await evidence.allTextContents()).toEqual([PDF_NAME]);
          const download = await page.request.get(`${server.baseUrl}${await evidence.getAttribute('href')}`);
          expect(download.status()).toBe(200);
          expect(Buffer.from(await download.body()).equals(PDF)).toBe(true);
          observed[`commitment page ${prefix}`] = await figuresOnPage(page, locale, `commitment page ${prefix}`);
          problems.push(...(await axe(page, `commitment 1-1 (${prefix})`)));

          // The annual report for 2025, as a page …
          expect((await page.goto(url('/reports/annual/2025')))?.status()).toBe(200);
          const indicators = page.locator('section[aria-labelledby="report-indicators"]');
          expect(await indicators.locator('h2').textContent()).toBe(t('impl.report.table.indicators'));
          const headers = (await indicators.locator('thead th').allTextContents()).map(squash);
          const rows = await indicators.locator('tbody tr').evaluateAll((trs) => trs.map((tr) => [...tr.querySelectorAll('th, td')].map((c) => (c.textContent ?? '').replace(/\s+/g, ' ').trim())));
          const htmlRows = rows.filter((r) => r.includes(INDICATOR_NAME[locale]));
          expect(htmlRows, `report ${prefix}: one row for the indicator`).toHaveLength(1);
          expect(htmlRows[0]?.[0]).toBe('1-1');
          observed[`report page ${prefix}`] = reportFigures(locale, headers, htmlRows[0] ?? [], `report page ${prefix}`);
          problems.push(...(await axe(page, `annual report 2025 (${prefix})`)));

          // … and as a workbook.
          const xlsx = await page.request.get(url('/reports/annual/2025.xlsx'));
          expect(xlsx.status()).toBe(200);
          expect(xlsx.headers()['content-type']).toContain('spreadsheetml');
          const workbook = new ExcelJS.Workbook();
          await workbook.xlsx.load((await xlsx.body()) as unknown as ArrayBuffer);
          const sheet = workbook.getWorksheet(t('impl.report.table.indicators'));
          expect(sheet, `report ${prefix}.xlsx: the sheet ${t('impl.report.table.indicators')}`).toBeDefined();
          const sheetRows: unknown[][] = [];
          sheet?.eachRow((r) => {
            sheetRows.push((r.values as unknown[]).slice(1));
          });
          const headerRow = sheetRows.find((r) => r.includes(t('impl.indicator.target')) && r.includes(t('impl.indicator.actual')));
          const dataRows = sheetRows.filter((r) => r.includes(INDICATOR_NAME[locale]));
          expect(headerRow, `report ${prefix}.xlsx: the header row`).toBeDefined();
          expect(dataRows, `report ${prefix}.xlsx: one row for the indicator`).toHaveLength(1);
          observed[`report workbook ${prefix}`] = reportFigures(
            locale,
            (headerRow ?? []).map((h) => String(h ?? '')),
            dataRows[0] ?? [],
            `report ${prefix}.xlsx`,
          );
        }

        // The open data: one indicator, per side, in IATI's shape, with its name in three languages.
        const indicator = await api();
        expect(indicator.commitment.code).toBe('1-1');
        expect(indicator.scope).toBe('per-side');
        expect(indicator.title).toEqual(INDICATOR_NAME);
        expect(indicator.periods).toHaveLength(1);
        const period = indicator.periods[0] as (typeof indicator.periods)[number];
        expect([period.periodStart, period.periodEnd, period.actual.status]).toEqual(['2025-01-01', '2025-12-31', 'per-side']);
        const actions = await page.request.get(`${server.baseUrl}/api/v1/actions?commitment=1-1`);
        const action = ((await actions.json()) as { data: { id: number; title: Record<string, string>; leadHongKong: string | null; leadZhejiang: string | null }[] }).data.find(
          (a) => String(a.id) === actionId,
        );
        expect(action?.title).toEqual(ACTION_TITLE);
        expect([action?.leadHongKong, action?.leadZhejiang]).toEqual(['hk-fstb', 'zj-local-finance']);
        observed.api = { target: period.target.value, hongKong: period.actual.hongKong?.value ?? null, zhejiang: period.actual.zhejiang?.value ?? null, total: period.actual.value };
      } finally {
        await visitor.close();
      }

      // Every view, compared with the one expected set.
      expect(Object.keys(observed)).toHaveLength(LANGS.length * 4 + 1);
      expect(observed).toEqual(Object.fromEntries(Object.keys(observed).map((k) => [k, EXPECTED])));

      // 6. Accessibility of every page on the way.
      expect(problems).toEqual([]);

      // 7. The audit trail is intact.
      const verify = await server.zjhk(['audit', 'verify']);
      expect(verify.code, verify.stderr).toBe(0);
      expect(verify.stdout).toContain('Audit trail intact');
    });
  });
}

onEachDatabase(journey);

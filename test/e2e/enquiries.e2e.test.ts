// The enquiries journey in a real browser, on each database ("Done when" of issue 5): a resident
// without an account sends an enquiry in Simplified Chinese and gets its reference by email; the
// Zhejiang agency it is routed to passes it to a Hong Kong bureau, which asks for more information;
// the resident answers through /track with a code from their email; the bureau closes the case
// within its time limit counted on the Hong Kong calendar; the public statistics count it.
//
//   npx vitest run test/e2e/enquiries.e2e.test.ts
//   TEST_DATABASE_URL=postgres://postgres@127.0.0.1:5432/postgres npx vitest run test/e2e/enquiries.e2e.test.ts
import type { BrowserContext } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, test } from 'vitest';
import { todayIn } from '../../src/platform/clock.ts';
import { readCalendarFiles } from '../../src/modules/calendars/load-calendars.ts';
import { WorkingCalendar } from '../../src/platform/calendar/working-days.ts';
import { translator } from '../../src/platform/i18n/messages.ts';
import { browserForFile } from './browser.ts';
import { mailTo, onboard } from './people.ts';
import { type Axe, onEachDatabase, type RunningServer } from './server.ts';

const RESIDENT_EMAIL = 'resident@example.org';
const SUBJECT = '港澳居民居住证怎么申请';
const DESCRIPTION = '我在杭州工作，也在香港供强积金，想了解离开香港后能否提取强积金，以及在浙江办居住证需要什么材料。';
const QUESTION = '請提供你的強積金計劃名稱及你離開香港的日期。';
const ANSWER = '计划名称是“东方强积金计划”，我在2024年3月离开香港。';
const FINAL = '你已永久離開香港，可憑法定聲明向受託人申請提早提取強積金。';

const browser = browserForFile();
const squash = (s: string | null | undefined) => (s ?? '').replace(/\s+/g, ' ').trim();

/** The Hong Kong calendar as shipped: the bureau's time limit is counted on it. */
function hongKongCalendar(): WorkingCalendar {
  const years = readCalendarFiles().filter((e) => e.calendar === 'hong-kong');
  return new WorkingCalendar(
    'hong-kong',
    years.flatMap((e) => e.days),
    years.map((e) => e.year),
  );
}

function journey(name: string, start: () => Promise<RunningServer>, cleanup: () => Promise<void>, axe: Axe) {
  describe(name, () => {
    let server: RunningServer;
    const contexts: BrowserContext[] = [];
    beforeAll(async () => {
      server = await start();
    });
    afterAll(async () => {
      for (const c of contexts) await c.close().catch(() => {});
      await server?.stop();
      await cleanup();
    });

    test('a resident’s Simplified-Chinese enquiry is passed from Zhejiang to a Hong Kong bureau, answered through /track, closed in time and counted', async () => {
      const problems: string[] = [];
      const hans = translator('zh-Hans');
      const hant = translator('zh-Hant');
      const received = todayIn('Asia/Hong_Kong');

      const admin = await onboard(server, browser(), { email: 'admin@example.org', name: 'Platform Admin', role: 'administrator', locale: 'en' });
      const zjOfficer = await onboard(server, browser(), { email: 'officer@hkmao.example', name: '浙江单位干部', role: 'agency-officer', organisation: 'zj-hkmao', locale: 'zh-Hans' });
      const hkOfficer = await onboard(server, browser(), { email: 'officer@lwb.example', name: '香港局方職員', role: 'agency-officer', organisation: 'hk-lwb', locale: 'zh-Hant' });
      contexts.push(admin.context, zjOfficer.context, hkOfficer.context);

      // 1. A resident without an account writes in Simplified Chinese.
      const residentContext = await browser().newContext({ locale: 'zh-CN' });
      contexts.push(residentContext);
      const resident = await residentContext.newPage();
      await resident.goto(`${server.baseUrl}/zh-hans/enquiries/new`);
      problems.push(...(await axe(resident, 'enquiry form (zh-Hans)')));
      expect(await resident.locator('#field-locale').inputValue()).toBe('zh-Hans');
      await resident.check('#field-type-enquiry');
      await resident.selectOption('#field-topic', 'residence-permit');
      await resident.fill('#field-subject', SUBJECT);
      await resident.fill('#field-description', DESCRIPTION);
      await resident.fill('#field-name', '陈大文');
      await resident.fill('#field-email', RESIDENT_EMAIL);
      await resident.click('button[name=intent][value=continue]');
      await resident.waitForSelector('#field-consent');
      expect(squash(await resident.locator('h1').textContent())).toBe(hans('enq.confirm.title'));
      problems.push(...(await axe(resident, 'matching articles and confirmation (zh-Hans)')));
      await resident.check('#field-consent');
      await Promise.all([resident.waitForURL(/\/zh-hans\/enquiries\/submitted$/), resident.click('button[name=intent][value=submit]')]);
      const reference = squash(await resident.locator('.reference-panel .reference').textContent());
      expect(reference).toMatch(new RegExp(`^ZJHK-E-${received.slice(0, 4)}-\\d{6}$`));
      problems.push(...(await axe(resident, 'enquiry sent (zh-Hans)')));

      // The reference arrives by email at once, in Simplified Chinese.
      const receipt = await mailTo(admin, RESIDENT_EMAIL, reference);
      expect(receipt.subject).toBe(hans('enq.email.received.subject', { reference }));
      expect(receipt.body).toContain('浙江省人民政府港澳事务办公室');

      // 2. The Zhejiang agency the topic is routed to passes it to the Labour and Welfare Bureau.
      const zj = zjOfficer.page;
      await zj.goto(zjOfficer.href('/workspace/enquiries'));
      problems.push(...(await axe(zj, 'enquiry queue (zh-Hans, Zhejiang officer)')));
      await Promise.all([zj.waitForURL(/\/zh-hans\/workspace\/enquiries\/\d+$/), zj.click(`table.queue a:text-is("${reference}")`)]);
      const caseId = /\/workspace\/enquiries\/(\d+)$/.exec(new URL(zj.url()).pathname)?.[1] ?? '';
      expect(await zj.locator('.personal-data').textContent()).toContain(RESIDENT_EMAIL);
      problems.push(...(await axe(zj, 'enquiry case (zh-Hans, Zhejiang officer)')));
      await zj.selectOption('#field-transfer-agency', 'hk-lwb');
      await zj.fill('#field-transfer-reason', '涉及香港强积金，应由香港劳工及福利局答复。');
      await Promise.all([zj.waitForURL(/\/zh-hans\/workspace\/enquiries\?saved=transfer$/), zj.click('form[action$="/transfer"] button[type=submit]')]);
      expect(await zj.locator('main p.notice').textContent()).toBe(hans('enq.saved.transfer'));
      expect(await zj.locator(`table.queue a:text-is("${reference}")`).count()).toBe(0);

      // 3. The bureau finds it, due on the Hong Kong calendar, and asks for more information.
      const hk = hkOfficer.page;
      await hk.goto(hkOfficer.href('/workspace/enquiries'));
      await Promise.all([hk.waitForURL(new RegExp(`/zh-hant/workspace/enquiries/${caseId}$`)), hk.click(`table.queue a:text-is("${reference}")`)]);
      const calendar = hongKongCalendar();
      const due = calendar.addWorkingDays(received, 3);
      const dueText = new Intl.DateTimeFormat('zh-Hant-HK', { dateStyle: 'long', timeZone: 'UTC' }).format(new Date(`${due}T00:00:00Z`));
      expect(await hk.locator(`dl.facts time[datetime="${due}"]`).first().textContent()).toBe(dueText);
      expect(squash(await hk.locator('dl.facts').first().textContent())).toContain(hant('enq.calendar.hongKong'));
      problems.push(...(await axe(hk, 'enquiry case (zh-Hant, Hong Kong officer)')));
      await hk.fill('#field-request-info-body', QUESTION);
      await Promise.all([hk.waitForURL(new RegExp(`/zh-hant/workspace/enquiries/${caseId}\\?saved=request-info$`)), hk.click('form[action$="/request-info"] button[type=submit]')]);
      expect(squash(await hk.locator('dl.facts').first().textContent())).toContain(hant('enq.state.awaiting-citizen'));

      // 4. The resident answers through /track, with a code from their email, in a new browser.
      const trackContext = await browser().newContext({ locale: 'zh-CN' });
      contexts.push(trackContext);
      const track = await trackContext.newPage();
      await track.goto(`${server.baseUrl}/zh-hans/track`);
      problems.push(...(await axe(track, 'track an enquiry (zh-Hans)')));
      await track.fill('#field-reference', reference);
      await track.fill('#field-email', RESIDENT_EMAIL);
      await track.click('main button[type=submit]');
      await track.waitForSelector('#field-code');
      problems.push(...(await axe(track, 'enter the code (zh-Hans)')));
      const codeMail = await mailTo(admin, RESIDENT_EMAIL, hans('enq.email.code.subject', { reference }));
      const code = /\n\n(\d{6})\n\n/.exec(codeMail.body)?.[1] ?? '';
      expect(code).toMatch(/^\d{6}$/);
      await track.fill('#field-code', code);
      await Promise.all([track.waitForURL(/\/zh-hans\/track\/case$/), track.click('main button[type=submit]')]);
      expect(await track.locator('main').textContent()).toContain(QUESTION);
      expect(await track.locator('main').textContent()).toContain(hans('enq.case.awaitingYou'));
      problems.push(...(await axe(track, 'the enquiry at /track (zh-Hans)')));
      await track.fill('#field-reply-body', ANSWER);
      await Promise.all([track.waitForURL(/\/zh-hans\/track\/case\?saved=reply$/), track.click('form[action$="/track/case/reply"] button[type=submit]')]);
      expect(await track.locator('main p.notice').textContent()).toBe(hans('enq.saved.citizen-reply'));

      // 5. The bureau closes it with a final reply, within its time limit on the Hong Kong calendar.
      await hk.goto(hkOfficer.href(`/workspace/enquiries/${caseId}`));
      expect(await hk.locator('ol.timeline').textContent()).toContain(ANSWER);
      await hk.selectOption('#field-close-outcome', 'answered');
      await hk.fill('#field-close-body', FINAL);
      // Closing asks first: the page that asks carries the same form, sent again with a yes.
      await Promise.all([hk.waitForSelector('.confirm button.danger'), hk.click('form[action$="/close"] button[type=submit]')]);
      await Promise.all([hk.waitForURL(new RegExp(`/zh-hant/workspace/enquiries/${caseId}\\?saved=close$`)), hk.click('.confirm button.danger')]);
      const facts = squash(await hk.locator('dl.facts').first().textContent());
      expect(facts).toContain(hant('enq.state.closed'));
      expect(facts).toContain(hant('enq.closedOnTime'));
      problems.push(...(await axe(hk, 'closed enquiry (zh-Hant)')));
      const closing = await mailTo(admin, RESIDENT_EMAIL, hans('enq.email.closed.subject', { reference }));
      expect(closing.body).toContain(FINAL);

      // 6. The public statistics count it for the bureau: received, closed, on time.
      const visitor = await browser().newContext({ locale: 'zh-CN' });
      contexts.push(visitor);
      const stats = await visitor.newPage();
      await stats.goto(`${server.baseUrl}/zh-hans/enquiries/statistics?year=${received.slice(0, 4)}&agency=hk-lwb`);
      const row = stats.locator('table.statistics tbody tr').filter({ has: stats.locator('th', { hasText: '劳工及福利局' }) });
      expect(await row.count()).toBe(1);
      const cells = (await row.locator('td').allTextContents()).map(squash);
      expect(cells.slice(1, 4)).toEqual(['1', '1', '100%']);
      problems.push(...(await axe(stats, 'enquiry statistics (zh-Hans)')));
      const api = await stats.request.get(`${server.baseUrl}/api/v1/enquiry-statistics?year=${received.slice(0, 4)}&agency=hk-lwb`);
      expect(((await api.json()) as { data: { received: number; closed: number; closedOnTime: number }[] }).data).toEqual([expect.objectContaining({ received: 1, closed: 1, closedOnTime: 1 })]);

      // 7. Accessibility of every page on the way, and an intact audit trail.
      expect(problems).toEqual([]);
      const verify = await server.zjhk(['audit', 'verify']);
      expect(verify.code, verify.stderr).toBe(0);
    });
  });
}

onEachDatabase(journey);

// The events journey in a real browser, on each database ("Done when" of issue 6): an organiser at the
// Zhejiang Department of Commerce creates a quarterly symposium series for Hong Kong-invested
// enterprises, commitment (三)1; residents register until the places are taken and the waitlist
// forms; a cancellation promotes the first waitlisted person, who is emailed their code; the organiser
// checks people in by code at the door; the event shows on its commitment's page and in the area's
// iCalendar feed, read by a real iCalendar parser.
//
//   npx vitest run test/e2e/events.e2e.test.ts
//   TEST_DATABASE_URL=postgres://postgres@127.0.0.1:5432/postgres npx vitest run test/e2e/events.e2e.test.ts
import ICAL from 'ical.js';
import type { BrowserContext } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, test } from 'vitest';
import type { Locale } from '../../src/platform/i18n/locales.ts';
import { translator } from '../../src/platform/i18n/messages.ts';
import { browserForFile } from './browser.ts';
import { mailTo, onboard, type Person } from './people.ts';
import { type Axe, onEachDatabase, type RunningServer } from './server.ts';

const TITLE = { 'zh-Hant': '浙江港資企業季度座談會', 'zh-Hans': '浙江港资企业季度座谈会', en: 'Quarterly symposium for Hong Kong-invested enterprises in Zhejiang' };
/**
 * Four dates a quarter apart, the first about a month from now: all still to come, and all within the
 * feeds' year ahead, whenever the test runs (a day of the month every month has).
 */
const SLOTS = ((): string[] => {
  const first = new Date(Date.now() + 30 * 24 * 3600 * 1000);
  const day = Math.min(first.getUTCDate(), 28);
  return [0, 3, 6, 9].map((months) => new Date(Date.UTC(first.getUTCFullYear(), first.getUTCMonth() + months, day)).toISOString().slice(0, 10));
})();
const FIRST = SLOTS[0] as string;

const browser = browserForFile();
const squash = (s: string | null | undefined) => (s ?? '').replace(/\s+/g, ' ').trim();

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

    test('an organiser’s quarterly symposium fills, a cancellation promotes the first waitlisted resident, people are checked in by code, and the event shows on (三)1 and in area (三)’s feed', async () => {
      const problems: string[] = [];
      const hans = translator('zh-Hans');

      const admin = await onboard(server, browser(), { email: 'admin@example.org', name: 'Platform Admin', role: 'administrator', locale: 'en' });
      const organiser = await onboard(server, browser(), { email: 'officer@commerce.example', name: '商务厅干部', role: 'agency-officer', organisation: 'zj-commerce', locale: 'zh-Hans' });
      contexts.push(admin.context, organiser.context);

      // 1. The organiser creates the series: four dates, a quarter apart, two places each.
      const org = organiser.page;
      await org.goto(organiser.href('/workspace/events/new'));
      problems.push(...(await axe(org, 'new event (zh-Hans, organiser)')));
      expect(await org.locator('#field-organisers-zj-commerce').isChecked()).toBe(true);
      await org.selectOption('#field-type', 'symposium');
      await org.selectOption('#field-status', 'published');
      await org.fill('#field-titleHant', TITLE['zh-Hant']);
      await org.fill('#field-titleHans', TITLE['zh-Hans']);
      await org.fill('#field-titleEn', TITLE.en);
      await org.fill('#field-descriptionHans', '听取在浙港资企业的意见和建议，通报最新惠企政策。');
      const commitment = org.locator('#field-commitments .checkbox').filter({ has: org.locator('label', { hasText: /^3-1 / }) });
      await commitment.locator('input').check();
      await org.selectOption('#field-city', 'hangzhou');
      await org.fill('#field-venueHans', '浙江省商务厅三楼会议室');
      await org.selectOption('#field-timeZone', 'Asia/Shanghai');
      await org.fill('#field-startDate', FIRST);
      await org.fill('#field-startTime', '14:30');
      await org.fill('#field-endDate', FIRST);
      await org.fill('#field-endTime', '17:00');
      await org.selectOption('#field-frequency', 'monthly');
      await org.fill('#field-interval', '3');
      await org.selectOption('#field-repeatEnd', 'count');
      await org.fill('#field-count', '4');
      await org.selectOption('#field-registration', 'platform');
      await org.fill('#field-capacity', '2');
      await Promise.all([org.waitForURL(/\/zh-hans\/workspace\/events\/ZJHK-V-\d{4}-\d{6}\?done=created$/), org.click('main form button[type=submit]')]);
      const reference = /\/workspace\/events\/(ZJHK-V-\d{4}-\d{6})/.exec(org.url())?.[1] ?? '';
      const dates = await org.locator('section[aria-labelledby="dates-title"] tbody tr').count();
      expect(dates).toBe(4);
      for (const slot of SLOTS) expect(await org.locator(`section[aria-labelledby="dates-title"] a[href$="/${reference}/${slot}"]`).count()).toBeGreaterThan(0);
      problems.push(...(await axe(org, 'event created (zh-Hans, organiser)')));

      // 2. Residents register for the first date in their own languages: two places, then the waitlist.
      const residents: { key: string; email: string; locale: Locale; person: Person; registration: string; code: string }[] = [];
      for (const [key, locale] of [
        ['a', 'zh-Hant'],
        ['b', 'en'],
        ['c', 'zh-Hans'],
        ['d', 'zh-Hant'],
      ] as const) {
        const email = `resident-${key}@example.org`;
        const person = await onboard(server, browser(), { email, name: `Resident ${key.toUpperCase()}`, role: 'resident', locale });
        contexts.push(person.context);
        const page = person.page;
        await page.goto(person.href(`/events/${reference}/${FIRST}`));
        expect(squash(await page.locator('h1').textContent())).toContain(TITLE[locale]);
        if (key === 'a') problems.push(...(await axe(page, 'event date (zh-Hant, resident)')));
        await Promise.all([page.waitForURL(new RegExp(`/events/${reference}/${FIRST}/register$`)), page.click('.registration a.button')]);
        const t = translator(locale);
        if (key === 'c') {
          expect(await page.locator('main').textContent()).toContain(t('events.register.fullNotice'));
          problems.push(...(await axe(page, 'register when full (zh-Hans, resident)')));
        }
        await Promise.all([page.waitForURL(/\/events\/registrations\/ZJHK-R-\d{4}-\d{6}\?done=registered$/), page.click('form[action$="/register"] button[type=submit]')]);
        const registration = /\/events\/registrations\/(ZJHK-R-\d{4}-\d{6})/.exec(page.url())?.[1] ?? '';
        const facts = squash(await page.locator('dl.facts').textContent());
        let code = '';
        if (key === 'a' || key === 'b') {
          expect(facts).toContain(t('events.registration.state.confirmed'));
          code = squash(await page.locator('.check-in-code strong').textContent());
          expect(code).toMatch(/^[A-Z0-9]{6,}$/);
          expect(await page.locator('.qr svg').count()).toBe(1);
        } else {
          expect(facts).toContain(t('events.registration.state.waitlisted'));
          expect(facts).toContain(t('events.registration.position', { position: key === 'c' ? 1 : 2 }));
          expect(await page.locator('.check-in-code').count()).toBe(0);
        }
        if (key === 'a') problems.push(...(await axe(page, 'registration confirmed (zh-Hant, resident)')));
        residents.push({ key, email, locale, person, registration, code });
      }
      const [a, b, c, d] = residents as [(typeof residents)[number], (typeof residents)[number], (typeof residents)[number], (typeof residents)[number]];

      // 3. Resident B cancels; the first on the waitlist, resident C, gets the place and is emailed in Simplified Chinese.
      const en = translator('en');
      await b.person.page.goto(b.person.href(`/events/registrations/${b.registration}`));
      // Cancelling asks first; the page that asks sends the cancellation with a yes.
      await Promise.all([b.person.page.waitForSelector('.confirm button.danger'), b.person.page.click('form[action$="/cancel"] button[type=submit]')]);
      await Promise.all([b.person.page.waitForURL(/\?done=cancelled$/), b.person.page.click('.confirm button.danger')]);
      expect(squash(await b.person.page.locator('dl.facts').textContent())).toContain(en('events.registration.state.cancelled'));
      const promoted = await mailTo(admin, c.email, hans('events.email.promoted.subject', { title: TITLE['zh-Hans'], reference: c.registration, when: '', where: '', link: '' }));
      const cCode = /签到码：([A-Z0-9]+)/.exec(promoted.body)?.[1] ?? '';
      expect(cCode).toMatch(/^[A-Z0-9]{6,}$/);
      expect(promoted.attachments).toContain('event.ics');
      expect(promoted.attachments).toContain('check-in.png');
      await c.person.page.goto(c.person.href(`/events/registrations/${c.registration}`));
      expect(squash(await c.person.page.locator('dl.facts').textContent())).toContain(hans('events.registration.state.confirmed'));
      expect(squash(await c.person.page.locator('.check-in-code strong').textContent())).toBe(cCode);
      await d.person.page.goto(d.person.href(`/events/registrations/${d.registration}`));
      expect(squash(await d.person.page.locator('dl.facts').textContent())).toContain(translator('zh-Hant')('events.registration.position', { position: 1 }));

      // 4. At the door, the organiser checks people in by code: A's typed as a person would, C's from the email.
      await org.setViewportSize({ width: 390, height: 844 });
      await org.goto(organiser.href(`/workspace/events/${reference}/${FIRST}/check-in`));
      problems.push(...(await axe(org, 'check-in at the door (zh-Hans, phone)')));
      for (const [code, who] of [
        [` ${a.code.toLowerCase()} `, 'Resident A'],
        [cCode, 'Resident C'],
      ] as const) {
        await org.fill('#field-code', code);
        await Promise.all([org.waitForURL(/\/check-in\?done=ZJHK-R-/), org.click('form.check-in-form button[type=submit]')]);
        expect(squash(await org.locator('.check-in-success .check-in-name').textContent())).toBe(who);
      }
      expect(squash(await org.locator('.check-in-tally').textContent())).toBe(squash(hans('events.attendance.checkIn.tally', { n: 2, total: 2 })));
      // A cancelled registration's code lets no one in.
      await org.fill('#field-code', b.code);
      await org.click('form.check-in-form button[type=submit]');
      await org.waitForSelector('.error-summary');
      expect(await org.locator('.check-in-success').count()).toBe(0);
      expect(squash(await org.locator('.check-in-tally').textContent())).toBe(squash(hans('events.attendance.checkIn.tally', { n: 2, total: 2 })));
      problems.push(...(await axe(org, 'checked in (zh-Hans, phone)')));
      await a.person.page.goto(a.person.href(`/events/registrations/${a.registration}`));
      expect(squash(await a.person.page.locator('dl.facts').textContent())).toContain(translator('zh-Hant')('events.registration.state.attended'));

      // 5. Anyone sees the series on commitment (三)1's page, in their language.
      const visitorContext = await browser().newContext({ locale: 'zh-HK' });
      contexts.push(visitorContext);
      const visitor = await visitorContext.newPage();
      await visitor.goto(`${server.baseUrl}/zh-hant/agreements/zjhk-2023/commitments/3-1`);
      const eventLink = visitor.locator(`main a[href$="/events/${reference}/${SLOTS[1]}"]`);
      expect(await eventLink.count()).toBeGreaterThan(0);
      expect(squash(await eventLink.first().textContent())).toContain(TITLE['zh-Hant']);
      problems.push(...(await axe(visitor, 'commitment (三)1 with its events (zh-Hant)')));
      await visitor.goto(`${server.baseUrl}/zh-hant/events?area=3`);
      expect(await visitor.locator(`main a[href*="/events/${reference}/"]`).count()).toBeGreaterThan(0);
      problems.push(...(await axe(visitor, 'events calendar of area (三) (zh-Hant)')));

      // 6. … and in area (三)'s iCalendar feed, one VEVENT a date, in Hangzhou time.
      const feed = await visitor.request.get(`${server.baseUrl}/en/events/calendar.ics?area=3`);
      expect(feed.status()).toBe(200);
      expect(feed.headers()['content-type']).toContain('text/calendar');
      const calendar = new ICAL.Component(ICAL.parse(await feed.text()));
      const ours = calendar.getAllSubcomponents('vevent').filter((v) => v.getFirstPropertyValue('summary') === TITLE.en);
      expect(ours.map((v) => (v.getFirstPropertyValue('dtstart') as ICAL.Time).toString().slice(0, 10)).sort()).toEqual(SLOTS);
      const first = ours.find((v) => (v.getFirstPropertyValue('dtstart') as ICAL.Time).toString().startsWith(FIRST)) as ICAL.Component;
      const start = first.getFirstPropertyValue('dtstart') as ICAL.Time;
      expect(start.zone.tzid).toBe('Asia/Shanghai');
      expect(start.toJSDate().toISOString()).toBe(`${FIRST}T06:30:00.000Z`);
      expect(String(first.getFirstPropertyValue('url'))).toContain(`/events/${reference}/${FIRST}`);
      // Another area's feed does not carry it.
      const other = new ICAL.Component(ICAL.parse(await (await visitor.request.get(`${server.baseUrl}/en/events/calendar.ics?area=1`)).text()));
      expect(other.getAllSubcomponents('vevent').filter((v) => v.getFirstPropertyValue('summary') === TITLE.en)).toEqual([]);

      // 7. Accessibility of every page on the way, and an intact audit trail.
      expect(problems).toEqual([]);
      const verify = await server.zjhk(['audit', 'verify']);
      expect(verify.code, verify.stderr).toBe(0);
    });
  });
}

onEachDatabase(journey);

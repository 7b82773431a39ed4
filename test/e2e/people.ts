// People of the browser journeys: accounts made with the command line, then onboarded in their own
// browser (context) and language as a new user would: set a password from the printed link, sign in,
// enrol two-step verification.
import * as OTPAuth from 'otpauth';
import type { Browser, BrowserContext, Page } from 'playwright-core';
import { expect } from 'vitest';
import { type Role, TWO_FACTOR_ROLES } from '../../src/platform/auth/roles.ts';
import { LOCALE_INFO, type Locale } from '../../src/platform/i18n/locales.ts';
import { translator } from '../../src/platform/i18n/messages.ts';
import type { RunningServer } from './server.ts';

const PASSWORD = 'morning mist over west lake';

/** The browser's own language setting for each of the platform's. */
const BROWSER_LOCALE: Record<Locale, string> = { 'zh-Hant': 'zh-HK', 'zh-Hans': 'zh-CN', en: 'en-GB' };

export interface Person {
  context: BrowserContext;
  page: Page;
  locale: Locale;
  /** A path below the person's language prefix. */
  href(path: string): string;
}

/** Enters a six-digit code from the secret shown on the enrolment page, as an authenticator app would show it. */
async function enrolTwoFactor(page: Page): Promise<void> {
  const secret = ((await page.locator('code.secret').textContent()) ?? '').replace(/\s/g, '');
  await page.fill('#field-code', new OTPAuth.TOTP({ secret: OTPAuth.Secret.fromBase32(secret) }).generate());
  await page.click('form[action$="/account/two-factor"] button[type=submit]');
  await page.waitForSelector('.recovery-codes');
}

export async function onboard(server: RunningServer, browser: Browser, who: { email: string; name: string; role: string; organisation?: string; locale: Locale }): Promise<Person> {
  const created = await server.zjhk([
    'user',
    'create',
    '--email',
    who.email,
    '--name',
    who.name,
    '--role',
    who.role,
    ...(who.organisation ? ['--organisation', who.organisation] : []),
    '--locale',
    who.locale,
  ]);
  expect(created.code, created.stderr).toBe(0);
  const link = new URL(created.stdout.match(/https?:\/\/\S+/)?.[0] ?? '');
  const prefix = LOCALE_INFO[who.locale].prefix;
  expect(link.pathname).toBe(`/${prefix}/reset-password`);
  const context = await browser.newContext({ locale: BROWSER_LOCALE[who.locale] });
  const page = await context.newPage();
  await page.goto(`${server.baseUrl}${link.pathname}${link.search}`);
  await page.fill('#field-password', PASSWORD);
  await page.fill('#field-confirmPassword', PASSWORD);
  // The form posts to the same path without the token.
  await Promise.all([page.waitForURL((url) => url.pathname === link.pathname && url.search === ''), page.click('main button[type=submit]')]);
  expect(await page.locator('main').textContent()).toContain(translator(who.locale)('reset.done'));
  await page.goto(`${server.baseUrl}/${prefix}/login`);
  await page.fill('#field-email', who.email);
  await page.fill('#field-password', PASSWORD);
  await page.click('main button[type=submit]');
  // Officers and above enrol two-step verification first; everyone else lands signed in.
  if (TWO_FACTOR_ROLES.includes(who.role as Role)) {
    await page.waitForURL(new RegExp(`/${prefix}/account/two-factor`));
    await enrolTwoFactor(page);
  } else {
    await page.waitForURL((url) => !url.pathname.endsWith('/login'));
  }
  return { context, page, locale: who.locale, href: (path) => `${server.baseUrl}/${prefix}${path}` };
}

/** The newest message to an address whose subject contains a text, read from the dev mailbox (the outbox) as the administrator. */
export async function mailTo(admin: Person, to: string, subjectContains: string): Promise<{ subject: string; body: string; attachments: string }> {
  await admin.page.goto(admin.href('/admin/mailbox'));
  const mails = await admin.page.$$eval('article.mail', (articles) =>
    articles.map((a) => ({
      subject: a.querySelector('h2')?.textContent ?? '',
      to: a.querySelector('dd')?.textContent ?? '',
      body: a.querySelector('pre')?.textContent ?? '',
      attachments: a.querySelector('.mail-attachments')?.textContent ?? '',
    })),
  );
  const mail = mails.find((m) => m.to === to && m.subject.includes(subjectContains));
  if (!mail) throw new Error(`no message to ${to} about ${subjectContains} in the dev mailbox: ${JSON.stringify(mails.map((m) => `${m.to}: ${m.subject}`))}`);
  return mail;
}

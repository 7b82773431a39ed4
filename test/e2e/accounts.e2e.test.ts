// The accounts journey in a real browser, on each database: the first administrator is created from
// the command line and enrols two-step verification; a resident registers, confirms the email from
// the dev mailbox and then signs in; the administrator invites an officer, who sets a password and enrols.
import * as OTPAuth from 'otpauth';
import type { Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, test } from 'vitest';
import { browserForFile } from './browser.ts';
import { type Axe, onEachDatabase, type RunningServer } from './server.ts';

const PASSWORD = 'morning mist over west lake';

const browser = browserForFile();

async function newPage(): Promise<Page> {
  const context = await browser().newContext({ locale: 'en-GB' });
  return await context.newPage();
}

/** A six-digit code from the secret shown on the enrolment page, as an authenticator app would show it. */
async function enrolTwoFactor(page: Page): Promise<string[]> {
  const secret = ((await page.locator('code.secret').textContent()) ?? '').replace(/\s/g, '');
  await page.fill('#field-code', new OTPAuth.TOTP({ secret: OTPAuth.Secret.fromBase32(secret) }).generate());
  await page.click('form[action$="/account/two-factor"] button[type=submit]');
  await page.waitForSelector('.recovery-codes');
  return await page.locator('.recovery-codes code').allTextContents();
}

/** The link in the newest message to an address, read from the dev mailbox as the administrator. */
async function linkFromMailbox(admin: Page, server: RunningServer, to: string): Promise<string> {
  await admin.goto(`${server.baseUrl}/en/admin/mailbox`);
  const mails = await admin.$$eval('article.mail', (articles) => articles.map((a) => ({ text: a.textContent ?? '', body: a.querySelector('pre')?.textContent ?? '' })));
  const mail = mails.find((m) => m.text.includes(to));
  const link = mail?.body.match(/https?:\/\/\S+/)?.[0];
  if (!link) throw new Error(`no message with a link to ${to} in the dev mailbox`);
  const url = new URL(link);
  return `${server.baseUrl}${url.pathname}${url.search}`;
}

function journey(name: string, start: () => Promise<RunningServer>, cleanup: () => Promise<void>, axe: Axe) {
  describe(name, () => {
    let server: RunningServer;
    beforeAll(async () => {
      server = await start();
    });
    afterAll(async () => {
      await server?.stop();
      await cleanup();
    });

    test('an administrator, a resident and an invited officer each get in as they should', async () => {
      const problems: string[] = [];
      // The first administrator, from the command line.
      const created = await server.zjhk(['user', 'create', '--email', 'admin@example.org', '--name', 'Platform Admin', '--role', 'administrator', '--locale', 'en']);
      expect(created.code, created.stderr).toBe(0);
      const setPassword = new URL(created.stdout.match(/https?:\/\/\S+/)?.[0] ?? '');
      const admin = await newPage();
      await admin.goto(`${server.baseUrl}${setPassword.pathname}${setPassword.search}`);
      await admin.fill('#field-password', PASSWORD);
      await admin.fill('#field-confirmPassword', PASSWORD);
      await admin.click('main button[type=submit]');
      expect(await admin.locator('main').textContent()).toContain('Your password has been changed');
      await admin.goto(`${server.baseUrl}/en/login`);
      await admin.fill('#field-email', 'admin@example.org');
      await admin.fill('#field-password', PASSWORD);
      await admin.click('main button[type=submit]');
      await admin.waitForURL(/\/en\/account\/two-factor/);
      problems.push(...(await axe(admin, 'two-factor set-up')));
      expect(await enrolTwoFactor(admin)).toHaveLength(10);
      problems.push(...(await axe(admin, 'recovery codes')));

      // A resident registers and confirms the address.
      const resident = await newPage();
      await resident.goto(`${server.baseUrl}/en/register`);
      problems.push(...(await axe(resident, 'register')));
      await resident.fill('#field-displayName', 'Chan Siu Ling');
      await resident.fill('#field-email', 'new.resident@example.org');
      await resident.fill('#field-password', PASSWORD);
      await resident.fill('#field-confirmPassword', PASSWORD);
      await resident.selectOption('#field-locale', 'en');
      await resident.click('main button[type=submit]');
      // The same answer as for an address that has an account: the next step is in the email.
      await resident.waitForSelector('text=We have sent a message to new.resident@example.org');
      problems.push(...(await axe(resident, 'registration sent')));
      await resident.goto(await linkFromMailbox(admin, server, 'new.resident@example.org'));
      expect(await resident.locator('main').textContent()).toContain('Your email address is confirmed');
      await resident.goto(`${server.baseUrl}/en/login`);
      await resident.fill('#field-email', 'new.resident@example.org');
      await resident.fill('#field-password', PASSWORD);
      await resident.click('main button[type=submit]');
      await resident.waitForURL(/\/en\/account$/);
      expect(await resident.locator('main').textContent()).toContain('Resident');
      problems.push(...(await axe(resident, 'account')));

      // The administrator invites an officer, who accepts and enrols.
      await admin.goto(`${server.baseUrl}/en/admin/invitations`);
      problems.push(...(await axe(admin, 'invitations')));
      await admin.fill('#field-email', 'officer@fstb.example');
      await admin.fill('#field-displayName', 'Lee Siu Ming');
      await admin.selectOption('#field-role', 'agency-officer');
      await admin.selectOption('#field-organisationId', 'hk-fstb');
      await admin.selectOption('#field-locale', 'en');
      await admin.click('form[action$="/admin/invitations"] button[type=submit]');
      expect(await admin.locator('main').textContent()).toContain('An invitation is on its way to officer@fstb.example');
      const officer = await newPage();
      await officer.goto(await linkFromMailbox(admin, server, 'officer@fstb.example'));
      problems.push(...(await axe(officer, 'accept invitation')));
      await officer.fill('#field-password', PASSWORD);
      await officer.fill('#field-confirmPassword', PASSWORD);
      await officer.click('main button[type=submit]');
      await officer.waitForURL(/\/account\/two-factor/);
      await enrolTwoFactor(officer);
      await officer.goto(`${server.baseUrl}/en/account`);
      expect(await officer.locator('main').textContent()).toContain('Agency officer — Financial Services and the Treasury Bureau');

      await admin.goto(`${server.baseUrl}/en/admin/audit`);
      expect(await admin.locator('main').textContent()).toContain('invitation.accepted');
      problems.push(...(await axe(admin, 'audit trail')));
      expect(problems).toEqual([]);
      const verify = await server.zjhk(['audit', 'verify']);
      expect(verify.stdout).toContain('Audit trail intact');
    });
  });
}

onEachDatabase(journey);

import axe from 'axe-core';
import { type Browser, chromium, type Page } from 'playwright-core';
import { afterAll, beforeAll } from 'vitest';

const WCAG_TAGS = ['wcag2a', 'wcag2aa', 'wcag21a', 'wcag21aa'];

/**
 * How long one browser action (a click, a navigation, a wait for a selector) may take before it is
 * reported as stuck. Tests wait on conditions; this only turns a hang into a failure that names the
 * action, and is far above what any action takes on a busy two-core machine.
 */
const ACTION_LIMIT_MS = 120_000;

/** Debian's Chromium, as this machine and CI have it (never a browser a test tool downloads). */
async function launchBrowser(): Promise<Browser> {
  const browser = await chromium.launch({
    executablePath: '/usr/bin/chromium',
    args: ['--headless', '--no-sandbox', '--disable-gpu', '--disable-background-networking'],
    timeout: ACTION_LIMIT_MS,
  });
  const newContext = browser.newContext.bind(browser);
  browser.newContext = async (options) => {
    const context = await newContext(options);
    context.setDefaultTimeout(ACTION_LIMIT_MS);
    return context;
  };
  return browser;
}

/**
 * What axe runs: the WCAG 2.1 A and AA rules only, and only the violations are written out in full
 * (axe's own option for speed: the other result types keep one node each, and nothing here reads them).
 */
const AXE_OPTIONS: axe.RunOptions = { runOnly: { type: 'tag', values: WCAG_TAGS }, resultTypes: ['violations'] };

interface AxeViolation {
  id: string;
  impact?: string | null;
  help: string;
  helpUrl: string;
  nodes: { target: unknown[]; failureSummary?: string; html: string }[];
}

/**
 * axe's violations, written so the cause of a failure is obvious from the test output alone.
 *
 * axe-core runs in the page itself: its source is put into each frame of the page that does not have
 * it yet (once per page load, and only on pages that are checked), then `axe.run` checks the page. This
 * is what @axe-core/playwright's legacy mode does, less its cost: its default mode injects the source
 * twice and opens a blank page for every check, which made each check take about two seconds.
 */
export async function axeViolations(page: Page, label: string): Promise<string[]> {
  for (const frame of page.frames()) {
    if (!(await frame.evaluate('typeof window.axe === "object"'))) await frame.evaluate(axe.source);
  }
  const violations = await page.evaluate(async (options) => {
    const results = await (window as unknown as { axe: typeof axe }).axe.run(document, options);
    return results.violations.map((v) => ({
      id: v.id,
      impact: v.impact,
      help: v.help,
      helpUrl: v.helpUrl,
      nodes: v.nodes.map((n) => ({ target: n.target, failureSummary: n.failureSummary, html: n.html })),
    }));
  }, AXE_OPTIONS);
  const lines = (violations as AxeViolation[]).map((v) => {
    const nodes = v.nodes
      .slice(0, 10)
      .map((n) => `      - ${n.target.map(String).join(' ')}\n        ${(n.failureSummary ?? '').replace(/\n/g, '\n        ')}\n        html: ${n.html.slice(0, 200)}`)
      .join('\n');
    const more = v.nodes.length > 10 ? `\n      … and ${v.nodes.length - 10} more` : '';
    return `${label}: ${v.id} [${v.impact ?? 'n/a'}] ${v.help} (${v.helpUrl})\n${nodes}${more}`;
  });
  if (lines.length) console.error(`axe violations\n${lines.join('\n')}`);
  return lines;
}

/** One browser for a test file, started before its tests and closed after them. */
export function browserForFile(): () => Browser {
  let browser: Browser | undefined;
  beforeAll(async () => {
    browser = await launchBrowser();
  });
  afterAll(async () => {
    await browser?.close();
  });
  return () => {
    if (!browser) throw new Error('the browser did not start (see beforeAll)');
    return browser;
  };
}

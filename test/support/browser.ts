/**
 * A real browser for the console's end-to-end tests: Debian's Chromium (installed by .ci/run),
 * driven by playwright-core. Every page a test opens collects console errors and uncaught
 * exceptions (a test asserts there were none), can be checked with axe-core, and screenshotted at
 * the widths the console must serve (1440 px desktop, 375 px phone) into test-results/screenshots.
 */
import { mkdir } from 'node:fs/promises';
import { join } from 'node:path';
import axe from 'axe-core';
import { type Browser, type BrowserContext, chromium, type Page } from 'playwright-core';
import { REPO_ROOT } from '../../infra/constructs/paths.ts';

export const CHROMIUM_PATH = process.env.CHROMIUM_PATH ?? '/usr/bin/chromium';
export const SCREENSHOTS = join(REPO_ROOT, 'test-results', 'screenshots');

/** The flags this machine's Chromium needs: no sandbox as root, and no calls home on a closed network. */
const FLAGS = [
  '--no-sandbox',
  '--disable-gpu',
  '--disable-quic',
  '--no-first-run',
  '--disable-background-networking',
  '--disable-component-update',
  '--disable-sync',
  '--disable-dev-shm-usage',
];

export function launchBrowser(): Promise<Browser> {
  return chromium.launch({ executablePath: CHROMIUM_PATH, headless: true, args: FLAGS });
}

export interface WatchedPage {
  page: Page;
  context: BrowserContext;
  /** Console errors and uncaught exceptions seen so far. */
  problems: string[];
}

export const VIEWPORTS = { desktop: { width: 1440, height: 900 }, phone: { width: 375, height: 812 } } as const;

export async function openPage(browser: Browser, baseURL: string, viewport: keyof typeof VIEWPORTS = 'desktop'): Promise<WatchedPage> {
  const context = await browser.newContext({ baseURL, viewport: VIEWPORTS[viewport], locale: 'zh-CN', timezoneId: 'Asia/Shanghai' });
  const page = await context.newPage();
  const problems: string[] = [];
  page.on('console', (message) => {
    if (message.type() === 'error') problems.push(`console: ${message.text()}`);
  });
  page.on('pageerror', (error) => problems.push(`page error: ${error.message}`));
  return { page, context, problems };
}

/**
 * Opens a page and signs in through the console's own form (password `demo`, the seeded accounts).
 * `clockAt` starts the page's clock at the runtime's: a session minted on the ManualClock must not
 * look expired to the console.
 */
export async function signInThroughPage(
  browser: Browser,
  baseURL: string,
  username: string,
  viewport: keyof typeof VIEWPORTS = 'desktop',
  opts: { clockAt?: Date } = {},
): Promise<WatchedPage> {
  const watched = await openPage(browser, baseURL, viewport);
  const { page } = watched;
  if (opts.clockAt) await watched.context.clock.install({ time: opts.clockAt });
  await page.goto('/');
  await page.getByLabel('用户名').fill(username);
  await page.getByLabel('密码', { exact: true }).fill('demo');
  await page.locator('[data-test="sign-in-submit"]').click();
  await page.locator('[data-test="sign-out"]').waitFor();
  return watched;
}

/** axe-core's serious and critical findings on the page as it is now (WCAG 2.1 A/AA rules). */
export async function accessibilityProblems(page: Page): Promise<string[]> {
  // At rest first: a dialog or tooltip still fading in or out measures as low contrast.
  await settle(page);
  // Evaluated through the debugging protocol, not as a <script> tag: a page with a strict
  // Content-Security-Policy (the SMS link page) would refuse an injected script, and rightly.
  await page.evaluate(`${axe.source}\n;window.axe = axe;`);
  // A string, not a function: it runs in the page, where `axe` and `document` are (not in Node's types).
  const result = (await page.evaluate(
    "axe.run(document, { runOnly: { type: 'tag', values: ['wcag2a', 'wcag2aa', 'wcag21a', 'wcag21aa'] } })",
  )) as axe.AxeResults;
  return result.violations
    .filter((v) => v.impact === 'serious' || v.impact === 'critical')
    .map(
      (v) =>
        `${v.impact} ${v.id}: ${v.help} (${v.nodes
          .map((n) => n.target.join(' '))
          .slice(0, 3)
          .join('; ')})`,
    );
}

/** Waits until no transition or animation is running (drawers, dialogs, menus), so a screenshot shows the page at rest. */
export async function settle(page: Page): Promise<void> {
  await page.waitForFunction("document.getAnimations().every((a) => a.playState !== 'running')", undefined, { timeout: 10_000 });
}

export async function screenshot(page: Page, name: string): Promise<string> {
  await settle(page);
  await mkdir(SCREENSHOTS, { recursive: true });
  const width = page.viewportSize()?.width ?? 0;
  const path = join(SCREENSHOTS, `${name}-${width}.png`);
  await page.screenshot({ path, fullPage: true });
  return path;
}

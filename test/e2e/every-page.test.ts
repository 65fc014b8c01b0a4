/**
 * Every page of the console's menu, as the county admin, in Chinese and in English, at 1440 px and
 * 375 px: no console error, no serious or critical axe finding, no untranslated message key on
 * screen, and a screenshot of each (test-results/screenshots/page-<area>-<width>.png).
 */
import type { Browser, Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { accessibilityProblems, launchBrowser, screenshot, signInThroughPage, VIEWPORTS } from '../support/browser.ts';
import { scenario, startTestRuntime, type TestRuntime } from '../support/local-runtime.ts';

let rt: TestRuntime;
let browser: Browser;

beforeAll(async () => {
  [rt, browser] = await Promise.all([startTestRuntime(), launchBrowser()]);
  // Something to show on the report pages, the workbench, the SMS log and the map.
  const s = scenario(rt);
  const id = await s.file({ title: '那沙村大中塘屯村道小桥桥面塌陷' });
  await s.untilParked(id, 1);
});
afterAll(async () => {
  await browser?.close();
  await rt?.stop();
});

/** A message key shown instead of its text ("reports.filters.status"): a string that missed vue-i18n. */
const MESSAGE_KEY = /\b(?:[a-z][a-zA-Z]*\.){1,}[a-z][a-zA-Z_]*[A-Za-z]\b/g;
/** Dotted words that are data, not keys. */
const NOT_KEYS = new Set(['example.com', 'config.json', 'openapi.json']);

async function untranslatedKeys(page: Page): Promise<string[]> {
  const text = await page.locator('body').innerText();
  return [...text.matchAll(MESSAGE_KEY)].map((m) => m[0]).filter((k) => !NOT_KEYS.has(k) && !/\.(csv|png|jpg|js)$/.test(k));
}

function signIn(viewport: keyof typeof VIEWPORTS) {
  return signInThroughPage(browser, rt.url, 'admin', viewport);
}

/** The menu's pages, read from the desktop sidebar (the same list the phone drawer shows). */
async function menuPaths(page: Page): Promise<string[]> {
  const items = page.locator('.layout-aside .el-menu-item');
  await items.first().waitFor();
  const count = await items.count();
  const paths: string[] = [];
  for (let i = 0; i < count; i++) {
    await items.nth(i).click();
    await page.waitForURL((url) => !paths.includes(url.pathname));
    paths.push(new URL(page.url()).pathname);
  }
  return paths;
}

async function visit(page: Page, path: string) {
  await page.goto(path);
  await page.locator('[data-test="sign-out"]').waitFor();
  // Loading masks gone: the page shows what it fetched.
  await page.waitForFunction('!document.querySelector(\'.el-loading-mask:not([style*="display: none"])\')', undefined, { timeout: 15_000 });
}

describe('every page of the console', () => {
  for (const viewport of ['desktop', 'phone'] as const) {
    it(`renders each menu page at ${VIEWPORTS[viewport].width} px in Chinese and in English, with no console errors, no serious accessibility problems and no untranslated text`, async () => {
      // Prepare
      const desktop = await signIn('desktop');
      const paths = await menuPaths(desktop.page);
      await desktop.context.close();
      const { page, problems, context } = viewport === 'desktop' ? await signIn('desktop') : await signIn('phone');
      const findings: string[] = [];

      // Act
      for (const path of paths) {
        await visit(page, path);
        for (const problem of await accessibilityProblems(page)) findings.push(`${path} (zh-CN): ${problem}`);
        for (const key of await untranslatedKeys(page)) findings.push(`${path} (zh-CN): untranslated ${key}`);
        await screenshot(page, `page${path.replaceAll('/', '-')}`);
      }
      await page.evaluate("localStorage.setItem('gw.locale', 'en')");
      for (const path of paths) {
        await visit(page, path);
        expect(await page.locator('html').getAttribute('lang')).toBe('en');
        for (const key of await untranslatedKeys(page)) findings.push(`${path} (en): untranslated ${key}`);
      }

      // Assess
      expect(paths.length).toBeGreaterThanOrEqual(7);
      expect(findings).toEqual([]);
      expect(problems).toEqual([]);
      await context.close();
    });
  }
});

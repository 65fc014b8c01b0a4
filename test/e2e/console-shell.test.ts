/**
 * The console's shell in a real Chromium against the real local runtime: sign-in, the layout, the
 * language switch (Element Plus's own texts follow it), sign-out, and the pages a stranger may see.
 */
import type { Browser } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { accessibilityProblems, launchBrowser, openPage, screenshot, signInThroughPage } from '../support/browser.ts';
import { startTestRuntime, type TestRuntime } from '../support/local-runtime.ts';

let rt: TestRuntime;
let browser: Browser;

beforeAll(async () => {
  [rt, browser] = await Promise.all([startTestRuntime(), launchBrowser()]);
});
afterAll(async () => {
  await browser?.close();
  await rt?.stop();
});

function signIn(username: string, viewport: 'desktop' | 'phone' = 'desktop') {
  return signInThroughPage(browser, rt.url, username, viewport);
}

describe('the console shell', () => {
  it('asks a stranger to sign in, in Chinese, with no console errors and no serious accessibility problems', async () => {
    // Prepare
    const { page, problems, context } = await openPage(browser, rt.url);

    // Act
    await page.goto('/reports');
    await page.getByRole('heading', { name: '网格吹哨' }).waitFor();

    // Assess
    expect(new URL(page.url()).pathname).toBe('/sign-in');
    expect(new URL(page.url()).searchParams.get('redirect')).toBe('/reports');
    expect(await page.locator('html').getAttribute('lang')).toBe('zh-CN');
    expect(await accessibilityProblems(page)).toEqual([]);
    await screenshot(page, 'sign-in');
    expect(problems).toEqual([]);
    await context.close();
  });

  it('signs the county admin in, switches to English and back, and signs out at once', async () => {
    // Prepare
    const { page, problems, context } = await signIn('admin');

    // Act
    const chineseMenu = await page.locator('.layout-aside .el-menu-item').first().innerText();
    await page.getByRole('button', { name: '语言' }).click();
    await page.getByRole('menuitem', { name: 'English' }).click();
    await page.getByRole('button', { name: 'Sign out' }).waitFor();
    const englishMenu = await page.locator('.layout-aside .el-menu-item').first().innerText();
    const lang = await page.locator('html').getAttribute('lang');
    await page.getByRole('button', { name: 'Language' }).click();
    await page.getByRole('menuitem', { name: '中文' }).click();
    await page.getByRole('button', { name: '退出登录' }).click();
    await page.getByLabel('用户名').waitFor();
    const afterSignOut = await page.evaluate('sessionStorage.getItem("gw.session")');

    // Assess
    expect(chineseMenu).toContain('工作台');
    expect(englishMenu).toContain('Workbench');
    expect(lang).toBe('en');
    expect(afterSignOut).toBeNull();
    expect(problems).toEqual([]);
    await context.close();
  });

  it('tells a wrong password in the reader’s language', async () => {
    // Prepare
    const { page, problems, context } = await openPage(browser, rt.url);
    await page.goto('/sign-in');

    // Act
    await page.getByLabel('用户名').fill('admin');
    await page.getByLabel('密码', { exact: true }).fill('not-the-password');
    await page.locator('[data-test="sign-in-submit"]').click();
    const error = await page.locator('[data-test="sign-in-error"]').innerText();

    // Assess
    expect(error).toContain('用户名或密码错误');
    expect(problems.filter((p) => !p.includes('401'))).toEqual([]);
    await context.close();
  });

  it('fits a 375 px phone: the menu opens from a button', async () => {
    // Prepare
    const { page, problems, context } = await signIn('township1', 'phone');

    // Act
    await page.getByRole('button', { name: '打开导航菜单' }).click();
    await page.locator('.layout-drawer .el-menu-item').first().waitFor();

    // Assess
    expect(await page.locator('.layout-drawer .el-menu-item').first().innerText()).toContain('工作台');
    await screenshot(page, 'menu');
    expect(problems).toEqual([]);
    await context.close();
  });
});

/**
 * The county admin's working calendar and policy editors in Chromium against the real local
 * runtime (manual clock, 2 November 2026): the calendar warns that 2027's holidays are missing and
 * takes 元旦 2027 with its notice; a policy's figure changes, the dry-run preview follows before
 * anything is saved, and the save makes version 2. At 1440 and 375 px: no console error, no
 * serious or critical axe finding, a screenshot of each.
 */
import type { Browser, Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { accessibilityProblems, launchBrowser, screenshot, signInThroughPage, type VIEWPORTS } from '../support/browser.ts';
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

function signIn(viewport: keyof typeof VIEWPORTS) {
  return signInThroughPage(browser, rt.url, 'admin', viewport);
}

async function loaded(page: Page) {
  await page.waitForFunction('!document.querySelector(\'.el-loading-mask:not([style*="display: none"])\')', undefined, { timeout: 15_000 });
}

async function typeDate(page: Page, label: string, date: string) {
  const input = page.getByRole('dialog').getByLabel(label, { exact: true });
  await input.click();
  await input.fill(date);
  await input.press('Enter');
}

describe('the calendar and policy editors', () => {
  it('warns that 2027 is missing, takes a 2027 holiday with its notice, and saves a policy after previewing it', async () => {
    // Prepare
    const { page, problems, context } = await signIn('desktop');
    await page.goto('/calendar');
    await loaded(page);
    const warning = page.locator('[data-test="missing-years"]');
    await warning.waitFor();
    const warned = await warning.innerText();
    await screenshot(page, 'calendar');
    const calendarAxe = await accessibilityProblems(page);

    // Act: enter 元旦 2027 under its notice
    await page.locator('[data-test="enter-year-2027"]').click();
    await page.getByRole('dialog').getByLabel('依据文件').fill('国办发明电〔2026〕8号');
    await page.getByRole('dialog').getByLabel('节日名称').fill('元旦');
    await typeDate(page, '放假开始', '2027-01-01');
    await typeDate(page, '放假结束', '2027-01-01');
    await page.locator('[data-test="arrangement-submit"]').click();
    const row = page.locator('[data-test="overrides-table"] .el-table__row', { hasText: '2027-01-01' });
    await row.waitFor();
    await warning.waitFor({ state: 'detached' });
    const stored = (await rt.http('GET', '/api/v1/counties/451322/calendar?year=2027', { token: await rt.login('admin') })).body;

    // Act: open the normal infrastructure policy, change the grid's 签收 time, watch the preview, save
    await page.goto('/policies');
    await loaded(page);
    await page.locator('[data-test="edit-infrastructure-normal"]').click();
    const acceptBy = page.locator('[data-test="policy-preview"] [data-test="preview-accept-by"]').first();
    await acceptBy.waitFor();
    const before = await acceptBy.innerText();
    const gridAccept = page.locator('[data-test="grid-accept"] input');
    await gridAccept.fill('3');
    await gridAccept.press('Tab');
    // A string, not a function: it runs in the page, where `document` is (not in Node's types).
    await page.waitForFunction(
      `document.querySelector('[data-test="policy-preview"] [data-test="preview-accept-by"]')?.textContent?.trim() !== ${JSON.stringify(before.trim())}`,
    );
    const after = await acceptBy.innerText();
    await screenshot(page, 'policy-editor');
    const editorAxe = await accessibilityProblems(page);
    await page.locator('[data-test="policy-save"]').click();
    await page.locator('[data-test="policy-versions"] .el-table__row', { hasText: '2' }).first().waitFor();
    await page.getByRole('dialog').getByRole('button', { name: '关闭' }).first().click();
    const version = page.locator('[data-test="version-infrastructure-normal"]');
    await page.waitForFunction(`document.querySelector('[data-test="version-infrastructure-normal"]')?.textContent?.trim() === '2'`);
    await screenshot(page, 'policies');
    const listAxe = await accessibilityProblems(page);

    // Assess
    expect(warned).toContain('2027');
    expect(stored.days).toEqual([{ date: '2027-01-01', working: false, source: 'county', name: '元旦', notice: '国办发明电〔2026〕8号' }]);
    expect(stored.missingYears).toEqual([]);
    expect(after).not.toBe(before);
    expect(await version.innerText()).toBe('2');
    const saved = (await rt.http('GET', '/api/v1/counties/451322/policies/infrastructure/normal', { token: await rt.login('admin') })).body;
    expect(saved.policy).toMatchObject({ version: 2, tiers: { grid: { acceptSeconds: 3 * 3600 } } });
    expect([...calendarAxe, ...editorAxe, ...listAxe]).toEqual([]);
    expect(problems).toEqual([]);
    await context.close();
  });

  it('shows both editors on a 375 px phone', async () => {
    // Prepare
    const { page, problems, context } = await signIn('phone');

    // Act
    await page.goto('/calendar');
    await loaded(page);
    await page.locator('[data-test="calendar-year"]').waitFor();
    await screenshot(page, 'calendar');
    const calendarAxe = await accessibilityProblems(page);
    await page.goto('/policies');
    await loaded(page);
    await page.locator('[data-test="edit-infrastructure-urgent"]').click();
    await page.locator('[data-test="policy-preview"] [data-test="preview-accept-by"]').first().waitFor();
    await screenshot(page, 'policy-editor');
    const editorAxe = await accessibilityProblems(page);

    // Assess
    expect([...calendarAxe, ...editorAxe]).toEqual([]);
    expect(problems).toEqual([]);
    await context.close();
  });
});

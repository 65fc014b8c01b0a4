/**
 * 可能重复 and 合并 in a real Chromium against the real runtime: two reports filed 50 m apart
 * through the API; the township admin sees the first suggested on the second's page, with its
 * distance, merges the second into it through the dialog, and the page shows where it went; the
 * parent's page lists it. No console errors, no serious accessibility findings, screenshots at
 * 1440 and 375 px.
 */
import type { Browser } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { accessibilityProblems, launchBrowser, screenshot, signInThroughPage, type VIEWPORTS } from '../support/browser.ts';
import { scenario, startTestRuntime, type TestRuntime } from '../support/local-runtime.ts';

let rt: TestRuntime;
let browser: Browser;
let parentId = '';
let childId = '';

beforeAll(async () => {
  [rt, browser] = await Promise.all([startTestRuntime(), launchBrowser()]);
  const s = scenario(rt);
  await s.usePolicy('dispute', 'normal', {});
  parentId = await s.file({ category: 'dispute', title: '那沙村宅基地纠纷', location: { lat: 23.96, lng: 109.69 } });
  childId = await s.file({ category: 'dispute', title: '宅基地边界争执', location: { lat: 23.96045, lng: 109.69 } });
  await Promise.all([s.untilParked(parentId, 1), s.untilParked(childId, 1)]);
});
afterAll(async () => {
  await browser?.close();
  await rt?.stop();
});

function signIn(username: string, viewport: keyof typeof VIEWPORTS = 'desktop') {
  return signInThroughPage(browser, rt.url, username, viewport);
}

describe('the township admin', () => {
  it('sees the nearby report suggested on a phone, with its distance', async () => {
    // Prepare
    const { page, problems, context } = await signIn('township1', 'phone');

    // Act
    await page.goto(`/reports/${childId}`);
    const suggestion = page.locator('[data-test="duplicate-suggestions"] tr', { hasText: '那沙村宅基地纠纷' });
    await suggestion.waitFor();

    // Assess
    expect(await suggestion.locator('[data-test="duplicate-distance"]').innerText()).toBe('约 50 米');
    expect(await accessibilityProblems(page)).toEqual([]);
    await screenshot(page, 'report-duplicates');
    expect(problems).toEqual([]);
    await context.close();
  });

  it('merges the duplicate into it through the dialog, and both pages show the merge', async () => {
    // Prepare
    const { page, problems, context } = await signIn('township1');
    await page.goto(`/reports/${childId}`);
    await page.locator(`[data-test="merge-into-${parentId}"]`).waitFor();
    await screenshot(page, 'report-duplicates');

    // Act
    await page.locator(`[data-test="merge-into-${parentId}"]`).click();
    await page.locator('[data-test="merge-dialog"]').waitFor();
    const dialogAxe = await accessibilityProblems(page);
    await screenshot(page, 'report-merge-dialog');
    await page.locator('[data-test="merge-confirm"]').click();
    await page.locator('[data-test="report-status"]', { hasText: '已合并' }).waitFor();
    // The parent's title comes with the duplicates read again after the merge (its id shows until then).
    await page.locator('[data-test="merged-into"]', { hasText: '那沙村宅基地纠纷' }).waitFor();
    const mergedInto = await page.locator('[data-test="merged-into"]').innerText();
    await page.locator('[data-test="merged-parent-link"]').click();
    await page.locator('[data-test="merged-children"]').waitFor();

    // Assess
    expect(dialogAxe).toEqual([]);
    expect(mergedInto).toContain('那沙村宅基地纠纷');
    expect(page.url()).toContain(`/reports/${parentId}`);
    expect(await page.locator('[data-test="merged-children"]').innerText()).toContain('宅基地边界争执');
    expect((await rt.http('GET', `/api/v1/reports/${childId}`, { token: await rt.login('admin') })).body.report).toMatchObject({
      status: 'merged',
      mergedInto: parentId,
    });
    expect(problems).toEqual([]);
    await context.close();
  });
});

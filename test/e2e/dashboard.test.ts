/**
 * 总览 in a real Chromium against the real runtime: reports filed and acted on through the API
 * (one resolved in time, one that misses its 办结 deadline and escalates, one elsewhere in the
 * county); the county admin opens 总览, reads the figures as n / N and % with a definition on
 * hover and the charts, drills into the reports behind the resolution rate's numerator and
 * opens one; on a 375 px phone too, and in English. No console errors, no serious axe findings.
 */
import type { Browser } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { accessibilityProblems, launchBrowser, screenshot, signInThroughPage, type VIEWPORTS } from '../support/browser.ts';
import { scenario, startTestRuntime, type TestRuntime } from '../support/local-runtime.ts';

let rt: TestRuntime;
let browser: Browser;
let resolvedId = '';

beforeAll(async () => {
  [rt, browser] = await Promise.all([startTestRuntime(), launchBrowser()]);
  const s = scenario(rt);
  await s.usePolicy('environment', 'normal', { grid: { acceptSeconds: 600, completeSeconds: 1200 } });
  resolvedId = await s.file({ category: 'environment', title: '河道垃圾堆积' });
  const late = await s.file({ category: 'environment', title: '垃圾池满溢' });
  const elsewhere = await s.file({ gridCode: '451322101001001', location: undefined, title: '石龙社区路灯不亮' }, 'worker7');
  await Promise.all([s.untilParked(resolvedId, 1), s.untilParked(late, 1), s.untilParked(elsewhere, 1)]);
  await s.act(resolvedId, 'worker1', { action: 'accept' });
  await s.act(late, 'worker1', { action: 'accept' });
  await s.untilParked(late, 1, 'complete');
  await s.act(resolvedId, 'worker1', { action: 'resolve' });
  // A resolved report closes after its return visit (回访).
  await s.visit(resolvedId, true);
  await s.until(resolvedId, (h) => h.report.status === 'closed');
  rt.clock.advance(1_300_000);
  await s.untilParked(late, 2);
}, 90_000);
afterAll(async () => {
  await browser?.close();
  await rt?.stop();
});

function signIn(username: string, viewport: keyof typeof VIEWPORTS = 'desktop') {
  return signInThroughPage(browser, rt.url, username, viewport);
}

describe('the county admin’s 总览', () => {
  it('shows the figures as n / N and %, a definition on hover and the charts, and drills into the reports behind one', async () => {
    // Prepare
    const { page, problems, context } = await signIn('admin');

    // Act
    await page.locator('.layout-aside .el-menu-item', { hasText: '总览' }).click();
    const resolution = page.locator('[data-test="figure-resolution"]');
    await resolution.waitFor();
    await page.locator('[data-test="chart-trend"] canvas').waitFor();
    const figures = {
      received: await page.locator('[data-test="figure-received"]').innerText(),
      resolution: await resolution.innerText(),
      completed: await page.locator('[data-test="figure-completedOnTime"]').innerText(),
      overdue: await page.locator('[data-test="figure-overdueNow"]').innerText(),
    };
    await page.locator('[data-test="definition-resolution"]').hover();
    const tooltip = page.locator('.el-popper', { hasText: '按上报日计' }).first();
    await tooltip.waitFor();
    const definition = await tooltip.innerText();
    await page.mouse.move(0, 0);
    // Axe on a tooltip mid fade-out measures a half-transparent text: wait until it is gone.
    await tooltip.waitFor({ state: 'hidden' });
    const axe = await accessibilityProblems(page);
    await screenshot(page, 'dashboard');
    await resolution.locator('[data-test="figure-numerator"]').click();
    const drilled = page.locator('[data-test="drill-report"]');
    await drilled.first().waitFor();
    const drillTitles = await drilled.allInnerTexts();
    await drilled.first().click();
    await page.locator('[data-test="report-title"]').waitFor();

    // Assess
    expect(figures.received).toContain('3');
    expect(figures.resolution).toMatch(/1\s*\/\s*3/);
    expect(figures.resolution).toContain('33.33 %');
    expect(figures.completed).toMatch(/1\s*\/\s*2/);
    expect(figures.overdue).toContain('1');
    expect(definition).toContain('已办结');
    expect(axe).toEqual([]);
    expect(drillTitles).toEqual(['河道垃圾堆积']);
    expect(page.url()).toContain(`/reports/${resolvedId}`);
    expect(await page.locator('[data-test="report-title"]').innerText()).toBe('河道垃圾堆积');
    expect(problems).toEqual([]);
    await context.close();
  });

  it('fits a 375 px phone', async () => {
    // Prepare
    const { page, problems, context } = await signIn('admin', 'phone');

    // Act
    await page.goto('/dashboard');
    await page.locator('[data-test="figure-resolution"]').waitFor();
    await page.locator('[data-test="chart-trend"] canvas').waitFor();
    const overflow = await page.evaluate('document.documentElement.scrollWidth - document.documentElement.clientWidth');

    // Assess
    expect(overflow).toBeLessThanOrEqual(0);
    expect(await accessibilityProblems(page)).toEqual([]);
    await screenshot(page, 'dashboard');
    expect(problems).toEqual([]);
    await context.close();
  });

  it('reads in English after the language switch', async () => {
    // Prepare
    const { page, problems, context } = await signIn('admin');
    await page.goto('/dashboard');
    await page.locator('[data-test="figure-resolution"]').waitFor();

    // Act
    await page.getByRole('button', { name: '语言' }).click();
    await page.getByRole('menuitem', { name: 'English' }).click();
    await page.locator('[data-test="figure-resolution"]', { hasText: 'Resolution rate' }).waitFor();

    // Assess
    expect(await page.locator('[data-test="figure-completedOnTime"]').innerText()).toContain('Completed on time');
    expect(await page.locator('[data-test="dashboard"]').innerText()).toContain('By day');
    expect(await accessibilityProblems(page)).toEqual([]);
    expect(problems).toEqual([]);
    await context.close();
  });
});

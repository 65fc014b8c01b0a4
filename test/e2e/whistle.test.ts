/**
 * 吹哨 in a real Chromium against the real runtime: the township admin whistles two departments
 * from the report page; one department's officer checks in (报到), accepts and resolves on their
 * lane from the console; the other misses its check-in when the clock passes it, and its lane shows
 * county supervision (县级督办) in the open page without a reload. Every page: no console errors,
 * no serious accessibility findings, screenshots at 1440 and 375 px.
 */
import type { Browser } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { accessibilityProblems, launchBrowser, screenshot, signInThroughPage, type VIEWPORTS } from '../support/browser.ts';
import { scenario, startTestRuntime, type TestRuntime } from '../support/local-runtime.ts';

let rt: TestRuntime;
let browser: Browser;
let s: ReturnType<typeof scenario>;
let id = '';

const CHECK_IN_SECONDS = 600;
const month = { acceptSeconds: 30 * 86_400, completeSeconds: 31 * 86_400 };

beforeAll(async () => {
  [rt, browser] = await Promise.all([startTestRuntime(), launchBrowser()]);
  s = scenario(rt);
  await rt.runtime.container.directory.putPolicy({
    category: 'infrastructure',
    urgency: 'urgent',
    tiers: { grid: month, village: month, township: month, department: month, supervision: month },
    checkInSeconds: CHECK_IN_SECONDS,
  });
  id = await s.file({ urgency: 'urgent', title: '村道路面塌陷需多部门处置' });
  await s.untilParked(id, 1);
});
afterAll(async () => {
  await browser?.close();
  await rt?.stop();
});

function signIn(username: string, viewport: keyof typeof VIEWPORTS = 'desktop') {
  return signInThroughPage(browser, rt.url, username, viewport);
}

describe('the township admin', () => {
  it('whistles two departments from the report page and sees a lane for each', async () => {
    // Prepare
    const { page, problems, context } = await signIn('township1');
    await page.goto(`/reports/${id}`);
    await page.locator('[data-test="action-whistle"]').waitFor();

    // Act
    await page.locator('[data-test="action-whistle"]').click();
    await page.locator('[data-test="whistle-departments"]').click();
    await page.locator('.el-select-dropdown__item', { hasText: '象州县住房和城乡建设局' }).click();
    await page.locator('.el-select-dropdown__item', { hasText: '象州县公安局' }).click();
    // The multi-select stays open after a choice: a click on the dialog's hint closes it.
    await page.locator('[data-test="whistle-dialog"] .hint').click();
    await page.locator('textarea[data-test="whistle-note"]').fill('请住建、公安到场处置');
    const dialogAxe = await accessibilityProblems(page);
    await page.locator('[data-test="whistle-submit"]').click();
    await page.locator('[data-test="lane-public_security"]').waitFor();

    // Assess
    expect(dialogAxe).toEqual([]);
    expect(await page.locator('[data-test="lane-housing"] [data-test="lane-status"]').innerText()).toBe('待报到');
    expect(await page.locator('[data-test="lane-public_security"] [data-test="lane-officers"]').innerText()).toBe('韦志刚');
    expect(await page.locator('[data-test="event-whistled"]').innerText()).toContain('请住建、公安到场处置');
    expect(await page.locator('[data-test="lane-housing"] [data-test^="lane-action-"]').count()).toBe(0);
    expect(await accessibilityProblems(page)).toEqual([]);
    await screenshot(page, 'whistle');
    expect(problems).toEqual([]);
    await context.close();
  });
});

describe('a summoned department’s officer', () => {
  it('checks in, accepts and resolves their lane from the console', async () => {
    // Prepare
    const { page, problems, context } = await signIn('dept4', 'phone');
    await page.goto(`/reports/${id}`);
    const lane = page.locator('[data-test="lane-housing"]');
    await lane.locator('[data-test="lane-action-check_in"]').waitFor();
    const otherLaneButtons = await page.locator('[data-test="lane-public_security"] [data-test^="lane-action-"]').count();

    // Act
    for (const [action, status] of [
      ['check_in', '已报到'],
      ['accept', '办理中'],
      ['resolve', '已办结'],
    ] as const) {
      await lane.locator(`[data-test="lane-action-${action}"]`).click();
      if (action === 'resolve') await page.locator('textarea[data-test="lane-note"]').fill('路面已修复');
      await page.locator('[data-test="lane-submit"]').click();
      await lane.locator('[data-test="lane-status"]', { hasText: status }).waitFor();
    }

    // Assess
    expect(otherLaneButtons).toBe(0);
    expect(await lane.locator('[data-test^="lane-action-"]').count()).toBe(0);
    expect(await page.locator('[data-test="timeline"] [data-test="event-department"]').allInnerTexts()).toContain('象州县住房和城乡建设局');
    expect((await s.history(id)).report.assignments[0]).toMatchObject({ ownerCode: 'housing', status: 'resolved' });
    expect(await accessibilityProblems(page)).toEqual([]);
    await screenshot(page, 'whistle-lane');
    expect(problems).toEqual([]);
    await context.close();
  });
});

describe('a department that misses its check-in', () => {
  it('goes to county supervision, shown in the open page after the clock passes its deadline', async () => {
    // Prepare
    const { page, problems, context } = await signIn('township1');
    await page.goto(`/reports/${id}`);
    const lane = page.locator('[data-test="lane-public_security"]');
    await lane.waitFor();

    // Act
    rt.clock.advance(CHECK_IN_SECONDS * 1000 + 1000);
    await lane.locator('[data-test="lane-escalated"]').waitFor({ timeout: 30_000 });

    // Assess
    expect(await lane.locator('[data-test="lane-overdue"]').innerText()).toBe('超期');
    expect(await lane.locator('[data-test="lane-breaches"]').innerText()).toContain('报到时限');
    expect(await page.locator('[data-test="lane-housing"] [data-test="lane-escalated"]').count()).toBe(0);
    expect(await accessibilityProblems(page)).toEqual([]);
    await screenshot(page, 'whistle-supervised');
    expect(problems).toEqual([]);
    await context.close();

    const phone = await signIn('township1', 'phone');
    await phone.page.goto(`/reports/${id}`);
    await phone.page.locator('[data-test="lane-public_security"] [data-test="lane-escalated"]').waitFor();
    expect(await accessibilityProblems(phone.page)).toEqual([]);
    await screenshot(phone.page, 'whistle');
    expect(phone.problems).toEqual([]);
    await phone.context.close();
  });
});

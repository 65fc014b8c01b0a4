/**
 * 回访 in a real Chromium against the real runtime: a report resolved at the grid goes to the
 * village secretary (the grid worker handled it), who records "not satisfied" on the report page
 * in the console — it reopens at the grid and the grid worker is texted again; resolved again,
 * the secretary answers "satisfied" from the SMS link on a 375 px phone and it closes (销号).
 * No console errors, no serious accessibility findings, screenshots at 1440 and 375 px.
 */
import type { Browser } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { accessibilityProblems, launchBrowser, openPage, screenshot, signInThroughPage, type VIEWPORTS } from '../support/browser.ts';
import { eventually, linkTokenIn, scenario, startTestRuntime, type TestRuntime } from '../support/local-runtime.ts';

let rt: TestRuntime;
let browser: Browser;
let s: ReturnType<typeof scenario>;
let id = '';
const WORKER1 = '+8613877200301';
const VILLAGE1 = '+8613877200201';

beforeAll(async () => {
  [rt, browser] = await Promise.all([startTestRuntime(), launchBrowser()]);
  s = scenario(rt);
  id = await s.file({ title: '那沙村饮水管道破裂' });
  await resolveAtGrid(1, '已更换水管');
});
afterAll(async () => {
  await browser?.close();
  await rt?.stop();
});

/** worker1 accepts and resolves the report's current assignment, and its visit is set up. */
async function resolveAtGrid(tierSeq: number, note: string) {
  await s.untilParked(id, tierSeq);
  expect((await s.act(id, 'worker1', { action: 'accept' })).status).toBe(200);
  await s.untilParked(id, tierSeq, 'complete');
  expect((await s.act(id, 'worker1', { action: 'resolve', note })).status).toBe(200);
  await s.until(id, (h) => h.report.status === 'resolved' && h.report.visit?.tierSeq === tierSeq);
}

function signIn(username: string, viewport: keyof typeof VIEWPORTS = 'desktop') {
  return signInThroughPage(browser, rt.url, username, viewport);
}

describe('the return visit (回访)', () => {
  it('not satisfied, recorded by the village secretary in the console, reopens the report at the grid', async () => {
    // Prepare
    const textedBefore = (await rt.inbox({ to: WORKER1, reportId: id })).length;
    const { page, problems, context } = await signIn('village1');
    await page.goto(`/reports/${id}`);
    await page.locator('[data-test="action-review"]').waitFor();
    const offered = await page.locator('[data-test="actions"] button').allInnerTexts();

    // Act
    await page.locator('[data-test="action-review"]').click();
    await page.locator('[data-test="action-unsatisfied"]').click();
    await page.locator('textarea[data-test="action-note"]').fill('水压仍然不足');
    const dialogAxe = await accessibilityProblems(page);
    await screenshot(page, 'return-visit-form');
    await page.locator('[data-test="action-submit"]').click();
    await page.locator('[data-test="event-reopened"]').waitFor();
    const pageAxe = await accessibilityProblems(page);
    await screenshot(page, 'return-visit-reopened');

    // Assess
    expect(offered).toEqual(['备注', '回访']);
    expect(dialogAxe).toEqual([]);
    expect(pageAxe).toEqual([]);
    expect(await page.locator('[data-test="event-visited"]').innerText()).toContain('水压仍然不足');
    const reopened = await s.until(id, (h) => h.report.status === 'assigned' && h.report.tierSeq === 2 && h.report.notifiedTierSeq === 2);
    expect(reopened.report.tier).toBe('grid');
    expect((await rt.inbox({ to: WORKER1, reportId: id })).length).toBe(textedBefore + 1);
    expect(problems).toEqual([]);
    await context.close();
  });

  it('satisfied, answered from the SMS link on a 375 px phone, closes it (销号)', async () => {
    // Prepare: resolved again; the report page on a phone, then the visitor's new link
    await resolveAtGrid(2, '已加装增压泵');
    const phone = await signIn('village1', 'phone');
    await phone.page.goto(`/reports/${id}`);
    await phone.page.locator('[data-test="action-review"]').waitFor();
    const consoleAxe = await accessibilityProblems(phone.page);
    await screenshot(phone.page, 'return-visit-report');
    const width = await phone.page.evaluate('document.documentElement.scrollWidth');
    await phone.context.close();
    const sms = await eventually(async () => (await rt.inbox({ to: VILLAGE1, reportId: id }))[1]);
    const token = linkTokenIn(sms.text) ?? '';
    const { page, problems, context } = await openPage(browser, rt.url, 'phone');

    // Act
    await page.goto(`/l#${token}`);
    await page.getByRole('button', { name: '回访：群众满意' }).waitFor();
    const linkAxe = await accessibilityProblems(page);
    await screenshot(page, 'return-visit-link');
    await page.getByRole('button', { name: '回访：群众满意' }).click();
    await page.getByText('已记录回访').waitFor();
    const closed = await s.until(id, (h) => h.report.status === 'closed');

    // Assess
    expect(consoleAxe).toEqual([]);
    expect(width).toBeLessThanOrEqual(375);
    expect(linkAxe).toEqual([]);
    expect(
      closed.timeline.filter((e: { type: string }) => e.type === 'visited').map((e: { data: { satisfied: boolean } }) => e.data.satisfied),
    ).toEqual([false, true]);
    expect(closed.timeline.at(-1)).toMatchObject({ type: 'closed', data: { visited: true } });
    expect(phone.problems).toEqual([]);
    expect(problems).toEqual([]);
    await context.close();
  });
});

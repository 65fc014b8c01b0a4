/**
 * The page an officer's SMS link opens, in a real Chromium on a 375 px phone: it reads the token
 * from the fragment, shows the report and only the officer's buttons, and one tap accepts. The
 * link is read from the officer's phone (the outbox), as the officer would.
 */
import type { Browser } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { accessibilityProblems, launchBrowser, openPage, screenshot } from '../support/browser.ts';
import { linkTokenIn, scenario, startTestRuntime, type TestRuntime } from '../support/local-runtime.ts';

let rt: TestRuntime;
let browser: Browser;

beforeAll(async () => {
  [rt, browser] = await Promise.all([startTestRuntime(), launchBrowser()]);
});
afterAll(async () => {
  await browser?.close();
  await rt?.stop();
});

describe('the SMS link page', () => {
  it('lets the grid officer accept from a 375 px phone with one tap, with no console errors and no serious accessibility problems', async () => {
    // Prepare
    const s = scenario(rt);
    const id = await s.file({ title: '那沙村大中塘屯村道小桥桥面塌陷' });
    await s.untilParked(id, 1);
    const officer = await rt.runtime.container.directory.getPerson('p-worker-1');
    const sms = (await rt.inbox({ to: officer?.phone, reportId: id })).at(-1);
    const token = sms ? linkTokenIn(sms.text) : undefined;
    if (!token) throw new Error('no link on the officer’s phone');
    const { page, problems, context } = await openPage(browser, rt.url, 'phone');

    // Act
    await page.goto(`/l#${token}`);
    await page.getByRole('heading', { name: '那沙村大中塘屯村道小桥桥面塌陷' }).waitFor();
    const accessibility = await accessibilityProblems(page);
    await screenshot(page, 'sms-link');
    await page.getByLabel('处理说明 / 退回原因').fill('马上到现场');
    await page.getByRole('button', { name: '签收' }).click();
    await page.getByText('已签收').waitFor();
    await screenshot(page, 'sms-link-accepted');
    const afterTap = await page.getByRole('button').allInnerTexts();

    // Assess
    expect(accessibility).toEqual([]);
    expect(afterTap).toEqual(['办结']);
    const accepted = await s.until(id, (h) => h.report.status === 'accepted');
    expect(accepted.timeline.at(-1)).toMatchObject({ type: 'accepted', actor: { id: 'p-worker-1' }, note: '马上到现场' });
    expect(problems).toEqual([]);
    await context.close();
  });
});

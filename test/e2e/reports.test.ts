/**
 * The workbench and the reports pages in a real Chromium against the real runtime: a report filed
 * through the API shows on the county admin's workbench and listing; its detail shows the
 * timeline and the SMS log as the API masks them (no link token, no full number on the page); the
 * runtime's clock passes the grid's deadline and the open detail page shows the escalation
 * without a reload; the village secretary accepts through the detail's action; a township admin
 * lists only their township. Every page: no console errors, no serious accessibility findings,
 * screenshots at 1440 and 375 px.
 */
import type { Browser, Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { demoCounty } from '#local/demo-county.ts';
import { accessibilityProblems, launchBrowser, screenshot, signInThroughPage, type VIEWPORTS } from '../support/browser.ts';
import { linkTokenIn, scenario, startTestRuntime, type TestRuntime } from '../support/local-runtime.ts';

let rt: TestRuntime;
let browser: Browser;
let s: ReturnType<typeof scenario>;
/** Filed by worker1 in 那沙村第一网格 (百丈乡), with an hour to 签收. */
let bridge = '';
/** Filed by worker7 in 石龙社区第一网格 (石龙镇). */
let streetLight = '';

const HOUR = 3_600_000;
/** A 1×1 PNG, the bridge report's photo. */
const PHOTO = Buffer.from('iVBORw0KGgoAAAANSUhEUgAAAAEAAAABCAYAAAAfFcSJAAAADUlEQVR42mP8z8DwHwAFBQIAX8jx0gAAAABJRU5ErkJggg==', 'base64');
const PHONES = demoCounty().accounts.flatMap(({ person }) => [person.phone, person.phone.slice(3)]);

beforeAll(async () => {
  [rt, browser] = await Promise.all([startTestRuntime(), launchBrowser()]);
  s = scenario(rt);
  await s.usePolicy('infrastructure', 'normal', { grid: { acceptSeconds: 3600, completeSeconds: 7200 } });
  bridge = await s.file({ title: '大中塘村村道小桥塌陷', photos: [await uploadPhoto()] });
  streetLight = await s.file({ gridCode: '451322101001001', location: undefined, title: '石龙社区路灯不亮' }, 'worker7');
  await Promise.all([s.untilParked(bridge, 1), s.untilParked(streetLight, 1)]);
});
afterAll(async () => {
  await browser?.close();
  await rt?.stop();
});

/** Uploads the photo as worker1 the way the app does (a slot, then the bytes to its link), and answers the path a report cites. */
async function uploadPhoto(): Promise<string> {
  const token = await rt.login('worker1');
  const slot = await rt.http('POST', '/api/v1/photos', { token, body: { contentType: 'image/png', size: PHOTO.length } });
  const sent = await rt.http(slot.body.uploadMethod, slot.body.uploadUrl, { rawBody: PHOTO, headers: slot.body.uploadHeaders });
  if (sent.status !== 200) throw new Error(`upload failed: ${sent.status} ${JSON.stringify(sent.body)}`);
  return slot.body.url;
}

function signIn(username: string, viewport: keyof typeof VIEWPORTS = 'desktop') {
  return signInThroughPage(browser, rt.url, username, viewport);
}

/** What the page shows that it must not: a live SMS link token, or anyone's full phone number. */
async function secretsOn(page: Page): Promise<string[]> {
  const html = await page.locator('body').innerHTML();
  const text = await page.locator('body').innerText();
  const found: string[] = [];
  for (const sms of await rt.inbox()) {
    const token = linkTokenIn(sms.text);
    if (token && (html.includes(token) || text.includes(token))) found.push(`the link token sent to ${sms.to.slice(0, 6)}…`);
  }
  for (const phone of PHONES) if (html.includes(phone) || text.includes(phone)) found.push(`the number ${phone.slice(0, 6)}…`);
  return found;
}

describe('the county admin', () => {
  it('sees a report filed through the API on the workbench, counted by tier, with the time left', async () => {
    // Prepare
    const { page, problems, context } = await signIn('admin');

    // Act
    const row = page.locator('[data-test="workbench-table"] tr', { hasText: '大中塘村村道小桥塌陷' });
    await row.waitFor();

    // Assess
    expect(await page.locator('[data-test="tier-card-grid"]').innerText()).toContain('2');
    expect(await row.locator('[data-test="time-left"]').innerText()).toBe('剩余 60 分钟');
    expect(await page.locator('[data-test="workbench-table"]').innerText()).toContain('石龙社区路灯不亮');
    expect(await accessibilityProblems(page)).toEqual([]);
    await screenshot(page, 'workbench');
    expect(problems).toEqual([]);
    await context.close();
  });

  it('finds it in the listing, filters it by tier, and opens its detail with the timeline and the SMS log as the API masks them', async () => {
    // Prepare
    const { page, problems, context } = await signIn('admin');

    // Act
    await page.locator('.layout-aside .el-menu-item', { hasText: '事件' }).click();
    const listed = page.locator('[data-test="report-table"] tr', { hasText: '大中塘村村道小桥塌陷' });
    await listed.waitFor();
    const listingAxe = await accessibilityProblems(page);
    await screenshot(page, 'reports');
    await page.goto('/reports?tier=village');
    await page.locator('[data-test="report-table"]', { hasText: '没有符合条件的事件' }).waitFor();
    await page.goto('/reports?tier=grid');
    await listed.locator('a').click();
    await page.locator('[data-test="event-notified"]').waitFor();
    const sms = await page.locator('[data-test="sms-log"]').innerText();
    const photo = page.locator('[data-test="photos"] img');
    await photo.waitFor();
    // The bytes came with the bearer and decoded: a broken blob would leave the image 0 px wide.
    await page.waitForFunction('document.querySelector(\'[data-test="photos"] img\')?.naturalWidth === 1');
    // The timeline's hash chain was checked by the server and shown beside its title.
    const chain = page.locator('[data-test="timeline-chain"]');
    await chain.waitFor();

    // Assess
    expect(await chain.getAttribute('data-intact')).toBe('true');
    expect(await chain.innerText()).toContain('防篡改校验通过');
    expect(listingAxe).toEqual([]);
    expect(await page.locator('[data-test="report-title"]').innerText()).toBe('大中塘村村道小桥塌陷');
    expect(await page.locator('[data-test="timeline"]').innerText()).toContain('分派给：覃宏');
    expect(sms).toContain('覃宏');
    expect(sms).toContain('+86 138****0301');
    expect(sms).toContain('…/l/••••');
    expect(await page.locator('[data-test="sms-log"] a').count()).toBe(0);
    expect(await photo.getAttribute('src')).toMatch(/^blob:/);
    expect(await secretsOn(page)).toEqual([]);
    // The county is above the grid: it may also 督办 the grid by hand and suspend the report.
    expect(await page.locator('[data-test="actions"] button').allInnerTexts()).toEqual(['提交上级', '备注', '督办', '挂起']);
    expect(problems).toEqual([]);
    await context.close();
  });

  it('watches the open detail escalate to the village when the grid’s deadline passes, without a reload', async () => {
    // Prepare
    const { page, problems, context } = await signIn('admin');
    await page.goto(`/reports/${bridge}`);
    await page.locator('[data-test="event-notified"]').waitFor();
    await page.evaluate('window.__sameDocument = true');

    // Act
    rt.clock.advance(HOUR + 1_000);
    await page.locator('[data-test="event-escalated"]').waitFor({ timeout: 30_000 });
    await page.locator('[data-test="report-tier"]', { hasText: '村（社区）' }).waitFor();

    // Assess
    expect(await page.evaluate('window.__sameDocument')).toBe(true);
    const escalation = await page.locator('[data-test="event-escalated"]').innerText();
    expect(escalation).toContain('网格 → 村（社区）');
    expect(escalation).toContain('逾期未签收，自动升级');
    expect(escalation).toContain('签收超时');
    expect(await page.locator('[data-test="report-overdue"]').innerText()).toBe('超期');
    expect(await page.locator('[data-test="report-map"]').isVisible()).toBe(true);
    expect(await secretsOn(page)).toEqual([]);
    expect(await accessibilityProblems(page)).toEqual([]);
    await screenshot(page, 'report-detail');
    expect(problems).toEqual([]);
    await context.close();
  });
});

describe('the village secretary', () => {
  it('accepts the escalated report through the detail’s action', async () => {
    // Prepare
    await s.untilParked(bridge, 2);
    const { page, problems, context } = await signIn('village1');
    await page.goto(`/reports/${bridge}`);
    await page.locator('[data-test="action-accept"]').waitFor();
    const offered = await page.locator('[data-test="actions"] button').allInnerTexts();

    // Act
    await page.locator('[data-test="action-accept"]').click();
    await page.locator('textarea[data-test="action-note"]').fill('已到现场查看');
    await page.locator('[data-test="action-submit"]').click();
    await page.locator('[data-test="report-status"]', { hasText: '办理中' }).waitFor();

    // Assess
    expect(offered).toEqual(['签收', '提交上级', '退回', '备注', '申请延期']);
    expect(await page.locator('[data-test="actions"] button').allInnerTexts()).toEqual(['办结', '提交上级', '退回', '备注', '申请延期']);
    expect(await page.locator('[data-test="event-accepted"]').innerText()).toContain('已到现场查看');
    expect((await s.history(bridge)).report).toMatchObject({ status: 'accepted', tier: 'village' });
    expect(problems).toEqual([]);
    await context.close();
  });
});

describe('a township admin', () => {
  it('lists only their own township’s reports', async () => {
    // Prepare
    const { page, problems, context } = await signIn('township2');

    // Act
    await page.goto('/reports');
    await page.locator('[data-test="report-table"] tr', { hasText: '石龙社区路灯不亮' }).waitFor();

    // Assess
    expect(await page.locator('[data-test="report-table"] .el-table__body tr').count()).toBe(1);
    expect(await page.locator('[data-test="report-table"]').innerText()).not.toContain('大中塘村村道小桥塌陷');
    expect(problems).toEqual([]);
    await context.close();
  });
});

describe('on a 375 px phone', () => {
  it('shows the workbench, the listing and the detail', async () => {
    // Prepare
    const { page, problems, context } = await signIn('admin', 'phone');

    // Act
    const waiting = page.locator('[data-test="workbench-table"] tr', { hasText: '大中塘村村道小桥塌陷' });
    await waiting.waitFor();
    const timeLeftShown = await waiting.locator('[data-test="time-left-narrow"]').isVisible();
    const workbenchAxe = await accessibilityProblems(page);
    await screenshot(page, 'workbench');
    await page.goto('/reports');
    const listed = page.locator('[data-test="report-table"] tr', { hasText: '大中塘村村道小桥塌陷' });
    await listed.waitFor();
    const listedStanding = await listed.locator('.narrow-only').innerText();
    const listingAxe = await accessibilityProblems(page);
    await screenshot(page, 'reports');
    await page.goto(`/reports/${bridge}`);
    await page.locator('[data-test="event-accepted"]').waitFor();
    const detailAxe = await accessibilityProblems(page);
    await screenshot(page, 'report-detail');

    // Assess: the first columns are all a phone shows, so where a report stands rides under its title
    expect(timeLeftShown).toBe(true);
    expect(listedStanding).toContain('办理中 · 村（社区）');
    expect(workbenchAxe).toEqual([]);
    expect(listingAxe).toEqual([]);
    expect(detailAxe).toEqual([]);
    expect(await page.evaluate('document.documentElement.scrollWidth')).toBeLessThanOrEqual(375);
    expect(problems).toEqual([]);
    await context.close();
  });
});

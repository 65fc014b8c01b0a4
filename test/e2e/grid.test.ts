/**
 * The grid (网格) and map (地图) pages in a real Chromium against the real local runtime: the county
 * admin opens the tree, expands a township, opens a village's page (its officers, its grids and
 * reports on the map), imports a small CSV after a dry run that showed one bad row (the progress
 * bar reaches 100 % and the new grids appear in the tree), exports a CSV, and reads the map page,
 * which draws boundaries and markers without asking any tile server for anything. Every page: no
 * console errors, no serious accessibility findings, screenshots at 1440 and 375 px.
 */
import { readFile } from 'node:fs/promises';
import type { Browser, Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { accessibilityProblems, launchBrowser, screenshot, signInThroughPage, VIEWPORTS } from '../support/browser.ts';
import { timeClick } from '../support/browser-timing.ts';
import { SECOND_GRID, scenario, startTestRuntime, type TestRuntime } from '../support/local-runtime.ts';

let rt: TestRuntime;
let browser: Browser;
const TOWNSHIP = '451322201';
const VILLAGE = '451322201001';
const FAST = { acceptSeconds: 100, completeSeconds: 200 };
const reportIds: string[] = [];

beforeAll(async () => {
  [rt, browser] = await Promise.all([startTestRuntime(), launchBrowser()]);
  const s = scenario(rt);
  await s.usePolicy('dispute', 'normal', { grid: FAST });
  // Two open reports in 那沙村: one on time, one that lapsed at the grid and climbed to the village (overdue).
  reportIds.push(await s.file({ title: '村道小桥塌陷' }));
  reportIds.push(
    await s.file({ gridCode: SECOND_GRID, category: 'dispute', title: '宅基地纠纷', location: { lat: 23.965, lng: 109.7 } }, 'worker2'),
  );
  await s.untilParked(reportIds[1] as string, 1);
  rt.clock.advance(FAST.acceptSeconds * 1000 + 1000);
  await s.untilParked(reportIds[1] as string, 2);
}, 120_000);
afterAll(async () => {
  await browser?.close();
  await rt?.stop();
});

function signIn(username: string, viewport: keyof typeof VIEWPORTS = 'desktop') {
  // The page's clock starts at the runtime's: a session minted on the ManualClock must not look expired to the console.
  return signInThroughPage(browser, rt.url, username, viewport, { clockAt: rt.clock.now() });
}

const row = (page: Page, code: string) => page.locator(`[role="treeitem"][data-code="${code}"]`);

/** Opens the grid page from the menu (a phone opens the menu first). */
async function openGridPage(page: Page, phone = false) {
  if (phone) await page.getByRole('button', { name: '打开导航菜单' }).click();
  await page
    .locator(phone ? '.layout-drawer' : '.layout-aside')
    .getByRole('menuitem', { name: '网格' })
    .click();
  await row(page, TOWNSHIP).waitFor();
}

/** Expands a node by its caret, timing it in the page (from the click to the first child row in the DOM). */
async function expand(page: Page, code: string, childLevel: number) {
  await row(page, code).waitFor();
  return timeClick(
    page,
    `[role="treeitem"][data-code="${code}"] [data-test="grid-tree-caret"]`,
    `[role="treeitem"][aria-level="${childLevel}"]`,
  );
}

describe('the grid page', () => {
  it('shows the county admin their tree, expands a township and opens a village’s page with its officers and map', async () => {
    // Prepare
    const { page, problems, context } = await signIn('admin');

    // Act
    await openGridPage(page);
    const expandMs = await expand(page, TOWNSHIP, 3);
    const villages = await page.locator('[role="treeitem"][aria-level="3"]').allInnerTexts();
    await screenshot(page, 'grid');
    const treeProblems = await accessibilityProblems(page);
    await row(page, VILLAGE).click();
    await page.locator('[data-test="grid-node-officers"]').waitFor();
    await page.locator('.boundary-map[data-ready="true"] path.gw-boundary').first().waitFor();
    const officers = await page.locator('[data-test="grid-node-officers"]').innerText();
    const boundaries = await page.locator('.boundary-map path.gw-boundary').count();
    const markers = await page.locator('.boundary-map path.gw-report-marker').count();
    const reports = await page.locator('[data-test="grid-node-reports"] tbody tr').allInnerTexts();
    await screenshot(page, 'grid-node');
    const nodeProblems = await accessibilityProblems(page);

    // Assess
    console.log(`[grid e2e] demo county: expanding ${TOWNSHIP} took ${expandMs.toFixed(1)} ms (click to the first child row in the DOM)`);
    expect(villages.join('\n')).toContain('那沙村');
    expect(officers).toContain('覃国庆');
    expect(officers).toContain('+8613877200201');
    expect(boundaries).toBe(3);
    expect(markers).toBe(2);
    expect(reports.join('\n')).toContain('宅基地纠纷');
    expect(reports.join('\n')).toContain('超期');
    expect(treeProblems).toEqual([]);
    expect(nodeProblems).toEqual([]);
    expect(problems).toEqual([]);
    await context.close();
  });

  it('moves through the tree with the keyboard and finds a node by searching', async () => {
    // Prepare
    const { page, problems, context } = await signIn('admin');
    await openGridPage(page);

    // Act
    await page.locator('[data-test="grid-tree"]').focus();
    await page.keyboard.press('ArrowDown');
    await page.keyboard.press('ArrowRight');
    await page.locator('[role="treeitem"][aria-level="3"]').first().waitFor();
    const expanded = await page.locator('[aria-selected="true"]').getAttribute('aria-expanded');
    await page.keyboard.press('ArrowRight');
    const firstChild = await page.locator('[aria-selected="true"]').getAttribute('aria-level');
    await page.keyboard.press('Enter');
    await page.locator('[data-test="grid-node"] h2').waitFor();
    const opened = new URL(page.url()).pathname;
    await page.getByRole('searchbox', { name: '搜索网格树' }).fill('运江社区第二');
    await page.getByRole('button', { name: /运江社区第二网格/ }).click();
    await page.waitForURL(/\/grid\/451322102001002$/);
    await row(page, '451322102001002').waitFor();
    const found = await row(page, '451322102001002').getAttribute('aria-selected');

    // Assess
    expect(expanded).toBe('true');
    expect(firstChild).toBe('3');
    expect(opened).toMatch(/^\/grid\/451322\d{6}$/);
    expect(found).toBe('true');
    expect(problems).toEqual([]);
    await context.close();
  });

  it('imports a small CSV after a dry run that showed one bad row; the progress bar reaches 100 % and the new grids appear', async () => {
    // Prepare
    const { page, problems, context } = await signIn('admin');
    await openGridPage(page);
    await expand(page, TOWNSHIP, 3);
    await expand(page, VILLAGE, 4);
    await row(page, VILLAGE).click();
    await page.locator('[data-test="action-import"]').click();
    const header = 'code,name,level,parent_code,officer_name,officer_phone,officer_title';
    const good = [
      `${VILLAGE}004,那沙村第四网格,网格,${VILLAGE},韦新民,13977299101,专职网格员`,
      `${VILLAGE}005,那沙村第五网格,网格,${VILLAGE},覃小燕,13977299102,专职网格员`,
    ];
    const bad = `${VILLAGE}06,那沙村错号网格,网格,${VILLAGE},蓝海,13977299103,专职网格员`;
    const file = (lines: string[]) => ({
      name: 'grids.csv',
      mimeType: 'text/csv',
      buffer: Buffer.from(`${[header, ...lines].join('\r\n')}\r\n`),
    });
    const input = page.locator('[data-test="import-upload"] input[type="file"]');

    // Act
    await input.setInputFiles(file([...good, bad]));
    await page.locator('[data-test="import-errors"] tbody tr').first().waitFor();
    const errorRows = await page.locator('[data-test="import-errors"] tbody tr').allInnerTexts();
    const commitWhileBad = await page.locator('[data-test="import-commit"]').isDisabled();
    await screenshot(page, 'grid-import-errors');
    const dialogProblems = await accessibilityProblems(page);
    await input.setInputFiles(file(good));
    await page.locator('[data-test="import-passed"]').waitFor();
    await page.locator('[data-test="import-commit"]').click();
    await page.locator('[data-test="import-progress"].is-success').waitFor();
    const progress = await page.locator('[data-test="import-progress"]').getAttribute('aria-valuenow');
    const summary = await page.locator('[data-test="import-summary"]').innerText();
    await page.getByRole('button', { name: '关闭', exact: true }).click();
    await row(page, `${VILLAGE}005`).waitFor();

    // Assess
    expect(errorRows).toHaveLength(1);
    expect(errorRows[0]).toContain('4');
    expect(errorRows[0]).toContain('NODE.CODE_SHAPE');
    expect(commitWhileBad).toBe(true);
    expect(progress).toBe('100');
    expect(summary).toContain('新建 2');
    expect(await row(page, `${VILLAGE}004`).innerText()).toContain('那沙村第四网格');
    expect(dialogProblems).toEqual([]);
    expect(problems).toEqual([]);
    await context.close();
  });

  it('exports a node’s subtree as a CSV file in the import format', async () => {
    // Prepare
    const { page, problems, context } = await signIn('admin');
    await page.goto(`/grid/${VILLAGE}`);
    await page.locator('[data-test="action-export"]').waitFor();

    // Act
    const [download] = await Promise.all([page.waitForEvent('download'), page.locator('[data-test="action-export"]').click()]);
    const text = await readFile(await download.path(), 'utf8');

    // Assess
    expect(download.suggestedFilename()).toBe(`${VILLAGE}-那沙村.csv`);
    expect(text.charCodeAt(0)).toBe(0xfeff);
    expect(text.slice(1).split(/\r?\n/)[0]).toBe('code,name,level,parent_code,officer_name,officer_phone,officer_title');
    expect(text).toContain(`${VILLAGE}001`);
    expect(problems).toEqual([]);
    await context.close();
  });

  it('fits a 375 px phone: the tree, then a node’s page', async () => {
    // Prepare
    const { page, problems, context } = await signIn('admin', 'phone');

    // Act
    await openGridPage(page, true);
    await screenshot(page, 'grid');
    const treeProblems = await accessibilityProblems(page);
    await row(page, TOWNSHIP).click();
    await page.locator('.boundary-map[data-ready="true"]').waitFor();
    const treeHidden = await page.locator('[data-test="grid-tree"]').isHidden();
    await screenshot(page, 'grid-node');
    const nodeProblems = await accessibilityProblems(page);
    await page.locator('[data-test="action-import"]').click();
    await page.locator('[data-test="import-dialog"]').waitFor();
    await screenshot(page, 'grid-import');
    const dialogProblems = await accessibilityProblems(page);

    // Assess
    expect(treeHidden).toBe(true);
    expect(dialogProblems).toEqual([]);
    expect(treeProblems).toEqual([]);
    expect(nodeProblems).toEqual([]);
    expect(problems).toEqual([]);
    await context.close();
  });
});

describe('the map page', () => {
  for (const viewport of ['desktop', 'phone'] as const) {
    it(`draws the county’s grids and its open reports, overdue ones ringed, with no tile server (${VIEWPORTS[viewport].width} px)`, async () => {
      // Prepare
      const { page, problems, context } = await signIn('admin', viewport);
      const origins = new Set<string>();
      page.on('request', (request) => origins.add(new URL(request.url()).origin));

      // Act
      if (viewport === 'phone') await page.getByRole('button', { name: '打开导航菜单' }).click();
      await page
        .locator(viewport === 'phone' ? '.layout-drawer' : '.layout-aside')
        .getByRole('menuitem', { name: '地图' })
        .click();
      await page.locator('.boundary-map[data-ready="true"] path.gw-report-marker').first().waitFor();
      const boundaries = await page.locator('.boundary-map path.gw-boundary').count();
      const markers = await page.locator('.boundary-map path.gw-report-marker').count();
      const overdue = await page.locator('.boundary-map path.gw-report-overdue').count();
      const legend = await page.locator('[data-test="map-legend"]').innerText();
      await screenshot(page, 'map');
      const axe = await accessibilityProblems(page);
      await page.locator('.boundary-map path.gw-report-marker').first().click({ force: true });
      const popup = page.locator('.leaflet-popup-content');
      await popup.waitFor();
      await popup.getByRole('link', { name: '查看事件详情' }).click();
      await page.waitForURL(/\/reports\/R[0-9A-F]{15}$/);

      // Assess
      expect(boundaries).toBe(18);
      expect(markers).toBe(2);
      expect(overdue).toBe(1);
      expect(legend).toContain('超期');
      expect(legend).toContain('村（社区）');
      expect([...origins]).toEqual([rt.url]);
      expect(await page.locator('.leaflet-tile').count()).toBe(0);
      expect(axe).toEqual([]);
      expect(problems).toEqual([]);
      await context.close();
    });
  }
});

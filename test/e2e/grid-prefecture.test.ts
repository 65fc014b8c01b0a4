/**
 * The grid page with a prefecture behind it: the 21,544-grid prefecture of `npm run bench:import`
 * (10 counties, 110 townships, 1,100 villages, 21,844 people) imported through the import use case
 * as the operator (the same job an upload reaches, without sending 1.9 MB through a browser), then
 * a county admin the file made opens the grid page and expands a township and its villages in a
 * real Chromium. The page's own measures (click to rows painted) are printed; only correctness is
 * asserted — tests never time anything.
 */
import type { Browser } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { OPERATOR } from '#core/admin-access.ts';
import { officerId } from '#core/tree-import.ts';
import { type ImportJobView, readImport, startImport } from '#core/use-cases/imports.ts';
import { type Prefecture, prefecture } from '../../scripts/bench/prefecture.ts';
import { launchBrowser, openPage } from '../support/browser.ts';
import { timeClick } from '../support/browser-timing.ts';
import { eventually, startTestRuntime, type TestRuntime } from '../support/local-runtime.ts';

let rt: TestRuntime;
let browser: Browser;
let file: Prefecture;

beforeAll(async () => {
  [rt, browser] = await Promise.all([startTestRuntime(), launchBrowser()]);
  file = prefecture();
  const { deps } = rt.runtime.container;
  const { id } = await startImport(deps, OPERATOR, { bytes: Buffer.from(file.csv, 'utf8'), dryRun: false });
  const job = await eventually(
    async () => {
      const read: ImportJobView = await readImport(deps, OPERATOR, id);
      if (read.status !== 'done' && read.status !== 'failed') throw new Error(`import ${read.status}: ${read.processed}/${read.total}`);
      return read;
    },
    150_000,
    500,
  );
  if (job.status !== 'done' || job.errorCount > 0) throw new Error(`the prefecture did not import: ${JSON.stringify(job).slice(0, 1000)}`);
  const county = file.counties[0] as Prefecture['counties'][number];
  await deps.credentials.putCredential({
    username: 'prefecture-admin',
    personId: officerId(county.code, `+86${county.adminPhone}`),
    passwordHash: await deps.passwords.hash('demo'),
  });
}, 170_000);
afterAll(async () => {
  await browser?.close();
  await rt?.stop();
});

describe('the grid page over a prefecture', () => {
  it('opens a county of the 21,544-grid prefecture and expands a township and its villages', async () => {
    // Prepare
    const { page, problems, context } = await openPage(browser, rt.url);
    await context.clock.install({ time: rt.clock.now() });
    await page.goto('/');
    await page.getByLabel('用户名').fill('prefecture-admin');
    await page.getByLabel('密码', { exact: true }).fill('demo');
    await page.locator('[data-test="sign-in-submit"]').click();
    await page.locator('[data-test="sign-out"]').waitFor();

    // Act
    const openMs = await timeClick(page, '.layout-aside [role="menuitem"]', `[role="treeitem"][data-code="${file.aTownship}"]`, '网格');
    const townships = await page.locator('[role="treeitem"][aria-level="2"]').count();
    const caret = (code: string) => `[role="treeitem"][data-code="${code}"] [data-test="grid-tree-caret"]`;
    const expandMs = await timeClick(page, caret(file.aTownship), `[role="treeitem"][data-code="${file.aTownship}010"]`);
    const villages = await page.locator('[role="treeitem"][aria-level="3"]').count();
    const firstVillage = `${file.aTownship}001`;
    const villageMs = await timeClick(page, caret(firstVillage), `[role="treeitem"][data-code="${firstVillage}020"]`);
    const grids = await page.locator('[role="treeitem"][aria-level="4"]').allInnerTexts();

    // Assess
    console.log(`grid open page (menu click to the townships shown): ${openMs.toFixed(1)} ms`);
    console.log(`grid expand township: ${expandMs.toFixed(1)} ms`);
    console.log(`grid expand village: ${villageMs.toFixed(1)} ms`);
    expect(townships).toBe(11);
    expect(villages).toBe(10);
    expect(grids).toHaveLength(20);
    expect(grids[0]).toContain('第1网格');
    expect(problems).toEqual([]);
    await context.close();
  });
});

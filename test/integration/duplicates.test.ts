/**
 * Duplicates (重复上报) and merging (合并) on the real engines: what filing suggests and what it
 * does not, a merge with its events, the parent's earlier deadline and its woken workflow, the
 * refusals, and the merged report's reporter told once when the parent closes.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { advanceStep } from '#core/use-cases/escalation-steps.ts';
import { demoCounty } from '#local/demo-county.ts';
import { eventually, newKey, reportBody, scenario, startTestRuntime, type TestRuntime } from '../support/local-runtime.ts';
import { addSecondCounty } from '../support/matrix.ts';

let rt: TestRuntime;
let s: ReturnType<typeof scenario>;
let secondCountyGrid = '';

/** About 50 m and 2 km north of the default location (23.96, 109.69), in degrees of latitude. */
const FIFTY_METRES = 50 / 111_195;
const TWO_KM = 2000 / 111_195;
const here = (northMetres = 0) => ({ lat: 23.96 + northMetres, lng: 109.69 });
const WORKER1_PHONE = demoCounty().accounts.find((a) => a.username === 'worker1')?.person.phone ?? '';

beforeAll(async () => {
  rt = await startTestRuntime();
  s = scenario(rt);
  const hour = { acceptSeconds: 3600, completeSeconds: 7200 };
  const tenMinutes = { acceptSeconds: 600, completeSeconds: 7200 };
  for (const category of ['dispute', 'safety_hazard', 'public_security', 'livelihood', 'environment']) {
    await s.usePolicy(category, 'normal', { grid: hour });
    await s.usePolicy(category, 'urgent', { grid: tenMinutes });
  }
  secondCountyGrid = await addSecondCounty(rt);
}, 60_000);
afterAll(async () => rt?.stop());

/** Files through the API and returns the whole answer (status and body). */
async function fileReport(body: Record<string, unknown>, username = 'worker1', key = newKey('dup')) {
  return rt.http('POST', '/api/v1/reports', {
    token: await rt.login(username),
    body: reportBody(body),
    headers: { 'idempotency-key': key },
  });
}

const merge = async (childId: string, parentId: string, username = 'township1') =>
  rt.http('POST', `/api/v1/reports/${childId}/merge`, { token: await rt.login(username), body: { parentId } });

const duplicatesOf = async (id: string, username = 'township1') =>
  rt.http('GET', `/api/v1/reports/${id}/duplicates`, { token: await rt.login(username) });

// biome-ignore lint/suspicious/noExplicitAny: tests read arbitrary JSON
const eventsOfType = (history: any, type: string) => history.timeline.filter((e: { type: string }) => e.type === type);

describe('suggestions on filing', () => {
  it('suggests the open report filed 50 m away in the same grid and category, on filing, on a replay and on both report pages', async () => {
    // Prepare
    const first = await fileReport({ category: 'dispute', title: '邻里宅基地纠纷', location: here() });
    const key = newKey('dup-second');
    const body = { category: 'dispute', title: '宅基地边界争执', location: here(FIFTY_METRES) };

    // Act
    const second = await fileReport(body, 'worker1', key);
    const replay = await fileReport(body, 'worker1', key);
    const onSecondPage = await duplicatesOf(second.body.id);
    const onFirstPage = await duplicatesOf(first.body.id);

    // Assess
    expect(second.status).toBe(201);
    expect(second.body.possibleDuplicates).toEqual([
      {
        id: first.body.id,
        title: '邻里宅基地纠纷',
        status: expect.any(String),
        tier: 'grid',
        createdAt: first.body.createdAt,
        distanceMeters: 50,
      },
    ]);
    expect(replay.status).toBe(200);
    expect(replay.body.possibleDuplicates.map((d: { id: string }) => d.id)).toEqual([first.body.id]);
    expect(onSecondPage.body.items.map((d: { id: string }) => d.id)).toEqual([first.body.id]);
    expect(onFirstPage.body.items.map((d: { id: string }) => d.id)).toEqual([second.body.id]);
    expect(JSON.stringify(second.body.possibleDuplicates)).not.toContain('description');
  });

  it('does not suggest a report 2 km away or of another category; without a location it suggests with no distance', async () => {
    // Prepare
    const original = await fileReport({ category: 'safety_hazard', title: '危房墙体开裂', location: here() });

    // Act
    const farAway = await fileReport({ category: 'safety_hazard', title: '另一处危房', location: here(TWO_KM) });
    const otherCategory = await fileReport({ category: 'environment', title: '垃圾堆放', location: here(FIFTY_METRES) });
    const noLocation = await fileReport({ category: 'safety_hazard', title: '危房（无定位）', location: undefined });

    // Assess
    expect(farAway.body.possibleDuplicates).toEqual([]);
    expect(otherCategory.body.possibleDuplicates).toEqual([]);
    const withoutDistance = noLocation.body.possibleDuplicates.map((d: { id: string; distanceMeters: null }) => [d.id, d.distanceMeters]);
    expect(withoutDistance.sort()).toEqual(
      [
        [farAway.body.id, null],
        [original.body.id, null],
      ].sort(),
    );
  });
});

describe('merging a duplicate', () => {
  it('ends the duplicate, records both sides, moves the parent to the earlier deadline and wakes its workflow; a retry changes nothing', async () => {
    // Prepare: the duplicate is urgent (10 minutes to 签收), the parent has an hour
    const parentId = await s.file({ category: 'public_security', title: '可疑人员出没', location: here() });
    const childId = await s.file({
      category: 'public_security',
      urgency: 'urgent',
      title: '可疑人员夜间徘徊',
      location: here(FIFTY_METRES),
    });
    const parentBefore = await s.untilParked(parentId, 1);
    const child = await s.untilParked(childId, 1);
    expect((child.acceptBy ?? '') < (parentBefore.acceptBy ?? '')).toBe(true);

    // Act
    const merged = await merge(childId, parentId);
    const retried = await merge(childId, parentId);

    // Assess
    expect(merged.status).toBe(200);
    expect(merged.body.report).toMatchObject({ id: childId, status: 'merged', mergedInto: parentId });
    expect(merged.body.parent).toMatchObject({ id: parentId, mergedChildren: [childId], acceptBy: child.acceptBy });
    expect(retried.status).toBe(200);
    const childHistory = await s.history(childId);
    const parentHistory = await s.history(parentId);
    expect(eventsOfType(childHistory, 'merged').map((e: { data: unknown }) => e.data)).toEqual([{ parentId }]);
    expect(eventsOfType(parentHistory, 'merged').map((e: { data: { childId: string } }) => e.data.childId)).toEqual([childId]);
    expect(parentHistory.report.mergedChildren).toEqual([childId]);
    // The parent's woken workflow parks again, for the earlier deadline: 10 minutes on, the grid has missed it.
    await eventually(async () => {
      const stored = await rt.runtime.container.deps.reports.get(parentId);
      return stored?.waiting && stored.waiting.token !== parentBefore.waiting?.token ? stored : undefined;
    });
    rt.clock.advance(600_000);
    const escalated = await s.until(parentId, (h) => h.report.tier === 'village');
    expect(escalated.report.breaches).toMatchObject([{ tier: 'grid', phase: 'accept', deadline: child.acceptBy }]);
    // The duplicate's own workflow ended: it neither escalates nor waits.
    const running = await eventually(async () => {
      const ids = await rt.runtime.container.deps.workflow.runningReportIds();
      return ids.has(childId) ? undefined : ids;
    });
    expect(running.has(childId)).toBe(false);
    expect((await s.history(childId)).report).toMatchObject({ status: 'merged', tier: 'grid' });
  });

  it('refuses a merge into a merged report, into itself, across counties, out of scope and by a grid worker; nothing is stored', async () => {
    // Prepare
    const parentId = await s.file({ category: 'public_security', title: '治安线索甲' });
    const childId = await s.file({ category: 'public_security', title: '治安线索乙' });
    const thirdId = await s.file({ category: 'public_security', title: '治安线索丙' });
    expect((await merge(childId, parentId)).status).toBe(200);
    const otherCountyId = await s.file({ gridCode: secondCountyGrid, category: 'public_security', title: '外县线索' }, 'c2worker');
    await s.untilParked(thirdId, 1);
    const thirdBefore = await s.history(thirdId);

    // Act
    const intoMerged = await merge(thirdId, childId);
    const intoItself = await merge(thirdId, thirdId);
    const acrossCounties = await merge(thirdId, otherCountyId, 'admin');
    const outOfScope = await merge(thirdId, parentId, 'township2');
    const byWorker = await merge(thirdId, parentId, 'worker1');
    const mergedAgainElsewhere = await merge(childId, thirdId);

    // Assess
    expect([intoMerged.status, intoMerged.body.error.code]).toEqual([409, 'REPORT.MERGE_PARENT_MERGED']);
    expect(intoMerged.body.error.details).toEqual({ parentId });
    expect([intoItself.status, intoItself.body.error.code]).toEqual([422, 'REPORT.MERGE_INTO_ITSELF']);
    expect([acrossCounties.status, acrossCounties.body.error.code]).toEqual([403, 'REPORT.OUT_OF_SCOPE']);
    expect([outOfScope.status, outOfScope.body.error.code]).toEqual([403, 'REPORT.OUT_OF_SCOPE']);
    expect([byWorker.status, byWorker.body.error.code]).toEqual([403, 'REPORT.MERGE_ADMINS_ONLY']);
    expect([mergedAgainElsewhere.status, mergedAgainElsewhere.body.error.code]).toEqual([409, 'REPORT.ALREADY_MERGED']);
    const thirdAfter = await s.history(thirdId);
    expect(thirdAfter.report.version).toBe(thirdBefore.report.version);
    expect(eventsOfType(thirdAfter, 'merged')).toEqual([]);
  });

  it('answers a malformed merge with 400 and stores nothing', async () => {
    // Prepare
    const id = await s.file({ category: 'public_security', title: '治安线索丁' });
    await s.untilParked(id, 1);
    const before = await s.history(id);
    const token = await rt.login('township1');

    // Act
    const answers = await Promise.all(
      [{ parentId: 'not-a-report' }, {}, { parentId: before.report.id, extra: true }].map((body) =>
        rt.http('POST', `/api/v1/reports/${id}/merge`, { token, body }),
      ),
    );

    // Assess
    expect(answers.map((a) => a.status)).toEqual([400, 400, 400]);
    expect((await s.history(id)).report.version).toBe(before.report.version);
  });

  it('texts the merged report’s reporter exactly once when the parent closes, and notes it on the merged report’s timeline', async () => {
    // Prepare
    const parentId = await s.file({ category: 'livelihood', title: '低保申请咨询' });
    const childId = await s.file({ category: 'livelihood', title: '低保申请材料' });
    await s.untilParked(parentId, 1);
    expect((await merge(childId, parentId)).status).toBe(200);
    const told = async () => (await rt.inbox({ to: WORKER1_PHONE, reportId: childId })).filter((m) => m.text.includes('已并案办结'));

    // Act
    expect((await s.act(parentId, 'worker1', { action: 'accept' })).status).toBe(200);
    await s.untilParked(parentId, 1, 'complete');
    expect((await s.act(parentId, 'worker1', { action: 'resolve' })).status).toBe(200);
    // A resolved report closes after its return visit (回访).
    await s.visit(parentId, true);
    await s.until(parentId, (h) => h.report.status === 'closed');
    const noted = await s.until(childId, (h) => h.report.parentClosedAt !== undefined);
    // A retried advance of the closed parent (a Lambda retry, a duplicate delivery) sends nothing twice.
    await advanceStep(rt.runtime.container.deps, { reportId: parentId });

    // Assess
    expect(await told()).toHaveLength(1);
    const notes = noted.timeline.filter((e: { data?: { parentClosed?: boolean } }) => e.data?.parentClosed === true);
    expect(notes).toHaveLength(1);
    expect(notes[0].note).toContain(parentId);
    expect(noted.notifications.filter((n: { text: string }) => n.text.includes('已并案办结'))).toHaveLength(1);
  });
});

describe('the window', () => {
  it('does not suggest a report filed more than 7 days before', async () => {
    // Prepare
    const old = await fileReport({ category: 'environment', title: '河道漂浮垃圾', location: here() });
    rt.clock.advance(8 * 86_400_000);

    // Act
    const later = await fileReport({ category: 'environment', title: '河道垃圾又见', location: here(FIFTY_METRES) });

    // Assess
    expect(old.status).toBe(201);
    expect(later.body.possibleDuplicates.map((d: { id: string }) => d.id)).not.toContain(old.body.id);
  });
});

/**
 * Outcomes on the real engines (README §Metrics): figures read through GET /api/v1/stats from the
 * per-node per-day counters, exact under retries and crashes, in O(days), each drillable to the
 * reports behind it.
 */
import { QueryCommand } from '@aws-sdk/lib-dynamodb';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { OUTCOME_SHARDS } from '#adapters/dynamodb/outcome-store.ts';
import { beijingDay, outcomeFacts } from '#core/outcomes.ts';
import type { Actor } from '#core/people.ts';
import { accept, assignFirstTier, type Change, newReport, type Report, resolve, type TimelineEvent } from '#core/report.ts';
import { jurisdictionOf, makeNode } from '#core/tree.ts';
import { COMPACTION_HORIZON_DAYS, catchUpOutcomes, compactOutcomes, projectOutcomes, readStats } from '#core/use-cases/outcomes.ts';
import { loadConfig } from '#wiring/config.ts';
import { FIRST_GRID, scenario, startTestRuntime, TEST_EPOCH, type TestRuntime } from '../support/local-runtime.ts';

let rt: TestRuntime;
const COUNTY = '451322';
const TOWNSHIP = '451322201';
const VILLAGE = '451322201001';
const county: Actor = { id: 'p-county-admin', name: '覃卫东', role: 'county_admin', scope: COUNTY };

beforeAll(async () => {
  rt = await startTestRuntime();
}, 60_000);
afterAll(async () => rt?.stop());

const deps = () => rt.runtime.container.deps;

/** A dispute filed at `at` on the first grid, through the real transitions; resolved in an hour when `resolved`. */
function dispute(n: number, at: Date, resolved: boolean): { report: Report; timeline: TimelineEvent[]; changes: Change[] } {
  const grid = makeNode({
    code: FIRST_GRID,
    name: '网格',
    level: 'grid',
    parent: makeNode({
      code: VILLAGE,
      name: '村',
      level: 'village',
      parent: makeNode({
        code: TOWNSHIP,
        name: '乡',
        level: 'township',
        parent: makeNode({ code: COUNTY, name: '县', level: 'county', parent: null }),
      }),
    }),
  });
  const officer = { id: 'p-worker-1', name: '覃宏', role: 'grid_worker' as const, scope: FIRST_GRID };
  const filed = newReport(
    {
      id: `RDISPUTE${String(n).padStart(8, '0')}`,
      jurisdiction: jurisdictionOf(grid),
      category: 'dispute',
      urgency: 'normal',
      title: `土地纠纷 ${n}`,
      description: '宅基地边界纠纷',
      location: null,
      photos: [],
      occurredAt: null,
      reporter: officer,
    },
    at,
  );
  const later = (s: number) => new Date(at.getTime() + s * 1000);
  const steps: ((r: Report) => Change)[] = [
    (r) =>
      assignFirstTier(
        r,
        { tier: 'grid', ownerCode: FIRST_GRID, ownerName: '网格', assignees: [officer], skipped: [] },
        { acceptBy: later(3600).toISOString(), completeBy: later(86_400).toISOString() },
        at,
      ),
    (r) => accept(r, officer, later(60)),
    ...(resolved ? [(r: Report) => resolve(r, officer, later(3600))] : []),
  ];
  let report = filed.report;
  const timeline = [filed.event];
  const changes: Change[] = [filed];
  for (const step of steps) {
    const change = step(report);
    report = change.report;
    timeline.push(change.event);
    changes.push(change);
  }
  return { report, timeline, changes };
}

/** Applies a report's facts event by event, as the projection does, straight to the store. */
async function applyAll(report: Report, timeline: TimelineEvent[]): Promise<void> {
  const store = deps().outcomes;
  if (!store) throw new Error('no outcome store');
  const facts = outcomeFacts(report, timeline);
  for (const event of timeline) {
    await store.apply({ id: report.id, title: report.title }, [{ seq: event.seq, facts: facts.filter((f) => f.seq === event.seq) }]);
  }
}

async function inBatches<T>(items: T[], size: number, each: (item: T) => Promise<void>): Promise<void> {
  for (let i = 0; i < items.length; i += size) await Promise.all(items.slice(i, i + size).map(each));
}

describe('the metrics test: 274 disputes, 272 resolved', () => {
  const at = new Date('2026-06-01T02:00:00Z');
  const day = beijingDay(at);

  beforeAll(async () => {
    const disputes = Array.from({ length: 274 }, (_, i) => dispute(i, new Date(at.getTime() + i * 1000), i >= 2));
    await inBatches(disputes, 16, ({ report, timeline }) => applyAll(report, timeline));
  }, 120_000);

  it('reads 99.27 % for the resolution rate, at the county, and the same figures rolled up from the grid', async () => {
    // Act
    const stats = await readStats(deps(), county, { from: day, to: day });
    const grid = await readStats(deps(), county, { node: FIRST_GRID, from: day, to: day });

    // Assess
    expect(stats.metrics.resolution).toMatchObject({ numerator: 272, denominator: 274 });
    expect(((stats.metrics.resolution.value ?? 0) * 100).toFixed(2)).toBe('99.27');
    expect(stats.metrics.received.numerator).toBe(274);
    expect(stats.byCategory.find((c) => c.category === 'dispute')?.resolution).toMatchObject({ numerator: 272, denominator: 274 });
    expect(stats.byChild.find((c) => c.code === TOWNSHIP)?.received).toBe(274);
    expect(grid.metrics.resolution).toMatchObject({ numerator: 272, denominator: 274 });
    expect(grid.metrics.received.numerator).toBe(274);
  });

  it('reads a range in O(days): the counters of one day are at most its shards, however many reports it holds', async () => {
    // Act
    const oneDay = await readStats(deps(), county, { from: day, to: day });
    const month = await readStats(deps(), county, { from: '2026-05-03', to: day });

    // Assess: days × shards, plus the shards of the overdue gauge
    expect(oneDay.itemsRead).toBeLessThanOrEqual(1 * OUTCOME_SHARDS + OUTCOME_SHARDS);
    expect(month.itemsRead).toBeLessThanOrEqual(30 * OUTCOME_SHARDS + OUTCOME_SHARDS);
    expect(month.metrics.resolution.numerator).toBe(272);
  });

  it('an event applied again, or by two projectors at once, counts once', async () => {
    // Prepare
    const { report, timeline } = dispute(5, new Date(at.getTime() + 5000), true);

    // Act
    await Promise.all([applyAll(report, timeline), applyAll(report, timeline)]);

    // Assess
    const stats = await readStats(deps(), county, { from: day, to: day });
    expect(stats.metrics.resolution).toMatchObject({ numerator: 272, denominator: 274 });
  });
});

describe('through the API and the real workflow', () => {
  const day = beijingDay(TEST_EPOCH);
  let resolvedId = '';
  let lateId = '';

  beforeAll(async () => {
    const s = scenario(rt);
    await s.usePolicy('environment', 'normal', { grid: { acceptSeconds: 600, completeSeconds: 1200 } });
    resolvedId = await s.file({ category: 'environment', title: '河道垃圾堆积' });
    lateId = await s.file({ category: 'environment', title: '垃圾池满溢' });
    await s.untilParked(resolvedId, 1);
    await s.untilParked(lateId, 1);
    await s.act(resolvedId, 'worker1', { action: 'accept' });
    await s.act(lateId, 'worker1', { action: 'accept' });
    await s.untilParked(lateId, 1, 'complete');
    await s.act(resolvedId, 'worker1', { action: 'resolve' });
    // A resolved report closes after its return visit (回访).
    await s.visit(resolvedId, true);
    await s.until(resolvedId, (h) => h.report.status === 'closed');
    // The late one's 办结 deadline passes: it escalates to the village, with a breach charged to the grid.
    rt.clock.advance(1_300_000);
    await s.untilParked(lateId, 2);
  }, 60_000);

  it('shows each figure as n / N with its links; an open overdue report counts against 按期办结', async () => {
    // Act
    const res = await rt.http('GET', `/api/v1/stats?from=${day}&to=${day}`, { token: await rt.login('admin') });

    // Assess
    expect(res.status).toBe(200);
    const { metrics, breaches, overdueNow } = res.body;
    expect(metrics.received).toMatchObject({ numerator: 2, denominator: null, definition: 'received' });
    expect(metrics.resolution).toMatchObject({ numerator: 1, denominator: 2, value: 0.5 });
    expect(metrics.acceptedOnTime).toMatchObject({ numerator: 2, denominator: 2 });
    expect(metrics.completedOnTime).toMatchObject({ numerator: 1, denominator: 2 });
    expect(breaches.byTier.find((b: { tier: string }) => b.tier === 'grid').count).toBe(1);
    expect(breaches.byPerson).toEqual([{ name: '覃宏', count: 1 }]);
    expect(overdueNow.count).toBe(1);
    expect(metrics.resolution.reports.numerator).toBe(
      `/api/v1/stats/reports?node=${COUNTY}&from=${day}&to=${day}&metric=resolution&part=numerator`,
    );
  });

  it('drills down to exactly the reports behind numerator and denominator', async () => {
    // Prepare
    const token = await rt.login('township1');
    const base = `/api/v1/stats/reports?node=${TOWNSHIP}&from=${day}&to=${day}&metric=`;

    // Act
    const numerator = await rt.http('GET', `${base}resolution&part=numerator`, { token });
    const denominator = await rt.http('GET', `${base}resolution&part=denominator`, { token });
    const onTime = await rt.http('GET', `${base}completedOnTime&part=denominator`, { token });

    // Assess
    const ids = (r: { body: { items: { reportId: string }[] } }) => r.body.items.map((i) => i.reportId).sort();
    expect(ids(numerator)).toEqual([resolvedId]);
    expect(ids(denominator)).toEqual([resolvedId, lateId].sort());
    expect(ids(onTime)).toEqual([resolvedId, lateId].sort());
    expect(JSON.stringify(denominator.body)).not.toMatch(/location|reporter|phone|description/);
  });

  it('a crash between storing a report change and counting it is repaired by the catch-up, once', async () => {
    // Prepare: a change stored without its projection, as a process dying between the two leaves it
    const range = { from: day, to: beijingDay(new Date(Date.parse(TEST_EPOCH) + 40 * 86_400_000)) };
    const before = await readStats(deps(), county, range);
    const stored = (await deps().reports.get(lateId)) as Report;
    const village = { id: 'p-village-1', name: '覃国庆', role: 'village_admin' as const, scope: VILLAGE };
    const change = accept({ ...stored, assignees: [{ id: village.id, name: village.name, role: village.role }] }, village, rt.clock.now());
    await deps().reports.save(change.report, stored.version, change.event);
    const unprojected = await readStats(deps(), county, range);

    // Act
    const pendingBefore = await catchUpOutcomes(deps());
    const pendingAfter = await catchUpOutcomes(deps());
    await projectOutcomes(deps(), lateId);

    // Assess
    expect(unprojected.metrics.acceptedOnTime).toEqual(before.metrics.acceptedOnTime);
    expect(pendingBefore).toBeGreaterThanOrEqual(1);
    expect(pendingAfter).toBe(0);
    const after = await readStats(deps(), county, range);
    expect(after.metrics.acceptedOnTime.numerator).toBe(before.metrics.acceptedOnTime.numerator + 1);
  });

  it('refuses a range longer than a year or inverted, an unknown figure, a count’s denominator, and grid workers', async () => {
    // Act
    const long = await rt.http('GET', '/api/v1/stats?from=2025-01-01&to=2026-06-01', { token: await rt.login('admin') });
    const inverted = await rt.http('GET', '/api/v1/stats?from=2026-06-02&to=2026-06-01', { token: await rt.login('admin') });
    const worker = await rt.http('GET', '/api/v1/stats', { token: await rt.login('worker1') });
    const unknownMetric = await rt.http('GET', '/api/v1/stats/reports?metric=happiness&part=numerator', { token: await rt.login('admin') });
    const countSide = await rt.http('GET', '/api/v1/stats/reports?metric=received&part=denominator', { token: await rt.login('admin') });

    // Assess
    expect([long.status, long.body.error.code]).toEqual([400, 'STATS.DATE_RANGE_TOO_LONG']);
    expect([inverted.status, inverted.body.error.code]).toEqual([400, 'STATS.DATE_RANGE_INVERTED']);
    expect([worker.status, worker.body.error.code]).toEqual([403, 'STATS.ADMINS_ONLY']);
    expect(unknownMetric.status).toBe(400);
    expect([countSide.status, countSide.body.error.code]).toEqual([400, 'STATS.NO_DENOMINATOR']);
  });
});

describe('the nightly compaction of the counter items', () => {
  const at = new Date('2026-03-10T02:00:00Z');
  const day = beijingDay(at);
  const table = loadConfig({}).TABLE_NAME;
  const dayItems = async () => {
    const { Items = [] } = await rt.runtime.container.db.send(
      new QueryCommand({
        TableName: table,
        KeyConditionExpression: 'PK = :pk AND begins_with(SK, :day)',
        ExpressionAttributeValues: { ':pk': `STATS#${COUNTY}`, ':day': `DAY#${day}#` },
        ConsistentRead: true,
      }),
    );
    return Items;
  };
  const watermarksOf = async (reportId: string) => (await dayItems()).filter((item) => `w_${reportId}` in item).length;
  const listsOf = async () =>
    (await dayItems()).flatMap((item) => Object.keys(item).filter((name) => name.startsWith('l_') || name.startsWith('s_')));
  const onDay = (days: number) => ({ now: () => new Date(at.getTime() + days * 86_400_000) });
  /** Stores a dispute's report and timeline and counts its facts, without marking its projection (a process dying between the two). */
  async function storedAndCountedOnly(n: number): Promise<Report> {
    const { report, timeline, changes } = dispute(n, at, true);
    const [filed, ...rest] = changes as [Change, ...Change[]];
    await deps().reports.create(filed);
    for (const change of rest) {
      const stored = (await deps().reports.get(report.id)) as Report;
      await deps().reports.save(change.report, stored.version, change.event);
    }
    await applyAll(report, timeline);
    return report;
  }

  it('drops the watermarks of projected reports only; the figures stay exact, and a replay after it still counts once', async () => {
    // Prepare
    const report = await storedAndCountedOnly(901);
    const before = await readStats(deps(), county, { from: day, to: day });

    // Act: a compaction while the projection is not marked, then after the catch-up marked it
    const whileUnmarked = await compactOutcomes({ ...deps(), clock: onDay(3) });
    const keptWhileUnmarked = await watermarksOf(report.id);
    await catchUpOutcomes(deps());
    const sameDayAgain = await compactOutcomes({ ...deps(), clock: onDay(3) });
    const afterMarked = await compactOutcomes({ ...deps(), clock: onDay(4) });
    const keptAfterMarked = await watermarksOf(report.id);
    const workingTimes = await listsOf();
    await projectOutcomes(deps(), report.id);
    const after = await readStats(deps(), county, { from: day, to: day });

    // Assess
    expect(before.metrics.received.numerator).toBeGreaterThanOrEqual(1);
    expect(whileUnmarked.finished).toBe(true);
    expect(keptWhileUnmarked).toBeGreaterThanOrEqual(1);
    expect(sameDayAgain).toEqual({ nodes: 0, watermarks: 0, finished: true });
    expect(afterMarked.watermarks).toBeGreaterThanOrEqual(4);
    expect(keptAfterMarked).toBe(0);
    // The working times, folded into text: the same figures, read without a list of numbers
    expect(workingTimes).toEqual(['s_worktime|tier:grid']);
    expect(after.metrics).toEqual(before.metrics);
    expect(after.workingTime).toEqual(before.workingTime);
  });

  it('a later event of a compacted report counts once on its earlier day, replayed or not', async () => {
    // Prepare: a dispute accepted, counted, marked and compacted, and resolved three days later
    const { report, timeline, changes } = dispute(902, at, false);
    const [filed, ...rest] = changes as [Change, ...Change[]];
    await deps().reports.create(filed);
    for (const change of rest)
      await deps().reports.save(change.report, ((await deps().reports.get(report.id)) as Report).version, change.event);
    await applyAll(report, timeline);
    await catchUpOutcomes(deps());
    await compactOutcomes({ ...deps(), clock: onDay(5) });
    const compacted = await watermarksOf(report.id);
    const before = await readStats(deps(), county, { from: day, to: day });
    const stored = (await deps().reports.get(report.id)) as Report;
    const officer = { id: 'p-worker-1', name: '覃宏', role: 'grid_worker' as const, scope: FIRST_GRID };
    const resolved = resolve(stored, officer, onDay(3).now());
    await deps().reports.save(resolved.report, stored.version, resolved.event);

    // Act: the projection, a replay of the resolution's facts as a retried step would apply them, and the projection again
    await projectOutcomes(deps(), report.id);
    const facts = outcomeFacts(resolved.report, [...timeline, resolved.event]).filter((f) => f.seq === resolved.event.seq);
    await deps().outcomes?.apply({ id: report.id, title: report.title }, [{ seq: resolved.event.seq, facts }]);
    await projectOutcomes(deps(), report.id);
    const after = await readStats(deps(), county, { from: day, to: day });

    // Assess: the resolution counts on the day of receipt, once
    expect(compacted).toBe(0);
    expect(facts.some((f) => f.counter === 'resolution_n' && f.day === day)).toBe(true);
    expect(after.metrics.resolution.numerator).toBe(before.metrics.resolution.numerator + 1);
    expect(after.metrics.resolution.denominator).toBe(before.metrics.resolution.denominator);
    expect(await watermarksOf(report.id)).toBeGreaterThanOrEqual(1);
  });

  it('a run out of time records where it stopped, and the next run goes on from there', async () => {
    // Prepare
    const store = deps().outcomes;
    if (!store) throw new Error('no outcome store');
    await store.markCompaction(COUNTY, {});

    // Act
    const outOfTime = await compactOutcomes({ ...deps(), clock: onDay(8) }, { until: new Date(0) });
    const stopped = await store.compaction(COUNTY);
    const resumed = await compactOutcomes({ ...deps(), clock: onDay(8) });
    const done = await store.compaction(COUNTY);

    // Assess
    expect(outOfTime).toEqual({ nodes: 0, watermarks: 0, finished: false });
    expect(stopped.running).toEqual({ from: '0000-01-01', to: beijingDay(onDay(8 - COMPACTION_HORIZON_DAYS).now()) });
    expect(resumed.finished).toBe(true);
    expect(resumed.nodes).toBeGreaterThan(1);
    expect(done).toEqual({ through: stopped.running?.to });
  });
});

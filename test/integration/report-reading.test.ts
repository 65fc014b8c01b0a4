/**
 * What the console reads, on the real engines: the report listing's tier and filing-date filters
 * (a key condition on the index, with a year at most), the actions a report's reader may take now,
 * and the workbench (工作台): the waiting reports of a scope, nearest deadline first, with counts.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { scenario, startTestRuntime, type TestRuntime } from '../support/local-runtime.ts';

let rt: TestRuntime;
let s: ReturnType<typeof scenario>;
/** Filed at the start, on a month-long policy: at the grid, untouched. */
let early = '';
let earlyAt = '';
/** Filed three days later on a one-minute grid policy, then left to escalate to the village. */
let late = '';
let lateAt = '';
/** In 石龙镇 (worker7's grid): outside 百丈乡. */
let elsewhere = '';

const DAY = 86_400_000;
const iso = (ms: number) => new Date(ms).toISOString();

beforeAll(async () => {
  rt = await startTestRuntime();
  s = scenario(rt);
  await s.usePolicy('infrastructure', 'normal', {});
  await s.usePolicy('safety_hazard', 'normal', { grid: { acceptSeconds: 60, completeSeconds: 600 } });
  early = await s.file({ title: '村道小桥塌陷' });
  earlyAt = (await s.untilParked(early, 1)).createdAt;
  elsewhere = await s.file({ gridCode: '451322101001001', location: undefined, title: '石龙社区路灯不亮' }, 'worker7');
  await s.untilParked(elsewhere, 1);
  rt.clock.advance(3 * DAY);
  late = await s.file({ category: 'safety_hazard', title: '危房墙体开裂' });
  lateAt = (await s.untilParked(late, 1)).createdAt;
  rt.clock.advance(61_000);
  await s.untilParked(late, 2);
}, 60_000);
afterAll(async () => rt?.stop());

const ids = (body: { items: { id: string }[] }) => body.items.map((i) => i.id);
const list = async (query: string, as = 'admin') => rt.http('GET', `/api/v1/reports?${query}`, { token: await rt.login(as) });

describe('the report listing', () => {
  it('filters by the tier that holds a report now', async () => {
    // Act
    const atVillage = await list('tier=village');
    const atGrid = await list('tier=grid');
    const lateAtVillage = await list('tier=village&overdue=true');

    // Assess
    expect(atVillage.status).toBe(200);
    expect(ids(atVillage.body)).toEqual([late]);
    expect(ids(atGrid.body).sort()).toEqual([early, elsewhere].sort());
    expect(ids(lateAtVillage.body)).toEqual([late]);
  });

  it('filters by filing dates, both ends inclusive, and says what time the server has', async () => {
    // Act
    const since = await list(`from=${encodeURIComponent(lateAt)}`);
    const until = await list(`to=${encodeURIComponent(earlyAt)}&node=451322201`);
    const between = await list(
      `from=${encodeURIComponent(iso(Date.parse(earlyAt) + DAY))}&to=${encodeURIComponent(iso(Date.parse(lateAt) + 1))}`,
    );
    const beijingDay = await list(
      `from=${encodeURIComponent('2026-11-02T00:00:00+08:00')}&to=${encodeURIComponent('2026-11-02T23:59:59.999+08:00')}`,
    );

    // Assess
    expect(ids(since.body)).toEqual([late]);
    expect(ids(until.body)).toEqual([early]);
    expect(ids(between.body)).toEqual([late]);
    expect(ids(beijingDay.body).sort()).toEqual([early, elsewhere].sort());
    expect(since.body.now).toBe(rt.clock.now().toISOString());
  });

  it('refuses a window longer than 366 days, an inverted one and a date without a time', async () => {
    // Act
    const long = await list(`from=${encodeURIComponent(iso(Date.parse(earlyAt) - 367 * DAY))}&to=${encodeURIComponent(earlyAt)}`);
    const inverted = await list(`from=${encodeURIComponent(lateAt)}&to=${encodeURIComponent(earlyAt)}`);
    const dateOnly = await list('from=2026-11-02');

    // Assess
    expect(long.status).toBe(400);
    expect(long.body.error.code).toBe('REPORT.DATE_RANGE_TOO_LONG');
    expect(inverted.status).toBe(400);
    expect(inverted.body.error.code).toBe('REPORT.DATE_RANGE_INVERTED');
    expect(dateOnly.status).toBe(400);
  });

  it('pages a filtered listing with its cursor', async () => {
    // Act
    const first = await list('tier=grid&limit=1');
    const second = await list(`tier=grid&limit=1&cursor=${encodeURIComponent(first.body.nextCursor)}`);

    // Assess
    expect(first.body.items).toHaveLength(1);
    expect([...ids(first.body), ...ids(second.body)].sort()).toEqual([early, elsewhere].sort());
  });
});

describe('a report’s reader', () => {
  it.each([
    ['the village secretary it sits with', 'village1', ['accept', 'escalate', 'return', 'merge', 'comment', 'request_extension'], true],
    ['the grid worker it left', 'worker1', ['comment'], false],
    ['the township admin above', 'township1', ['escalate', 'merge', 'comment', 'remind', 'suspend'], true],
    ['the county admin', 'admin', ['escalate', 'merge', 'comment', 'remind', 'suspend'], true],
  ])('%s is told what they may do now', async (_who, username, actions, mayPublishNote) => {
    // Act
    const read = await s.history(late, username);

    // Assess
    expect(read.actions).toEqual(actions);
    expect(read.mayPublishNote).toBe(mayPublishNote);
    expect(read.now).toBe(rt.clock.now().toISOString());
  });
});

describe('the workbench', () => {
  const bench = async (as: string, query = '') => rt.http('GET', `/api/v1/workbench${query}`, { token: await rt.login(as) });

  it('shows the county admin every waiting report of the county, nearest deadline first, with counts', async () => {
    // Act
    const res = await bench('admin');

    // Assess
    expect(res.status).toBe(200);
    expect(res.body.scope).toMatchObject({ kind: 'node', code: '451322', level: 'county' });
    // The two filed first share a 签收 deadline (ties go by id); the late one's village deadline runs from its escalation.
    expect(ids(res.body)).toEqual([...[early, elsewhere].sort(), late]);
    expect(res.body.items.find((i: { id: string }) => i.id === late)).toMatchObject({
      tier: 'village',
      status: 'assigned',
      deadlinePhase: 'accept',
      overdue: true,
      pastDeadline: false,
      mine: false,
      gridName: '那沙村第一网格',
    });
    expect(res.body.counts).toMatchObject({
      total: 3,
      byTier: { grid: 2, village: 1, township: 0, department: 0, supervision: 0 },
      byStatus: { assigned: 3, accepted: 0 },
      overdue: 1,
      mine: 0,
    });
    expect(res.body.more).toBe(0);
    expect(res.body.now).toBe(rt.clock.now().toISOString());
  });

  it('shows a township admin only their township, and the village secretary what is theirs to act on', async () => {
    // Act
    const township = await bench('township1');
    const otherTownship = await bench('township2');
    const village = await bench('village1');

    // Assess
    expect(ids(township.body).sort()).toEqual([early, late].sort());
    expect(ids(otherTownship.body)).toEqual([elsewhere]);
    expect(village.body.items.find((i: { id: string }) => i.id === late)?.mine).toBe(true);
    expect(village.body.counts.mine).toBe(1);
  });

  it('narrows to a node in scope and refuses one outside it', async () => {
    // Act
    const narrowed = await bench('admin', '?node=451322101');
    const outside = await bench('township1', '?node=451322101');

    // Assess
    expect(ids(narrowed.body)).toEqual([elsewhere]);
    expect(outside.status).toBe(403);
  });

  it('drops a report once it is resolved, and moves an accepted one to 办结 with its complete deadline', async () => {
    // Prepare
    const id = await s.file({ gridCode: '451322201001002', location: undefined, title: '下水道堵塞' }, 'worker2');
    await s.untilParked(id, 1);
    const accepted = await s.act(id, 'worker2', { action: 'accept' });

    // Act
    const whileAccepted = await bench('worker2');
    await s.act(id, 'worker2', { action: 'resolve', note: '已疏通' });
    const afterResolved = await bench('worker2');

    // Assess
    expect(whileAccepted.body.items.find((i: { id: string }) => i.id === id)).toMatchObject({
      status: 'accepted',
      deadlinePhase: 'complete',
      deadline: accepted.body.completeBy,
      mine: true,
    });
    expect(ids(afterResolved.body)).not.toContain(id);
  });
});

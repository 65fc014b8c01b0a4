/**
 * The core promise, on the real engines: dynalite, the ASL interpreter running
 * escalation.asl.json, and the HTTP server. Time is the runtime's manual clock: a scenario moves it
 * past a deadline and waits for the state that deadline leads to, so a busy machine changes how
 * long a test takes, never what it sees. Scenarios that need other timings install a policy.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import {
  eventually,
  FIRST_GRID,
  newKey,
  reportBody,
  SECOND_GRID,
  scenario,
  startTestRuntime,
  type TestRuntime,
} from '../support/local-runtime.ts';

let rt: TestRuntime;
let s: ReturnType<typeof scenario>;

beforeAll(async () => {
  rt = await startTestRuntime();
  s = scenario(rt);
});
afterAll(async () => rt?.stop());

const fileReport = (body: Record<string, unknown> = {}, username = 'worker1') => s.file(body, username);
const history = (id: string) => s.history(id);
const act = (id: string, username: string, body: Record<string, unknown>) => s.act(id, username, body);
const untilStatus = (id: string, status: string, tier?: string) =>
  s.until(id, (h) => h.report.status === status && (tier === undefined || h.report.tier === tier));
const SECOND = 1000;

describe('a report at the grid tier', () => {
  it('is assigned to the grid worker, texted once, accepted, resolved, visited (回访) and closed', async () => {
    const id = await fileReport();
    const assigned = await s.until(id, (h) => h.report.notifiedTierSeq === 1);
    expect(assigned.report).toMatchObject({ status: 'assigned', tier: 'grid', ownerCode: FIRST_GRID });
    expect(assigned.report.assignees.map((a: { id: string }) => a.id)).toEqual(['p-worker-1']);
    expect(assigned.notifications[0]).toMatchObject({
      to: '+86 138****0301',
      toName: '覃宏',
      toTitle: '那沙村第一网格网格员',
      status: 'sent',
    });

    // Each action waits for the workflow to park first: the state count depends on it, not on timing.
    await s.untilParked(id, 1, 'accept');
    const accepted = await act(id, 'worker1', { action: 'accept', note: '已到现场查看' });
    expect(accepted.status).toBe(200);
    const parkedForCompletion = await s.untilParked(id, 1, 'complete');
    expect(accepted.body).toMatchObject({ status: 'accepted', tier: 'grid', overdue: false });
    const resolved = await act(id, 'worker1', { action: 'resolve', note: '已搭建简易便桥' });
    expect(resolved.status).toBe(200);
    // Resolved is not closed: it waits for its return visit (回访).
    expect(resolved.body.status).toBe('resolved');
    // The visit's own wait replaces the token of the wait for completion.
    await eventually(async () => {
      const stored = await rt.runtime.container.deps.reports.get(id);
      return stored?.waiting && stored.waiting.token !== parkedForCompletion.waiting?.token ? stored : undefined;
    });
    await s.visit(id, true);

    const closed = await untilStatus(id, 'closed');
    await eventually(async () => (rt.states.get(id)?.at(-1) === 'Done' ? true : undefined));
    expect(closed.timeline.map((e: { type: string }) => e.type)).toEqual([
      'reported',
      'assigned',
      'notified',
      'accepted',
      'resolved',
      'visited',
      'closed',
    ]);
    expect(closed.timeline.map((e: { seq: number }) => e.seq)).toEqual([1, 2, 3, 4, 5, 6, 7]);
    // The assignment, and the visitor's text (the village secretary: the grid's worker handled it).
    expect(closed.notifications.map((n: { toName: string; reminder: number }) => [n.toName, n.reminder])).toEqual([
      ['覃宏', 0],
      ['覃国庆', 900],
    ]);
    // The folded machine: one Cycle does everything due and then waits in the same task; the
    // return visit is one more wait (9 transitions: issue 11's target for the grid path).
    expect(rt.states.get(id)).toEqual(['Cycle', 'Route', 'Cycle', 'Route', 'Cycle', 'Route', 'Cycle', 'Route', 'Done']);
  });
});

describe('a report nobody accepts', () => {
  it('climbs grid → village → township → department → supervision with one SMS per tier to the right officer', async () => {
    const step = { acceptSeconds: 300, completeSeconds: 900 };
    await s.usePolicy('safety_hazard', 'urgent', { grid: step, village: step, township: step, department: step });
    const id = await fileReport({ category: 'safety_hazard', urgency: 'urgent', title: '危房外墙开裂' });
    for (let tierSeq = 1; tierSeq <= 4; tierSeq++) {
      await s.untilParked(id, tierSeq);
      rt.clock.advance(300 * SECOND);
    }

    const top = await s.until(id, (h) => h.report.tier === 'supervision' && h.report.notifiedTierSeq === 5);
    expect(top.report.status).toBe('assigned');
    const sms = top.notifications.map((n: { toName: string; to: string; tierSeq: number; status: string }) => [
      n.tierSeq,
      n.toName,
      n.to,
      n.status,
    ]);
    // The county admin reads this history: every number but their own is masked.
    expect(sms).toEqual([
      [1, '覃宏', '+86 138****0301', 'sent'], // grid worker of 那沙村第一网格
      [2, '覃国庆', '+86 138****0201', 'sent'], // 那沙村党支部书记
      [3, '廖振华', '+86 138****0100', 'sent'], // 百丈乡综治中心
      [4, '蓝永福', '+86 138****0403', 'sent'], // 县住建局 (safety hazards)
      [5, '覃卫东', '+8613877200001', 'sent'], // county supervision: the reader's own number
    ]);
    const escalations = top.timeline.filter((e: { type: string }) => e.type === 'escalated');
    expect(escalations.map((e: { data: { from: string; to: string; reason: string } }) => [e.data.from, e.data.to, e.data.reason])).toEqual(
      [
        ['grid', 'village', 'accept_overdue'],
        ['village', 'township', 'accept_overdue'],
        ['township', 'department', 'accept_overdue'],
        ['department', 'supervision', 'accept_overdue'],
      ],
    );
    // Each breach is charged to the tier that let its deadline pass.
    expect(top.report.breaches.map((b: { tier: string; phase: string }) => `${b.tier}:${b.phase}`)).toEqual([
      'grid:accept',
      'village:accept',
      'township:accept',
      'department:accept',
    ]);
    expect(top.report.departmentCodes).toEqual(['housing']);
    expect(top.report.overdue).toBe(true);
    const admin = await rt.login('admin');
    const late = await rt.http('GET', '/api/v1/reports?node=451322201&overdue=true', { token: admin });
    expect(late.status).toBe(200);
    expect(late.body.items.map((r: { id: string }) => r.id)).toContain(id);
    expect(late.body.items.every((r: { overdue: boolean }) => r.overdue)).toBe(true);
    const otherTownship = await rt.http('GET', '/api/v1/reports?node=451322101&overdue=true', { token: admin });
    expect(otherTownship.body.items.map((r: { id: string }) => r.id)).not.toContain(id);
    const forDepartment = await rt.http('GET', '/api/v1/reports?overdue=true', { token: await rt.login('dept4') });
    expect(forDepartment.body.items.map((r: { id: string }) => r.id)).toEqual([id]);
    // One execution all the way: a Cycle per tier, each with its wait.
    const states = rt.states.get(id) ?? [];
    expect(states.filter((s) => s === 'Cycle')).toHaveLength(5);
    expect(top.timeline.filter((e: { type: string }) => e.type === 'notified')).toHaveLength(5);
  });
});

describe('a report accepted but not completed in time', () => {
  it('escalates on the complete deadline and charges the breach to the tier that accepted it', async () => {
    await s.usePolicy('livelihood', 'urgent', { grid: { acceptSeconds: 60_000, completeSeconds: 1_500 } });
    const id = await fileReport({ category: 'livelihood', urgency: 'urgent', title: '养老院下水道堵塞' });
    await untilStatus(id, 'assigned', 'grid');
    const accepted = await act(id, 'worker1', { action: 'accept' });
    expect(accepted.status).toBe(200);
    const parked = await s.untilParked(id, 1, 'complete');
    rt.clock.advance(1_499 * SECOND);
    const stillThere = await history(id);
    rt.clock.advance(1 * SECOND);

    const moved = await untilStatus(id, 'assigned', 'village');
    expect(stillThere.report).toMatchObject({ tier: 'grid', status: 'accepted' });
    expect(moved.report.breaches).toEqual([expect.objectContaining({ tier: 'grid', phase: 'complete', ownerCode: FIRST_GRID })]);
    const escalated = moved.timeline.find((e: { type: string }) => e.type === 'escalated');
    expect(escalated.data.reason).toBe('complete_overdue');
    expect(parked.waiting).toMatchObject({ tierSeq: 1, phase: 'complete' });
  });
});

describe('manual escalation (提交上级)', () => {
  it('moves the report up at once, texts the next tier and wakes the waiting workflow', async () => {
    const id = await fileReport({ title: '征地补偿纠纷', category: 'dispute' });
    await untilStatus(id, 'assigned', 'grid');
    await act(id, 'worker1', { action: 'accept' });
    const res = await act(id, 'worker1', { action: 'escalate', note: '涉及多户，需村里协调', tier: 'grid' });
    expect(res.status).toBe(200);
    expect(res.body).toMatchObject({ tier: 'village', status: 'assigned' });
    const h = await s.until(id, (x) => x.report.notifiedTierSeq === 2);
    expect(h.notifications[1]).toMatchObject({ toName: '覃国庆', tierSeq: 2 });
    const escalated = h.timeline.find((e: { type: string }) => e.type === 'escalated');
    expect(escalated).toMatchObject({ actor: { id: 'p-worker-1' }, note: '涉及多户，需村里协调', data: { reason: 'manual' } });
    expect(h.report.breaches).toEqual([]);
  });
});

describe('stale and out-of-scope actions', () => {
  it('answers 409 to a second accept and to an officer whose tier the report has left', async () => {
    const id = await fileReport();
    await untilStatus(id, 'assigned', 'grid');
    expect((await act(id, 'worker1', { action: 'accept' })).status).toBe(200);
    const again = await act(id, 'worker1', { action: 'accept' });
    expect(again.status).toBe(409);
    expect(again.body.error.code).toBe('REPORT.ALREADY_ACCEPTED');

    expect((await act(id, 'admin', { action: 'escalate' })).status).toBe(200);
    const late = await act(id, 'worker1', { action: 'resolve' });
    expect(late.status).toBe(409);
    expect(late.body.error.code).toBe('REPORT.MOVED_ON');
    const wrongTier = await act(id, 'village1', { action: 'accept', tier: 'grid' });
    expect(wrongTier.status).toBe(409);
    expect((await act(id, 'village1', { action: 'accept', tier: 'village' })).status).toBe(200);
  });

  it('forbids a worker to report for, read or act on another grid', async () => {
    const token = await rt.login('worker2'); // 那沙村第二网格
    const outside = await rt.http('POST', '/api/v1/reports', {
      token,
      body: reportBody({ gridCode: FIRST_GRID }),
      headers: { 'idempotency-key': newKey() },
    });
    expect(outside.status).toBe(403);
    expect(outside.body.error.code).toBe('GRID.NOT_YOURS');

    const id = await fileReport();
    expect((await rt.http('GET', `/api/v1/reports/${id}`, { token })).status).toBe(403);
    expect((await act(id, 'worker2', { action: 'comment', note: '路过看到' })).status).toBe(403);
    expect((await act(id, 'village3', { action: 'accept' })).status).toBe(403);
    const list = await rt.http('GET', `/api/v1/reports?node=${FIRST_GRID}`, { token });
    expect(list.status).toBe(403);
    const own = await rt.http('GET', `/api/v1/reports?node=${SECOND_GRID}`, { token });
    expect(own.status).toBe(200);
    expect(own.body.items.every((r: { gridCode: string }) => r.gridCode === SECOND_GRID)).toBe(true);
  });

  it('lets a township admin see only its own township', async () => {
    const id = await fileReport();
    expect((await rt.http('GET', `/api/v1/reports/${id}`, { token: await rt.login('township1') })).status).toBe(200);
    expect((await rt.http('GET', `/api/v1/reports/${id}`, { token: await rt.login('township2') })).status).toBe(403);
    expect((await rt.http('GET', '/api/v1/reports?node=451322201', { token: await rt.login('township2') })).status).toBe(403);
  });
});

describe('idempotent intake', () => {
  it('turns the same key and body into one report, one execution and one SMS; a different body is 409', async () => {
    const token = await rt.login('worker1');
    const key = newKey('retry');
    const body = reportBody({ title: '河道垃圾堆积', category: 'environment' });
    const first = await rt.http('POST', '/api/v1/reports', { token, body, headers: { 'idempotency-key': key } });
    const second = await rt.http('POST', '/api/v1/reports', { token, body, headers: { 'idempotency-key': key } });
    expect(first.status).toBe(201);
    expect(second.status).toBe(200);
    expect(second.body.id).toBe(first.body.id);

    const id = first.body.id as string;
    await s.untilParked(id, 1);
    const h = await history(id);
    expect(h.notifications).toHaveLength(1);
    expect(h.timeline.filter((e: { type: string }) => e.type === 'reported')).toHaveLength(1);
    expect(h.timeline.filter((e: { type: string }) => e.type === 'assigned')).toHaveLength(1);
    // One execution: a second would have entered Cycle again.
    expect((rt.states.get(id) ?? []).filter((s) => s === 'Cycle')).toHaveLength(1);

    const changed = await rt.http('POST', '/api/v1/reports', {
      token,
      body: { ...body, title: '河道垃圾堆积（补充）' },
      headers: { 'idempotency-key': key },
    });
    expect(changed.status).toBe(409);
    expect(changed.body.error.code).toBe('IDEMPOTENCY.KEY_REUSED');
  });
});

describe('idempotent intake under concurrency', () => {
  it('turns 50 simultaneous submissions with one key into one report, one execution and one SMS per tier, without a 5xx', async () => {
    // Prepare: the grid and the village lapse quickly, so the report climbs while we watch
    const quick = { acceptSeconds: 300, completeSeconds: 600 };
    await s.usePolicy('public_security', 'normal', { grid: quick, village: quick });
    const token = await rt.login('worker1');
    const key = newKey('burst');
    const body = reportBody({ title: '信号弱反复重发的上报', category: 'public_security' });

    // Act
    const responses = await Promise.all(
      Array.from({ length: 50 }, () => rt.http('POST', '/api/v1/reports', { token, body, headers: { 'idempotency-key': key } })),
    );

    // Assess
    const statuses = responses.map((r) => r.status);
    expect(statuses.filter((s) => s === 201)).toHaveLength(1);
    expect(statuses.filter((s) => s === 200)).toHaveLength(49);
    const id = responses[0]?.body.id as string;
    expect(new Set(responses.map((r) => r.body.id))).toEqual(new Set([id]));
    for (const tierSeq of [1, 2]) {
      await s.untilParked(id, tierSeq);
      rt.clock.advance(300 * SECOND);
    }
    const h = await s.until(id, (x) => x.report.tier === 'township' && x.report.notifiedTierSeq === 3);
    expect(h.notifications.map((n: { tierSeq: number; toName: string }) => [n.tierSeq, n.toName])).toEqual([
      [1, '覃宏'],
      [2, '覃国庆'],
      [3, '廖振华'],
    ]);
    expect(h.timeline.filter((e: { type: string }) => e.type === 'reported')).toHaveLength(1);
    expect(h.timeline.filter((e: { type: string }) => e.type === 'assigned')).toHaveLength(1);
    expect(h.timeline.filter((e: { type: string }) => e.type === 'escalated')).toHaveLength(2);
    // A second execution would enter Cycle more than once per tier (three tiers so far).
    expect((rt.states.get(id) ?? []).filter((s) => s === 'Cycle')).toHaveLength(3);
  });
});

describe('listing', () => {
  it('pages a node’s reports newest first and filters by status and overdue', async () => {
    const ids: string[] = [];
    const grid = '451322201001003';
    for (let i = 0; i < 3; i++) {
      ids.push(await fileReport({ title: `列表测试${i}`, gridCode: grid }, 'worker3'));
      rt.clock.advance(SECOND); // distinct creation times: the order is by time
    }
    const token = await rt.login('worker3');
    const page1 = await rt.http('GET', `/api/v1/reports?node=${grid}&limit=2`, { token });
    expect(page1.status).toBe(200);
    expect(page1.body.items.map((r: { id: string }) => r.id)).toEqual([ids[2], ids[1]]);
    const page2 = await rt.http('GET', `/api/v1/reports?node=${grid}&limit=2&cursor=${page1.body.nextCursor}`, { token });
    expect(page2.body.items.map((r: { id: string }) => r.id)).toEqual([ids[0]]);
    expect(page2.body.nextCursor).toBeNull();

    const admin = await rt.login('admin');
    const closed = await rt.http('GET', '/api/v1/reports?node=451322&status=closed', { token: admin });
    expect(closed.body.items.every((r: { status: string }) => r.status === 'closed')).toBe(true);
    const forged = await rt.http('GET', `/api/v1/reports?node=${grid}&cursor=eyJmb28iOjF9`, { token });
    expect(forged.status).toBe(400);
  });
});

// A failing SMS provider: see advance-machine.test.ts (retries over hours, escalation never held up).

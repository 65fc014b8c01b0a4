/**
 * 吹哨、部门报到 on the real engines: a tier (or an admin over it) summons departments, each in a
 * lane of its own with its own 报到/签收/办结 deadlines, SMS, breaches and 督办; the report resolves
 * only once they have finished. Time is the runtime's manual clock.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { advanceStep } from '#core/use-cases/escalation-steps.ts';
import { eventually, linkTokenIn, scenario, startTestRuntime, type TestRuntime } from '../support/local-runtime.ts';

let rt: TestRuntime;
let s: ReturnType<typeof scenario>;

beforeAll(async () => {
  rt = await startTestRuntime();
  s = scenario(rt);
});
afterAll(async () => rt?.stop());

const SECOND = 1000;
const month = { acceptSeconds: 30 * 86_400, completeSeconds: 31 * 86_400 };
type Lane = {
  ownerCode: string;
  status: string;
  notified: boolean;
  escalatedAt: string | null;
  breaches: { phase: string }[];
  seq: number;
};
type Event = { type: string; data?: { department?: string; reason?: string } };
const laneIn = (h: { report: { assignments: Lane[] } }, code: string) => h.report.assignments.find((l) => l.ownerCode === code);

async function usePolicy(category: string, urgency: 'normal' | 'urgent' | 'emergency', extra: Record<string, unknown> = {}) {
  await rt.runtime.container.directory.putPolicy({
    category,
    urgency,
    tiers: { grid: month, village: month, township: month, department: month, supervision: month },
    ...extra,
  });
}

/** What the officer's phone got about this report. */
async function phoneOf(personId: string, reportId: string) {
  const person = await rt.runtime.container.directory.getPerson(personId);
  return rt.inbox({ to: person?.phone, reportId });
}

describe('whistling two departments', () => {
  it('texts each its own link; one checks in, accepts and resolves; the other misses 报到 and goes to county supervision', async () => {
    // Prepare: a report at the grid, a policy giving a summoned department 300 s to check in
    await usePolicy('infrastructure', 'urgent', { checkInSeconds: 300 });
    const id = await s.file({ urgency: 'urgent', title: '村道路面塌陷需多部门处置' });
    await s.untilParked(id, 1);

    // Act: the township admin whistles 住建 and 公安
    const whistled = await s.act(id, 'township1', {
      action: 'whistle',
      departments: ['housing', 'public_security'],
      note: '请住建、公安到场',
    });

    // Assess: a lane each, texted once, each with a link of its own
    expect(whistled.status).toBe(200);
    expect(whistled.body.assignments.map((l: Lane) => [l.ownerCode, l.status])).toEqual([
      ['housing', 'summoned'],
      ['public_security', 'summoned'],
    ]);
    const texted = await s.until(id, (h) => h.report.assignments.every((l: Lane) => l.notified));
    const event = texted.timeline.find((e: Event) => e.type === 'whistled');
    expect(event.data.departments.map((d: { code: string }) => d.code)).toEqual(['housing', 'public_security']);
    expect(event.data.departments[0]).toMatchObject({
      checkInBy: expect.any(String),
      acceptBy: expect.any(String),
      completeBy: expect.any(String),
    });
    const housingSms = await phoneOf('p-dept-housing', id);
    const policeSms = await phoneOf('p-dept-public_security', id);
    expect(housingSms).toHaveLength(1);
    expect(policeSms).toHaveLength(1);
    const housingLink = linkTokenIn(housingSms[0]?.text ?? '') as string;
    expect(housingLink).toMatch(/^[A-Za-z0-9_-]{16}$/);
    expect(linkTokenIn(policeSms[0]?.text ?? '')).not.toBe(housingLink);
    expect(texted.notifications.filter((n: { department?: string }) => n.department).map((n: { text: string }) => n.text)).toEqual([
      expect.stringContaining('…/l/••••'),
      expect.stringContaining('…/l/••••'),
    ]);

    // Act: a retried whistle, an unknown department, a summoned department's reader view
    const again = await s.act(id, 'township1', { action: 'whistle', departments: ['housing'] });
    const unknown = await s.act(id, 'township1', { action: 'whistle', departments: ['no_such_bureau'] });
    const notSummoned = await rt.http('GET', `/api/v1/reports/${id}`, { token: await rt.login('dept2') });
    const asHousing = await rt.http('GET', `/api/v1/reports/${id}`, { token: await rt.login('dept4') });
    const housingList = await rt.http('GET', '/api/v1/reports', { token: await rt.login('dept4') });

    // Assess
    expect(again.status).toBe(409);
    expect(again.body.error.code).toBe('WHISTLE.ALREADY_SUMMONED');
    expect(unknown.status).toBe(404);
    expect(unknown.body.error.code).toBe('DEPARTMENT.UNKNOWN');
    expect(notSummoned.status).toBe(403);
    expect(asHousing.status).toBe(200);
    expect(asHousing.body.laneActions).toEqual([{ department: 'housing', seq: 1, actions: ['check_in', 'return'] }]);
    expect(asHousing.body.actions).toEqual(['comment']);
    expect(housingList.body.items.map((r: { id: string }) => r.id)).toContain(id);

    // Act: 住建 checks in from its SMS link, then accepts and resolves from the console
    const early = await s.act(id, 'dept4', { action: 'accept', department: 'housing' });
    const checkIn = await rt.http('POST', '/api/v1/link', { body: { action: 'check_in' }, headers: { 'link-token': housingLink } });
    const accepted = await s.act(id, 'dept4', { action: 'accept', department: 'housing' });
    const resolved = await s.act(id, 'dept4', { action: 'resolve', department: 'housing', note: '路面已修复' });
    const byOutsider = await s.act(id, 'dept4', { action: 'check_in', department: 'public_security' });

    // Assess
    expect(early.status).toBe(409);
    expect(early.body.error.code).toBe('LANE.NOT_CHECKED_IN');
    expect(checkIn.status).toBe(200);
    expect(checkIn.body.report).toMatchObject({ status: 'checked_in', ownerName: '象州县住房和城乡建设局' });
    expect(checkIn.body.actions).toEqual(['accept', 'return']);
    expect(accepted.status).toBe(200);
    expect(resolved.status).toBe(200);
    expect(laneIn({ report: resolved.body }, 'housing')?.status).toBe('resolved');
    expect(byOutsider.status).toBe(403);
    const linkAfter = await rt.http('GET', '/api/v1/link', { headers: { 'link-token': housingLink } });
    const linkAgain = await rt.http('POST', '/api/v1/link', { body: { action: 'resolve' }, headers: { 'link-token': housingLink } });
    expect(linkAfter.body).toMatchObject({ report: { status: 'resolved' }, actions: [] });
    expect(linkAgain.status).toBe(409);
    expect(linkAgain.body.error.code).toBe('LANE.ENDED');

    // Act: the grid worker tries to resolve while 公安 is still open
    await s.act(id, 'worker1', { action: 'accept' });
    const tooSoon = await s.act(id, 'worker1', { action: 'resolve', note: '已处理' });

    // Assess
    expect(tooSoon.status).toBe(409);
    expect(tooSoon.body.error.code).toBe('REPORT.DEPARTMENTS_OPEN');

    // Act: 公安's 报到 deadline passes
    const parked = await s.untilParked(id, 1, 'complete');
    rt.clock.advance(300 * SECOND);
    const escalated = await s.until(id, (h) => laneIn(h, 'public_security')?.escalatedAt != null);

    // Assess: its own breach, 督办 at county supervision, the county admin texted once; 住建 untouched
    const police = laneIn(escalated, 'public_security') as Lane;
    expect(police.status).toBe('summoned');
    expect(police.breaches.map((b) => b.phase)).toEqual(['check_in']);
    expect(laneIn(escalated, 'housing')?.breaches).toEqual([]);
    expect(escalated.report.breaches).toEqual([]);
    const laneEscalation = escalated.timeline.find((e: Event) => e.type === 'escalated');
    expect(laneEscalation.data).toMatchObject({ department: 'public_security', to: 'supervision', reason: 'check_in_overdue' });
    const county = await s.until(id, () => true);
    expect(parked.waiting?.phase).toBe('complete');
    // The county is texted by the same step right after the escalation is stored: wait for the SMS, not the state
    const countySms = await eventually(async () => {
      const sms = await phoneOf('p-county-admin', id);
      return sms.length > 0 ? sms : undefined;
    });
    expect(countySms.map((m) => m.text)).toEqual([expect.stringContaining('督办')]);
    expect(county.report.assignments.find((l: Lane) => l.ownerCode === 'public_security').overdue).toBe(true);

    // Act: an Advance run again (a retried Lambda, a duplicated task) finds nothing left to send
    const retried = await advanceStep(rt.runtime.container.deps, { reportId: id });
    expect(retried.next).toBe('await');
    expect(await phoneOf('p-county-admin', id)).toHaveLength(1);
    expect(await phoneOf('p-dept-public_security', id)).toHaveLength(1);

    // Act: the late department checks in and hands the matter back (退回); the grid worker resolves
    await s.act(id, 'dept1', { action: 'check_in' });
    const returned = await s.act(id, 'dept1', { action: 'return', department: 'public_security', note: '非治安问题，不属本局职责' });
    const finished = await s.act(id, 'worker1', { action: 'resolve', note: '已处理' });
    // A resolved report closes after its return visit (回访).
    await s.visit(id, true);
    const closed = await s.until(id, (h) => h.report.status === 'closed');

    // Assess: the lane ended as returned, back to the tier that whistled; no SMS went twice
    expect(returned.status).toBe(200);
    expect(laneIn({ report: returned.body }, 'public_security')?.status).toBe('returned');
    const back = closed.timeline.find((e: Event) => e.type === 'returned');
    expect(back.data).toMatchObject({ department: 'public_security', to: 'grid' });
    expect(finished.status).toBe(200);
    const laneEvents = closed.timeline.filter((e: Event) => e.data?.department === 'housing').map((e: Event) => e.type);
    expect(laneEvents).toEqual(['notified', 'checked_in', 'accepted', 'resolved']);
    expect(await phoneOf('p-dept-housing', id)).toHaveLength(1);
    expect(await phoneOf('p-dept-public_security', id)).toHaveLength(1);
    expect(await phoneOf('p-county-admin', id)).toHaveLength(1);
  });
});

describe('a policy where one department suffices', () => {
  it('lets the tier resolve once one lane has resolved, and withdraws the others', async () => {
    // Prepare
    await usePolicy('livelihood', 'urgent', { whistleCompletion: 'any' });
    const id = await s.file({ category: 'livelihood', urgency: 'urgent', title: '独居老人住房漏雨' });
    await s.untilParked(id, 1);
    await s.act(id, 'worker1', { action: 'whistle', departments: ['civil_affairs', 'housing'] });
    await s.act(id, 'worker1', { action: 'accept' });
    const before = await s.act(id, 'worker1', { action: 'resolve' });
    for (const action of ['check_in', 'accept', 'resolve']) await s.act(id, 'dept3', { action, department: 'civil_affairs' });

    // Act
    const resolved = await s.act(id, 'worker1', { action: 'resolve', note: '民政已落实救助' });

    // Assess
    expect(before.status).toBe(409);
    expect(resolved.status).toBe(200);
    expect(resolved.body.assignments.map((l: Lane) => [l.ownerCode, l.status])).toEqual([
      ['civil_affairs', 'resolved'],
      ['housing', 'withdrawn'],
    ]);
  });
});

describe('an emergency report', () => {
  it('starts at the township and whistles its department at once', async () => {
    // Prepare: the calendar helper's defaults, set here by hand
    await usePolicy('dispute', 'emergency', { startTier: 'township', whistleDepartments: ['justice'] });

    // Act
    const id = await s.file({ category: 'dispute', urgency: 'emergency', title: '征地补偿纠纷聚集' });
    const started = await s.until(id, (h) => h.report.tier === 'township' && laneIn(h, 'justice')?.notified === true);

    // Assess
    expect(started.report.ownerCode).toBe('451322201');
    expect(laneIn(started, 'justice')?.status).toBe('summoned');
    expect(started.timeline.find((e: Event) => e.type === 'whistled').actor.id).toBe('system');
    expect(await phoneOf('p-dept-justice', id)).toHaveLength(1);
    expect(await phoneOf('p-township-1', id)).toHaveLength(1);
  });
});

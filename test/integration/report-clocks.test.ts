/**
 * A tier's clocks on the real engines (ManualClock): reminders (催办) at 50 % and 80 % of each
 * window, texted once however often the Advance runs; a manual 督办 by the tier above and its rate
 * limit; extensions (延期) approved, refused and lapsed; suspension (挂起) that stops every clock
 * and a resume that restarts them with the time that was left.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { runEscalationStep } from '#core/use-cases/escalation-steps.ts';
import { eventually, scenario, startTestRuntime, type TestRuntime } from '../support/local-runtime.ts';

const SECOND = 1000;
const WORKER1 = '+8613877200301';

let rt: TestRuntime;
let s: ReturnType<typeof scenario>;
beforeAll(async () => {
  rt = await startTestRuntime();
  s = scenario(rt);
});
afterAll(async () => rt?.stop());

type Event = { type: string; data?: Record<string, unknown>; note?: string };
const eventsOf = (h: { timeline: Event[] }, type: string) => h.timeline.filter((e) => e.type === type);
const at = (start: string, seconds: number) => new Date(Date.parse(start) + seconds * SECOND).toISOString();
/** Waits until the Advance has planned the tier's reminders for these deadlines (before the clock moves past them). */
const untilPlanned = (id: string, acceptBy: string) =>
  eventually(async () => {
    const stored = await rt.runtime.container.deps.reports.get(id);
    return stored?.reminderPlan?.acceptBy === acceptBy ? stored : undefined;
  });
/** Moves the clock to `seconds` after `start`. */
const moveTo = (start: string, seconds: number) => rt.clock.advance(Date.parse(start) + seconds * SECOND - rt.clock.now().getTime());

describe('reminders before a deadline (催办)', () => {
  it('texts the grid at 50 % and 80 % of the accept window and of the complete window, once each', async () => {
    // Prepare: 1000 s to accept, 10 000 s to complete
    await s.usePolicy('environment', 'normal', { grid: { acceptSeconds: 1000, completeSeconds: 10_000 } });
    const id = await s.file({ category: 'environment', title: '河道垃圾' });
    const parked = await s.untilParked(id, 1);
    const start = parked.assignedAt as string;

    // Act: half the accept window
    moveTo(start, 500);
    const half = await s.until(id, (h) => eventsOf(h, 'reminded').length === 1);
    // Act: a duplicated Advance changes nothing
    await runEscalationStep(rt.runtime.container.deps, { step: 'advance', reportId: id });
    // Act: four fifths
    moveTo(start, 800);
    const fourFifths = await s.until(id, (h) => eventsOf(h, 'reminded').length === 2);
    // Act: accepted, then half of the complete window (counted from the assignment)
    expect((await s.act(id, 'worker1', { action: 'accept' })).status).toBe(200);
    await s.untilParked(id, 1, 'complete');
    moveTo(start, 5000);
    const completeHalf = await s.until(id, (h) => eventsOf(h, 'reminded').length === 3);

    // Assess
    expect(eventsOf(half, 'reminded')[0]?.data).toMatchObject({ phase: 'accept', reminder: 101, sent: ['覃宏'] });
    expect(eventsOf(half, 'reminded')[0]).toMatchObject({ at: at(start, 500) });
    expect(eventsOf(fourFifths, 'reminded')[1]?.data).toMatchObject({ phase: 'accept', reminder: 102 });
    expect(eventsOf(completeHalf, 'reminded')[2]?.data).toMatchObject({ phase: 'complete', reminder: 201, deadline: at(start, 10_000) });
    const texts = (await rt.inbox({ to: WORKER1, reportId: id })).map((m) => m.text);
    expect(texts).toHaveLength(4);
    expect(texts.slice(1).every((t) => t.includes('催办') && /\/l#[A-Za-z0-9_-]{16}$/.test(t))).toBe(true);
    expect(texts[3]).toContain('待办结');
    expect(completeHalf.report).toMatchObject({ tier: 'grid', status: 'accepted' });
    expect(completeHalf.notifications.map((n: { reminder: number }) => n.reminder)).toEqual([0, 101, 102, 201]);
  });
});

describe('a manual 督办 by the tier above', () => {
  it('texts the current tier, is on the timeline as manual, and waits 15 minutes before the next one', async () => {
    // Prepare
    await s.usePolicy('livelihood', 'normal', {});
    const id = await s.file({ category: 'livelihood', title: '低保申请' });
    await s.untilParked(id, 1);
    const offered = await s.history(id, 'village1');
    const notOffered = await s.history(id, 'worker1');

    // Act
    const first = await s.act(id, 'village1', { action: 'remind', note: '请今天内签收' });
    const tooSoon = await s.act(id, 'village1', { action: 'remind' });
    const byAssignee = await s.act(id, 'worker1', { action: 'remind' });
    const texted = await s.until(id, (h) => h.notifications.some((n: { reminder: number }) => n.reminder === 1001));
    rt.clock.advance(15 * 60 * SECOND);
    const later = await s.act(id, 'township1', { action: 'remind' });

    // Assess
    expect(offered.actions).toContain('remind');
    expect(notOffered.actions).not.toContain('remind');
    expect(first.status).toBe(200);
    expect(tooSoon.status).toBe(409);
    expect(tooSoon.body.error.code).toBe('REMINDER.TOO_SOON');
    expect(byAssignee.status).toBe(403);
    expect(byAssignee.body.error.code).toBe('REMINDER.NOT_ABOVE');
    expect(eventsOf(texted, 'reminded')[0]).toMatchObject({
      note: '请今天内签收',
      data: { manual: true, phase: 'accept', reminder: 1001 },
    });
    expect(later.status).toBe(200);
    // 'sent', not just claimed: the claim is stored before the SMS reaches the outbox.
    const after = await s.until(id, (h) =>
      h.notifications.some((n: { reminder: number; status: string }) => n.reminder === 1002 && n.status === 'sent'),
    );
    expect(eventsOf(after, 'reminded')).toHaveLength(2);
    const texts = (await rt.inbox({ to: WORKER1, reportId: id })).map((m) => m.text);
    expect(texts.filter((t) => t.includes('请抓紧'))).toHaveLength(2);
  });
});

describe('an extension (延期)', () => {
  it('approved by the village moves the accept deadline: nothing escalates at the old one', async () => {
    // Prepare
    await s.usePolicy('safety_hazard', 'normal', { grid: { acceptSeconds: 1000, completeSeconds: 100_000 } });
    const id = await s.file({ category: 'safety_hazard', title: '电线裸露' });
    const start = (await s.untilParked(id, 1)).assignedAt as string;

    // Act
    const asked = await s.act(id, 'worker1', { action: 'request_extension', until: at(start, 3000), note: '需协调供电所' });
    const twice = await s.act(id, 'worker1', { action: 'request_extension', extraHours: 1, note: '再申请' });
    const pending = await s.history(id, 'village1');
    const decided = await s.act(id, 'village1', { action: 'decide_extension', approved: true, note: '同意' });
    const planned = await untilPlanned(id, at(start, 3000));
    moveTo(start, 1600);
    const pastOld = await s.until(id, (h) => eventsOf(h, 'reminded').length === 1);
    moveTo(start, 3000);
    const escalated = await s.until(id, (h) => h.report.tier === 'village');

    // Assess
    expect(asked.status).toBe(200);
    expect(asked.body.extensionRequest).toMatchObject({ phase: 'accept', until: at(start, 3000), reason: '需协调供电所' });
    expect(twice.status).toBe(409);
    expect(twice.body.error.code).toBe('EXTENSION.PENDING');
    expect(pending.actions).toContain('decide_extension');
    expect(decided.status).toBe(200);
    expect(decided.body.acceptBy).toBe(at(start, 3000));
    expect(pastOld.report).toMatchObject({ tier: 'grid', status: 'assigned', breaches: [] });
    // The reminders follow the new window: half of 3000 s.
    expect(planned.reminderPlan?.accept).toEqual([at(start, 1500), at(start, 2400)]);
    expect(eventsOf(pastOld, 'reminded')[0]?.data).toMatchObject({ phase: 'accept', reminder: 101 });
    expect(eventsOf(escalated, 'extension_requested')[0]).toMatchObject({
      note: '需协调供电所',
      data: { phase: 'accept', until: at(start, 3000) },
    });
    expect(eventsOf(escalated, 'extension_decided')[0]).toMatchObject({ note: '同意', data: { approved: true, until: at(start, 3000) } });
    expect(escalated.report.breaches[0]).toMatchObject({ tier: 'grid', deadline: at(start, 3000) });
  });

  it('refused leaves the deadline, and the report escalates at it', async () => {
    // Prepare
    await s.usePolicy('public_security', 'normal', { grid: { acceptSeconds: 1000, completeSeconds: 100_000 } });
    const id = await s.file({ category: 'public_security', title: '夜间噪音' });
    const start = (await s.untilParked(id, 1)).assignedAt as string;
    expect((await s.act(id, 'worker1', { action: 'request_extension', extraHours: 2, note: '当事人外出' })).status).toBe(200);

    // Act
    const byWorker = await s.act(id, 'worker1', { action: 'decide_extension', approved: true });
    const refused = await s.act(id, 'village1', { action: 'decide_extension', approved: false, note: '请按时签收' });
    moveTo(start, 1000);
    const escalated = await s.until(id, (h) => h.report.tier === 'village');

    // Assess
    expect(byWorker.status).toBe(403);
    expect(byWorker.body.error.code).toBe('EXTENSION.NOT_ABOVE');
    expect(refused.status).toBe(200);
    expect(refused.body.acceptBy).toBe(at(start, 1000));
    expect(eventsOf(escalated, 'extension_requested')[0]?.data).toMatchObject({ until: at(start, 1000 + 7200) });
    expect(eventsOf(escalated, 'extension_decided')[0]?.data).toMatchObject({ approved: false });
    expect(escalated.report.breaches[0]).toMatchObject({ deadline: at(start, 1000) });
  });

  it('undecided lapses when the deadline passes: the report escalates and the request can no longer be decided', async () => {
    // Prepare
    await s.usePolicy('dispute', 'normal', { grid: { acceptSeconds: 1000, completeSeconds: 100_000 } });
    const id = await s.file({ category: 'dispute', title: '宅基地纠纷' });
    const start = (await s.untilParked(id, 1)).assignedAt as string;
    expect((await s.act(id, 'worker1', { action: 'request_extension', until: at(start, 5000), note: '双方未到场' })).status).toBe(200);
    const notLater = await s.act(id, 'worker1', { action: 'request_extension', until: at(start, 500), note: 'x' });

    // Act
    moveTo(start, 1000);
    const escalated = await s.until(id, (h) => h.report.tier === 'village');
    const late = await s.act(id, 'village1', { action: 'decide_extension', approved: true });
    const township = await s.history(id, 'township1');

    // Assess
    expect(notLater.status).toBe(409);
    expect(escalated.report.acceptBy).not.toBe(at(start, 5000));
    expect(late.status).toBe(409);
    expect(late.body.error.code).toBe('EXTENSION.NONE_PENDING');
    expect(township.actions).not.toContain('decide_extension');
    expect(eventsOf(escalated, 'extension_decided')).toHaveLength(0);
  });
});

describe('suspension (挂起)', () => {
  it('pauses every clock, refuses the tier’s actions, and resume restarts them with the time that was left', async () => {
    // Prepare: 1000 s to accept
    await s.usePolicy('infrastructure', 'urgent', { grid: { acceptSeconds: 1000, completeSeconds: 100_000 } });
    const id = await s.file({ category: 'infrastructure', urgency: 'urgent', title: '桥梁限高架损坏' });
    const start = (await s.untilParked(id, 1)).assignedAt as string;
    moveTo(start, 200);

    // Act
    const byVillage = await s.act(id, 'village1', { action: 'suspend', note: '等待鉴定' });
    const noReason = await s.act(id, 'township1', { action: 'suspend' });
    const suspended = await s.act(id, 'township1', { action: 'suspend', note: '等待司法鉴定结果' });
    const asWorker = await s.history(id, 'worker1');
    const accept = await s.act(id, 'worker1', { action: 'accept' });
    rt.clock.advance(50_000 * SECOND);
    const meanwhile = await s.history(id);
    const resumedAt = rt.clock.now().toISOString();
    const resumed = await s.act(id, 'township1', { action: 'resume', note: '鉴定已出' });
    moveTo(resumedAt, 800);
    const escalated = await s.until(id, (h) => h.report.tier === 'village');

    // Assess
    expect(byVillage.status).toBe(403);
    expect(byVillage.body.error.code).toBe('SUSPEND.NOT_ALLOWED');
    expect(noReason.status).toBe(422);
    expect(suspended.status).toBe(200);
    expect(suspended.body).toMatchObject({ status: 'assigned', acceptBy: null, completeBy: null, overdue: false });
    expect(suspended.body.suspended).toMatchObject({ reason: '等待司法鉴定结果', remaining: { accept: 800, complete: 99_800 } });
    expect(asWorker.actions).toEqual(['comment']);
    expect(accept.status).toBe(409);
    expect(accept.body.error.code).toBe('REPORT.SUSPENDED');
    expect(meanwhile.report).toMatchObject({ tier: 'grid', breaches: [] });
    expect(eventsOf(meanwhile, 'escalated')).toHaveLength(0);
    expect(eventsOf(meanwhile, 'reminded')).toHaveLength(0);
    expect(resumed.status).toBe(200);
    expect(resumed.body).toMatchObject({ suspended: null, acceptBy: at(resumedAt, 800), completeBy: at(resumedAt, 99_800) });
    expect(eventsOf(escalated, 'suspended')[0]).toMatchObject({
      note: '等待司法鉴定结果',
      data: { remaining: { accept: 800, complete: 99_800 } },
    });
    expect(eventsOf(escalated, 'resumed')).toHaveLength(1);
    expect(escalated.report.breaches[0]).toMatchObject({ tier: 'grid', deadline: at(resumedAt, 800) });
  });
});

describe('a return (退回)', () => {
  it('needs a reason, stores nothing without one, and is on the timeline with it', async () => {
    // Prepare: the grid lets it lapse, the village holds it
    await s.usePolicy('environment', 'urgent', { grid: { acceptSeconds: 100, completeSeconds: 100_000 } });
    const id = await s.file({ category: 'environment', urgency: 'urgent', title: '秸秆焚烧' });
    const start = (await s.untilParked(id, 1)).assignedAt as string;
    moveTo(start, 100);
    const atVillage = await s.untilParked(id, 2);

    // Act
    const bare = await s.act(id, 'village1', { action: 'return' });
    const unchanged = await s.history(id);
    const returned = await s.act(id, 'village1', { action: 'return', note: '属网格日常巡查事项' });
    const back = await s.until(id, (h) => h.report.tier === 'grid' && h.report.tierSeq === 3);

    // Assess
    expect(bare.status).toBe(422);
    expect(bare.body.error.code).toBe('ACTION.REASON_REQUIRED');
    expect(unchanged.report.version).toBe(atVillage.version);
    expect(returned.status).toBe(200);
    expect(eventsOf(back, 'returned')[0]).toMatchObject({ note: '属网格日常巡查事项', data: { from: 'village', to: 'grid' } });
  });
});

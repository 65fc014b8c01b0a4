/**
 * The folded state machine (Cycle → Route → Cycle…) on the real engines: one invocation does all
 * that is due and then waits in the same task, a failed SMS is tried again over hours without
 * blocking escalation, a lost wake-up (of an action, or of the wait's own timer) is repaired by the
 * reconciler, and an execution near its history limit hands the report to a fresh one.
 */
import { afterEach, describe, expect, it } from 'vitest';
import { DynamoLeaseStore } from '#adapters/dynamodb/lease-store.ts';
import { reconcileExecutions } from '#core/use-cases/escalation-steps.ts';
import { eventually, scenario, startTestRuntime, type TestRuntime } from '../support/local-runtime.ts';

const SECOND = 1000;
const MINUTE = 60 * SECOND;
const WORKER1 = '+8613877200301';
const VILLAGE1 = '+8613877200201';

let rt: TestRuntime | undefined;
afterEach(async () => {
  await rt?.stop();
  rt = undefined;
});

type Sms = { toName: string; status: string; attempts: number; tierSeq: number; reminder: number };
type Event = { type: string; data?: Record<string, unknown> };

describe('the Cycle machine', () => {
  it('takes a report resolved at the grid and visited (回访) through 9 states', async () => {
    // Prepare
    rt = await startTestRuntime();
    const s = scenario(rt);
    const id = await s.file();
    await s.untilParked(id, 1);

    // Act
    expect((await s.act(id, 'worker1', { action: 'accept' })).status).toBe(200);
    await s.untilParked(id, 1, 'complete');
    expect((await s.act(id, 'worker1', { action: 'resolve', note: '已处理' })).status).toBe(200);
    await s.visit(id, true);
    await s.until(id, (h) => h.report.status === 'closed');
    const states = await eventually(async () => {
      const list = rt?.states.get(id) ?? [];
      return list.at(-1) === 'Done' ? list : undefined;
    });

    // Assess
    // Two transitions a cycle: filed, accepted, resolved, visited; then the end.
    expect(states).toEqual(['Cycle', 'Route', 'Cycle', 'Route', 'Cycle', 'Route', 'Cycle', 'Route', 'Done']);
  });

  it('tries a failed SMS again with backoff on the tier’s later advances, and sends it once the provider is back', async () => {
    // Prepare: worker1's phone is unreachable at first
    let unreachable = true;
    rt = await startTestRuntime({}, { smsFailFor: (to) => unreachable && to === WORKER1 });
    const s = scenario(rt);
    const id = await s.file();
    // The SMS record fails before the step stores its sms_failed event: wait for both
    const failedOnce = await s.until(
      id,
      (h) => h.notifications.some((n: Sms) => n.status === 'failed') && h.timeline.some((e: Event) => e.type === 'sms_failed'),
    );
    await s.untilParked(id, 1);

    // Act: the first retry (1 minute later) fails too; the provider recovers before the second (5 minutes on)
    rt.clock.advance(MINUTE);
    const failedTwice = await s.until(id, (h) => h.notifications[0]?.attempts === 2 && h.notifications[0]?.status === 'failed');
    unreachable = false;
    rt.clock.advance(5 * MINUTE);
    const sent = await s.until(id, (h) => h.notifications[0]?.status === 'sent');

    // Assess
    expect(failedOnce.timeline.map((e: Event) => e.type)).toContain('sms_failed');
    expect(failedTwice.report.tier).toBe('grid');
    expect(sent.notifications).toHaveLength(1);
    expect(sent.notifications[0]).toMatchObject({ toName: '覃宏', status: 'sent', attempts: 3 });
    expect(sent.report).toMatchObject({ tier: 'grid', status: 'assigned' });
    expect((await rt.inbox({ to: WORKER1, reportId: id })).length).toBe(1);
  });

  it('tries a failed 催办 again on the same backoff, and sends it once the provider is back', async () => {
    // Prepare: 1000 s to accept (催办 at 500 s and 800 s); the provider refuses 催办 texts at first
    let refusing = true;
    rt = await startTestRuntime({}, { smsFailFor: (_to, message) => refusing && (message?.text ?? '').includes('催办') });
    const s = scenario(rt);
    await s.usePolicy('environment', 'normal', { grid: { acceptSeconds: 1000, completeSeconds: 10_000 } });
    const id = await s.file({ category: 'environment', title: '河道垃圾' });
    const start = Date.parse((await s.untilParked(id, 1)).assignedAt as string);

    // Act: half the window: the 催办 fails and is recorded
    rt.clock.advance(start + 500 * SECOND - rt.clock.now().getTime());
    const failed = await s.until(id, (h) => h.notifications.some((n: Sms) => n.reminder === 101 && n.status === 'failed'));
    await s.untilParked(id, 1);
    // Act: the provider is back before the first retry, a minute later
    refusing = false;
    rt.clock.advance(MINUTE);
    const sent = await s.until(id, (h) => h.notifications.some((n: Sms) => n.reminder === 101 && n.status === 'sent'));

    // Assess
    expect(failed.timeline.find((e: Event) => e.type === 'reminded')?.data).toMatchObject({ reminder: 101, failed: ['覃宏'] });
    expect(sent.notifications.find((n: Sms) => n.reminder === 101)).toMatchObject({ toName: '覃宏', status: 'sent', attempts: 2 });
    expect(sent.report).toMatchObject({ tier: 'grid', status: 'assigned', smsRetry: null });
    const texts = (await rt.inbox({ to: WORKER1, reportId: id })).map((m) => m.text);
    expect(texts.filter((t) => t.includes('催办'))).toHaveLength(1);
  });

  it('tries a failed 回访 SMS again, with its link, so the visitor can still answer', async () => {
    // Prepare: the provider refuses the return visit's text at first
    let refusing = true;
    rt = await startTestRuntime({}, { smsFailFor: (_to, message) => refusing && (message?.text ?? '').includes('回访') });
    const s = scenario(rt);
    const id = await s.resolvedAtGrid();
    const failed = await s.until(id, (h) => h.notifications.some((n: Sms) => n.reminder === 900 && n.status === 'failed'));
    // The visit's wait ends for the retry: its wake-up is set for it.
    await eventually(async () => {
      const stored = await rt?.runtime.container.deps.reports.get(id);
      return stored?.smsRetry && stored.waiting?.wakeAt === stored.smsRetry.at ? stored : undefined;
    });

    // Act: the provider is back before the first retry
    refusing = false;
    rt.clock.advance(MINUTE);
    const sent = await s.until(id, (h) => h.notifications.some((n: Sms) => n.reminder === 900 && n.status === 'sent'));
    const visitText = (await rt.inbox({ to: VILLAGE1, reportId: id })).map((m) => m.text);
    await s.visit(id, true);
    const closed = await s.until(id, (h) => h.report.status === 'closed');

    // Assess
    expect(failed.report.smsRetry).toMatchObject({ reminder: 900, attempts: 1 });
    expect(sent.notifications.find((n: Sms) => n.reminder === 900)).toMatchObject({ toName: '覃国庆', status: 'sent', attempts: 2 });
    expect(visitText).toHaveLength(1);
    expect(visitText[0]).toMatch(/回访.*\/l#[A-Za-z0-9_-]{16}$/);
    expect(closed.report.flags).not.toContain('not_visited');
  });

  it('never lets a failing SMS hold up escalation: the village is texted on time', async () => {
    // Prepare
    rt = await startTestRuntime({}, { smsFailFor: (to) => to === WORKER1 });
    const s = scenario(rt);
    // The grid has 15 minutes to accept.
    await s.usePolicy('infrastructure', 'normal', { grid: { acceptSeconds: 15 * 60, completeSeconds: 3600 } });
    const id = await s.file();
    await s.untilParked(id, 1);

    // Act
    rt.clock.advance(15 * MINUTE);
    const escalated = await s.until(id, (h) => h.report.tier === 'village' && h.report.notifiedTierSeq === 2);

    // Assess
    expect(escalated.notifications[0]).toMatchObject({ toName: '覃宏', status: 'failed' });
    expect(escalated.notifications[0].error).not.toContain('13877200301');
    expect(escalated.notifications[1]).toMatchObject({ toName: '覃国庆', status: 'sent' });
    expect(escalated.report.breaches).toHaveLength(1);
  });

  it('repairs a lost wake-up: an accept stored while waking the workflow failed is picked up by the reconciler', async () => {
    // Prepare: SendTaskSuccess fails once, as if the function died right after storing the action
    rt = await startTestRuntime();
    const s = scenario(rt);
    const id = await s.file();
    await s.untilParked(id, 1);
    const workflow = rt.runtime.container.workflow;
    const wake = workflow.wake.bind(workflow);
    workflow.wake = async () => {
      workflow.wake = wake;
      throw new Error('SendTaskSuccess: unexpected error');
    };

    // Act
    const accepted = await s.act(id, 'worker1', { action: 'accept' });
    const stillWaiting = await rt.runtime.container.deps.reports.get(id);
    const { deps, db } = rt.runtime.container;
    const outcome = await reconcileExecutions(
      { ...deps, leases: new DynamoLeaseStore(db, 'gridwhistle') },
      { holder: 'test', until: new Date(rt.clock.now().getTime() + 5 * MINUTE) },
    );
    const parked = await s.untilParked(id, 1, 'complete');

    // Assess
    expect(accepted.status).toBe(200);
    expect(stillWaiting?.waiting).toMatchObject({ tierSeq: 1, phase: 'accept' });
    expect(outcome.woken).toEqual([id]);
    expect(parked.waiting?.phase).toBe('complete');
  });

  it('repairs a lost timer: a wait whose wake-up was never set is woken by the reconciler once it is overdue', async () => {
    // Prepare: the step sets no wake-up for the grid's wait, as if it died right after parking
    rt = await startTestRuntime();
    const s = scenario(rt);
    await s.usePolicy('infrastructure', 'normal', { grid: { acceptSeconds: 15 * 60, completeSeconds: 3600 } }, { reminderFractions: [] });
    const workflow = rt.runtime.container.workflow;
    const wakeAt = workflow.wakeAt.bind(workflow);
    workflow.wakeAt = async () => {
      workflow.wakeAt = wakeAt;
    };
    const id = await s.file();
    const parked = await s.untilParked(id, 1);
    const { deps, db } = rt.runtime.container;
    const reconcile = () =>
      reconcileExecutions(
        { ...deps, leases: new DynamoLeaseStore(db, 'gridwhistle') },
        { holder: 'test', until: new Date(rt!.clock.now().getTime() + 5 * MINUTE) },
      );

    // Act: the deadline passes with nothing to wake the wait; the reconciler's next run finds it
    rt.clock.advance(16 * MINUTE);
    const outcome = await reconcile();
    const escalated = await s.untilParked(id, 2);

    // Assess
    expect(parked.waiting?.wakeAt).toBe(parked.acceptBy);
    expect(outcome.woken).toEqual([id]);
    expect(escalated).toMatchObject({ tier: 'village', tierSeq: 2 });
  });

  it('continues as a fresh execution before the one-year limit, from the stored state', async () => {
    // Prepare
    rt = await startTestRuntime();
    const s = scenario(rt);
    const id = await s.file();
    await s.untilParked(id, 1);

    // Act: the machine was off for 301 days (an execution may run 365); the grid's wait fires
    rt.clock.advance(301 * 86_400 * SECOND);
    const parked = await s.untilParked(id, 2);
    const states = await eventually(async () => {
      const list = rt?.states.get(id) ?? [];
      return list.includes('ContinueAsNew') && list.at(-1) === 'Cycle' ? list : undefined;
    });

    // Assess: one escalation, then a fresh execution waits for the village
    expect(parked).toMatchObject({ tier: 'village', tierSeq: 2 });
    expect(states.slice(2)).toEqual(['Cycle', 'Route', 'ContinueAsNew', 'Done', 'Cycle']);
  });
});

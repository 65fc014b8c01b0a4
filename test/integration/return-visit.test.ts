/**
 * 回访 on the real engines: a resolved report goes to someone other than its handler (the grid's
 * worker handled it here, so the village secretary visits), texted with a link; satisfied closes
 * it, not satisfied reopens it at the grid with fresh deadlines and texts the grid again, and no
 * visit by the deadline closes it flagged "not visited".
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { linkTokenIn, scenario, startTestRuntime, type TestRuntime } from '../support/local-runtime.ts';

const WORKER1 = '+8613877200301';
const VILLAGE1 = '+8613877200201';
const DAY = 86_400_000;

let rt: TestRuntime;
let s: ReturnType<typeof scenario>;
beforeAll(async () => {
  rt = await startTestRuntime();
  s = scenario(rt);
});
afterAll(async () => rt?.stop());

type Event = { type: string; data?: Record<string, unknown>; actor?: { name: string } };
const types = (h: { timeline: Event[] }) => h.timeline.map((e) => e.type);

const untilVisitAssigned = (id: string) =>
  s.until(id, (h) => h.report.status === 'resolved' && h.report.visit?.tierSeq === h.report.tierSeq);

describe('a report resolved at the grid', () => {
  it('waits resolved for its visit by the village secretary (not the worker who handled it), who is texted a link', async () => {
    // Prepare + Act
    const id = await s.resolvedAtGrid({ title: '路灯损坏' });
    const waiting = await untilVisitAssigned(id);

    // Assess
    expect(waiting.report.status).toBe('resolved');
    expect(waiting.report.visit.visitors.map((v: { name: string }) => v.name)).toEqual(['覃国庆']);
    expect(Date.parse(waiting.report.visit.dueBy)).toBeGreaterThan(Date.parse(waiting.now));
    const texts = await rt.inbox({ to: VILLAGE1, reportId: id });
    expect(texts).toHaveLength(1);
    expect(texts[0]?.text).toContain('回访');
    expect(linkTokenIn(texts[0]?.text ?? '')).toBeDefined();
    const asVisitor = await s.history(id, 'village1');
    expect(asVisitor.actions).toContain('review');
    const asHandler = await s.history(id, 'worker1');
    expect(asHandler.actions).not.toContain('review');
    const byHandler = await s.act(id, 'worker1', { action: 'review', satisfied: true });
    expect(byHandler.status).toBe(403);
    expect(byHandler.body.error.code).toBe('VISIT.NOT_YOURS');
    const noAnswer = await s.act(id, 'village1', { action: 'review' });
    expect(noAnswer.status).toBe(422);
    expect(noAnswer.body.error.code).toBe('VISIT.ANSWER_REQUIRED');
  });

  it('closes (销号) when the reporter is satisfied, after a visited event', async () => {
    // Prepare
    const id = await s.resolvedAtGrid({ title: '井盖缺失' });
    await untilVisitAssigned(id);

    // Act
    const answered = await s.act(id, 'village1', { action: 'review', satisfied: true, note: '群众满意' });
    const closed = await s.until(id, (h) => h.report.status === 'closed');

    // Assess
    expect(answered.status).toBe(200);
    expect(types(closed).slice(-3)).toEqual(['resolved', 'visited', 'closed']);
    const visited = closed.timeline.find((e: Event) => e.type === 'visited');
    expect(visited).toMatchObject({ data: { satisfied: true }, note: '群众满意', actor: { name: '覃国庆' } });
    expect(closed.timeline.at(-1).data).toEqual({ visited: true });
    expect(closed.report.flags).not.toContain('not_visited');
    const again = await s.act(id, 'village1', { action: 'review', satisfied: false });
    expect(again.status).toBe(409);
  });

  it('reopens at the grid with fresh deadlines when not satisfied, texts the grid again, and closes after a satisfied second visit', async () => {
    // Prepare
    const id = await s.resolvedAtGrid({ title: '围墙倒塌' });
    await untilVisitAssigned(id);
    const textedBefore = (await rt.inbox({ to: WORKER1, reportId: id })).length;

    // Act: not satisfied, through the SMS link the visitor received
    const visitSms = (await rt.inbox({ to: VILLAGE1, reportId: id }))[0];
    const token = linkTokenIn(visitSms?.text ?? '') ?? '';
    const page = await rt.http('GET', '/api/v1/link', { headers: { 'link-token': token } });
    const byLink = await rt.http('POST', '/api/v1/link', {
      headers: { 'link-token': token },
      body: { action: 'visit_unsatisfied', note: '墙体仍有裂缝' },
    });
    const reopened = await s.until(id, (h) => h.report.status === 'assigned' && h.report.tierSeq === 2 && h.report.notifiedTierSeq === 2);

    // Assess
    expect(page.body.actions).toEqual(['visit_satisfied', 'visit_unsatisfied']);
    expect(byLink.status).toBe(200);
    expect(reopened.report).toMatchObject({ tier: 'grid', status: 'assigned', resolvedAt: null });
    expect(types(reopened).slice(-3)).toEqual(['visited', 'reopened', 'notified']);
    const reopenEvent = reopened.timeline.find((e: Event) => e.type === 'reopened');
    expect(reopenEvent.data).toMatchObject({ from: 'grid', to: 'grid', acceptBy: reopened.report.acceptBy });
    expect(Date.parse(reopened.report.acceptBy)).toBeGreaterThan(Date.parse(reopenEvent.at));
    expect((await rt.inbox({ to: WORKER1, reportId: id })).length).toBe(textedBefore + 1);

    // Act: resolved again, visited satisfied
    await s.untilParked(id, 2);
    expect((await s.act(id, 'worker1', { action: 'accept' })).status).toBe(200);
    await s.untilParked(id, 2, 'complete');
    expect((await s.act(id, 'worker1', { action: 'resolve', note: '已重新加固' })).status).toBe(200);
    await s.visit(id, true);
    const closed = await s.until(id, (h) => h.report.status === 'closed');

    // Assess
    expect(types(closed).filter((t: string) => t === 'visited')).toHaveLength(2);
    expect(closed.timeline.at(-1).data).toEqual({ visited: true });
    expect(await rt.inbox({ to: VILLAGE1, reportId: id })).toHaveLength(2);
  });

  it('closes flagged "not visited" when nobody visits by the deadline', async () => {
    // Prepare
    const id = await s.resolvedAtGrid({ title: '垃圾堆放' });
    const waiting = await untilVisitAssigned(id);
    await s.untilParked(id, 1, 'complete');

    // Act: the visit deadline (three days by default) passes
    rt.clock.advance(Date.parse(waiting.report.visit.dueBy) - rt.clock.now().getTime() + 1000);
    const closed = await s.until(id, (h) => h.report.status === 'closed');

    // Assess
    expect(closed.report.flags).toContain('not_visited');
    expect(closed.timeline.at(-1)).toMatchObject({ type: 'closed', data: { notVisited: true, visitDueBy: waiting.report.visit.dueBy } });
    expect(types(closed)).not.toContain('visited');
    expect(Date.parse(waiting.report.visit.dueBy) - Date.parse(waiting.report.resolvedAt)).toBeLessThanOrEqual(3 * DAY + 1000);
  });
});

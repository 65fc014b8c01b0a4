/**
 * Outcome facts (README §Metrics): what each event of a timeline settles, on which day, under
 * which node; deterministic, so a store can apply each fact once.
 */
import { describe, expect, it } from 'vitest';
import { beijingDay, counterKeys, NOW_DAY, type OutcomeFact, outcomeFacts, percentiles, ratio, settlesNothing } from '#core/outcomes.ts';
import { accept, assignFirstTier, type Change, escalate, type Report, resolve, type TimelineEvent } from '#core/report.ts';
import {
  assignmentFor,
  deadlinesFor,
  GRID,
  NOW,
  secondsAfter,
  submittedReport,
  TOWNSHIP,
  VILLAGE,
  villageAdmin,
  worker,
} from './fixtures.ts';

/** A report and its whole timeline, built through the real transitions. */
function lifeOf(steps: ((r: Report) => Change)[]): { report: Report; timeline: TimelineEvent[] } {
  let report = submittedReport();
  const timeline: TimelineEvent[] = [report.lastEvent];
  for (const step of steps) {
    const change = step(report);
    report = change.report;
    timeline.push(change.event);
  }
  return { report, timeline };
}

const sum = (facts: OutcomeFact[], counter: string) => facts.filter((f) => f.counter === counter).reduce((n, f) => n + f.delta, 0);

const GRID_DEADLINES = deadlinesFor('grid');
const assignGrid = (r: Report) => assignFirstTier(r, assignmentFor('grid'), GRID_DEADLINES, NOW);

describe('outcome facts', () => {
  it('a report accepted and resolved in time at the grid counts on time for both phases and as resolved', () => {
    // Prepare
    const { report, timeline } = lifeOf([
      assignGrid,
      (r) => accept(r, worker, secondsAfter(NOW, 60)),
      (r) => resolve(r, worker, secondsAfter(NOW, 3600)),
    ]);

    // Act
    const facts = outcomeFacts(report, timeline);

    // Assess
    for (const counter of ['received', 'resolution_d', 'resolution_n', 'accept_d', 'accept_n', 'complete_d', 'complete_n']) {
      expect(sum(facts, counter), counter).toBe(1);
    }
    expect(facts.find((f) => f.counter === 'received')?.day).toBe(beijingDay(NOW));
    expect(facts.find((f) => f.counter === 'complete_d')?.day).toBe(beijingDay(GRID_DEADLINES.completeBy));
    expect(facts.find((f) => f.counter === 'worktime')).toMatchObject({ tier: 'grid', seconds: 3600 });
    expect(facts.every((f) => f.path.join() === [report.countyCode, TOWNSHIP.code, VILLAGE.code, GRID.code].join())).toBe(true);
  });

  it('a grid that lets the 签收 deadline pass is charged a breach, with its owner and officer, and misses on-time acceptance', () => {
    // Prepare
    const late = new Date(Date.parse(GRID_DEADLINES.acceptBy));
    const { report, timeline } = lifeOf([
      assignGrid,
      (r) => escalate(r, { kind: 'timeout' }, assignmentFor('village'), deadlinesFor('village', late), late),
      (r) => accept(r, villageAdmin, secondsAfter(late, 60)),
    ]);

    // Act
    const facts = outcomeFacts(report, timeline);

    // Assess: two assignments due for 签收, one on time; the grid's 办结 phase withdrawn (it left before that deadline)
    expect([sum(facts, 'accept_d'), sum(facts, 'accept_n')]).toEqual([2, 1]);
    expect(sum(facts, 'complete_d')).toBe(1);
    const breach = facts.find((f) => f.counter === 'breach');
    expect(breach).toMatchObject({ tier: 'grid', owner: GRID.code, persons: [worker.name], day: beijingDay(GRID_DEADLINES.acceptBy) });
    expect(counterKeys(breach as OutcomeFact, TOWNSHIP.code)).toEqual(
      expect.arrayContaining(['breach', 'breach|tier:grid', `breach|owner:${GRID.code}`, `breach|person:${worker.name}`]),
    );
    // late and still open: on the overdue gauge
    expect(facts.filter((f) => f.day === NOW_DAY).map((f) => f.delta)).toEqual([1]);
  });

  it('an open report past its 办结 deadline stays in the denominator with no numerator: it counts against', () => {
    // Prepare: accepted, never resolved, and no event since its deadline
    const { report, timeline } = lifeOf([assignGrid, (r) => accept(r, worker, secondsAfter(NOW, 60))]);

    // Act
    const facts = outcomeFacts(report, timeline);

    // Assess
    expect([sum(facts, 'complete_d'), sum(facts, 'complete_n')]).toEqual([1, 0]);
    expect([sum(facts, 'resolution_d'), sum(facts, 'resolution_n')]).toEqual([1, 0]);
  });

  it('return visits count on their day; not satisfied and reopened takes the resolution back until it is resolved again', () => {
    // Prepare: the visit and reopening events as the return-visit part records them
    const { report, timeline } = lifeOf([
      assignGrid,
      (r) => accept(r, worker, secondsAfter(NOW, 60)),
      (r) => resolve(r, worker, secondsAfter(NOW, 120)),
    ]);
    const at = secondsAfter(NOW, 86_400 * 2).toISOString();
    const visited: TimelineEvent = { seq: 5, at, type: 'visited', tier: 'grid', actor: worker, data: { satisfied: false } };
    const reopened: TimelineEvent = { seq: 6, at, type: 'reopened', tier: 'grid', actor: worker };

    // Act
    const before = outcomeFacts(report, timeline);
    const after = outcomeFacts(report, [...timeline, visited, reopened]);

    // Assess
    expect(sum(before, 'resolution_n')).toBe(1);
    expect(sum(after, 'resolution_n')).toBe(0);
    expect([sum(after, 'visit_d'), sum(after, 'visit_n')]).toEqual([1, 0]);
    expect(after.find((f) => f.counter === 'visit_d')?.day).toBe(beijingDay(at));
  });

  it('is a function of the timeline: a replay yields the same facts, and a prefix yields a prefix', () => {
    // Prepare
    const { report, timeline } = lifeOf([assignGrid, (r) => accept(r, worker, secondsAfter(NOW, 60))]);

    // Act
    const whole = outcomeFacts(report, timeline);
    const prefix = outcomeFacts(report, timeline.slice(0, 2));

    // Assess
    expect(outcomeFacts(report, timeline)).toEqual(whole);
    expect(whole.slice(0, prefix.length)).toEqual(prefix);
  });

  it('counts a fact on the Beijing day: 16:00 UTC is already the next day', () => {
    // Act / Assess
    expect(beijingDay('2026-03-23T15:59:59Z')).toBe('2026-03-23');
    expect(beijingDay('2026-03-23T16:00:00Z')).toBe('2026-03-24');
  });

  it('medians and 90th percentiles by nearest rank; a rate with nothing due has no value', () => {
    // Act / Assess
    expect(percentiles([5, 1, 3, 2, 4, 6, 7, 8, 9, 10])).toEqual({ count: 10, median: 5, p90: 9 });
    expect(percentiles([])).toEqual({ count: 0, median: null, p90: null });
    expect(ratio(272, 274).value).toBeCloseTo(0.9927, 4);
    expect(ratio(0, 0).value).toBeNull();
  });

  it('each summoned department is an assignment of its own: its 签收/办结 count beside the tier’s, its missed 报到 is charged to it, and the tier’s own assignment is untouched', () => {
    // Prepare: the grid accepts, then whistles two departments; 住建 acts in time, 公安 misses its 报到
    const { report, timeline } = lifeOf([assignGrid, (r) => accept(r, worker, secondsAfter(NOW, 60))]);
    const at = (s: number) => secondsAfter(NOW, s).toISOString();
    const lane = (code: string, seq: number) => ({
      code,
      name: code,
      seq,
      assignees: [`${code}-officer`],
      checkInBy: at(600),
      acceptBy: at(3600),
      completeBy: at(7200),
    });
    const next = (type: TimelineEvent['type'], atSecond: number, data: Record<string, unknown>): TimelineEvent => ({
      seq: (timeline.at(-1)?.seq ?? 0) + 1,
      at: at(atSecond),
      type,
      tier: 'grid',
      actor: { id: 'x', name: 'x', role: 'system' },
      data,
    });
    timeline.push(next('whistled', 120, { departments: [lane('housing', 1), lane('public_security', 2)] }));
    timeline.push(next('checked_in', 300, { department: 'housing', lane: 1 }));
    timeline.push(next('accepted', 400, { department: 'housing', lane: 1 }));
    timeline.push(next('resolved', 3000, { department: 'housing', lane: 1 }));
    timeline.push(
      next('escalated', 600, {
        department: 'public_security',
        lane: 2,
        from: 'department',
        to: 'supervision',
        reason: 'check_in_overdue',
        checkInBy: at(90_000),
        acceptBy: at(90_000),
        completeBy: at(99_000),
      }),
    );

    // Act
    const facts = outcomeFacts(report, timeline);

    // Assess: three assignments due for 签收 (grid + two lanes), two on time; the lane's escalation opened no tier assignment
    expect([sum(facts, 'accept_d'), sum(facts, 'accept_n')]).toEqual([3, 2]);
    expect([sum(facts, 'complete_d'), sum(facts, 'complete_n')]).toEqual([3, 1]);
    const breaches = facts.filter((f) => f.counter === 'breach');
    expect(breaches).toHaveLength(1);
    expect(breaches[0]).toMatchObject({ tier: 'department', owner: 'public_security', persons: ['public_security-officer'] });
    expect(facts.find((f) => f.counter === 'worktime' && f.tier === 'department')).toMatchObject({ seconds: 2880 });
  });

  it('an event said to settle nothing (a notification, comment, reminder) adds no fact wherever it falls in a life', () => {
    // Prepare: a late life, so even the overdue gauge is in play, with a fact-free event after each step
    const steps = [
      assignGrid,
      (r: Report) => escalate(r, { kind: 'timeout' }, assignmentFor('village'), deadlinesFor('village'), secondsAfter(NOW, 900_000)),
      (r: Report) => accept(r, villageAdmin, secondsAfter(NOW, 900_060)),
      (r: Report) => resolve(r, villageAdmin, secondsAfter(NOW, 903_600)),
    ];
    const { report, timeline } = lifeOf(steps);
    const quiet =
      (type: TimelineEvent['type'], data: Record<string, unknown>) =>
      (e: TimelineEvent, seq: number): TimelineEvent => ({
        ...e,
        seq,
        type,
        data,
      });
    const kinds = [
      quiet('notified', { sent: ['张三'], failed: [] }),
      quiet('sms_failed', { sent: [], failed: ['张三'] }),
      quiet('commented', {}),
      quiet('reminded', { phase: 'accept', reminder: 1 }),
      quiet('extension_requested', { phase: 'complete', until: secondsAfter(NOW, 990_000).toISOString() }),
    ];

    for (const kind of kinds) {
      for (let at = 1; at <= timeline.length; at++) {
        // Act: the quiet event inserted after event `at`, the later events renumbered
        const withQuiet = [...timeline.slice(0, at), kind(timeline[at - 1] as TimelineEvent, at + 1)].concat(
          timeline.slice(at).map((e) => ({ ...e, seq: e.seq + 1 })),
        );
        const facts = outcomeFacts(report, withQuiet);

        // Assess
        expect(settlesNothing(withQuiet[at] as TimelineEvent)).toBe(true);
        expect(facts.filter((f) => f.seq === at + 1)).toEqual([]);
      }
    }
    expect(settlesNothing({ type: 'notified', data: { acceptBy: 'x', completeBy: 'y' } })).toBe(false);
    expect(settlesNothing({ type: 'accepted', data: {} })).toBe(false);
  });
});

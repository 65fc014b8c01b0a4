import { describe, expect, it } from 'vitest';
import { ConflictError, ForbiddenError } from '#core/errors.ts';
import {
  accept,
  assignFirstTier,
  type Change,
  close,
  comment,
  currentDeadline,
  escalate,
  escalationTarget,
  isLate,
  isOpen,
  isOverdue,
  markNotified,
  newReport,
  type Report,
  resolve,
  SYSTEM_ACTOR,
  supervise,
  type TimelineEvent,
  withWaitingTask,
} from '#core/report.ts';
import {
  acceptedReport,
  assignedReport,
  assignmentFor,
  COUNTY,
  countyAdmin,
  DEPARTMENT_CODE,
  deadlinesFor,
  deptOfficer,
  escalatedTo,
  GRID,
  HOUR,
  JURISDICTION,
  NOW,
  otherWorker,
  secondsAfter,
  siblingWorker,
  submittedReport,
  TOWNSHIP,
  thrownBy,
  townshipAdmin,
  VILLAGE,
  villageAdmin,
  worker,
} from './fixtures.ts';

const at = (report: Report, field: 'acceptBy' | 'completeBy', offsetSeconds = 0) =>
  secondsAfter(new Date(Date.parse(report[field] ?? '')), offsetSeconds);

function expectConflict(act: () => unknown, code: string): ConflictError {
  const error = thrownBy(act);
  expect(error).toBeInstanceOf(ConflictError);
  expect(error).toMatchObject({ kind: 'conflict', code });
  return error as ConflictError;
}

function expectForbidden(act: () => unknown, code: string): void {
  const error = thrownBy(act);
  expect(error).toBeInstanceOf(ForbiddenError);
  expect(error).toMatchObject({ kind: 'forbidden', code });
}

/** Checks one change against the report it was made from: one more version, one more event. */
function expectCommittedAfter(before: Report, change: Change, now: Date): void {
  expect(change.report.version).toBe(before.version + 1);
  expect(change.event.seq).toBe(before.lastEvent.seq + 1);
  expect(change.event.at).toBe(now.toISOString());
  expect(change.report.updatedAt).toBe(now.toISOString());
  expect(change.report.lastEvent).toEqual(change.event);
}

describe('newReport', () => {
  it('starts a submitted report at the grid tier, version 1, with a "reported" event by its reporter', () => {
    // Act
    const { report, event } = newReport(
      {
        id: 'R00000000000001A',
        jurisdiction: JURISDICTION,
        category: 'dispute',
        urgency: 'urgent',
        title: '征地补偿纠纷',
        description: '两户村民因征地补偿款分配发生争执。',
        location: null,
        photos: ['https://example.org/p/1.jpg'],
        occurredAt: '2026-03-22T08:00:00+08:00',
        reporter: worker,
      },
      NOW,
    );

    // Assess
    expect(event).toEqual({
      seq: 1,
      at: NOW.toISOString(),
      type: 'reported',
      tier: 'grid',
      actor: { id: worker.id, name: worker.name, role: 'grid_worker' },
      // The first link of the timeline's hash chain (core/timeline-chain.ts).
      hash: expect.stringMatching(/^[0-9a-f]{64}$/),
    });
    expect(report).toMatchObject({
      id: 'R00000000000001A',
      ...JURISDICTION,
      status: 'submitted',
      tier: 'grid',
      tierSeq: 0,
      ownerCode: GRID.code,
      assignees: [],
      pastAssigneeIds: [],
      departmentCodes: [],
      acceptBy: null,
      completeBy: null,
      breaches: [],
      version: 1,
      createdAt: NOW.toISOString(),
      updatedAt: NOW.toISOString(),
      waiting: null,
      photos: ['https://example.org/p/1.jpg'],
    });
    expect(report.lastEvent).toEqual(event);
  });

  it('keeps only the id, name and role of the reporter, not their scope', () => {
    // Act
    const report = submittedReport();

    // Assess
    expect(report.reporter).toEqual({ id: worker.id, name: worker.name, role: 'grid_worker' });
  });

  it('is open, has no current deadline and is never overdue', () => {
    // Act
    const report = submittedReport();

    // Assess
    expect(isOpen(report)).toBe(true);
    expect(currentDeadline(report)).toBeNull();
    expect(isOverdue(report, secondsAfter(NOW, 365 * 24 * HOUR))).toBe(false);
  });
});

describe('assignFirstTier', () => {
  it('hands a submitted report to the grid worker with both deadlines, as a system event', () => {
    // Prepare
    const submitted = submittedReport();
    const deadlines = deadlinesFor('grid');

    // Act
    const change = assignFirstTier(submitted, assignmentFor('grid'), deadlines, NOW);

    // Assess
    expectCommittedAfter(submitted, change, NOW);
    expect(change.report).toMatchObject({
      status: 'assigned',
      tier: 'grid',
      tierSeq: 1,
      ownerCode: GRID.code,
      ownerName: GRID.name,
      assignees: [{ id: worker.id, name: worker.name, role: 'grid_worker' }],
      pastAssigneeIds: [worker.id],
      acceptBy: '2026-03-23T03:00:00.000Z',
      completeBy: '2026-03-24T01:00:00.000Z',
    });
    expect(change.event).toMatchObject({
      type: 'assigned',
      tier: 'grid',
      actor: SYSTEM_ACTOR,
      data: { ownerCode: GRID.code, assignees: [worker.name] },
    });
    expect(change.event.data).not.toHaveProperty('skipped');
  });

  it('records the tiers it passed over when the first post is vacant', () => {
    // Prepare
    const submitted = submittedReport();
    const skipped = [{ tier: 'grid' as const, ownerCode: GRID.code, reason: 'no_officer' }];

    // Act
    const change = assignFirstTier(submitted, assignmentFor('village', [villageAdmin], skipped), deadlinesFor('village'), NOW);

    // Assess
    expect(change.report.tier).toBe('village');
    expect(change.report.ownerCode).toBe(VILLAGE.code);
    expect(change.event.tier).toBe('village');
    expect(change.event.data).toMatchObject({ skipped });
  });

  it('refuses a report that is already assigned with 409 REPORT.ALREADY_ASSIGNED', () => {
    // Prepare
    const assigned = assignedReport();

    // Act + Assess
    expectConflict(() => assignFirstTier(assigned, assignmentFor('grid'), deadlinesFor('grid'), NOW), 'REPORT.ALREADY_ASSIGNED');
  });

  it('leaves the report it was given untouched', () => {
    // Prepare
    const submitted = submittedReport();
    const snapshot = structuredClone(submitted);

    // Act
    assignFirstTier(submitted, assignmentFor('grid'), deadlinesFor('grid'), NOW);

    // Assess
    expect(submitted).toEqual(snapshot);
  });
});

describe('accept (签收)', () => {
  it('lets the assignee accept, stamping the time and their note', () => {
    // Prepare
    const assigned = assignedReport();
    const now = secondsAfter(NOW, 600);

    // Act
    const change = accept(assigned, worker, now, { note: '已到现场查看' });

    // Assess
    expectCommittedAfter(assigned, change, now);
    expect(change.report.status).toBe('accepted');
    expect(change.report.acceptedAt).toBe(now.toISOString());
    expect(change.event).toMatchObject({
      type: 'accepted',
      tier: 'grid',
      note: '已到现场查看',
      actor: { id: worker.id, name: worker.name, role: 'grid_worker' },
    });
  });

  it('stores no note key when none was given', () => {
    // Act
    const change = accept(assignedReport(), worker, NOW);

    // Assess
    expect(change.event).not.toHaveProperty('note');
  });

  it('lets any one of several assignees accept', () => {
    // Prepare
    const assigned = assignedReport({ assignees: [worker, siblingWorker] });

    // Act
    const change = accept(assigned, siblingWorker, NOW);

    // Assess
    expect(change.report.status).toBe('accepted');
    expect(change.event.actor.id).toBe(siblingWorker.id);
  });

  it('answers a second accept with 409 REPORT.ALREADY_ACCEPTED and the current status', () => {
    // Prepare
    const accepted = acceptedReport();

    // Act
    const error = expectConflict(() => accept(accepted, worker, NOW), 'REPORT.ALREADY_ACCEPTED');

    // Assess
    expect(error.details).toEqual({ status: 'accepted' });
  });

  it('answers a stranger with 403 REPORT.NOT_ASSIGNED_TO_YOU', () => {
    // Act + Assess
    expectForbidden(() => accept(assignedReport(), otherWorker, NOW), 'REPORT.NOT_ASSIGNED_TO_YOU');
  });

  it('answers a past assignee, after escalation, with 409 REPORT.MOVED_ON naming the new tier', () => {
    // Prepare
    const { report: atVillage, at: escalatedAt } = escalatedTo('village');

    // Act
    const error = expectConflict(() => accept(atVillage, worker, escalatedAt), 'REPORT.MOVED_ON');

    // Assess
    expect(error.details).toEqual({ tier: 'village', status: 'assigned' });
  });

  it('answers 409 REPORT.MOVED_ON when the client saw another tier, even for the current assignee', () => {
    // Prepare
    const { report: atVillage, at: escalatedAt } = escalatedTo('village');

    // Act + Assess
    expectConflict(() => accept(atVillage, villageAdmin, escalatedAt, { expectedTier: 'grid' }), 'REPORT.MOVED_ON');
  });

  it('accepts when the client saw the current tier', () => {
    // Prepare
    const { report: atVillage, at: escalatedAt } = escalatedTo('village');

    // Act
    const change = accept(atVillage, villageAdmin, escalatedAt, { expectedTier: 'village' });

    // Assess
    expect(change.report.status).toBe('accepted');
    expect(change.event.tier).toBe('village');
  });
});

describe('resolve (办结)', () => {
  it('refuses a report that was not accepted yet with 409 REPORT.NOT_ACCEPTED', () => {
    // Act + Assess
    expectConflict(() => resolve(assignedReport(), worker, NOW), 'REPORT.NOT_ACCEPTED');
  });

  it('resolves an accepted report and keeps the waiting task’s token until the next wait replaces it (a lost wake-up stays repairable)', () => {
    // Prepare
    const accepted = withWaitingTask(acceptedReport(), { token: 'tok-1', tierSeq: 1, phase: 'complete' });
    const now = secondsAfter(NOW, 3 * HOUR);

    // Act
    const change = resolve(accepted, worker, now, { note: '已搭建简易便桥' });

    // Assess
    expectCommittedAfter(accepted, change, now);
    expect(change.report).toMatchObject({
      status: 'resolved',
      resolvedAt: now.toISOString(),
      waiting: { token: 'tok-1', tierSeq: 1, phase: 'complete' },
    });
    expect(change.event).toMatchObject({ type: 'resolved', note: '已搭建简易便桥', actor: { id: worker.id } });
  });

  it('answers a second resolve with 409 REPORT.ALREADY_RESOLVED', () => {
    // Prepare
    const resolved = resolve(acceptedReport(), worker, NOW).report;

    // Act + Assess
    expectConflict(() => resolve(resolved, worker, NOW), 'REPORT.ALREADY_RESOLVED');
  });

  it('answers a stranger with 403 and a past assignee with 409', () => {
    // Prepare
    const { report: atVillage, at: escalatedAt } = escalatedTo('village');
    const accepted = accept(atVillage, villageAdmin, escalatedAt).report;

    // Act + Assess
    expectForbidden(() => resolve(accepted, otherWorker, escalatedAt), 'REPORT.NOT_ASSIGNED_TO_YOU');
    expectConflict(() => resolve(accepted, worker, escalatedAt), 'REPORT.MOVED_ON');
  });
});

describe('escalate on timeout', () => {
  it('refuses before the accept deadline with 409 REPORT.NOT_OVERDUE', () => {
    // Prepare
    const assigned = assignedReport();

    // Act + Assess
    expectConflict(
      () => escalate(assigned, { kind: 'timeout' }, assignmentFor('village'), deadlinesFor('village'), at(assigned, 'acceptBy', -1)),
      'REPORT.NOT_OVERDUE',
    );
  });

  it('moves an unaccepted report to the village and charges the accept breach to the grid', () => {
    // Prepare
    const assigned = assignedReport();
    const now = at(assigned, 'acceptBy');
    const villageDeadlines = deadlinesFor('village', now);

    // Act
    const change = escalate(assigned, { kind: 'timeout' }, assignmentFor('village'), villageDeadlines, now);

    // Assess
    expectCommittedAfter(assigned, change, now);
    expect(change.report).toMatchObject({
      status: 'assigned',
      tier: 'village',
      tierSeq: 2,
      ownerCode: VILLAGE.code,
      assignees: [{ id: villageAdmin.id }],
      acceptBy: villageDeadlines.acceptBy,
      completeBy: villageDeadlines.completeBy,
      acceptedAt: null,
      remindersSent: 0,
      waiting: null,
    });
    expect(change.report.pastAssigneeIds).toEqual([worker.id, villageAdmin.id]);
    expect(change.report.breaches).toEqual([
      { tier: 'grid', ownerCode: GRID.code, phase: 'accept', deadline: assigned.acceptBy, at: now.toISOString() },
    ]);
    expect(change.event).toMatchObject({
      type: 'escalated',
      tier: 'village',
      actor: SYSTEM_ACTOR,
      data: { from: 'grid', to: 'village', ownerCode: VILLAGE.code, assignees: [villageAdmin.name], reason: 'accept_overdue' },
    });
    expect(change.event).not.toHaveProperty('note');
  });

  it('does not escalate an accepted report whose accept deadline passed but whose complete deadline has not', () => {
    // Prepare
    const accepted = acceptedReport();

    // Act + Assess
    expectConflict(
      () => escalate(accepted, { kind: 'timeout' }, assignmentFor('village'), deadlinesFor('village'), at(accepted, 'acceptBy', 60)),
      'REPORT.NOT_OVERDUE',
    );
  });

  it('charges a missed complete deadline to the tier that accepted and did not finish', () => {
    // Prepare
    const accepted = acceptedReport();
    const now = at(accepted, 'completeBy', 1);

    // Act
    const change = escalate(accepted, { kind: 'timeout' }, assignmentFor('village'), deadlinesFor('village', now), now);

    // Assess
    expect(change.report.breaches).toEqual([
      { tier: 'grid', ownerCode: GRID.code, phase: 'complete', deadline: accepted.completeBy, at: now.toISOString() },
    ]);
    expect(change.report.status).toBe('assigned');
    expect(change.report.acceptedAt).toBeNull();
    expect(change.event.data).toMatchObject({ reason: 'complete_overdue' });
  });

  it('climbs grid → village → township → department → supervision, charging each tier once', () => {
    // Act
    const { report } = escalatedTo('supervision');

    // Assess
    expect(report.tier).toBe('supervision');
    expect(report.tierSeq).toBe(5);
    expect(report.ownerCode).toBe(COUNTY.code);
    expect(report.breaches.map((b) => [b.tier, b.ownerCode, b.phase])).toEqual([
      ['grid', GRID.code, 'accept'],
      ['village', VILLAGE.code, 'accept'],
      ['township', TOWNSHIP.code, 'accept'],
      ['department', DEPARTMENT_CODE, 'accept'],
    ]);
    expect(report.departmentCodes).toEqual([DEPARTMENT_CODE]);
    expect(report.pastAssigneeIds).toEqual([worker.id, villageAdmin.id, townshipAdmin.id, deptOfficer.id, countyAdmin.id]);
    expect(report.lastEvent.seq).toBe(6);
    expect(report.version).toBe(6);
  });

  it('refuses to escalate past county supervision with 409 REPORT.AT_TOP_TIER', () => {
    // Prepare
    const { report, at: reachedAt } = escalatedTo('supervision');
    const afterDeadline = at(report, 'acceptBy', 1);

    // Act + Assess
    expect(escalationTarget(report)).toBeNull();
    expectConflict(
      () => escalate(report, { kind: 'timeout' }, assignmentFor('supervision'), deadlinesFor('supervision', reachedAt), afterDeadline),
      'REPORT.AT_TOP_TIER',
    );
  });

  it.each([
    ['submitted', () => submittedReport()],
    ['resolved', () => resolve(acceptedReport(), worker, NOW).report],
    ['closed', () => close(resolve(acceptedReport(), worker, NOW).report, NOW).report],
  ] as const)('refuses a %s report with 409 REPORT.NOT_ESCALATABLE', (_status, make) => {
    // Prepare
    const report = make();

    // Act + Assess
    expectConflict(
      () => escalate(report, { kind: 'timeout' }, assignmentFor('village'), deadlinesFor('village'), secondsAfter(NOW, 400 * HOUR)),
      'REPORT.NOT_ESCALATABLE',
    );
  });
});

describe('escalate by hand (提交上级)', () => {
  it('moves the report up before any deadline, without a breach, recording who asked and why', () => {
    // Prepare
    const accepted = acceptedReport();
    const now = secondsAfter(NOW, 60);

    // Act
    const change = escalate(
      accepted,
      { kind: 'manual', actor: worker, note: '需村委协调' },
      assignmentFor('village'),
      deadlinesFor('village', now),
      now,
    );

    // Assess
    expect(change.report.tier).toBe('village');
    expect(change.report.status).toBe('assigned');
    expect(change.report.breaches).toEqual([]);
    expect(change.event).toMatchObject({
      type: 'escalated',
      note: '需村委协调',
      actor: { id: worker.id, name: worker.name, role: 'grid_worker' },
      data: { from: 'grid', to: 'village', reason: 'manual' },
    });
  });

  it('refuses at county supervision with 409 REPORT.AT_TOP_TIER', () => {
    // Prepare
    const { report, at: reachedAt } = escalatedTo('supervision');

    // Act + Assess
    expectConflict(
      () => escalate(report, { kind: 'manual', actor: countyAdmin }, assignmentFor('supervision'), deadlinesFor('supervision'), reachedAt),
      'REPORT.AT_TOP_TIER',
    );
  });
});

describe('supervise (督办)', () => {
  it('refuses a report below county supervision with 409 REPORT.NOT_SUPERVISED', () => {
    // Prepare
    const { report, at: reachedAt } = escalatedTo('department');

    // Act + Assess
    expectConflict(() => supervise(report, deadlinesFor('supervision'), at(report, 'acceptBy', 1)), 'REPORT.NOT_SUPERVISED');
    expect(reachedAt.getTime()).toBeLessThan(Date.parse(report.acceptBy ?? ''));
  });

  it('refuses before the supervision deadline with 409 REPORT.NOT_OVERDUE', () => {
    // Prepare
    const { report } = escalatedTo('supervision');

    // Act + Assess
    expectConflict(() => supervise(report, deadlinesFor('supervision'), at(report, 'acceptBy', -1)), 'REPORT.NOT_OVERDUE');
  });

  it('pushes the accept deadline of an unaccepted report, the complete deadline with it, and counts the reminder', () => {
    // Prepare
    const { report } = escalatedTo('supervision');
    const now = at(report, 'acceptBy', 5);
    const next = deadlinesFor('supervision', now);

    // Act
    const change = supervise(report, next, now);

    // Assess
    expectCommittedAfter(report, change, now);
    // The new 签收 deadline must not land after the 办结 one, so the complete deadline moves out too.
    expect(change.report).toMatchObject({
      acceptBy: next.acceptBy,
      completeBy: next.completeBy > (report.completeBy ?? '') ? next.completeBy : report.completeBy,
      remindersSent: 1,
      tier: 'supervision',
      tierSeq: 5,
    });
    expect(change.event).toMatchObject({
      type: 'supervised',
      tier: 'supervision',
      actor: SYSTEM_ACTOR,
      data: { reminder: 1, overdueSince: report.acceptBy },
    });
  });

  it('counts successive reminders 1, 2, 3', () => {
    // Prepare
    let { report } = escalatedTo('supervision');

    // Act
    const reminders: unknown[] = [];
    for (let i = 0; i < 3; i++) {
      const now = at(report, 'acceptBy');
      const change = supervise(report, deadlinesFor('supervision', now), now);
      reminders.push(change.event.data?.reminder);
      report = change.report;
    }

    // Assess
    expect(reminders).toEqual([1, 2, 3]);
    expect(report.remindersSent).toBe(3);
  });

  it('pushes the complete deadline of an accepted report', () => {
    // Prepare
    const { report: supervised, at: reachedAt } = escalatedTo('supervision');
    const accepted = accept(supervised, countyAdmin, reachedAt).report;
    const now = at(accepted, 'completeBy', 1);
    const next = deadlinesFor('supervision', now);

    // Act
    const change = supervise(accepted, next, now);

    // Assess
    expect(change.report.completeBy).toBe(next.completeBy);
    expect(change.report.acceptBy).toBe(accepted.acceptBy);
    expect(change.event.data).toMatchObject({ overdueSince: accepted.completeBy });
  });
});

describe('markNotified', () => {
  it('records a sent SMS as "notified" for the current tier', () => {
    // Prepare
    const assigned = assignedReport();

    // Act
    const change = markNotified(assigned, 1, { sent: [worker.name], failed: [], reminder: 0 }, NOW);

    // Assess
    expectCommittedAfter(assigned, change, NOW);
    expect(change.report.notifiedTierSeq).toBe(1);
    expect(change.event).toMatchObject({ type: 'notified', actor: SYSTEM_ACTOR, data: { sent: [worker.name], failed: [] } });
    expect(change.event.data).not.toHaveProperty('reminder');
  });

  it('records "sms_failed" when nobody could be texted', () => {
    // Act
    const change = markNotified(assignedReport(), 1, { sent: [], failed: [worker.name], reminder: 0 }, NOW);

    // Assess
    expect(change.event.type).toBe('sms_failed');
    expect(change.report.notifiedTierSeq).toBe(1);
  });

  it('records "notified" when at least one officer was texted', () => {
    // Prepare
    const assigned = assignedReport({ assignees: [worker, siblingWorker] });

    // Act
    const change = markNotified(assigned, 1, { sent: [worker.name], failed: [siblingWorker.name], reminder: 0 }, NOW);

    // Assess
    expect(change.event.type).toBe('notified');
    expect(change.event.data).toEqual({ sent: [worker.name], failed: [siblingWorker.name] });
  });

  it('numbers a reminder in the event data', () => {
    // Act
    const change = markNotified(assignedReport(), 1, { sent: [worker.name], failed: [], reminder: 2 }, NOW);

    // Assess
    expect(change.event.data).toMatchObject({ reminder: 2 });
  });

  it('refuses a stale tier with 409 REPORT.MOVED_ON', () => {
    // Prepare
    const { report: atVillage } = escalatedTo('village');

    // Act + Assess
    expectConflict(() => markNotified(atVillage, 1, { sent: [worker.name], failed: [], reminder: 0 }, NOW), 'REPORT.MOVED_ON');
  });
});

describe('close (销号)', () => {
  it('closes a resolved report as a system event', () => {
    // Prepare
    const resolved = withWaitingTask(resolve(acceptedReport(), worker, NOW).report, { token: 't', tierSeq: 1, phase: 'complete' });
    const now = secondsAfter(NOW, 60);

    // Act
    const change = close(resolved, now);

    // Assess
    expectCommittedAfter(resolved, change, now);
    expect(change.report).toMatchObject({ status: 'closed', closedAt: now.toISOString(), waiting: null });
    expect(change.event).toMatchObject({ type: 'closed', actor: SYSTEM_ACTOR });
    expect(isOpen(change.report)).toBe(false);
  });

  it.each([
    ['assigned', () => assignedReport()],
    ['accepted', () => acceptedReport()],
  ] as const)('refuses an %s report with 409 REPORT.NOT_RESOLVED', (_status, make) => {
    // Act + Assess
    expectConflict(() => close(make(), NOW), 'REPORT.NOT_RESOLVED');
  });
});

describe('comment', () => {
  it('adds a note to the timeline without changing the status', () => {
    // Prepare
    const assigned = assignedReport();

    // Act
    const change = comment(assigned, villageAdmin, '请尽快处理', NOW);

    // Assess
    expectCommittedAfter(assigned, change, NOW);
    expect(change.report.status).toBe('assigned');
    expect(change.event).toMatchObject({ type: 'commented', note: '请尽快处理', tier: 'grid', actor: { id: villageAdmin.id } });
  });
});

describe('public notes', () => {
  it('keeps every note internal unless the action says it is public', () => {
    // Act
    const change = comment(assignedReport(), villageAdmin, '当事人拒不配合，疑似精神异常', NOW);

    // Assess
    expect(change.event.public).toBeUndefined();
    expect(change.report.publicNote).toBeUndefined();
  });

  it('records a public note on its event and keeps it, with its time, on the report', () => {
    // Prepare
    const later = secondsAfter(NOW, 60);

    // Act
    const change = comment(assignedReport(), villageAdmin, '已协调施工队', later, { public: true });

    // Assess
    expect(change.event).toMatchObject({ type: 'commented', note: '已协调施工队', public: true });
    expect(change.report.publicNote).toEqual({ note: '已协调施工队', at: later.toISOString() });
  });

  it('keeps the latest public note through later internal notes and notes-free changes', () => {
    // Prepare
    const published = accept(assignedReport(), worker, NOW, { note: '已到现场', public: true }).report;

    // Act
    const internal = comment(published, worker, '内部：当事人情绪激动', secondsAfter(NOW, 60)).report;
    const resolved = resolve(internal, worker, secondsAfter(NOW, 120)).report;
    const closed = close(resolved, secondsAfter(NOW, 180)).report;

    // Assess
    expect(closed.publicNote).toEqual({ note: '已到现场', at: NOW.toISOString() });
  });

  it('replaces the public note with a newer public one: resolve, escalate by hand and return carry it too', () => {
    // Prepare
    const accepted = accept(assignedReport(), worker, NOW, { note: '已到现场', public: true }).report;

    // Act
    const resolved = resolve(accepted, worker, secondsAfter(NOW, 60), { note: '已修复', public: true });
    const escalated = escalate(
      assignedReport(),
      { kind: 'manual', actor: worker, note: '需村委协调', public: true },
      assignmentFor('village'),
      deadlinesFor('village'),
      NOW,
    );

    // Assess
    expect(resolved.report.publicNote?.note).toBe('已修复');
    expect(resolved.event.public).toBe(true);
    expect(escalated.report.publicNote?.note).toBe('需村委协调');
    expect(escalated.event).toMatchObject({ type: 'escalated', public: true });
  });

  it('has nothing to publish when the action carries no note', () => {
    // Act
    const change = accept(assignedReport(), worker, NOW, { public: true });

    // Assess
    expect(change.event.public).toBeUndefined();
    expect(change.report.publicNote).toBeUndefined();
  });
});

describe('withWaitingTask', () => {
  it('parks the task token with a new version but no timeline event', () => {
    // Prepare
    const assigned = assignedReport();

    // Act
    const parked = withWaitingTask(assigned, { token: 'tok-9', tierSeq: 1, phase: 'accept' });

    // Assess
    expect(parked.waiting).toEqual({ token: 'tok-9', tierSeq: 1, phase: 'accept' });
    expect(parked.version).toBe(assigned.version + 1);
    expect(parked.lastEvent).toEqual(assigned.lastEvent);
    expect(assigned.waiting).toBeNull();
  });

  it('leaves the next event number gap-free', () => {
    // Prepare
    const parked = withWaitingTask(assignedReport(), { token: 'tok-9', tierSeq: 1, phase: 'accept' });

    // Act
    const change = accept(parked, worker, NOW);

    // Assess
    expect(change.event.seq).toBe(3);
    expect(change.report.version).toBe(4);
  });
});

describe('the timeline', () => {
  it('numbers every event 1, 2, 3… without gaps and bumps the version once per change', () => {
    // Prepare
    const minute = (m: number) => secondsAfter(NOW, m * 60);
    const events: TimelineEvent[] = [];
    const versions: number[] = [];
    const record = (change: Change) => {
      events.push(change.event);
      versions.push(change.report.version);
      return change.report;
    };

    // Act
    let report = record(newReport({ ...baseInput(), reporter: worker }, minute(0)));
    report = record(assignFirstTier(report, assignmentFor('grid'), deadlinesFor('grid', minute(1)), minute(1)));
    report = record(markNotified(report, 1, { sent: [worker.name], failed: [], reminder: 0 }, minute(2)));
    report = record(comment(report, villageAdmin, '请尽快处理', minute(3)));
    report = record(accept(report, worker, minute(4)));
    report = record(resolve(report, worker, minute(5)));
    report = record(close(report, minute(6)));

    // Assess
    expect(events.map((e) => e.seq)).toEqual([1, 2, 3, 4, 5, 6, 7]);
    expect(events.map((e) => e.type)).toEqual(['reported', 'assigned', 'notified', 'commented', 'accepted', 'resolved', 'closed']);
    expect(events.map((e) => e.at)).toEqual([0, 1, 2, 3, 4, 5, 6].map((m) => minute(m).toISOString()));
    expect(versions).toEqual([1, 2, 3, 4, 5, 6, 7]);
    expect(report.lastEvent).toEqual(events.at(-1));
  });

  it('never rewrites an earlier snapshot of the report', () => {
    // Prepare
    const assigned = assignedReport();
    const snapshot = structuredClone(assigned);

    // Act
    const accepted = accept(assigned, worker, NOW).report;
    resolve(accepted, worker, NOW);

    // Assess
    expect(assigned).toEqual(snapshot);
    expect(accepted.status).toBe('accepted');
  });
});

describe('currentDeadline and isOverdue', () => {
  it('races the accept deadline while assigned and the complete deadline once accepted', () => {
    // Prepare
    const assigned = assignedReport();
    const accepted = accept(assigned, worker, NOW).report;

    // Act + Assess
    expect(currentDeadline(assigned)).toBe(assigned.acceptBy);
    expect(currentDeadline(accepted)).toBe(accepted.completeBy);
    expect(currentDeadline(resolve(accepted, worker, NOW).report)).toBeNull();
  });

  it('is overdue from the deadline instant on, not a millisecond before', () => {
    // Prepare
    const assigned = assignedReport();
    const deadline = Date.parse(assigned.acceptBy ?? '');

    // Act + Assess
    expect(isOverdue(assigned, new Date(deadline - 1))).toBe(false);
    expect(isOverdue(assigned, new Date(deadline))).toBe(true);
  });
});

function baseInput() {
  return {
    id: 'R0123456789ABCDF',
    jurisdiction: JURISDICTION,
    category: 'safety_hazard',
    urgency: 'normal' as const,
    title: '电线上方枯树',
    description: '枯树压在电线上方，随时可能倒伏。',
    location: null,
    photos: [],
    occurredAt: null,
  };
}

describe('isLate (超期)', () => {
  it('is not late while the first deadline is ahead', () => {
    // Act + Assess
    expect(isLate(assignedReport(), NOW)).toBe(false);
  });

  it('is late once the current deadline passes', () => {
    // Prepare
    const assigned = assignedReport();

    // Act + Assess
    expect(isLate(assigned, at(assigned, 'acceptBy'))).toBe(true);
  });

  it('stays late after an escalation hands out fresh deadlines', () => {
    // Prepare
    const { report: atVillage, at: escalatedAt } = escalatedTo('village');

    // Act + Assess
    expect(isOverdue(atVillage, escalatedAt)).toBe(false);
    expect(isLate(atVillage, escalatedAt)).toBe(true);
  });

  it('is not late after a manual escalation made in time', () => {
    // Prepare
    const assigned = assignedReport();
    const moved = escalate(assigned, { kind: 'manual', actor: worker }, assignmentFor('village'), deadlinesFor('village'), NOW).report;

    // Act + Assess
    expect(isLate(moved, NOW)).toBe(false);
  });

  it('stays late when a tier past its deadline hands the report up by hand', () => {
    // Prepare: an hour after the grid's accept deadline, before the workflow's own escalation ran
    const assigned = assignedReport();
    const late = secondsAfter(new Date(Date.parse(assigned.acceptBy ?? '')), HOUR);

    // Act
    const moved = escalate(
      assigned,
      { kind: 'manual', actor: worker },
      assignmentFor('village'),
      deadlinesFor('village', late),
      late,
    ).report;

    // Assess
    expect(moved.breaches).toEqual([expect.objectContaining({ tier: 'grid', phase: 'accept', deadline: assigned.acceptBy })]);
    expect(isLate(moved, late)).toBe(true);
  });

  it('is no longer late once resolved or closed, even with breaches on record', () => {
    // Prepare
    const { report: atVillage, at: escalatedAt } = escalatedTo('village');
    const resolved = resolve(accept(atVillage, villageAdmin, escalatedAt).report, villageAdmin, escalatedAt).report;
    const closed = close(resolved, escalatedAt).report;

    // Act + Assess
    expect(resolved.breaches).toHaveLength(1);
    expect(isLate(resolved, escalatedAt)).toBe(false);
    expect(isLate(closed, escalatedAt)).toBe(false);
  });

  it('is never late before it is assigned', () => {
    // Act + Assess
    expect(isLate(submittedReport(), secondsAfter(NOW, 1000 * HOUR))).toBe(false);
  });
});

import { describe, expect, it } from 'vitest';
import { canRead } from '#core/access.ts';
import {
  actOnLane,
  asSeenByDepartment,
  escalateLane,
  lanesOf,
  markLaneNotified,
  nextLaneStep,
  type Summons,
  settleLanesOnResolve,
  whistle,
} from '#core/assignments.ts';
import { readerActions } from '#core/reader-actions.ts';
import { markNotified, type Report } from '#core/report.ts';
import { planReminders } from '#core/report-clocks.ts';
import { decideNextStep } from '#core/workflow-step.ts';
import {
  asAssignee,
  assignedReport,
  countyAdmin,
  DEPARTMENT_CODE,
  deptOfficer,
  NOW,
  OTHER_DEPARTMENT_CODE,
  otherDeptOfficer,
  secondsAfter,
  thrownBy,
  townshipAdmin,
} from './fixtures.ts';

const at = (seconds: number) => secondsAfter(NOW, seconds).toISOString();
const summons = (code: string, officer = deptOfficer, checkIn = 600): Summons => ({
  ownerCode: code,
  ownerName: code,
  assignees: [asAssignee(officer)],
  checkInBy: at(checkIn),
  acceptBy: at(3600),
  completeBy: at(7200),
});

/** A grid report, texted, with two departments whistled and texted. */
function whistled(): Report {
  let report = assignedReport();
  report = markNotified(report, report.tierSeq, { sent: ['x'], failed: [], reminder: 0 }, NOW).report;
  report = whistle(report, townshipAdmin, [summons(DEPARTMENT_CODE), summons(OTHER_DEPARTMENT_CODE, otherDeptOfficer, 300)], NOW).report;
  report = markLaneNotified(report, 1, { sent: ['a'], failed: [] }, NOW).report;
  return markLaneNotified(report, 2, { sent: ['b'], failed: [] }, NOW).report;
}

describe('lanes of a whistled report', () => {
  it('presents the tier and every department in one shape, each with its own sequence number', () => {
    // Act
    const lanes = lanesOf(whistled());

    // Assess
    expect(lanes.map((l) => [l.seq, l.tier, l.status])).toEqual([
      [0, 'grid', 'checked_in'],
      [1, 'department', 'summoned'],
      [2, 'department', 'summoned'],
    ]);
  });

  it('refuses to summon a department that already has an open lane', () => {
    // Act
    const error = thrownBy(() => whistle(whistled(), townshipAdmin, [summons(DEPARTMENT_CODE)], NOW));

    // Assess
    expect(error).toMatchObject({ code: 'WHISTLE.ALREADY_SUMMONED' });
  });

  it('refuses to summon the department that holds the tier', () => {
    // Prepare
    const atDepartment = { ...assignedReport(), tier: 'department' as const, ownerCode: DEPARTMENT_CODE };

    // Act
    const error = thrownBy(() => whistle(atDepartment, townshipAdmin, [summons(DEPARTMENT_CODE)], NOW));

    // Assess
    expect(error).toMatchObject({ code: 'WHISTLE.ALREADY_SUMMONED' });
  });

  it('waits for the earliest lane deadline, and the Advance waits for it too', () => {
    // Act
    const step = nextLaneStep(whistled(), NOW);
    // The tier's reminders are planned first (none here), as the Advance does before it waits.
    const decision = decideNextStep(planReminders(whistled(), { accept: [], complete: [] }, NOW), NOW);

    // Assess: the 300 s check-in of the second lane comes before the tier's deadline
    expect(step).toEqual({ kind: 'wait', until: at(300) });
    expect(decision).toMatchObject({ next: 'await_accept', waitMs: 300_000 });
  });

  it('escalates a lane that misses its check-in, charging it alone, then reminds (督办) at each later miss', () => {
    // Prepare
    const late = secondsAfter(NOW, 300);
    const due = nextLaneStep(whistled(), late);

    // Act
    const escalated = escalateLane(whistled(), 2, [asAssignee(countyAdmin)], at(1200), late);
    const again = escalateLane(escalated.report, 2, [], at(2400), secondsAfter(NOW, 1200));

    // Assess
    expect(due).toEqual({ kind: 'escalate', seq: 2 });
    const lane = escalated.report.assignments?.[1];
    expect(lane).toMatchObject({ breaches: [expect.objectContaining({ phase: 'check_in', deadline: at(300) })], checkInBy: at(1200) });
    expect(lane?.supervisors.map((s) => s.id)).toEqual([countyAdmin.id]);
    expect(escalated.event).toMatchObject({ type: 'escalated', data: { department: OTHER_DEPARTMENT_CODE, reason: 'check_in_overdue' } });
    expect(escalated.report.assignments?.[0]?.breaches).toEqual([]);
    expect(escalated.report.breaches).toEqual([]);
    expect(again.event.type).toBe('supervised');
    expect(again.report.assignments?.[1]?.breaches).toHaveLength(1);
    expect(nextLaneStep(escalated.report, late)).toEqual({ kind: 'wait', until: at(600) });
  });

  it('walks a lane through 报到, 签收 and 办结 by its own officers only', () => {
    // Prepare
    let report = whistled();

    // Act
    const outsider = thrownBy(() => actOnLane(report, DEPARTMENT_CODE, 'check_in', otherDeptOfficer, NOW));
    const tooEarly = thrownBy(() => actOnLane(report, DEPARTMENT_CODE, 'accept', deptOfficer, NOW));
    for (const action of ['check_in', 'accept', 'resolve'] as const)
      report = actOnLane(report, DEPARTMENT_CODE, action, deptOfficer, NOW).report;

    // Assess
    expect(outsider).toMatchObject({ code: 'REPORT.NOT_ASSIGNED_TO_YOU' });
    expect(tooEarly).toMatchObject({ code: 'LANE.NOT_CHECKED_IN' });
    expect(report.assignments?.[0]?.status).toBe('resolved');
    expect(report.lastEvent).toMatchObject({ type: 'resolved', tier: 'department', data: { department: DEPARTMENT_CODE } });
  });

  it('keeps the tier from resolving while a lane is open, unless one suffices and one has resolved', () => {
    // Prepare
    let report = whistled();
    const allOpen = thrownBy(() => settleLanesOnResolve(report, 'any', NOW));
    for (const action of ['check_in', 'accept', 'resolve'] as const)
      report = actOnLane(report, DEPARTMENT_CODE, action, deptOfficer, NOW).report;

    // Act
    const underAll = thrownBy(() => settleLanesOnResolve(report, 'all', NOW));
    const underAny = settleLanesOnResolve(report, 'any', NOW);

    // Assess
    expect(allOpen).toMatchObject({ code: 'REPORT.DEPARTMENTS_OPEN' });
    expect(underAll).toMatchObject({ code: 'REPORT.DEPARTMENTS_OPEN', details: { departments: [OTHER_DEPARTMENT_CODE] } });
    expect(underAny?.map((l) => l.status)).toEqual(['resolved', 'withdrawn']);
  });

  it('ends a returned lane, which then counts as finished', () => {
    // Act
    const noReason = thrownBy(() => actOnLane(whistled(), OTHER_DEPARTMENT_CODE, 'return', otherDeptOfficer, NOW));
    const returned = actOnLane(whistled(), OTHER_DEPARTMENT_CODE, 'return', otherDeptOfficer, NOW, { note: '不属本局' });

    // Assess
    expect(noReason).toMatchObject({ code: 'ACTION.REASON_REQUIRED' });
    expect(returned.report.assignments?.[1]?.status).toBe('returned');
    expect(returned.event.data).toMatchObject({ department: OTHER_DEPARTMENT_CODE, to: 'grid' });
  });

  it('lets a summoned department read the report, offers its lane actions to its officers alone, and lists its lane as its own', () => {
    // Act
    const forOfficer = readerActions(otherDeptOfficer, whistled());
    const forAdmin = readerActions(townshipAdmin, whistled());
    const seen = asSeenByDepartment(whistled(), OTHER_DEPARTMENT_CODE);

    // Assess
    expect(canRead(otherDeptOfficer, whistled())).toBe(true);
    expect(canRead(otherDeptOfficer, assignedReport())).toBe(false);
    expect(forOfficer.laneActions).toEqual([{ department: OTHER_DEPARTMENT_CODE, seq: 2, actions: ['check_in', 'return'] }]);
    expect(forOfficer.mayWhistle).toBe(false);
    expect(forAdmin).toMatchObject({ mayWhistle: true, laneActions: [] });
    expect(seen).toMatchObject({ tier: 'department', status: 'assigned', ownerCode: OTHER_DEPARTMENT_CODE, acceptBy: at(300) });
  });
});

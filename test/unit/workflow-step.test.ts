import { describe, expect, it } from 'vitest';
import { MAX_WAIT_SECONDS } from '#core/deadlines.ts';
import { accept, close, markNotified, type Report, resolve, withWaitingTask } from '#core/report.ts';
import { planReminders, recordReminder, suspend, VISIT_SMS_REMINDER } from '#core/report-clocks.ts';
import { review, withVisit } from '#core/report-visit.ts';
import { decideNextStep, waitingTokenIsStale } from '#core/workflow-step.ts';
import {
  acceptedReport,
  asAssignee,
  assignedReport,
  countyAdmin,
  escalatedTo,
  HOUR,
  NOW,
  secondsAfter,
  submittedReport,
  townshipAdmin,
  villageAdmin,
  worker,
} from './fixtures.ts';

/**
 * The report after the current tier's SMS went out, so the workflow waits instead of notifying;
 * with a reminder plan (none by default, as a policy without 催办) so it does not plan first.
 */
function notified(report: Report, reminders: { accept: string[]; complete: string[] } = { accept: [], complete: [] }): Report {
  return planReminders(markNotified(report, report.tierSeq, { sent: ['x'], failed: [], reminder: 0 }, NOW).report, reminders, NOW);
}

describe('decideNextStep', () => {
  it('assigns a submitted report', () => {
    // Act
    const decision = decideNextStep(submittedReport(), NOW);

    // Assess
    expect(decision).toEqual({ next: 'assign', tierSeq: 0, waitSeconds: 0, waitMs: 0 });
  });

  it('notifies a freshly assigned tier before waiting on it', () => {
    // Act
    const decision = decideNextStep(assignedReport(), NOW);

    // Assess
    expect(decision).toEqual({ next: 'notify', tierSeq: 1, waitSeconds: 0, waitMs: 0 });
  });

  it('notifies again after an escalation, even when the earlier tier was notified', () => {
    // Prepare
    const { report, at } = escalatedTo('village');

    // Act
    const decision = decideNextStep(report, at);

    // Assess
    expect(report.notifiedTierSeq).toBe(0);
    expect(decision).toMatchObject({ next: 'notify', tierSeq: 2 });
  });

  it('waits for 签收 until the accept deadline', () => {
    // Prepare
    const report = notified(assignedReport());

    // Act
    const decision = decideNextStep(report, NOW);

    // Assess
    expect(decision).toEqual({ next: 'await_accept', tierSeq: 1, waitSeconds: 2 * HOUR, waitMs: 2 * HOUR * 1000 });
  });

  it('waits for 办结 until the complete deadline once accepted', () => {
    // Prepare
    const report = accept(notified(assignedReport()), worker, NOW).report;
    const now = secondsAfter(NOW, HOUR);

    // Act
    const decision = decideNextStep(report, now);

    // Assess
    expect(decision).toEqual({ next: 'await_complete', tierSeq: 1, waitSeconds: 23 * HOUR, waitMs: 23 * HOUR * 1000 });
  });

  it('escalates once the accept deadline has passed', () => {
    // Prepare
    const report = notified(assignedReport());

    // Act
    const decision = decideNextStep(report, new Date(Date.parse(report.acceptBy ?? '')));

    // Assess
    expect(decision).toEqual({ next: 'escalate', tierSeq: 1, waitSeconds: 0, waitMs: 0 });
  });

  it('escalates an accepted report once the complete deadline has passed', () => {
    // Prepare
    const report = notified(acceptedReport());

    // Act
    const decision = decideNextStep(report, secondsAfter(new Date(Date.parse(report.completeBy ?? '')), 1));

    // Assess
    expect(decision.next).toBe('escalate');
  });

  it('supervises instead of escalating when the county supervision deadline passes', () => {
    // Prepare
    const report = notified(escalatedTo('supervision').report);

    // Act
    const decision = decideNextStep(report, secondsAfter(new Date(Date.parse(report.acceptBy ?? '')), 1));

    // Assess
    expect(decision).toEqual({ next: 'supervise', tierSeq: 5, waitSeconds: 0, waitMs: 0 });
  });

  it('waits at county supervision while its deadline is still ahead', () => {
    // Prepare
    const { report: supervised, at } = escalatedTo('supervision');
    const report = notified(accept(supervised, countyAdmin, at).report);

    // Act
    const decision = decideNextStep(report, at);

    // Assess
    expect(decision.next).toBe('await_complete');
    expect(decision.waitSeconds).toBeGreaterThanOrEqual(1);
  });

  it('sets up the return visit (回访) of a resolved report, then waits for it until its deadline', () => {
    // Prepare
    const resolved = resolve(acceptedReport(), worker, NOW).report;
    const visiting = withVisit(resolved, [asAssignee(villageAdmin)], secondsAfter(NOW, 3 * HOUR), NOW);

    // Act + Assess
    expect(decideNextStep(resolved, NOW)).toEqual({ next: 'assign_visit', tierSeq: 1, waitSeconds: 0, waitMs: 0 });
    expect(decideNextStep(visiting, NOW)).toEqual({ next: 'await_complete', tierSeq: 1, waitSeconds: 3 * HOUR, waitMs: 3 * HOUR * 1000 });
    expect(decideNextStep(visiting, secondsAfter(NOW, 3 * HOUR)).next).toBe('close');
  });

  it('wakes a visit’s wait for the retry of the visitor’s failed SMS, and ignores a retry of the tier’s own rounds', () => {
    // Prepare
    const visiting = withVisit(resolve(acceptedReport(), worker, NOW).report, [asAssignee(villageAdmin)], secondsAfter(NOW, 3 * HOUR), NOW);
    const retryAt = secondsAfter(NOW, 60).toISOString();
    const visitRetry = { ...visiting, smsRetry: { tierSeq: 1, reminder: VISIT_SMS_REMINDER, attempts: 1, at: retryAt } };
    const tierRetry = { ...visiting, smsRetry: { tierSeq: 1, reminder: 0, attempts: 1, at: retryAt } };

    // Act + Assess
    expect(decideNextStep(visitRetry, NOW)).toEqual({ next: 'await_complete', tierSeq: 1, waitSeconds: 60, waitMs: 60_000 });
    expect(decideNextStep(visitRetry, secondsAfter(NOW, 60)).next).toBe('resend');
    expect(decideNextStep(tierRetry, secondsAfter(NOW, 60))).toMatchObject({ next: 'await_complete', waitSeconds: 3 * HOUR - 60 });
  });

  it('closes after a satisfied visit and reopens after an unsatisfied one', () => {
    // Prepare
    const visiting = withVisit(resolve(acceptedReport(), worker, NOW).report, [asAssignee(villageAdmin)], secondsAfter(NOW, HOUR), NOW);

    // Act + Assess
    expect(decideNextStep(review(visiting, villageAdmin, { satisfied: true }, NOW).report, NOW).next).toBe('close');
    expect(decideNextStep(review(visiting, villageAdmin, { satisfied: false }, NOW).report, NOW).next).toBe('reopen');
  });

  it('plans the tier’s reminders (催办) before waiting, wakes for the next one, and reminds when it is due', () => {
    // Prepare
    const unplanned = markNotified(assignedReport(), 1, { sent: ['x'], failed: [], reminder: 0 }, NOW).report;
    const planned = notified(assignedReport(), { accept: [secondsAfter(NOW, HOUR).toISOString()], complete: [] });
    const due = secondsAfter(NOW, HOUR);
    const reminded = recordReminder(planned, { phase: 'accept', reminder: 101, index: 1 }, { sent: ['x'], failed: [] }, due).report;

    // Act + Assess
    expect(decideNextStep(unplanned, NOW).next).toBe('plan_reminders');
    expect(decideNextStep(planned, NOW)).toEqual({ next: 'await_accept', tierSeq: 1, waitSeconds: HOUR, waitMs: HOUR * 1000 });
    expect(decideNextStep(planned, due).next).toBe('remind');
    // Once sent, the wait runs to the deadline (2 h), not to the reminder again.
    expect(decideNextStep(reminded, due)).toMatchObject({ next: 'await_accept', waitSeconds: HOUR });
  });

  it('waits without a deadline while suspended (挂起): only the resume wakes it', () => {
    // Prepare
    const suspended = suspend(notified(assignedReport()), townshipAdmin, '等待鉴定', { accept: 100 }, NOW).report;

    // Act
    const decision = decideNextStep(suspended, secondsAfter(NOW, 100 * HOUR));

    // Assess
    expect(decision).toMatchObject({ next: 'await_accept', waitSeconds: MAX_WAIT_SECONDS });
  });

  it('is done with a closed report', () => {
    // Prepare
    const closed = close(resolve(acceptedReport(), worker, NOW).report, NOW).report;

    // Act
    const decision = decideNextStep(closed, secondsAfter(NOW, 1000 * HOUR));

    // Assess
    expect(decision).toEqual({ next: 'done', tierSeq: 1, waitSeconds: 0, waitMs: 0 });
  });

  it('asks for at least one second when less than a second is left', () => {
    // Prepare
    const report = notified(assignedReport());
    const now = new Date(Date.parse(report.acceptBy ?? '') - 300);

    // Act
    const decision = decideNextStep(report, now);

    // Assess
    expect(decision).toEqual({ next: 'await_accept', tierSeq: 1, waitSeconds: 1, waitMs: 300 });
  });

  it('caps a wait longer than the timer ceiling, so the state machine loops instead', () => {
    // Prepare
    const farAway = secondsAfter(NOW, 90 * 24 * HOUR).toISOString();
    const report = notified(assignedReport({ deadlines: { acceptBy: farAway, completeBy: farAway } }));

    // Act
    const decision = decideNextStep(report, NOW);

    // Assess
    expect(decision).toEqual({ next: 'await_accept', tierSeq: 1, waitSeconds: MAX_WAIT_SECONDS, waitMs: MAX_WAIT_SECONDS * 1000 });
  });

  it('refuses a waiting report that has no deadline rather than waiting forever', () => {
    // Prepare
    const broken: Report = { ...notified(assignedReport()), acceptBy: null };

    // Act
    const decide = () => decideNextStep(broken, NOW);

    // Assess
    expect(decide).toThrow(/assigned without a deadline/);
  });
});

describe('a failed SMS waiting for its next try', () => {
  const failedAt = (report: Report, retryAt: Date) =>
    planReminders(
      markNotified(report, report.tierSeq, { sent: [], failed: ['覃宏'], reminder: 0 }, NOW, retryAt).report,
      { accept: [], complete: [] },
      NOW,
    );

  it('ends the wait at the retry when it comes before the deadline, then resends', () => {
    // Prepare
    const report = failedAt(assignedReport(), secondsAfter(NOW, 60));

    // Act
    const before = decideNextStep(report, NOW);
    const due = decideNextStep(report, secondsAfter(NOW, 60));

    // Assess
    expect(report.smsRetry).toEqual({ tierSeq: 1, reminder: 0, attempts: 1, at: secondsAfter(NOW, 60).toISOString() });
    expect(before).toMatchObject({ next: 'await_accept', waitMs: 60_000 });
    expect(due).toMatchObject({ next: 'resend', tierSeq: 1 });
  });

  it('never delays escalation: a passed deadline wins over a due retry, and a retry of an earlier tier is ignored', () => {
    // Prepare
    const report = failedAt(assignedReport(), secondsAfter(NOW, 60));
    const { report: escalated, at } = escalatedTo('village');

    // Act
    const late = decideNextStep(report, secondsAfter(NOW, 3 * HOUR));
    const otherTier = decideNextStep(
      notified({ ...escalated, smsRetry: { tierSeq: 1, reminder: 0, attempts: 1, at: NOW.toISOString() } }),
      at,
    );

    // Assess
    expect(late.next).toBe('escalate');
    expect(otherTier.next).toBe('await_accept');
  });
});

describe('waitingTokenIsStale', () => {
  it('is false while the report waits in the phase and tier its token was parked for, true once an action moved it on', () => {
    // Prepare
    const parked = withWaitingTask(notified(assignedReport()), { token: 'tok', tierSeq: 1, phase: 'accept' });
    const acceptedMeanwhile = accept(parked, worker, secondsAfter(NOW, 60)).report;

    // Act + Assess
    expect(waitingTokenIsStale(parked, secondsAfter(NOW, 60))).toBe(false);
    expect(waitingTokenIsStale(acceptedMeanwhile, secondsAfter(NOW, 60))).toBe(true);
    expect(waitingTokenIsStale(notified(assignedReport()), NOW)).toBe(false);
  });

  it('is true once the deadline the token was parked against moved (a calendar change whose wake-up was lost)', () => {
    // Prepare
    const report = notified(assignedReport());
    const parked = withWaitingTask(report, { token: 'tok', tierSeq: 1, phase: 'accept', deadline: report.acceptBy });
    const movedEarlier = { ...parked, acceptBy: secondsAfter(NOW, 600).toISOString() };

    // Act + Assess
    expect(waitingTokenIsStale(parked, secondsAfter(NOW, 60))).toBe(false);
    expect(waitingTokenIsStale(movedEarlier, secondsAfter(NOW, 60))).toBe(true);
  });
});

/**
 * What the escalation state machine does next for a report, decided from the stored report alone.
 * Every workflow step ends with this decision, and a resumed execution starts with it, so an
 * execution restarted after a crash continues exactly where the data says it was.
 */
import { nextLaneStep } from './assignments.ts';
import { MAX_WAIT_SECONDS, waitUntil } from './deadlines.ts';
import { currentDeadline, type Report } from './report.ts';
import { dueReminder, isSuspended, needsReminderPlan, nextReminderAt, unsentManualReminder, VISIT_SMS_REMINDER } from './report-clocks.ts';
import { currentVisit } from './report-visit.ts';

export const NEXT_STEPS = [
  'assign',
  'notify',
  'await_accept',
  'await_complete',
  'escalate',
  'supervise',
  'resend',
  'review',
  'close',
  'done',
  // Something is due on a summoned department's lane (core/assignments.ts nextLaneStep).
  'lane',
  // Issue 11: reminders (催办) before each deadline, and the return visit (回访) before closing.
  'plan_reminders',
  'remind',
  'assign_visit',
  'reopen',
] as const;
export type NextStep = (typeof NEXT_STEPS)[number];

export interface StepDecision {
  next: NextStep;
  tierSeq: number;
  /** Whole seconds for the state machine's TimeoutSecondsPath (≥ 1, capped below timer overflow). */
  waitSeconds: number;
  /** The same wait in milliseconds, for engines that can time more finely than a second. */
  waitMs: number;
}

const awaitOf = (report: Report): NextStep => (report.status === 'assigned' ? 'await_accept' : 'await_complete');

/** When this tier's failed SMS are next tried, if any are pending. */
function pendingSmsRetry(report: Report): string | null {
  const retry = report.smsRetry;
  return retry && retry.tierSeq === report.tierSeq ? retry.at : null;
}

/** The decisions an Advance stops at to wait; it does every other decision itself, in a row. */
export const WAIT_STEPS: ReadonlySet<NextStep> = new Set(['await_accept', 'await_complete']);

/**
 * What the previous definition (Advance → Route → Await → Advance…) routes on: wait in a phase,
 * continue as a fresh execution, or end.
 */
export interface AdvanceDecision {
  next: 'await' | 'continue' | 'done';
  tierSeq: number;
  phase: 'accept' | 'complete';
  waitSeconds: number;
  waitMs: number;
  /** Advances this execution has made: past a limit it continues as a fresh one (history limit). */
  rounds: number;
}

/**
 * A Standard execution holds at most 25,000 history events and runs at most a year. One round
 * (Advance, Route, Await) writes about 14 events, a few more with retries: after this many rounds,
 * or this long, the execution hands the report to a fresh one.
 */
export const MAX_ROUNDS_PER_EXECUTION = 1000;
export const MAX_EXECUTION_AGE_MS = 300 * 86_400_000;

export function mustContinueAsNew(rounds: number, startedAt: string | undefined, now: Date): boolean {
  if (rounds >= MAX_ROUNDS_PER_EXECUTION) return true;
  return startedAt !== undefined && now.getTime() - Date.parse(startedAt) >= MAX_EXECUTION_AGE_MS;
}

export function decideNextStep(report: Report, now: Date): StepDecision {
  const base = { tierSeq: report.tierSeq, waitSeconds: 0, waitMs: 0 };
  switch (report.status) {
    case 'closed':
    case 'merged':
      return { ...base, next: 'done' };
    case 'resolved':
      return decideVisitStep(report, now);
    case 'submitted':
      return { ...base, next: 'assign' };
    case 'assigned':
    case 'accepted': {
      if (report.notifiedTierSeq < report.tierSeq) return { ...base, next: 'notify' };
      // Suspended (挂起): no deadline runs, the lanes' included; the resume wakes the wait.
      if (isSuspended(report)) return { ...base, waitMs: MAX_WAIT_SECONDS * 1000, waitSeconds: MAX_WAIT_SECONDS, next: awaitOf(report) };
      const lane = nextLaneStep(report, now);
      if (lane.kind !== 'wait') return { ...base, next: 'lane' };
      const deadline = currentDeadline(report);
      if (deadline === null) throw new Error(`report ${report.id} is ${report.status} without a deadline`);
      // The wait ends at the earliest due instant of the tier and of every open lane.
      const wait = waitUntil(lane.until !== null && lane.until < deadline ? lane.until : deadline, now);
      if (wait.waitMs === 0 && Date.parse(deadline) <= now.getTime()) {
        return { ...base, next: report.tier === 'supervision' ? 'supervise' : 'escalate' };
      }
      if (unsentManualReminder(report) !== null) return { ...base, next: 'remind' };
      if (needsReminderPlan(report)) return { ...base, next: 'plan_reminders' };
      if (dueReminder(report, now) !== null) return { ...base, next: 'remind' };
      // A failed SMS of this tier is tried again when its time comes, and the wait ends for it.
      const retry = pendingSmsRetry(report);
      let soonest = wait;
      if (retry !== null) {
        const retryWait = waitUntil(retry, now);
        if (retryWait.waitMs === 0) return { ...base, next: 'resend' };
        if (retryWait.waitMs < soonest.waitMs) soonest = retryWait;
      }
      // The wait also ends for the next reminder (催办) before the deadline.
      const reminderAt = nextReminderAt(report);
      if (reminderAt !== null) {
        const reminderWait = waitUntil(reminderAt, now);
        if (reminderWait.waitMs < soonest.waitMs) soonest = reminderWait;
      }
      return { ...base, ...soonest, next: awaitOf(report) };
    }
  }
}

/**
 * A resolved report: set up its return visit (回访), then wait for it until its deadline; after
 * the visit close it (satisfied) or reopen it (not satisfied); unvisited by the deadline, close it.
 */
function decideVisitStep(report: Report, now: Date): StepDecision {
  const base = { tierSeq: report.tierSeq, waitSeconds: 0, waitMs: 0 };
  const visit = currentVisit(report);
  if (!visit) return { ...base, next: 'assign_visit' };
  if (visit.outcome === 'satisfied') return { ...base, next: 'close' };
  if (visit.outcome === 'unsatisfied') return { ...base, next: 'reopen' };
  const wait = waitUntil(visit.dueBy, now);
  if (wait.waitMs === 0) return { ...base, next: 'close' };
  // The visitor's SMS that failed is tried again when its time comes (the tier's own rounds are over).
  const retry = report.smsRetry?.reminder === VISIT_SMS_REMINDER ? pendingSmsRetry(report) : null;
  if (retry !== null) {
    const retryWait = waitUntil(retry, now);
    if (retryWait.waitMs === 0) return { ...base, next: 'resend' };
    if (retryWait.waitMs < wait.waitMs) return { ...base, ...retryWait, next: 'await_complete' };
  }
  return { ...base, ...wait, next: 'await_complete' };
}

/**
 * The stored state has moved past the task that waits on the report: an action was stored but the
 * wake-up was lost (the process died between the two, or SendTaskSuccess failed), a retry of a
 * failed SMS is due (any wake-up that was due and did not come: the Cycle step may have died between parking the token and setting its wake-up), or the deadline it sleeps towards moved (a working-calendar change). The reconciler wakes such a token; a token that no longer waits is ignored.
 */
export function waitingTokenIsStale(report: Report, now: Date): boolean {
  const waiting = report.waiting;
  if (!waiting) return false;
  const decision = decideNextStep(report, now);
  const expected: NextStep = waiting.phase === 'accept' ? 'await_accept' : 'await_complete';
  const deadlineMoved = waiting.deadline !== undefined && waiting.deadline !== currentDeadline(report);
  return decision.next !== expected || report.tierSeq !== waiting.tierSeq || deadlineMoved;
}

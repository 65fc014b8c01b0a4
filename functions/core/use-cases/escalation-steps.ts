/**
 * The steps of the escalation state machine (functions/workflows/escalation.asl.json). Each step
 * re-reads the report, does its one job if it still applies, and returns the next-step decision,
 * so a retried, duplicated or resumed step is harmless.
 */

import type { LeaseStore } from '#ports/leases.ts';
import type { SmsRecord } from '#ports/reports.ts';
import { type ActionLink, linkIdFor, linkToken, linkUrl, maskLinks } from '../links.ts';
import {
  assignFirstTier,
  currentDeadline,
  escalate,
  escalationTarget,
  isOverdue,
  markNotified,
  type Report,
  supervise,
  type WaitingTask,
  withSmsRetry,
  withWaitingTask,
} from '../report.ts';
import { closeAfterVisit } from '../report-visit.ts';
import { type SmsRound, smsRound } from '../sms-rounds.ts';
import {
  type AdvanceDecision,
  decideNextStep,
  mustContinueAsNew,
  type NextStep,
  type StepDecision,
  WAIT_STEPS,
  waitingTokenIsStale,
} from '../workflow-step.ts';
import { assignVisitOp, planRemindersOp, remindOp, reopenOp, withReminderPlan } from './clock-steps.ts';
import type { Deps } from './deps.ts';
import { tellMergedReporters } from './duplicates.ts';
import { loadReport, mutateReport } from './mutate.ts';
import { deadlinesFor, policyFor, resolveAssignment } from './routing.ts';
import { deliverOnce, smsRetryAt } from './sms-delivery.ts';
import { laneOp, policyWhistle } from './whistle.ts';

export interface StepInput {
  reportId: string;
  tierSeq?: number;
}

function decide(deps: Deps, report: Report): StepDecision {
  return decideNextStep(report, deps.clock.now());
}

/** The previous definition's entry (Load): also re-writes the last event in case a crash lost it. */
export async function loadStep(deps: Deps, input: StepInput): Promise<StepDecision> {
  const report = await loadReport(deps, input.reportId);
  await deps.reports.repairEvent(report.id, report.lastEvent);
  return decide(deps, report);
}

/**
 * Sends one SMS, with its action link, unless this exact SMS (tier, reminder, recipient) was
 * claimed before. A send that crashed mid-way stays 'sending' and is not repeated: at most once
 * beats twice for an officer. The link is a credential: it goes to the provider (the recipient's
 * phone) and nowhere else; the stored record keeps the text with the link masked. A retry rebuilds
 * the same link, since its id and signature are derived from the SMS key and the report.
 */
async function sendOnce(
  deps: Deps,
  report: Report,
  recipientId: string,
  reminder: number,
  text: (name: string, link: string) => string,
  /** When the link stops working, if not at the tier's last deadline (a return visit's link lives until the visit's). */
  expiresAt?: string,
) {
  const person = await deps.directory.getPerson(recipientId);
  if (!person) return { name: recipientId, outcome: 'failed' as const };
  const key = `${String(report.tierSeq).padStart(3, '0')}#${String(reminder).padStart(3, '0')}#${person.id}`;
  const now = deps.clock.now();
  const { secret, baseUrl } = deps.linkSettings;
  const link: ActionLink = {
    id: linkIdFor(secret, key, report.id),
    reportId: report.id,
    personId: person.id,
    tierSeq: report.tierSeq,
    // The link lives as long as the tier may still act: until its last deadline.
    expiresAt:
      expiresAt ??
      [report.acceptBy, report.completeBy]
        .filter((d): d is string => d !== null)
        .sort()
        .at(-1) ??
      now.toISOString(),
    createdAt: now.toISOString(),
  };
  await deps.links.putLink(link);
  // Built in memory for the provider; what is stored is the same text with the link masked.
  const fullText = text(person.name, linkUrl(baseUrl(), linkToken(secret, link)));
  const record: SmsRecord = {
    reportId: report.id,
    key,
    tierSeq: report.tierSeq,
    reminder,
    toId: person.id,
    toName: person.name,
    ...(person.title ? { toTitle: person.title } : {}),
    to: person.phone,
    text: maskLinks(fullText),
    status: 'sending',
    attempts: 1,
    at: now.toISOString(),
  };
  const listing = {
    path: [report.countyCode, report.townshipCode, report.villageCode, report.gridCode],
    reportTitle: report.title,
    tier: report.tier,
  };
  return { name: person.name, outcome: await deliverOnce(deps, record, listing, fullText) };
}

export { SMS_RETRY_BACKOFF_SECONDS } from './sms-delivery.ts';

async function sendToAssignees(deps: Deps, report: Report, reminder: number) {
  return sendRound(deps, report, reminder, smsRound(report, reminder) ?? { to: [], text: () => '' });
}

/** Sends one round (sms-rounds.ts) to each of its recipients at most once: who was texted, whose SMS failed. */
async function sendRound(deps: Deps, report: Report, reminder: number, round: SmsRound) {
  const results = await Promise.all(round.to.map((id) => sendOnce(deps, report, id, reminder, round.text, round.expiresAt)));
  return {
    // 'skipped' was claimed before (sent, or sending when a process died): not sent twice.
    sent: results.filter((r) => r.outcome !== 'failed').map((r) => r.name),
    failed: results.filter((r) => r.outcome === 'failed').map((r) => r.name),
  };
}

/*
 * The operations the steps are made of. Each takes the report as last read, does its one job if it
 * still applies (conditional on the version read, re-deciding after a conflict) and returns the
 * report as stored afterwards, so a retried or duplicated step is harmless and the next operation
 * needs no read of its own.
 */

async function assignOp(deps: Deps, known: Report): Promise<Report> {
  const { after } = await mutateReport(
    deps,
    known.id,
    async (report) => {
      if (report.status !== 'submitted') return null;
      const now = deps.clock.now();
      // The report keeps the policy version it starts with: its deadlines, now and at every tier.
      const policy = await policyFor(deps, report);
      const pinned = { ...report, policyVersion: policy.version ?? 1, pinnedPolicy: policy };
      const assignment = await resolveAssignment(deps, pinned, policy.startTier ?? 'grid');
      const change = assignFirstTier(pinned, assignment, await deadlinesFor(deps, pinned, assignment.tier, now), now);
      // A policy that whistles departments at once (emergency): the next operation summons them.
      const whistled = await policyWhistle(deps, pinned);
      return whistled.length > 0 ? { ...change, report: { ...change.report, pendingWhistle: whistled } } : change;
    },
    known,
    // The tier's notification (notifyOp) writes the report next: the projection's mark goes with it.
    { markWithNextWrite: true },
  );
  return after;
}

/**
 * Texts every assignee of the tier. A failed SMS never blocks escalation: it is recorded (on its
 * SMS record and the timeline) and tried again on the tier's later advances, with backoff.
 */
async function notifyOp(deps: Deps, known: Report, park?: ParkOnWrite): Promise<Report> {
  const { sent, failed } = await sendToAssignees(deps, known, 0);
  const now = deps.clock.now();
  const { after } = await mutateReport(
    deps,
    known.id,
    async (report) => {
      if (report.tierSeq !== known.tierSeq || report.notifiedTierSeq >= report.tierSeq) return null;
      const change = markNotified(
        report,
        report.tierSeq,
        { sent, failed, reminder: 0 },
        now,
        failed.length > 0 ? smsRetryAt(deps, 1, now) : undefined,
      );
      // A notification is followed by a wait: the park goes with this write (one write, one version).
      const parked = park ? await park.apply(change.report, report) : null;
      return parked ? { ...change, report: parked } : change;
    },
    known,
  );
  return after;
}

/** The Cycle's park, offered to the write of an operation that a wait follows (notifyOp). */
interface ParkOnWrite {
  /**
   * Applied to a report about to be written (`changed`, decided on `current` as read): the report
   * parked on the task when its next step is a wait, else null (the write goes as it was, and the
   * Cycle parks with a write of its own).
   */
  apply: (changed: Report, current: Report) => Promise<Report | null>;
  /** The wait a stored report is parked for by `apply`, or null when no such write went through. */
  parkedFor: (report: Report) => StepDecision | null;
}

/** Sends this tier's failed SMS again (those already sent are skipped by their claim). */
async function resendOp(deps: Deps, known: Report): Promise<Report> {
  const retry = known.smsRetry;
  if (!retry || retry.tierSeq !== known.tierSeq) return known;
  // A round that no longer applies (its phase or visit is over) is not sent again: the retry ends.
  const round = smsRound(known, retry.reminder);
  const { failed } = round ? await sendRound(deps, known, retry.reminder, round) : { failed: [] };
  const now = deps.clock.now();
  const attempts = retry.attempts + 1;
  const nextAt = failed.length > 0 ? smsRetryAt(deps, attempts, now) : undefined;
  const { after } = await mutateReport(
    deps,
    known.id,
    (report) => {
      const current = report.smsRetry;
      if (!current || current.tierSeq !== retry.tierSeq || current.attempts !== retry.attempts) return null;
      return withSmsRetry(report, nextAt ? { ...retry, attempts, at: nextAt.toISOString() } : null);
    },
    known,
  );
  return after;
}

/** A deadline passed: hand the report to the next tier and charge the breach to this one. */
async function escalateOp(deps: Deps, known: Report): Promise<Report> {
  const { after } = await mutateReport(
    deps,
    known.id,
    async (report) => {
      const now = deps.clock.now();
      const target = escalationTarget(report);
      if (report.tierSeq !== known.tierSeq || target === null || !isOverdue(report, now)) return null;
      const assignment = await resolveAssignment(deps, report, target);
      return escalate(report, { kind: 'timeout' }, assignment, await deadlinesFor(deps, report, assignment.tier, now), now);
    },
    known,
    // As after assignOp: the new tier's notification (notifyOp) writes the report next and carries the projection's mark.
    { markWithNextWrite: true },
  );
  return after;
}

/** Past every tier: the county keeps reminding (督办) until someone acts. */
async function superviseOp(deps: Deps, known: Report): Promise<Report> {
  const { after, changed } = await mutateReport(
    deps,
    known.id,
    async (report) => {
      const now = deps.clock.now();
      if (report.tierSeq !== known.tierSeq || report.tier !== 'supervision' || !isOverdue(report, now)) return null;
      return supervise(report, await deadlinesFor(deps, report, 'supervision', now), now);
    },
    known,
  );
  if (!changed) return after;
  const { failed } = await sendToAssignees(deps, after, after.remindersSent);
  const now = deps.clock.now();
  const retryAt = failed.length > 0 ? smsRetryAt(deps, 1, now) : undefined;
  if (!retryAt) return after;
  const scheduled = await mutateReport(
    deps,
    after.id,
    (report) =>
      report.tierSeq === after.tierSeq && report.remindersSent === after.remindersSent
        ? withSmsRetry(report, { tierSeq: report.tierSeq, reminder: report.remindersSent, attempts: 1, at: retryAt.toISOString() })
        : null,
    after,
  );
  return scheduled.after;
}

async function closeOp(deps: Deps, known: Report): Promise<Report> {
  const { after } = await mutateReport(
    deps,
    known.id,
    // After the return visit (回访), or when its deadline passed without one (closed flagged not visited).
    (report) =>
      report.status === 'resolved' && decideNextStep(report, deps.clock.now()).next === 'close'
        ? closeAfterVisit(report, deps.clock.now())
        : null,
    known,
  );
  return after;
}

/** Runs the one operation a decision asks for; waits and the end are not operations. */
function operationFor(next: NextStep): ((deps: Deps, report: Report) => Promise<Report>) | null {
  switch (next) {
    case 'assign':
      return assignOp;
    case 'notify':
      return notifyOp;
    case 'resend':
      return resendOp;
    case 'escalate':
      return escalateOp;
    case 'supervise':
      return superviseOp;
    case 'review':
    case 'close':
      return closeOp;
    case 'lane':
      return laneOp;
    case 'plan_reminders':
      return planRemindersOp;
    case 'remind':
      return (deps, report) => remindOp(deps, report, sendRound);
    case 'assign_visit':
      return (deps, report) => assignVisitOp(deps, report, sendRound);
    case 'reopen':
      return reopenOp;
    default:
      return null;
  }
}

/** More operations than any report can need in one go (assign, notify, resend, escalate…): a loop is a bug. */
const MAX_OPERATIONS_PER_ADVANCE = 16;

export interface AdvanceInput {
  reportId: string;
  /** The decision of the previous advance of this execution, if any (its rounds count on). */
  previous?: { rounds?: number } | null;
  /** When this execution started ($$.Execution.StartTime). */
  startedAt?: string;
}

/**
 * Does everything that is due now — assign, notify, resend failed SMS, escalate, remind, whistle,
 * visit, close — one operation after another on the report as each stored it, and stops at a wait
 * or at the end. Also the entry of new and resumed executions, so it first re-writes the last
 * event in case a crash lost it (from the second on: filing stores the first before the report).
 */
async function settle(
  deps: Deps,
  reportId: string,
  /**
   * The caller's next write is the park (cycleStep), which stores the reminder plan too: a plan
   * followed by a wait is then left to it instead of costing a write of its own.
   */
  options: { planWithPark?: boolean; park?: ParkOnWrite } = {},
): Promise<{ report: Report; decision: StepDecision }> {
  let report = await loadReport(deps, reportId);
  if (report.lastEvent.seq > 1) await deps.reports.repairEvent(report.id, report.lastEvent);
  for (let done = 0; done < MAX_OPERATIONS_PER_ADVANCE; done++) {
    const decision = decideNextStep(report, deps.clock.now());
    if (decision.next === 'done') {
      // Whatever closed it (an op here, an action, a return visit), a closed report's merged duplicates' reporters are told.
      await tellMergedReporters(deps, report);
      return { report, decision };
    }
    if (WAIT_STEPS.has(decision.next)) return { report, decision };
    if (decision.next === 'plan_reminders' && options.planWithPark) {
      const planned = decideNextStep(await withReminderPlan(deps, report), deps.clock.now());
      if (WAIT_STEPS.has(planned.next)) return { report, decision: planned };
    }
    if (decision.next === 'notify' && options.park) {
      report = await notifyOp(deps, report, options.park);
      // Parked with the notification: the step has decided to wait, and the token is stored for
      // actions to wake. Deciding again here could act on a clock that moved since.
      const parkedFor = options.park.parkedFor(report);
      if (parkedFor) return { report, decision: parkedFor };
      continue;
    }
    const operation = operationFor(decision.next);
    if (!operation) throw new Error(`advance cannot do "${decision.next}"`);
    report = await operation(deps, report);
  }
  throw new Error(`report ${reportId} did not settle in ${MAX_OPERATIONS_PER_ADVANCE} operations`);
}

const phaseOf = (decision: StepDecision): 'accept' | 'complete' => (decision.next === 'await_accept' ? 'accept' : 'complete');

/**
 * The previous definition's working step (Advance → Route → Await → Advance…): settles the report
 * and returns where to stop, for its Route: a wait in a phase, a fresh execution, or the end.
 */
export async function advanceStep(deps: Deps, input: AdvanceInput): Promise<AdvanceDecision> {
  const rounds = (input.previous?.rounds ?? 0) + 1;
  const { decision } = await settle(deps, input.reportId);
  const base = { tierSeq: decision.tierSeq, waitSeconds: decision.waitSeconds, waitMs: decision.waitMs, rounds };
  if (decision.next === 'done') return { ...base, next: 'done', phase: 'accept' };
  if (mustContinueAsNew(rounds, input.startedAt, deps.clock.now())) return { ...base, next: 'continue', phase: 'accept' };
  return { ...base, next: 'await', phase: phaseOf(decision) };
}

export interface CycleInput {
  reportId: string;
  /** The token of the task this step runs in (Cycle is a `.waitForTaskToken` task). */
  taskToken: string;
  /** This execution's name ($$.Execution.Name): its cycles are counted on the parked token. */
  execution?: string;
  /** When this execution started ($$.Execution.StartTime). */
  startedAt?: string;
}

/** What the Cycle step did with its task: parked it until a wake-up, or completed it (done, continue). */
export type CycleResult = { parked: true; wakeAt: string } | { parked: false; outcome: 'done' | 'continue' };

/**
 * The current definition's one step (Cycle → Route → Cycle…), run inside a `.waitForTaskToken`
 * task: settles the report, then either completes its own task (done, or continue as a fresh
 * execution near the history or age limit) or parks the task's token on the report and sets a
 * wake-up for the next due instant (deadline, reminder, SMS retry, lane, visit). An action stored
 * after the park wakes the token through the report; one stored between the settle and the park
 * makes the park's conditional write re-decide, and the step settles again instead of sleeping.
 */
export async function cycleStep(deps: Deps, input: CycleInput): Promise<CycleResult> {
  for (let attempt = 0; attempt < MAX_OPERATIONS_PER_ADVANCE; attempt++) {
    // What the park that rode on the notification's write stored, if one did (see parkedOn).
    let rodeAlong: { version: number; wakeAt: string; decision: StepDecision; replaced: WaitingTask | null } | undefined;
    const parkedFor = (stored: Report) =>
      rodeAlong &&
      stored.version === rodeAlong.version &&
      stored.waiting?.token === input.taskToken &&
      stored.waiting.wakeAt === rodeAlong.wakeAt
        ? rodeAlong.decision
        : null;
    const { report, decision } = await settle(deps, input.reportId, {
      planWithPark: true,
      park: {
        apply: async (changed, current) => {
          const parked = await parkedOn(deps, input, changed, current);
          rodeAlong = parked
            ? { wakeAt: parked.wakeAt, decision: parked.decision, version: parked.report.version, replaced: current.waiting }
            : undefined;
          return parked?.report ?? null;
        },
        parkedFor,
      },
    });
    if (rodeAlong && parkedFor(report)) {
      const replaced = rodeAlong.replaced;
      if (replaced && replaced.token !== input.taskToken) await deps.workflow.cancelWake(replaced.token);
      await deps.workflow.wakeAt(input.taskToken, new Date(rodeAlong.wakeAt));
      return { parked: true, wakeAt: rodeAlong.wakeAt };
    }
    const previous = report.waiting;
    // The wake-up of the wait that just ended (an action came first) is not needed any more.
    if (previous && previous.token !== input.taskToken) await deps.workflow.cancelWake(previous.token);
    if (decision.next === 'done') {
      await deps.workflow.finish(input.taskToken, { next: 'done' });
      return { parked: false, outcome: 'done' };
    }
    if (mustContinueAsNew(roundsOf(previous, input), input.startedAt, deps.clock.now())) {
      await deps.workflow.finish(input.taskToken, { next: 'continue' });
      return { parked: false, outcome: 'continue' };
    }
    let wakeAt = '';
    const { changed } = await mutateReport(
      deps,
      report.id,
      async (current) => {
        const parked = await parkedOn(deps, input, current, current, decision);
        if (!parked) return null;
        wakeAt = parked.wakeAt;
        return parked.report;
      },
      report,
    );
    if (!changed) continue;
    await deps.workflow.wakeAt(input.taskToken, new Date(wakeAt));
    return { parked: true, wakeAt };
  }
  throw new Error(`report ${input.reportId} kept changing while its cycle tried to park`);
}

/** This execution's cycles so far, this one included (a wait parked by another execution starts the count again). */
function roundsOf(previous: WaitingTask | null | undefined, input: CycleInput): number {
  return (previous?.execution !== undefined && previous.execution === input.execution ? (previous.rounds ?? 0) : 0) + 1;
}

/**
 * The report parked on the Cycle's task with its wake-up, or null when its next step is not a
 * wait (or not the wait `expected`, when the Cycle decided one before), or when the execution
 * must hand over to a fresh one instead. `changed` is what is about to be written (`current`
 * itself, or a change decided on it); the reminder plan settle left to the park goes in too, and
 * the whole counts as one version over `current`.
 */
async function parkedOn(
  deps: Deps,
  input: CycleInput,
  changed: Report,
  current: Report,
  expected?: StepDecision,
): Promise<{ report: Report; wakeAt: string; decision: StepDecision } | null> {
  const now = deps.clock.now();
  const rounds = roundsOf(current.waiting, input);
  if (mustContinueAsNew(rounds, input.startedAt, now)) return null;
  const planned = await withReminderPlan(deps, changed);
  const still = decideNextStep(planned, now);
  if (!WAIT_STEPS.has(still.next)) return null;
  if (expected && (still.next !== expected.next || current.tierSeq !== expected.tierSeq)) return null;
  const wakeAt = new Date(now.getTime() + still.waitMs).toISOString();
  const report = withWaitingTask(
    { ...planned, version: current.version },
    {
      token: input.taskToken,
      tierSeq: planned.tierSeq,
      phase: phaseOf(still),
      deadline: currentDeadline(planned),
      wakeAt,
      ...(input.execution ? { execution: input.execution } : {}),
      rounds,
    },
  );
  return { report, wakeAt, decision: still };
}

/**
 * Near the history or age limit of a Standard execution: a fresh execution (same report, a new
 * name) takes over from the stored state once this one ends.
 */
export async function continueStep(deps: Deps, input: StepInput): Promise<{ continued: true }> {
  await deps.workflow.startSuccessor(input.reportId);
  return { continued: true };
}

/*
 * The steps of the previous definition (escalation.v1.asl.json: Load → Route → one Task per step).
 * Executions started before a deploy keep the definition they started with, so the function keeps
 * serving them; each is one operation and the old decision. A decision the old Route does not know
 * ('resend') ends such an execution in its UnknownStep, and the reconciler resumes the report on
 * the current definition.
 */

export async function assignStep(deps: Deps, input: StepInput): Promise<StepDecision> {
  return decide(deps, await assignOp(deps, await loadReport(deps, input.reportId)));
}

/** The previous definition's Notify: as notifyOp, for the tier it was asked about. */
export async function notifyStep(deps: Deps, input: StepInput): Promise<StepDecision> {
  const report = await loadReport(deps, input.reportId);
  if (report.tierSeq !== input.tierSeq || report.notifiedTierSeq >= report.tierSeq) return decide(deps, report);
  return decide(deps, await notifyOp(deps, report));
}

/** The previous definition's RecordSmsFailure: notifyOp already recorded every failure. */
export async function notifyFailedStep(deps: Deps, input: StepInput): Promise<StepDecision> {
  return loadStep(deps, input);
}

export interface AwaitInput extends StepInput {
  phase: 'accept' | 'complete';
  taskToken: string;
}

/**
 * Parks the task token on the report so an action can wake it. If the report already moved on
 * (accepted, escalated, resolved) the token is woken at once and the state machine re-reads.
 * `wakeAt` is when the wait must end by itself (the deadline, or a capped slice of a long one),
 * decided now, from the report as stored when the token was parked.
 */
export async function awaitStep(deps: Deps, input: AwaitInput): Promise<{ waiting: boolean; wakeAt: string | null }> {
  const expected = input.phase === 'accept' ? 'await_accept' : 'await_complete';
  let wakeAt: string | null = null;
  const { changed } = await mutateReport(deps, input.reportId, (report) => {
    const now = deps.clock.now();
    const decision = decideNextStep(report, now);
    if (decision.next !== expected || report.tierSeq !== input.tierSeq) return null;
    wakeAt = new Date(now.getTime() + decision.waitMs).toISOString();
    return withWaitingTask(report, {
      token: input.taskToken,
      tierSeq: input.tierSeq,
      phase: input.phase,
      deadline: currentDeadline(report),
    });
  });
  if (!changed) await deps.workflow.wake(input.taskToken);
  return { waiting: changed, wakeAt: changed ? wakeAt : null };
}

export async function escalateStep(deps: Deps, input: StepInput): Promise<StepDecision> {
  const report = await loadReport(deps, input.reportId);
  return decide(deps, report.tierSeq === input.tierSeq ? await escalateOp(deps, report) : report);
}

export async function superviseStep(deps: Deps, input: StepInput): Promise<StepDecision> {
  const report = await loadReport(deps, input.reportId);
  return decide(deps, report.tierSeq === input.tierSeq ? await superviseOp(deps, report) : report);
}

export async function closeStep(deps: Deps, input: StepInput): Promise<StepDecision> {
  const closed = await closeOp(deps, await loadReport(deps, input.reportId));
  await tellMergedReporters(deps, closed);
  return decide(deps, closed);
}

/**
 * How long a new report is left to the request that filed it: that request stores the report,
 * then starts its execution, within one API call (10 s on AWS). A report filed after the reconciler
 * listed the running executions would otherwise look orphaned and get a second execution.
 */
export const RECONCILE_GRACE_MS = 2 * 60_000;

/** The reconciler's lease: two overlapping runs could each resume the same report. */
export const RECONCILER_LEASE = 'reconciler';

export interface ReconcileDeps extends Deps {
  leases: LeaseStore;
}

export interface ReconcileOutcome {
  open: number;
  resumed: string[];
  /** Running reports whose waiting task was woken because their stored state had moved past it. */
  woken: string[];
  /** Another run holds the lease: this one did nothing, and the next scheduled run tries again. */
  skipped: boolean;
}

/**
 * The reconciler (scheduled on AWS): every open report whose execution is not running — it failed,
 * was stopped, or never started because a process died between storing and starting — gets a fresh
 * execution that continues from the stored state. Runs may overlap (a slow run and the next
 * schedule, a retry): only the holder of the lease works, and the lease lasts no longer than the
 * run may (`until`: the invocation's own deadline), so a run that dies frees it by itself. Reports
 * younger than the grace period are left to the next run. A running report whose stored state has
 * moved past its waiting task (a lost wake-up) has that task woken.
 */
export async function reconcileExecutions(deps: ReconcileDeps, run: { holder: string; until: Date }): Promise<ReconcileOutcome> {
  if (!(await deps.leases.acquire(RECONCILER_LEASE, run.holder, run.until, deps.clock.now()))) {
    return { open: 0, resumed: [], woken: [], skipped: true };
  }
  try {
    const listedAt = deps.clock.now().getTime();
    const running = await deps.workflow.runningReportIds();
    const resumed: string[] = [];
    const woken: string[] = [];
    let open = 0;
    for await (const report of deps.reports.openReports()) {
      open++;
      if (running.has(report.id)) {
        const waiting = report.report?.waiting;
        if (waiting && report.report && waitingTokenIsStale(report.report, deps.clock.now())) {
          await deps.workflow.wake(waiting.token);
          woken.push(report.id);
        }
        continue;
      }
      if (Date.parse(report.createdAt) > listedAt - RECONCILE_GRACE_MS) continue;
      await deps.workflow.start(report.id, { resume: true });
      resumed.push(report.id);
    }
    return { open, resumed, woken, skipped: false };
  } finally {
    await deps.leases.release(RECONCILER_LEASE, run.holder, deps.clock.now());
  }
}

/** After a restart: every open report gets a fresh execution that continues from stored state. */
export async function resumeOpenReports(deps: Deps): Promise<number> {
  let count = 0;
  for await (const { id } of deps.reports.openReports()) {
    await deps.workflow.start(id, { resume: true });
    count++;
  }
  return count;
}

/** What every Task of escalation.asl.json sends: the step to run and the report it is for. */
export interface StepPayload {
  step: string;
  reportId: string;
  tierSeq?: number;
  phase?: 'accept' | 'complete';
  taskToken?: string;
  /** Advance: the execution's state input; its `decision` is the previous advance's (absent on the first). */
  state?: { decision?: { rounds?: number } | null };
  /** Advance, Cycle: when this execution started. */
  startedAt?: string;
  /** Cycle: the execution's name. */
  execution?: string;
}

/** The one entry behind every Task: the Lambda on AWS and the local interpreter both call it. */
export async function runEscalationStep(deps: Deps, payload: StepPayload): Promise<unknown> {
  const input = { reportId: payload.reportId, tierSeq: payload.tierSeq };
  switch (payload.step) {
    case 'cycle':
      return cycleStep(deps, {
        reportId: payload.reportId,
        taskToken: payload.taskToken ?? '',
        execution: payload.execution,
        startedAt: payload.startedAt,
      });
    case 'advance':
      return advanceStep(deps, { reportId: payload.reportId, previous: payload.state?.decision, startedAt: payload.startedAt });
    case 'continue':
      return continueStep(deps, input);
    case 'load':
      return loadStep(deps, input);
    case 'assign':
      return assignStep(deps, input);
    case 'notify':
      return notifyStep(deps, input);
    case 'notify_failed':
      return notifyFailedStep(deps, input);
    case 'await':
      return awaitStep(deps, {
        ...input,
        tierSeq: payload.tierSeq ?? 0,
        phase: payload.phase ?? 'accept',
        taskToken: payload.taskToken ?? '',
      });
    case 'escalate':
      return escalateStep(deps, input);
    case 'supervise':
      return superviseStep(deps, input);
    case 'close':
      return closeStep(deps, input);
    default:
      throw new Error(`unknown escalation step "${payload.step}"`);
  }
}

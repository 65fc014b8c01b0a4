/**
 * The steps of the escalation state machine (functions/workflows/escalation.asl.json). Each step
 * re-reads the report, does its one job if it still applies, and returns the next-step decision,
 * so a retried, duplicated or resumed step is harmless.
 */

import type { LeaseStore } from '#ports/leases.ts';
import type { SmsRecord } from '#ports/reports.ts';
import { SmsSendFailedError } from '../errors.ts';
import { type ActionLink, linkIdFor, linkToken, linkUrl, maskLinks } from '../links.ts';
import { maskPhone } from '../people.ts';
import {
  assignFirstTier,
  close,
  escalate,
  escalationTarget,
  isOverdue,
  markNotified,
  type Report,
  supervise,
  withWaitingTask,
} from '../report.ts';
import { assignmentSms, supervisionReminderSms } from '../sms-templates.ts';
import { decideNextStep, type StepDecision } from '../workflow-step.ts';
import type { Deps } from './deps.ts';
import { loadReport, mutateReport } from './mutate.ts';
import { deadlinesFor, resolveAssignment } from './routing.ts';

export interface StepInput {
  reportId: string;
  tierSeq?: number;
}

function decide(deps: Deps, report: Report): StepDecision {
  return decideNextStep(report, deps.clock.now());
}

/** Entry and re-entry point: also re-writes the last event in case a crash lost it. */
export async function loadStep(deps: Deps, input: StepInput): Promise<StepDecision> {
  const report = await loadReport(deps, input.reportId);
  await deps.reports.repairEvent(report.id, report.lastEvent);
  return decide(deps, report);
}

export async function assignStep(deps: Deps, input: StepInput): Promise<StepDecision> {
  const { after } = await mutateReport(deps, input.reportId, async (report) => {
    if (report.status !== 'submitted') return null;
    const now = deps.clock.now();
    const assignment = await resolveAssignment(deps, report, 'grid');
    return assignFirstTier(report, assignment, await deadlinesFor(deps, report, assignment.tier, now), now);
  });
  return decide(deps, after);
}

/**
 * Sends one SMS, with its action link, unless this exact SMS (tier, reminder, recipient) was
 * claimed before. A send that crashed mid-way stays 'sending' and is not repeated: at most once
 * beats twice for an officer. The link is a credential: it goes to the provider (the recipient's
 * phone) and nowhere else; the stored record keeps the text with the link masked. A retry rebuilds
 * the same link, since its id and signature are derived from the SMS key and the report.
 */
async function sendOnce(deps: Deps, report: Report, recipientId: string, reminder: number, text: (name: string, link: string) => string) {
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
      [report.acceptBy, report.completeBy]
        .filter((d): d is string => d !== null)
        .sort()
        .at(-1) ?? now.toISOString(),
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
  if (!(await deps.reports.claimSms(record, listing))) return { name: person.name, outcome: 'skipped' as const };
  try {
    const { providerMessageId } = await deps.sms.send({ to: record.to, text: fullText, reportId: report.id });
    await deps.reports.finishSms(report.id, record.key, { status: 'sent', providerMessageId });
    return { name: person.name, outcome: 'sent' as const };
  } catch (error) {
    // The provider's message may name the number; the record is read by others, so it is masked.
    const reason = String((error as Error).message ?? error).replaceAll(person.phone, maskPhone(person.phone));
    await deps.reports.finishSms(report.id, record.key, { status: 'failed', error: reason });
    return { name: person.name, outcome: 'failed' as const };
  }
}

/**
 * Texts every assignee of the current tier. If any SMS failed, throws Sms.SendFailed so the state
 * machine retries with backoff (already-sent recipients are skipped on the retry); when retries
 * run out the state machine calls `notifyFailedStep`, which records the failure and moves on.
 */
export async function notifyStep(deps: Deps, input: StepInput): Promise<StepDecision> {
  const report = await loadReport(deps, input.reportId);
  if (report.tierSeq !== input.tierSeq || report.notifiedTierSeq >= report.tierSeq) return decide(deps, report);
  const results = await Promise.all(
    report.assignees.map((a) => sendOnce(deps, report, a.id, 0, (name, link) => assignmentSms(report, name, link))),
  );
  const failed = results.filter((r) => r.outcome === 'failed').map((r) => r.name);
  if (failed.length > 0) throw new SmsSendFailedError(`SMS to ${failed.join('、')} failed`);
  return recordNotified(
    deps,
    input,
    results.map((r) => r.name),
    [],
  );
}

export async function notifyFailedStep(deps: Deps, input: StepInput): Promise<StepDecision> {
  const history = await deps.reports.getHistory(input.reportId);
  if (!history) return loadStep(deps, input);
  const mine = history.notifications.filter((n) => n.tierSeq === input.tierSeq && n.reminder === 0);
  return recordNotified(
    deps,
    input,
    mine.filter((n) => n.status === 'sent').map((n) => n.toName),
    mine.filter((n) => n.status !== 'sent').map((n) => n.toName),
  );
}

async function recordNotified(deps: Deps, input: StepInput, sent: string[], failed: string[]): Promise<StepDecision> {
  const { after } = await mutateReport(deps, input.reportId, (report) => {
    if (report.tierSeq !== input.tierSeq || report.notifiedTierSeq >= report.tierSeq) return null;
    return markNotified(report, report.tierSeq, { sent, failed, reminder: 0 }, deps.clock.now());
  });
  return decide(deps, after);
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
    return withWaitingTask(report, { token: input.taskToken, tierSeq: input.tierSeq, phase: input.phase });
  });
  if (!changed) await deps.workflow.wake(input.taskToken);
  return { waiting: changed, wakeAt: changed ? wakeAt : null };
}

/** A deadline passed: hand the report to the next tier and charge the breach to this one. */
export async function escalateStep(deps: Deps, input: StepInput): Promise<StepDecision> {
  const { after } = await mutateReport(deps, input.reportId, async (report) => {
    const now = deps.clock.now();
    const target = escalationTarget(report);
    if (report.tierSeq !== input.tierSeq || target === null || !isOverdue(report, now)) return null;
    const assignment = await resolveAssignment(deps, report, target);
    return escalate(report, { kind: 'timeout' }, assignment, await deadlinesFor(deps, report, assignment.tier, now), now);
  });
  return decide(deps, after);
}

/** Past every tier: the county keeps reminding (督办) until someone acts. */
export async function superviseStep(deps: Deps, input: StepInput): Promise<StepDecision> {
  const { after, changed } = await mutateReport(deps, input.reportId, async (report) => {
    const now = deps.clock.now();
    if (report.tierSeq !== input.tierSeq || report.tier !== 'supervision' || !isOverdue(report, now)) return null;
    return supervise(report, await deadlinesFor(deps, report, 'supervision', now), now);
  });
  if (changed) {
    await Promise.all(
      after.assignees.map((a) =>
        sendOnce(deps, after, a.id, after.remindersSent, (name, link) => supervisionReminderSms(after, name, link)),
      ),
    );
  }
  return decide(deps, after);
}

export async function closeStep(deps: Deps, input: StepInput): Promise<StepDecision> {
  const { after } = await mutateReport(deps, input.reportId, (report) =>
    report.status === 'resolved' ? close(report, deps.clock.now()) : null,
  );
  return decide(deps, after);
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
  /** Another run holds the lease: this one did nothing, and the next scheduled run tries again. */
  skipped: boolean;
}

/**
 * The reconciler (scheduled on AWS): every open report whose execution is not running — it failed,
 * was stopped, or never started because a process died between storing and starting — gets a fresh
 * execution that continues from the stored state. Runs may overlap (a slow run and the next
 * schedule, a retry): only the holder of the lease works, and the lease lasts no longer than the
 * run may (`until`: the invocation's own deadline), so a run that dies frees it by itself. Reports
 * younger than the grace period are left to the next run.
 */
export async function reconcileExecutions(deps: ReconcileDeps, run: { holder: string; until: Date }): Promise<ReconcileOutcome> {
  if (!(await deps.leases.acquire(RECONCILER_LEASE, run.holder, run.until, deps.clock.now()))) {
    return { open: 0, resumed: [], skipped: true };
  }
  try {
    const listedAt = deps.clock.now().getTime();
    const running = await deps.workflow.runningReportIds();
    const resumed: string[] = [];
    let open = 0;
    for await (const report of deps.reports.openReports()) {
      open++;
      if (running.has(report.id) || Date.parse(report.createdAt) > listedAt - RECONCILE_GRACE_MS) continue;
      await deps.workflow.start(report.id, { resume: true });
      resumed.push(report.id);
    }
    return { open, resumed, skipped: false };
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
}

/** The one entry behind every Task: the Lambda on AWS and the local interpreter both call it. */
export async function runEscalationStep(deps: Deps, payload: StepPayload): Promise<unknown> {
  const input = { reportId: payload.reportId, tierSeq: payload.tierSeq };
  switch (payload.step) {
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

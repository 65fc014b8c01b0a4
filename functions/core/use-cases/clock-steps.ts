/**
 * The Advance operations of issue 11's clocks and return visit: plan the tier's reminders, send a
 * due reminder (催办) or a manual 督办's SMS, set up the return visit (回访) and reopen after an
 * unsatisfied one. Like the other operations (escalation-steps.ts): each takes the report as last
 * read, does its job only if it still applies, and returns the report as stored afterwards.
 */
import { DEFAULT_REMINDER_FRACTIONS, type Tier } from '../policy.ts';
import type { Report } from '../report.ts';
import {
  dueReminder,
  needsReminderPlan,
  planReminders,
  recordReminder,
  unsentManualReminder,
  VISIT_SMS_REMINDER,
  withManualReminderSent,
} from '../report-clocks.ts';
import { chooseVisitors, closeAfterVisit, currentVisit, DEFAULT_VISIT_SECONDS, reopen, VISITOR_POSTS, withVisit } from '../report-visit.ts';
import { type SmsRound, smsRound } from '../sms-rounds.ts';
import { decideNextStep } from '../workflow-step.ts';
import type { Deps } from './deps.ts';
import { mutateReport } from './mutate.ts';
import { deadlinesFor, policyFor, policyTimeFor, postOfficers, resolveAssignment, scheduleFor } from './routing.ts';
import { retryAfterRound } from './sms-delivery.ts';

/** escalation-steps.ts sendRound: a round of SMS (sms-rounds.ts), each claimed before it is sent, at most once. */
export type SendRound = (deps: Deps, report: Report, reminder: number, round: SmsRound) => Promise<{ sent: string[]; failed: string[] }>;

/** The report with the retry of a round of SMS that just went out (retryAfterRound): a failed SMS is tried again. */
function withRetryAfter(deps: Deps, report: Report, reminder: number, failed: number): Report {
  const smsRetry = retryAfterRound(deps, report, reminder, failed, deps.clock.now());
  return smsRetry === report.smsRetry ? report : { ...report, smsRetry };
}

/**
 * The reminders before the tier's deadlines: the policy's schedule (scheduleFor) while the
 * deadlines are the ones it gave; after a deadline moved (延期, resume), the same fractions of the
 * window from the assignment to the new deadline, in policy time.
 */
async function remindersFor(deps: Deps, report: Report): Promise<{ accept: string[]; complete: string[] }> {
  const start = new Date(report.assignedAt ?? report.createdAt);
  const schedule = await scheduleFor(deps, report, report.tier, start);
  const policy = await policyFor(deps, report);
  const time = await policyTimeFor(deps, report, policy);
  const fractions = (policy.reminderFractions ?? DEFAULT_REMINDER_FRACTIONS).filter((f) => f > 0 && f < 1);
  const within = (deadline: string | null, scheduled: string, reminders: string[]) => {
    if (deadline === null) return [];
    if (deadline === scheduled) return reminders;
    const window = time.between(start, new Date(deadline));
    return [...new Set(fractions.map((f) => time.add(start, window * f).toISOString()))].sort();
  };
  return {
    accept: within(report.acceptBy, schedule.acceptBy, schedule.acceptReminders),
    complete: within(report.completeBy, schedule.completeBy, schedule.completeReminders),
  };
}

/** The report with the reminder plan of its tier's current deadlines when it needs one (nothing is written). */
export async function withReminderPlan(deps: Deps, report: Report): Promise<Report> {
  return needsReminderPlan(report) ? planReminders(report, await remindersFor(deps, report), deps.clock.now()) : report;
}

export async function planRemindersOp(deps: Deps, known: Report): Promise<Report> {
  const { after } = await mutateReport(
    deps,
    known.id,
    async (report) => {
      const planned = await withReminderPlan(deps, report);
      return planned === report ? null : planned;
    },
    known,
  );
  return after;
}

/** Sends a manual 督办's SMS, or the scheduled reminder due now, to the tier's officers. */
export async function remindOp(deps: Deps, known: Report, send: SendRound): Promise<Report> {
  const manual = unsentManualReminder(known);
  if (manual !== null) {
    const round = smsRound(known, manual);
    const { failed } = round ? await send(deps, known, manual, round) : { failed: [] };
    const { after } = await mutateReport(
      deps,
      known.id,
      (report) =>
        report.tierSeq === known.tierSeq && unsentManualReminder(report) === manual
          ? withRetryAfter(deps, withManualReminderSent(report, manual), manual, failed.length)
          : null,
      known,
    );
    return after;
  }
  const due = dueReminder(known, deps.clock.now());
  if (!due) return known;
  const round = smsRound(known, due.reminder);
  const outcome = round ? await send(deps, known, due.reminder, round) : { sent: [], failed: [] };
  const { after } = await mutateReport(
    deps,
    known.id,
    (report) => {
      const still = dueReminder(report, deps.clock.now());
      if (report.tierSeq !== known.tierSeq || still?.reminder !== due.reminder) return null;
      const change = recordReminder(report, due, outcome, deps.clock.now());
      return { ...change, report: withRetryAfter(deps, change.report, due.reminder, outcome.failed.length) };
    },
    known,
  );
  return after;
}

const POST_OWNER: Partial<Record<Tier, (r: Report) => string>> = {
  grid: (r) => r.gridCode,
  village: (r) => r.villageCode,
  township: (r) => r.townshipCode,
  supervision: (r) => r.countyCode,
};

/** Picks the visitor (report-visit.ts), texts them a link, and starts the visit's clock; nobody to visit closes it flagged. */
export async function assignVisitOp(deps: Deps, known: Report, send: SendRound): Promise<Report> {
  if (known.status !== 'resolved' || currentVisit(known)) return known;
  const officersByPost = await Promise.all(
    VISITOR_POSTS.map((tier) => postOfficers(deps, tier, (POST_OWNER[tier] as (r: Report) => string)(known))),
  );
  const visitors = chooseVisitors(known, officersByPost);
  const now = deps.clock.now();
  if (visitors.length === 0) {
    const { after } = await mutateReport(
      deps,
      known.id,
      (report) => (report.status === 'resolved' && !currentVisit(report) ? closeAfterVisit(report, now) : null),
      known,
    );
    return after;
  }
  const policy = await policyFor(deps, known);
  const dueBy = (await policyTimeFor(deps, known, policy)).add(now, policy.visitSeconds ?? DEFAULT_VISIT_SECONDS);
  // Texted first: a crash before the visit is stored repeats this op, and the claimed SMS are not sent twice.
  const round = smsRound(withVisit(known, visitors, dueBy, now), VISIT_SMS_REMINDER);
  const { failed } = round ? await send(deps, known, VISIT_SMS_REMINDER, round) : { failed: [] };
  const { after } = await mutateReport(
    deps,
    known.id,
    (report) =>
      report.status === 'resolved' && report.tierSeq === known.tierSeq && !currentVisit(report)
        ? withRetryAfter(deps, withVisit(report, visitors, dueBy, now), VISIT_SMS_REMINDER, failed.length)
        : null,
    known,
  );
  return after;
}

/** Not satisfied: the tier that resolved it (or the next with an officer) gets it again, with fresh deadlines. */
export async function reopenOp(deps: Deps, known: Report): Promise<Report> {
  const { after } = await mutateReport(
    deps,
    known.id,
    async (report) => {
      const now = deps.clock.now();
      if (decideNextStep(report, now).next !== 'reopen') return null;
      const assignment = await resolveAssignment(deps, report, report.tier);
      return reopen(report, assignment, await deadlinesFor(deps, report, assignment.tier, now), now);
    },
    known,
  );
  return after;
}

/**
 * The clocks of a tier's assignment and what people do with them (issue 11): reminders (催办)
 * before each deadline, a manual 督办 by a higher tier, extension requests (延期) decided by the
 * tier above, and suspension (挂起) that pauses every deadline until it is resumed. Pure
 * transitions like report.ts; the use cases compute instants through PolicyTime (the calendar).
 */
import { ConflictError, DomainRefusalError, ForbiddenError } from './errors.ts';
import type { Actor, Role } from './people.ts';
import { MAX_POLICY_SECONDS, TIERS, type Tier } from './policy.ts';
import { type Change, commit, type EventActor, type Report } from './report.ts';
import { isWithin } from './tree.ts';

export type Phase = 'accept' | 'complete';

/*
 * SMS are claimed per (tierSeq, reminder, recipient). 0 is the assignment and 1, 2… the county's
 * overdue 督办 — which happen only at the supervision tier, where nothing below is sent (nobody is
 * above supervision to 督办 it by hand, and its deadlines are reminder intervals already). The
 * ranges below still never meet them or each other: 101… before the accept deadline, 201… before
 * the complete deadline, 900 the return visit (回访), 1001… a manual 督办.
 */
export const ACCEPT_REMINDER_BASE = 100;
export const COMPLETE_REMINDER_BASE = 200;
export const VISIT_SMS_REMINDER = 900;
export const MANUAL_REMINDER_BASE = 1000;

/** A manual 督办 at most this often per tier (policy seconds are not used: it protects phones, not deadlines). */
export const MANUAL_REMINDER_INTERVAL_MS = 15 * 60_000;

/** When the current tier is reminded before its deadlines, and how many of each were sent. */
export interface ReminderPlan {
  tierSeq: number;
  /** The deadlines the plan was made for: a moved deadline (延期, resume, calendar) gets a new plan. */
  acceptBy: string | null;
  completeBy: string | null;
  accept: string[];
  complete: string[];
  acceptSent: number;
  completeSent: number;
}

/** Manual 督办 of the current tier: how many, the last one (rate limit), and the one whose SMS is still to go. */
export interface ManualReminders {
  tierSeq: number;
  count: number;
  lastAt: string;
  /** The reminder number whose SMS the workflow still has to send (absent once sent). */
  unsent?: number;
}

/** 延期申请 waiting for the tier above. */
export interface ExtensionRequest {
  tierSeq: number;
  phase: Phase;
  until: string;
  reason: string;
  by: EventActor;
  at: string;
}

/** 挂起: the deadlines are paused; `remaining` is the policy time each running deadline had left. */
export interface Suspension {
  at: string;
  reason: string;
  by: EventActor;
  remaining: { accept?: number; complete?: number };
}

/** The fields this module keeps on a report (all optional: absent on reports stored before them). */
export interface ClockFields {
  reminderPlan?: ReminderPlan | null;
  manualReminders?: ManualReminders | null;
  extensionRequest?: ExtensionRequest | null;
  suspended?: Suspension | null;
}

const asEventActor = (actor: Actor): EventActor => ({ id: actor.id, name: actor.name, role: actor.role });

export const isAtTier = (report: Report) => report.status === 'assigned' || report.status === 'accepted';

export function isSuspended(report: Report): boolean {
  return Boolean(report.suspended);
}

export const phaseOf = (report: Report): Phase => (report.status === 'assigned' ? 'accept' : 'complete');

const deadlineOf = (report: Report, phase: Phase) => (phase === 'accept' ? report.acceptBy : report.completeBy);

/* ---------- reminders before a deadline (催办) ---------- */

/** Whether the tier's reminder plan must be (re)made: a new tier, or a deadline that moved. */
export function needsReminderPlan(report: Report): boolean {
  if (!isAtTier(report) || report.tier === 'supervision' || isSuspended(report)) return false;
  const plan = report.reminderPlan;
  return !plan || plan.tierSeq !== report.tierSeq || plan.acceptBy !== report.acceptBy || plan.completeBy !== report.completeBy;
}

/** The plan of the current tier and deadlines, if made (never a plan left over from a tier below supervision). */
function currentPlan(report: Report): ReminderPlan | null {
  if (!isAtTier(report) || report.tier === 'supervision' || isSuspended(report)) return null;
  const plan = report.reminderPlan;
  return plan && !needsReminderPlan(report) ? plan : null;
}

/**
 * A plan for the tier's current deadlines. Reminders whose instant has already passed count as sent:
 * a new plan (a moved deadline) never texts for a moment that is gone.
 */
export function planReminders(report: Report, reminders: { accept: string[]; complete: string[] }, now: Date): Report {
  const passed = (list: string[]) => list.filter((at) => Date.parse(at) <= now.getTime()).length;
  const plan: ReminderPlan = {
    tierSeq: report.tierSeq,
    acceptBy: report.acceptBy,
    completeBy: report.completeBy,
    accept: reminders.accept,
    complete: reminders.complete,
    acceptSent: passed(reminders.accept),
    completeSent: passed(reminders.complete),
  };
  return { ...report, reminderPlan: plan, version: report.version + 1 };
}

/** The scheduled reminder due now in the current phase (only the latest, if several passed at once), or null. */
export function dueReminder(report: Report, now: Date): { phase: Phase; reminder: number; index: number } | null {
  const plan = currentPlan(report);
  if (!plan) return null;
  const phase = phaseOf(report);
  const list = phase === 'accept' ? plan.accept : plan.complete;
  const sent = phase === 'accept' ? plan.acceptSent : plan.completeSent;
  const due = list.filter((at) => Date.parse(at) <= now.getTime()).length;
  if (due <= sent) return null;
  return { phase, index: due, reminder: (phase === 'accept' ? ACCEPT_REMINDER_BASE : COMPLETE_REMINDER_BASE) + due };
}

/** The next scheduled reminder instant of the current phase, if any is ahead. */
export function nextReminderAt(report: Report): string | null {
  const plan = currentPlan(report);
  if (!plan) return null;
  const phase = phaseOf(report);
  const list = phase === 'accept' ? plan.accept : plan.complete;
  return list[phase === 'accept' ? plan.acceptSent : plan.completeSent] ?? null;
}

/** Records a scheduled reminder as sent, with the `reminded` event naming whom it texted. */
export function recordReminder(
  report: Report,
  due: { phase: Phase; reminder: number; index: number },
  outcome: { sent: string[]; failed: string[] },
  now: Date,
): Change {
  const plan = report.reminderPlan as ReminderPlan;
  const next: ReminderPlan = due.phase === 'accept' ? { ...plan, acceptSent: due.index } : { ...plan, completeSent: due.index };
  return commit(report, { reminderPlan: next }, now, {
    type: 'reminded',
    actor: { id: 'system', name: '系统', role: 'system' },
    data: { phase: due.phase, reminder: due.reminder, deadline: deadlineOf(report, due.phase), ...outcome },
  });
}

/* ---------- who is above a tier ---------- */

/** The highest tier each admin answers for (as access.ts ADMIN_REACH). */
const ADMIN_REACH: Partial<Record<Role, Tier>> = { village_admin: 'village', township_admin: 'township', county_admin: 'supervision' };

/**
 * An admin above the report's current tier: their subtree holds it and they answer for a higher
 * tier (the village secretary over the grid, the township over the village, the county over the
 * township and the departments). They 督办 by hand and decide extensions. Nobody is above
 * supervision.
 */
export function isAboveTier(actor: Actor, report: Report): boolean {
  const reach = ADMIN_REACH[actor.role];
  return reach !== undefined && isWithin(report, actor.scope) && TIERS.indexOf(report.tier) < TIERS.indexOf(reach);
}

/* ---------- manual 督办 ---------- */

export function mayRemind(actor: Actor, report: Report): boolean {
  return isAtTier(report) && !isSuspended(report) && isAboveTier(actor, report);
}

/** A higher tier chases the current one by hand: the event now, the SMS from the workflow (reminder `unsent`). */
export function remindManually(report: Report, actor: Actor, note: string | undefined, now: Date): Change {
  assertNotSuspended(report);
  if (!isAtTier(report)) throw new ConflictError('REPORT.NOT_AT_A_TIER', `a ${report.status} report has nobody to chase`);
  if (!isAboveTier(actor, report)) {
    throw new ForbiddenError('REMINDER.NOT_ABOVE', 'only an admin above the tier that holds the report may 督办 it');
  }
  const current = report.manualReminders?.tierSeq === report.tierSeq ? report.manualReminders : null;
  if (current && now.getTime() - Date.parse(current.lastAt) < MANUAL_REMINDER_INTERVAL_MS) {
    const nextAt = new Date(Date.parse(current.lastAt) + MANUAL_REMINDER_INTERVAL_MS).toISOString();
    throw new ConflictError('REMINDER.TOO_SOON', `this tier was reminded at ${current.lastAt}; the next 督办 is possible from ${nextAt}`, {
      lastAt: current.lastAt,
      nextAt,
    });
  }
  const count = (current?.count ?? 0) + 1;
  const reminder = MANUAL_REMINDER_BASE + count;
  return commit(report, { manualReminders: { tierSeq: report.tierSeq, count, lastAt: now.toISOString(), unsent: reminder } }, now, {
    type: 'reminded',
    actor: asEventActor(actor),
    note,
    data: { phase: phaseOf(report), reminder, manual: true },
  });
}

/** The manual 督办 whose SMS is still to go, if any. */
export function unsentManualReminder(report: Report): number | null {
  const manual = report.manualReminders;
  if (!manual || manual.tierSeq !== report.tierSeq || manual.unsent === undefined || !isAtTier(report)) return null;
  return manual.unsent;
}

export function withManualReminderSent(report: Report, reminder: number): Report {
  const manual = report.manualReminders;
  if (!manual || manual.unsent !== reminder) return report;
  const { unsent: _sent, ...rest } = manual;
  return { ...report, manualReminders: rest, version: report.version + 1 };
}

/* ---------- extension (延期) ---------- */

/** The extension request still waiting for a decision: same tier, its deadline not passed (else it lapsed). */
export function pendingExtension(report: Report, now: Date): ExtensionRequest | null {
  const request = report.extensionRequest;
  if (!request || request.tierSeq !== report.tierSeq || !isAtTier(report) || isSuspended(report)) return null;
  if (request.phase === 'accept' && report.status !== 'assigned') return null;
  const deadline = deadlineOf(report, request.phase);
  return deadline !== null && Date.parse(deadline) > now.getTime() ? request : null;
}

export function mayRequestExtension(actor: Actor, report: Report, now: Date): boolean {
  if (!isAtTier(report) || isSuspended(report) || report.tier === 'supervision') return false;
  if (!report.assignees.some((a) => a.id === actor.id) || pendingExtension(report, now)) return false;
  const deadline = deadlineOf(report, phaseOf(report));
  return deadline !== null && Date.parse(deadline) > now.getTime();
}

export function mayDecideExtension(actor: Actor, report: Report, now: Date): boolean {
  return pendingExtension(report, now) !== null && isAboveTier(actor, report);
}

/** The extension asked for: a new instant, or (resolved by the use case through PolicyTime) extra hours. */
export function requestExtension(report: Report, actor: Actor, request: { phase?: Phase; until: Date; reason: string }, now: Date): Change {
  assertNotSuspended(report);
  if (!report.assignees.some((a) => a.id === actor.id)) {
    if (report.pastAssigneeIds.includes(actor.id)) {
      throw new ConflictError('REPORT.MOVED_ON', `the report has moved on to the ${report.tier} tier`, { tier: report.tier });
    }
    throw new ForbiddenError('REPORT.NOT_ASSIGNED_TO_YOU', 'only the officers it is assigned to may ask for more time');
  }
  if (!isAtTier(report)) throw new ConflictError('REPORT.NOT_AT_A_TIER', `a ${report.status} report has no deadline to extend`);
  if (report.tier === 'supervision') {
    throw new DomainRefusalError('EXTENSION.NOBODY_ABOVE', 'county supervision has no tier above to grant an extension');
  }
  const phase = request.phase ?? phaseOf(report);
  if (phase === 'accept' && report.status !== 'assigned') {
    throw new ConflictError('EXTENSION.PHASE_OVER', 'the report is accepted already: only the complete deadline can be extended');
  }
  const deadline = deadlineOf(report, phase);
  if (deadline === null || Date.parse(deadline) <= now.getTime()) {
    throw new ConflictError('EXTENSION.DEADLINE_PASSED', 'an extension is asked for before the deadline passes', { deadline });
  }
  if (pendingExtension(report, now)) {
    throw new ConflictError('EXTENSION.PENDING', 'an extension request is already waiting for a decision');
  }
  if (request.until.getTime() <= Date.parse(deadline)) {
    throw new DomainRefusalError('EXTENSION.NOT_LATER', `the new deadline must be after the current one (${deadline})`, { deadline });
  }
  // The same bound as a policy's own deadlines (and `extraHours`): further than a year is a typo.
  if (request.until.getTime() > Date.parse(deadline) + MAX_POLICY_SECONDS * 1000) {
    throw new DomainRefusalError('EXTENSION.TOO_LONG', `the new deadline may be no more than 366 days past the current one (${deadline})`, {
      deadline,
    });
  }
  const until = request.until.toISOString();
  const pending: ExtensionRequest = {
    tierSeq: report.tierSeq,
    phase,
    until,
    reason: request.reason,
    by: asEventActor(actor),
    at: now.toISOString(),
  };
  return commit(report, { extensionRequest: pending }, now, {
    type: 'extension_requested',
    actor: asEventActor(actor),
    note: request.reason,
    data: { phase, until, deadline },
  });
}

/** The tier above approves (the deadline moves) or refuses (it stays) a pending request. */
export function decideExtension(report: Report, actor: Actor, decision: { approved: boolean; note?: string }, now: Date): Change {
  const request = pendingExtension(report, now);
  if (!request) throw new ConflictError('EXTENSION.NONE_PENDING', 'no extension request is waiting (it may have lapsed with its deadline)');
  if (!isAboveTier(actor, report)) {
    throw new ForbiddenError('EXTENSION.NOT_ABOVE', 'only an admin above the tier that holds the report may decide its extension');
  }
  const patch: Partial<Report> = { extensionRequest: null };
  if (decision.approved) {
    if (request.phase === 'accept') {
      patch.acceptBy = request.until;
      // A 签收 deadline never lands after the 办结 one.
      if (report.completeBy !== null && report.completeBy < request.until) patch.completeBy = request.until;
    } else {
      patch.completeBy = request.until;
    }
  }
  return commit(report, patch, now, {
    type: 'extension_decided',
    actor: asEventActor(actor),
    note: decision.note,
    data: { approved: decision.approved, phase: request.phase, until: request.until, requestedBy: request.by.name },
  });
}

/* ---------- suspension (挂起) ---------- */

/** Township and county admins whose subtree holds the report, while it sits at their tier or below. */
export function maySuspend(actor: Actor, report: Report): boolean {
  if (actor.role !== 'township_admin' && actor.role !== 'county_admin') return false;
  const reach = ADMIN_REACH[actor.role] as Tier;
  return isWithin(report, actor.scope) && TIERS.indexOf(report.tier) <= TIERS.indexOf(reach);
}

export function assertNotSuspended(report: Report): void {
  if (isSuspended(report)) {
    throw new ConflictError('REPORT.SUSPENDED', 'the report is suspended (挂起): resume it first', { suspended: report.suspended });
  }
}

/** The policy time each running deadline has left, as `between(now, deadline)` counts it. */
export function runningDeadlines(report: Report): { accept?: string; complete?: string } {
  const running: { accept?: string; complete?: string } = {};
  if (report.status === 'assigned' && report.acceptBy) running.accept = report.acceptBy;
  if (report.completeBy) running.complete = report.completeBy;
  return running;
}

/** Pauses the clocks: the deadlines are cleared (nothing is due, nothing escalates) and what was left is kept. */
export function suspend(report: Report, actor: Actor, reason: string, remaining: Suspension['remaining'], now: Date): Change {
  if (!maySuspend(actor, report)) {
    throw new ForbiddenError('SUSPEND.NOT_ALLOWED', 'only a township or county admin over the report may suspend it');
  }
  assertNotSuspended(report);
  if (!isAtTier(report)) throw new ConflictError('REPORT.NOT_AT_A_TIER', `a ${report.status} report has no clock to pause`);
  const suspension: Suspension = { at: now.toISOString(), reason, by: asEventActor(actor), remaining };
  return commit(report, { suspended: suspension, acceptBy: report.status === 'assigned' ? null : report.acceptBy, completeBy: null }, now, {
    type: 'suspended',
    actor: asEventActor(actor),
    note: reason,
    data: { remaining },
  });
}

/** Restarts the clocks with the time that was left (the use case adds it to now through PolicyTime). */
export function resume(
  report: Report,
  actor: Actor,
  deadlines: { acceptBy?: string; completeBy?: string },
  now: Date,
  note?: string,
): Change {
  if (!maySuspend(actor, report)) {
    throw new ForbiddenError('SUSPEND.NOT_ALLOWED', 'only a township or county admin over the report may resume it');
  }
  if (!report.suspended) throw new ConflictError('REPORT.NOT_SUSPENDED', 'the report is not suspended');
  const pausedFor = now.getTime() - Date.parse(report.suspended.at);
  return commit(
    report,
    {
      suspended: null,
      ...(deadlines.acceptBy ? { acceptBy: deadlines.acceptBy } : {}),
      ...(deadlines.completeBy ? { completeBy: deadlines.completeBy } : {}),
    },
    now,
    {
      type: 'resumed',
      actor: asEventActor(actor),
      note,
      data: { suspendedAt: report.suspended.at, pausedMs: pausedFor, ...deadlines },
    },
  );
}

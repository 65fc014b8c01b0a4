/**
 * The report lifecycle. Every change is a pure function from (report, input, now) to the next
 * report plus the one timeline event that records it; stores persist both, never decide. Every
 * write bumps `version`, so a stale writer is caught by a version check instead of a transaction;
 * events carry their own gap-free `seq`, the timeline's total order.
 */
import type { Assignment } from './assignments.ts';
import type { Urgency } from './catalog.ts';
import { ConflictError, DomainRefusalError, ForbiddenError } from './errors.ts';
import type { Actor, Role } from './people.ts';
import { type EscalationPolicy, nextTier, previousTier, type Tier } from './policy.ts';
import type { ClockFields } from './report-clocks.ts';
import type { VisitFields } from './report-visit.ts';
import { chained } from './timeline-chain.ts';
import type { Jurisdiction } from './tree.ts';

export const STATUSES = ['submitted', 'assigned', 'accepted', 'resolved', 'closed', 'merged'] as const;
export type ReportStatus = (typeof STATUSES)[number];
export const OPEN_STATUSES: readonly ReportStatus[] = ['submitted', 'assigned', 'accepted', 'resolved'];

export const EVENT_TYPES = [
  'reported',
  'assigned',
  'tier_skipped',
  'notified',
  'sms_failed',
  'accepted',
  'resolved',
  'escalated',
  'returned',
  'supervised',
  'commented',
  'handed_over',
  'closed',
  'refiled',
  // Issue 11: the county's ways of working. Each is recorded on the timeline (and feeds the outcomes).
  'reminded', // 催办/督办 before a deadline (data: { phase, reminder, manual? })
  'whistled', // 吹哨: departments summoned (data: { departments: [{ code, name, checkInBy, acceptBy, completeBy }] })
  'checked_in', // 报到: a summoned department reports in (data: { department })
  'extension_requested', // 延期申请 (data: { phase, until })
  'extension_decided', // 延期审批 (data: { approved, phase, until })
  'suspended', // 挂起: clocks paused (data: { remaining })
  'resumed', // 恢复: clocks restart with the time that was left
  'visited', // 回访 (data: { satisfied })
  'reopened', // not satisfied: back to the tier that resolved it
  'merged', // a duplicate merged into its parent (data: { parentId } on the child, { childId } on the parent)
  'rescheduled', // deadlines recomputed after a working-calendar change (data: { acceptBy, completeBy })
] as const;
export type EventType = (typeof EVENT_TYPES)[number];

export interface EventActor {
  id: string;
  name: string;
  role: Role | 'system';
}

export const SYSTEM_ACTOR: EventActor = { id: 'system', name: '系统', role: 'system' };

export interface TimelineEvent {
  /** 1, 2, 3… per report: the timeline's total order and the event's storage key. */
  seq: number;
  at: string;
  type: EventType;
  tier: Tier;
  actor: EventActor;
  note?: string;
  /** The note is for the public (the Open311 feed); every other note is internal. */
  public?: true;
  data?: Record<string, unknown>;
  /** SHA-256 of this event and the previous event's hash (core/timeline-chain.ts); absent on events stored before the chain. */
  hash?: string;
}

/** The latest note an officer marked public, kept on the report so a public listing reads no timelines. */
export interface PublicNote {
  note: string;
  at: string;
}

export interface Location {
  lat: number;
  lng: number;
  address?: string;
}

export interface Assignee {
  id: string;
  name: string;
  role: Role;
}

/** Who answers for a tier: a node of the tree or a department. */
export interface TierAssignment {
  tier: Tier;
  /** Node code for grid/village/township/supervision, department code for department. */
  ownerCode: string;
  ownerName: string;
  assignees: Assignee[];
  /** Tiers passed over because nobody holds the post (e.g. a vacant village secretary). */
  skipped: { tier: Tier; ownerCode: string; reason: string }[];
}

export interface Breach {
  tier: Tier;
  ownerCode: string;
  phase: 'accept' | 'complete';
  deadline: string;
  at: string;
}

/**
 * The token of the workflow task that last waited on this report, so actions can wake it. It is
 * kept after an action (only the next wait replaces it): if the process dies between storing the
 * action and waking the task, the reconciler still finds the token and wakes it.
 */
export interface WaitingTask {
  token: string;
  tierSeq: number;
  phase: 'accept' | 'complete';
  /** The deadline the task was parked against (absent on tokens parked before it): a move of it (a calendar change) makes the token stale. */
  deadline?: string | null;
  /** When the wake-up set for this wait fires (the Cycle step sets one per wait). */
  wakeAt?: string;
  /** The execution that parked it and how many cycles that execution has run (its history limit). */
  execution?: string;
  rounds?: number;
}

/** What the reporter said: fixed at filing, never changed by the workflow. */
export interface ReportContent {
  category: string;
  urgency: Urgency;
  title: string;
  description: string;
  location: Location | null;
  photos: string[];
  occurredAt: string | null;
}

/**
 * The names of the jurisdiction a report was filed under, as they were then: a later move, merge
 * or rename re-files the report's codes (its lists follow) but never changes what it was filed as.
 */
export interface FiledUnder {
  countyName: string;
  townshipName: string;
  villageName: string;
  gridName: string;
}

export interface Report extends Jurisdiction, ReportContent, ClockFields, VisitFields {
  id: string;
  reporter: EventActor;
  /** Set at filing, never changed. Absent on reports filed before it existed. */
  filedUnder?: FiledUnder;
  /** Set at filing (e.g. 'outside_grid' when the location lies outside the grid's boundary); 'not_visited' is added when it closes without a 回访. */
  flags: string[];
  status: ReportStatus;
  tier: Tier;
  /** Increments on every assignment; SMS and breaches are keyed by it. 0 until first assigned. */
  tierSeq: number;
  ownerCode: string;
  ownerName: string;
  assignees: Assignee[];
  /** Everyone who was ever assigned: they may still read it and get a 409, not a 403, when late. */
  pastAssigneeIds: string[];
  departmentCodes: string[];
  acceptBy: string | null;
  completeBy: string | null;
  /** When the current tier was assigned: its deadlines run from here (absent on reports stored before it). */
  assignedAt?: string | null;
  acceptedAt: string | null;
  resolvedAt: string | null;
  closedAt: string | null;
  notifiedTierSeq: number;
  remindersSent: number;
  breaches: Breach[];
  createdAt: string;
  updatedAt: string;
  version: number;
  lastEvent: TimelineEvent;
  /** Absent until a public note is written. */
  publicNote?: PublicNote;
  waiting: WaitingTask | null;
  /** SMS of the current tier that failed and are sent again (absent: none pending). */
  smsRetry?: SmsRetry | null;
  /** A merged duplicate: the report it was merged into (core/duplicates.ts). */
  mergedInto?: string;
  /** The duplicates merged into this report, oldest merge first; their reporters are told when it closes. */
  mergedChildren?: string[];
  /** A merged duplicate: when its reporter was told that the parent closed (the note on its timeline). */
  parentClosedAt?: string;
  /** The departments summoned by 吹哨, a lane each (core/assignments.ts); absent: none. */
  assignments?: Assignment[];
  /** Departments the policy whistles at the first assignment, until the workflow has summoned them. */
  pendingWhistle?: string[];
  /** The last timeline event whose outcome facts are applied (core/outcomes.ts); absent: none yet. */
  outcomesSeq?: number;
  /** The policy version the report started with (set at first assignment; absent: the current one). */
  policyVersion?: number;
  /**
   * The policy itself as it was at the first assignment: every later step (escalation, reminders,
   * working time, the return visit) runs on it without reading the policy again. Absent on reports
   * assigned before it was kept: their steps read the version above.
   */
  pinnedPolicy?: EscalationPolicy;
  /** The working-calendar version its deadlines were last moved to by a calendar change (absent: never moved). */
  calendarVersion?: number;
}

/** A failed SMS round of one tier (and reminder) waiting for its next try: the workflow wakes for it. */
export interface SmsRetry {
  tierSeq: number;
  reminder: number;
  /** Tries made so far, the first send included. */
  attempts: number;
  /** When to try again. */
  at: string;
}

export interface Change {
  report: Report;
  event: TimelineEvent;
}

export interface NewReportInput extends ReportContent {
  id: string;
  jurisdiction: Jurisdiction;
  reporter: Actor;
  /** What filing noticed about the report (e.g. 'outside_grid', see geo.ts); none by default. */
  flags?: string[];
  /** The names of the grid and its ancestors at filing. */
  filedUnder?: FiledUnder;
}

function asEventActor(actor: Actor): EventActor {
  return { id: actor.id, name: actor.name, role: actor.role };
}

/**
 * Applies a change: bumps the version, stamps the time and records the event. A note marked
 * public becomes the report's public note; `public` without a note has nothing to publish.
 * Exported for the transitions of report-clocks.ts and report-visit.ts.
 */
export function commit(
  report: Report,
  patch: Partial<Report>,
  now: Date,
  { public: isPublic, ...event }: Omit<TimelineEvent, 'seq' | 'at' | 'tier' | 'public'> & { tier?: Tier; public?: boolean },
): Change {
  const at = now.toISOString();
  const published = isPublic === true && event.note ? { note: event.note, at } : undefined;
  const next: Report = { ...report, ...patch, ...(published ? { publicNote: published } : {}), version: report.version + 1, updatedAt: at };
  const full: TimelineEvent = chained(
    {
      seq: report.lastEvent.seq + 1,
      at,
      tier: event.tier ?? next.tier,
      ...stripUndefined(event),
      ...(published ? { public: true as const } : {}),
    },
    report.lastEvent,
  );
  next.lastEvent = full;
  return { report: next, event: full };
}

/** commit() for the transitions kept in their own modules (core/assignments.ts). */
export const commitChange = commit;

function stripUndefined<T extends object>(o: T): T {
  return Object.fromEntries(Object.entries(o).filter(([, v]) => v !== undefined)) as T;
}

export function newReport(input: NewReportInput, now: Date): Change {
  const at = now.toISOString();
  const { id, jurisdiction, reporter: actor, flags = [], filedUnder, ...content } = input;
  const reporter = asEventActor(actor);
  const event: TimelineEvent = chained(
    {
      seq: 1,
      at,
      type: 'reported' as const,
      tier: 'grid' as const,
      actor: reporter,
      ...(flags.length > 0 ? { data: { flags } } : {}),
    },
    null,
  );
  const report: Report = {
    id,
    ...jurisdiction,
    ...content,
    flags,
    reporter,
    ...(filedUnder ? { filedUnder } : {}),
    status: 'submitted',
    tier: 'grid',
    tierSeq: 0,
    ownerCode: jurisdiction.gridCode,
    ownerName: '',
    assignees: [],
    pastAssigneeIds: [],
    departmentCodes: [],
    acceptBy: null,
    completeBy: null,
    acceptedAt: null,
    resolvedAt: null,
    closedAt: null,
    notifiedTierSeq: 0,
    remindersSent: 0,
    breaches: [],
    createdAt: at,
    updatedAt: at,
    version: 1,
    lastEvent: event,
    waiting: null,
  };
  return { report, event };
}

export function isOpen(report: Report): boolean {
  // A merged duplicate (core/duplicates.ts) ends like a closed report: its parent carries the case.
  return report.status !== 'closed' && report.status !== 'merged';
}

/** The deadline the report is racing now: accept while assigned, complete while being handled. */
export function currentDeadline(report: Report): string | null {
  if (report.status === 'assigned') return report.acceptBy;
  if (report.status === 'accepted') return report.completeBy;
  return null;
}

/** The current deadline has passed (the state machine escalates or reminds at this moment). */
export function isOverdue(report: Report, now: Date): boolean {
  const deadline = currentDeadline(report);
  return deadline !== null && Date.parse(deadline) <= now.getTime();
}

/**
 * 超期: still being handled and late, either now or at some earlier tier. An escalation hands out
 * fresh deadlines, but the case stays overdue for the on-time figures and the overdue listing.
 */
export function isLate(report: Report, now: Date): boolean {
  if (report.status !== 'assigned' && report.status !== 'accepted') return false;
  return report.breaches.length > 0 || isOverdue(report, now);
}

export function withAssignment(
  report: Report,
  assignment: TierAssignment,
  deadlines: { acceptBy: string; completeBy: string },
  now: Date,
): Partial<Report> {
  const ids = new Set([...report.pastAssigneeIds, ...assignment.assignees.map((a) => a.id)]);
  const departmentCodes =
    assignment.tier === 'department' && !report.departmentCodes.includes(assignment.ownerCode)
      ? [...report.departmentCodes, assignment.ownerCode]
      : report.departmentCodes;
  return {
    status: 'assigned',
    tier: assignment.tier,
    tierSeq: report.tierSeq + 1,
    ownerCode: assignment.ownerCode,
    ownerName: assignment.ownerName,
    assignees: assignment.assignees,
    pastAssigneeIds: [...ids],
    departmentCodes,
    acceptBy: deadlines.acceptBy,
    completeBy: deadlines.completeBy,
    assignedAt: now.toISOString(),
    acceptedAt: null,
    remindersSent: 0,
  };
}

function skippedNote(assignment: TierAssignment): Record<string, unknown> | undefined {
  return assignment.skipped.length > 0 ? { skipped: assignment.skipped } : undefined;
}

/** First routing of a submitted report to the tier that owns it. */
export function assignFirstTier(
  report: Report,
  assignment: TierAssignment,
  deadlines: { acceptBy: string; completeBy: string },
  now: Date,
): Change {
  if (report.status !== 'submitted') {
    throw new ConflictError('REPORT.ALREADY_ASSIGNED', `report ${report.id} is already ${report.status}`);
  }
  return commit(report, withAssignment(report, assignment, deadlines, now), now, {
    type: 'assigned',
    tier: assignment.tier,
    actor: SYSTEM_ACTOR,
    data: {
      ownerCode: assignment.ownerCode,
      assignees: assignment.assignees.map((a) => a.name),
      ...deadlines,
      ...skippedNote(assignment),
    },
  });
}

export type EscalationCause = { kind: 'timeout' } | { kind: 'manual'; actor: Actor; note?: string; public?: boolean };

/** The tier a report escalates to, or null at supervision (which reminds instead). */
export function escalationTarget(report: Report): Tier | null {
  return report.tier === 'supervision' ? null : nextTier(report.tier);
}

/**
 * Moves the report one tier up. A timeout charges the breach to the tier that let it lapse; a
 * manual escalation (提交上级) records who asked and why.
 */
export function escalate(
  report: Report,
  cause: EscalationCause,
  assignment: TierAssignment,
  deadlines: { acceptBy: string; completeBy: string },
  now: Date,
): Change {
  if (report.status !== 'assigned' && report.status !== 'accepted') {
    throw new ConflictError('REPORT.NOT_ESCALATABLE', `a ${report.status} report cannot be escalated`);
  }
  if (escalationTarget(report) === null) {
    throw new ConflictError('REPORT.AT_TOP_TIER', 'the report is already under county supervision');
  }
  const breaches = [...report.breaches];
  const overdue = isOverdue(report, now);
  if (cause.kind === 'timeout' && !overdue) throw new ConflictError('REPORT.NOT_OVERDUE', 'the deadline has not passed');
  // A late tier that hands the report up by hand is still late: the breach is charged either way.
  const deadline = currentDeadline(report);
  if (overdue && deadline !== null) {
    const phase = report.status === 'assigned' ? 'accept' : 'complete';
    breaches.push({ tier: report.tier, ownerCode: report.ownerCode, phase, deadline, at: now.toISOString() });
  }
  return commit(report, { ...withAssignment(report, assignment, deadlines, now), breaches }, now, {
    type: 'escalated',
    tier: assignment.tier,
    actor: cause.kind === 'manual' ? asEventActor(cause.actor) : SYSTEM_ACTOR,
    note: cause.kind === 'manual' ? cause.note : undefined,
    public: cause.kind === 'manual' ? cause.public : undefined,
    data: {
      from: report.tier,
      to: assignment.tier,
      ownerCode: assignment.ownerCode,
      assignees: assignment.assignees.map((a) => a.name),
      reason: cause.kind === 'timeout' ? (breaches.at(-1)?.phase === 'accept' ? 'accept_overdue' : 'complete_overdue') : 'manual',
      ...deadlines,
      ...skippedNote(assignment),
    },
  });
}

/** County supervision (督办) after the department tier: remind and set the next deadline. */
export function supervise(report: Report, deadlines: { acceptBy: string; completeBy: string }, now: Date): Change {
  if (report.tier !== 'supervision') throw new ConflictError('REPORT.NOT_SUPERVISED', 'not under county supervision');
  const deadline = currentDeadline(report);
  if (deadline === null || Date.parse(deadline) > now.getTime()) {
    throw new ConflictError('REPORT.NOT_OVERDUE', 'the deadline has not passed');
  }
  // A new 签收 deadline never lands after the 办结 one: the complete deadline moves out with it,
  // and so do the SMS links, which live until the tier's complete deadline.
  const later = (a: string | null, b: string) => (a !== null && a > b ? a : b);
  const patch: Partial<Report> =
    report.status === 'assigned'
      ? { acceptBy: deadlines.acceptBy, completeBy: later(report.completeBy, deadlines.completeBy) }
      : { completeBy: deadlines.completeBy };
  return commit(report, { ...patch, remindersSent: report.remindersSent + 1 }, now, {
    type: 'supervised',
    actor: SYSTEM_ACTOR,
    data: {
      reminder: report.remindersSent + 1,
      overdueSince: deadline,
      acceptBy: patch.acceptBy ?? report.acceptBy,
      completeBy: patch.completeBy,
    },
  });
}

function assertAssignee(report: Report, actor: Actor): void {
  if (report.assignees.some((a) => a.id === actor.id)) return;
  if (report.pastAssigneeIds.includes(actor.id)) {
    throw new ConflictError('REPORT.MOVED_ON', `the report has moved on to the ${report.tier} tier`, {
      tier: report.tier,
      status: report.status,
    });
  }
  throw new ForbiddenError('REPORT.NOT_ASSIGNED_TO_YOU', 'only the officers it is assigned to may act on this report');
}

/** What the client saw when it decided to act: if the report has moved since, the action is stale. */
export interface ActionExpectation {
  note?: string;
  /** The note is for the public; who may say so is checked by the use case (access.ts mayPublishNote). */
  public?: boolean;
  expectedTier?: Tier;
  expectedTierSeq?: number;
}

function assertExpectedTier(report: Report, expectedTier: Tier | undefined, expectedTierSeq?: number): void {
  const moved =
    (expectedTier !== undefined && expectedTier !== report.tier) || (expectedTierSeq !== undefined && expectedTierSeq !== report.tierSeq);
  if (moved) {
    throw new ConflictError('REPORT.MOVED_ON', `the report has moved on to the ${report.tier} tier`, {
      tier: report.tier,
      status: report.status,
    });
  }
}

export function accept(report: Report, actor: Actor, now: Date, opts: ActionExpectation = {}): Change {
  assertExpectedTier(report, opts.expectedTier, opts.expectedTierSeq);
  assertAssignee(report, actor);
  if (report.status !== 'assigned') {
    throw new ConflictError('REPORT.ALREADY_ACCEPTED', `the report is already ${report.status}`, { status: report.status });
  }
  return commit(report, { status: 'accepted', acceptedAt: now.toISOString() }, now, {
    type: 'accepted',
    actor: asEventActor(actor),
    note: opts.note,
    public: opts.public,
  });
}

export function resolve(report: Report, actor: Actor, now: Date, opts: ActionExpectation = {}): Change {
  assertExpectedTier(report, opts.expectedTier, opts.expectedTierSeq);
  assertAssignee(report, actor);
  if (report.status === 'assigned') {
    throw new ConflictError('REPORT.NOT_ACCEPTED', 'accept (签收) the report before resolving it', { status: report.status });
  }
  if (report.status !== 'accepted') {
    throw new ConflictError('REPORT.ALREADY_RESOLVED', `the report is already ${report.status}`, { status: report.status });
  }
  return commit(report, { status: 'resolved', resolvedAt: now.toISOString() }, now, {
    type: 'resolved',
    actor: asEventActor(actor),
    note: opts.note,
    public: opts.public,
  });
}

/** The tier a report is handed back to by 退回: the one below, or null at the grid. */
export function returnTarget(report: Report): Tier | null {
  return previousTier(report.tier);
}

/**
 * 退回: an assignee hands the report back down with a reason (wrong department, not enough
 * information, belongs to the village). The lower tier gets fresh deadlines; no breach is charged.
 */
export function returnDown(
  report: Report,
  actor: Actor,
  reason: string,
  assignment: TierAssignment,
  deadlines: { acceptBy: string; completeBy: string },
  now: Date,
  opts: ActionExpectation = {},
): Change {
  assertExpectedTier(report, opts.expectedTier, opts.expectedTierSeq);
  assertAssignee(report, actor);
  if (report.status !== 'assigned' && report.status !== 'accepted') {
    throw new ConflictError('REPORT.NOT_RETURNABLE', `a ${report.status} report cannot be returned`, { status: report.status });
  }
  if (returnTarget(report) === null) throw new DomainRefusalError('REPORT.NOTHING_BELOW', 'the grid tier has nobody below to return to');
  return commit(report, withAssignment(report, assignment, deadlines, now), now, {
    type: 'returned',
    tier: assignment.tier,
    actor: asEventActor(actor),
    note: reason,
    public: opts.public,
    data: {
      from: report.tier,
      to: assignment.tier,
      ownerCode: assignment.ownerCode,
      assignees: assignment.assignees.map((a) => a.name),
      ...deadlines,
    },
  });
}

/** Why an officer's open reports pass to someone else: they left, were transferred, or no longer answer for the post. */
export type HandOverReason = 'deactivated' | 'moved' | 'not_responsible' | 'replaced_by_import';

/**
 * Who takes an officer's part of a report: the other officers of the same post (the same tier,
 * owner, status and deadlines: the post's work carries on), or, when the post has nobody left,
 * the next tier with an officer, with fresh deadlines like any escalation.
 */
export type HandOverTarget =
  | { action: 'reassigned'; assignees: Assignee[] }
  | { action: 'escalated'; assignment: TierAssignment; deadlines: { acceptBy: string; completeBy: string } };

/** The reports an officer holds now: open, at a tier, with them among its current assignees. */
export function isHeldBy(report: Report, personId: string): boolean {
  return (report.status === 'assigned' || report.status === 'accepted') && report.assignees.some((a) => a.id === personId);
}

/**
 * 交接: an officer who leaves their post (deactivated, or moved elsewhere) hands their open reports
 * over. Either way it is a new assignment (a new tierSeq), so the workflow texts the new officers
 * and the old officer's SMS links stop working. An escalation for want of an officer charges a
 * breach only if the tier was already late, as any escalation would.
 */
export function handOver(
  report: Report,
  leaving: Pick<Assignee, 'id' | 'name'>,
  target: HandOverTarget,
  cause: { actor: Actor; reason: HandOverReason },
  now: Date,
): Change {
  if (!isHeldBy(report, leaving.id)) {
    throw new ConflictError('REPORT.NOT_HELD', `report ${report.id} is not held by ${leaving.name} any more`);
  }
  const common = { type: 'handed_over' as const, actor: asEventActor(cause.actor) };
  if (target.action === 'reassigned') {
    if (target.assignees.length === 0) throw new DomainRefusalError('REPORT.NOBODY_TO_TAKE_OVER', 'a hand-over needs someone to take over');
    const ids = new Set([...report.pastAssigneeIds, ...target.assignees.map((a) => a.id)]);
    return commit(report, { tierSeq: report.tierSeq + 1, assignees: target.assignees, pastAssigneeIds: [...ids] }, now, {
      ...common,
      data: { action: 'reassigned', from: leaving.name, fromId: leaving.id, to: target.assignees.map((a) => a.name), reason: cause.reason },
    });
  }
  if (escalationTarget(report) === null) {
    throw new DomainRefusalError('REPORT.NOBODY_TO_TAKE_OVER', 'nobody is left to supervise this report');
  }
  const { assignment, deadlines } = target;
  const breaches = [...report.breaches];
  const deadline = currentDeadline(report);
  if (isOverdue(report, now) && deadline !== null) {
    const phase = report.status === 'assigned' ? 'accept' : 'complete';
    breaches.push({ tier: report.tier, ownerCode: report.ownerCode, phase, deadline, at: now.toISOString() });
  }
  return commit(report, { ...withAssignment(report, assignment, deadlines, now), breaches }, now, {
    ...common,
    tier: assignment.tier,
    data: {
      action: 'escalated',
      from: leaving.name,
      fromId: leaving.id,
      to: assignment.assignees.map((a) => a.name),
      reason: cause.reason,
      fromTier: report.tier,
      toTier: assignment.tier,
      ownerCode: assignment.ownerCode,
      ...deadlines,
      ...skippedNote(assignment),
    },
  });
}

export function comment(report: Report, actor: Actor, note: string, now: Date, opts: { public?: boolean } = {}): Change {
  return commit(report, {}, now, { type: 'commented', actor: asEventActor(actor), note, public: opts.public });
}

export function markNotified(
  report: Report,
  tierSeq: number,
  outcome: { sent: string[]; failed: string[]; reminder: number },
  now: Date,
  retryAt?: Date,
): Change {
  if (report.tierSeq !== tierSeq) throw new ConflictError('REPORT.MOVED_ON', 'the tier changed while notifying');
  const type: EventType = outcome.sent.length === 0 && outcome.failed.length > 0 ? 'sms_failed' : 'notified';
  const smsRetry: SmsRetry | null =
    outcome.failed.length > 0 && retryAt ? { tierSeq, reminder: outcome.reminder, attempts: 1, at: retryAt.toISOString() } : null;
  return commit(report, { notifiedTierSeq: Math.max(report.notifiedTierSeq, tierSeq), smsRetry }, now, {
    type,
    actor: SYSTEM_ACTOR,
    data: { sent: outcome.sent, failed: outcome.failed, ...(outcome.reminder > 0 ? { reminder: outcome.reminder } : {}) },
  });
}

/** One step of a path as a refiling records it: the code and the node's name at the time. */
export interface PathStep {
  code: string;
  name: string;
}

/** Why and where an open report is re-filed: its node was moved, or merged into a sibling (撤并). */
export interface Refiling {
  reason: 'moved' | 'merged';
  /** The node that was moved or merged. */
  nodeCode: string;
  /** The sibling a merged node went into. */
  mergedInto?: string;
  to: Jurisdiction;
  /** The report's path before and after, county to grid, with the names of the nodes. */
  fromPath: PathStep[];
  toPath: PathStep[];
}

/**
 * Re-files an open report under the jurisdiction its node now has (its lists follow from the
 * codes); the names it was filed under stay. When the node that owned the tier is no longer on the
 * path, the tier's new owner takes it over (`handover`): a fresh assignment the workflow texts.
 * Closed reports stay where they were.
 */
export function refile(
  report: Report,
  refiling: Refiling,
  actor: Actor,
  now: Date,
  handover?: { assignment: TierAssignment; deadlines: { acceptBy: string; completeBy: string } },
): Change {
  if (!isOpen(report)) throw new ConflictError('REPORT.CLOSED', `report ${report.id} is closed and stays where it was filed`);
  const { countyCode, townshipCode, villageCode, gridCode } = refiling.to;
  const patch: Partial<Report> = {
    countyCode,
    townshipCode,
    villageCode,
    gridCode,
    ...(handover ? withAssignment(report, handover.assignment, handover.deadlines, now) : {}),
  };
  return commit(report, patch, now, {
    type: 'refiled',
    tier: handover?.assignment.tier,
    actor: asEventActor(actor),
    data: {
      reason: refiling.reason,
      node: refiling.nodeCode,
      ...(refiling.mergedInto ? { mergedInto: refiling.mergedInto } : {}),
      from: refiling.fromPath,
      to: refiling.toPath,
      ...(handover
        ? {
            ownerCode: handover.assignment.ownerCode,
            assignees: handover.assignment.assignees.map((a) => a.name),
            ...handover.deadlines,
            ...skippedNote(handover.assignment),
          }
        : {}),
    },
  });
}

/**
 * Return visits (回访) are a later issue; until then a resolved report closes at once, and the
 * review phase of the state machine is the place they will slot in.
 */
export function close(report: Report, now: Date): Change {
  if (report.status !== 'resolved') throw new ConflictError('REPORT.NOT_RESOLVED', 'only a resolved report closes');
  return commit(report, { status: 'closed', closedAt: now.toISOString(), waiting: null }, now, {
    type: 'closed',
    actor: SYSTEM_ACTOR,
  });
}

/**
 * Records the token of the workflow task now waiting on this report. No timeline event, but a new
 * version: an action that read the report before the token was stored must re-read it, or it
 * would overwrite the token and leave the task asleep until its deadline.
 */
export function withWaitingTask(report: Report, waiting: WaitingTask): Report {
  return { ...report, waiting, version: report.version + 1 };
}

/**
 * After a resend of a tier's failed SMS: the next try, or none when every SMS went out or the
 * tries ran out (each failure stays on the SMS record and in the SMS log). No timeline event: the
 * SMS log shows every attempt.
 */
export function withSmsRetry(report: Report, next: SmsRetry | null): Report {
  return { ...report, smsRetry: next, version: report.version + 1 };
}

/**
 * 重新计时: the county's working calendar changed, and the deadlines still ahead move to where the
 * time they had left falls on the new calendar. Time already spent stays spent.
 */
export function reschedule(
  report: Report,
  deadlines: { acceptBy: string | null; completeBy: string | null },
  calendarVersion: number,
  now: Date,
): Change {
  if (report.status !== 'assigned' && report.status !== 'accepted') {
    throw new ConflictError('REPORT.NOT_RUNNING', `a ${report.status} report has no deadlines to move`);
  }
  return commit(report, { ...deadlines, calendarVersion }, now, {
    type: 'rescheduled',
    actor: SYSTEM_ACTOR,
    data: { acceptBy: deadlines.acceptBy, completeBy: deadlines.completeBy, calendarVersion },
  });
}

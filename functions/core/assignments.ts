/**
 * Assignments: who answers for a report, one lane each. The tier the report sits at is one lane
 * (its fields stay on the report's top level, where the API contract and every caller read them);
 * each department summoned by 吹哨 is another, stored in `report.assignments`, with its own 报到
 * (check-in), 签收 and 办结 deadlines, its own SMS (keyed by the lane's `seq`), its own breaches and
 * its own 督办 at county supervision. `lanesOf` presents them all in one shape.
 *
 * A lane runs summoned → checked_in → accepted → resolved, or ends as returned (退回 to the tier
 * that whistled) or withdrawn (the report was resolved under a policy where one department suffices).
 * A lane that misses a deadline is charged a breach and put under county supervision (escalatedAt):
 * the department keeps the work, the county admins are texted, and every later miss is a 督办.
 *
 * Every lane event carries `data.department`, so the timeline can group a lane's events and the
 * outcomes can tell them from the tier's.
 */
import { ConflictError, DomainRefusalError, ForbiddenError } from './errors.ts';
import type { Actor } from './people.ts';
import type { Tier } from './policy.ts';
import { type Assignee, type Change, commitChange, type EventActor, type Report, SYSTEM_ACTOR } from './report.ts';

export const ASSIGNMENT_STATUSES = ['summoned', 'checked_in', 'accepted', 'resolved', 'returned', 'withdrawn'] as const;
export type AssignmentStatus = (typeof ASSIGNMENT_STATUSES)[number];
export const OPEN_ASSIGNMENT_STATUSES: readonly AssignmentStatus[] = ['summoned', 'checked_in', 'accepted'];

export type LanePhase = 'check_in' | 'accept' | 'complete';

export interface LaneBreach {
  ownerCode: string;
  phase: LanePhase;
  deadline: string;
  at: string;
}

export interface Assignment {
  /** 1, 2, 3… per report, never reused: SMS keys and action links name the lane by it. 0 for the tier's own lane. */
  seq: number;
  tier: Tier;
  /** Department code (node code for the tier's own lane). */
  ownerCode: string;
  ownerName: string;
  assignees: Assignee[];
  status: AssignmentStatus;
  /** Who summoned it, at which tier and assignment of the report (退回 goes back there). */
  summonedBy: { tier: Tier; tierSeq: number; actor: EventActor };
  summonedAt: string;
  checkInBy: string | null;
  acceptBy: string | null;
  completeBy: string | null;
  checkedInAt: string | null;
  acceptedAt: string | null;
  resolvedAt: string | null;
  endedAt: string | null;
  breaches: LaneBreach[];
  /** Its officers were texted (the summons SMS round). */
  notified: boolean;
  /** When a missed deadline put the lane under county supervision; null while on time. */
  escalatedAt: string | null;
  /** The county admins who supervise it once escalated. */
  supervisors: Assignee[];
  /** 督办 rounds at supervision (the escalation is round 1). */
  remindersSent: number;
}

/** Input for one department summoned by a whistle. */
export interface Summons {
  ownerCode: string;
  ownerName: string;
  assignees: Assignee[];
  checkInBy: string;
  acceptBy: string;
  completeBy: string;
}

export function assignmentsOf(report: Report): Assignment[] {
  return report.assignments ?? [];
}

export const isOpenLane = (lane: Assignment) => OPEN_ASSIGNMENT_STATUSES.includes(lane.status);

export function openLanes(report: Report): Assignment[] {
  return assignmentsOf(report).filter(isOpenLane);
}

/** The department's lane the reader means: its open one, else its latest. */
export function laneOf(report: Report, departmentCode: string): Assignment | undefined {
  const lanes = assignmentsOf(report).filter((l) => l.ownerCode === departmentCode);
  return lanes.find(isOpenLane) ?? lanes.at(-1);
}

export function laneBySeq(report: Report, seq: number): Assignment | undefined {
  return assignmentsOf(report).find((l) => l.seq === seq);
}

/** Every department ever summoned: their officers may read the report. */
export function summonedDepartments(report: Report): string[] {
  return [...new Set(assignmentsOf(report).map((l) => l.ownerCode))];
}

/** The tier's own assignment, in the shape of a lane (the view; its fields live on the report's top level). */
export function tierAssignment(report: Report): Assignment {
  const status: AssignmentStatus =
    report.status === 'submitted'
      ? 'summoned'
      : report.status === 'assigned'
        ? 'checked_in' // a tier is in from its assignment: it has no 报到 step
        : report.status === 'accepted'
          ? 'accepted'
          : 'resolved';
  return {
    seq: 0,
    tier: report.tier,
    ownerCode: report.ownerCode,
    ownerName: report.ownerName,
    assignees: report.assignees,
    status,
    summonedBy: { tier: report.tier, tierSeq: report.tierSeq, actor: SYSTEM_ACTOR },
    summonedAt: report.assignedAt ?? report.createdAt,
    checkInBy: null,
    acceptBy: report.acceptBy,
    completeBy: report.completeBy,
    checkedInAt: report.assignedAt ?? null,
    acceptedAt: report.acceptedAt,
    resolvedAt: report.resolvedAt,
    endedAt: report.resolvedAt,
    breaches: report.breaches.filter((b) => b.tier === report.tier).map(({ tier: _t, ...b }) => b),
    notified: report.notifiedTierSeq >= report.tierSeq,
    escalatedAt: null,
    supervisors: [],
    remindersSent: report.remindersSent,
  };
}

/** The tier's lane first, then every department's, in the order they were summoned. */
export function lanesOf(report: Report): Assignment[] {
  return [tierAssignment(report), ...assignmentsOf(report)];
}

/** The deadline a lane races now and its phase, or null once it has ended. */
export function laneDeadline(lane: Assignment): { phase: LanePhase; deadline: string } | null {
  const deadline =
    lane.status === 'summoned'
      ? { phase: 'check_in' as const, deadline: lane.checkInBy }
      : lane.status === 'checked_in'
        ? { phase: 'accept' as const, deadline: lane.acceptBy }
        : lane.status === 'accepted'
          ? { phase: 'complete' as const, deadline: lane.completeBy }
          : null;
  return deadline?.deadline ? { phase: deadline.phase, deadline: deadline.deadline } : null;
}

export const isLaneLate = (lane: Assignment, now: Date): boolean => {
  if (!isOpenLane(lane)) return false;
  const due = laneDeadline(lane);
  return lane.breaches.length > 0 || (due !== null && Date.parse(due.deadline) <= now.getTime());
};

/** What the workflow must do for the lanes now, or when it must look again. */
export type LaneStep =
  | { kind: 'whistle' }
  | { kind: 'notify'; seq: number }
  | { kind: 'escalate'; seq: number }
  | { kind: 'supervise'; seq: number }
  | { kind: 'wait'; until: string | null };

export function nextLaneStep(report: Report, now: Date): LaneStep {
  if ((report.pendingWhistle ?? []).length > 0) return { kind: 'whistle' };
  const open = openLanes(report);
  const unnotified = open.find((l) => !l.notified);
  if (unnotified) return { kind: 'notify', seq: unnotified.seq };
  let until: string | null = null;
  for (const lane of open) {
    const due = laneDeadline(lane);
    if (!due) continue;
    if (Date.parse(due.deadline) <= now.getTime()) return { kind: lane.escalatedAt ? 'supervise' : 'escalate', seq: lane.seq };
    if (until === null || due.deadline < until) until = due.deadline;
  }
  return { kind: 'wait', until };
}

const eventTier = 'department' as const;

function replaceLane(report: Report, lane: Assignment): Assignment[] {
  return assignmentsOf(report).map((l) => (l.seq === lane.seq ? lane : l));
}

function asEventActor(actor: Actor): EventActor {
  return { id: actor.id, name: actor.name, role: actor.role };
}

/**
 * 吹哨: summons departments, each in a lane of its own. A department that already has an open lane
 * is refused (409): its officers are on it. `by` is the officer or admin who whistled (the system
 * for a policy's whistle at filing).
 */
export function whistle(report: Report, by: EventActor, summonses: Summons[], now: Date, note?: string): Change {
  if (report.status !== 'assigned' && report.status !== 'accepted') {
    throw new ConflictError('WHISTLE.NOT_OPEN', `a ${report.status} report cannot summon departments`, { status: report.status });
  }
  if (summonses.length === 0) throw new DomainRefusalError('WHISTLE.DEPARTMENTS_REQUIRED', 'name at least one department to summon');
  for (const s of summonses) {
    // The department holding the tier is on it already: summoning it again would text it twice for one matter.
    const holdsTier = report.tier === 'department' && report.ownerCode === s.ownerCode;
    if (holdsTier || openLanes(report).some((l) => l.ownerCode === s.ownerCode)) {
      throw new ConflictError('WHISTLE.ALREADY_SUMMONED', `${s.ownerName} is already summoned to this report`, { department: s.ownerCode });
    }
  }
  const at = now.toISOString();
  const existing = assignmentsOf(report);
  const lanes: Assignment[] = summonses.map((s, i) => ({
    seq: existing.length + i + 1,
    tier: 'department',
    ownerCode: s.ownerCode,
    ownerName: s.ownerName,
    assignees: s.assignees,
    status: 'summoned',
    summonedBy: { tier: report.tier, tierSeq: report.tierSeq, actor: by },
    summonedAt: at,
    checkInBy: s.checkInBy,
    acceptBy: s.acceptBy,
    completeBy: s.completeBy,
    checkedInAt: null,
    acceptedAt: null,
    resolvedAt: null,
    endedAt: null,
    breaches: [],
    notified: false,
    escalatedAt: null,
    supervisors: [],
    remindersSent: 0,
  }));
  return commitChange(report, { assignments: [...existing, ...lanes], pendingWhistle: [] }, now, {
    type: 'whistled',
    tier: report.tier,
    actor: by,
    note,
    data: {
      departments: lanes.map((l) => ({
        code: l.ownerCode,
        name: l.ownerName,
        seq: l.seq,
        assignees: l.assignees.map((a) => a.name),
        checkInBy: l.checkInBy,
        acceptBy: l.acceptBy,
        completeBy: l.completeBy,
      })),
    },
  });
}

/** A policy's whistle at filing found nobody to summon: it is dropped, with no event. */
export function withoutPendingWhistle(report: Report): Report {
  return { ...report, pendingWhistle: [], version: report.version + 1 };
}

export type LaneAction = 'check_in' | 'accept' | 'resolve' | 'return';

/** The lane actions an officer may take now, in the order the console lays them out. */
export function laneActionsFor(lane: Assignment, personId: string): LaneAction[] {
  if (!lane.assignees.some((a) => a.id === personId)) return [];
  if (lane.status === 'summoned') return ['check_in', 'return'];
  if (lane.status === 'checked_in') return ['accept', 'return'];
  if (lane.status === 'accepted') return ['resolve', 'return'];
  return [];
}

/**
 * An officer of the lane acts on it: 报到, 签收, 办结 or 退回 (with a reason: the lane ends, and the
 * matter stays with the tier that whistled). `expectedSeq` is the lane an SMS link was issued for.
 */
export function actOnLane(
  report: Report,
  departmentCode: string,
  action: LaneAction,
  actor: Actor,
  now: Date,
  opts: { note?: string; public?: boolean; expectedSeq?: number } = {},
): Change {
  const lane = laneOf(report, departmentCode);
  if (!lane) throw new ConflictError('LANE.NOT_SUMMONED', `department ${departmentCode} is not summoned to this report`);
  if (opts.expectedSeq !== undefined && opts.expectedSeq !== lane.seq) {
    throw new ConflictError('LANE.MOVED_ON', 'this summons is no longer the department’s current one', { department: departmentCode });
  }
  if (!lane.assignees.some((a) => a.id === actor.id)) {
    throw new ForbiddenError('REPORT.NOT_ASSIGNED_TO_YOU', 'only the officers the department was summoned through may act on its lane');
  }
  if (!isOpenLane(lane)) {
    throw new ConflictError('LANE.ENDED', `the department’s part is already ${lane.status}`, {
      department: departmentCode,
      status: lane.status,
    });
  }
  const at = now.toISOString();
  const expect = (status: AssignmentStatus, code: string, message: string) => {
    if (lane.status !== status) throw new ConflictError(code, message, { department: departmentCode, status: lane.status });
  };
  let next: Assignment;
  let type: 'checked_in' | 'accepted' | 'resolved' | 'returned';
  switch (action) {
    case 'check_in':
      expect('summoned', 'LANE.ALREADY_CHECKED_IN', 'the department has already checked in (报到)');
      next = { ...lane, status: 'checked_in', checkedInAt: at };
      type = 'checked_in';
      break;
    case 'accept':
      expect(
        'checked_in',
        lane.status === 'summoned' ? 'LANE.NOT_CHECKED_IN' : 'LANE.ALREADY_ACCEPTED',
        'check in (报到) before accepting',
      );
      next = { ...lane, status: 'accepted', acceptedAt: at };
      type = 'accepted';
      break;
    case 'resolve':
      expect('accepted', 'LANE.NOT_ACCEPTED', 'accept (签收) the department’s part before resolving it');
      next = { ...lane, status: 'resolved', resolvedAt: at, endedAt: at };
      type = 'resolved';
      break;
    case 'return':
      if (!opts.note) throw new DomainRefusalError('ACTION.REASON_REQUIRED', 'say why the matter is returned (退回原因)');
      next = { ...lane, status: 'returned', endedAt: at };
      type = 'returned';
      break;
  }
  return commitChange(report, { assignments: replaceLane(report, next) }, now, {
    type,
    tier: eventTier,
    actor: asEventActor(actor),
    note: opts.note,
    public: opts.public,
    data: {
      department: lane.ownerCode,
      lane: lane.seq,
      ...(type === 'returned' ? { from: 'department', to: lane.summonedBy.tier } : {}),
    },
  });
}

/** The lane's officers were texted (or the texts failed: they are on the SMS records). */
export function markLaneNotified(report: Report, seq: number, outcome: { sent: string[]; failed: string[] }, now: Date): Change {
  const lane = laneBySeq(report, seq);
  if (!lane || lane.notified) throw new ConflictError('LANE.MOVED_ON', 'the lane was notified already');
  const type = outcome.sent.length === 0 && outcome.failed.length > 0 ? 'sms_failed' : 'notified';
  return commitChange(report, { assignments: replaceLane(report, { ...lane, notified: true }) }, now, {
    type,
    tier: eventTier,
    actor: SYSTEM_ACTOR,
    data: { department: lane.ownerCode, lane: seq, sent: outcome.sent, failed: outcome.failed },
  });
}

/** The deadline that replaces a lapsed one at supervision; the later ones never land before it. */
function movedDeadlines(lane: Assignment, phase: LanePhase, next: string): Pick<Assignment, 'checkInBy' | 'acceptBy' | 'completeBy'> {
  const later = (a: string | null) => (a !== null && a > next ? a : next);
  if (phase === 'check_in') return { checkInBy: next, acceptBy: later(lane.acceptBy), completeBy: later(lane.completeBy) };
  if (phase === 'accept') return { checkInBy: lane.checkInBy, acceptBy: next, completeBy: later(lane.completeBy) };
  return { checkInBy: lane.checkInBy, acceptBy: lane.acceptBy, completeBy: next };
}

/**
 * A lane missed its deadline: the breach is charged to the department, and the lane goes under
 * county supervision (县级督办): the county admins are texted, and the lapsed deadline moves out by
 * the supervision interval (`nextDeadline`), after which each miss is a 督办 reminder.
 */
export function escalateLane(report: Report, seq: number, supervisors: Assignee[], nextDeadline: string, now: Date): Change {
  const lane = laneBySeq(report, seq);
  const due = lane && isOpenLane(lane) ? laneDeadline(lane) : null;
  if (!lane || !due || Date.parse(due.deadline) > now.getTime())
    throw new ConflictError('REPORT.NOT_OVERDUE', 'the deadline has not passed');
  const at = now.toISOString();
  const breach: LaneBreach = { ownerCode: lane.ownerCode, phase: due.phase, deadline: due.deadline, at };
  const first = lane.escalatedAt === null;
  const next: Assignment = {
    ...lane,
    ...movedDeadlines(lane, due.phase, nextDeadline),
    breaches: first ? [...lane.breaches, breach] : lane.breaches,
    escalatedAt: lane.escalatedAt ?? at,
    supervisors: first ? supervisors : lane.supervisors,
    remindersSent: lane.remindersSent + 1,
  };
  const deadlines = { checkInBy: next.checkInBy, acceptBy: next.acceptBy, completeBy: next.completeBy };
  return commitChange(report, { assignments: replaceLane(report, next) }, now, {
    type: first ? 'escalated' : 'supervised',
    tier: first ? 'supervision' : eventTier,
    actor: SYSTEM_ACTOR,
    data: first
      ? {
          department: lane.ownerCode,
          lane: seq,
          from: 'department',
          to: 'supervision',
          reason: `${due.phase}_overdue`,
          assignees: supervisors.map((a) => a.name),
          ...deadlines,
        }
      : { department: lane.ownerCode, lane: seq, reminder: next.remindersSent, overdueSince: due.deadline, ...deadlines },
  });
}

/** How the report's resolution waits on its lanes: every summoned department, or any one. */
export type WhistleCompletion = 'all' | 'any';

/**
 * The rule for 办结 with departments summoned: the tier's handler resolves the report, and may do
 * so only once the departments have finished — every one of them under 'all' (the default: an
 * open lane refuses the resolve, 409 REPORT.DEPARTMENTS_OPEN), or one under 'any' (then the lanes
 * still open end as withdrawn with the resolve). A returned lane counts as finished, but not as
 * the one that suffices: under 'any' at least one lane must have resolved.
 */
export function settleLanesOnResolve(report: Report, completion: WhistleCompletion, now: Date): Assignment[] | undefined {
  const lanes = assignmentsOf(report);
  if (lanes.length === 0) return undefined;
  const open = lanes.filter(isOpenLane);
  if (open.length === 0) return lanes;
  const openNames = open.map((l) => l.ownerName);
  if (completion === 'any' && lanes.some((l) => l.status === 'resolved')) {
    const at = now.toISOString();
    return lanes.map((l) => (isOpenLane(l) ? { ...l, status: 'withdrawn' as const, endedAt: at } : l));
  }
  throw new ConflictError('REPORT.DEPARTMENTS_OPEN', `summoned departments have not finished: ${openNames.join('、')}`, {
    departments: open.map((l) => l.ownerCode),
  });
}

/**
 * The report as a summoned department's officers see it in their lists: their lane in the tier's
 * shape (status, owner, assignees, deadlines, breaches), so the workbench ranks it by the deadline
 * the department races. A report whose tier the department holds, or without an open lane of
 * theirs, is itself.
 */
export function asSeenByDepartment(report: Report, departmentCode: string): Report {
  const lane = openLanes(report).find((l) => l.ownerCode === departmentCode);
  if (!lane || (report.tier === 'department' && report.ownerCode === departmentCode)) return report;
  return {
    ...report,
    status: lane.status === 'accepted' ? 'accepted' : 'assigned',
    tier: 'department',
    ownerCode: lane.ownerCode,
    ownerName: lane.ownerName,
    assignees: lane.assignees,
    acceptBy: lane.status === 'summoned' ? lane.checkInBy : lane.acceptBy,
    completeBy: lane.completeBy,
    breaches: lane.breaches.map((b) => ({
      tier: 'department',
      ownerCode: b.ownerCode,
      phase: b.phase === 'complete' ? 'complete' : 'accept',
      deadline: b.deadline,
      at: b.at,
    })),
  };
}

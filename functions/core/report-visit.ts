/**
 * 回访 (return visit) before 销号: a resolved report goes to someone other than its handler, who
 * asks the reporter. Satisfied closes it; not satisfied reopens it at the tier that resolved it,
 * with fresh deadlines; nobody visiting by the deadline closes it flagged "not visited".
 *
 * Who visits: the grid's workers (they know the reporter), unless they handled it themselves (they
 * are among the resolving tier's officers); then the village's officers; then the township's; then
 * the county's. Never one of the officers who resolved it.
 */
import { ConflictError, ForbiddenError } from './errors.ts';
import type { Actor } from './people.ts';
import type { Tier } from './policy.ts';
import { type Assignee, type Change, commit, type Report, SYSTEM_ACTOR, type TierAssignment, withAssignment } from './report.ts';

/** Absent in a policy: three days (of policy time) to visit. */
export const DEFAULT_VISIT_SECONDS = 3 * 86_400;

/** The flag a report closed without a return visit carries. */
export const NOT_VISITED = 'not_visited';

/** The posts asked to visit, in order: the first with someone who did not handle the report visits. */
export const VISITOR_POSTS: readonly Tier[] = ['grid', 'village', 'township', 'supervision'];

export interface ReturnVisit {
  /** The resolution it is for: the tierSeq of the tier that resolved the report. */
  tierSeq: number;
  visitors: Assignee[];
  dueBy: string;
  assignedAt: string;
  /** Set by the visitor; the workflow closes or reopens after it. */
  outcome?: 'satisfied' | 'unsatisfied';
  visitedBy?: string;
}

export interface VisitFields {
  visit?: ReturnVisit | null;
}

/** The visit of the current resolution (a reopened report's earlier visit does not count). */
export function currentVisit(report: Report): ReturnVisit | null {
  return report.status === 'resolved' && report.visit?.tierSeq === report.tierSeq ? report.visit : null;
}

/** Who may visit, from the officers of each visitor post in order: never one who handled it. */
export function chooseVisitors(report: Report, officersByPost: Assignee[][]): Assignee[] {
  const handlers = new Set(report.assignees.map((a) => a.id));
  for (const officers of officersByPost) {
    const others = officers.filter((o) => !handlers.has(o.id));
    if (others.length > 0) return others;
  }
  return [];
}

/** The visit is set up (no timeline event: the SMS log shows the texts; `visited` records the visit). */
export function withVisit(report: Report, visitors: Assignee[], dueBy: Date, now: Date): Report {
  const visit: ReturnVisit = { tierSeq: report.tierSeq, visitors, dueBy: dueBy.toISOString(), assignedAt: now.toISOString() };
  return { ...report, visit, version: report.version + 1 };
}

export function mayReview(actor: Actor, report: Report): boolean {
  const visit = currentVisit(report);
  return visit !== null && visit.outcome === undefined && visit.visitors.some((v) => v.id === actor.id);
}

/** The visitor's answer: `visited` on the timeline, and the workflow closes or reopens it. */
export function review(report: Report, actor: Actor, answer: { satisfied: boolean; note?: string }, now: Date): Change {
  const visit = currentVisit(report);
  if (report.status !== 'resolved') throw new ConflictError('REPORT.NOT_RESOLVED', `a ${report.status} report is not waiting for 回访`);
  if (!visit) throw new ConflictError('VISIT.NOT_READY', 'the return visit is being set up: try again in a moment');
  if (visit.outcome !== undefined) throw new ConflictError('VISIT.ALREADY_DONE', 'the return visit was recorded already');
  if (!visit.visitors.some((v) => v.id === actor.id)) {
    throw new ForbiddenError('VISIT.NOT_YOURS', 'only the person asked to visit may record the return visit');
  }
  const outcome = answer.satisfied ? ('satisfied' as const) : ('unsatisfied' as const);
  return commit(report, { visit: { ...visit, outcome, visitedBy: actor.id } }, now, {
    type: 'visited',
    actor: { id: actor.id, name: actor.name, role: actor.role },
    note: answer.note,
    data: { satisfied: answer.satisfied },
  });
}

/** 销号 after the visit, or without one when nobody visited by the deadline (flagged). */
export function closeAfterVisit(report: Report, now: Date): Change {
  if (report.status !== 'resolved') throw new ConflictError('REPORT.NOT_RESOLVED', 'only a resolved report closes');
  const visit = currentVisit(report);
  const visited = visit?.outcome === 'satisfied';
  const flags = visited || report.flags.includes(NOT_VISITED) ? report.flags : [...report.flags, NOT_VISITED];
  return commit(report, { status: 'closed', closedAt: now.toISOString(), waiting: null, flags }, now, {
    type: 'closed',
    actor: SYSTEM_ACTOR,
    data: visited ? { visited: true } : { notVisited: true, ...(visit ? { visitDueBy: visit.dueBy } : { reason: 'no_visitor' }) },
  });
}

/** Not satisfied: back to the tier that resolved it (or the next one with an officer), with fresh deadlines. */
export function reopen(report: Report, assignment: TierAssignment, deadlines: { acceptBy: string; completeBy: string }, now: Date): Change {
  const visit = currentVisit(report);
  if (visit?.outcome !== 'unsatisfied') throw new ConflictError('VISIT.NOT_UNSATISFIED', 'only an unsatisfied visit reopens a report');
  return commit(report, { ...withAssignment(report, assignment, deadlines, now), resolvedAt: null }, now, {
    type: 'reopened',
    tier: assignment.tier,
    actor: SYSTEM_ACTOR,
    data: {
      from: report.tier,
      to: assignment.tier,
      ownerCode: assignment.ownerCode,
      assignees: assignment.assignees.map((a) => a.name),
      ...deadlines,
    },
  });
}

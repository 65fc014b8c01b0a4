/**
 * What the reader of a report may do with it now, so the console offers only those buttons. The
 * same rules the actions themselves apply (report.ts, access.ts, use-cases/reports.ts), read
 * without acting: a button shown here is one the API accepts, unless the report moves meanwhile
 * (then 409, as for any stale action).
 */
import { canRead, mayEscalate, mayPublishNote, mayWhistle } from './access.ts';
import { assignmentsOf, type LaneAction, laneActionsFor } from './assignments.ts';
import { mayMergeAway } from './duplicates.ts';
import type { Actor } from './people.ts';
import { escalationTarget, type Report, returnTarget } from './report.ts';
import { isSuspended, mayDecideExtension, mayRemind, mayRequestExtension, maySuspend } from './report-clocks.ts';
import { mayReview } from './report-visit.ts';

export const READER_ACTIONS = [
  'accept',
  'resolve',
  'escalate',
  'return',
  'merge',
  'comment',
  'remind',
  'request_extension',
  'decide_extension',
  'suspend',
  'resume',
  'review',
] as const;
export type ReaderAction = (typeof READER_ACTIONS)[number];

export interface ReaderActions {
  /** In the order the console lays its buttons out. */
  actions: ReaderAction[];
  /** Whether a note they send may be marked public (the Open311 feed shows it). */
  mayPublishNote: boolean;
  /** Whether they may whistle (吹哨) departments to it now. */
  mayWhistle: boolean;
  /** The lane actions they may take, per summoned department: only its officers get any. */
  laneActions: { department: string; seq: number; actions: LaneAction[] }[];
}

function laneReaderActions(actor: Actor, report: Report): ReaderActions['laneActions'] {
  return assignmentsOf(report)
    .map((lane) => ({ department: lane.ownerCode, seq: lane.seq, actions: laneActionsFor(lane, actor.id) }))
    .filter((l) => l.actions.length > 0);
}

/** `now` decides the offers that depend on a deadline (延期); without it, the moment the report last changed. */
export function readerActions(actor: Actor, report: Report, now: Date = new Date(report.updatedAt)): ReaderActions {
  if (!canRead(actor, report)) return { actions: [], mayPublishNote: false, mayWhistle: false, laneActions: [] };
  const assignee = report.assignees.some((a) => a.id === actor.id);
  const atTier = report.status === 'assigned' || report.status === 'accepted';
  const running = atTier && !isSuspended(report);
  const actions: ReaderAction[] = [];
  if (assignee && running && report.status === 'assigned') actions.push('accept');
  if (assignee && running && report.status === 'accepted') actions.push('resolve');
  if (running && escalationTarget(report) !== null && mayEscalate(actor, report)) actions.push('escalate');
  if (assignee && running && returnTarget(report) !== null) actions.push('return');
  // 合并 (POST /api/v1/reports/{id}/merge): this report into another the admin also holds.
  if (mayMergeAway(actor, report)) actions.push('merge');
  actions.push('comment');
  if (mayRemind(actor, report)) actions.push('remind');
  if (mayRequestExtension(actor, report, now)) actions.push('request_extension');
  if (mayDecideExtension(actor, report, now)) actions.push('decide_extension');
  if (atTier && maySuspend(actor, report)) actions.push(isSuspended(report) ? 'resume' : 'suspend');
  if (mayReview(actor, report)) actions.push('review');
  return {
    actions,
    mayPublishNote: mayPublishNote(actor, report),
    mayWhistle: mayWhistle(actor, report),
    laneActions: laneReaderActions(actor, report),
  };
}

/**
 * What the reader of a report may do with it now, so the console offers only those buttons. The
 * same rules the actions themselves apply (report.ts, access.ts, use-cases/reports.ts), read
 * without acting: a button shown here is one the API accepts, unless the report moves meanwhile
 * (then 409, as for any stale action). Whistle (吹哨) and review (回访) come with their issues.
 */
import { canRead, mayEscalate, mayPublishNote, mayWhistle } from './access.ts';
import { assignmentsOf, type LaneAction, laneActionsFor } from './assignments.ts';
import { mayMergeAway } from './duplicates.ts';
import type { Actor } from './people.ts';
import { escalationTarget, type Report, returnTarget } from './report.ts';

export const READER_ACTIONS = ['accept', 'resolve', 'escalate', 'return', 'merge', 'comment'] as const;
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

export function readerActions(actor: Actor, report: Report): ReaderActions {
  if (!canRead(actor, report)) return { actions: [], mayPublishNote: false, mayWhistle: false, laneActions: [] };
  const assignee = report.assignees.some((a) => a.id === actor.id);
  const atTier = report.status === 'assigned' || report.status === 'accepted';
  const actions: ReaderAction[] = [];
  if (assignee && report.status === 'assigned') actions.push('accept');
  if (assignee && report.status === 'accepted') actions.push('resolve');
  if (atTier && escalationTarget(report) !== null && mayEscalate(actor, report)) actions.push('escalate');
  if (assignee && atTier && returnTarget(report) !== null) actions.push('return');
  // 合并 (POST /api/v1/reports/{id}/merge): this report into another the admin also holds.
  if (mayMergeAway(actor, report)) actions.push('merge');
  actions.push('comment');
  return {
    actions,
    mayPublishNote: mayPublishNote(actor, report),
    mayWhistle: mayWhistle(actor, report),
    laneActions: laneReaderActions(actor, report),
  };
}

/**
 * What the reader of a report may do with it now, so the console offers only those buttons. The
 * same rules the actions themselves apply (report.ts, access.ts, use-cases/reports.ts), read
 * without acting: a button shown here is one the API accepts, unless the report moves meanwhile
 * (then 409, as for any stale action). Whistle (吹哨) comes with its issue.
 */
import { canRead, mayEscalate, mayPublishNote } from './access.ts';
import type { Actor } from './people.ts';
import { escalationTarget, type Report, returnTarget } from './report.ts';
import { isSuspended, mayDecideExtension, mayRemind, mayRequestExtension, maySuspend } from './report-clocks.ts';
import { mayReview } from './report-visit.ts';

export const READER_ACTIONS = [
  'accept',
  'resolve',
  'escalate',
  'return',
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
}

/** `now` decides the offers that depend on a deadline (延期); without it, the moment the report last changed. */
export function readerActions(actor: Actor, report: Report, now: Date = new Date(report.updatedAt)): ReaderActions {
  if (!canRead(actor, report)) return { actions: [], mayPublishNote: false };
  const assignee = report.assignees.some((a) => a.id === actor.id);
  const atTier = report.status === 'assigned' || report.status === 'accepted';
  const running = atTier && !isSuspended(report);
  const actions: ReaderAction[] = [];
  if (assignee && running && report.status === 'assigned') actions.push('accept');
  if (assignee && running && report.status === 'accepted') actions.push('resolve');
  if (running && escalationTarget(report) !== null && mayEscalate(actor, report)) actions.push('escalate');
  if (assignee && running && returnTarget(report) !== null) actions.push('return');
  actions.push('comment');
  if (mayRemind(actor, report)) actions.push('remind');
  if (mayRequestExtension(actor, report, now)) actions.push('request_extension');
  if (mayDecideExtension(actor, report, now)) actions.push('decide_extension');
  if (atTier && maySuspend(actor, report)) actions.push(isSuspended(report) ? 'resume' : 'suspend');
  if (mayReview(actor, report)) actions.push('review');
  return { actions, mayPublishNote: mayPublishNote(actor, report) };
}

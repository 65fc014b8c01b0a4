/**
 * What the escalation state machine does next for a report, decided from the stored report alone.
 * Every workflow step ends with this decision, and a resumed execution starts with it, so an
 * execution restarted after a crash continues exactly where the data says it was.
 */
import { waitUntil } from './deadlines.ts';
import { currentDeadline, type Report } from './report.ts';

export const NEXT_STEPS = [
  'assign',
  'notify',
  'await_accept',
  'await_complete',
  'escalate',
  'supervise',
  'review',
  'close',
  'done',
] as const;
export type NextStep = (typeof NEXT_STEPS)[number];

export interface StepDecision {
  next: NextStep;
  tierSeq: number;
  /** Whole seconds for the state machine's TimeoutSecondsPath (≥ 1, capped below timer overflow). */
  waitSeconds: number;
  /** The same wait in milliseconds, for engines that can time more finely than a second. */
  waitMs: number;
}

export function decideNextStep(report: Report, now: Date): StepDecision {
  const base = { tierSeq: report.tierSeq, waitSeconds: 0, waitMs: 0 };
  switch (report.status) {
    case 'closed':
      return { ...base, next: 'done' };
    case 'resolved':
      return { ...base, next: 'review' };
    case 'submitted':
      return { ...base, next: 'assign' };
    case 'assigned':
    case 'accepted': {
      if (report.notifiedTierSeq < report.tierSeq) return { ...base, next: 'notify' };
      const deadline = currentDeadline(report);
      if (deadline === null) throw new Error(`report ${report.id} is ${report.status} without a deadline`);
      const wait = waitUntil(deadline, now);
      if (wait.waitMs === 0) return { ...base, next: report.tier === 'supervision' ? 'supervise' : 'escalate' };
      return { ...base, ...wait, next: report.status === 'assigned' ? 'await_accept' : 'await_complete' };
    }
  }
}

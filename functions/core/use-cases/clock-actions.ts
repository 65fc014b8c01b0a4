/**
 * The actions people take on a tier's clocks and on the return visit (issue 11): manual 督办,
 * extension requests and decisions, suspend and resume, and the 回访. Instants come from the
 * report's PolicyTime, so the working calendar applies to extra hours and to the time left.
 */
import { DomainRefusalError } from '../errors.ts';
import type { Actor } from '../people.ts';
import type { Change, Report } from '../report.ts';
import {
  decideExtension,
  type Phase,
  phaseOf,
  remindManually,
  requestExtension,
  resume,
  runningDeadlines,
  type Suspension,
  suspend,
} from '../report-clocks.ts';
import { review } from '../report-visit.ts';
import type { Deps } from './deps.ts';
import { policyFor, policyTimeFor } from './routing.ts';

export const CLOCK_ACTIONS = ['remind', 'request_extension', 'decide_extension', 'suspend', 'resume', 'review'] as const;
export type ClockAction = (typeof CLOCK_ACTIONS)[number];

export interface ClockActionInput {
  action: ClockAction;
  note?: string;
  /** request_extension: which deadline (absent: the one the tier races now). */
  phase?: Phase;
  /** request_extension: the new deadline… */
  until?: string;
  /** …or how many hours of policy time (working hours on a working calendar) to add to the current one. */
  extraHours?: number;
  /** decide_extension */
  approved?: boolean;
  /** review */
  satisfied?: boolean;
}

export function isClockAction(action: string): action is ClockAction {
  return (CLOCK_ACTIONS as readonly string[]).includes(action);
}

async function timeOf(deps: Deps, report: Report) {
  return policyTimeFor(deps, report, await policyFor(deps, report));
}

export async function decideClockAction(deps: Deps, actor: Actor, report: Report, input: ClockActionInput): Promise<Change> {
  const now = deps.clock.now();
  switch (input.action) {
    case 'remind':
      return remindManually(report, actor, input.note, now);
    case 'request_extension': {
      if (!input.note) throw new DomainRefusalError('ACTION.REASON_REQUIRED', 'say why more time is needed (延期理由)');
      if ((input.until === undefined) === (input.extraHours === undefined)) {
        throw new DomainRefusalError('EXTENSION.UNTIL_REQUIRED', 'give either `until` (the new deadline) or `extraHours`');
      }
      const phase = input.phase ?? phaseOf(report);
      const current = phase === 'accept' ? report.acceptBy : report.completeBy;
      let until = input.until === undefined ? null : new Date(input.until);
      if (until === null) {
        // Extra hours count from the current deadline, on the report's own clock; requestExtension refuses a passed one.
        const base = current === null ? now : new Date(current);
        until = (await timeOf(deps, report)).add(base, (input.extraHours ?? 0) * 3600);
      }
      return requestExtension(report, actor, { phase, until, reason: input.note }, now);
    }
    case 'decide_extension':
      if (input.approved === undefined)
        throw new DomainRefusalError('EXTENSION.DECISION_REQUIRED', 'say whether it is approved (`approved`)');
      return decideExtension(report, actor, { approved: input.approved, note: input.note }, now);
    case 'suspend': {
      if (!input.note) throw new DomainRefusalError('ACTION.REASON_REQUIRED', 'say why the report is suspended (挂起原因)');
      const time = await timeOf(deps, report);
      const remaining: Suspension['remaining'] = {};
      const running = runningDeadlines(report);
      if (running.accept) remaining.accept = time.between(now, new Date(running.accept));
      if (running.complete) remaining.complete = time.between(now, new Date(running.complete));
      return suspend(report, actor, input.note, remaining, now);
    }
    case 'resume': {
      const remaining = report.suspended?.remaining ?? {};
      const time = await timeOf(deps, report);
      const deadlines: { acceptBy?: string; completeBy?: string } = {};
      if (remaining.accept !== undefined) deadlines.acceptBy = time.add(now, remaining.accept).toISOString();
      if (remaining.complete !== undefined) deadlines.completeBy = time.add(now, remaining.complete).toISOString();
      return resume(report, actor, deadlines, now, input.note);
    }
    case 'review':
      if (input.satisfied === undefined)
        throw new DomainRefusalError('VISIT.ANSWER_REQUIRED', 'say whether the reporter is satisfied (`satisfied`)');
      return review(report, actor, { satisfied: input.satisfied, note: input.note }, now);
  }
}

/**
 * Deadline arithmetic on an injectable clock. `timeScale` is how many policy seconds pass per real
 * second (TIME_SCALE in local mode, 1 on AWS): a 2 h accept window at scale 3600 is due 2 s later.
 * The working calendar (holidays, 调休) plugs in as a `PolicyTime`; `elapsedPolicyTime` is plain time.
 */
import type { TierDeadlines } from './policy.ts';

export interface Clock {
  now(): Date;
}

export const systemClock: Clock = { now: () => new Date() };

/** Step Functions timers must stay below Node's and AWS's 2^31 ms ceiling: longer waits loop. */
export const MAX_WAIT_SECONDS = 2_000_000;

export function addPolicySeconds(from: Date, policySeconds: number, timeScale: number): Date {
  return new Date(from.getTime() + (policySeconds * 1000) / timeScale);
}

export function tierDeadlines(start: Date, d: TierDeadlines, timeScale: number): { acceptBy: string; completeBy: string } {
  return {
    acceptBy: addPolicySeconds(start, d.acceptSeconds, timeScale).toISOString(),
    completeBy: addPolicySeconds(start, d.completeSeconds, timeScale).toISOString(),
  };
}

/** How long a waiting state should sleep before looking again: until the deadline, capped. */
export function waitUntil(deadline: string, now: Date): { waitMs: number; waitSeconds: number } {
  const ms = Math.max(0, Date.parse(deadline) - now.getTime());
  const waitMs = Math.min(ms, MAX_WAIT_SECONDS * 1000);
  return { waitMs, waitSeconds: Math.min(MAX_WAIT_SECONDS, Math.max(1, Math.ceil(waitMs / 1000))) };
}

/**
 * How a policy's seconds are counted from an instant. Elapsed time here; the working calendar
 * (working days, hours, holidays, 调休) gives the same two operations, so deadlines, reminders,
 * suspensions and dry runs never need to know which one they use.
 */
export interface PolicyTime {
  /** The instant `policySeconds` of policy time after `from`. */
  add(from: Date, policySeconds: number): Date;
  /** Policy seconds that pass between two instants (0 when `to` is not after `from`). */
  between(from: Date, to: Date): number;
}

export function elapsedPolicyTime(timeScale: number): PolicyTime {
  return {
    add: (from, policySeconds) => addPolicySeconds(from, policySeconds, timeScale),
    between: (from, to) => Math.max(0, ((to.getTime() - from.getTime()) * timeScale) / 1000),
  };
}

/** A tier's deadlines and the reminders (催办) due before each of them. */
export interface TierSchedule {
  acceptBy: string;
  completeBy: string;
  /** Ascending instants before acceptBy. */
  acceptReminders: string[];
  /** Ascending instants before completeBy (counted from the same start as acceptBy). */
  completeReminders: string[];
}

export function tierSchedule(start: Date, d: TierDeadlines, time: PolicyTime, reminderFractions: readonly number[]): TierSchedule {
  const at = (seconds: number) => time.add(start, seconds).toISOString();
  const reminders = (seconds: number) => [...new Set(reminderFractions.filter((f) => f > 0 && f < 1).map((f) => at(seconds * f)))].sort();
  return {
    acceptBy: at(d.acceptSeconds),
    completeBy: at(d.completeSeconds),
    acceptReminders: reminders(d.acceptSeconds),
    completeReminders: reminders(d.completeSeconds),
  };
}

/**
 * Deadline arithmetic on an injectable clock. `timeScale` is how many policy seconds pass per real
 * second (TIME_SCALE in local mode, 1 on AWS): a 2 h accept window at scale 3600 is due 2 s later.
 * The working calendar (holidays, 调休) will plug in here; until then policy time is wall time.
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

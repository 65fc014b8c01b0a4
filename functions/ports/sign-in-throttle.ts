/**
 * Failed sign-ins per key, shared by every process and Lambda instance. The policy (which keys,
 * when they lock, for how long) is core/sign-in-throttle.ts; a store only counts and locks, and
 * every change it makes is a single atomic update, so concurrent attempts lose no failure.
 */
export interface ThrottleRecord {
  /** Failures since the key was last cleared or forgotten. */
  failures: number;
  lastFailureAt: string;
  /** Refuse attempts until then (absent: never locked). */
  lockedUntil?: string;
}

export interface SignInThrottleStore {
  /** The record of each key, in order; null for a key with no failures. */
  read(keys: readonly string[]): Promise<(ThrottleRecord | null)[]>;
  /**
   * Counts one failure at `now` and returns the count including it. A key whose last failure was
   * before `forgetBefore` starts again from 1.
   */
  addFailure(key: string, now: Date, forgetBefore: Date): Promise<number>;
  /**
   * Locks the key until `until`, unless it is already locked at least as long or has fewer than
   * `failures` failures (it was cleared or forgotten in the meantime).
   */
  lock(key: string, until: Date, failures: number): Promise<void>;
  /** Forgets the key: a successful sign-in. */
  clear(key: string): Promise<void>;
}

/** An in-memory SignInThrottleStore with the DynamoDB adapter's semantics, for unit tests of sign-in. */
import type { SignInThrottleStore, ThrottleRecord } from '#ports/sign-in-throttle.ts';

export class MemorySignInThrottleStore implements SignInThrottleStore {
  readonly records = new Map<string, ThrottleRecord>();

  async read(keys: readonly string[]): Promise<(ThrottleRecord | null)[]> {
    return keys.map((key) => {
      const record = this.records.get(key);
      return record ? { ...record } : null;
    });
  }

  async addFailure(key: string, now: Date, forgetBefore: Date): Promise<number> {
    const record = this.records.get(key);
    if (!record || record.lastFailureAt < forgetBefore.toISOString()) {
      this.records.set(key, { ...record, failures: 1, lastFailureAt: now.toISOString() });
      return 1;
    }
    record.failures++;
    record.lastFailureAt = now.toISOString();
    return record.failures;
  }

  async lock(key: string, until: Date, failures: number): Promise<void> {
    const record = this.records.get(key);
    if (!record || record.failures < failures) return;
    if (record.lockedUntil && record.lockedUntil >= until.toISOString()) return;
    record.lockedUntil = until.toISOString();
  }

  async clear(key: string): Promise<void> {
    this.records.delete(key);
  }
}

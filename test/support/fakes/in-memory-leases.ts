/** The LeaseStore port in memory, with DynamoLeaseStore's rules, for fast use-case tests. */
import type { LeaseStore } from '#ports/leases.ts';

export class InMemoryLeaseStore implements LeaseStore {
  readonly leases = new Map<string, { holder: string; expiresAt: number }>();

  async acquire(name: string, holder: string, until: Date, now: Date): Promise<boolean> {
    const current = this.leases.get(name);
    if (current && current.expiresAt > now.getTime() && current.holder !== holder) return false;
    this.leases.set(name, { holder, expiresAt: until.getTime() });
    return true;
  }

  async release(name: string, holder: string, now: Date): Promise<void> {
    const current = this.leases.get(name);
    if (current?.holder === holder) current.expiresAt = now.getTime();
  }
}

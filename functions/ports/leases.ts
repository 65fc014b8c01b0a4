/**
 * Leases: at most one holder of a named job at a time, across processes and Lambda instances,
 * without reserving concurrency. A lease ends when its holder releases it or when it expires, so a
 * holder that dies cannot block the job for longer than the lease it took.
 */
export interface LeaseStore {
  /** Takes the lease until `until` if it is free, expired, or already this holder's; false otherwise. */
  acquire(name: string, holder: string, until: Date, now: Date): Promise<boolean>;
  /** Gives the lease back early; a lease that moved on to another holder is left alone. */
  release(name: string, holder: string, now: Date): Promise<void>;
}

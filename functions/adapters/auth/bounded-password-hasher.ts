/**
 * A PasswordHasher that runs at most `concurrent` hashes at once and queues at most `queued` more;
 * beyond that it refuses at once (429 AUTH.BUSY, Retry-After 1). scrypt runs on libuv's thread
 * pool (4 threads by default), which the embedded database's file I/O and the token verifier's
 * crypto also use: a burst of sign-ins left to itself fills every thread and queues report reads
 * behind dozens of hashes. Held to two, the pool always has threads for everything else.
 */
import { ThrottledError } from '#core/errors.ts';
import type { PasswordHasher } from '#ports/auth.ts';

export interface HashingLimits {
  concurrent: number;
  queued: number;
}

export class BoundedPasswordHasher implements PasswordHasher {
  private running = 0;
  private readonly waiting: (() => void)[] = [];

  constructor(
    private readonly inner: PasswordHasher,
    private readonly limits: HashingLimits,
  ) {}

  get dummyHash(): string {
    return this.inner.dummyHash;
  }

  hash(password: string): Promise<string> {
    return this.bounded(() => this.inner.hash(password));
  }

  verify(password: string, hash: string): Promise<boolean> {
    return this.bounded(() => this.inner.verify(password, hash));
  }

  private async bounded<T>(work: () => Promise<T>): Promise<T> {
    if (this.running >= this.limits.concurrent) {
      if (this.waiting.length >= this.limits.queued) {
        throw new ThrottledError('AUTH.BUSY', 'too many sign-ins at once; try again in a second', 1);
      }
      // The finishing hash hands its slot over directly (`running` stays counted), so a newcomer
      // can never slip in between and run a third.
      await new Promise<void>((resolve) => this.waiting.push(resolve));
    } else {
      this.running++;
    }
    try {
      return await work();
    } finally {
      const next = this.waiting.shift();
      if (next) next();
      else this.running--;
    }
  }
}

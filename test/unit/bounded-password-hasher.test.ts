/** At most N password hashes at once, a bounded queue, and a quick "come back" beyond it. */
import { describe, expect, it } from 'vitest';
import { BoundedPasswordHasher } from '#adapters/auth/bounded-password-hasher.ts';
import { ThrottledError } from '#core/errors.ts';
import type { PasswordHasher } from '#ports/auth.ts';

/** A hasher whose hashes finish when the test says so, and which records how many ran at once. */
class HeldHasher implements PasswordHasher {
  readonly dummyHash = 'dummy';
  running = 0;
  mostAtOnce = 0;
  started: string[] = [];
  private readonly pending: { password: string; finish: (ok: boolean) => void; fail: (error: Error) => void }[] = [];

  async hash(password: string) {
    await this.verify(password);
    return `hash:${password}`;
  }

  verify(password: string): Promise<boolean> {
    this.running++;
    this.mostAtOnce = Math.max(this.mostAtOnce, this.running);
    this.started.push(password);
    return new Promise((resolve, reject) => {
      const done = () => this.running--;
      this.pending.push({
        password,
        finish: (ok) => {
          done();
          resolve(ok);
        },
        fail: (error) => {
          done();
          reject(error);
        },
      });
    });
  }

  /** Finishes the oldest running hash (or fails it) and lets the queue move on. */
  async finishOne(outcome: 'ok' | 'fail' = 'ok') {
    const next = this.pending.shift();
    if (!next) throw new Error('nothing is running');
    if (outcome === 'ok') next.finish(true);
    else next.fail(new Error('scrypt failed'));
    await new Promise((r) => setImmediate(r));
  }
}

const settle = () => new Promise((r) => setImmediate(r));

describe('BoundedPasswordHasher', () => {
  it('never runs more than two hashes at once, and runs every queued one in turn', async () => {
    // Prepare
    const inner = new HeldHasher();
    const hasher = new BoundedPasswordHasher(inner, { concurrent: 2, queued: 10 });

    // Act
    const all = Array.from({ length: 12 }, (_, i) => hasher.verify(`p${i}`, 'h'));
    await settle();
    const startedAtFirst = inner.started.length;
    for (let i = 0; i < 12; i++) await inner.finishOne();
    const results = await Promise.all(all);

    // Assess
    expect(startedAtFirst).toBe(2);
    expect(inner.mostAtOnce).toBe(2);
    expect(results).toEqual(Array(12).fill(true));
    expect(inner.started).toEqual(Array.from({ length: 12 }, (_, i) => `p${i}`));
  });

  it('refuses at once, without hashing, once the queue is full: 429 AUTH.BUSY, come back in a second', async () => {
    // Prepare
    const inner = new HeldHasher();
    const hasher = new BoundedPasswordHasher(inner, { concurrent: 2, queued: 3 });
    const admitted = Array.from({ length: 5 }, (_, i) => hasher.verify(`p${i}`, 'h'));

    // Act
    const refused = await hasher.verify('one too many', 'h').catch((error: unknown) => error);

    // Assess
    expect(refused).toBeInstanceOf(ThrottledError);
    expect(refused).toMatchObject({ kind: 'throttled', code: 'AUTH.BUSY', retryAfterSeconds: 1 });
    expect(inner.started).not.toContain('one too many');
    for (let i = 0; i < 5; i++) await inner.finishOne();
    expect(await Promise.all(admitted)).toEqual(Array(5).fill(true));
  });

  it('frees the slot of a hash that fails', async () => {
    // Prepare
    const inner = new HeldHasher();
    const hasher = new BoundedPasswordHasher(inner, { concurrent: 1, queued: 1 });
    const failing = hasher.verify('a', 'h').catch((error: unknown) => error);
    const next = hasher.verify('b', 'h');
    await settle();

    // Act
    await inner.finishOne('fail');
    await inner.finishOne();

    // Assess
    expect(await failing).toBeInstanceOf(Error);
    expect(await next).toBe(true);
    expect(inner.mostAtOnce).toBe(1);
    expect(hasher.dummyHash).toBe('dummy');
  });
});

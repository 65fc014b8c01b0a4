/**
 * The sign-in use case against in-memory ports: what is hashed, what is counted, when attempts
 * are refused and when they are let through again (on a manual clock).
 */
import { describe, expect, it } from 'vitest';
import { ManualClock } from '#adapters/clock/clocks.ts';
import { AuthenticationError, ThrottledError } from '#core/errors.ts';
import type { Person } from '#core/people.ts';
import { type SignInAttempt, type SignInDeps, signIn } from '#core/use-cases/sign-in.ts';
import type { PasswordHasher, Session, SessionStore } from '#ports/auth.ts';
import type { Credential, CredentialStore, DirectoryStore } from '#ports/directory.ts';
import { MemorySignInThrottleStore } from '../support/memory-sign-in-throttle.ts';
import { NOW, villageAdmin } from './fixtures.ts';

/** Counts every verification and what it was checked against; `hash:<password>` is a password's hash. */
class CountingHasher implements PasswordHasher {
  readonly dummyHash = 'dummy-hash';
  readonly verified: string[] = [];
  async hash(password: string) {
    return `hash:${password}`;
  }
  async verify(password: string, hash: string) {
    this.verified.push(hash);
    return hash === `hash:${password}`;
  }
}

class MemorySessions implements SessionStore {
  readonly sessions = new Map<string, Session>();
  async createSession(session: Session) {
    this.sessions.set(session.id, session);
  }
  async getSession(id: string) {
    return this.sessions.get(id) ?? null;
  }
  async rotateSession() {
    return false;
  }
  async revokeSession() {}
  async revokeSessionsOf() {}
}

const PERSON: Person = { ...villageAdmin, phone: '+8613800000000' };

function setup() {
  const clock = new ManualClock(NOW);
  const passwords = new CountingHasher();
  const throttle = new MemorySignInThrottleStore();
  const credentials = new Map<string, Credential>([
    ['village1', { username: 'village1', personId: PERSON.id, passwordHash: 'hash:right' }],
    ['village2', { username: 'village2', personId: PERSON.id, passwordHash: 'hash:right' }],
  ]);
  const deps: SignInDeps = {
    directory: { getPerson: async (id: string) => (id === PERSON.id ? PERSON : null) } as DirectoryStore,
    credentials: { getCredential: async (username: string) => credentials.get(username) ?? null } as CredentialStore,
    passwords,
    signInThrottle: throttle,
    tokens: {
      issue: async () => ({ token: 'access-token', expiresAt: NOW.toISOString() }),
      verify: async () => {
        throw new Error('not used');
      },
    },
    sessions: new MemorySessions(),
    refreshTokens: { secret: new Uint8Array(32) },
    clock,
    refreshTtlSeconds: 3600,
  };
  const attempt = (username: string, password: string, sourceIp = '203.0.113.7'): Promise<unknown> =>
    signIn(deps, { username, password, sourceIp } satisfies SignInAttempt).then(
      () => 'signed in',
      (error: unknown) => error,
    );
  return { deps, clock, passwords, throttle, attempt };
}

describe('signIn: what is hashed', () => {
  it('checks an unknown username against the dummy hash, once, and answers as for a wrong password', async () => {
    // Prepare
    const { passwords, attempt } = setup();

    // Act
    const unknown = await attempt('nobody', 'right');
    const wrong = await attempt('village1', 'wrong');

    // Assess
    expect(passwords.verified).toEqual(['dummy-hash', 'hash:right']);
    expect(unknown).toBeInstanceOf(AuthenticationError);
    expect(unknown).toMatchObject({ code: 'AUTH.BAD_CREDENTIALS', message: (wrong as Error).message });
  });

  it('signs in with the right password', async () => {
    // Prepare
    const { passwords, attempt } = setup();

    // Act
    const result = await attempt('village1', 'right');

    // Assess
    expect(result).toBe('signed in');
    expect(passwords.verified).toEqual(['hash:right']);
  });
});

describe('signIn: lockouts', () => {
  it('refuses during a lockout without checking the password, and refused attempts do not extend it', async () => {
    // Prepare: five wrong passwords lock the username at this address for a minute.
    const { clock, passwords, attempt } = setup();
    for (let i = 0; i < 5; i++) await attempt('village1', 'wrong');
    const checked = passwords.verified.length;

    // Act
    const first = await attempt('village1', 'right');
    clock.advance(30_000);
    for (let i = 0; i < 50; i++) await attempt('village1', 'wrong');
    const halfway = await attempt('village1', 'right');
    clock.advance(30_000);
    const after = await attempt('village1', 'right');

    // Assess
    expect(first).toBeInstanceOf(ThrottledError);
    expect(first).toMatchObject({ code: 'AUTH.THROTTLED', retryAfterSeconds: 60 });
    expect(halfway).toMatchObject({ code: 'AUTH.THROTTLED', retryAfterSeconds: 30 });
    expect(passwords.verified.length).toBe(checked + 1);
    expect(after).toBe('signed in');
  });

  it('forgets the failures of a username and of its address on success, not those of the address alone', async () => {
    // Prepare
    const { throttle, attempt } = setup();
    for (let i = 0; i < 3; i++) await attempt('village1', 'wrong');

    // Act
    await attempt('village1', 'right');

    // Assess
    expect([...throttle.records.keys()]).toEqual(['address#203.0.113.7']);
    expect(throttle.records.get('address#203.0.113.7')?.failures).toBe(3);
  });

  it('forgets failures after an hour without one', async () => {
    // Prepare
    const { clock, attempt } = setup();
    for (let i = 0; i < 4; i++) await attempt('village1', 'wrong');
    clock.advance(61 * 60_000);

    // Act
    const answers = [];
    for (let i = 0; i < 4; i++) answers.push(await attempt('village1', 'wrong'));
    answers.push(await attempt('village1', 'right'));

    // Assess
    expect(answers.slice(0, 4).every((a) => a instanceof AuthenticationError)).toBe(true);
    expect(answers[4]).toBe('signed in');
  });

  it('counts one address across usernames: after 30 failures it is refused for any username, other addresses are not', async () => {
    // Prepare: three guesses each at ten usernames, too few to lock any one of them.
    const { attempt } = setup();
    for (let round = 0; round < 3; round++) for (let u = 0; u < 10; u++) await attempt(`user-${u}`, 'wrong');

    // Act
    const here = await attempt('village2', 'right');
    const elsewhere = await attempt('village2', 'right', '198.51.100.9');

    // Assess
    expect(here).toMatchObject({ code: 'AUTH.THROTTLED', retryAfterSeconds: 60 });
    expect(elsewhere).toBe('signed in');
  });

  it('locks a username for every address once ten addresses have each guessed wrong', async () => {
    // Prepare
    const { attempt } = setup();
    for (let a = 1; a <= 10; a++) await attempt('village1', 'wrong', `198.51.100.${a}`);

    // Act
    const fresh = await attempt('village1', 'right', '192.0.2.1');

    // Assess
    expect(fresh).toMatchObject({ code: 'AUTH.THROTTLED', retryAfterSeconds: 60 });
  });
});

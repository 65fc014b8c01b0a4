/**
 * Accounts: the pure rules (usernames, one-time passwords, chosen passwords), the local provider,
 * the account use case, and the first sign-in that must replace a one-time password, on in-memory ports.
 */
import { describe, expect, it } from 'vitest';
import { LocalAccountProvider } from '#adapters/auth/local-accounts.ts';
import { ManualClock } from '#adapters/clock/clocks.ts';
import { initialPassword, newPasswordProblem, usernameProblem } from '#core/accounts.ts';
import {
  AuthenticationError,
  ConflictError,
  type DomainRefusalError,
  ForbiddenError,
  ThrottledError,
  ValidationError,
} from '#core/errors.ts';
import { createAccount } from '#core/use-cases/accounts.ts';
import { changePassword, type SignInDeps, signIn } from '#core/use-cases/sign-in.ts';
import type { AuthenticatedActor, PasswordHasher, Session, SessionStore } from '#ports/auth.ts';
import { InMemoryAuditLog, inMemoryDirectory } from '../support/fakes/in-memory-directory.ts';
import { MemorySignInThrottleStore } from '../support/memory-sign-in-throttle.ts';
import { GRID, NOW, OTHER_GRID, otherVillageAdmin, TOWNSHIP, VILLAGE, villageAdmin, worker } from './fixtures.ts';

/** `hash:<password>` is a password's hash: cheap, and a test can see what was hashed. */
const hasher: PasswordHasher = {
  dummyHash: 'dummy-hash',
  hash: async (password) => `hash:${password}`,
  verify: async (password, hash) => hash === `hash:${password}`,
};

class MemorySessions implements SessionStore {
  readonly sessions = new Map<string, Session>();
  async createSession(session: Session) {
    this.sessions.set(session.id, { ...session });
  }
  async getSession(id: string) {
    return this.sessions.get(id) ?? null;
  }
  async rotateSession() {
    return false;
  }
  async revokeSession(id: string, at: Date) {
    const session = this.sessions.get(id);
    if (session && !session.revokedAt) session.revokedAt = at.toISOString();
  }
  async revokeSessionsOf(personId: string, at: Date, keep?: string) {
    for (const s of this.sessions.values()) if (s.personId === personId && s.id !== keep) await this.revokeSession(s.id, at);
  }
  live(personId: string) {
    return [...this.sessions.values()].filter((s) => s.personId === personId && !s.revokedAt).map((s) => s.id);
  }
}

/** A fixed sequence of "random" picks, so a password is predictable in a test. */
const sequence = (...values: number[]) => {
  let i = 0;
  return (n: number) => (values[i++ % values.length] ?? 0) % n;
};

async function setup() {
  const clock = new ManualClock(NOW);
  const directory = inMemoryDirectory();
  for (const node of [TOWNSHIP, VILLAGE, GRID, OTHER_GRID]) await directory.putNode(node);
  await directory.putPerson({ ...worker, phone: '+8613877200301', scopePath: GRID.path });
  await directory.putPerson({ ...villageAdmin, phone: '+8613877200201', scopePath: VILLAGE.path });
  const sessions = new MemorySessions();
  const accounts = new LocalAccountProvider({ credentials: directory, passwords: hasher, sessions, now: () => clock.now() });
  const audit = new InMemoryAuditLog();
  const signInDeps: SignInDeps = {
    directory,
    credentials: directory,
    passwords: hasher,
    signInThrottle: new MemorySignInThrottleStore(),
    tokens: {
      issue: async () => ({ token: 'access-token', expiresAt: NOW.toISOString() }),
      verify: async () => {
        throw new Error('not used');
      },
    },
    sessions,
    refreshTokens: { secret: new Uint8Array(32) },
    clock,
    refreshTtlSeconds: 3600,
  };
  return { clock, directory, sessions, accounts, audit, accountDeps: { directory, audit, clock, accounts }, signInDeps };
}

const WORKER = { ...worker, phone: '+8613877200301' };
const VILLAGE_ADMIN = { ...villageAdmin, phone: '+8613877200201' };

const failure = (promise: Promise<unknown>) =>
  promise.then(
    () => new Error('expected a refusal'),
    (e: unknown) => e,
  );

describe('the rules', () => {
  it('allows usernames of 3–32 lower-case letters, digits, _ . -', () => {
    expect(usernameProblem('qin.hong_01')).toBeNull();
    for (const bad of ['qh', 'Qin', 'qin hong', 'q'.repeat(33), '覃宏', 'qin@gw']) expect(usernameProblem(bad)).not.toBeNull();
  });

  it('makes one-time passwords of three readable groups, each with upper, lower and digit (Cognito’s policy too)', () => {
    for (let i = 0; i < 50; i++) {
      const password = initialPassword();
      expect(password).toMatch(/^[A-HJ-NP-Za-km-z2-9]{4}-[A-HJ-NP-Za-km-z2-9]{4}-[A-HJ-NP-Za-km-z2-9]{4}$/);
      for (const group of password.split('-')) {
        expect(group).toMatch(/[A-Z]/);
        expect(group).toMatch(/[a-z]/);
        expect(group).toMatch(/[2-9]/);
      }
    }
    expect(new Set(Array.from({ length: 20 }, () => initialPassword())).size).toBe(20);
  });

  it('wants a new password of 10 characters or more that is not the current one', () => {
    expect(newPasswordProblem('Ab3d-Ef4h-Jk5m', 'a-long-new-password')).toBeNull();
    expect(newPasswordProblem('Ab3d-Ef4h-Jk5m', 'short')).toMatch(/至少10位/);
    expect(newPasswordProblem('Ab3d-Ef4h-Jk5m', 'Ab3d-Ef4h-Jk5m')).toMatch(/不能与当前密码相同/);
  });
});

describe('LocalAccountProvider', () => {
  it('stores only a hash of the one-time password, marked to be changed, and refuses a taken username', async () => {
    // Prepare
    const { directory, clock, sessions } = await setup();
    const accounts = new LocalAccountProvider({
      credentials: directory,
      passwords: hasher,
      sessions,
      now: () => clock.now(),
      pick: sequence(3, 1, 4, 1, 5, 9, 2, 6),
    });

    // Act
    const account = await accounts.create(WORKER, 'qin.hong');
    const taken = await failure(accounts.create(VILLAGE_ADMIN, 'qin.hong'));

    // Assess
    expect(await directory.getCredential('qin.hong')).toEqual({
      username: 'qin.hong',
      personId: worker.id,
      passwordHash: `hash:${account.initialPassword}`,
      mustChangePassword: true,
    });
    expect(JSON.stringify([...directory.people.values()])).not.toContain(account.initialPassword);
    expect(taken).toBeInstanceOf(ConflictError);
    expect((taken as ConflictError).code).toBe('ACCOUNT.USERNAME_TAKEN');
  });

  it('disabling marks the credential and ends the person’s sessions', async () => {
    // Prepare
    const { directory, sessions, accounts } = await setup();
    await accounts.create(WORKER, 'qin.hong');
    await sessions.createSession({
      id: 's1',
      personId: worker.id,
      generation: 0,
      refreshHash: 'h',
      expiresAt: NOW.toISOString(),
      createdAt: NOW.toISOString(),
    });

    // Act
    await accounts.disable({ ...WORKER, username: 'qin.hong' });

    // Assess
    expect((await directory.getCredential('qin.hong'))?.disabled).toBe(true);
    expect(sessions.live(worker.id)).toEqual([]);
  });
});

describe('createAccount', () => {
  it('creates the account, records the username on the person (audited), and returns the password once', async () => {
    // Prepare
    const { accountDeps, directory, audit } = await setup();

    // Act
    const account = await createAccount(accountDeps, villageAdmin, worker.id, 'qin.hong');

    // Assess
    expect(account.username).toBe('qin.hong');
    expect((await directory.getPerson(worker.id))?.username).toBe('qin.hong');
    expect(audit.entries).toEqual([expect.objectContaining({ change: 'account_created', after: { username: 'qin.hong' } })]);
    expect(JSON.stringify(audit.entries)).not.toContain(account.initialPassword);
  });

  it.each([
    ['an invalid username', villageAdmin, 'Qin Hong', ValidationError, 'ACCOUNT.INVALID_USERNAME'],
    ['an admin of another village', otherVillageAdmin, 'qin.hong', ForbiddenError, 'PEOPLE.OUT_OF_SCOPE'],
    ['the person themselves', worker, 'qin.hong', ForbiddenError, 'PEOPLE.NOT_AN_ADMIN'],
  ] as const)('refuses %s, creating nothing', async (_case, actor, username, kind, code) => {
    // Prepare
    const { accountDeps, directory } = await setup();

    // Act
    const error = await failure(createAccount(accountDeps, actor, worker.id, username));

    // Assess
    expect(error).toBeInstanceOf(kind);
    expect((error as { code: string }).code).toBe(code);
    expect(directory.credentials.size).toBe(0);
  });

  it('refuses a second account, and an account for a deactivated person', async () => {
    // Prepare
    const { accountDeps, directory } = await setup();
    await createAccount(accountDeps, villageAdmin, worker.id, 'qin.hong');
    await directory.putPerson({ ...villageAdmin, phone: '+8613877200201', scopePath: VILLAGE.path, active: false });

    // Act
    const second = await failure(createAccount(accountDeps, villageAdmin, worker.id, 'qin.hong2'));
    const inactive = await failure(createAccount(accountDeps, { ...villageAdmin, id: 'p-colleague' }, villageAdmin.id, 'qin.guoqing'));

    // Assess
    expect((second as ConflictError).code).toBe('ACCOUNT.EXISTS');
    expect((inactive as DomainRefusalError).code).toBe('PEOPLE.INACTIVE');
    expect(directory.credentials.size).toBe(1);
  });
});

describe('the first sign-in with a one-time password', () => {
  it('refuses to sign in without a new password, then sets it once and signs in, ending older sessions', async () => {
    // Prepare
    const { accountDeps, signInDeps, sessions } = await setup();
    const { initialPassword: once } = await createAccount(accountDeps, villageAdmin, worker.id, 'qin.hong');

    // Act
    const refused = await failure(signIn(signInDeps, { username: 'qin.hong', password: once }));
    const same = await failure(signIn(signInDeps, { username: 'qin.hong', password: once, newPassword: once }));
    const signedIn = await signIn(signInDeps, { username: 'qin.hong', password: once, newPassword: 'qin-chosen-1' });
    const reused = await failure(signIn(signInDeps, { username: 'qin.hong', password: once, newPassword: 'qin-chosen-2' }));

    // Assess
    expect((refused as ForbiddenError).code).toBe('AUTH.PASSWORD_CHANGE_REQUIRED');
    expect((same as DomainRefusalError).code).toBe('AUTH.PASSWORD_REFUSED');
    expect(signedIn.user.id).toBe(worker.id);
    expect(reused).toBeInstanceOf(AuthenticationError);
    expect(sessions.live(worker.id)).toHaveLength(1);
    expect([...sessions.sessions.values()][0]?.username).toBe('qin.hong');
  });

  it('answers a disabled account and a deactivated person like a wrong password', async () => {
    // Prepare
    const { directory, signInDeps } = await setup();
    await directory.putCredential({ username: 'qin.hong', personId: worker.id, passwordHash: 'hash:right', disabled: true });
    await directory.putCredential({ username: 'qin.guoqing', personId: villageAdmin.id, passwordHash: 'hash:right' });
    await directory.putPerson({ ...villageAdmin, phone: '+8613877200201', active: false });

    // Act
    const disabled = await failure(signIn(signInDeps, { username: 'qin.hong', password: 'right' }));
    const deactivated = await failure(signIn(signInDeps, { username: 'qin.guoqing', password: 'right' }));

    // Assess
    expect((disabled as AuthenticationError).code).toBe('AUTH.BAD_CREDENTIALS');
    expect((deactivated as AuthenticationError).code).toBe('AUTH.BAD_CREDENTIALS');
  });
});

describe('changePassword', () => {
  async function signedIn() {
    const ctx = await setup();
    await ctx.directory.putCredential({ username: 'qin.hong', personId: worker.id, passwordHash: 'hash:current-password' });
    const other = await signIn(ctx.signInDeps, { username: 'qin.hong', password: 'current-password' });
    const mine = await signIn(ctx.signInDeps, { username: 'qin.hong', password: 'current-password' });
    const sessionIds = [...ctx.sessions.sessions.keys()];
    const actor: AuthenticatedActor = { ...mine.user, sessionId: sessionIds[1] };
    return { ...ctx, actor, otherSession: sessionIds[0], other };
  }

  it('checks the current password, sets the new one, and ends every other session of the person', async () => {
    // Prepare
    const { signInDeps, actor, sessions, directory } = await signedIn();

    // Act
    await changePassword(signInDeps, actor, { currentPassword: 'current-password', newPassword: 'a-new-password' });

    // Assess
    expect((await directory.getCredential('qin.hong'))?.passwordHash).toBe('hash:a-new-password');
    expect(sessions.live(worker.id)).toEqual([actor.sessionId]);
  });

  it('is throttled like a sign-in: a stolen token does not become a way to guess the password', async () => {
    // Prepare
    const { signInDeps, actor } = await signedIn();
    const attempt = (currentPassword: string) =>
      failure(changePassword(signInDeps, actor, { currentPassword, newPassword: 'a-new-password', sourceIp: '203.0.113.9' }));
    const wrong = [];
    for (let i = 0; i < 5; i++) wrong.push(await attempt('guess'));

    // Act
    const locked = await attempt('current-password');

    // Assess
    expect(wrong.every((e) => (e as ForbiddenError).code === 'AUTH.WRONG_PASSWORD')).toBe(true);
    expect(locked).toBeInstanceOf(ThrottledError);
  });
});

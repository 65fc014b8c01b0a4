/**
 * Local sign-in: username + password → a short-lived access token and a rotating refresh token
 * bound to a server-side session. Refreshing moves the session to the next generation; presenting
 * an authentic token of an older generation means it leaked, so the whole session ends. A token
 * this server never issued ends nothing (core/refresh-tokens.ts). Signing out ends it at once.
 * Guessing is throttled per username, per address and per both (core/sign-in-throttle.ts).
 */
import { randomUUID } from 'node:crypto';
import type { AuthenticatedActor, PasswordHasher, RefreshTokenSettings, SessionStore, TokenService } from '#ports/auth.ts';
import type { Credential, CredentialStore, DirectoryStore } from '#ports/directory.ts';
import type { SignInThrottleStore } from '#ports/sign-in-throttle.ts';
import { newPasswordProblem } from '../accounts.ts';
import type { Clock } from '../deadlines.ts';
import { AuthenticationError, DomainRefusalError, ForbiddenError } from '../errors.ts';
import { type Actor, isActivePerson, type Person } from '../people.ts';
import { mintRefreshToken, readRefreshToken, refreshSecretHash } from '../refresh-tokens.ts';
import { lockoutAfter, refusalWhileLocked, SIGN_IN_THROTTLE, type ThrottleKey, throttleKeys } from '../sign-in-throttle.ts';

export interface SignInDeps {
  directory: DirectoryStore;
  credentials: CredentialStore;
  passwords: PasswordHasher;
  signInThrottle: SignInThrottleStore;
  tokens: TokenService;
  sessions: SessionStore;
  refreshTokens: RefreshTokenSettings;
  clock: Clock;
  refreshTtlSeconds: number;
}

export interface SignInAttempt {
  username: string;
  password: string;
  /**
   * Sets this password in the same step (required while the password is a one-time initial one:
   * without it such a sign-in is refused with AUTH.PASSWORD_CHANGE_REQUIRED and no tokens).
   */
  newPassword?: string;
  /** Where the request came from (API Gateway's `sourceIp`); attempts are also counted per address. */
  sourceIp?: string;
}

export interface SignedIn {
  token: string;
  expiresAt: string;
  /** The token's lifetime in seconds: a client whose clock disagrees with ours times its renewal by this, not by expiresAt. */
  expiresIn: number;
  refreshToken: string;
  refreshExpiresAt: string;
  user: Actor;
}

function refreshExpiry(deps: SignInDeps): string {
  return new Date(deps.clock.now().getTime() + deps.refreshTtlSeconds * 1000).toISOString();
}

async function tokensFor(
  deps: SignInDeps,
  user: Actor,
  sessionId: string,
  refreshToken: string,
  refreshExpiresAt: string,
): Promise<SignedIn> {
  const { token, expiresAt } = await deps.tokens.issue(user, sessionId);
  const expiresIn = Math.max(0, Math.floor((Date.parse(expiresAt) - deps.clock.now().getTime()) / 1000));
  return { token, expiresAt, expiresIn, refreshToken, refreshExpiresAt, user };
}

/**
 * Checks a username's password under the throttle: refused while locked (before the password is
 * looked at), counted when wrong, and the username's failures forgotten when right. Returns the
 * credential and its person, active, or throws as for a wrong password.
 */
async function checkPassword(
  deps: SignInDeps,
  username: string,
  password: string,
  sourceIp: string | undefined,
  wrong: () => Error,
): Promise<{ credential: Credential; person: Person }> {
  const keys = throttleKeys(username, sourceIp);
  const records = await deps.signInThrottle.read(keys.map((k) => k.key));
  // Refused before the password is looked at: a locked key is neither checked nor counted, so
  // hammering it does not make the lock last any longer.
  const refusal = refusalWhileLocked(
    records.map((r) => r?.lockedUntil),
    deps.clock.now(),
  );
  if (refusal) throw refusal;
  const credential = await deps.credentials.getCredential(username);
  // An unknown username costs one hash too, so how long the answer takes does not tell who exists.
  const matches = await deps.passwords.verify(password, credential?.passwordHash ?? deps.passwords.dummyHash);
  const person = matches && credential && !credential.disabled ? await deps.directory.getPerson(credential.personId) : null;
  // A deactivated person's account is answered like a wrong password: it tells nobody who left.
  if (!credential || !person || !isActivePerson(person)) {
    await countFailure(deps, keys);
    throw wrong();
  }
  await Promise.all(keys.filter((k, i) => k.rule.clearedBySuccess && records[i]).map((k) => deps.signInThrottle.clear(k.key)));
  return { credential, person };
}

/** Sets a new password over the one just checked; false when it changed in between (a one-time password is used once). */
async function replacePassword(deps: SignInDeps, credential: Credential, current: string, next: string): Promise<boolean> {
  const problem = newPasswordProblem(current, next);
  if (problem) throw new DomainRefusalError('AUTH.PASSWORD_REFUSED', problem);
  return deps.credentials.replacePasswordHash(credential.username, credential.passwordHash, await deps.passwords.hash(next));
}

const badCredentials = () => new AuthenticationError('AUTH.BAD_CREDENTIALS', 'wrong username or password');

export async function signIn(deps: SignInDeps, attempt: SignInAttempt): Promise<SignedIn> {
  // Same answer for an unknown user and a wrong password: no account enumeration.
  const { credential, person } = await checkPassword(deps, attempt.username, attempt.password, attempt.sourceIp, badCredentials);
  if (attempt.newPassword !== undefined) {
    if (!(await replacePassword(deps, credential, attempt.password, attempt.newPassword))) throw badCredentials();
    // A new password ends every sign-in made with the old one.
    await deps.sessions.revokeSessionsOf(person.id, deps.clock.now());
  } else if (credential.mustChangePassword) {
    throw new ForbiddenError('AUTH.PASSWORD_CHANGE_REQUIRED', 'this is a one-time password: sign in again with a newPassword to set yours');
  }
  const user: Actor = { id: person.id, name: person.name, role: person.role, scope: person.scope };
  const sessionId = randomUUID();
  const refresh = mintRefreshToken(deps.refreshTokens.secret, sessionId, 0);
  const expiresAt = refreshExpiry(deps);
  await deps.sessions.createSession({
    id: sessionId,
    personId: person.id,
    username: credential.username,
    generation: 0,
    refreshHash: refresh.secretHash,
    expiresAt,
    createdAt: deps.clock.now().toISOString(),
  });
  return tokensFor(deps, user, sessionId, refresh.token, expiresAt);
}

/**
 * A signed-in local user changes their password: the current one is checked under the same
 * throttle as a sign-in (a stolen token must not become a way to guess it), and every other
 * session of theirs ends; this one lives on.
 */
export async function changePassword(
  deps: SignInDeps,
  actor: AuthenticatedActor,
  change: { currentPassword: string; newPassword: string; sourceIp?: string },
): Promise<void> {
  const session = actor.sessionId ? await deps.sessions.getSession(actor.sessionId) : null;
  if (!session?.username || session.personId !== actor.id) {
    throw new DomainRefusalError('AUTH.SIGN_IN_AGAIN', 'sign in again with your username and password to change it');
  }
  const wrongPassword = () => new ForbiddenError('AUTH.WRONG_PASSWORD', 'the current password is wrong');
  const { credential } = await checkPassword(deps, session.username, change.currentPassword, change.sourceIp, wrongPassword);
  if (!(await replacePassword(deps, credential, change.currentPassword, change.newPassword))) throw wrongPassword();
  await deps.sessions.revokeSessionsOf(actor.id, deps.clock.now(), session.id);
}

async function countFailure(deps: SignInDeps, keys: ThrottleKey[]): Promise<void> {
  const now = deps.clock.now();
  const forgetBefore = new Date(now.getTime() - SIGN_IN_THROTTLE.forgetAfterMs);
  await Promise.all(
    keys.map(async ({ key, rule }) => {
      const failures = await deps.signInThrottle.addFailure(key, now, forgetBefore);
      const lockMs = lockoutAfter(rule, failures);
      if (lockMs !== null) await deps.signInThrottle.lock(key, new Date(now.getTime() + lockMs), failures);
    }),
  );
}

export async function refreshSignIn(deps: SignInDeps, refreshToken: string): Promise<SignedIn> {
  const invalid = () => new AuthenticationError('AUTH.INVALID_REFRESH_TOKEN', 'the refresh token is not valid; sign in again');
  const reused = () => new AuthenticationError('AUTH.REFRESH_TOKEN_REUSED', 'this refresh token was already used; sign in again');
  // Malformed, guessed or forged (e.g. a live session id from an access token with made-up
  // characters): refused before anything is read, and the session it names lives on.
  const presented = readRefreshToken(deps.refreshTokens.secret, refreshToken);
  if (!presented) throw invalid();
  const session = await deps.sessions.getSession(presented.sessionId);
  const now = deps.clock.now();
  if (!session || session.revokedAt || Date.parse(session.expiresAt) <= now.getTime()) throw invalid();
  if (presented.generation < session.generation) {
    // We issued this token and it has been swapped since: someone kept a copy. End the session for everyone.
    await deps.sessions.revokeSession(session.id, now);
    throw reused();
  }
  // A newer generation than the session's, or the current one with another secret, was never
  // handed out: only a leaked server key makes one, and ending the session would not stop that.
  if (presented.generation !== session.generation || refreshSecretHash(presented.secret) !== session.refreshHash) throw invalid();
  const person = await deps.directory.getPerson(session.personId);
  if (!person || !isActivePerson(person)) throw invalid();
  const generation = session.generation + 1;
  const next = mintRefreshToken(deps.refreshTokens.secret, session.id, generation);
  const expiresAt = refreshExpiry(deps);
  const from = { generation: session.generation, refreshHash: session.refreshHash };
  if (!(await deps.sessions.rotateSession(session.id, from, { generation, refreshHash: next.secretHash, expiresAt }, now))) {
    // Two refreshes raced with the same token: only one may win, the other is treated as reuse.
    await deps.sessions.revokeSession(session.id, now);
    throw reused();
  }
  const user: Actor = { id: person.id, name: person.name, role: person.role, scope: person.scope };
  return tokensFor(deps, user, session.id, next.token, expiresAt);
}

export async function signOut(deps: Pick<SignInDeps, 'sessions' | 'clock'>, actor: AuthenticatedActor): Promise<void> {
  if (actor.sessionId) await deps.sessions.revokeSession(actor.sessionId, deps.clock.now());
}

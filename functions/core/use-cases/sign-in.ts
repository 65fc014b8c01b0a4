/**
 * Local sign-in: username + password → a short-lived access token and a rotating refresh token
 * bound to a server-side session. Refreshing moves the session to the next generation; presenting
 * an authentic token of an older generation means it leaked, so the whole session ends. A token
 * this server never issued ends nothing (core/refresh-tokens.ts). Signing out ends it at once.
 * Guessing is throttled per username, per address and per both (core/sign-in-throttle.ts).
 */
import { randomUUID } from 'node:crypto';
import type { AuthenticatedActor, PasswordHasher, RefreshTokenSettings, SessionStore, TokenService } from '#ports/auth.ts';
import type { CredentialStore, DirectoryStore } from '#ports/directory.ts';
import type { SignInThrottleStore } from '#ports/sign-in-throttle.ts';
import type { Clock } from '../deadlines.ts';
import { AuthenticationError } from '../errors.ts';
import type { Actor } from '../people.ts';
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
  /** Where the request came from (API Gateway's `sourceIp`); attempts are also counted per address. */
  sourceIp?: string;
}

export interface SignedIn {
  token: string;
  expiresAt: string;
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
  return { token, expiresAt, refreshToken, refreshExpiresAt, user };
}

export async function signIn(deps: SignInDeps, attempt: SignInAttempt): Promise<SignedIn> {
  const keys = throttleKeys(attempt.username, attempt.sourceIp);
  const records = await deps.signInThrottle.read(keys.map((k) => k.key));
  // Refused before the password is looked at: a locked key is neither checked nor counted, so
  // hammering it does not make the lock last any longer.
  const refusal = refusalWhileLocked(
    records.map((r) => r?.lockedUntil),
    deps.clock.now(),
  );
  if (refusal) throw refusal;
  const credential = await deps.credentials.getCredential(attempt.username);
  // An unknown username costs one hash too, so how long the answer takes does not tell who exists.
  const matches = await deps.passwords.verify(attempt.password, credential?.passwordHash ?? deps.passwords.dummyHash);
  const person = matches && credential ? await deps.directory.getPerson(credential.personId) : null;
  if (!person) {
    await countFailure(deps, keys);
    // Same answer for an unknown user and a wrong password: no account enumeration.
    throw new AuthenticationError('AUTH.BAD_CREDENTIALS', 'wrong username or password');
  }
  await Promise.all(keys.filter((k, i) => k.rule.clearedBySuccess && records[i]).map((k) => deps.signInThrottle.clear(k.key)));
  const user: Actor = { id: person.id, name: person.name, role: person.role, scope: person.scope };
  const sessionId = randomUUID();
  const refresh = mintRefreshToken(deps.refreshTokens.secret, sessionId, 0);
  const expiresAt = refreshExpiry(deps);
  await deps.sessions.createSession({
    id: sessionId,
    personId: person.id,
    generation: 0,
    refreshHash: refresh.secretHash,
    expiresAt,
    createdAt: deps.clock.now().toISOString(),
  });
  return tokensFor(deps, user, sessionId, refresh.token, expiresAt);
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
  if (!person) throw invalid();
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

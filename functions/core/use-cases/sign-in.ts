/**
 * Local sign-in: username + password → a short-lived access token and a rotating refresh token
 * bound to a server-side session. Refreshing swaps the refresh secret; presenting an old one again
 * means it leaked, so the whole session ends. Signing out ends it at once.
 */
import { createHash, randomBytes, randomUUID } from 'node:crypto';
import type { AuthenticatedActor, PasswordHasher, SessionStore, TokenService } from '#ports/auth.ts';
import type { CredentialStore, DirectoryStore } from '#ports/directory.ts';
import type { Clock } from '../deadlines.ts';
import { AuthenticationError } from '../errors.ts';
import type { Actor } from '../people.ts';

export interface SignInDeps {
  directory: DirectoryStore;
  credentials: CredentialStore;
  passwords: PasswordHasher;
  tokens: TokenService;
  sessions: SessionStore;
  clock: Clock;
  refreshTtlSeconds: number;
}

export interface SignedIn {
  token: string;
  expiresAt: string;
  refreshToken: string;
  refreshExpiresAt: string;
  user: Actor;
}

const sha256 = (text: string) => createHash('sha256').update(text).digest('hex');

function newRefreshSecret(): string {
  return randomBytes(32).toString('base64url');
}

function refreshExpiry(deps: SignInDeps): string {
  return new Date(deps.clock.now().getTime() + deps.refreshTtlSeconds * 1000).toISOString();
}

async function tokensFor(deps: SignInDeps, user: Actor, sessionId: string, secret: string, refreshExpiresAt: string): Promise<SignedIn> {
  const { token, expiresAt } = await deps.tokens.issue(user, sessionId);
  return { token, expiresAt, refreshToken: `${sessionId}.${secret}`, refreshExpiresAt, user };
}

export async function signIn(deps: SignInDeps, username: string, password: string): Promise<SignedIn> {
  const credential = await deps.credentials.getCredential(username);
  const person = credential ? await deps.directory.getPerson(credential.personId) : null;
  // Same answer for an unknown user and a wrong password: no account enumeration.
  if (!credential || !person || !(await deps.passwords.verify(password, credential.passwordHash))) {
    throw new AuthenticationError('AUTH.BAD_CREDENTIALS', 'wrong username or password');
  }
  const user: Actor = { id: person.id, name: person.name, role: person.role, scope: person.scope };
  const sessionId = randomUUID();
  const secret = newRefreshSecret();
  const expiresAt = refreshExpiry(deps);
  await deps.sessions.createSession({
    id: sessionId,
    personId: person.id,
    refreshHash: sha256(secret),
    expiresAt,
    createdAt: deps.clock.now().toISOString(),
  });
  return tokensFor(deps, user, sessionId, secret, expiresAt);
}

export async function refreshSignIn(deps: SignInDeps, refreshToken: string): Promise<SignedIn> {
  const invalid = () => new AuthenticationError('AUTH.INVALID_REFRESH_TOKEN', 'the refresh token is not valid; sign in again');
  const [sessionId, secret, ...rest] = refreshToken.split('.');
  if (!sessionId || !secret || rest.length > 0) throw invalid();
  const session = await deps.sessions.getSession(sessionId);
  const now = deps.clock.now();
  if (!session || session.revokedAt || Date.parse(session.expiresAt) <= now.getTime()) throw invalid();
  if (session.refreshHash !== sha256(secret)) {
    // An old refresh token came back: someone kept a copy. End the session for everyone.
    await deps.sessions.revokeSession(session.id, now);
    throw new AuthenticationError('AUTH.REFRESH_TOKEN_REUSED', 'this refresh token was already used; sign in again');
  }
  const person = await deps.directory.getPerson(session.personId);
  if (!person) throw invalid();
  const nextSecret = newRefreshSecret();
  const expiresAt = refreshExpiry(deps);
  if (!(await deps.sessions.rotateSession(session.id, session.refreshHash, { refreshHash: sha256(nextSecret), expiresAt }, now))) {
    // Two refreshes raced with the same token: only one may win, the other is treated as reuse.
    await deps.sessions.revokeSession(session.id, now);
    throw new AuthenticationError('AUTH.REFRESH_TOKEN_REUSED', 'this refresh token was already used; sign in again');
  }
  const user: Actor = { id: person.id, name: person.name, role: person.role, scope: person.scope };
  return tokensFor(deps, user, session.id, nextSecret, expiresAt);
}

export async function signOut(deps: Pick<SignInDeps, 'sessions' | 'clock'>, actor: AuthenticatedActor): Promise<void> {
  if (actor.sessionId) await deps.sessions.revokeSession(actor.sessionId, deps.clock.now());
}

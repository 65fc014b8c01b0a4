/**
 * Identity: tokens are JWTs verified with jose against a JWKS — a local issuer with keys under
 * DATA_DIR, or Cognito on AWS (same verification code, different JWKS URL and claims mapping).
 * Local sign-ins also hold a server-side session, so refresh tokens rotate and sign-out is immediate.
 */
import type { Actor } from '#core/people.ts';

/** The caller, plus the session their token belongs to (local sign-ins only). */
export interface AuthenticatedActor extends Actor {
  sessionId?: string;
}

export interface TokenVerifier {
  /** Throws AuthenticationError for a missing, expired, forged, foreign or signed-out token. */
  verify(token: string): Promise<AuthenticatedActor>;
}

export interface TokenIssuer {
  issue(actor: Actor, sessionId: string): Promise<{ token: string; expiresAt: string }>;
}

export interface TokenService extends TokenVerifier, TokenIssuer {}

export interface PasswordHasher {
  hash(password: string): Promise<string>;
  verify(password: string, hash: string): Promise<boolean>;
  /**
   * A well-formed hash no password matches, as costly to verify as a real one: sign-in checks an
   * unknown username's password against it, so timing does not tell which usernames exist.
   */
  readonly dummyHash: string;
}

export interface Session {
  id: string;
  personId: string;
  /** The username signed in with (absent on sessions older than password changes). */
  username?: string;
  /** Which refresh token is current: 0 at sign-in, +1 per refresh (see core/refresh-tokens.ts). */
  generation: number;
  /** sha256 of the current refresh secret; the secret itself is never stored. */
  refreshHash: string;
  expiresAt: string;
  createdAt: string;
  revokedAt?: string;
}

export interface SessionStore {
  createSession(session: Session): Promise<void>;
  getSession(id: string): Promise<Session | null>;
  /**
   * Moves the session on to `next.generation` if it is still at `from` (generation and hash) and
   * live; false otherwise, so of two refreshes racing with one token only one wins.
   */
  rotateSession(
    id: string,
    from: { generation: number; refreshHash: string },
    next: { generation: number; refreshHash: string; expiresAt: string },
    now: Date,
  ): Promise<boolean>;
  revokeSession(id: string, at: Date): Promise<void>;
  /** Ends every live session of a person (deactivated, moved, or a changed password), except `keep`. */
  revokeSessionsOf(personId: string, at: Date, keep?: string): Promise<void>;
}

/** The server key that signs refresh tokens (local sign-in only: Cognito issues them on AWS). */
export interface RefreshTokenSettings {
  secret: Uint8Array;
}

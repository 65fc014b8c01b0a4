/** Token issue and verification. A local issuer with keys under DATA_DIR, Cognito on AWS. */
import type { Actor } from '#core/people.ts';

export interface TokenService {
  issue(actor: Actor): Promise<{ token: string; expiresAt: string }>;
  /** Throws AuthenticationError for a missing, expired, forged or foreign token. */
  verify(token: string): Promise<Actor>;
}

export interface PasswordHasher {
  hash(password: string): Promise<string>;
  verify(password: string, hash: string): Promise<boolean>;
}

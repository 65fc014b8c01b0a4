/**
 * Sign-in accounts of directory people: one use case (core/use-cases/accounts.ts) and two
 * providers — locally a credential with a scrypt hash in the table, on AWS a Cognito user. Wiring
 * picks the provider; the use case never knows which it has.
 */
import type { Person } from '#core/people.ts';

/** What an admin is shown once: the initial password is never stored in clear, never logged. */
export interface NewAccount {
  username: string;
  initialPassword: string;
}

export interface AccountProvider {
  /**
   * Creates the person's account with a one-time initial password that must be changed at first
   * sign-in. Throws ConflictError ACCOUNT.USERNAME_TAKEN when the username is someone else's.
   */
  create(person: Person, username: string): Promise<NewAccount>;
  /**
   * The person was deactivated: their account (`username`, if the directory knows it) signs in no
   * more, and their sign-ins end (whatever account they were made with).
   */
  disable(person: Person): Promise<void>;
  /** The person moved to another scope: the account's scope follows, and sign-ins that carry the old one end. */
  scopeChanged(person: Person): Promise<void>;
  /**
   * Seeds only (the operator): an account with a known password hash and no change required — the
   * demo county's logins, one shared demo password. Providers that cannot take a hash (Cognito,
   * where users are invited) leave it out.
   */
  preset?(person: Person, username: string, passwordHash: string): Promise<void>;
}

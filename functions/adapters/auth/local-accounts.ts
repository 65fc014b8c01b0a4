/**
 * Local accounts: a credential item with a scrypt hash of a one-time initial password, which the
 * first sign-in must replace (core/use-cases/sign-in.ts). The password itself is returned once and
 * kept nowhere.
 */
import { initialPassword } from '#core/accounts.ts';
import { ConflictError } from '#core/errors.ts';
import type { Person } from '#core/people.ts';
import type { AccountProvider, NewAccount } from '#ports/accounts.ts';
import type { PasswordHasher, SessionStore } from '#ports/auth.ts';
import type { CredentialStore } from '#ports/directory.ts';

export interface LocalAccountOptions {
  credentials: CredentialStore;
  passwords: Pick<PasswordHasher, 'hash'>;
  sessions: Pick<SessionStore, 'revokeSessionsOf'>;
  now: () => Date;
  /** Random integers in [0, n) for the initial password (crypto's by default). */
  pick?: (n: number) => number;
}

export class LocalAccountProvider implements AccountProvider {
  constructor(private readonly options: LocalAccountOptions) {}

  async create(person: Person, username: string): Promise<NewAccount> {
    const password = initialPassword(this.options.pick);
    const created = await this.options.credentials.createCredential({
      username,
      personId: person.id,
      passwordHash: await this.options.passwords.hash(password),
      mustChangePassword: true,
    });
    if (!created) throw new ConflictError('ACCOUNT.USERNAME_TAKEN', `the username ${username} is taken`);
    return { username, initialPassword: password };
  }

  async preset(person: Person, username: string, passwordHash: string): Promise<void> {
    const created = await this.options.credentials.createCredential({ username, personId: person.id, passwordHash });
    if (!created) throw new ConflictError('ACCOUNT.USERNAME_TAKEN', `the username ${username} is taken`);
  }

  async disable(person: Person): Promise<void> {
    // Sign-in also refuses a deactivated person whatever the credential says (accounts seeded
    // before the directory kept usernames); their sessions are ended here either way.
    if (person.username) await this.options.credentials.disableCredential(person.username);
    await this.options.sessions.revokeSessionsOf(person.id, this.options.now());
  }

  async scopeChanged(person: Person): Promise<void> {
    // Local tokens carry the scope they were signed with: the next sign-in carries the new one.
    await this.options.sessions.revokeSessionsOf(person.id, this.options.now());
  }
}

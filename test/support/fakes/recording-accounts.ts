/** The AccountProvider port as a recorder: what a use case asked of sign-in accounts, in order. */
import type { Person } from '#core/people.ts';
import type { AccountProvider } from '#ports/accounts.ts';

export class RecordingAccounts implements AccountProvider {
  readonly calls: string[] = [];
  async create(person: Person, username: string) {
    this.calls.push(`create ${person.id} ${username}`);
    return { username, initialPassword: 'Ab3d-Ef4h-Jk5m' };
  }
  async disable(person: Person) {
    this.calls.push(`disable ${person.id}`);
  }
  async scopeChanged(person: Person) {
    this.calls.push(`scopeChanged ${person.id} ${person.scope}`);
  }
}

/**
 * Accounts in the Cognito user pool: AdminCreateUser with a one-time temporary password and no
 * invitation message (the admin hands the password over; Cognito's hosted UI makes the user choose
 * their own at first sign-in), the role as the user's one group, the scope and the directory person
 * as custom attributes (adapters/auth/jwt-verifier.ts cognitoClaims reads them back).
 */
import {
  AdminAddUserToGroupCommand,
  AdminCreateUserCommand,
  AdminDisableUserCommand,
  AdminUpdateUserAttributesCommand,
  type CognitoIdentityProviderClient,
} from '@aws-sdk/client-cognito-identity-provider';
import { initialPassword } from '#core/accounts.ts';
import { ConflictError } from '#core/errors.ts';
import type { Person } from '#core/people.ts';
import type { AccountProvider, NewAccount } from '#ports/accounts.ts';

export interface CognitoAccountOptions {
  client: Pick<CognitoIdentityProviderClient, 'send'>;
  userPoolId: string;
  /** Random integers in [0, n) for the temporary password (crypto's by default). */
  pick?: (n: number) => number;
}

export class CognitoAccountProvider implements AccountProvider {
  constructor(private readonly options: CognitoAccountOptions) {}

  async create(person: Person, username: string): Promise<NewAccount> {
    const { client, userPoolId } = this.options;
    const password = initialPassword(this.options.pick);
    try {
      await client.send(
        new AdminCreateUserCommand({
          UserPoolId: userPoolId,
          Username: username,
          TemporaryPassword: password,
          MessageAction: 'SUPPRESS',
          UserAttributes: [
            { Name: 'name', Value: person.name },
            { Name: 'custom:scope', Value: person.scope },
            { Name: 'custom:person', Value: person.id },
          ],
        }),
      );
    } catch (error) {
      if ((error as { name?: string }).name === 'UsernameExistsException') {
        throw new ConflictError('ACCOUNT.USERNAME_TAKEN', `the username ${username} is taken`);
      }
      throw error;
    }
    await client.send(new AdminAddUserToGroupCommand({ UserPoolId: userPoolId, Username: username, GroupName: person.role }));
    return { username, initialPassword: password };
  }

  async disable(person: Person): Promise<void> {
    // Users created by hand (the deploy guide's first users) are unknown to the directory: an
    // operator disables those in the console.
    if (!person.username) return;
    try {
      await this.options.client.send(new AdminDisableUserCommand({ UserPoolId: this.options.userPoolId, Username: person.username }));
    } catch (error) {
      // Gone from the pool already: there is nothing left to sign in with.
      if ((error as { name?: string }).name !== 'UserNotFoundException') throw error;
    }
  }

  async scopeChanged(person: Person): Promise<void> {
    if (!person.username) return;
    // ID tokens carry custom:scope: the next token (refresh or sign-in) carries the new scope.
    await this.options.client.send(
      new AdminUpdateUserAttributesCommand({
        UserPoolId: this.options.userPoolId,
        Username: person.username,
        UserAttributes: [{ Name: 'custom:scope', Value: person.scope }],
      }),
    );
  }
}

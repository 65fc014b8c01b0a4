/** Demo/local sign-in: username + password → a signed token naming the person's role and scope. */

import type { PasswordHasher, TokenService } from '#ports/auth.ts';
import type { CredentialStore, DirectoryStore } from '#ports/directory.ts';
import { AuthenticationError } from '../errors.ts';
import type { Actor } from '../people.ts';

export interface SignInDeps {
  directory: DirectoryStore;
  credentials: CredentialStore;
  passwords: PasswordHasher;
  tokens: TokenService;
}

export async function signIn(deps: SignInDeps, username: string, password: string) {
  const credential = await deps.credentials.getCredential(username);
  const person = credential ? await deps.directory.getPerson(credential.personId) : null;
  // Same answer for an unknown user and a wrong password: no account enumeration.
  if (!credential || !person || !(await deps.passwords.verify(password, credential.passwordHash))) {
    throw new AuthenticationError('AUTH.BAD_CREDENTIALS', 'wrong username or password');
  }
  const user: Actor = { id: person.id, name: person.name, role: person.role, scope: person.scope };
  const { token, expiresAt } = await deps.tokens.issue(user);
  return { token, expiresAt, user };
}

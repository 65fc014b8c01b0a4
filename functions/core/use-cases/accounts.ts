/**
 * An account for a directory person: a username and a one-time initial password the admin is
 * shown once. One use case whatever the provider (a local credential or a Cognito user: wiring
 * picks it); the person record keeps the username, the password is kept nowhere in clear.
 */
import type { NewAccount } from '#ports/accounts.ts';
import { usernameProblem } from '../accounts.ts';
import { isOperator } from '../admin-access.ts';
import { auditSubject } from '../audit.ts';
import { ConflictError, DomainRefusalError, ForbiddenError, NotFoundError, ValidationError } from '../errors.ts';
import { type Actor, isActivePerson } from '../people.ts';
import { updateAudited } from './audited.ts';
import { assertCanManageStoredPerson, type PeopleDeps } from './people.ts';

export type AccountDeps = Pick<PeopleDeps, 'directory' | 'audit' | 'clock' | 'accounts'>;

/**
 * `preset` is for the operator's seeds only: an account with a known password hash (the demo
 * county's shared demo password), made by the provider's `preset`; the answer then shows no password.
 */
export async function createAccount(
  deps: AccountDeps,
  actor: Actor,
  personId: string,
  username: string,
  preset?: { passwordHash: string },
): Promise<NewAccount> {
  if (preset && !isOperator(actor)) throw new ForbiddenError('ACCOUNT.PRESET_OPERATOR_ONLY', 'only seeds set an account’s password');
  const problem = usernameProblem(username);
  if (problem) throw new ValidationError('ACCOUNT.INVALID_USERNAME', problem, [{ path: 'username', message: problem }]);
  const person = await deps.directory.getPerson(personId);
  if (!person) throw new NotFoundError('PERSON.NOT_FOUND', `person ${personId} does not exist`);
  await assertCanManageStoredPerson(deps, actor, person);
  if (!isActivePerson(person)) throw new DomainRefusalError('PEOPLE.INACTIVE', `person ${personId} is deactivated`);
  if (person.username) throw new ConflictError('ACCOUNT.EXISTS', `person ${personId} already has the account ${person.username}`);

  let account: NewAccount;
  if (preset) {
    if (!deps.accounts.preset) throw new DomainRefusalError('ACCOUNT.PRESET_UNSUPPORTED', 'this provider invites users instead');
    await deps.accounts.preset(person, username, preset.passwordHash);
    account = { username, initialPassword: '' };
  } else {
    account = await deps.accounts.create(person, username);
  }
  // If another admin gave them an account meanwhile, or they were deactivated, this one is left
  // unused: its password was never shown to anyone, so nobody can sign in with it.
  await updateAudited(deps, {
    subject: auditSubject('person', personId),
    actor,
    load: () => deps.directory.getPerson(personId),
    notFound: () => new NotFoundError('PERSON.NOT_FOUND', `person ${personId} does not exist`),
    save: (p, v) => deps.directory.savePerson(p, v),
    apply: (current) => {
      if (current.username && current.username !== username) {
        throw new ConflictError('ACCOUNT.EXISTS', `person ${personId} already has the account ${current.username}`);
      }
      if (!isActivePerson(current)) throw new DomainRefusalError('PEOPLE.INACTIVE', `person ${personId} is deactivated`);
      return { after: { ...current, username }, change: 'account_created' };
    },
  });
  return account;
}

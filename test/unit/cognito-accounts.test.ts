/**
 * The Cognito account provider without AWS: the client's `send` is stubbed, so the test sees the
 * real SDK commands the adapter builds (what IAM must allow, test/infra checks the same list) and
 * answers them like Cognito, errors included.
 */
import { UserNotFoundException, UsernameExistsException } from '@aws-sdk/client-cognito-identity-provider';
import { describe, expect, it } from 'vitest';
import { CognitoAccountProvider } from '#adapters/cognito/cognito-accounts.ts';
import { ConflictError } from '#core/errors.ts';
import type { Person } from '#core/people.ts';

const POOL = 'ap-southeast-1_TestPool';
const WORKER: Person = { id: 'p-worker-1', name: '覃宏', phone: '+8613877200301', role: 'grid_worker', scope: '451322201001001' };

function provider(answer: (command: string) => unknown = () => ({})) {
  const sent: { command: string; input: Record<string, unknown> }[] = [];
  const client = {
    send: async (command: { constructor: { name: string }; input: Record<string, unknown> }) => {
      sent.push({ command: command.constructor.name, input: command.input });
      const outcome = answer(command.constructor.name);
      if (outcome instanceof Error) throw outcome;
      return outcome;
    },
  };
  return { accounts: new CognitoAccountProvider({ client: client as never, userPoolId: POOL }), sent };
}

const metadata = { $metadata: {} };

describe('CognitoAccountProvider.create', () => {
  it('creates the user with a temporary password and no invitation, the scope and the person, then adds the role group', async () => {
    // Prepare
    const { accounts, sent } = provider();

    // Act
    const account = await accounts.create(WORKER, 'qin.hong');

    // Assess
    expect(sent.map((s) => s.command)).toEqual(['AdminCreateUserCommand', 'AdminAddUserToGroupCommand']);
    expect(sent[0]?.input).toEqual({
      UserPoolId: POOL,
      Username: 'qin.hong',
      TemporaryPassword: account.initialPassword,
      MessageAction: 'SUPPRESS',
      UserAttributes: [
        { Name: 'name', Value: '覃宏' },
        { Name: 'custom:scope', Value: '451322201001001' },
        { Name: 'custom:person', Value: 'p-worker-1' },
      ],
    });
    expect(sent[1]?.input).toEqual({ UserPoolId: POOL, Username: 'qin.hong', GroupName: 'grid_worker' });
    // The pool's policy: 12+ characters with upper, lower, digit and symbol.
    expect(account.initialPassword).toMatch(/^(?=.*[A-Z])(?=.*[a-z])(?=.*\d)(?=.*-).{12,}$/);
  });

  it('answers a taken username with ACCOUNT.USERNAME_TAKEN and adds no group', async () => {
    // Prepare
    const { accounts, sent } = provider((c) =>
      c === 'AdminCreateUserCommand' ? new UsernameExistsException({ message: 'User account already exists', ...metadata }) : {},
    );

    // Act
    const error = await accounts.create(WORKER, 'qin.hong').catch((e: unknown) => e);

    // Assess
    expect(error).toBeInstanceOf(ConflictError);
    expect((error as ConflictError).code).toBe('ACCOUNT.USERNAME_TAKEN');
    expect(sent.map((s) => s.command)).toEqual(['AdminCreateUserCommand']);
  });

  it('lets any other Cognito failure through', async () => {
    // Prepare
    const { accounts } = provider(() => Object.assign(new Error('Rate exceeded'), { name: 'TooManyRequestsException' }));

    // Act
    const error = await accounts.create(WORKER, 'qin.hong').catch((e: unknown) => e);

    // Assess
    expect((error as Error).name).toBe('TooManyRequestsException');
  });
});

describe('CognitoAccountProvider.disable and scopeChanged', () => {
  it('disables the user, and takes a user already gone from the pool as done', async () => {
    // Prepare
    const { accounts, sent } = provider();
    const gone = provider(() => new UserNotFoundException({ message: 'User does not exist.', ...metadata }));

    // Act
    await accounts.disable({ ...WORKER, username: 'qin.hong' });
    await gone.accounts.disable({ ...WORKER, username: 'qin.hong' });

    // Assess
    expect(sent).toEqual([{ command: 'AdminDisableUserCommand', input: { UserPoolId: POOL, Username: 'qin.hong' } }]);
    expect(gone.sent).toHaveLength(1);
  });

  it('moves custom:scope with a transfer, so the next ID token carries the new one', async () => {
    // Prepare
    const { accounts, sent } = provider();

    // Act
    await accounts.scopeChanged({ ...WORKER, scope: '451322201001002', username: 'qin.hong' });

    // Assess
    expect(sent).toEqual([
      {
        command: 'AdminUpdateUserAttributesCommand',
        input: { UserPoolId: POOL, Username: 'qin.hong', UserAttributes: [{ Name: 'custom:scope', Value: '451322201001002' }] },
      },
    ]);
  });

  it('calls nothing for a person the directory knows no username of (users created by hand)', async () => {
    // Prepare
    const { accounts, sent } = provider();

    // Act
    await accounts.disable(WORKER);
    await accounts.scopeChanged(WORKER);

    // Assess
    expect(sent).toEqual([]);
  });
});

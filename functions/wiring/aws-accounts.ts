/**
 * Accounts as Cognito users, for the API function that manages people. Its own module so that only
 * the bundles whose entry imports it load @aws-sdk/client-cognito-identity-provider (see wiring/aws.ts).
 */
import { CognitoIdentityProviderClient } from '@aws-sdk/client-cognito-identity-provider';
import { CognitoAccountProvider } from '#adapters/cognito/cognito-accounts.ts';
import type { AccountProvider } from '#ports/accounts.ts';
import { type Config, required } from './config.ts';

export function cognitoAccounts(config: Config): AccountProvider {
  return new CognitoAccountProvider({
    client: new CognitoIdentityProviderClient({ region: config.AWS_REGION }),
    userPoolId: required(config, 'COGNITO_USER_POOL_ID'),
  });
}

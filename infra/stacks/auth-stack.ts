/**
 * Identity: the Cognito user pool whose ID tokens the API accepts (functions/adapters/auth/jwt-verifier.ts
 * `cognitoClaims`: role = the user's one group named after a role, scope = `custom:scope`). Accounts
 * are created by admins only; the pool is retained because it holds every user's credentials.
 */
import { CfnOutput, Duration, RemovalPolicy, Stack, type StackProps } from 'aws-cdk-lib';
import {
  AccountRecovery,
  ClientAttributes,
  FeaturePlan,
  Mfa,
  OAuthScope,
  StandardThreatProtectionMode,
  StringAttribute,
  UserPool,
  type UserPoolClient,
  UserPoolGroup,
} from 'aws-cdk-lib/aws-cognito';
import type { Construct } from 'constructs';
import { ROLES, type Role } from '#core/people.ts';
import { acknowledge } from '../constructs/nag.ts';

export interface AuthStackProps extends StackProps {
  /** Origins of the console: its OAuth callback is `<origin>/auth/callback`, sign-out returns to `<origin>/`. */
  consoleOrigins: string[];
  /** Prefix of the Cognito-hosted sign-in domain (`<prefix>.auth.<region>.amazoncognito.com`); none when unset. */
  domainPrefix?: string;
}

/** The most powerful role wins when a token is read by a group-precedence-aware client. */
const PRECEDENCE: Record<Role, number> = {
  county_admin: 0,
  township_admin: 10,
  village_admin: 20,
  department_officer: 30,
  grid_worker: 40,
};

export class AuthStack extends Stack {
  readonly userPool: UserPool;
  readonly consoleClient: UserPoolClient;

  constructor(scope: Construct, id: string, props: AuthStackProps) {
    super(scope, id, props);

    this.userPool = new UserPool(this, 'Users', {
      selfSignUpEnabled: false,
      signInAliases: { username: true, email: true, phone: true },
      signInCaseSensitive: false,
      // Phones are verified by the admin who creates the account (phone_number_verified=true):
      // Cognito itself sends no SMS here.
      autoVerify: { email: true, phone: false },
      standardAttributes: {
        fullname: { required: false, mutable: true },
        email: { required: false, mutable: true },
        phoneNumber: { required: false, mutable: true },
      },
      customAttributes: {
        // A node code (admins, grid workers) or a department code (officers); set by admins only.
        scope: new StringAttribute({ minLen: 1, maxLen: 64, mutable: true }),
        // The directory person this user is (the id reports are assigned to); set by admins only.
        // Cognito's own `sub` is random, so without it a user can file and administer but is never an assignee.
        person: new StringAttribute({ minLen: 1, maxLen: 64, mutable: true }),
      },
      passwordPolicy: {
        minLength: 12,
        requireLowercase: true,
        requireUppercase: true,
        requireDigits: true,
        requireSymbols: true,
        tempPasswordValidity: Duration.days(3),
        passwordHistorySize: 5,
      },
      mfa: Mfa.OPTIONAL,
      mfaSecondFactor: { otp: true, sms: false },
      // Cognito's own SMS (verification, SMS MFA) is off: officers' SMS go through SnsSmsSender only.
      enableSmsRole: false,
      accountRecovery: AccountRecovery.EMAIL_ONLY,
      featurePlan: FeaturePlan.PLUS,
      standardThreatProtectionMode: StandardThreatProtectionMode.FULL_FUNCTION,
      deletionProtection: true,
      removalPolicy: RemovalPolicy.RETAIN,
    });
    acknowledge(
      this.userPool,
      'AwsSolutions-COG2',
      'MFA is optional with TOTP: grid workers share basic phones and often lack an authenticator app. Threat protection ' +
        '(Plus tier, full function) adds adaptive MFA for risky sign-ins; admins are asked to enrol TOTP in the deploy guide.',
    );

    for (const role of ROLES) {
      new UserPoolGroup(this, `Group-${role}`, {
        userPool: this.userPool,
        groupName: role,
        precedence: PRECEDENCE[role],
        description: `GridWhistle role ${role}; a user belongs to exactly one role group`,
      });
    }

    const callbacks = props.consoleOrigins.map((origin) => `${origin}/auth/callback`);
    const logouts = props.consoleOrigins.map((origin) => `${origin}/`);
    this.consoleClient = this.userPool.addClient('Console', {
      generateSecret: false,
      // The code grant with PKCE for the console in a browser; SRP for the grid workers' phone app,
      // which calls the API with the same audience (COGNITO_CLIENT_ID names one client). Admin
      // password auth takes IAM credentials (cognito-idp:AdminInitiateAuth): the deploy guide's
      // smoke test signs in with it, nobody on the internet can.
      authFlows: { userSrp: true, adminUserPassword: true },
      oAuth: {
        flows: { authorizationCodeGrant: true, implicitCodeGrant: false, clientCredentials: false },
        scopes: [OAuthScope.OPENID, OAuthScope.EMAIL, OAuthScope.PHONE, OAuthScope.PROFILE],
        callbackUrls: callbacks,
        logoutUrls: logouts,
      },
      preventUserExistenceErrors: true,
      enableTokenRevocation: true,
      idTokenValidity: Duration.hours(1),
      accessTokenValidity: Duration.hours(1),
      refreshTokenValidity: Duration.days(30),
      // The ID token is what the API reads, so it must carry custom:scope and custom:person…
      readAttributes: new ClientAttributes()
        .withStandardAttributes({ fullname: true, email: true, emailVerified: true, phoneNumber: true, phoneNumberVerified: true })
        .withCustomAttributes('scope', 'person'),
      // …and a user must never be able to write it (UpdateUserAttributes with their own token).
      writeAttributes: new ClientAttributes().withStandardAttributes({ locale: true, timezone: true }),
    });

    if (props.domainPrefix) {
      const domain = this.userPool.addDomain('SignIn', { cognitoDomain: { domainPrefix: props.domainPrefix } });
      new CfnOutput(this, 'SignInDomain', { value: domain.baseUrl() });
    }
    new CfnOutput(this, 'UserPoolId', { value: this.userPool.userPoolId });
    new CfnOutput(this, 'ConsoleClientId', { value: this.consoleClient.userPoolClientId });
  }
}

/**
 * The stateful stacks: the table is table.ts's design (the same keys and GSIs the local runtime
 * creates) with PITR and retention; the photo bucket and the link secret are retained; Cognito
 * carries the roles and `custom:scope` the API reads, and users can never write their own scope.
 */
import { Match, type Template } from 'aws-cdk-lib/assertions';
import { beforeAll, describe, expect, it } from 'vitest';
import { createTableInput } from '#adapters/dynamodb/table.ts';
import { ROLES } from '#core/people.ts';
import { IMPORT_FILE_DAYS } from '../../infra/stacks/data-stack.ts';
import { buildTestApp, type Json, logicalId, PRIVATE_ENCRYPTED_BUCKET, type Synth, templates } from './support.ts';

let synth: Synth;
let data: Template;
let auth: Template;

beforeAll(() => {
  synth = buildTestApp();
  ({ data, auth } = templates(synth));
});

const byName = <T extends { IndexName?: string; AttributeName?: string }>(a: T, b: T) =>
  (a.IndexName ?? a.AttributeName ?? '').localeCompare(b.IndexName ?? b.AttributeName ?? '');

describe('the table', () => {
  it('has the keys, attributes and GSIs of table.ts, projection ALL, on demand', () => {
    // Prepare
    const design = createTableInput('unused');
    const table = Object.values(data.findResources('AWS::DynamoDB::Table'))[0]?.Properties as {
      KeySchema: unknown[];
      AttributeDefinitions: { AttributeName: string }[];
      GlobalSecondaryIndexes: { IndexName: string }[];
      BillingMode: string;
    };

    // Assess
    expect(table.KeySchema).toEqual(design.KeySchema);
    expect([...table.AttributeDefinitions].sort(byName)).toEqual([...design.AttributeDefinitions].sort(byName));
    expect([...table.GlobalSecondaryIndexes].sort(byName)).toEqual([...design.GlobalSecondaryIndexes].sort(byName));
    expect(table.BillingMode).toBe('PAY_PER_REQUEST');
  });

  it('has point-in-time recovery and deletion protection, and is retained', () => {
    data.hasResource('AWS::DynamoDB::Table', {
      Properties: {
        PointInTimeRecoverySpecification: { PointInTimeRecoveryEnabled: true },
        DeletionProtectionEnabled: true,
      },
      DeletionPolicy: 'Retain',
      UpdateReplacePolicy: 'Retain',
    });
  });
});

describe('the photo bucket', () => {
  it('is private, encrypted, versioned, logged and retained', () => {
    const accessLogs = logicalId(synth.stacks.data.node.findChild('AccessLogs'));
    data.hasResource('AWS::S3::Bucket', {
      Properties: Match.objectLike({
        ...PRIVATE_ENCRYPTED_BUCKET,
        VersioningConfiguration: { Status: 'Enabled' },
        LoggingConfiguration: { DestinationBucketName: { Ref: accessLogs }, LogFilePrefix: 'photos/' },
        LifecycleConfiguration: {
          Rules: [Match.objectLike({ AbortIncompleteMultipartUpload: { DaysAfterInitiation: 1 }, Status: 'Enabled' })],
        },
      }),
      DeletionPolicy: 'Retain',
    });
  });

  it('takes browser PUTs (with the headers the presigned URL signs) and GETs from the console only', () => {
    data.hasResourceProperties('AWS::S3::Bucket', {
      CorsConfiguration: {
        CorsRules: [
          Match.objectLike({
            AllowedMethods: ['PUT'],
            AllowedOrigins: ['https://gw.example.cn'],
            AllowedHeaders: ['content-type', 'if-none-match'],
          }),
          Match.objectLike({ AllowedMethods: ['GET', 'HEAD'], AllowedOrigins: ['https://gw.example.cn'] }),
        ],
      },
    });
  });

  it('refuses plain HTTP', () => {
    const photos = logicalId(synth.stacks.data.photoBucket);
    data.hasResourceProperties('AWS::S3::BucketPolicy', {
      Bucket: { Ref: photos },
      PolicyDocument: {
        Statement: Match.arrayWith([Match.objectLike({ Effect: 'Deny', Condition: { Bool: { 'aws:SecureTransport': 'false' } } })]),
      },
    });
  });
});

describe('the import bucket', () => {
  it('is private, encrypted, logged, refuses plain HTTP, and forgets uploaded lists after a week', () => {
    const accessLogs = logicalId(synth.stacks.data.node.findChild('AccessLogs'));
    const imports = logicalId(synth.stacks.data.importBucket);
    expect(data.toJSON().Resources[imports]).toMatchObject({
      Properties: {
        ...PRIVATE_ENCRYPTED_BUCKET,
        LoggingConfiguration: { DestinationBucketName: { Ref: accessLogs }, LogFilePrefix: 'imports/' },
        LifecycleConfiguration: {
          Rules: [{ ExpirationInDays: IMPORT_FILE_DAYS, AbortIncompleteMultipartUpload: { DaysAfterInitiation: 1 }, Status: 'Enabled' }],
        },
      },
      DeletionPolicy: 'Retain',
    });
    expect(data.toJSON().Resources[imports].Properties.VersioningConfiguration).toBeUndefined();
    data.hasResourceProperties('AWS::S3::BucketPolicy', {
      Bucket: { Ref: imports },
      PolicyDocument: {
        Statement: Match.arrayWith([Match.objectLike({ Effect: 'Deny', Condition: { Bool: { 'aws:SecureTransport': 'false' } } })]),
      },
    });
  });
});

describe('the link secret', () => {
  it('is 64 generated characters and retained', () => {
    data.hasResource('AWS::SecretsManager::Secret', {
      Properties: Match.objectLike({ GenerateSecretString: Match.objectLike({ PasswordLength: 64 }) }),
      DeletionPolicy: 'Retain',
    });
  });
});

describe('the user pool', () => {
  it('admins create every account; strong passwords; optional TOTP MFA; threat protection; retained', () => {
    auth.hasResource('AWS::Cognito::UserPool', {
      Properties: Match.objectLike({
        AdminCreateUserConfig: Match.objectLike({ AllowAdminCreateUserOnly: true }),
        MfaConfiguration: 'OPTIONAL',
        // Cognito sends no SMS of its own: no SMS role, no phone auto-verification.
        AutoVerifiedAttributes: ['email'],
        SmsConfiguration: Match.absent(),
        EnabledMfas: ['SOFTWARE_TOKEN_MFA'],
        Policies: {
          PasswordPolicy: Match.objectLike({
            MinimumLength: 12,
            RequireLowercase: true,
            RequireUppercase: true,
            RequireNumbers: true,
            RequireSymbols: true,
          }),
        },
        UserPoolTier: 'PLUS',
        UserPoolAddOns: { AdvancedSecurityMode: 'ENFORCED' },
        DeletionProtection: 'ACTIVE',
      }),
      DeletionPolicy: 'Retain',
    });
  });

  it('has the custom attributes scope and person (strings, mutable by admins)', () => {
    auth.hasResourceProperties('AWS::Cognito::UserPool', {
      Schema: Match.arrayWith([
        Match.objectLike({ Name: 'scope', AttributeDataType: 'String', Mutable: true }),
        Match.objectLike({ Name: 'person', AttributeDataType: 'String', Mutable: true }),
      ]),
    });
  });

  it('has one group per role of core/people.ts, and no other', () => {
    const groups = Object.values(auth.findResources('AWS::Cognito::UserPoolGroup')).map((g) => (g.Properties as Json).GroupName);
    expect(groups.sort()).toEqual([...ROLES].sort());
  });

  it('has a console client: code grant with PKCE (no secret), SRP and admin-only password auth, ID token with custom:scope and custom:person, which users cannot write', () => {
    // Prepare
    const client = Object.values(auth.findResources('AWS::Cognito::UserPoolClient'))[0]?.Properties as {
      GenerateSecret: boolean;
      AllowedOAuthFlows: string[];
      ExplicitAuthFlows: string[];
      ReadAttributes: string[];
      WriteAttributes: string[];
      CallbackURLs: string[];
    };

    // Assess
    expect(client.GenerateSecret).toBe(false);
    expect(client.AllowedOAuthFlows).toEqual(['code']);
    expect(client.ExplicitAuthFlows.sort()).toEqual(['ALLOW_ADMIN_USER_PASSWORD_AUTH', 'ALLOW_REFRESH_TOKEN_AUTH', 'ALLOW_USER_SRP_AUTH']);
    expect(client.ReadAttributes).toEqual(expect.arrayContaining(['custom:scope', 'custom:person']));
    expect(client.WriteAttributes.length).toBeGreaterThan(0);
    expect(client.WriteAttributes.every((a) => !a.startsWith('custom:'))).toBe(true);
    expect(client.CallbackURLs).toEqual(['https://gw.example.cn/auth/callback']);
  });
});

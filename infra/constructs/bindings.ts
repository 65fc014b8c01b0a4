/**
 * One helper per resource a function may use (Powertools `bindTable` style): each sets the
 * environment variable functions/wiring/config.ts reads AND grants exactly the calls the adapter
 * makes, so an env var never exists without its permission and a permission never exists without a
 * reader. Actions are listed, never wildcarded; resources are the one resource, except where AWS
 * offers no resource to name (SNS direct SMS), which is acknowledged next to the grant.
 */

import type { IUserPool, IUserPoolClient } from 'aws-cdk-lib/aws-cognito';
import type { ITable } from 'aws-cdk-lib/aws-dynamodb';
import { Policy, PolicyStatement } from 'aws-cdk-lib/aws-iam';
import type { IBucket } from 'aws-cdk-lib/aws-s3';
import type { ISecret } from 'aws-cdk-lib/aws-secretsmanager';
import { ALL_INDEXES } from '#adapters/dynamodb/table.ts';
import { IMPORT_KEY_PREFIX } from '#adapters/s3-imports/s3-import-files.ts';
import type { LambdaFunctionSpec } from '../lambda-functions.ts';
import type { GridWhistleFunction } from './gridwhistle-function.ts';
import { acknowledge, nagResource } from './nag.ts';

export type TableAccess = LambdaFunctionSpec['needs']['table'];
export type WorkflowAccess = NonNullable<LambdaFunctionSpec['needs']['workflow']>;
export type ImportAccess = NonNullable<LambdaFunctionSpec['needs']['imports']>;

/**
 * What functions/adapters/dynamodb sends: Get, Put, Update and Query (no Scan, Delete or Transact —
 * DESIGN.md §5); BatchGetItem wherever GetItem is granted, because listings and sweeps fetch the
 * reports behind index entries by key and filing reads a grid's ancestors at once
 * (batchGetByKey); and for the importer alone BatchWriteItem (adapters/dynamodb/directory-batch.ts).
 * test/infra checks these lists against the commands the adapters import.
 */
export const TABLE_ACTIONS: Record<TableAccess, readonly string[]> = {
  'read-write': ['dynamodb:GetItem', 'dynamodb:BatchGetItem', 'dynamodb:PutItem', 'dynamodb:UpdateItem', 'dynamodb:Query'],
  read: ['dynamodb:GetItem', 'dynamodb:BatchGetItem', 'dynamodb:Query'],
  'read-and-leases': ['dynamodb:GetItem', 'dynamodb:BatchGetItem', 'dynamodb:Query'],
  'batch-read-write': [
    'dynamodb:BatchGetItem',
    'dynamodb:BatchWriteItem',
    'dynamodb:GetItem',
    'dynamodb:PutItem',
    'dynamodb:UpdateItem',
    'dynamodb:Query',
  ],
};

/**
 * A reader that also takes leases (the reconciler) may update lease items and nothing else:
 * UpdateItem only where the partition key is a lease's (DynamoLeaseStore's `LEASE#<name>`).
 */
export const LEASE_PARTITION_PATTERN = 'LEASE#*';

/**
 * The reconciler's outcome catch-up (core/use-cases/outcomes.ts catchUpOutcomes) writes with
 * UpdateItem only: counter and drill items, and the projection marker on a report item.
 */
export const OUTCOME_PARTITION_PATTERNS = ['STATS#*', 'DRILL#*', 'REPORT#*'];

/** What SfnWorkflowEngine calls, per mode of LAMBDA_FUNCTIONS' `needs.workflow`. */
export const WORKFLOW_ACTIONS: Record<WorkflowAccess, readonly string[]> = {
  'start-and-wake': ['states:StartExecution', 'states:SendTaskSuccess'],
  wake: ['states:SendTaskSuccess'],
  'start-and-list': ['states:StartExecution', 'states:ListExecutions'],
  'start-list-and-wake': ['states:StartExecution', 'states:ListExecutions', 'states:SendTaskSuccess'],
};

/** What SfnWorkflowEngine's wake-ups call (EventBridge Scheduler), and the role it hands them. */
export const WAKE_ACTIONS = ['scheduler:CreateSchedule', 'scheduler:DeleteSchedule'] as const;

/**
 * The escalation's wake-ups: one-time schedules in one group, each acting with the wake role
 * (states:SendTaskSuccess on the state machine). The function may create and delete schedules of
 * that group only, and pass that role to EventBridge Scheduler only.
 */
export function bindWakeSchedules(f: GridWhistleFunction, wakes: { groupName: string; schedulesArn: string; roleArn: string }): void {
  f.fn.addEnvironment('WAKE_SCHEDULE_GROUP', wakes.groupName);
  f.fn.addEnvironment('WAKE_ROLE_ARN', wakes.roleArn);
  f.role.addToPrincipalPolicy(new PolicyStatement({ actions: [...WAKE_ACTIONS], resources: [wakes.schedulesArn] }));
  f.role.addToPrincipalPolicy(
    new PolicyStatement({
      actions: ['iam:PassRole'],
      resources: [wakes.roleArn],
      conditions: { StringEquals: { 'iam:PassedToService': 'scheduler.amazonaws.com' } },
    }),
  );
  acknowledge(
    f.role.node.findChild('DefaultPolicy'),
    `AwsSolutions-IAM5[Resource::${nagResource(f, wakes.schedulesArn)}]`,
    'One one-time schedule per waiting report, named by its task token, created and deleted at run time: the grant is ' +
      'limited to the schedules of the escalation wake-up group.',
  );
}

/** S3PhotoStorage's default key prefix (it is constructed without one in functions/wiring/photos.ts). */
export const PHOTO_KEY_PREFIX = 'photos/';

export function bindTable(f: GridWhistleFunction, table: ITable, access: TableAccess): void {
  f.fn.addEnvironment('TABLE_NAME', table.tableName);
  f.role.addToPrincipalPolicy(new PolicyStatement({ actions: [...TABLE_ACTIONS[access]], resources: [table.tableArn] }));
  if (access === 'read-and-leases') {
    f.role.addToPrincipalPolicy(
      new PolicyStatement({
        actions: ['dynamodb:UpdateItem'],
        resources: [table.tableArn],
        conditions: { 'ForAllValues:StringLike': { 'dynamodb:LeadingKeys': [LEASE_PARTITION_PATTERN, ...OUTCOME_PARTITION_PATTERNS] } },
      }),
    );
  }
  // Each index by name, not `index/*`: a new GSI is a reviewed change here too.
  f.role.addToPrincipalPolicy(
    new PolicyStatement({
      actions: ['dynamodb:Query'],
      resources: ALL_INDEXES.map((index) => `${table.tableArn}/index/${index.name}`),
    }),
  );
}

export function bindStateMachine(f: GridWhistleFunction, stateMachineArn: string, access: WorkflowAccess): void {
  f.fn.addEnvironment('STATE_MACHINE_ARN', stateMachineArn);
  f.role.addToPrincipalPolicy(new PolicyStatement({ actions: [...WORKFLOW_ACTIONS[access]], resources: [stateMachineArn] }));
}

/**
 * Photos: presigned PUTs (signed by this role, so it needs s3:PutObject) only for a function that
 * hands out upload links; HeadObject and the ranged GetObject that inspect an upload, and presigned
 * GETs, all need s3:GetObject. s3:ListBucket is there so that HeadObject on a photo that was never
 * uploaded answers 404 (what the adapter expects: PHOTO.NOT_UPLOADED) rather than 403.
 */
export function bindPhotoBucket(f: GridWhistleFunction, bucket: IBucket, opts: { upload: boolean }): void {
  f.fn.addEnvironment('PHOTO_BUCKET', bucket.bucketName);
  const objects = bucket.arnForObjects(`${PHOTO_KEY_PREFIX}*`);
  f.role.addToPrincipalPolicy(
    new PolicyStatement({ actions: opts.upload ? ['s3:GetObject', 's3:PutObject'] : ['s3:GetObject'], resources: [objects] }),
  );
  f.role.addToPrincipalPolicy(new PolicyStatement({ actions: ['s3:ListBucket'], resources: [bucket.bucketArn] }));
  acknowledge(
    f.role.node.findChild('DefaultPolicy'),
    `AwsSolutions-IAM5[Resource::${nagResource(f, objects)}]`,
    `Photo object keys are ${PHOTO_KEY_PREFIX}<random photo id>, created per upload; the grant is limited to that prefix of the one ` +
      'photo bucket because object ARNs cannot be known in advance.',
  );
}

/**
 * Uploaded CSV imports: the function that starts imports stores the file (s3:PutObject), the
 * importer reads it (s3:GetObject). Always under IMPORT_KEY_PREFIX of the one import bucket.
 */
export function bindImportFiles(f: GridWhistleFunction, bucket: IBucket, access: ImportAccess): void {
  f.fn.addEnvironment('IMPORT_BUCKET', bucket.bucketName);
  const objects = bucket.arnForObjects(`${IMPORT_KEY_PREFIX}*`);
  f.role.addToPrincipalPolicy(
    new PolicyStatement({ actions: [access === 'start' ? 's3:PutObject' : 's3:GetObject'], resources: [objects] }),
  );
  acknowledge(
    f.role.node.findChild('DefaultPolicy'),
    `AwsSolutions-IAM5[Resource::${nagResource(f, objects)}]`,
    `Import files are ${IMPORT_KEY_PREFIX}<random import id>.csv, created per upload; the grant is limited to that prefix of the one ` +
      'import bucket because object ARNs cannot be known in advance.',
  );
}

/** The importer, invoked asynchronously (InvocationType Event) by the function that starts imports. */
export function bindImporter(f: GridWhistleFunction, importer: GridWhistleFunction): void {
  f.fn.addEnvironment('IMPORTER_FUNCTION_NAME', importer.fn.functionName);
  // The unqualified ARN the adapter invokes: no `:*` for versions or aliases it never calls.
  f.role.addToPrincipalPolicy(new PolicyStatement({ actions: ['lambda:InvokeFunction'], resources: [importer.fn.functionArn] }));
}

/** SMS action links: the HMAC secret (read only). */
export function bindLinkSecret(f: GridWhistleFunction, secret: ISecret): void {
  f.fn.addEnvironment('LINK_SECRET_ARN', secret.secretArn);
  f.role.addToPrincipalPolicy(new PolicyStatement({ actions: ['secretsmanager:GetSecretValue'], resources: [secret.secretArn] }));
}

/** The public address every URL we hand out is built on (SMS links, Open311 documents); no grant. */
export function bindPublicBaseUrl(f: GridWhistleFunction, publicBaseUrl: string): void {
  f.fn.addEnvironment('PUBLIC_BASE_URL', publicBaseUrl);
}

/** Cognito ID tokens are verified against the pool's public JWKS: no IAM permission is involved. */
export function bindUserPool(f: GridWhistleFunction, pool: IUserPool, client: IUserPoolClient): void {
  f.fn.addEnvironment('COGNITO_USER_POOL_ID', pool.userPoolId);
  f.fn.addEnvironment('COGNITO_CLIENT_ID', client.userPoolClientId);
}

/**
 * What CognitoAccountProvider (functions/adapters/cognito) calls: create a user with a temporary
 * password, put them in their role's group, disable them when they are deactivated, and move their
 * custom:scope when they are transferred. test/infra checks this list against the adapter's commands.
 */
export const USER_POOL_ADMIN_ACTIONS = [
  'cognito-idp:AdminCreateUser',
  'cognito-idp:AdminAddUserToGroup',
  'cognito-idp:AdminDisableUser',
  'cognito-idp:AdminUpdateUserAttributes',
] as const;

/** The people directory's accounts are Cognito users: exactly the admin calls above, on the one pool. */
export function bindUserPoolAdmin(f: GridWhistleFunction, pool: IUserPool): void {
  f.fn.addEnvironment('COGNITO_USER_POOL_ID', pool.userPoolId);
  f.role.addToPrincipalPolicy(new PolicyStatement({ actions: [...USER_POOL_ADMIN_ACTIONS], resources: [pool.userPoolArn] }));
}

/**
 * SNS direct publish to an E.164 number. The phone number is not an ARN, so the only resource IAM
 * accepts for it is "*"; the statement lives in its own policy so its acknowledgement covers it alone.
 */
export function bindSmsSender(f: GridWhistleFunction, opts: { senderId?: string }): Policy {
  if (opts.senderId) f.fn.addEnvironment('SMS_SENDER_ID', opts.senderId);
  const policy = new Policy(f, 'SmsPublish', {
    roles: [f.role],
    statements: [new PolicyStatement({ actions: ['sns:Publish'], resources: ['*'] })],
  });
  acknowledge(
    policy,
    'AwsSolutions-IAM5[Resource::*]',
    'SNS direct SMS publish (Publish with PhoneNumber, no topic) has no resource ARN: IAM only accepts Resource "*" for it. ' +
      'Only the escalation steps function gets sns:Publish, and only this one action.',
  );
  return policy;
}

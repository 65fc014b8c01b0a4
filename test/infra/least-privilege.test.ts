/**
 * Each function gets exactly the environment variables and IAM actions its `needs` in
 * infra/lambda-functions.ts imply — derived here independently of infra/constructs/bindings.ts —
 * and no policy anywhere has a wildcard action; Resource "*" only where AWS offers no resource.
 */
import { readdirSync, readFileSync } from 'node:fs';
import { Match, Template } from 'aws-cdk-lib/assertions';
import { beforeAll, describe, expect, it } from 'vitest';
import { ALL_INDEXES } from '#adapters/dynamodb/table.ts';
import { IMPORT_KEY_PREFIX } from '#adapters/s3-imports/s3-import-files.ts';
import { PHOTO_KEY_PREFIX, TABLE_ACTIONS, USER_POOL_ADMIN_ACTIONS } from '../../infra/constructs/bindings.ts';
import { REPO_ROOT } from '../../infra/constructs/paths.ts';
import { LAMBDA_FUNCTIONS, type LambdaFunctionName } from '../../infra/lambda-functions.ts';
import {
  allPolicyDocuments,
  asArray,
  buildTestApp,
  type Json,
  logicalId,
  roleStatements,
  type Statement,
  type Synth,
  templates,
} from './support.ts';

type Spec = (typeof LAMBDA_FUNCTIONS)[LambdaFunctionName];
type Needs = Spec['needs'] & {
  auth?: boolean;
  accounts?: boolean;
  photos?: boolean;
  links?: boolean;
  publicUrl?: boolean;
  sms?: boolean;
  workflow?: 'start-and-wake' | 'wake' | 'start-and-list' | 'start-list-and-wake';
  wakes?: boolean;
  imports?: 'start' | 'run';
};
const NAMES = Object.keys(LAMBDA_FUNCTIONS) as LambdaFunctionName[];

/** functions/wiring/config.ts's variables, per need (SMS_SENDER_ID because the test deploys one). */
function expectedEnv(needs: Needs): string[] {
  const names = [
    'NODE_OPTIONS',
    'GW_MODE',
    'TABLE_NAME',
    ...(needs.workflow ? ['STATE_MACHINE_ARN'] : []),
    ...(needs.wakes ? ['WAKE_SCHEDULE_GROUP', 'WAKE_ROLE_ARN'] : []),
    ...(needs.auth ? ['COGNITO_USER_POOL_ID', 'COGNITO_CLIENT_ID'] : []),
    ...(needs.accounts ? ['COGNITO_USER_POOL_ID'] : []),
    ...(needs.photos ? ['PHOTO_BUCKET'] : []),
    ...(needs.links ? ['LINK_SECRET_ARN'] : []),
    ...(needs.links || needs.publicUrl ? ['PUBLIC_BASE_URL'] : []),
    ...(needs.sms ? ['SMS_SENDER_ID'] : []),
    ...(needs.imports ? ['IMPORT_BUCKET'] : []),
    ...(needs.imports === 'start' ? ['IMPORTER_FUNCTION_NAME'] : []),
  ];
  return [...new Set(names)].sort();
}

/** The calls each adapter makes, per need. */
function expectedActions(name: LambdaFunctionName, needs: Needs): string[] {
  const workflow = {
    'start-and-wake': ['StartExecution', 'SendTaskSuccess'],
    wake: ['SendTaskSuccess'],
    'start-and-list': ['StartExecution', 'ListExecutions'],
    'start-list-and-wake': ['StartExecution', 'ListExecutions', 'SendTaskSuccess'],
  };
  return [
    ...new Set([
      'logs:CreateLogStream',
      'logs:PutLogEvents',
      'xray:PutTraceSegments',
      'xray:PutTelemetryRecords',
      ...{
        'read-write': ['GetItem', 'BatchGetItem', 'PutItem', 'UpdateItem', 'Query'],
        read: ['GetItem', 'BatchGetItem', 'Query'],
        // UpdateItem on lease items only (checked below).
        'read-and-leases': ['GetItem', 'BatchGetItem', 'Query', 'UpdateItem'],
        'batch-read-write': ['BatchGetItem', 'BatchWriteItem', 'GetItem', 'PutItem', 'UpdateItem', 'Query'],
      }[needs.table].map((a) => `dynamodb:${a}`),
      ...(needs.workflow ? workflow[needs.workflow].map((a) => `states:${a}`) : []),
      // The steps function sets each wait's one-time wake-up, acting with the wake role.
      ...(needs.wakes ? ['scheduler:CreateSchedule', 'scheduler:DeleteSchedule', 'iam:PassRole'] : []),
      // Only the API hands out presigned upload URLs; Open311 only inspects and links photos.
      ...(needs.photos ? ['s3:GetObject', 's3:ListBucket', ...(name === 'api' ? ['s3:PutObject'] : [])] : []),
      // The api stores uploaded CSV files and invokes the importer; the importer reads them.
      ...(needs.imports === 'start' ? ['s3:PutObject', 'lambda:InvokeFunction'] : []),
      ...(needs.imports === 'run' ? ['s3:GetObject'] : []),
      ...(needs.links ? ['secretsmanager:GetSecretValue'] : []),
      ...(needs.sms ? ['sns:Publish'] : []),
      ...(needs.accounts
        ? [
            'cognito-idp:AdminCreateUser',
            'cognito-idp:AdminAddUserToGroup',
            'cognito-idp:AdminDisableUser',
            'cognito-idp:AdminUpdateUserAttributes',
          ]
        : []),
      // The reconciler's failed asynchronous runs go to its dead-letter queue.
      ...(name === 'reconciler' ? ['sqs:SendMessage'] : []),
    ]),
  ].sort();
}

let synth: Synth;
let t: ReturnType<typeof templates>;
const fnIds = {} as Record<LambdaFunctionName, string>;
const roleIds = {} as Record<LambdaFunctionName, string>;

beforeAll(() => {
  synth = buildTestApp();
  t = templates(synth);
  for (const name of NAMES) {
    fnIds[name] = logicalId(synth.stacks.service.functions[name].fn);
    roleIds[name] = logicalId(synth.stacks.service.functions[name].role);
  }
});

const fnProps = (name: LambdaFunctionName) => t.service.toJSON().Resources[fnIds[name]].Properties as Json;
const statementsOf = (name: LambdaFunctionName) => roleStatements(t.service, roleIds[name]);
const actionsOf = (statements: Statement[]) => [...new Set(statements.flatMap((s) => asArray(s.Action)))].sort();
const json = (v: unknown) => JSON.stringify(v);
/** The data stack's table ARN as the service stack imports it. */
const tableArn = () => json(synth.stacks.service.resolve(synth.stacks.data.table.tableArn));
/** The auth stack's user pool ARN as the service stack imports it. */
const userPoolArn = () => json(synth.stacks.service.resolve(synth.stacks.auth.userPool.userPoolArn));

describe.each(NAMES)('the %s function', (name) => {
  const spec: Spec = LAMBDA_FUNCTIONS[name];

  it('runs with the project defaults: arm64, Node.js 24, X-Ray, its own log group, the catalog size', () => {
    expect(fnProps(name)).toMatchObject({
      Runtime: 'nodejs24.x',
      Architectures: ['arm64'],
      TracingConfig: { Mode: 'Active' },
      MemorySize: spec.memoryMb,
      Timeout: spec.timeoutSeconds,
      Handler: 'index.handler',
      LoggingConfig: { LogGroup: { Ref: logicalId(synth.stacks.service.functions[name].logGroup) } },
    });
  });

  it('gets exactly the environment variables its needs imply', () => {
    // Act
    const env = (fnProps(name).Environment as { Variables: Record<string, unknown> }).Variables;

    // Assess
    expect(Object.keys(env).sort()).toEqual(expectedEnv(spec.needs));
    expect(env.GW_MODE).toBe('aws');
    expect(env.NODE_OPTIONS).toBe('--enable-source-maps');
  });

  it('is granted exactly the actions it uses, none wildcarded', () => {
    // Act
    const statements = statementsOf(name);

    // Assess
    expect(actionsOf(statements)).toEqual(expectedActions(name, spec.needs));
    expect(statements.every((s) => s.Effect === 'Allow')).toBe(true);
  });

  it('is granted each action on its one resource; Resource "*" only for X-Ray and SMS publish', () => {
    const statements = statementsOf(name);
    const env = (fnProps(name).Environment as { Variables: Record<string, unknown> }).Variables;
    for (const s of statements) {
      const resources = asArray(s.Resource).map(json);
      for (const action of asArray(s.Action)) {
        const [service] = action.split(':');
        if (resources.includes('"*"')) {
          expect(['xray:PutTraceSegments', 'xray:PutTelemetryRecords', 'sns:Publish'], `${action} on "*"`).toContain(action);
          expect(resources, `${action} shares its "*" with nothing`).toEqual(['"*"']);
          continue;
        }
        if (service === 'dynamodb') {
          for (const r of resources) {
            if (r.includes('/index/')) expect(action).toBe('dynamodb:Query');
            else expect(r).toBe(tableArn());
          }
        }
        if (service === 'states') for (const r of resources) expect(r).toBe(json(env.STATE_MACHINE_ARN));
        if (action === 's3:GetObject' || action === 's3:PutObject')
          for (const r of resources) expect(r).toMatch(new RegExp(`/(${PHOTO_KEY_PREFIX}|${IMPORT_KEY_PREFIX})\\*"\\]\\]\\}$`));
        if (action === 'lambda:InvokeFunction') {
          expect(resources).toEqual([json({ 'Fn::GetAtt': [fnIds.importer, 'Arn'] })]);
        }
        if (action === 's3:ListBucket') for (const r of resources) expect(r).not.toContain('*');
        if (service === 'secretsmanager') for (const r of resources) expect(r).toBe(json(env.LINK_SECRET_ARN));
        if (service === 'cognito-idp') for (const r of resources) expect(r).toBe(userPoolArn());
        if (service === 'logs') for (const r of resources) expect(r).toContain(logicalId(synth.stacks.service.functions[name].logGroup));
      }
    }
  });

  it('queries the table and each index by name, never index/*', () => {
    const queried = statementsOf(name)
      .filter((s) => asArray(s.Action).includes('dynamodb:Query'))
      .flatMap((s) => asArray(s.Resource).map(json));
    const indexes = queried.filter((r) => r.includes('/index/')).map((r) => r.match(/\/index\/([^"]+)"/)?.[1]);
    expect(indexes.sort()).toEqual(ALL_INDEXES.map((i) => i.name).sort());
    expect(queried.some((r) => r.includes('/index/*'))).toBe(false);
    expect(queried.filter((r) => !r.includes('/index/'))).toHaveLength(1);
  });
});

describe('the grants match the code that uses them', () => {
  it('the read-write table actions are exactly the DynamoDB commands the adapters send', () => {
    // Prepare
    const dir = `${REPO_ROOT}/functions/adapters/dynamodb`;
    const source = readdirSync(dir)
      .filter((f) => f.endsWith('.ts'))
      .map((f) => readFileSync(`${dir}/${f}`, 'utf8'))
      .join('\n');
    const toAction: Record<string, string> = {
      GetCommand: 'GetItem',
      PutCommand: 'PutItem',
      UpdateCommand: 'UpdateItem',
      DeleteCommand: 'DeleteItem',
      QueryCommand: 'Query',
      ScanCommand: 'Scan',
      BatchGetCommand: 'BatchGetItem',
      BatchWriteCommand: 'BatchWriteItem',
      TransactWriteCommand: 'TransactWriteItems',
      TransactGetCommand: 'TransactGetItems',
    };

    // Act
    const commands = new Set([...source.matchAll(/new (\w+Command)\(/g)].map((m) => m[1] as string));
    const used = [...commands].filter((c) => c in toAction).map((c) => `dynamodb:${toAction[c]}`);

    // Assess: batch writes are the importer's (directory-batch.ts) and only it is granted them;
    // batch reads (batchGetByKey, also in directory-batch.ts) serve every adapter that reads by key
    const batchSource = readFileSync(`${dir}/directory-batch.ts`, 'utf8');
    expect(commands.size).toBeGreaterThan(0);
    expect([...commands].filter((c) => !(c in toAction) && !c.startsWith('CreateTable') && !c.startsWith('DescribeTable'))).toEqual([]);
    expect([...new Set(used)].sort()).toEqual([...TABLE_ACTIONS['batch-read-write']].sort());
    expect([...new Set(used)].filter((a) => !TABLE_ACTIONS['read-write'].includes(a)).sort()).toEqual(['dynamodb:BatchWriteItem']);
    expect(source.replace(batchSource, '')).not.toMatch(/new Batch\w+Command\(/);
    expect(source).toMatch(/batchGetByKey\(/);
  });

  it('import-file grants cover the key prefix S3ImportFiles writes under', () => {
    const adapter = readFileSync(`${REPO_ROOT}/functions/adapters/s3-imports/s3-import-files.ts`, 'utf8');
    const wiring = readFileSync(`${REPO_ROOT}/functions/wiring/aws-import-files.ts`, 'utf8');
    expect(adapter).toContain(`keyPrefix ?? IMPORT_KEY_PREFIX`);
    expect(IMPORT_KEY_PREFIX).toBe('imports/');
    expect(wiring).not.toContain('keyPrefix');
  });

  it('the user pool grants are exactly the Cognito commands the account adapter sends', () => {
    // Prepare
    const adapter = readFileSync(`${REPO_ROOT}/functions/adapters/cognito/cognito-accounts.ts`, 'utf8');

    // Act
    const sent = [...new Set([...adapter.matchAll(/new (\w+)Command\(/g)].map((m) => `cognito-idp:${m[1]}`))].sort();

    // Assess
    expect(sent).toEqual([...USER_POOL_ADMIN_ACTIONS].sort());
  });

  it('photo grants cover the key prefix S3PhotoStorage writes under', () => {
    const adapter = readFileSync(`${REPO_ROOT}/functions/adapters/s3-photos/s3-photo-storage.ts`, 'utf8');
    const wiring = readFileSync(`${REPO_ROOT}/functions/wiring/photos.ts`, 'utf8');
    expect(adapter).toContain(`keyPrefix ?? '${PHOTO_KEY_PREFIX}'`);
    expect(wiring).not.toContain('keyPrefix');
  });
});

describe('no wildcard actions, anywhere', () => {
  it('no policy document in any stack allows an Action with "*" (identity, resource and key policies)', () => {
    let denies = 0;
    for (const [stack, template] of Object.entries(t)) {
      for (const doc of allPolicyDocuments(template)) {
        for (const s of doc.statements) {
          const where = `${stack}/${doc.resource} (${doc.type})`;
          expect((s as { NotAction?: unknown }).NotAction, where).toBeUndefined();
          if (s.Effect === 'Allow') {
            for (const action of asArray(s.Action)) expect(action, where).not.toContain('*');
            continue;
          }
          // The one wildcard: enforceSSL's guard, which must deny every action over plain HTTP.
          expect(s.Condition, where).toEqual({ Bool: { 'aws:SecureTransport': 'false' } });
          denies++;
        }
      }
    }
    expect(denies).toBeGreaterThan(0);
  });

  it('Resource "*" in identity policies only for X-Ray, vended logs, SMS publish and the SMS account settings', () => {
    const allowed = new Set([
      'xray:PutTraceSegments',
      'xray:PutTelemetryRecords',
      'xray:GetSamplingRules',
      'xray:GetSamplingTargets',
      // Step Functions logging to CloudWatch Logs (vended log delivery).
      'logs:CreateLogDelivery',
      'logs:GetLogDelivery',
      'logs:UpdateLogDelivery',
      'logs:DeleteLogDelivery',
      'logs:ListLogDeliveries',
      'logs:PutResourcePolicy',
      'logs:DescribeResourcePolicies',
      'logs:DescribeLogGroups',
      'sns:Publish',
      'sns:SetSMSAttributes',
    ]);
    const found = new Set<string>();
    for (const [stack, template] of Object.entries(t)) {
      for (const doc of allPolicyDocuments(template).filter((d) => d.type === 'AWS::IAM::Policy' || d.type === 'AWS::IAM::Role')) {
        for (const s of doc.statements.filter((st) => asArray(st.Resource).includes('*'))) {
          for (const action of asArray(s.Action)) {
            expect(allowed.has(action), `${stack}/${doc.resource}: ${action} on "*"`).toBe(true);
            found.add(action);
          }
        }
      }
    }
    expect(found.has('sns:Publish')).toBe(true);
  });

  it('sns:Publish belongs to the escalation steps function alone, in a policy of its own', () => {
    const publishers = Object.values(t.service.findResources('AWS::IAM::Policy')).filter((p) =>
      json(p.Properties).includes('"sns:Publish"'),
    );
    expect(publishers).toHaveLength(1);
    const props = publishers[0]?.Properties as { Roles: unknown[]; PolicyDocument: { Statement: Statement[] } };
    expect(props.Roles).toEqual([{ Ref: roleIds.escalationSteps }]);
    expect(props.PolicyDocument.Statement).toEqual([{ Action: 'sns:Publish', Effect: 'Allow', Resource: '*' }]);
  });

  it('the alarm key policy lets CloudWatch encrypt and the account administer, by listed actions', () => {
    t.service.hasResourceProperties('AWS::KMS::Key', {
      EnableKeyRotation: true,
      KeyPolicy: {
        Statement: Match.arrayWith([
          Match.objectLike({ Principal: { Service: 'cloudwatch.amazonaws.com' }, Action: ['kms:Decrypt', 'kms:GenerateDataKey'] }),
        ]),
      },
    });
  });
});

describe('the reconciler schedule and its dead-letter path', () => {
  it('runs every 5 minutes with a retry policy and a dead-letter queue', () => {
    const dlq = logicalId(synth.stacks.service.reconcilerDeadLetters);
    t.service.hasResourceProperties('AWS::Events::Rule', {
      ScheduleExpression: 'rate(5 minutes)',
      State: 'ENABLED',
      Targets: [
        Match.objectLike({
          Arn: { 'Fn::GetAtt': [fnIds.reconciler, 'Arn'] },
          RetryPolicy: { MaximumRetryAttempts: 2, MaximumEventAgeInSeconds: 300 },
          DeadLetterConfig: { Arn: { 'Fn::GetAtt': [dlq, 'Arn'] } },
        }),
      ],
    });
    expect(fnProps('reconciler')).toMatchObject({ DeadLetterConfig: { TargetArn: { 'Fn::GetAtt': [dlq, 'Arn'] } } });
    // A new account's Lambda quota (10) leaves nothing to reserve: overlapping runs share a lease instead.
    expect(fnProps('reconciler')).not.toHaveProperty('ReservedConcurrentExecutions');
    t.service.hasResourceProperties('AWS::Lambda::EventInvokeConfig', {
      FunctionName: { Ref: fnIds.reconciler },
      MaximumRetryAttempts: 0,
      MaximumEventAgeInSeconds: 900,
    });
  });

  it('may update lease and outcome items only: UpdateItem carries a LeadingKeys condition on LEASE#, STATS#, DRILL#, REPORT#', () => {
    // Act
    const updates = statementsOf('reconciler').filter((s) => asArray(s.Action).includes('dynamodb:UpdateItem'));

    // Assess
    expect(updates).toHaveLength(1);
    expect(asArray(updates[0]?.Action)).toEqual(['dynamodb:UpdateItem']);
    expect(updates[0]?.Condition).toEqual({
      'ForAllValues:StringLike': { 'dynamodb:LeadingKeys': ['LEASE#*', 'STATS#*', 'DRILL#*', 'REPORT#*'] },
    });
  });

  it('the dead-letter queue is encrypted and refuses plain HTTP', () => {
    const dlq = logicalId(synth.stacks.service.reconcilerDeadLetters);
    t.service.hasResourceProperties('AWS::SQS::Queue', { SqsManagedSseEnabled: true });
    t.service.hasResourceProperties('AWS::SQS::QueuePolicy', {
      Queues: [{ Ref: dlq }],
      PolicyDocument: {
        Statement: Match.arrayWith([
          Match.objectLike({ Effect: 'Deny', Condition: { Bool: { 'aws:SecureTransport': 'false' } } }),
          Match.objectLike({ Effect: 'Allow', Principal: { Service: 'events.amazonaws.com' }, Action: 'sqs:SendMessage' }),
        ]),
      },
    });
  });
});

describe('the importer', () => {
  it('runs off the request: invoked asynchronously, 15 minutes and 1 GB, no retry of a job it marked failed', () => {
    expect(fnProps('importer')).toMatchObject({ Timeout: 900, MemorySize: 1024 });
    t.service.hasResourceProperties('AWS::Lambda::EventInvokeConfig', { FunctionName: { Ref: fnIds.importer }, MaximumRetryAttempts: 0 });
    const env = (fnProps('api').Environment as { Variables: Record<string, unknown> }).Variables;
    expect(env.IMPORTER_FUNCTION_NAME).toEqual({ Ref: fnIds.importer });
  });

  it('is the only function that may write the table in batches; every function reads in batches where it reads by key', () => {
    for (const name of NAMES) {
      const batch = actionsOf(statementsOf(name)).filter((a) => a.startsWith('dynamodb:Batch'));
      expect(batch, name).toEqual(name === 'importer' ? ['dynamodb:BatchGetItem', 'dynamodb:BatchWriteItem'] : ['dynamodb:BatchGetItem']);
    }
  });
});

describe('alarms', () => {
  it('watch failed, timed-out and aborted executions, every function, the DLQ, the API and SMS', () => {
    // Prepare
    const alarms = Object.values(t.service.findResources('AWS::CloudWatch::Alarm')).map((a) => a.Properties as Json);
    const topic = logicalId(synth.stacks.service.alarms.topic);
    const metric = (ns: string, name: string) => alarms.filter((a) => a.Namespace === ns && a.MetricName === name);

    // Assess
    for (const name of ['ExecutionsFailed', 'ExecutionsTimedOut', 'ExecutionsAborted']) expect(metric('AWS/States', name)).toHaveLength(1);
    for (const name of ['Errors', 'Throttles']) expect(metric('AWS/Lambda', name)).toHaveLength(NAMES.length);
    expect(metric('AWS/SQS', 'ApproximateNumberOfMessagesVisible')).toHaveLength(1);
    expect(metric('AWS/SNS', 'NumberOfNotificationsFailed')).toHaveLength(1);
    expect(metric('AWS/SNS', 'SMSMonthToDateSpentUSD')[0]).toMatchObject({ Threshold: 40 });
    expect(metric('AWS/ApiGateway', '5xx')).toHaveLength(1);
    for (const a of alarms) expect(a.AlarmActions).toEqual([{ Ref: topic }]);
  });

  it('publish to an encrypted topic that refuses plain HTTP', () => {
    const key = logicalId(synth.stacks.service.alarms.key);
    t.service.hasResourceProperties('AWS::SNS::Topic', { KmsMasterKeyId: { 'Fn::GetAtt': [key, 'Arn'] } });
    t.service.hasResourceProperties('AWS::SNS::TopicPolicy', {
      PolicyDocument: {
        Statement: Match.arrayWith([Match.objectLike({ Effect: 'Deny', Condition: { Bool: { 'aws:SecureTransport': 'false' } } })]),
      },
    });
    t.service.hasResourceProperties('AWS::SNS::Subscription', { Protocol: 'email', Endpoint: 'ops@example.cn' });
  });
});

describe('SMS account settings', () => {
  it('sets the spend limit, transactional type and sender id through SNS SetSMSAttributes', () => {
    const create = Object.values(t.service.findResources('Custom::AWS'))[0]?.Properties as { Create: unknown };
    expect(json(create.Create)).toContain('setSMSAttributes');
    expect(json(create.Create)).toContain('\\"MonthlySpendLimit\\":\\"50\\"');
    expect(json(create.Create)).toContain('\\"DefaultSMSType\\":\\"Transactional\\"');
    expect(json(create.Create)).toContain('\\"DefaultSenderID\\":\\"GridWhistle\\"');
  });

  it('can be left to whoever owns the account settings', () => {
    const other = buildTestApp({ context: { manageSmsAccountSettings: false } });
    Template.fromStack(other.stacks.service).resourceCountIs('Custom::AWS', 0);
  });
});

/**
 * The stateless service: the Lambda functions of infra/lambda-functions.ts, the HTTP API built
 * from functions/handlers/http/routes.ts, the escalation state machine built from
 * functions/workflows/escalation.asl.json, the scheduled reconciler and the alarms. Everything here
 * can be destroyed and redeployed; state lives in the data and auth stacks.
 */
import { readFileSync } from 'node:fs';
import { ArnFormat, CfnOutput, Duration, RemovalPolicy, Stack, type StackProps } from 'aws-cdk-lib';
import { AccessLogFormat } from 'aws-cdk-lib/aws-apigateway';
import {
  CorsHttpMethod,
  HttpApi,
  HttpMethod,
  HttpNoneAuthorizer,
  HttpStage,
  type IHttpRouteAuthorizer,
  LogGroupLogDestination,
} from 'aws-cdk-lib/aws-apigatewayv2';
import { HttpJwtAuthorizer } from 'aws-cdk-lib/aws-apigatewayv2-authorizers';
import { HttpLambdaIntegration } from 'aws-cdk-lib/aws-apigatewayv2-integrations';
import { Metric } from 'aws-cdk-lib/aws-cloudwatch';
import type { IUserPoolClient, UserPool } from 'aws-cdk-lib/aws-cognito';
import type { ITable } from 'aws-cdk-lib/aws-dynamodb';
import { Rule, Schedule } from 'aws-cdk-lib/aws-events';
import { LambdaFunction } from 'aws-cdk-lib/aws-events-targets';
import { PolicyStatement, Role, ServicePrincipal } from 'aws-cdk-lib/aws-iam';
import type { NodejsFunctionProps } from 'aws-cdk-lib/aws-lambda-nodejs';
import { LogGroup, type RetentionDays } from 'aws-cdk-lib/aws-logs';
import { Bucket } from 'aws-cdk-lib/aws-s3';
import { CfnScheduleGroup } from 'aws-cdk-lib/aws-scheduler';
import type { ISecret } from 'aws-cdk-lib/aws-secretsmanager';
import { Queue, QueueEncryption } from 'aws-cdk-lib/aws-sqs';
import { DefinitionBody, LogLevel, StateMachine, StateMachineType } from 'aws-cdk-lib/aws-stepfunctions';
import { AwsCustomResource, AwsCustomResourcePolicy, Logging, PhysicalResourceId } from 'aws-cdk-lib/custom-resources';
import type { Construct } from 'constructs';
import { createRequestPhotoUploadHandler } from '#handlers/http/photos.ts';
import { type FunctionGroup, functionGroupOf, ROUTES, routesOf } from '#handlers/http/routes.ts';
import { AlarmTopic } from '../constructs/alarms.ts';
import {
  bindImporter,
  bindImportFiles,
  bindLinkSecret,
  bindPhotoBucket,
  bindPublicBaseUrl,
  bindSmsSender,
  bindStateMachine,
  bindTable,
  bindUserPool,
  bindUserPoolAdmin,
  bindWakeSchedules,
} from '../constructs/bindings.ts';
import { GridWhistleFunction } from '../constructs/gridwhistle-function.ts';
import { acknowledge, XRAY_REASON } from '../constructs/nag.ts';
import { importBucketName, photoBucketName } from '../constructs/names.ts';
import { ESCALATION_ASL } from '../constructs/paths.ts';
import { LAMBDA_FUNCTIONS, type LambdaFunctionName, type LambdaFunctionSpec } from '../lambda-functions.ts';

export interface SmsSettings {
  /** Per-message sender ID (SMS_SENDER_ID); only some countries show it, China and the US do not. */
  senderId?: string;
  /** SNS stops sending SMS for the rest of the month once the account spends this much (USD). */
  monthlySpendLimitUsd: number;
  /**
   * Sets the account-wide SNS SMS attributes (MonthlySpendLimit, DefaultSMSType, DefaultSenderID)
   * from this stack. Turn off in an account where another workload owns those settings.
   */
  manageAccountSettings: boolean;
}

export interface ServiceStackProps extends StackProps {
  /** The deployment's stack prefix: the photo bucket is found by its name (see constructs/names.ts). */
  stackPrefix: string;
  table: ITable;
  linkSecret: ISecret;
  userPool: UserPool;
  userPoolClient: IUserPoolClient;
  /** Where SMS links and Open311 URLs point (PUBLIC_BASE_URL, ≤ 24 characters): the console's short domain. */
  publicBaseUrl: string;
  /** Browser origins allowed to call the API (the console). */
  corsOrigins: string[];
  sms: SmsSettings;
  alarmEmail?: string;
  logRetention: RetentionDays;
  apiThrottle: { rateLimit: number; burstLimit: number };
}

const pascal = (name: string) => name.charAt(0).toUpperCase() + name.slice(1);

/** A group's function hands out presigned upload URLs iff it serves the upload-request route. */
function servesPhotoUploads(group: FunctionGroup): boolean {
  return routesOf(group).some((route) => route.create === createRequestPhotoUploadHandler);
}

export class ServiceStack extends Stack {
  readonly functions: Record<LambdaFunctionName, GridWhistleFunction>;
  readonly stateMachine: StateMachine;
  readonly httpApi: HttpApi;
  readonly stage: HttpStage;
  readonly alarms: AlarmTopic;
  readonly reconcilerDeadLetters: Queue;

  constructor(scope: Construct, id: string, props: ServiceStackProps) {
    super(scope, id, props);

    // The functions need the state machine's ARN and the state machine needs the steps function's:
    // naming the state machine breaks the cycle (the ARN is known before either exists).
    const stateMachineName = `${this.stackName}-Escalation`;
    const stateMachineArn = this.formatArn({
      service: 'states',
      resource: 'stateMachine',
      resourceName: stateMachineName,
      arnFormat: ArnFormat.COLON_RESOURCE_NAME,
    });

    // The reconciler's failed runs land here (its only asynchronous invocation: the schedule).
    this.reconcilerDeadLetters = new Queue(this, 'ReconcilerDeadLetters', {
      encryption: QueueEncryption.SQS_MANAGED,
      enforceSSL: true,
      retentionPeriod: Duration.days(14),
    });

    const wakes = this.wakeSchedules(stateMachineArn);

    const photoBucket = Bucket.fromBucketName(this, 'PhotoBucket', photoBucketName(props.stackPrefix));
    const importBucket = Bucket.fromBucketName(this, 'ImportBucket', importBucketName(props.stackPrefix));
    const overridesOf: Partial<Record<LambdaFunctionName, Partial<NodejsFunctionProps>>> = {
      reconciler: {
        // No reserved concurrency: a new account's quota of 10 leaves none to reserve (Lambda
        // keeps 100 unreserved), so the Service stack would not deploy. Overlapping runs are
        // made safe by the reconciler lease instead (core/use-cases/escalation-steps.ts).
        // The next run, five minutes later, is the retry; a failed run goes to the queue.
        retryAttempts: 0,
        maxEventAge: Duration.minutes(15),
        deadLetterQueue: this.reconcilerDeadLetters,
      },
      // A job that fails is marked failed on its record before the error ends the invocation, so a
      // retry would find it finished and do nothing: the uploader re-sends the file instead. (Its
      // errors alarm like every function's.)
      importer: { retryAttempts: 0 },
    };
    const functions = {} as Record<LambdaFunctionName, GridWhistleFunction>;
    for (const [name, spec] of Object.entries(LAMBDA_FUNCTIONS) as [LambdaFunctionName, LambdaFunctionSpec][]) {
      const overrides = overridesOf[name] ?? {};
      const f = new GridWhistleFunction(this, pascal(name), { spec, logRetention: props.logRetention, overrides });
      const needs: LambdaFunctionSpec['needs'] = spec.needs;
      bindTable(f, props.table, needs.table);
      if (needs.workflow) bindStateMachine(f, stateMachineArn, needs.workflow);
      if (needs.wakes) bindWakeSchedules(f, wakes);
      if (needs.auth) bindUserPool(f, props.userPool, props.userPoolClient);
      if (needs.accounts) bindUserPoolAdmin(f, props.userPool);
      if (needs.photos) {
        const group = name === 'api' || name === 'open311' ? name : undefined;
        bindPhotoBucket(f, photoBucket, { upload: group ? servesPhotoUploads(group) : false });
      }
      if (needs.links) bindLinkSecret(f, props.linkSecret);
      if (needs.links || needs.publicUrl) bindPublicBaseUrl(f, props.publicBaseUrl);
      if (needs.sms) bindSmsSender(f, { senderId: props.sms.senderId });
      if (needs.imports) bindImportFiles(f, importBucket, needs.imports);
      acknowledge(f.role.node.findChild('DefaultPolicy'), 'AwsSolutions-IAM5[Resource::*]', XRAY_REASON);
      functions[name] = f;
    }
    this.functions = functions;
    for (const [name, spec] of Object.entries(LAMBDA_FUNCTIONS) as [LambdaFunctionName, LambdaFunctionSpec][]) {
      if (spec.needs.imports === 'start') bindImporter(functions[name], functions.importer);
    }

    this.stateMachine = this.escalationStateMachine(stateMachineName, functions.escalationSteps, props.logRetention);
    new Rule(this, 'ReconcileSchedule', {
      description: 'GridWhistle: resume open reports whose execution is not running',
      schedule: Schedule.rate(Duration.minutes(5)),
      targets: [
        new LambdaFunction(functions.reconciler.fn, {
          retryAttempts: 2,
          maxEventAge: Duration.minutes(5),
          deadLetterQueue: this.reconcilerDeadLetters,
        }),
      ],
    });

    const { api, stage } = this.httpApiFor(functions, props);
    this.httpApi = api;
    this.stage = stage;

    if (props.sms.manageAccountSettings) this.smsAccountSettings(props.sms, props.logRetention);

    this.alarms = new AlarmTopic(this, 'Alarms', { email: props.alarmEmail });
    this.addAlarms(functions, props.sms);

    new CfnOutput(this, 'ApiUrl', { value: stage.url, description: 'The HTTP API (the console and the phone app call it)' });
    new CfnOutput(this, 'StateMachineArn', { value: this.stateMachine.stateMachineArn });
    new CfnOutput(this, 'AlarmTopicArn', { value: this.alarms.topic.topicArn });
  }

  /**
   * The escalation's wake-ups: the Cycle step parks its task token and sets a one-time schedule
   * that completes the task at the next due instant (EventBridge Scheduler's SendTaskSuccess
   * target). A schedule is 1/25 of a state transition's price, so waiting inside the step's own task
   * instead of a separate Await state saves a transition per cycle.
   */
  private wakeSchedules(stateMachineArn: string) {
    const group = new CfnScheduleGroup(this, 'EscalationWakeUps', { name: `${this.stackName}-wakes` });
    const role = new Role(this, 'WakeRole', {
      assumedBy: new ServicePrincipal('scheduler.amazonaws.com', {
        conditions: { StringEquals: { 'aws:SourceAccount': this.account } },
      }),
      description: 'GridWhistle: the escalation wake-up schedules complete waiting tasks (states:SendTaskSuccess)',
    });
    role.addToPrincipalPolicy(new PolicyStatement({ actions: ['states:SendTaskSuccess'], resources: [stateMachineArn] }));
    const schedulesArn = this.formatArn({
      service: 'scheduler',
      resource: 'schedule',
      resourceName: `${group.name}/*`,
      arnFormat: ArnFormat.SLASH_RESOURCE_NAME,
    });
    return { groupName: group.name as string, schedulesArn, roleArn: role.roleArn };
  }

  private escalationStateMachine(name: string, steps: GridWhistleFunction, logRetention: RetentionDays): StateMachine {
    const logs = new LogGroup(this, 'EscalationLogs', {
      // The vendedlogs prefix keeps Step Functions from growing the account's log resource policy.
      logGroupName: `/aws/vendedlogs/states/${name}`,
      retention: logRetention,
      removalPolicy: RemovalPolicy.RETAIN,
    });
    const stateMachine = new StateMachine(this, 'Escalation', {
      stateMachineName: name,
      stateMachineType: StateMachineType.STANDARD,
      comment: 'GridWhistle escalation: one execution per report (functions/workflows/escalation.asl.json)',
      definitionBody: DefinitionBody.fromString(readFileSync(ESCALATION_ASL, 'utf8')),
      definitionSubstitutions: { EscalationStepsFunctionArn: steps.fn.functionArn },
      logs: { destination: logs, level: LogLevel.ALL, includeExecutionData: true },
      tracingEnabled: true,
    });
    // Exactly the unqualified ARN the ASL names: no `:*` for versions or aliases it never calls.
    stateMachine.addToRolePolicy(new PolicyStatement({ actions: ['lambda:InvokeFunction'], resources: [steps.fn.functionArn] }));
    acknowledge(
      stateMachine.role.node.findChild('DefaultPolicy'),
      'AwsSolutions-IAM5[Resource::*]',
      `${XRAY_REASON} Logging to CloudWatch Logs uses the vended-log delivery APIs (logs:CreateLogDelivery, ` +
        'logs:PutResourcePolicy, …), which AWS documents as requiring Resource "*".',
    );
    return stateMachine;
  }

  private httpApiFor(functions: Record<LambdaFunctionName, GridWhistleFunction>, props: ServiceStackProps) {
    const api = new HttpApi(this, 'HttpApi', {
      apiName: `${this.stackName}-api`,
      description: 'GridWhistle HTTP API (routes from functions/handlers/http/routes.ts)',
      createDefaultStage: false,
      corsPreflight: {
        allowOrigins: props.corsOrigins,
        allowMethods: [CorsHttpMethod.GET, CorsHttpMethod.POST, CorsHttpMethod.PUT, CorsHttpMethod.PATCH, CorsHttpMethod.OPTIONS],
        allowHeaders: ['authorization', 'content-type', 'idempotency-key'],
        maxAge: Duration.hours(1),
      },
    });

    const accessLogs = new LogGroup(this, 'ApiAccessLogs', { retention: props.logRetention, removalPolicy: RemovalPolicy.RETAIN });
    const stage = new HttpStage(this, 'DefaultStage', {
      httpApi: api,
      stageName: '$default',
      autoDeploy: true,
      throttle: props.apiThrottle,
      accessLogSettings: {
        destination: new LogGroupLogDestination(accessLogs),
        // The route key, never the raw path: SMS link tokens travel in the path and are credentials.
        format: AccessLogFormat.custom(
          JSON.stringify({
            requestId: '$context.requestId',
            time: '$context.requestTime',
            ip: '$context.identity.sourceIp',
            routeKey: '$context.routeKey',
            status: '$context.status',
            latencyMs: '$context.responseLatency',
            integrationLatencyMs: '$context.integration.latency',
            responseLength: '$context.responseLength',
            sub: '$context.authorizer.claims.sub',
            authorizerError: '$context.authorizer.error',
            integrationError: '$context.integrationErrorMessage',
          }),
        ),
      },
    });

    const jwt = new HttpJwtAuthorizer('Cognito', props.userPool.userPoolProviderUrl, {
      jwtAudience: [props.userPoolClient.userPoolClientId],
      identitySource: ['$request.header.Authorization'],
    });
    const none = new HttpNoneAuthorizer();
    const integrations: Record<FunctionGroup, HttpLambdaIntegration> = {
      api: new HttpLambdaIntegration('ApiIntegration', functions.api.fn),
      open311: new HttpLambdaIntegration('Open311Integration', functions.open311.fn),
    };

    for (const route of ROUTES) {
      if (route.localOnly) continue;
      const authorizer: IHttpRouteAuthorizer = route.public ? none : jwt;
      const [created] = api.addRoutes({
        path: route.path,
        methods: [HttpMethod[route.method]],
        integration: integrations[functionGroupOf(route)],
        authorizer,
      });
      if (route.public && created) {
        acknowledge(
          created,
          'AwsSolutions-APIG4',
          `${route.method} ${route.path} is public by design (routes.ts public: true): ${publicRouteReason(route.path)}`,
        );
      }
    }
    return { api, stage };
  }

  /** Account-wide SNS SMS attributes in this region, kept in step with the spend alarm below. */
  private smsAccountSettings(sms: SmsSettings, logRetention: RetentionDays): void {
    const attributes: Record<string, string> = {
      MonthlySpendLimit: String(sms.monthlySpendLimitUsd),
      DefaultSMSType: 'Transactional',
      ...(sms.senderId ? { DefaultSenderID: sms.senderId } : {}),
    };
    const logGroup = new LogGroup(this, 'SmsSettingsLogs', { retention: logRetention, removalPolicy: RemovalPolicy.DESTROY });
    const role = new Role(this, 'SmsSettingsRole', {
      assumedBy: new ServicePrincipal('lambda.amazonaws.com'),
      description: 'GridWhistle: sets the SNS SMS account attributes at deploy time',
    });
    role.addToPrincipalPolicy(
      new PolicyStatement({ actions: ['logs:CreateLogStream', 'logs:PutLogEvents'], resources: [logGroup.logGroupArn] }),
    );
    const call = {
      service: 'SNS',
      action: 'setSMSAttributes',
      parameters: { attributes },
      physicalResourceId: PhysicalResourceId.of('gridwhistle-sns-sms-account-settings'),
      logging: Logging.withDataHidden(),
    };
    const settings = new AwsCustomResource(this, 'SmsAccountSettings', {
      onCreate: call,
      onUpdate: call,
      policy: AwsCustomResourcePolicy.fromStatements([new PolicyStatement({ actions: ['sns:SetSMSAttributes'], resources: ['*'] })]),
      role,
      logGroup,
      installLatestAwsSdk: false,
    });
    acknowledge(
      settings.node.findChild('CustomResourcePolicy'),
      'AwsSolutions-IAM5[Resource::*]',
      'sns:SetSMSAttributes changes account-level SMS settings (spend limit, default SMS type and sender ID); it has no resource ' +
        'ARN, so IAM only accepts Resource "*". The role can call nothing else.',
    );
  }

  private addAlarms(functions: Record<LambdaFunctionName, GridWhistleFunction>, sms: SmsSettings): void {
    const alarms = this.alarms;
    const period = Duration.minutes(5);
    alarms.alarm('EscalationFailed', this.stateMachine.metricFailed({ period }), {
      description: 'An escalation execution failed: the report stops escalating until the reconciler resumes it',
    });
    alarms.alarm('EscalationTimedOut', this.stateMachine.metricTimedOut({ period }), {
      description: 'An escalation execution timed out',
    });
    alarms.alarm('EscalationAborted', this.stateMachine.metricAborted({ period }), {
      description: 'An escalation execution was stopped (by hand or by a redeploy); the reconciler resumes open reports',
    });
    for (const [name, f] of Object.entries(functions)) {
      alarms.alarm(`${pascal(name)}Errors`, f.fn.metricErrors({ period }), {
        description: `Lambda ${name}: invocations ended in an error (for the steps function this includes SMS not taken by SNS)`,
      });
      alarms.alarm(`${pascal(name)}Throttles`, f.fn.metricThrottles({ period }), {
        description: `Lambda ${name}: invocations throttled (account or reserved concurrency)`,
      });
    }
    alarms.alarm('ReconcilerDeadLetters', this.reconcilerDeadLetters.metricApproximateNumberOfMessagesVisible({ period }), {
      description: 'Reconciler runs failed after their retries: open reports without an execution are not being resumed',
    });
    alarms.alarm('ApiServerErrors', this.httpApi.metricServerError({ period, statistic: 'Sum' }), {
      threshold: 5,
      description: 'The HTTP API answered 5xx at least 5 times in 5 minutes',
    });
    // Direct SMS publish reports under the PhoneNumber=PhoneNumberDirect dimension.
    alarms.alarm(
      'SmsFailures',
      new Metric({
        namespace: 'AWS/SNS',
        metricName: 'NumberOfNotificationsFailed',
        dimensionsMap: { PhoneNumber: 'PhoneNumberDirect' },
        statistic: 'Sum',
        period,
      }),
      { description: 'SNS could not deliver SMS to officers (carrier failure, opted out, spend limit reached)' },
    );
    alarms.alarm(
      'SmsSpend',
      new Metric({ namespace: 'AWS/SNS', metricName: 'SMSMonthToDateSpentUSD', statistic: 'Maximum', period: Duration.hours(1) }),
      {
        threshold: Math.round(sms.monthlySpendLimitUsd * 0.8 * 100) / 100,
        description: `SMS spend this month reached 80% of the ${sms.monthlySpendLimitUsd} USD limit: at the limit SNS stops sending`,
      },
    );
  }
}

function publicRouteReason(path: string): string {
  if (path.startsWith('/open311/')) {
    return 'Open311 GeoReport v2 reads are public by the standard, and POST authenticates with the api_key parameter inside the handler.';
  }
  if (path.startsWith('/api/v1/links/') || path.startsWith('/l/')) {
    return 'the SMS link token in the path is the credential (HMAC-signed, one report, one officer, one tier, expiring), checked by the handler.';
  }
  return 'a liveness probe and the OpenAPI document carry no data and must be reachable without signing in.';
}

/**
 * The project's Lambda function: one per entry of LAMBDA_FUNCTIONS, with the defaults every function
 * shares (arm64, the newest Node.js runtime of this aws-cdk-lib, active tracing, an explicit log group
 * with retention, the esbuild settings of BUNDLING). The role starts empty: no managed policy, only
 * what the function writes to its own log group; every other permission comes from a bind* helper.
 */
import { resolve } from 'node:path';
import { Duration, RemovalPolicy } from 'aws-cdk-lib';
import { PolicyStatement, Role, ServicePrincipal } from 'aws-cdk-lib/aws-iam';
import { Architecture, LoggingFormat, Runtime, Tracing } from 'aws-cdk-lib/aws-lambda';
import { NodejsFunction, type NodejsFunctionProps, OutputFormat } from 'aws-cdk-lib/aws-lambda-nodejs';
import { LogGroup, type RetentionDays } from 'aws-cdk-lib/aws-logs';
import { Construct } from 'constructs';
import { BUNDLING, type LambdaFunctionSpec } from '../lambda-functions.ts';
import { REPO_ROOT } from './paths.ts';

/** The newest Node.js runtime aws-cdk-lib 2.276 offers; BUNDLING.target is the matching esbuild target. */
export const NODE_RUNTIME = Runtime.NODEJS_24_X;

export interface GridWhistleFunctionProps {
  spec: LambdaFunctionSpec;
  logRetention: RetentionDays;
  /** Extra NodejsFunction settings a caller needs (dead-letter queue, reserved concurrency…). */
  overrides?: Partial<NodejsFunctionProps>;
}

export class GridWhistleFunction extends Construct {
  readonly fn: NodejsFunction;
  readonly role: Role;
  readonly logGroup: LogGroup;

  constructor(scope: Construct, id: string, props: GridWhistleFunctionProps) {
    super(scope, id);
    const { spec } = props;

    this.logGroup = new LogGroup(this, 'Logs', {
      retention: props.logRetention,
      // Logs are evidence of who did what to a report: they outlive a torn-down service stack.
      removalPolicy: RemovalPolicy.RETAIN,
    });

    this.role = new Role(this, 'Role', {
      assumedBy: new ServicePrincipal('lambda.amazonaws.com'),
      description: `${spec.description} (least privilege: see infra/constructs/bindings.ts)`,
    });
    // Instead of AWSLambdaBasicExecutionRole (logs:* on every log group): its own group only.
    this.role.addToPrincipalPolicy(
      new PolicyStatement({ actions: ['logs:CreateLogStream', 'logs:PutLogEvents'], resources: [this.logGroup.logGroupArn] }),
    );

    this.fn = new NodejsFunction(this, 'Function', {
      entry: resolve(REPO_ROOT, spec.entry),
      projectRoot: REPO_ROOT,
      depsLockFilePath: resolve(REPO_ROOT, 'package-lock.json'),
      handler: 'handler',
      description: spec.description,
      runtime: NODE_RUNTIME,
      architecture: Architecture.ARM_64,
      memorySize: spec.memoryMb,
      timeout: Duration.seconds(spec.timeoutSeconds),
      tracing: Tracing.ACTIVE,
      role: this.role,
      logGroup: this.logGroup,
      loggingFormat: LoggingFormat.JSON,
      bundling: {
        minify: BUNDLING.minify,
        sourceMap: BUNDLING.sourceMap,
        sourcesContent: BUNDLING.sourcesContent,
        target: BUNDLING.target,
        format: BUNDLING.format === 'cjs' ? OutputFormat.CJS : OutputFormat.ESM,
        externalModules: [...BUNDLING.externalModules],
      },
      environment: {
        NODE_OPTIONS: '--enable-source-maps',
        GW_MODE: 'aws',
      },
      ...props.overrides,
    });
  }
}

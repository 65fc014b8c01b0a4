/**
 * The stateful stack: what must survive every redeploy and a deleted stack. The table is declared
 * from functions/adapters/dynamodb/table.ts (the same keys and GSIs the local runtime creates), the
 * photo bucket holds report evidence, the import bucket the uploaded CSV files for a week, and the
 * link secret signs SMS links that are still valid for days. All are retained when the stack goes away.
 */
import { CfnOutput, Duration, RemovalPolicy, Stack, type StackProps } from 'aws-cdk-lib';
import { AttributeType, BillingMode, ProjectionType, Table } from 'aws-cdk-lib/aws-dynamodb';
import { type Bucket, HttpMethods } from 'aws-cdk-lib/aws-s3';
import { Secret } from 'aws-cdk-lib/aws-secretsmanager';
import type { Construct } from 'constructs';
import { ALL_INDEXES, TABLE_KEYS } from '#adapters/dynamodb/table.ts';
import { acknowledge } from '../constructs/nag.ts';
import { importBucketName, photoBucketName } from '../constructs/names.ts';
import { privateBucket } from '../constructs/private-bucket.ts';

/** How long an uploaded import file is kept. */
export const IMPORT_FILE_DAYS = 7;

export interface DataStackProps extends StackProps {
  /** The deployment's stack prefix: part of the photo bucket's name (see constructs/names.ts). */
  stackPrefix: string;
  /** Origins whose browsers PUT photos to presigned URLs (the console's). */
  corsOrigins: string[];
  /** How long S3 access logs are kept. */
  accessLogDays: number;
}

export class DataStack extends Stack {
  readonly table: Table;
  readonly photoBucket: Bucket;
  readonly importBucket: Bucket;
  readonly linkSecret: Secret;

  constructor(scope: Construct, id: string, props: DataStackProps) {
    super(scope, id, props);

    this.table = new Table(this, 'Table', {
      partitionKey: { name: TABLE_KEYS.partitionKey, type: AttributeType.STRING },
      sortKey: { name: TABLE_KEYS.sortKey, type: AttributeType.STRING },
      billingMode: BillingMode.PAY_PER_REQUEST,
      pointInTimeRecoverySpecification: { pointInTimeRecoveryEnabled: true },
      deletionProtection: true,
      removalPolicy: RemovalPolicy.RETAIN,
    });
    // Projections as table.ts declares them. DynamoDB cannot change an index's projection in place,
    // and CloudFormation creates or deletes one index per stack update: a deployed table moves to
    // new projections index by index (drop and re-add each in its own deploy).
    for (const index of ALL_INDEXES) {
      this.table.addGlobalSecondaryIndex({
        indexName: index.name,
        partitionKey: { name: index.partitionKey, type: AttributeType.STRING },
        sortKey: { name: index.sortKey, type: AttributeType.STRING },
        projectionType: ProjectionType[index.projection.type],
        ...(index.projection.type === 'INCLUDE' ? { nonKeyAttributes: [...index.projection.attributes] } : {}),
      });
    }

    const accessLogs = privateBucket(this, 'AccessLogs', {
      lifecycleRules: [{ expiration: Duration.days(props.accessLogDays) }],
      removalPolicy: RemovalPolicy.RETAIN,
    });
    this.photoBucket = privateBucket(this, 'Photos', {
      bucketName: photoBucketName(props.stackPrefix),
      versioned: true,
      serverAccessLogsBucket: accessLogs,
      serverAccessLogsPrefix: 'photos/',
      cors: [
        // The browser PUTs straight to the presigned URL with the two headers S3PhotoStorage signs.
        {
          allowedMethods: [HttpMethods.PUT],
          allowedOrigins: props.corsOrigins,
          allowedHeaders: ['content-type', 'if-none-match'],
          exposedHeaders: ['etag'],
          maxAge: 3000,
        },
        // GET /api/v1/photos/{id} answers 302 to a presigned GET: a console that fetch()es the photo
        // (it must, to send its token) follows the redirect cross-origin.
        { allowedMethods: [HttpMethods.GET, HttpMethods.HEAD], allowedOrigins: props.corsOrigins, maxAge: 3000 },
      ],
      lifecycleRules: [{ abortIncompleteMultipartUploadAfter: Duration.days(1) }],
      removalPolicy: RemovalPolicy.RETAIN,
    });

    // Uploaded CSV imports: officers' names and phones, needed only until their job has read them
    // (minutes). Kept a week for a re-run or a look at what was sent, then deleted; not versioned,
    // so an expired file is gone, not kept as a noncurrent version.
    this.importBucket = privateBucket(this, 'Imports', {
      bucketName: importBucketName(props.stackPrefix),
      serverAccessLogsBucket: accessLogs,
      serverAccessLogsPrefix: 'imports/',
      lifecycleRules: [{ expiration: Duration.days(IMPORT_FILE_DAYS), abortIncompleteMultipartUploadAfter: Duration.days(1) }],
      removalPolicy: RemovalPolicy.RETAIN,
    });

    // 64 random characters; reading it is granted to the functions that sign or check links.
    this.linkSecret = new Secret(this, 'LinkSecret', {
      description: 'GridWhistle: HMAC key of the SMS action links (functions/wiring/aws.ts reads it as LINK_SECRET_ARN)',
      generateSecretString: { passwordLength: 64, excludePunctuation: true },
      removalPolicy: RemovalPolicy.RETAIN,
    });
    acknowledge(
      this.linkSecret,
      'AwsSolutions-SMG4',
      'Rotating the link key would invalidate every SMS action link already sent (they stay valid until the tier deadline, ' +
        'often days). Rotation needs a verifier that accepts the previous key too; until then the key is rotated by a planned redeploy.',
    );

    new CfnOutput(this, 'TableName', { value: this.table.tableName });
    new CfnOutput(this, 'PhotoBucketName', { value: this.photoBucket.bucketName });
    new CfnOutput(this, 'ImportBucketName', { value: this.importBucket.bucketName });
  }
}

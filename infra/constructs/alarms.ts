/**
 * Where alarms go: one SNS topic, encrypted with a customer-managed key because CloudWatch cannot
 * publish to a topic under the AWS-managed aws/sns key (its key policy cannot name CloudWatch). The
 * key policy lists its actions: the account administers the key, CloudWatch may only encrypt for it.
 */
import { Duration, RemovalPolicy } from 'aws-cdk-lib';
import { Alarm, ComparisonOperator, type IMetric, TreatMissingData } from 'aws-cdk-lib/aws-cloudwatch';
import { SnsAction } from 'aws-cdk-lib/aws-cloudwatch-actions';
import { AccountRootPrincipal, PolicyDocument, PolicyStatement, ServicePrincipal } from 'aws-cdk-lib/aws-iam';
import { Key } from 'aws-cdk-lib/aws-kms';
import { Topic } from 'aws-cdk-lib/aws-sns';
import { EmailSubscription } from 'aws-cdk-lib/aws-sns-subscriptions';
import { Construct } from 'constructs';

/** What an administrator (or CloudFormation on their behalf) does with the key; listed, not `kms:*`. */
const KEY_ADMIN_ACTIONS = [
  'kms:CancelKeyDeletion',
  'kms:CreateAlias',
  'kms:DeleteAlias',
  'kms:DescribeKey',
  'kms:DisableKey',
  'kms:DisableKeyRotation',
  'kms:EnableKey',
  'kms:EnableKeyRotation',
  'kms:GetKeyPolicy',
  'kms:GetKeyRotationStatus',
  'kms:ListResourceTags',
  'kms:PutKeyPolicy',
  'kms:ScheduleKeyDeletion',
  'kms:TagResource',
  'kms:UntagResource',
  'kms:UpdateAlias',
  'kms:UpdateKeyDescription',
];

export interface AlarmTopicProps {
  /** Subscribed by e-mail when given (the address confirms the subscription once). */
  email?: string;
}

export class AlarmTopic extends Construct {
  readonly topic: Topic;
  readonly key: Key;
  private readonly action: SnsAction;

  constructor(scope: Construct, id: string, props: AlarmTopicProps) {
    super(scope, id);
    this.key = new Key(this, 'Key', {
      description: 'GridWhistle alarm topic encryption (CloudWatch alarms publish through it)',
      enableKeyRotation: true,
      pendingWindow: Duration.days(7),
      // It encrypts notifications in flight only; nothing stored depends on it.
      removalPolicy: RemovalPolicy.DESTROY,
      policy: new PolicyDocument({
        statements: [
          // In a key policy "*" means this key; the account's IAM policies decide who administers it.
          new PolicyStatement({
            sid: 'KeyAdministration',
            principals: [new AccountRootPrincipal()],
            actions: KEY_ADMIN_ACTIONS,
            resources: ['*'],
          }),
          new PolicyStatement({
            sid: 'CloudWatchAlarmsPublish',
            principals: [new ServicePrincipal('cloudwatch.amazonaws.com')],
            actions: ['kms:Decrypt', 'kms:GenerateDataKey'],
            resources: ['*'],
          }),
        ],
      }),
    });
    this.topic = new Topic(this, 'Topic', { displayName: 'GridWhistle alarms', masterKey: this.key, enforceSSL: true });
    if (props.email) this.topic.addSubscription(new EmailSubscription(props.email));
    this.action = new SnsAction(this.topic);
  }

  /** An alarm when the metric reaches `threshold` in one period; missing data is a quiet system, not a fault. */
  alarm(id: string, metric: IMetric, opts: { threshold?: number; description: string; periods?: number }): Alarm {
    const alarm = new Alarm(this, id, {
      metric,
      threshold: opts.threshold ?? 1,
      evaluationPeriods: opts.periods ?? 1,
      comparisonOperator: ComparisonOperator.GREATER_THAN_OR_EQUAL_TO_THRESHOLD,
      treatMissingData: TreatMissingData.NOT_BREACHING,
      alarmDescription: opts.description,
    });
    alarm.addAlarmAction(this.action);
    return alarm;
  }
}

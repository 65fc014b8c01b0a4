/**
 * SMS through SNS direct publish, for the one function that texts officers. Its own module so
 * that only the bundles whose entry imports it load @aws-sdk/client-sns (see wiring/aws.ts).
 */
import { SNSClient } from '@aws-sdk/client-sns';
import { SnsSmsSender } from '#adapters/sns-sms/sns-sms-sender.ts';
import type { SmsSender } from '#ports/messaging.ts';
import type { Config } from './config.ts';

export function snsSms(config: Config): SmsSender {
  return new SnsSmsSender(new SNSClient({ region: config.AWS_REGION }), { senderId: config.SMS_SENDER_ID });
}

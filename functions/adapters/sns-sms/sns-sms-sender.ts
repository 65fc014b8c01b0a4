/**
 * SMS through Amazon SNS direct publish to an E.164 number. Not offered in the China regions, and
 * +86 traffic needs registered templates: another provider implements the same SmsSender port.
 */
import { PublishCommand, type SNSClient } from '@aws-sdk/client-sns';
import { SmsSendFailedError } from '#core/errors.ts';
import { maskPhone } from '#core/people.ts';
import type { SmsSender } from '#ports/messaging.ts';

export interface SnsSmsOptions {
  senderId?: string;
  /** Transactional: delivered even to numbers that opted out of promotional messages. */
  smsType?: 'Transactional' | 'Promotional';
}

export class SnsSmsSender implements SmsSender {
  constructor(
    private readonly sns: SNSClient,
    private readonly options: SnsSmsOptions = {},
  ) {}

  async send(message: { to: string; text: string }): Promise<{ providerMessageId: string }> {
    const attributes: Record<string, { DataType: string; StringValue: string }> = {
      'AWS.SNS.SMS.SMSType': { DataType: 'String', StringValue: this.options.smsType ?? 'Transactional' },
    };
    if (this.options.senderId) attributes['AWS.SNS.SMS.SenderID'] = { DataType: 'String', StringValue: this.options.senderId };
    try {
      const out = await this.sns.send(
        new PublishCommand({ PhoneNumber: message.to, Message: message.text, MessageAttributes: attributes }),
      );
      return { providerMessageId: out.MessageId ?? '' };
    } catch (error) {
      throw new SmsSendFailedError(`SNS did not take the SMS to ${maskPhone(message.to)}`, { cause: error });
    }
  }
}

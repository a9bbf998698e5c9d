import { type MessageAttributeValue, PublishCommand, type SNSClient } from '@aws-sdk/client-sns';
import type { Sms, SmsSender } from '#invitations/ports.ts';

/** Alphanumeric sender ids: 1-11 letters and digits, at least one letter (where the country allows them). */
const SENDER_ID = /^(?=.*[A-Za-z])[A-Za-z0-9]{1,11}$/;

/** Invitation SMS straight to a phone number through SNS, as transactional messages (sent even at night). */
export class SnsSmsSender implements SmsSender {
  private readonly senderId: string | undefined;

  constructor(
    private readonly client: SNSClient,
    senderId?: string,
  ) {
    if (senderId !== undefined && !SENDER_ID.test(senderId))
      throw new TypeError('an SMS sender id is 1-11 letters and digits, with at least one letter');
    this.senderId = senderId;
  }

  async send(sms: Sms): Promise<{ messageId: string }> {
    const attributes: Record<string, MessageAttributeValue> = {
      // Transactional: higher delivery priority than Promotional, which carriers may hold or filter.
      'AWS.SNS.SMS.SMSType': { DataType: 'String', StringValue: 'Transactional' },
    };
    if (this.senderId)
      attributes['AWS.SNS.SMS.SenderID'] = { DataType: 'String', StringValue: this.senderId };
    const out = await this.client.send(
      new PublishCommand({ PhoneNumber: sms.phoneNumber, Message: sms.text, MessageAttributes: attributes }),
    );
    if (!out.MessageId) throw new Error('SNS answered without a MessageId');
    return { messageId: out.MessageId };
  }
}

import { type MessageAttributeValue, PublishCommand, type SNSClient } from '@aws-sdk/client-sns';
import type { ChatMessage, Messenger, TemplateMessage } from '#conversations/ports.ts';
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
    const attributes = transactional();
    if (this.senderId)
      attributes['AWS.SNS.SMS.SenderID'] = { DataType: 'String', StringValue: this.senderId };
    return { messageId: await publish(this.client, sms.phoneNumber, sms.text, attributes) };
  }
}

/** Transactional: higher delivery priority than Promotional, which carriers may hold or filter. */
const transactional = (): Record<string, MessageAttributeValue> => ({
  'AWS.SNS.SMS.SMSType': { DataType: 'String', StringValue: 'Transactional' },
});

async function publish(
  client: SNSClient,
  phoneNumber: string,
  text: string,
  attributes: Record<string, MessageAttributeValue>,
): Promise<string> {
  const out = await client.send(
    new PublishCommand({ PhoneNumber: phoneNumber, Message: text, MessageAttributes: attributes }),
  );
  if (!out.MessageId) throw new Error('SNS answered without a MessageId');
  return out.MessageId;
}

/**
 * A survey conversation's messages by SMS, from the two-way number its customers reply to (a sender id cannot
 * take replies): SNS sends through AWS End User Messaging SMS with that origination number. A choice is written
 * out as numbered lines; SMS has no templates.
 */
export class SmsMessenger implements Messenger {
  constructor(
    private readonly client: SNSClient,
    private readonly phoneNumber: string,
  ) {}

  async send(
    to: string,
    message: ChatMessage | { readonly template: TemplateMessage },
  ): Promise<{ id: string }> {
    if ('template' in message) throw new TypeError('SMS has no templates: send the question itself');
    const attributes = transactional();
    attributes['AWS.MM.SMS.OriginationNumber'] = { DataType: 'String', StringValue: this.phoneNumber };
    return { id: await publish(this.client, `+${to}`, message.plain ?? message.text, attributes) };
  }
}

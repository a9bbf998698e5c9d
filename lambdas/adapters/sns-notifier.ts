import { PublishCommand, type SNSClient } from '@aws-sdk/client-sns';
import type { AlertMessage, Notifier } from '#kernel/ports.ts';

export class SnsNotifier implements Notifier {
  constructor(
    private readonly client: SNSClient,
    private readonly topicArn: string,
  ) {}

  async publish(alert: AlertMessage): Promise<void> {
    const attributes = Object.fromEntries(
      Object.entries(alert.attributes)
        .filter(([, v]) => v !== '')
        .slice(0, 10) // SNS allows at most 10 message attributes.
        .map(([k, v]) => [k, { DataType: 'String', StringValue: v }]),
    );
    await this.client.send(
      new PublishCommand({
        TopicArn: this.topicArn,
        // SNS subjects are ASCII-ish single lines of at most 100 characters.
        Subject: alert.subject.replace(/[\r\n]+/g, ' ').slice(0, 100),
        Message: alert.message,
        MessageAttributes: attributes,
      }),
    );
  }
}

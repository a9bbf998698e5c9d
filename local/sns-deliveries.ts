import type { SNSEvent } from 'aws-lambda';
import type { AsyncInvoker } from './async-invoke.ts';
import type { SnsEngine, SnsMessage, SnsSubscription } from './engines/sns.ts';
import { matchesPattern } from './event-filter.ts';
import type { LocalFunction, LocalSubscription } from './template/index.ts';

export interface SnsDeliveriesOptions {
  readonly sns: SnsEngine;
  readonly subscriptions: readonly LocalSubscription[];
  readonly functions: readonly LocalFunction[];
  readonly invoker: AsyncInvoker;
  readonly log?: (message: string) => void;
}

/**
 * SNS to Lambda: every message published to a topic with a `lambda` subscription (from the template, or made
 * through the Subscribe action with a local function's ARN) invokes the function asynchronously with SNS's event,
 * when the subscription's filter policy lets it through.
 */
export class SnsDeliveries {
  private readonly unsubscribe: () => void;

  constructor(private readonly opts: SnsDeliveriesOptions) {
    for (const s of opts.subscriptions) {
      const fn = opts.functions.find((f) => f.logicalId === s.functionId);
      if (s.protocol === 'lambda' && !fn) {
        opts.log?.(`${s.logicalId}: function ${s.functionId} does not run locally, so nothing is delivered`);
        continue;
      }
      const attributes: Record<string, string> = {};
      if (s.filterPolicy !== undefined) {
        attributes.FilterPolicy = JSON.stringify(s.filterPolicy);
        attributes.FilterPolicyScope = s.filterPolicyScope;
      }
      opts.sns.subscribe({
        topicArn: s.topicArn,
        protocol: s.protocol,
        endpoint: fn?.arn ?? s.endpoint,
        attributes,
      });
    }
    this.unsubscribe = opts.sns.onPublish((message) => this.deliver(message));
  }

  stop(): void {
    this.unsubscribe();
  }

  private deliver(message: SnsMessage): void {
    if (!message.topicArn) return;
    for (const subscription of this.opts.sns.subscriptions(message.topicArn)) {
      if (subscription.protocol !== 'lambda') continue;
      const fn = this.opts.functions.find((f) => f.arn === subscription.endpoint.replace(/:\$LATEST$/, ''));
      if (!fn) continue;
      let matches: boolean;
      try {
        matches = passesFilterPolicy(subscription, message);
      } catch (err) {
        this.opts.log?.(`${subscription.subscriptionArn}: filter policy error: ${(err as Error).message}`);
        continue;
      }
      if (!matches) continue;
      void this.opts.invoker.invoke(
        fn,
        snsEvent(subscription, message, this.opts.sns.url),
        `sns:${message.topicName}`,
      );
    }
  }
}

/** The event Lambda gets from an SNS subscription, one record per message, as SNS builds it. */
export function snsEvent(subscription: SnsSubscription, message: SnsMessage, snsUrl: string): SNSEvent {
  const attributes: Record<string, { Type: string; Value: string }> = {};
  for (const [name, attr] of Object.entries(message.messageAttributes)) {
    attributes[name] = { Type: attr.DataType, Value: attr.StringValue ?? attr.BinaryValue ?? '' };
  }
  const region = subscription.topicArn.split(':')[3] ?? 'us-east-1';
  return {
    Records: [
      {
        EventSource: 'aws:sns',
        EventVersion: '1.0',
        EventSubscriptionArn: subscription.subscriptionArn,
        Sns: {
          Type: 'Notification',
          MessageId: message.messageId,
          TopicArn: message.topicArn ?? subscription.topicArn,
          // SNS sends null when the publish had no subject.
          Subject: (message.subject ?? null) as string,
          Message: message.message,
          Timestamp: message.timestamp,
          SignatureVersion: '1',
          Signature: Buffer.from(`local-signature-${message.messageId}`).toString('base64'),
          SigningCertUrl: `https://sns.${region}.amazonaws.com/SimpleNotificationService-local.pem`,
          UnsubscribeUrl: `${snsUrl}?Action=Unsubscribe&SubscriptionArn=${encodeURIComponent(subscription.subscriptionArn)}`,
          MessageAttributes: attributes,
        },
      },
    ],
  };
}

/**
 * SNS filter policies (the EventBridge pattern syntax) over the message attributes, or over the JSON body when
 * the scope is MessageBody. A Number attribute is compared as a number and a String.Array as its elements.
 */
export function passesFilterPolicy(
  subscription: Pick<SnsSubscription, 'attributes'>,
  message: Pick<SnsMessage, 'message' | 'messageAttributes'>,
): boolean {
  const raw = subscription.attributes.FilterPolicy;
  if (raw === undefined || raw === '') return true;
  const policy = JSON.parse(raw) as unknown;
  if (subscription.attributes.FilterPolicyScope === 'MessageBody') {
    let body: unknown;
    try {
      body = JSON.parse(message.message);
    } catch {
      return false;
    }
    return matchesPattern(policy, body);
  }
  const values: Record<string, unknown> = {};
  for (const [name, attr] of Object.entries(message.messageAttributes)) {
    if (attr.StringValue === undefined) continue;
    if (attr.DataType.startsWith('Number')) values[name] = Number(attr.StringValue);
    else if (attr.DataType === 'String.Array') {
      try {
        values[name] = JSON.parse(attr.StringValue) as unknown;
      } catch {
        values[name] = attr.StringValue;
      }
    } else values[name] = attr.StringValue;
  }
  return matchesPattern(policy, values);
}

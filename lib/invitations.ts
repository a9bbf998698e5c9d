import { Duration, Stack } from 'aws-cdk-lib';
import type { ITable } from 'aws-cdk-lib/aws-dynamodb';
import { Rule, Schedule } from 'aws-cdk-lib/aws-events';
import { LambdaFunction } from 'aws-cdk-lib/aws-events-targets';
import { PolicyStatement, ServicePrincipal } from 'aws-cdk-lib/aws-iam';
import { Key } from 'aws-cdk-lib/aws-kms';
import { SqsEventSource } from 'aws-cdk-lib/aws-lambda-event-sources';
import {
  ConfigurationSet,
  EmailSendingEvent,
  EventDestination,
  type IEmailIdentity,
} from 'aws-cdk-lib/aws-ses';
import { Topic } from 'aws-cdk-lib/aws-sns';
import { LambdaSubscription } from 'aws-cdk-lib/aws-sns-subscriptions';
import { Queue, QueueEncryption } from 'aws-cdk-lib/aws-sqs';
import { Construct } from 'constructs';
import { PulsoFunction } from '#lib/pulso-function.ts';

export interface InvitationsProps {
  /** The Pulso table. */
  readonly table: ITable;
  /** The verified SES identity invitations are sent from. */
  readonly mailIdentity: IEmailIdentity;
  /** Sender address of invitation emails (within `mailIdentity`). */
  readonly mailFrom: string;
  /**
   * Invitations per second across all senders: keep it at or under the account's SES sending rate (and the SNS
   * SMS rate for SMS campaigns).
   * @default 14 - the SES sending rate a new production account starts with
   */
  readonly sendRatePerSecond?: number;
  /**
   * Concurrent senders (the queue's maximum concurrency, 2 to 1000). Each paces itself to its share of the rate.
   * @default 2
   */
  readonly senderConcurrency?: number;
}

/**
 * Contacts and campaigns: import, audience, sending through a queue within the SES/SNS rate, SES delivery
 * events, reminders and reach (docs/decisions/0001-campaign-sending.md).
 */
export class Invitations extends Construct {
  public readonly contacts: PulsoFunction;
  public readonly campaigns: PulsoFunction;
  public readonly sender: PulsoFunction;
  public readonly deliveryEvents: PulsoFunction;
  public readonly reminders: PulsoFunction;
  /** Ends the survey conversations whose customer went quiet (every 5 minutes). */
  public readonly conversationSweep: PulsoFunction;
  /** Reads customers' SMS to the two-way numbers of sms sources: their survey conversations. */
  public readonly smsInbound: PulsoFunction;
  /**
   * Where AWS End User Messaging SMS publishes what customers text a two-way number (the number's two-way
   * channel, docs/conversations.md).
   */
  public readonly inboundSmsTopic: Topic;
  public readonly queue: Queue;
  public readonly deadLetterQueue: Queue;
  /** Mail events and reminder runs that failed after every retry (SNS, EventBridge and Lambda async). */
  public readonly asyncFailureQueue: Queue;
  /** SES configuration set of invitation emails; its events go to `eventsTopic`. */
  public readonly configurationSet: ConfigurationSet;
  public readonly eventsTopic: Topic;

  constructor(scope: Construct, id: string, props: InvitationsProps) {
    super(scope, id);
    const rate = props.sendRatePerSecond ?? 14;
    const concurrency = props.senderConcurrency ?? 2;

    this.contacts = new PulsoFunction(this, 'Contacts', {
      entry: 'lambdas/handlers/contacts.ts',
      description: 'Imports, reads and erases contacts',
    }).bindTable(props.table);

    // Sending: one queue for audience pages, invitations and reminders. A message that keeps failing is kept
    // in the dead-letter queue for 14 days; its invitations stay pending (or become `unknown`), never resent.
    this.deadLetterQueue = new Queue(this, 'SendDlq', {
      encryption: QueueEncryption.SQS_MANAGED,
      enforceSSL: true,
      retentionPeriod: Duration.days(14),
    });
    const senderTimeout = Duration.minutes(2);
    this.queue = new Queue(this, 'SendQueue', {
      encryption: QueueEncryption.SQS_MANAGED,
      enforceSSL: true,
      // AWS advises six times the function timeout, so a message is not seen again while a sender still works.
      visibilityTimeout: Duration.minutes(senderTimeout.toMinutes() * 6),
      retentionPeriod: Duration.days(4),
      deadLetterQueue: { queue: this.deadLetterQueue, maxReceiveCount: 5 },
    });

    this.asyncFailureQueue = new Queue(this, 'AsyncFailures', {
      encryption: QueueEncryption.SQS_MANAGED,
      enforceSSL: true,
      retentionPeriod: Duration.days(14),
    });

    this.configurationSet = new ConfigurationSet(this, 'MailEvents', {});
    // SES publishes delivery events to an encrypted topic, so its key must let SES use it.
    const eventsKey = new Key(this, 'EventsKey', {
      description: 'Encrypts the Pulso SES events topic',
      enableKeyRotation: true,
    });
    eventsKey.grant(new ServicePrincipal('ses.amazonaws.com'), 'kms:GenerateDataKey*', 'kms:Decrypt');
    this.eventsTopic = new Topic(this, 'MailEventsTopic', {
      displayName: 'Pulso invitation email events',
      masterKey: eventsKey,
      enforceSSL: true,
    });
    this.configurationSet.addEventDestination('ToTopic', {
      destination: EventDestination.snsTopic(this.eventsTopic),
      events: [
        EmailSendingEvent.DELIVERY,
        EmailSendingEvent.BOUNCE,
        EmailSendingEvent.COMPLAINT,
        EmailSendingEvent.REJECT,
      ],
    });

    this.sender = new PulsoFunction(this, 'Sender', {
      entry: 'lambdas/handlers/sender.ts',
      description: 'Sends campaign invitations and reminders by email and SMS',
      timeout: senderTimeout,
      environment: { SEND_RATE: String(rate), SENDER_CONCURRENCY: String(concurrency) },
    })
      .bindTable(props.table)
      .bindMailer(props.mailIdentity, props.mailFrom)
      .bindCampaignQueue(this.queue);
    this.sender.addEnvironment('SES_CONFIGURATION_SET', this.configurationSet.configurationSetName);
    this.sender.addToRolePolicy(
      new PolicyStatement({
        actions: ['ses:SendRawEmail'],
        resources: [
          Stack.of(this).formatArn({
            service: 'ses',
            resource: 'configuration-set',
            resourceName: this.configurationSet.configurationSetName,
          }),
        ],
      }),
    );
    this.sender.addEventSource(
      new SqsEventSource(this.queue, {
        // One message (10 invitations) per invocation, so that every concurrent sender gets work and the paced
        // rate (rate / concurrency per sender) adds up to the campaign's rate.
        batchSize: 1,
        maxConcurrency: concurrency,
        reportBatchItemFailures: true,
      }),
    );

    this.deliveryEvents = new PulsoFunction(this, 'DeliveryEvents', {
      entry: 'lambdas/handlers/delivery-events.ts',
      description: 'Counts deliveries, bounces and complaints; suppresses bounced and complaining contacts',
      deadLetterQueue: this.asyncFailureQueue,
    }).bindTable(props.table);
    this.eventsTopic.addSubscription(
      new LambdaSubscription(this.deliveryEvents, { deadLetterQueue: this.asyncFailureQueue }),
    );

    this.reminders = new PulsoFunction(this, 'Reminders', {
      entry: 'lambdas/handlers/reminders.ts',
      description: 'Queues the one reminder of campaigns whose reminder day has come',
      timeout: Duration.minutes(5),
      deadLetterQueue: this.asyncFailureQueue,
    })
      .bindTable(props.table)
      .bindCampaignQueue(this.queue);
    new Rule(this, 'ReminderSchedule', {
      description: 'Hourly reminder sweep of Pulso campaigns',
      schedule: Schedule.rate(Duration.hours(1)),
      targets: [
        new LambdaFunction(this.reminders, { retryAttempts: 2, deadLetterQueue: this.asyncFailureQueue }),
      ],
    });

    this.conversationSweep = new PulsoFunction(this, 'ConversationSweep', {
      entry: 'lambdas/handlers/conversation-sweep.ts',
      description: 'Ends the WhatsApp and SMS survey conversations whose customer went quiet',
      timeout: Duration.minutes(2),
      deadLetterQueue: this.asyncFailureQueue,
    }).bindTable(props.table);
    new Rule(this, 'ConversationSweepSchedule', {
      description: 'Quiet sweep of Pulso survey conversations',
      schedule: Schedule.rate(Duration.minutes(5)),
      targets: [
        new LambdaFunction(this.conversationSweep, {
          retryAttempts: 2,
          deadLetterQueue: this.asyncFailureQueue,
        }),
      ],
    });

    this.campaigns = new PulsoFunction(this, 'Campaigns', {
      entry: 'lambdas/handlers/campaigns.ts',
      description: 'Creates, lists and starts campaigns; reads their reach',
    })
      .bindTable(props.table)
      .bindCampaignQueue(this.queue);

    // Two-way SMS: End User Messaging SMS publishes each customer's message to an encrypted topic of this account.
    const inboundKey = new Key(this, 'InboundSmsKey', {
      description: 'Encrypts the Pulso inbound SMS topic',
      enableKeyRotation: true,
    });
    const smsService = new ServicePrincipal('sms-voice.amazonaws.com');
    inboundKey.grant(smsService, 'kms:GenerateDataKey*', 'kms:Decrypt');
    this.inboundSmsTopic = new Topic(this, 'InboundSmsTopic', {
      displayName: 'Pulso inbound SMS',
      masterKey: inboundKey,
      enforceSSL: true,
    });
    this.inboundSmsTopic.addToResourcePolicy(
      new PolicyStatement({
        actions: ['sns:Publish'],
        principals: [smsService],
        resources: [this.inboundSmsTopic.topicArn],
        conditions: { StringEquals: { 'aws:SourceAccount': Stack.of(this).account } },
      }),
    );
    this.smsInbound = new PulsoFunction(this, 'SmsInbound', {
      entry: 'lambdas/handlers/sms-inbound.ts',
      description: "Reads customers' SMS to two-way numbers: their survey conversations",
      deadLetterQueue: this.asyncFailureQueue,
    }).bindTable(props.table);
    this.inboundSmsTopic.addSubscription(
      new LambdaSubscription(this.smsInbound, { deadLetterQueue: this.asyncFailureQueue }),
    );
    // Conversation messages go to phone numbers (no ARN), from the sender, the API that opens one, and replies.
    for (const fn of [this.sender, this.campaigns, this.smsInbound])
      fn.addToRolePolicy(
        new PolicyStatement({ actions: ['sns:Publish'], notResources: ['arn:aws:sns:*:*:*'] }),
      );
  }
}

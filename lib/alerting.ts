import { Duration } from 'aws-cdk-lib';
import type { ITable } from 'aws-cdk-lib/aws-dynamodb';
import { Rule, Schedule } from 'aws-cdk-lib/aws-events';
import { LambdaFunction } from 'aws-cdk-lib/aws-events-targets';
import { Key } from 'aws-cdk-lib/aws-kms';
import { EmailIdentity, Identity, type IEmailIdentity } from 'aws-cdk-lib/aws-ses';
import { Topic } from 'aws-cdk-lib/aws-sns';
import type { Queue } from 'aws-cdk-lib/aws-sqs';
import { Construct } from 'constructs';
import { PulsoFunction } from '#lib/pulso-function.ts';
import { createFailureQueue, subscribeToResponses } from '#lib/stream-consumer.ts';

export interface AlertingProps {
  /** The Pulso table; its stream feeds the alerter, which also writes cases. */
  readonly table: ITable;
  /**
   * Sender address of alert and case emails.
   * @default 'alerts@example.com'
   */
  readonly mailFrom?: string;
  /**
   * Name of an existing, verified SES identity (an address or a domain) to send from.
   * @default - an email identity for `mailFrom` is created (SES then sends it a verification email)
   */
  readonly sesIdentity?: string;
  /**
   * How often the escalation sweep looks for cases past their SLA.
   * @default Duration.minutes(5)
   */
  readonly escalationInterval?: Duration;
  /**
   * Case alerts an owner gets an hour, one by one; the cases after that come in one digest when the hour ends.
   * @default 10
   */
  readonly alertsPerOwnerPerHour?: number;
  /**
   * Responses checked against alert rules per invocation.
   * @default 100 - small batches keep alert latency low
   */
  readonly batchSize?: number;
}

/** Turns bad answers into cases and alerts: SNS topic for subscribers, SES email to case owners. */
export class Alerting extends Construct {
  public readonly alerter: PulsoFunction;
  public readonly topic: Topic;
  public readonly topicKey: Key;
  public readonly mailIdentity: IEmailIdentity;
  public readonly mailFrom: string;
  /** Batches the alerter gave up on (after retries and bisecting). */
  public readonly deadLetterQueue: Queue;
  /** Moves cases past their SLA up the tiers of their route, on a schedule. */
  public readonly escalations: PulsoFunction;
  /** Escalation runs that failed after every retry. */
  public readonly escalationFailures: Queue;

  constructor(scope: Construct, id: string, props: AlertingProps) {
    super(scope, id);
    this.mailFrom = props.mailFrom ?? 'alerts@example.com';

    // Alerts quote customer comments, so the topic is encrypted with a key the deployer controls.
    this.topicKey = new Key(this, 'AlertsKey', {
      description: 'Encrypts the Pulso alerts topic',
      enableKeyRotation: true,
    });
    this.topic = new Topic(this, 'AlertsTopic', {
      displayName: 'Pulso alerts',
      masterKey: this.topicKey,
      enforceSSL: true,
    });

    this.mailIdentity = props.sesIdentity
      ? EmailIdentity.fromEmailIdentityName(this, 'MailIdentity', props.sesIdentity)
      : new EmailIdentity(this, 'MailIdentity', { identity: Identity.email(this.mailFrom) });

    this.alerter = new PulsoFunction(this, 'Alerter', {
      entry: 'lambdas/handlers/alerter.ts',
      description: 'Raises cases and alerts for bad answers',
    })
      .bindTable(props.table)
      .bindTopic(this.topic)
      .bindMailer(this.mailIdentity, this.mailFrom);
    this.alerter.addEnvironment('ALERTS_PER_OWNER_HOUR', String(props.alertsPerOwnerPerHour ?? 10));
    this.deadLetterQueue = createFailureQueue(this, 'AlerterDlq');
    subscribeToResponses(this.alerter, props.table, this.deadLetterQueue, {
      batchSize: props.batchSize ?? 100,
    });

    this.escalationFailures = createFailureQueue(this, 'EscalationDlq');
    this.escalations = new PulsoFunction(this, 'Escalations', {
      entry: 'lambdas/handlers/escalations.ts',
      description: 'Escalates cases past their SLA to the next tier of their route',
      timeout: Duration.minutes(2),
      deadLetterQueue: this.escalationFailures,
    })
      .bindTable(props.table)
      .bindTopic(this.topic)
      .bindMailer(this.mailIdentity, this.mailFrom);
    new Rule(this, 'EscalationSchedule', {
      description: 'Pulso SLA escalation sweep',
      schedule: Schedule.rate(props.escalationInterval ?? Duration.minutes(5)),
      targets: [
        new LambdaFunction(this.escalations, { retryAttempts: 2, deadLetterQueue: this.escalationFailures }),
      ],
    });
  }
}

import { Duration } from 'aws-cdk-lib';
import type { ITable } from 'aws-cdk-lib/aws-dynamodb';
import { FilterCriteria, FilterRule, StartingPosition } from 'aws-cdk-lib/aws-lambda';
import { DynamoEventSource, SqsDlq } from 'aws-cdk-lib/aws-lambda-event-sources';
import { Queue, QueueEncryption } from 'aws-cdk-lib/aws-sqs';
import type { Construct } from 'constructs';
import { REACH_EVENTS } from '#invitations/rules/reach.ts';
import type { PulsoFunction } from '#lib/pulso-function.ts';

export interface StreamSubscription {
  /** Records per invocation. */
  readonly batchSize: number;
  /**
   * Concurrent batches per shard.
   * @default 1 - keeps per-shard order
   */
  readonly parallelizationFactor?: number;
  /**
   * Seconds Lambda gathers records before invoking (0 to 300).
   * @default 0 - each poll (about four a second per shard) hands over what it found
   */
  readonly batchingWindowSeconds?: number;
}

/**
 * The queue that keeps records a stream consumer gave up on, so they can be inspected and redriven.
 * Lives 14 days (the SQS maximum) to leave time for a fix.
 */
export function createFailureQueue(scope: Construct, id: string): Queue {
  return new Queue(scope, id, {
    encryption: QueueEncryption.SQS_MANAGED,
    enforceSSL: true,
    retentionPeriod: Duration.days(14),
  });
}

/** Inserted survey responses (a response is written once, or made by its first answers). */
export const RESPONSE_INSERTS = FilterCriteria.filter({
  eventName: FilterRule.isEqual('INSERT'),
  dynamodb: { NewImage: { type: { S: FilterRule.isEqual('response') } } },
});

/**
 * Answers added to a response that comes one question at a time (an IVR call): each such write counts `parts`
 * and names the questions it added in `added`, which the readers count.
 */
export const RESPONSE_PARTS = FilterCriteria.filter({
  eventName: FilterRule.isEqual('MODIFY'),
  dynamodb: { NewImage: { type: { S: FilterRule.isEqual('response') }, parts: { N: FilterRule.exists() } } },
});

/**
 * Writes to invitation items that stand for a reach event (every write carries the `event` it did); writes with
 * any other event are dropped before they cost an invocation.
 */
export const INVITATION_EVENT_WRITES = FilterCriteria.filter({
  eventName: FilterRule.or('INSERT', 'MODIFY'),
  dynamodb: {
    NewImage: {
      type: { S: FilterRule.isEqual('invitation') },
      event: { S: FilterRule.or(...REACH_EVENTS) },
    },
  },
});

/**
 * Subscribes `fn` to the table's stream, keeping the records that match any of `filters`.
 *
 * A DynamoDB stream serves at most two readers per shard without throttling, and Pulso uses both (aggregator
 * and alerter). Later fan-out (text analytics, outbound webhooks) must go through EventBridge Pipes or Kinesis
 * Data Streams for DynamoDB, not a third event source mapping.
 */
export function subscribeToTableStream(
  fn: PulsoFunction,
  table: ITable,
  onFailure: Queue,
  subscription: StreamSubscription,
  filters: ReadonlyArray<Record<string, unknown>>,
): void {
  fn.addEventSource(
    new DynamoEventSource(table, {
      // Replay everything still in the stream after a deploy or an outage: no response may be missed.
      startingPosition: StartingPosition.TRIM_HORIZON,
      batchSize: subscription.batchSize,
      maxBatchingWindow: Duration.seconds(subscription.batchingWindowSeconds ?? 0),
      parallelizationFactor: subscription.parallelizationFactor ?? 1,
      // Handlers report failed records; bisecting isolates a poison record in a few retries.
      reportBatchItemFailures: true,
      bisectBatchOnError: true,
      retryAttempts: 10,
      maxRecordAge: Duration.days(1),
      onFailure: new SqsDlq(onFailure),
      // Filtered records are not billed as invocations.
      filters: [...filters],
    }),
  );
}

/** Subscribes `fn` to new survey responses on the table's stream (see subscribeToTableStream). */
export function subscribeToResponses(
  fn: PulsoFunction,
  table: ITable,
  onFailure: Queue,
  subscription: StreamSubscription,
): void {
  subscribeToTableStream(fn, table, onFailure, subscription, [RESPONSE_INSERTS, RESPONSE_PARTS]);
}

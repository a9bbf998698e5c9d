import type { ITable } from 'aws-cdk-lib/aws-dynamodb';
import type { Queue } from 'aws-cdk-lib/aws-sqs';
import { Construct } from 'constructs';
import { PulsoFunction } from '#lib/pulso-function.ts';
import {
  createFailureQueue,
  INVITATION_EVENT_WRITES,
  RESPONSE_INSERTS,
  RESPONSE_PARTS,
  subscribeToTableStream,
} from '#lib/stream-consumer.ts';

export interface AggregationProps {
  /** The Pulso table; its stream (responses and invitation events) feeds the aggregator. */
  readonly table: ITable;
  /**
   * Responses folded per invocation.
   * @default 1000 - large batches make aggregate writes cheap (one write per touched aggregate per batch)
   */
  readonly batchSize?: number;
  /**
   * Seconds the stream gathers responses before the aggregator folds them: how late figures may be, against
   * what they cost. At low rates a batch holds about rate x window responses, and every aggregate item a batch
   * touches costs one write, so a longer window is cheaper and a shorter one fresher (docs/performance.md has
   * the table). Case alerts do not wait for it: the alerter reads the stream on its own.
   * @default AGGREGATOR_BATCHING_WINDOW_SECONDS
   */
  readonly batchingWindowSeconds?: number;
}

/** Aggregates about this late at p95 (within 30 s), at 1.12 write units per response at 100 answers a second. */
export const AGGREGATOR_BATCHING_WINDOW_SECONDS = 20;
export const AGGREGATOR_BATCH_SIZE = 1000;

/**
 * Folds new responses into rolling aggregates, and invitation events and invited responses into campaign reach,
 * exactly once per record.
 */
export class Aggregation extends Construct {
  public readonly aggregator: PulsoFunction;
  /** Batches the aggregator gave up on (after retries and bisecting). */
  public readonly deadLetterQueue: Queue;

  constructor(scope: Construct, id: string, props: AggregationProps) {
    super(scope, id);
    this.aggregator = new PulsoFunction(this, 'Aggregator', {
      entry: 'lambdas/handlers/aggregator.ts',
      description: 'Folds new survey responses and invitation events into aggregates and reach',
    }).bindTable(props.table);
    this.deadLetterQueue = createFailureQueue(this, 'AggregatorDlq');
    subscribeToTableStream(
      this.aggregator,
      props.table,
      this.deadLetterQueue,
      {
        batchSize: props.batchSize ?? AGGREGATOR_BATCH_SIZE,
        batchingWindowSeconds: props.batchingWindowSeconds ?? AGGREGATOR_BATCHING_WINDOW_SECONDS,
        // One batch per shard at a time: concurrent folds of the same aggregate would only contend.
        parallelizationFactor: 1,
      },
      [RESPONSE_INSERTS, RESPONSE_PARTS, INVITATION_EVENT_WRITES],
    );
  }
}

import type { ITable } from 'aws-cdk-lib/aws-dynamodb';
import type { Queue } from 'aws-cdk-lib/aws-sqs';
import { Construct } from 'constructs';
import { PulsoFunction } from '#lib/pulso-function.ts';
import {
  createFailureQueue,
  INVITATION_EVENT_WRITES,
  RESPONSE_INSERTS,
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
}

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
        batchSize: props.batchSize ?? 1000,
        // One batch per shard at a time: concurrent folds of the same aggregate would only contend.
        parallelizationFactor: 1,
      },
      [RESPONSE_INSERTS, INVITATION_EVENT_WRITES],
    );
  }
}

import { Match } from 'aws-cdk-lib/assertions';
import type { CfnFunction } from 'aws-cdk-lib/aws-lambda';
import type { CfnQueue } from 'aws-cdk-lib/aws-sqs';
import { describe, expect, it } from 'vitest';
import { logicalIdOf, synthPulso } from './support.ts';

const RESPONSE_INSERTS = JSON.stringify({
  eventName: ['INSERT'],
  dynamodb: { NewImage: { type: { S: ['response'] } } },
});

describe('stream consumers', () => {
  const { stack, template } = synthPulso();
  const consumers = [
    {
      name: 'aggregator',
      fn: stack.aggregation.aggregator,
      dlq: stack.aggregation.deadLetterQueue,
      batch: { BatchSize: 1000, MaximumBatchingWindowInSeconds: 0, ParallelizationFactor: 1 },
    },
    {
      name: 'alerter',
      fn: stack.alerting.alerter,
      dlq: stack.alerting.deadLetterQueue,
      batch: { BatchSize: 100, MaximumBatchingWindowInSeconds: 0 },
    },
  ];

  it.each(consumers)('feeds the $name only inserted responses from the table stream', ({ fn }) => {
    template.hasResourceProperties('AWS::Lambda::EventSourceMapping', {
      FunctionName: { Ref: logicalIdOf(fn.node.defaultChild as CfnFunction) },
      EventSourceArn: { 'Fn::GetAtt': [Match.stringLikeRegexp('^DataTable'), 'StreamArn'] },
      StartingPosition: 'TRIM_HORIZON',
      FilterCriteria: { Filters: [{ Pattern: RESPONSE_INSERTS }] },
    });
  });

  it.each(consumers)(
    'reads the stream in the contract batch size when it invokes the $name',
    ({ fn, batch }) => {
      template.hasResourceProperties('AWS::Lambda::EventSourceMapping', {
        FunctionName: { Ref: logicalIdOf(fn.node.defaultChild as CfnFunction) },
        ...batch,
      });
    },
  );

  it.each(consumers)('retries, bisects and reports partial failures when the $name fails', ({ fn }) => {
    template.hasResourceProperties('AWS::Lambda::EventSourceMapping', {
      FunctionName: { Ref: logicalIdOf(fn.node.defaultChild as CfnFunction) },
      MaximumRetryAttempts: 10,
      BisectBatchOnFunctionError: true,
      MaximumRecordAgeInSeconds: 86400,
      FunctionResponseTypes: ['ReportBatchItemFailures'],
    });
  });

  it.each(consumers)('sends batches the $name gave up on to its own queue', ({ fn, dlq }) => {
    template.hasResourceProperties('AWS::Lambda::EventSourceMapping', {
      FunctionName: { Ref: logicalIdOf(fn.node.defaultChild as CfnFunction) },
      DestinationConfig: {
        OnFailure: { Destination: { 'Fn::GetAtt': [logicalIdOf(dlq.node.defaultChild as CfnQueue), 'Arn'] } },
      },
    });
  });

  it.each(consumers)('encrypts the $name failure queue and keeps records 14 days', ({ dlq }) => {
    const queues = template.findResources('AWS::SQS::Queue');
    expect(queues[logicalIdOf(dlq.node.defaultChild as CfnQueue)]).toMatchObject({
      Properties: { SqsManagedSseEnabled: true, MessageRetentionPeriod: 1209600 },
    });
  });

  it.each(consumers)('denies non-TLS access to the $name failure queue', ({ dlq }) => {
    template.hasResourceProperties('AWS::SQS::QueuePolicy', {
      Queues: [{ Ref: logicalIdOf(dlq.node.defaultChild as CfnQueue) }],
      PolicyDocument: {
        Statement: Match.arrayWith([
          Match.objectLike({ Effect: 'Deny', Condition: { Bool: { 'aws:SecureTransport': 'false' } } }),
        ]),
      },
    });
  });
});

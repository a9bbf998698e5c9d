import { Match } from 'aws-cdk-lib/assertions';
import type { CfnFunction } from 'aws-cdk-lib/aws-lambda';
import type { CfnQueue } from 'aws-cdk-lib/aws-sqs';
import { describe, expect, it } from 'vitest';
import { matchesAnyFilter } from '#local/event-filter.ts';
import { logicalIdOf, synthPulso } from './support.ts';

const RESPONSE_INSERTS = JSON.stringify({
  eventName: ['INSERT'],
  dynamodb: { NewImage: { type: { S: ['response'] } } },
});
const RESPONSE_PARTS = JSON.stringify({
  eventName: ['MODIFY'],
  dynamodb: { NewImage: { type: { S: ['response'] }, parts: { N: [{ exists: true }] } } },
});
const INVITATION_EVENT_WRITES = JSON.stringify({
  eventName: ['INSERT', 'MODIFY'],
  dynamodb: {
    NewImage: {
      type: { S: ['invitation'] },
      event: {
        S: [
          'queued',
          'invited',
          'throttled',
          'suppressed',
          'failed',
          'unknown',
          'delivered',
          'bounced',
          'complained',
          'opened',
          'started',
          'reminded',
          'unsubscribed',
        ],
      },
    },
  },
});

describe('stream consumers', () => {
  const { stack, template } = synthPulso();
  const consumers = [
    {
      name: 'aggregator',
      fn: stack.aggregation.aggregator,
      dlq: stack.aggregation.deadLetterQueue,
      batch: { BatchSize: 1000, MaximumBatchingWindowInSeconds: 20, ParallelizationFactor: 1 },
    },
    {
      name: 'alerter',
      fn: stack.alerting.alerter,
      dlq: stack.alerting.deadLetterQueue,
      batch: { BatchSize: 100, MaximumBatchingWindowInSeconds: 0 },
    },
  ];

  it('feeds the aggregator inserted responses, answers added to them and reach events of invitations from the table stream', () => {
    template.hasResourceProperties('AWS::Lambda::EventSourceMapping', {
      FunctionName: { Ref: logicalIdOf(stack.aggregation.aggregator.node.defaultChild as CfnFunction) },
      EventSourceArn: { 'Fn::GetAtt': [Match.stringLikeRegexp('^DataTable'), 'StreamArn'] },
      StartingPosition: 'TRIM_HORIZON',
      FilterCriteria: {
        Filters: [
          { Pattern: RESPONSE_INSERTS },
          { Pattern: RESPONSE_PARTS },
          { Pattern: INVITATION_EVENT_WRITES },
        ],
      },
    });
  });

  it('feeds the alerter only inserted responses and answers added to them from the table stream', () => {
    template.hasResourceProperties('AWS::Lambda::EventSourceMapping', {
      FunctionName: { Ref: logicalIdOf(stack.alerting.alerter.node.defaultChild as CfnFunction) },
      EventSourceArn: { 'Fn::GetAtt': [Match.stringLikeRegexp('^DataTable'), 'StreamArn'] },
      StartingPosition: 'TRIM_HORIZON',
      FilterCriteria: { Filters: [{ Pattern: RESPONSE_INSERTS }, { Pattern: RESPONSE_PARTS }] },
    });
  });

  /** A stream record as Lambda filters it: the item's type and event. */
  const record = (eventName: string, type: string, event?: string, parts?: number) => ({
    eventName,
    dynamodb: {
      NewImage: {
        type: { S: type },
        ...(event ? { event: { S: event } } : {}),
        ...(parts ? { parts: { N: String(parts) } } : {}),
      },
    },
  });
  const patternsOf = (fn: { node: { defaultChild?: unknown } }) => {
    const id = logicalIdOf(fn.node.defaultChild as CfnFunction);
    const mapping = Object.values(template.findResources('AWS::Lambda::EventSourceMapping')).find(
      (m) => m.Properties.FunctionName?.Ref === id,
    );
    const filters: { Pattern: string }[] = mapping?.Properties.FilterCriteria.Filters ?? [];
    expect(filters.length).toBeGreaterThan(0);
    return filters.map((f) => JSON.parse(f.Pattern));
  };

  it.each([
    ['an inserted response', record('INSERT', 'response'), true, true],
    ['a queued invitation', record('INSERT', 'invitation', 'queued'), true, false],
    ['an invitation marked delivered', record('MODIFY', 'invitation', 'delivered'), true, false],
    ['an invitation reminded', record('MODIFY', 'invitation', 'reminded'), true, false],
    ['an intermediate invitation step', record('MODIFY', 'invitation', 'sending'), false, false],
    ['an invitation without an event', record('MODIFY', 'invitation'), false, false],
    ['a deleted invitation', record('REMOVE', 'invitation', 'queued'), false, false],
    ['a modified response', record('MODIFY', 'response'), false, false],
    ['answers added to a response', record('MODIFY', 'response', undefined, 2), true, true],
    ['a deleted response', record('REMOVE', 'response', undefined, 2), false, false],
    ['a written aggregate', record('MODIFY', 'aggregate'), false, false],
    ['a written reach item', record('INSERT', 'reach'), false, false],
  ])('lets through %s: aggregator %s, alerter %s', (_, r, aggregator, alerter) => {
    expect(matchesAnyFilter(patternsOf(stack.aggregation.aggregator), r)).toBe(aggregator);
    expect(matchesAnyFilter(patternsOf(stack.alerting.alerter), r)).toBe(alerter);
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

  it('gathers responses for the aggregationWindowSeconds setting, while the alerter never waits', () => {
    const tuned = synthPulso({ context: { aggregationWindowSeconds: '5' } });
    tuned.template.hasResourceProperties('AWS::Lambda::EventSourceMapping', {
      FunctionName: { Ref: logicalIdOf(tuned.stack.aggregation.aggregator.node.defaultChild as CfnFunction) },
      MaximumBatchingWindowInSeconds: 5,
    });
    tuned.template.hasResourceProperties('AWS::Lambda::EventSourceMapping', {
      FunctionName: { Ref: logicalIdOf(tuned.stack.alerting.alerter.node.defaultChild as CfnFunction) },
      MaximumBatchingWindowInSeconds: 0,
    });
    expect(() => synthPulso({ context: { aggregationWindowSeconds: 301 } })).toThrow(
      /aggregationWindowSeconds/,
    );
  });

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

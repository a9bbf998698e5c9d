import { Match } from 'aws-cdk-lib/assertions';
import { describe, expect, it } from 'vitest';
import { tableInput } from '../../bench/support.ts';
import { synthPulso } from './support.ts';

describe('Data', () => {
  const { template } = synthPulso();

  it('keys the table on pk and sk when synthesized', () => {
    template.hasResourceProperties('AWS::DynamoDB::Table', {
      KeySchema: [
        { AttributeName: 'pk', KeyType: 'HASH' },
        { AttributeName: 'sk', KeyType: 'RANGE' },
      ],
      AttributeDefinitions: Match.arrayWith([
        { AttributeName: 'pk', AttributeType: 'S' },
        { AttributeName: 'sk', AttributeType: 'S' },
      ]),
      BillingMode: 'PAY_PER_REQUEST',
    });
  });

  it('indexes gsi1 (lists) and gsi2 (due cases) with every attribute projected', () => {
    template.hasResourceProperties('AWS::DynamoDB::Table', {
      GlobalSecondaryIndexes: [1, 2].map((n) => ({
        IndexName: `gsi${n}`,
        KeySchema: [
          { AttributeName: `gsi${n}pk`, KeyType: 'HASH' },
          { AttributeName: `gsi${n}sk`, KeyType: 'RANGE' },
        ],
        Projection: { ProjectionType: 'ALL' },
      })),
    });
  });

  it('serves on-demand throughput as it comes unless the deployer pre-warms the table', () => {
    template.hasResourceProperties('AWS::DynamoDB::Table', { WarmThroughput: Match.absent() });
    const warmed = synthPulso({ context: { tableWarmWritesPerSecond: '30000' } });
    warmed.template.hasResourceProperties('AWS::DynamoDB::Table', {
      WarmThroughput: { WriteUnitsPerSecond: 30000, ReadUnitsPerSecond: Match.absent() },
    });
    // Below what a new on-demand table already has is a mistake: warm throughput only goes up.
    expect(() => synthPulso({ context: { tableWarmWritesPerSecond: 1000 } })).toThrow(
      /tableWarmWritesPerSecond must be a whole number from 4000/,
    );
  });

  it('has the shape that tests and the bench create on DynamoDB Local', () => {
    const [table] = Object.values(template.findResources('AWS::DynamoDB::Table'));
    const local = tableInput('x');
    const sorted = <T>(xs: T[] | undefined) => [...(xs ?? [])].map((x) => JSON.stringify(x)).sort();
    expect(sorted(local.AttributeDefinitions)).toEqual(sorted(table?.Properties.AttributeDefinitions));
    expect(local.KeySchema).toEqual(table?.Properties.KeySchema);
    expect(
      local.GlobalSecondaryIndexes?.map(({ IndexName, KeySchema, Projection }) => ({
        IndexName,
        KeySchema,
        Projection,
      })),
    ).toEqual(table?.Properties.GlobalSecondaryIndexes);
    expect(local.StreamSpecification?.StreamViewType).toBe(
      table?.Properties.StreamSpecification.StreamViewType,
    );
  });

  it('expires items on expiresAt when TTL is read', () => {
    template.hasResourceProperties('AWS::DynamoDB::Table', {
      TimeToLiveSpecification: { AttributeName: 'expiresAt', Enabled: true },
    });
  });

  it('streams new images for the stream consumers', () => {
    template.hasResourceProperties('AWS::DynamoDB::Table', {
      StreamSpecification: { StreamViewType: 'NEW_IMAGE' },
    });
  });

  it('enables point-in-time recovery', () => {
    template.hasResourceProperties('AWS::DynamoDB::Table', {
      PointInTimeRecoverySpecification: { PointInTimeRecoveryEnabled: true },
    });
  });

  it('encrypts the table at rest', () => {
    template.hasResourceProperties('AWS::DynamoDB::Table', {
      SSESpecification: { SSEEnabled: true },
    });
  });

  it('retains the table when the stack is deleted by default', () => {
    template.hasResource('AWS::DynamoDB::Table', { DeletionPolicy: 'Retain', UpdateReplacePolicy: 'Retain' });
  });

  it('outputs the table name', () => {
    expect(template.findOutputs('TableName')).toHaveProperty('TableName');
  });
});

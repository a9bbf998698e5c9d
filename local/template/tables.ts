import { constructId, type StackReader } from './reader.ts';
import { localTableName } from './resolver.ts';

export interface LocalTable {
  readonly logicalId: string;
  /** Construct id from the CDK path (e.g. `Table`), for humans and tests. */
  readonly constructId: string;
  readonly tableName: string;
  /** CreateTable input for DynamoDB Local. */
  readonly createTable: Record<string, unknown>;
  readonly ttlAttribute?: string;
  readonly streamViewType?: string;
}

/** AWS::DynamoDB::Table as DynamoDB Local's CreateTable input, with TTL and stream settings beside it. */
export function readTables({ ofType, resolver }: StackReader): LocalTable[] {
  return ofType('AWS::DynamoDB::Table').map(([id, res]): LocalTable => {
    const p = (resolver.resolve(res.Properties ?? {}) ?? {}) as Record<string, unknown>;
    const tableName = localTableName(resolver, id);
    const billing = (p.BillingMode as string | undefined) ?? 'PROVISIONED';
    const throughput =
      billing === 'PROVISIONED' ? { ReadCapacityUnits: 5, WriteCapacityUnits: 5 } : undefined;
    const stream = p.StreamSpecification as { StreamViewType?: string } | undefined;
    const ttl = p.TimeToLiveSpecification as { AttributeName?: string; Enabled?: boolean } | undefined;
    const gsis = (p.GlobalSecondaryIndexes as Record<string, unknown>[] | undefined)?.map((g) => ({
      IndexName: g.IndexName,
      KeySchema: g.KeySchema,
      Projection: g.Projection,
      ...(throughput ? { ProvisionedThroughput: g.ProvisionedThroughput ?? throughput } : {}),
    }));
    const lsis = (p.LocalSecondaryIndexes as Record<string, unknown>[] | undefined)?.map((l) => ({
      IndexName: l.IndexName,
      KeySchema: l.KeySchema,
      Projection: l.Projection,
    }));
    return {
      logicalId: id,
      constructId: constructId(res, id),
      tableName,
      createTable: {
        TableName: tableName,
        AttributeDefinitions: p.AttributeDefinitions,
        KeySchema: p.KeySchema,
        BillingMode: billing,
        ...(throughput ? { ProvisionedThroughput: p.ProvisionedThroughput ?? throughput } : {}),
        ...(gsis?.length ? { GlobalSecondaryIndexes: gsis } : {}),
        ...(lsis?.length ? { LocalSecondaryIndexes: lsis } : {}),
        ...(stream?.StreamViewType
          ? { StreamSpecification: { StreamEnabled: true, StreamViewType: stream.StreamViewType } }
          : {}),
      },
      ttlAttribute: ttl?.Enabled && ttl.AttributeName ? ttl.AttributeName : undefined,
      streamViewType: stream?.StreamViewType,
    };
  });
}

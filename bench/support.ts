import {
  type AttributeValue,
  CreateTableCommand,
  type CreateTableCommandInput,
  DescribeTableCommand,
  DynamoDBClient,
} from '@aws-sdk/client-dynamodb';
import {
  type _Record,
  DescribeStreamCommand,
  DynamoDBStreamsClient,
  GetRecordsCommand,
  GetShardIteratorCommand,
} from '@aws-sdk/client-dynamodb-streams';
import { startDynamoDb } from '#local/engines/dynamodb.ts';

export const credentials = { accessKeyId: 'local', secretAccessKey: 'local' };
export const region = 'us-east-1';

const WRITES = new Set(['PutItemCommand', 'UpdateItemCommand', 'DeleteItemCommand']);
const READS = new Set(['GetItemCommand', 'QueryCommand', 'BatchGetItemCommand']);

/** A client that sums the write and read units DynamoDB reports for every request it sends. */
export function meteredClient(
  endpoint: string,
  /** Names the writes whose units `meter.writeUnitsOf` adds up apart, by their input; undefined: not counted apart. */
  classify?: (input: Record<string, unknown>) => string | undefined,
) {
  const client = new DynamoDBClient({ endpoint, region, credentials, maxAttempts: 10 });
  const meter = {
    writeUnits: 0,
    writes: 0,
    readUnits: 0,
    reads: 0,
    writeUnitsOf: {} as Record<string, number>,
  };
  client.middlewareStack.add(
    (next, context) => async (args) => {
      const input = (args as { input: Record<string, unknown> }).input;
      const isWrite = WRITES.has(context.commandName ?? '');
      const isRead = READS.has(context.commandName ?? '');
      if (isWrite || isRead) input.ReturnConsumedCapacity = 'TOTAL';
      try {
        const out = await next(args);
        const cc = (out.output as { ConsumedCapacity?: { CapacityUnits?: number } }).ConsumedCapacity;
        if (isWrite) {
          meter.writes++;
          meter.writeUnits += cc?.CapacityUnits ?? 0;
          const kind = classify?.(input);
          if (kind) meter.writeUnitsOf[kind] = (meter.writeUnitsOf[kind] ?? 0) + (cc?.CapacityUnits ?? 0);
        } else if (isRead) {
          meter.reads++;
          meter.readUnits += cc?.CapacityUnits ?? 0;
        }
        return out;
      } catch (err) {
        // A failed condition still consumes a write unit.
        if (isWrite && (err as { name?: string }).name === 'ConditionalCheckFailedException') {
          meter.writes++;
          meter.writeUnits += 1;
        }
        throw err;
      }
    },
    { step: 'initialize', name: 'meter' },
  );
  return { client, meter };
}

/** The same shape as the stack's table (pk, sk, gsi1, gsi2, stream NEW_IMAGE); test/infra checks they agree. */
export async function createTable(client: DynamoDBClient, name: string): Promise<string> {
  await client.send(new CreateTableCommand(tableInput(name)));
  const { Table } = await client.send(new DescribeTableCommand({ TableName: name }));
  return Table?.LatestStreamArn ?? '';
}

/**
 * Runs one measurement on a DynamoDB Local of its own, stopped after: one engine for every section slowed as
 * tables and stream records piled up (a 10/s run came out 40 s late at p95 against 19.8 s on a fresh engine).
 */
export async function onFreshDynamoDb<T>(measure: (endpoint: string) => Promise<T>): Promise<T> {
  const engine = await startDynamoDb({ port: 0 });
  try {
    return await measure(engine.endpoint);
  } finally {
    await engine.stop();
  }
}

export function tableInput(name: string): CreateTableCommandInput {
  return {
    TableName: name,
    BillingMode: 'PAY_PER_REQUEST',
    AttributeDefinitions: [
      { AttributeName: 'pk', AttributeType: 'S' },
      { AttributeName: 'sk', AttributeType: 'S' },
      { AttributeName: 'gsi1pk', AttributeType: 'S' },
      { AttributeName: 'gsi1sk', AttributeType: 'S' },
      { AttributeName: 'gsi2pk', AttributeType: 'S' },
      { AttributeName: 'gsi2sk', AttributeType: 'S' },
    ],
    KeySchema: [
      { AttributeName: 'pk', KeyType: 'HASH' },
      { AttributeName: 'sk', KeyType: 'RANGE' },
    ],
    GlobalSecondaryIndexes: [
      {
        IndexName: 'gsi1',
        KeySchema: [
          { AttributeName: 'gsi1pk', KeyType: 'HASH' },
          { AttributeName: 'gsi1sk', KeyType: 'RANGE' },
        ],
        Projection: { ProjectionType: 'ALL' },
      },
      {
        IndexName: 'gsi2',
        KeySchema: [
          { AttributeName: 'gsi2pk', KeyType: 'HASH' },
          { AttributeName: 'gsi2sk', KeyType: 'RANGE' },
        ],
        Projection: { ProjectionType: 'ALL' },
      },
    ],
    StreamSpecification: { StreamEnabled: true, StreamViewType: 'NEW_IMAGE' },
  };
}

/** Every record of a stream, shard by shard, in order. */
export async function readStream(endpoint: string, streamArn: string): Promise<_Record[][]> {
  const streams = new DynamoDBStreamsClient({ endpoint, region, credentials });
  const { StreamDescription } = await streams.send(new DescribeStreamCommand({ StreamArn: streamArn }));
  const shards: _Record[][] = [];
  for (const shard of StreamDescription?.Shards ?? []) {
    const records: _Record[] = [];
    let { ShardIterator } = await streams.send(
      new GetShardIteratorCommand({
        StreamArn: streamArn,
        ShardId: shard.ShardId,
        ShardIteratorType: 'TRIM_HORIZON',
      }),
    );
    for (let empty = 0; ShardIterator && empty < 2; ) {
      const page = await streams.send(new GetRecordsCommand({ ShardIterator, Limit: 1000 }));
      records.push(...(page.Records ?? []));
      empty = page.Records?.length ? 0 : empty + 1;
      ShardIterator = page.NextShardIterator;
    }
    shards.push(records);
  }
  streams.destroy();
  return shards;
}

/**
 * An item's size as DynamoDB bills it (the write units of a put or update are the larger of the sizes before and
 * after, in 1 KB steps): attribute names plus values; a number takes about one byte per two significant digits
 * plus one.
 */
export function itemBytes(item: Record<string, AttributeValue>): number {
  const valueBytes = (v: AttributeValue): number => {
    if (v.S !== undefined) return Buffer.byteLength(v.S);
    if (v.N !== undefined) return Math.ceil(v.N.replace(/^[-0.]+|\.|0+$/g, '').length / 2) + 1;
    if (v.B !== undefined) return v.B.length;
    if (v.BOOL !== undefined || v.NULL !== undefined) return 1;
    if (v.SS) return v.SS.reduce((n, x) => n + Buffer.byteLength(x), 0);
    if (v.NS) return v.NS.reduce((n, x) => n + valueBytes({ N: x }), 0);
    if (v.L) return 3 + v.L.reduce((n, x) => n + 1 + valueBytes(x), 0);
    if (v.M)
      return 3 + Object.entries(v.M).reduce((n, [k, x]) => n + 1 + Buffer.byteLength(k) + valueBytes(x), 0);
    return 0;
  };
  return Object.entries(item).reduce((n, [name, v]) => n + Buffer.byteLength(name) + valueBytes(v), 0);
}

export function percentile(values: number[], p: number): number {
  const sorted = [...values].sort((a, b) => a - b);
  return sorted[Math.min(sorted.length - 1, Math.floor((p / 100) * sorted.length))] ?? Number.NaN;
}

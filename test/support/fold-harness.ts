import { type AttributeValue, type DynamoDBClient, ScanCommand } from '@aws-sdk/client-dynamodb';
import { unmarshall } from '@aws-sdk/util-dynamodb';
import type { DynamoDBRecord } from 'aws-lambda';
import { DynamoAggregateStore } from '#adapters/dynamodb/aggregates.ts';
import { DynamoLaneStore } from '#adapters/dynamodb/lanes.ts';
import { countedOfStreamRecord, invitationOfStreamRecord } from '#adapters/dynamodb/stream-records.ts';
import { DynamoSurveyStore } from '#adapters/dynamodb/surveys.ts';
import type { AggregateStore } from '#aggregation/ports.ts';
import { type BatchRecord, LaneMemory } from '#aggregation/use-cases/fold-batch.ts';
import { readStream } from '../../bench/support.ts';

/** Fails every write after `limit` writes: a container that dies half way through a batch. */
export class DyingAggregateStore implements AggregateStore {
  writes = 0;
  constructor(
    private readonly inner: AggregateStore,
    public limit = Number.POSITIVE_INFINITY,
  ) {}
  apply(...args: Parameters<AggregateStore['apply']>) {
    if (this.writes++ >= this.limit) return Promise.reject(new Error('container died'));
    return this.inner.apply(...args);
  }
  readDays(...args: Parameters<AggregateStore['readDays']>) {
    return this.inner.readDays(...args);
  }
}

/**
 * The table's stream as the aggregator's event source mapping hands it over: every record read from DynamoDB
 * Local, parsed as the handler parses it, and only what the stream filter lets through.
 */
export async function aggregatorRecords(endpoint: string, streamArn: string): Promise<BatchRecord[]> {
  return (await readStream(endpoint, streamArn))
    .flat()
    .map((r) => {
      const record = r as unknown as DynamoDBRecord;
      const counted = countedOfStreamRecord(record);
      return {
        eventId: r.eventID ?? '',
        sequenceNumber: r.dynamodb?.SequenceNumber ?? '',
        response: counted?.response,
        later: counted?.later,
        analysed: counted?.analysed,
        invitation: counted ? undefined : invitationOfStreamRecord(record),
      };
    })
    .filter((r) => r.response || r.invitation);
}

/** foldBatch's dependencies on the real adapters, writing aggregates through a store that can be made to die. */
export function foldOn(client: DynamoDBClient, table: string) {
  const aggregates = new DyingAggregateStore(new DynamoAggregateStore(client, table));
  const deps = (memory = new LaneMemory()) => ({
    surveys: new DynamoSurveyStore(client, table),
    aggregates,
    lanes: new DynamoLaneStore(client, table),
    memory,
    clock: { now: () => new Date() },
    concurrency: 4,
  });
  return { aggregates, deps };
}

/** Every item of the table, unmarshalled. */
export async function scanTable(client: DynamoDBClient, table: string): Promise<Record<string, unknown>[]> {
  const items: Record<string, unknown>[] = [];
  let start: Record<string, AttributeValue> | undefined;
  do {
    const page = await client.send(new ScanCommand({ TableName: table, ExclusiveStartKey: start }));
    items.push(...(page.Items ?? []).map((i) => unmarshall(i)));
    start = page.LastEvaluatedKey;
  } while (start);
  return items;
}

/** The `c#` counters of an item. */
export const countersOfItem = (item: Record<string, unknown>) =>
  Object.fromEntries(Object.entries(item).filter(([k]) => k.startsWith('c#')) as [string, number][]);

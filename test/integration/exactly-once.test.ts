import { type AttributeValue, type DynamoDBClient, ScanCommand } from '@aws-sdk/client-dynamodb';
import { unmarshall } from '@aws-sdk/util-dynamodb';
import type { DynamoDBRecord } from 'aws-lambda';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { DynamoAggregateStore } from '#adapters/dynamodb/aggregates.ts';
import { DynamoLaneStore } from '#adapters/dynamodb/lanes.ts';
import { DynamoResponseStore } from '#adapters/dynamodb/responses.ts';
import { responseOfStreamRecord } from '#adapters/dynamodb/stream-records.ts';
import { DynamoSurveyStore } from '#adapters/dynamodb/surveys.ts';
import { countersOf, segmentsOf } from '#domain/aggregation.ts';
import { type BatchRecord, foldBatch, LaneMemory } from '#domain/fold-batch.ts';
import { buildResponse } from '#domain/response.ts';
import { demoSurvey, surveySchema } from '#domain/survey.ts';
import type { AggregateStore } from '#ports/index.ts';
import { createTable, readStream } from '../../bench/support.ts';
import { startTestDynamo } from '../support/http.ts';

const survey = surveySchema.parse(demoSurvey);
let dynamo: Awaited<ReturnType<typeof startTestDynamo>>;
let client: DynamoDBClient;

beforeAll(async () => {
  dynamo = await startTestDynamo();
  client = dynamo.client;
});
afterAll(async () => {
  await dynamo?.stop();
});

/** Fails every write after `limit` writes: a container that dies half way through a batch. */
class DyingAggregateStore implements AggregateStore {
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

async function setUp(name: string, n: number) {
  const table = `${name}-${Date.now()}`;
  const streamArn = await createTable(client, table);
  await new DynamoSurveyStore(client, table).put(survey);
  const responses = new DynamoResponseStore(client, table);
  const now = new Date();
  for (let i = 0; i < n; i += 25) {
    await Promise.all(
      Array.from({ length: Math.min(25, n - i) }, (_, j) => {
        const k = i + j;
        return responses.putIfAbsent(
          buildResponse({
            survey,
            submissionId: `${name}-${String(k).padStart(6, '0')}`,
            answers: { nps: (k * 7) % 11, csat: (k % 5) + 1, ces: (k % 7) + 1 },
            attributes: {
              store: `s-${k % 7}`,
              region: `r-${k % 3}`,
              channel: ['web', 'sms', 'ivr'][k % 3] ?? 'web',
            },
            capturedVia: 'api',
            now,
          }),
          30,
        );
      }),
    );
  }
  const records: BatchRecord[] = (await readStream(dynamo.engine.endpoint, streamArn))
    .flat()
    .map((r) => ({
      eventId: r.eventID ?? '',
      sequenceNumber: r.dynamodb?.SequenceNumber ?? '',
      response: responseOfStreamRecord(r as unknown as DynamoDBRecord),
    }))
    .filter((r) => r.response);
  const aggregates = new DyingAggregateStore(new DynamoAggregateStore(client, table));
  const deps = (memory = new LaneMemory()) => ({
    surveys: new DynamoSurveyStore(client, table),
    aggregates,
    lanes: new DynamoLaneStore(client, table),
    memory,
    clock: { now: () => new Date() },
    concurrency: 4,
  });
  return { table, records, aggregates, deps };
}

/** Every aggregate item of the table, next to a recount from the stored responses. */
async function compare(table: string) {
  const items = [];
  let start: Record<string, AttributeValue> | undefined;
  do {
    const page = await client.send(new ScanCommand({ TableName: table, ExclusiveStartKey: start }));
    items.push(...(page.Items ?? []).map((i) => unmarshall(i)));
    start = page.LastEvaluatedKey;
  } while (start);
  const expected = new Map<string, Record<string, number>>();
  for (const item of items.filter((i) => i.type === 'response')) {
    const response = item;
    for (const segment of segmentsOf(survey, response as never)) {
      const key = `AGG#demo#${segment.key}#${segment.value}|DAY#${String(item.receivedAt).slice(0, 10)}`;
      const counts = expected.get(key) ?? {};
      for (const [name, inc] of Object.entries(countersOf(survey, response as never)))
        counts[`c#${name}`] = (counts[`c#${name}`] ?? 0) + inc;
      expected.set(key, counts);
    }
  }
  const actual = new Map<string, Record<string, number>>();
  for (const item of items.filter((i) => i.type === 'aggregate')) {
    actual.set(
      `${item.pk}|${item.sk}`,
      Object.fromEntries(Object.entries(item).filter(([k]) => k.startsWith('c#')) as [string, number][]),
    );
  }
  return { expected, actual };
}

describe('exactly-once aggregation on DynamoDB Local', () => {
  it('matches a recount after crashes half way, bisected retries, duplicates and a restart', async () => {
    const { table, records, aggregates, deps } = await setUp('chaos', 240);
    expect(records).toHaveLength(240);
    const batches = [records.slice(0, 100), records.slice(100, 200), records.slice(200)];

    // Batch 1 dies after 5 item writes; Lambda bisects it; the first half dies again and is bisected too.
    aggregates.limit = 5;
    await foldBatch(deps(), batches[0] ?? []);
    aggregates.writes = 0;
    aggregates.limit = 2;
    await foldBatch(deps(), (batches[0] ?? []).slice(0, 50));
    aggregates.limit = Number.POSITIVE_INFINITY;
    const fresh = new LaneMemory(); // a new container after the crashes
    await foldBatch(deps(fresh), (batches[0] ?? []).slice(0, 25));
    await foldBatch(deps(fresh), (batches[0] ?? []).slice(25, 50));
    await foldBatch(deps(fresh), (batches[0] ?? []).slice(50));

    // Batch 2 has some item writes fail: the handler reports the earliest record not counted, Lambda resumes there.
    aggregates.writes = 0;
    aggregates.limit = 9;
    const partial = await foldBatch(deps(fresh), batches[1] ?? []);
    expect(partial.retryFrom).toBeDefined();
    aggregates.limit = Number.POSITIVE_INFINITY;
    const from = (batches[1] ?? []).findIndex((r) => r.sequenceNumber === partial.retryFrom);
    const resumed = [...(batches[1] ?? []).slice(from), ...(batches[2] ?? [])];
    await foldBatch(deps(fresh), resumed);

    // Lambda hands the last batch again (its checkpoint was lost), once to another container, once shorter.
    await foldBatch(deps(fresh), resumed);
    await foldBatch(deps(), resumed.slice(0, 30));

    const { expected, actual } = await compare(table);
    expect(actual.size).toBeGreaterThan(10);
    expect(actual).toEqual(expected);
  });

  it('keeps item watermarks few when many batches go through one container', async () => {
    const { table, records, deps } = await setUp('lanes', 120);
    const memory = new LaneMemory();
    for (let i = 0; i < records.length; i += 10) await foldBatch(deps(memory), records.slice(i, i + 10));
    const { Items } = await client.send(new ScanCommand({ TableName: table }));
    const all = (Items ?? []).map((i) => unmarshall(i)).find((i) => i.pk === 'AGG#demo#all#all');
    expect(Object.keys(all ?? {}).filter((k) => k.startsWith('w#'))).toHaveLength(1);
    const { expected, actual } = await compare(table);
    expect(actual).toEqual(expected);
  });
});

import { type DynamoDBClient, ScanCommand } from '@aws-sdk/client-dynamodb';
import { unmarshall } from '@aws-sdk/util-dynamodb';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { DynamoResponseStore } from '#adapters/dynamodb/responses.ts';
import { DynamoSurveyStore } from '#adapters/dynamodb/surveys.ts';
import { countersOf, segmentsOf } from '#aggregation/rules/aggregation.ts';
import { foldBatch, LaneMemory } from '#aggregation/use-cases/fold-batch.ts';
import { buildResponse } from '#capture/rules/response.ts';
import { demoSurvey, surveySchema } from '#kernel/survey.ts';
import { createTable } from '../../bench/support.ts';
import { aggregatorRecords, countersOfItem, foldOn, scanTable } from '../support/fold-harness.ts';
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
  const records = await aggregatorRecords(dynamo.engine.endpoint, streamArn);
  const { aggregates, deps } = foldOn(client, table);
  return { table, records, aggregates, deps };
}

/** Every aggregate item of the table, next to a recount from the stored responses. */
async function compare(table: string) {
  const items = await scanTable(client, table);
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
    actual.set(`${item.pk}|${item.sk}`, countersOfItem(item));
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

import { DynamoDBClient, PutItemCommand } from '@aws-sdk/client-dynamodb';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Runtime } from '#local/runtime.ts';
import type { CfnTemplate } from '#local/template/index.ts';
import { fixtureTemplate, localCredentials, startFixtureRuntime } from './support.ts';

// The recorder's mapping gathers for five minutes, as a stack with a long aggregation window would.
function templateWithLongWindow(): CfnTemplate {
  const template = structuredClone(fixtureTemplate());
  const mapping = template.Resources.RecorderMappingFixture;
  if (!mapping?.Properties) throw new Error('the fixture has no RecorderMappingFixture');
  mapping.Properties.MaximumBatchingWindowInSeconds = 300;
  return template;
}

let rt: Runtime;
let ddb: DynamoDBClient;

beforeAll(async () => {
  rt = await startFixtureRuntime({ template: templateWithLongWindow() });
  ddb = new DynamoDBClient({
    endpoint: rt.dynamodbEndpoint,
    region: 'us-east-1',
    credentials: localCredentials,
  });
});

afterAll(async () => {
  ddb?.destroy();
  await rt?.stop();
});

const recorded = () => rt.snsMessages().filter((m) => m.subject === 'record');

describe('local stream batching windows', () => {
  it('holds records for the window, and hands them over at once when a test waits for idle', async () => {
    const Item = { pk: { S: 'w1' }, sk: { S: 'ITEM' }, type: { S: 'response' } };
    await ddb.send(new PutItemCommand({ TableName: rt.tableName, Item }));
    // Two seconds of polling: the record is read from the stream but the 300 s window keeps it.
    await new Promise((resolve) => setTimeout(resolve, 2000));
    expect(recorded()).toHaveLength(0);

    const started = Date.now();
    await rt.streamsIdle();
    expect(Date.now() - started).toBeLessThan(60_000);
    const records = recorded().flatMap(
      (m) => (JSON.parse(m.message) as { records: { pk: string }[] }).records,
    );
    expect(records.map((r) => r.pk)).toEqual(['w1']);
  });
});

import { existsSync, mkdtempSync, readFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import {
  BatchWriteItemCommand,
  DeleteItemCommand,
  DynamoDBClient,
  PutItemCommand,
  UpdateItemCommand,
} from '@aws-sdk/client-dynamodb';
import { CreateTopicCommand, SNSClient } from '@aws-sdk/client-sns';
import { GetQueueAttributesCommand, ReceiveMessageCommand, SQSClient } from '@aws-sdk/client-sqs';
import type { DynamoDBRecord } from 'aws-lambda';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { DlqMessage, StreamFailureRecord } from '#local/dlq.ts';
import type { Runtime } from '#local/runtime.ts';
import { localCredentials, startFixtureRuntime } from './support.ts';

interface Delivery {
  records: { pk: string; seq: string; eventName: string }[];
  sample: DynamoDBRecord;
}

let rt: Runtime;
let ddb: DynamoDBClient;
const stateDir = mkdtempSync(join(tmpdir(), 'pulso-streams-test-'));

beforeAll(async () => {
  rt = await startFixtureRuntime({ stateDir });
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

/** Batches the fixture consumer in `mode` reported to the SNS inbox, oldest first. */
function deliveries(mode: string): Delivery[] {
  return rt
    .snsMessages()
    .filter((m) => m.subject === mode)
    .map((m) => JSON.parse(m.message) as Delivery);
}

const item = (pk: string, type: string, extra: Record<string, unknown> = {}) => ({
  pk: { S: pk },
  sk: { S: 'ITEM' },
  type: { S: type },
  ...extra,
});

async function putAll(items: ReturnType<typeof item>[]): Promise<void> {
  // One request, so the records land in the stream together and the batching window gathers them.
  await ddb.send(
    new BatchWriteItemCommand({
      RequestItems: { [rt.tableName]: items.map((Item) => ({ PutRequest: { Item } })) },
    }),
  );
}

describe('local stream pollers', () => {
  it('delivers only the INSERTs that match the filter, in order, when the table sees mixed changes', async () => {
    const table = rt.tableName;
    await ddb.send(new PutItemCommand({ TableName: table, Item: item('r1', 'response') }));
    await ddb.send(new PutItemCommand({ TableName: table, Item: item('s1', 'survey') }));
    await ddb.send(new PutItemCommand({ TableName: table, Item: item('r2', 'response') }));
    await ddb.send(
      new UpdateItemCommand({
        TableName: table,
        Key: { pk: { S: 'r1' }, sk: { S: 'ITEM' } },
        UpdateExpression: 'SET seen = :t',
        ExpressionAttributeValues: { ':t': { BOOL: true } },
      }),
    );
    await ddb.send(new PutItemCommand({ TableName: table, Item: item('r3', 'response') }));
    await ddb.send(new DeleteItemCommand({ TableName: table, Key: { pk: { S: 'r2' }, sk: { S: 'ITEM' } } }));
    await ddb.send(new PutItemCommand({ TableName: table, Item: item('r4', 'response') }));

    await rt.streamsIdle();

    const seen = deliveries('record').flatMap((d) => d.records);
    expect(seen.map((r) => r.pk)).toEqual(['r1', 'r2', 'r3', 'r4']);
    expect(seen.every((r) => r.eventName === 'INSERT')).toBe(true);
    const seqs = seen.map((r) => BigInt(r.seq));
    expect([...seqs].sort((a, b) => (a < b ? -1 : 1))).toEqual(seqs);
  });

  it('builds DynamoDB stream records shaped like Lambda events when it invokes a consumer', async () => {
    const sample = deliveries('record')[0]?.sample;

    expect(sample).toMatchObject({
      eventName: 'INSERT',
      eventSource: 'aws:dynamodb',
      awsRegion: 'us-east-1',
      eventSourceARN: expect.stringContaining(`table/${rt.tableName}/stream/`),
      dynamodb: {
        Keys: { pk: { S: 'r1' }, sk: { S: 'ITEM' } },
        NewImage: { pk: { S: 'r1' }, type: { S: 'response' } },
        StreamViewType: 'NEW_IMAGE',
      },
    });
    expect(typeof sample?.eventID).toBe('string');
    expect(typeof sample?.eventVersion).toBe('string');
    expect(typeof sample?.dynamodb?.ApproximateCreationDateTime).toBe('number');
    expect(sample?.dynamodb?.SizeBytes).toBeGreaterThan(0);
    expect(sample?.dynamodb?.OldImage).toBeUndefined();
  });

  it('redelivers the failed record and the ones after it, and nothing before it, when a consumer reports a batch item failure', async () => {
    await putAll([
      item('p1', 'partial'),
      item('p2', 'partial'),
      item('p3', 'partial', { failOnce: { BOOL: true } }),
      item('p4', 'partial'),
      item('p5', 'partial'),
    ]);

    await rt.streamsIdle();

    const batches = deliveries('partial').map((d) => d.records.map((r) => r.pk));
    const failedAt = batches.findIndex((b) => b.includes('p3'));
    expect(failedAt).toBeGreaterThanOrEqual(0);
    const retry = batches[failedAt + 1] ?? [];
    expect(retry[0]).toBe('p3');
    expect(batches.slice(failedAt + 1).flat()).not.toContain('p1');
    expect(batches.slice(failedAt + 1).flat()).not.toContain('p2');
    const counts = new Map<string, number>();
    for (const pk of batches.flat()) counts.set(pk, (counts.get(pk) ?? 0) + 1);
    expect(counts.get('p1')).toBe(1);
    expect(counts.get('p2')).toBe(1);
    expect(counts.get('p3')).toBe(2);
    expect(rt.dlqMessages('PartialDlq')).toEqual([]);
  });

  it('sends the records to the DLQ after the retries when a consumer always throws', async () => {
    await putAll(['q1', 'q2', 'q3', 'q4'].map((pk) => item(pk, 'poison')));

    await rt.streamsIdle();

    const res = await fetch(`${rt.apiUrl}_local/dlq`);
    const { queues } = (await res.json()) as { queues: Record<string, DlqMessage[]> };
    const messages = queues[rt.queueNames.ThrowerDlq ?? ''] ?? [];
    const discarded = messages.flatMap((m) => m.records.map((r) => r.dynamodb?.Keys?.pk?.S));
    expect(discarded.sort()).toEqual(['q1', 'q2', 'q3', 'q4']);
    for (const message of messages) {
      expect(message.body.requestContext.condition).toBe('RetryAttemptsExhausted');
      expect(message.body.responseContext.functionError).toBe('Unhandled');
      expect(message.body.DDBStreamBatchInfo.batchSize).toBe(message.records.length);
      expect(message.body.DDBStreamBatchInfo.startSequenceNumber).toBe(
        message.records[0]?.dynamodb?.SequenceNumber,
      );
      // First try plus MaximumRetryAttempts (1) on the isolated record.
      expect(message.body.requestContext.approximateInvokeCount).toBeGreaterThanOrEqual(2);
    }
    const file = join(stateDir, 'dlq', `${rt.queueNames.ThrowerDlq}.jsonl`);
    expect(readFileSync(file, 'utf8').trim().split('\n')).toHaveLength(messages.length);
  });

  it("keeps the DLQ messages in a real SQS queue, with Lambda's invocation record as the body", async () => {
    const queue = rt.queueNames.ThrowerDlq ?? '';
    const messages = rt.dlqMessages(queue);
    const sqs = new SQSClient({ endpoint: rt.sqsUrl, region: 'us-east-1', credentials: localCredentials });
    try {
      const attributes = await sqs.send(
        new GetQueueAttributesCommand({
          QueueUrl: rt.queueUrls.ThrowerDlq,
          AttributeNames: ['ApproximateNumberOfMessages'],
        }),
      );
      expect(attributes.Attributes?.ApproximateNumberOfMessages).toBe(String(messages.length));
      // Visibility 0: the messages stay available for the redrive below.
      const received = await sqs.send(
        new ReceiveMessageCommand({
          QueueUrl: rt.queueUrls.ThrowerDlq,
          MaxNumberOfMessages: 10,
          VisibilityTimeout: 0,
        }),
      );
      expect(received.Messages?.map((m) => m.MessageId).sort()).toEqual(
        messages.map((m) => m.messageId).sort(),
      );
      const body = JSON.parse(received.Messages?.[0]?.Body ?? '{}') as StreamFailureRecord;
      expect(body.requestContext.condition).toBe('RetryAttemptsExhausted');
      expect(body.DDBStreamBatchInfo.streamArn).toContain(`table/${rt.tableName}/stream/`);
    } finally {
      sqs.destroy();
    }
  });

  it('keeps DLQ messages on a failed redrive and removes them once a redrive succeeds', async () => {
    const queue = rt.queueNames.ThrowerDlq ?? '';
    const before = rt.dlqMessages(queue).length;
    expect(before).toBeGreaterThan(0);

    const stillFailing = await fetch(`${rt.apiUrl}_local/dlq/${queue}/redrive`, { method: 'POST' });
    expect(await stillFailing.json()).toEqual({ redriven: 0, failed: before, remaining: before });

    const sns = new SNSClient({ endpoint: rt.snsUrl, region: 'us-east-1', credentials: localCredentials });
    await sns.send(new CreateTopicCommand({ Name: 'healed' }));
    sns.destroy();
    const fixed = await fetch(`${rt.apiUrl}_local/dlq/${queue}/redrive`, { method: 'POST' });

    expect(await fixed.json()).toEqual({ redriven: before, failed: 0, remaining: 0 });
    expect(rt.dlqMessages(queue)).toEqual([]);
    const file = join(stateDir, 'dlq', `${queue}.jsonl`);
    expect(existsSync(file) ? readFileSync(file, 'utf8') : '').toBe('');
  });
});

import { createHash } from 'node:crypto';
import { DynamoDBClient, PutItemCommand } from '@aws-sdk/client-dynamodb';
import {
  GetQueueAttributesCommand,
  ReceiveMessageCommand,
  SendMessageCommand,
  SQSClient,
} from '@aws-sdk/client-sqs';
import type { SQSRecord } from 'aws-lambda';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { DlqEntry } from '#local/dlq.ts';
import type { Runtime } from '#local/runtime.ts';
import { readStack } from '#local/template/index.ts';
import {
  deliveries,
  job,
  localCredentials,
  sendJobs,
  sqsFixtureTemplate,
  startFixtureRuntime,
  timesSeen,
} from './support.ts';

let rt: Runtime;
let sqs: SQSClient;

beforeAll(async () => {
  rt = await startFixtureRuntime({ template: sqsFixtureTemplate() });
  sqs = new SQSClient({ endpoint: rt.sqsUrl, region: 'us-east-1', credentials: localCredentials });
  // These tests run on the system clock and the work queue's visibility timeout is 1 s: a container's cold start
  // must not run past it (that would deliver the batch again, as on AWS, and the tests count single deliveries).
  // Two warm containers per consumer, for its two concurrent batches. The retry tests, which wait out visibility
  // timeouts, run on a manual clock in sqs-clock.test.ts.
  await rt.warm();
  const empty = { Records: [] };
  await Promise.all(['Worker', 'Worker', 'BulkWorker', 'BulkWorker'].map((fn) => rt.invoke(fn, empty)));
});

afterAll(async () => {
  sqs?.destroy();
  await rt?.stop();
});

async function attributes(queue: string): Promise<Record<string, string>> {
  const out = await sqs.send(
    new GetQueueAttributesCommand({ QueueUrl: rt.queueUrls[queue], AttributeNames: ['All'] }),
  );
  return out.Attributes ?? {};
}

describe('local SQS queues and event source mappings', () => {
  it('creates the template queues with their attributes and points Ref and GetAtt at them', async () => {
    expect(rt.queueUrls.WorkQueue).toBe(`${rt.sqsUrl}000000000000/WorkQueueQ1`);
    expect(rt.queueNames.OrdersQueue).toBe('OrdersQueueQ1.fifo');
    expect(await attributes('WorkQueue')).toMatchObject({
      VisibilityTimeout: '1',
      QueueArn: 'arn:aws:sqs:us-east-1:000000000000:WorkQueueQ1',
      RedrivePolicy: JSON.stringify({
        deadLetterTargetArn: 'arn:aws:sqs:us-east-1:000000000000:WorkDlqQ1',
        maxReceiveCount: 3,
      }),
    });
    expect(await attributes('DelayedQueue')).toMatchObject({
      DelaySeconds: '1',
      ReceiveMessageWaitTimeSeconds: '2',
    });
    expect(await attributes('OrdersQueue')).toMatchObject({
      FifoQueue: 'true',
      ContentBasedDeduplication: 'true',
    });

    const sent = await sendJobs(rt, 'work', []);
    expect(sent.queueUrl).toBe(rt.queueUrls.WorkQueue);
    expect(sent.endpoint).toBe(rt.sqsUrl.replace(/\/$/, ''));

    const model = readStack(sqsFixtureTemplate());
    expect(model.queueMappings({ apiUrl: 'http://x/', streamArns: {} })).toMatchObject([
      {
        functionId: 'WorkerQ1',
        queueName: 'WorkQueueQ1',
        batchSize: 3,
        maxConcurrency: 2,
        reportBatchItemFailures: true,
      },
      { functionId: 'BulkWorkerQ1', queueName: 'BulkQueueQ1', batchSize: 25, maxBatchingWindowSeconds: 1 },
    ]);
    expect(
      model
        .mappings({ apiUrl: 'http://x/', streamArns: { JobsTableQ1: 'arn:stream' } })
        .map((m) => m.functionId),
    ).toEqual(['ForwarderQ1']);
    expect(model.warnings).toEqual([]);
  });

  it("delivers batches of at most BatchSize in Lambda's SQS event shape, deletes them and drops what the filter rejects", async () => {
    await sendJobs(rt, 'work', [
      ...['d1', 'd2', 'd3', 'd4', 'd5', 'd6', 'd7'].map((id) => job(id)),
      { body: { kind: 'ignored', id: 'd-skip' } },
      { body: 'not json' },
    ]);

    await rt.streamsIdle();

    const batches = deliveries(rt, 'work', 'd');
    expect(Object.keys(timesSeen(batches)).sort()).toEqual(['d1', 'd2', 'd3', 'd4', 'd5', 'd6', 'd7']);
    expect(Object.values(timesSeen(batches)).every((counts) => counts.length === 1)).toBe(true);
    expect(batches.every((b) => b.items.length <= 3)).toBe(true);
    expect(await attributes('WorkQueue')).toMatchObject({
      ApproximateNumberOfMessages: '0',
      ApproximateNumberOfMessagesNotVisible: '0',
    });

    const sample = batches[0]?.sample as SQSRecord;
    expect(sample).toMatchObject({
      eventSource: 'aws:sqs',
      eventSourceARN: 'arn:aws:sqs:us-east-1:000000000000:WorkQueueQ1',
      awsRegion: 'us-east-1',
      attributes: { ApproximateReceiveCount: '1', SenderId: 'local' },
      messageAttributes: {},
    });
    expect(sample.md5OfBody).toBe(createHash('md5').update(sample.body).digest('hex'));
    expect(typeof sample.receiptHandle).toBe('string');
    expect(Number(sample.attributes.SentTimestamp)).toBeLessThanOrEqual(
      Number(sample.attributes.ApproximateFirstReceiveTimestamp),
    );
  });

  it('gathers more than ten messages into one batch within the batching window', async () => {
    await sendJobs(
      rt,
      'bulk',
      Array.from({ length: 30 }, (_, i) => job(`b${i}`)),
    );

    await rt.streamsIdle();

    const batches = deliveries(rt, 'bulk', 'b');
    const seen = timesSeen(batches);
    expect(Object.keys(seen)).toHaveLength(30);
    expect(Object.values(seen).every((counts) => counts.length === 1)).toBe(true);
    expect(Math.max(...batches.map((b) => b.items.length))).toBeGreaterThan(10);
    expect(batches.every((b) => b.items.length <= 25)).toBe(true);
  });

  it('waits for a stream consumer and then for the queue consumer it sends to when it waits for idle', async () => {
    const ddb = new DynamoDBClient({
      endpoint: rt.dynamodbEndpoint,
      region: 'us-east-1',
      credentials: localCredentials,
    });
    try {
      for (const pk of ['s1', 's2', 's3', 's4']) {
        await ddb.send(new PutItemCommand({ TableName: rt.tableNames.JobsTable, Item: { pk: { S: pk } } }));
      }
    } finally {
      ddb.destroy();
    }

    await rt.streamsIdle();

    expect(timesSeen(deliveries(rt, 'work', 's'))).toEqual({ s1: [1], s2: [1], s3: [1], s4: [1] });
  });

  it('lists dead-letter messages at /_local/dlq and redrives them back to their source queue', async () => {
    const url = rt.queueUrls.ManualQueue;
    await sqs.send(new SendMessageCommand({ QueueUrl: url, MessageBody: 'manual' }));
    const receive = () =>
      sqs.send(
        new ReceiveMessageCommand({
          QueueUrl: url,
          VisibilityTimeout: 0,
          MessageSystemAttributeNames: ['All'],
        }),
      );
    await receive();
    await receive();
    expect((await receive()).Messages).toBeUndefined();

    const listed = (await (await fetch(`${rt.apiUrl}_local/dlq`)).json()) as {
      queues: Record<string, DlqEntry[]>;
    };
    expect(Object.keys(listed.queues).sort()).toEqual(['ManualDlqQ1', 'WorkDlqQ1']);
    expect(listed.queues.ManualDlqQ1).toMatchObject([
      { kind: 'message', body: 'manual', sourceQueue: 'ManualQueueQ1' },
    ]);

    const redriven = await fetch(`${rt.apiUrl}_local/dlq/ManualDlqQ1/redrive`, { method: 'POST' });
    expect(await redriven.json()).toEqual({ redriven: 1, failed: 0, remaining: 0 });
    const back = await receive();
    expect(back.Messages?.[0]).toMatchObject({
      Body: 'manual',
      Attributes: { ApproximateReceiveCount: '1' },
    });
  });
});

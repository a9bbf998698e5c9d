import {
  ChangeMessageVisibilityCommand,
  CreateQueueCommand,
  DeleteMessageBatchCommand,
  DeleteMessageCommand,
  GetQueueAttributesCommand,
  GetQueueUrlCommand,
  ListDeadLetterSourceQueuesCommand,
  ListQueuesCommand,
  PurgeQueueCommand,
  ReceiveMessageCommand,
  SendMessageBatchCommand,
  SendMessageCommand,
  SQSClient,
  type SQSServiceException,
} from '@aws-sdk/client-sqs';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { ManualClock } from '#local/clock.ts';
import { type SqsEngine, startSqs } from '#local/engines/sqs/index.ts';
import { localCredentials } from './support.ts';

let engine: SqsEngine;
let sqs: SQSClient;
// The engine's time moves only when a test advances it: no test waits out a timeout.
const clock = new ManualClock();

beforeAll(async () => {
  engine = await startSqs({ port: 0, clock });
  sqs = new SQSClient({ endpoint: engine.url, region: 'us-east-1', credentials: localCredentials });
});

afterAll(async () => {
  sqs?.destroy();
  await engine?.stop();
});

async function createQueue(name: string, attributes: Record<string, string> = {}): Promise<string> {
  const out = await sqs.send(new CreateQueueCommand({ QueueName: name, Attributes: attributes }));
  return out.QueueUrl ?? '';
}

async function counts(queueUrl: string): Promise<Record<string, string>> {
  const out = await sqs.send(
    new GetQueueAttributesCommand({
      QueueUrl: queueUrl,
      AttributeNames: [
        'ApproximateNumberOfMessages',
        'ApproximateNumberOfMessagesNotVisible',
        'ApproximateNumberOfMessagesDelayed',
      ],
    }),
  );
  return out.Attributes ?? {};
}

async function receive(queueUrl: string, extra: Partial<ReceiveMessageCommand['input']> = {}) {
  const out = await sqs.send(
    new ReceiveMessageCommand({
      QueueUrl: queueUrl,
      MaxNumberOfMessages: 10,
      MessageSystemAttributeNames: ['All'],
      MessageAttributeNames: ['All'],
      ...extra,
    }),
  );
  return out.Messages ?? [];
}

async function errorOf(promise: Promise<unknown>): Promise<SQSServiceException> {
  try {
    await promise;
  } catch (err) {
    return err as SQSServiceException;
  }
  throw new Error('expected the call to fail');
}

describe('local SQS engine through @aws-sdk/client-sqs', () => {
  it('sends, receives with attributes, hides a message for its visibility timeout and deletes it', async () => {
    const url = await createQueue('round-trip', { VisibilityTimeout: '1' });
    expect(url).toBe(`${engine.url}000000000000/round-trip`);
    expect((await sqs.send(new GetQueueUrlCommand({ QueueName: 'round-trip' }))).QueueUrl).toBe(url);

    const sent = await sqs.send(
      new SendMessageCommand({
        QueueUrl: url,
        MessageBody: '{"hello":"wörld"}',
        MessageAttributes: {
          channel: { DataType: 'String', StringValue: 'email' },
          attempt: { DataType: 'Number', StringValue: '2' },
          raw: { DataType: 'Binary', BinaryValue: Buffer.from([1, 2, 3]) },
        },
      }),
    );
    expect(sent.MessageId).toMatch(/^[0-9a-f-]{36}$/);
    expect(sent.MD5OfMessageAttributes).toMatch(/^[0-9a-f]{32}$/);

    const [first, ...others] = await receive(url);
    expect(others).toEqual([]);
    expect(first).toMatchObject({
      MessageId: sent.MessageId,
      Body: '{"hello":"wörld"}',
      MD5OfMessageAttributes: sent.MD5OfMessageAttributes,
      Attributes: { ApproximateReceiveCount: '1', SenderId: 'test' },
      MessageAttributes: {
        channel: { DataType: 'String', StringValue: 'email' },
        attempt: { DataType: 'Number', StringValue: '2' },
      },
    });
    expect([...(first?.MessageAttributes?.raw?.BinaryValue ?? [])]).toEqual([1, 2, 3]);
    expect(Number(first?.Attributes?.SentTimestamp)).toBe(clock.now());
    expect(await counts(url)).toMatchObject({
      ApproximateNumberOfMessages: '0',
      ApproximateNumberOfMessagesNotVisible: '1',
    });
    expect(await receive(url)).toEqual([]);
    await clock.advance(999);
    expect(await receive(url)).toEqual([]);

    await clock.advance(1);
    const [again] = await receive(url, {
      MessageAttributeNames: ['chan*', 'channel'],
      MessageSystemAttributeNames: [],
    });
    expect(again?.MessageId).toBe(sent.MessageId);
    expect(again?.ReceiptHandle).not.toBe(first?.ReceiptHandle);
    expect(Object.keys(again?.MessageAttributes ?? {})).toEqual(['channel']);
    expect(again?.Attributes).toBeUndefined();

    // The older receipt handle no longer deletes (the call still succeeds), the latest one does.
    await sqs.send(new DeleteMessageCommand({ QueueUrl: url, ReceiptHandle: first?.ReceiptHandle }));
    expect((await counts(url)).ApproximateNumberOfMessagesNotVisible).toBe('1');
    await sqs.send(new DeleteMessageCommand({ QueueUrl: url, ReceiptHandle: again?.ReceiptHandle }));
    expect(await counts(url)).toMatchObject({
      ApproximateNumberOfMessages: '0',
      ApproximateNumberOfMessagesNotVisible: '0',
    });
  });

  it('holds delayed messages until their delay ends, and a long poll returns as soon as one is visible', async () => {
    const url = await createQueue('delays', { DelaySeconds: '1' });
    await sqs.send(new SendMessageCommand({ QueueUrl: url, MessageBody: 'queue delay' }));
    await sqs.send(new SendMessageCommand({ QueueUrl: url, MessageBody: 'no delay', DelaySeconds: 0 }));
    expect(await counts(url)).toMatchObject({
      ApproximateNumberOfMessages: '1',
      ApproximateNumberOfMessagesDelayed: '1',
    });
    expect((await receive(url)).map((m) => m.Body)).toEqual(['no delay']);

    const started = clock.now();
    const waited = receive(url, { WaitTimeSeconds: 5 });
    await clock.waitForTimers();
    await clock.advance(999);
    // Still delayed, and the long poll still waits for it.
    expect(await counts(url)).toMatchObject({ ApproximateNumberOfMessagesDelayed: '1' });
    expect(clock.pending()).toBe(1);
    await clock.advance(1);
    expect((await waited).map((m) => m.Body)).toEqual(['queue delay']);
    expect(clock.now() - started).toBe(1000);

    const emptyStart = clock.now();
    const empty = receive(url, { WaitTimeSeconds: 1 });
    await clock.waitForTimers();
    await clock.advance(999);
    expect(clock.pending()).toBe(1);
    await clock.advance(1);
    expect(await empty).toEqual([]);
    expect(clock.now() - emptyStart).toBe(1000);
  });

  it('makes a message visible again at once when its visibility timeout is changed to 0', async () => {
    const url = await createQueue('visibility');
    await sqs.send(new SendMessageCommand({ QueueUrl: url, MessageBody: 'again' }));
    const [m] = await receive(url, { VisibilityTimeout: 60 });
    expect(await receive(url)).toEqual([]);

    await sqs.send(
      new ChangeMessageVisibilityCommand({
        QueueUrl: url,
        ReceiptHandle: m?.ReceiptHandle,
        VisibilityTimeout: 0,
      }),
    );

    const [again] = await receive(url);
    expect(again?.Attributes?.ApproximateReceiveCount).toBe('2');
  });

  it('moves a message to the dead-letter queue once it was received maxReceiveCount times', async () => {
    const dlqUrl = await createQueue('redrive-dlq');
    const dlqArn = `arn:aws:sqs:us-east-1:000000000000:redrive-dlq`;
    const url = await createQueue('redrive-source', {
      VisibilityTimeout: '0',
      RedrivePolicy: JSON.stringify({ deadLetterTargetArn: dlqArn, maxReceiveCount: 2 }),
    });
    await sqs.send(new SendMessageCommand({ QueueUrl: url, MessageBody: 'poison' }));

    expect((await receive(url))[0]?.Attributes?.ApproximateReceiveCount).toBe('1');
    expect((await receive(url))[0]?.Attributes?.ApproximateReceiveCount).toBe('2');
    expect(await receive(url)).toEqual([]);

    const [dead] = await receive(dlqUrl);
    expect(dead).toMatchObject({
      Body: 'poison',
      Attributes: {
        DeadLetterQueueSourceArn: 'arn:aws:sqs:us-east-1:000000000000:redrive-source',
        ApproximateReceiveCount: '1',
      },
    });
    const sources = await sqs.send(new ListDeadLetterSourceQueuesCommand({ QueueUrl: dlqUrl }));
    expect(sources.queueUrls).toEqual([url]);
  });

  it('reports each failed entry of a batch and carries out the others', async () => {
    const url = await createQueue('batches');
    const sent = await sqs.send(
      new SendMessageBatchCommand({
        QueueUrl: url,
        Entries: [
          { Id: 'a', MessageBody: 'one' },
          { Id: 'b', MessageBody: 'two', DelaySeconds: 901 },
          {
            Id: 'c',
            MessageBody: 'three',
            MessageAttributes: { n: { DataType: 'Number', StringValue: 'x' } },
          },
          { Id: 'd', MessageBody: 'four' },
        ],
      }),
    );
    expect(sent.Successful?.map((s) => s.Id)).toEqual(['a', 'd']);
    expect(sent.Failed?.map((f) => [f.Id, f.Code, f.SenderFault])).toEqual([
      ['b', 'InvalidParameterValue', true],
      ['c', 'InvalidParameterValue', true],
    ]);

    const messages = await receive(url);
    const deleted = await sqs.send(
      new DeleteMessageBatchCommand({
        QueueUrl: url,
        Entries: [
          ...messages.map((m, i) => ({ Id: `m${i}`, ReceiptHandle: m.ReceiptHandle })),
          { Id: 'bad', ReceiptHandle: 'not-a-handle' },
        ],
      }),
    );
    expect(deleted.Successful).toHaveLength(2);
    expect(deleted.Failed?.map((f) => [f.Id, f.Code])).toEqual([['bad', 'ReceiptHandleIsInvalid']]);
    expect((await counts(url)).ApproximateNumberOfMessagesNotVisible).toBe('0');
  });

  it('delivers a FIFO queue in order per message group and drops duplicates within five minutes', async () => {
    const url = await createQueue('orders.fifo', { FifoQueue: 'true', ContentBasedDeduplication: 'true' });
    const send = (body: string, group: string) =>
      sqs.send(new SendMessageCommand({ QueueUrl: url, MessageBody: body, MessageGroupId: group }));
    const a1 = await send('a1', 'a');
    await send('b1', 'b');
    await send('a2', 'a');
    const duplicate = await send('a1', 'a');
    expect(duplicate.MessageId).toBe(a1.MessageId);
    expect(BigInt(a1.SequenceNumber ?? '0')).toBeGreaterThan(0n);

    const first = await receive(url);
    expect(first.map((m) => m.Body)).toEqual(['a1', 'b1', 'a2']);
    expect(first[0]?.Attributes).toMatchObject({ MessageGroupId: 'a', SequenceNumber: a1.SequenceNumber });

    // Group a waits behind its messages in flight; group b is free once b1 is deleted.
    await send('a3', 'a');
    await send('b2', 'b');
    const b1 = first.find((m) => m.Body === 'b1');
    await sqs.send(new DeleteMessageCommand({ QueueUrl: url, ReceiptHandle: b1?.ReceiptHandle }));
    expect((await receive(url)).map((m) => m.Body)).toEqual(['b2']);
    for (const m of first.filter((m) => m.Body !== 'b1')) {
      await sqs.send(new DeleteMessageCommand({ QueueUrl: url, ReceiptHandle: m.ReceiptHandle }));
    }
    expect((await receive(url)).map((m) => m.Body)).toEqual(['a3']);
    // Five minutes later the same content is a new message.
    await clock.advance(5 * 60_000);
    expect((await send('a1', 'a')).MessageId).not.toBe(a1.MessageId);

    const perMessageDelay = await errorOf(
      sqs.send(
        new SendMessageCommand({ QueueUrl: url, MessageBody: 'x', MessageGroupId: 'a', DelaySeconds: 5 }),
      ),
    );
    expect(perMessageDelay.name).toBe('InvalidParameterValue');
    const noGroup = await errorOf(sqs.send(new SendMessageCommand({ QueueUrl: url, MessageBody: 'x' })));
    expect(noGroup.name).toBe('MissingParameter');
    const badName = await errorOf(createQueue('orders', { FifoQueue: 'true' }));
    expect(badName.name).toBe('InvalidParameterValue');
  });

  it("answers errors in SQS's JSON shape, which the SDK turns into its typed exceptions", async () => {
    const missing = await errorOf(sqs.send(new GetQueueUrlCommand({ QueueName: 'nope' })));
    expect(missing.name).toBe('QueueDoesNotExist');
    expect(missing.$metadata.httpStatusCode).toBe(400);

    const raw = await fetch(engine.url, {
      method: 'POST',
      headers: { 'content-type': 'application/x-amz-json-1.0', 'x-amz-target': 'AmazonSQS.GetQueueUrl' },
      body: JSON.stringify({ QueueName: 'nope' }),
    });
    expect(raw.status).toBe(400);
    expect(raw.headers.get('x-amzn-query-error')).toBe('AWS.SimpleQueueService.NonExistentQueue;Sender');
    expect(await raw.json()).toEqual({
      __type: 'com.amazonaws.sqs#QueueDoesNotExist',
      message: 'The specified queue does not exist.',
    });

    const url = await createQueue('errors');
    const tooMany = await errorOf(receive(url, { MaxNumberOfMessages: 11 }));
    expect(tooMany.name).toBe('InvalidParameterValue');
    const badHandle = await errorOf(
      sqs.send(new DeleteMessageCommand({ QueueUrl: url, ReceiptHandle: 'x' })),
    );
    expect(badHandle.name).toBe('ReceiptHandleIsInvalid');
    const badAttribute = await errorOf(
      sqs.send(new GetQueueAttributesCommand({ QueueUrl: url, AttributeNames: ['Colour' as 'All'] })),
    );
    expect(badAttribute.name).toBe('InvalidAttributeName');
    const changed = await errorOf(createQueue('errors', { VisibilityTimeout: '5' }));
    expect(changed.name).toBe('QueueNameExists');
    await sqs.send(new PurgeQueueCommand({ QueueUrl: url }));
    const purgedTwice = await errorOf(sqs.send(new PurgeQueueCommand({ QueueUrl: url })));
    expect(purgedTwice.name).toBe('PurgeQueueInProgress');

    const query = await fetch(engine.url, {
      method: 'POST',
      headers: { 'content-type': 'application/x-www-form-urlencoded' },
      body: 'Action=ListQueues&Version=2012-11-05',
    });
    expect(query.status).toBe(400);
    expect(await query.text()).toContain('AWS JSON 1.0 only');
  });

  it('lists the queues with their counts as JSON and as a page', async () => {
    const url = await createQueue('listed');
    await sqs.send(new SendMessageCommand({ QueueUrl: url, MessageBody: 'counted' }));

    const listed = await sqs.send(new ListQueuesCommand({ QueueNamePrefix: 'list' }));
    expect(listed.QueueUrls).toEqual([url]);
    const res = await fetch(engine.url, { headers: { accept: 'application/json' } });
    const { queues } = (await res.json()) as {
      queues: { name: string; arn: string; messages: Record<string, number> }[];
    };
    expect(queues.find((q) => q.name === 'listed')).toMatchObject({
      arn: 'arn:aws:sqs:us-east-1:000000000000:listed',
      messages: { visible: 1, inFlight: 0, delayed: 0 },
    });
    const page = await (await fetch(engine.url)).text();
    expect(page).toContain('<td><a href="/000000000000/listed">listed</a></td><td>1</td>');
    const one = (await (await fetch(`${engine.url}000000000000/listed`)).json()) as {
      messageList: { body: string; state: string }[];
    };
    expect(one.messageList).toMatchObject([{ body: 'counted', state: 'visible' }]);
  });
});

import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { DynamoDBClient, GetItemCommand, PutItemCommand } from '@aws-sdk/client-dynamodb';
import {
  DeleteMessageCommand,
  ReceiveMessageCommand,
  SendMessageCommand,
  SQSClient,
} from '@aws-sdk/client-sqs';
import { describe, expect, it } from 'vitest';
import { localCredentials, sqsFixtureTemplate, startFixtureRuntime } from './support.ts';

describe('local runtime with persistence', () => {
  it('keeps the tables and resumes the streams after the last checkpoint when it starts again', async () => {
    const stateDir = mkdtempSync(join(tmpdir(), 'pulso-persist-test-'));
    const first = await startFixtureRuntime({ persist: true, stateDir });
    const ddb = new DynamoDBClient({
      endpoint: first.dynamodbEndpoint,
      region: 'us-east-1',
      credentials: localCredentials,
    });
    try {
      await ddb.send(
        new PutItemCommand({
          TableName: first.tableName,
          Item: { pk: { S: 'kept' }, sk: { S: 'ITEM' }, type: { S: 'response' } },
        }),
      );
      await first.streamsIdle();
      expect(first.snsMessages().filter((m) => m.subject === 'record')).toHaveLength(1);
    } finally {
      ddb.destroy();
      await first.stop();
    }

    const second = await startFixtureRuntime({ persist: true, stateDir });
    const again = new DynamoDBClient({
      endpoint: second.dynamodbEndpoint,
      region: 'us-east-1',
      credentials: localCredentials,
    });
    try {
      await second.streamsIdle();
      const kept = await again.send(
        new GetItemCommand({ TableName: second.tableName, Key: { pk: { S: 'kept' }, sk: { S: 'ITEM' } } }),
      );

      expect(kept.Item?.type?.S).toBe('response');
      expect(second.snsMessages().filter((m) => m.subject === 'record')).toHaveLength(0);
    } finally {
      again.destroy();
      await second.stop();
    }
  }, 90_000);

  it('keeps the messages of every queue, visible again, when it starts again', async () => {
    const stateDir = mkdtempSync(join(tmpdir(), 'pulso-persist-sqs-test-'));
    const receiveAll = async (sqs: SQSClient, queueUrl: string | undefined) =>
      (
        await sqs.send(
          new ReceiveMessageCommand({
            QueueUrl: queueUrl,
            MaxNumberOfMessages: 10,
            MessageSystemAttributeNames: ['All'],
          }),
        )
      ).Messages ?? [];
    const first = await startFixtureRuntime({ persist: true, stateDir, template: sqsFixtureTemplate() });
    const sqs = new SQSClient({ endpoint: first.sqsUrl, region: 'us-east-1', credentials: localCredentials });
    try {
      for (const body of ['kept', 'deleted', 'in flight']) {
        await sqs.send(new SendMessageCommand({ QueueUrl: first.queueUrls.ManualQueue, MessageBody: body }));
      }
      await sqs.send(new SendMessageCommand({ QueueUrl: first.queueUrls.ManualDlq, MessageBody: 'dead' }));
      const received = await receiveAll(sqs, first.queueUrls.ManualQueue);
      const deleted = received.find((m) => m.Body === 'deleted');
      await sqs.send(
        new DeleteMessageCommand({
          QueueUrl: first.queueUrls.ManualQueue,
          ReceiptHandle: deleted?.ReceiptHandle,
        }),
      );
    } finally {
      sqs.destroy();
      await first.stop();
    }

    const second = await startFixtureRuntime({ persist: true, stateDir, template: sqsFixtureTemplate() });
    const again = new SQSClient({
      endpoint: second.sqsUrl,
      region: 'us-east-1',
      credentials: localCredentials,
    });
    try {
      const kept = await receiveAll(again, second.queueUrls.ManualQueue);
      expect(kept.map((m) => m.Body).sort()).toEqual(['in flight', 'kept']);
      expect(kept.every((m) => m.Attributes?.ApproximateReceiveCount === '2')).toBe(true);
      expect(second.dlqMessages('ManualDlq')).toMatchObject([{ kind: 'message', body: 'dead' }]);
    } finally {
      again.destroy();
      await second.stop();
    }
  }, 90_000);
});

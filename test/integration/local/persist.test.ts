import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { DynamoDBClient, GetItemCommand, PutItemCommand } from '@aws-sdk/client-dynamodb';
import { describe, expect, it } from 'vitest';
import { localCredentials, startFixtureRuntime } from './support.ts';

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
});

import {
  ConditionalCheckFailedException,
  type DynamoDBClient,
  GetItemCommand,
  PutItemCommand,
} from '@aws-sdk/client-dynamodb';
import type { LaneStore } from '#aggregation/ports.ts';
import type { LaneStart } from '#aggregation/rules/lanes.ts';
import { keys } from './keys.ts';
import { marshallKey } from './surveys.ts';

/** Lane starts outlive the stream's 24-hour retention, then expire. */
const KEEP_SECONDS = 2 * 86_400;

export class DynamoLaneStore implements LaneStore {
  constructor(
    private readonly client: DynamoDBClient,
    private readonly tableName: string,
  ) {}

  async getStart(recordFingerprint: string): Promise<LaneStart | undefined> {
    const { Item } = await this.client.send(
      new GetItemCommand({
        TableName: this.tableName,
        Key: marshallKey(keys.laneStart(recordFingerprint)),
        ConsistentRead: true,
      }),
    );
    return Item?.lane?.S
      ? { lane: Item.lane.S, records: (Item.records?.S ?? '').split(',').filter(Boolean) }
      : undefined;
  }

  async putStartIfAbsent(recordFingerprint: string, start: LaneStart): Promise<LaneStart> {
    try {
      await this.client.send(
        new PutItemCommand({
          TableName: this.tableName,
          Item: {
            ...marshallKey(keys.laneStart(recordFingerprint)),
            type: { S: 'lane' },
            lane: { S: start.lane },
            records: { S: start.records.join(',') },
            expiresAt: { N: String(Math.floor(Date.now() / 1000) + KEEP_SECONDS) },
          },
          ConditionExpression: 'attribute_not_exists(pk)',
          ReturnValuesOnConditionCheckFailure: 'ALL_OLD',
        }),
      );
      return start;
    } catch (err) {
      if (err instanceof ConditionalCheckFailedException && err.Item?.lane?.S) {
        return { lane: err.Item.lane.S, records: (err.Item.records?.S ?? '').split(',').filter(Boolean) };
      }
      throw err;
    }
  }
}

import {
  ConditionalCheckFailedException,
  type DynamoDBClient,
  UpdateItemCommand,
} from '@aws-sdk/client-dynamodb';
import type { RateCounterStore } from '#capture/ports.ts';
import type { HitOutcome, RateCounter } from '#capture/rules/rate-limit.ts';
import { keys } from './keys.ts';
import { marshallKey } from './surveys.ts';

const keyOf = (c: RateCounter) => marshallKey(keys.rateCounter(c.surveyId, c.kind, c.subject, c.windowStart));

/**
 * Rate counters: `n` responses and the set `subs` of their submission tags, one item per subject and window,
 * deleted by TTL (`expiresAt`) after the window. An item holds at most `limit` tags of 16 characters, so it
 * stays under 1 KB (one write unit) with the default limits.
 */
export class DynamoRateCounterStore implements RateCounterStore {
  constructor(
    private readonly client: DynamoDBClient,
    private readonly tableName: string,
  ) {}

  async hit(counter: RateCounter, tag: string): Promise<HitOutcome> {
    try {
      await this.client.send(
        new UpdateItemCommand({
          TableName: this.tableName,
          Key: keyOf(counter),
          UpdateExpression: 'SET #type = :type, expiresAt = :exp ADD n :one, subs :tags',
          ConditionExpression: 'NOT contains(subs, :tag) AND (attribute_not_exists(n) OR n < :limit)',
          ExpressionAttributeNames: { '#type': 'type' },
          ExpressionAttributeValues: {
            ':type': { S: 'rate-counter' },
            ':exp': { N: String(counter.expiresAt) },
            ':one': { N: '1' },
            ':tags': { SS: [tag] },
            ':tag': { S: tag },
            ':limit': { N: String(counter.limit) },
          },
          // Tells a repeat from a full counter in the same call, with no extra read.
          ReturnValuesOnConditionCheckFailure: 'ALL_OLD',
        }),
      );
      return 'counted';
    } catch (err) {
      if (!(err instanceof ConditionalCheckFailedException)) throw err;
      return err.Item?.subs?.SS?.includes(tag) ? 'repeat' : 'limited';
    }
  }

  async release(counter: RateCounter, tag: string): Promise<void> {
    try {
      await this.client.send(
        new UpdateItemCommand({
          TableName: this.tableName,
          Key: keyOf(counter),
          UpdateExpression: 'ADD n :minus DELETE subs :tags',
          ConditionExpression: 'contains(subs, :tag)',
          ExpressionAttributeValues: {
            ':minus': { N: '-1' },
            ':tags': { SS: [tag] },
            ':tag': { S: tag },
          },
        }),
      );
    } catch (err) {
      if (!(err instanceof ConditionalCheckFailedException)) throw err;
    }
  }
}

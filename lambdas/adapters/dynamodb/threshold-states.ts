import {
  ConditionalCheckFailedException,
  type DynamoDBClient,
  UpdateItemCommand,
} from '@aws-sdk/client-dynamodb';
import type { Segment } from '#aggregation/rules/aggregation.ts';
import type { ThresholdStateStore } from '#loop/ports.ts';
import type { Condition } from '#loop/rules/thresholds.ts';
import { keys } from './keys.ts';
import { marshallKey } from './surveys.ts';

/** One item per (survey, rule, segment, condition): `firing` or `ok`, moved by conditional writes. */
export class DynamoThresholdStateStore implements ThresholdStateStore {
  constructor(
    private readonly client: DynamoDBClient,
    private readonly tableName: string,
  ) {}

  fire(surveyId: string, ruleId: string, segment: Segment, condition: Condition, at: Date): Promise<boolean> {
    return this.move(
      surveyId,
      ruleId,
      segment,
      condition,
      at,
      'firing',
      'attribute_not_exists(#s) OR #s = :other',
    );
  }

  recover(
    surveyId: string,
    ruleId: string,
    segment: Segment,
    condition: Condition,
    at: Date,
  ): Promise<boolean> {
    return this.move(surveyId, ruleId, segment, condition, at, 'ok', '#s = :other');
  }

  private async move(
    surveyId: string,
    ruleId: string,
    segment: Segment,
    condition: Condition,
    at: Date,
    to: 'firing' | 'ok',
    when: string,
  ): Promise<boolean> {
    try {
      await this.client.send(
        new UpdateItemCommand({
          TableName: this.tableName,
          Key: marshallKey(keys.thresholdState(surveyId, ruleId, segment, condition)),
          UpdateExpression: 'SET #s = :to, #t = :type, since = :at',
          ConditionExpression: when,
          ExpressionAttributeNames: { '#s': 'state', '#t': 'type' },
          ExpressionAttributeValues: {
            ':to': { S: to },
            ':other': { S: to === 'firing' ? 'ok' : 'firing' },
            ':type': { S: 'threshold-state' },
            ':at': { S: at.toISOString() },
          },
        }),
      );
      return true;
    } catch (err) {
      if (err instanceof ConditionalCheckFailedException) return false;
      throw err;
    }
  }
}

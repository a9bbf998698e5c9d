import {
  ConditionalCheckFailedException,
  type DynamoDBClient,
  GetItemCommand,
  PutItemCommand,
} from '@aws-sdk/client-dynamodb';
import { marshall, unmarshall } from '@aws-sdk/util-dynamodb';
import type { PutResponseResult, ResponseStore } from '#capture/ports.ts';
import type { ResponseRecord } from '#capture/rules/response.ts';
import { keys } from './keys.ts';
import { marshallKey } from './surveys.ts';

const DAY_S = 86_400;

/** The stored item of a response; the stream consumers read this shape from NEW_IMAGE. */
export function responseItem(r: ResponseRecord, retentionDays: number) {
  return {
    ...keys.response(r.surveyId, r.submissionId),
    type: 'response',
    ...r,
    expiresAt: Math.floor(Date.parse(r.receivedAt) / 1000) + retentionDays * DAY_S,
  };
}

export function responseFromItem(item: Record<string, unknown>): ResponseRecord {
  const { pk: _pk, sk: _sk, type: _type, expiresAt: _e, ...rest } = item;
  return rest as unknown as ResponseRecord;
}

export class DynamoResponseStore implements ResponseStore {
  constructor(
    private readonly client: DynamoDBClient,
    private readonly tableName: string,
  ) {}

  async putIfAbsent(response: ResponseRecord, retentionDays: number): Promise<PutResponseResult> {
    try {
      await this.client.send(
        new PutItemCommand({
          TableName: this.tableName,
          Item: marshall(responseItem(response, retentionDays), { removeUndefinedValues: true }),
          ConditionExpression: 'attribute_not_exists(pk)',
          // A repeat learns what was stored in the same call, with no extra read.
          ReturnValuesOnConditionCheckFailure: 'ALL_OLD',
        }),
      );
      return { created: true };
    } catch (err) {
      if (err instanceof ConditionalCheckFailedException && err.Item) {
        return { created: false, existing: responseFromItem(unmarshall(err.Item)) };
      }
      throw err;
    }
  }

  async get(surveyId: string, submissionId: string): Promise<ResponseRecord | undefined> {
    const { Item } = await this.client.send(
      new GetItemCommand({
        TableName: this.tableName,
        Key: marshallKey(keys.response(surveyId, submissionId)),
        ConsistentRead: true,
      }),
    );
    return Item ? responseFromItem(unmarshall(Item)) : undefined;
  }
}

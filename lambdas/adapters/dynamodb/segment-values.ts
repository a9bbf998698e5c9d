import {
  type AttributeValue,
  ConditionalCheckFailedException,
  type DynamoDBClient,
  GetItemCommand,
  PutItemCommand,
  paginateQuery,
} from '@aws-sdk/client-dynamodb';
import type { SegmentCatalogue } from '#aggregation/ports.ts';
import type { Segment } from '#aggregation/rules/aggregation.ts';
import type { SegmentValue } from '#aggregation/rules/segments.ts';
import { keys } from './keys.ts';
import { marshallKey } from './surveys.ts';

function segmentValueOf(item: Record<string, AttributeValue>): SegmentValue {
  const parentKey = item.parentKey?.S;
  const parentValue = item.parentValue?.S;
  return {
    key: item.key?.S ?? '',
    value: item.value?.S ?? '',
    parent: parentKey && parentValue ? { key: parentKey, value: parentValue } : undefined,
  };
}

/** Segment value items: `SEGMENTS#<surveyId>` / `<key>#<value>`, written once each. */
export class DynamoSegmentCatalogue implements SegmentCatalogue {
  constructor(
    private readonly client: DynamoDBClient,
    private readonly tableName: string,
  ) {}

  /** A key's values (`prefix` = `<key>#`), or every value when `prefix` is undefined. */
  private async query(
    surveyId: string,
    prefix: string | undefined,
    parent?: Segment,
  ): Promise<SegmentValue[]> {
    const out: SegmentValue[] = [];
    const pages = paginateQuery(
      { client: this.client },
      {
        TableName: this.tableName,
        KeyConditionExpression: prefix === undefined ? 'pk = :pk' : 'pk = :pk AND begins_with(sk, :prefix)',
        ...(parent && {
          FilterExpression: 'parentKey = :pk2 AND parentValue = :pv',
        }),
        ExpressionAttributeValues: {
          ':pk': { S: keys.segmentValuesPk(surveyId) },
          ...(prefix !== undefined && { ':prefix': { S: prefix } }),
          ...(parent && { ':pk2': { S: parent.key }, ':pv': { S: parent.value } }),
        },
      },
    );
    for await (const page of pages) for (const item of page.Items ?? []) out.push(segmentValueOf(item));
    return out;
  }

  list(surveyId: string, key: string, parent?: Segment): Promise<SegmentValue[]> {
    return this.query(surveyId, `${key}#`, parent);
  }

  all(surveyId: string): Promise<SegmentValue[]> {
    return this.query(surveyId, undefined);
  }

  async get(surveyId: string, segment: Segment): Promise<SegmentValue | undefined> {
    const { Item } = await this.client.send(
      new GetItemCommand({
        TableName: this.tableName,
        Key: marshallKey(keys.segmentValue(surveyId, segment)),
      }),
    );
    return Item ? segmentValueOf(Item) : undefined;
  }

  async addIfAbsent(surveyId: string, v: SegmentValue): Promise<number> {
    const { pk, sk } = keys.segmentValue(surveyId, v);
    try {
      const out = await this.client.send(
        new PutItemCommand({
          TableName: this.tableName,
          Item: {
            pk: { S: pk },
            sk: { S: sk },
            type: { S: 'segment-value' },
            key: { S: v.key },
            value: { S: v.value },
            ...(v.parent && { parentKey: { S: v.parent.key }, parentValue: { S: v.parent.value } }),
          },
          ConditionExpression: 'attribute_not_exists(pk)',
          ReturnConsumedCapacity: 'TOTAL',
        }),
      );
      return out.ConsumedCapacity?.CapacityUnits ?? 1;
    } catch (err) {
      // Another container wrote it first; a failed condition still costs a write unit.
      if (err instanceof ConditionalCheckFailedException) return 1;
      throw err;
    }
  }
}

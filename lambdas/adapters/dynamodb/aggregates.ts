import {
  type AttributeValue,
  ConditionalCheckFailedException,
  type DynamoDBClient,
  QueryCommand,
  UpdateItemCommand,
} from '@aws-sdk/client-dynamodb';
import type { AggregateStore, ApplyResult } from '#aggregation/ports.ts';
import type { AggregateDelta, AggregateKey, Segment } from '#aggregation/rules/aggregation.ts';
import type { DayCounters } from '#aggregation/rules/report.ts';
import { COUNTER_PREFIX, keys, WATERMARK_PREFIX } from './keys.ts';

/** Survey aggregates and campaign reach items: counters `c#...` added under a lane watermark `w#<lane>`. */
export class DynamoAggregateStore implements AggregateStore {
  constructor(
    private readonly client: DynamoDBClient,
    private readonly tableName: string,
  ) {}

  async apply(
    key: AggregateKey,
    lane: string,
    delta: AggregateDelta,
    finishedLanes: readonly string[],
  ): Promise<ApplyResult> {
    const names: Record<string, string> = { '#w': `${WATERMARK_PREFIX}${lane}`, '#t': 'type' };
    const values: Record<string, AttributeValue> = {
      ':from': { S: delta.from },
      ':upTo': { S: delta.upTo },
      // Stream filters tell items apart by type: neither kind feeds a consumer back.
      ':t': { S: key.kind === 'survey' ? 'aggregate' : 'reach' },
    };
    const adds: string[] = [];
    Object.entries(delta.counters).forEach(([counter, inc], i) => {
      names[`#c${i}`] = `${COUNTER_PREFIX}${counter}`;
      values[`:c${i}`] = { N: String(inc) };
      adds.push(`#c${i} :c${i}`);
    });
    const removes = finishedLanes
      .filter((l) => l !== lane)
      .map((l, i) => {
        names[`#f${i}`] = `${WATERMARK_PREFIX}${l}`;
        return `#f${i}`;
      });
    const remove = removes.length > 0 ? ` REMOVE ${removes.join(', ')}` : '';
    const { pk, sk } = keys.counted(key);
    try {
      const out = await this.client.send(
        new UpdateItemCommand({
          TableName: this.tableName,
          Key: { pk: { S: pk }, sk: { S: sk } },
          UpdateExpression: `SET #w = :upTo, #t = :t ADD ${adds.join(', ')}${remove}`,
          ConditionExpression: 'attribute_not_exists(#w) OR #w < :from',
          ExpressionAttributeNames: names,
          ExpressionAttributeValues: values,
          ReturnValues: 'ALL_NEW',
          ReturnValuesOnConditionCheckFailure: 'ALL_OLD',
          ReturnConsumedCapacity: 'TOTAL',
        }),
      );
      const lanes = Object.keys(out.Attributes ?? {})
        .filter((name) => name.startsWith(WATERMARK_PREFIX))
        .map((name) => name.slice(WATERMARK_PREFIX.length));
      return { outcome: 'applied', writeUnits: out.ConsumedCapacity?.CapacityUnits ?? 0, lanes };
    } catch (err) {
      if (err instanceof ConditionalCheckFailedException) {
        const watermark = err.Item?.[`${WATERMARK_PREFIX}${lane}`]?.S;
        // A failed condition still costs a write unit.
        return { outcome: 'stale', watermark, writeUnits: 1 };
      }
      throw err;
    }
  }

  async readDays(surveyId: string, segment: Segment, from: string, to: string): Promise<DayCounters[]> {
    const days: DayCounters[] = [];
    let ExclusiveStartKey: Record<string, AttributeValue> | undefined;
    do {
      const page = await this.client.send(
        new QueryCommand({
          TableName: this.tableName,
          KeyConditionExpression: 'pk = :pk AND sk BETWEEN :from AND :to',
          ExpressionAttributeValues: {
            ':pk': { S: keys.aggregatePk(surveyId, segment) },
            ':from': { S: `DAY#${from}` },
            ':to': { S: `DAY#${to}` },
          },
          ExclusiveStartKey,
        }),
      );
      for (const item of page.Items ?? []) {
        const counters: Record<string, number> = {};
        for (const [name, value] of Object.entries(item)) {
          if (name.startsWith(COUNTER_PREFIX) && value.N)
            counters[name.slice(COUNTER_PREFIX.length)] = Number(value.N);
        }
        days.push({ day: (item.sk?.S ?? '').slice('DAY#'.length), counters });
      }
      ExclusiveStartKey = page.LastEvaluatedKey;
    } while (ExclusiveStartKey);
    return days;
  }
}

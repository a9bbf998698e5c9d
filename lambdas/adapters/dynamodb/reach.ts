import { type AttributeValue, type DynamoDBClient, QueryCommand } from '@aws-sdk/client-dynamodb';
import type { ReachStore } from '#invitations/ports.ts';
import { type CampaignReach, type ReachDayCounters, summarizeReach } from '#invitations/rules/reach.ts';
import { COUNTER_PREFIX, keys, parseReachSk } from './keys.ts';

/** Reads a campaign's reach items (written by the aggregator through DynamoAggregateStore) in one paged Query. */
export class DynamoReachStore implements ReachStore {
  constructor(
    private readonly client: DynamoDBClient,
    private readonly tableName: string,
  ) {}

  async read(campaignId: string): Promise<CampaignReach> {
    const items: ReachDayCounters[] = [];
    let ExclusiveStartKey: Record<string, AttributeValue> | undefined;
    do {
      const page = await this.client.send(
        new QueryCommand({
          TableName: this.tableName,
          KeyConditionExpression: 'pk = :pk',
          ExpressionAttributeValues: { ':pk': { S: keys.reachPk(campaignId) } },
          ExclusiveStartKey,
        }),
      );
      for (const item of page.Items ?? []) {
        const place = parseReachSk(item.sk?.S ?? '');
        if (!place) continue;
        const counters: Record<string, number> = {};
        for (const [name, value] of Object.entries(item)) {
          if (name.startsWith(COUNTER_PREFIX) && value.N)
            counters[name.slice(COUNTER_PREFIX.length)] = Number(value.N);
        }
        items.push({ ...place, counters });
      }
      ExclusiveStartKey = page.LastEvaluatedKey;
    } while (ExclusiveStartKey);
    return summarizeReach(campaignId, items);
  }
}

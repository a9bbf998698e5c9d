import {
  type AttributeValue,
  type DynamoDBClient,
  GetItemCommand,
  PutItemCommand,
  QueryCommand,
} from '@aws-sdk/client-dynamodb';
import type { PlanStore } from '#loop/ports.ts';
import type { ActionPlan } from '#loop/rules/plans.ts';
import { keys, PLANS_INDEX_PK } from './keys.ts';
import { marshallKey } from './surveys.ts';

/** Action plans as one item each (JSON), listed through gsi1. */
export class DynamoPlanStore implements PlanStore {
  constructor(
    private readonly client: DynamoDBClient,
    private readonly tableName: string,
  ) {}

  async put(plan: ActionPlan): Promise<void> {
    await this.client.send(
      new PutItemCommand({
        TableName: this.tableName,
        Item: {
          ...marshallKey(keys.plan(plan.planId)),
          type: { S: 'plan' },
          gsi1pk: { S: PLANS_INDEX_PK },
          gsi1sk: { S: `${plan.createdAt}#${plan.planId}` },
          plan: { S: JSON.stringify(plan) },
        },
      }),
    );
  }

  async get(planId: string): Promise<ActionPlan | undefined> {
    const { Item } = await this.client.send(
      new GetItemCommand({
        TableName: this.tableName,
        Key: marshallKey(keys.plan(planId)),
        ConsistentRead: true,
      }),
    );
    return Item?.plan?.S ? (JSON.parse(Item.plan.S) as ActionPlan) : undefined;
  }

  async list(): Promise<ActionPlan[]> {
    const plans: ActionPlan[] = [];
    let start: Record<string, AttributeValue> | undefined;
    do {
      const page = await this.client.send(
        new QueryCommand({
          TableName: this.tableName,
          IndexName: 'gsi1',
          KeyConditionExpression: 'gsi1pk = :pk',
          ExpressionAttributeValues: { ':pk': { S: PLANS_INDEX_PK } },
          ScanIndexForward: false,
          ExclusiveStartKey: start,
        }),
      );
      for (const item of page.Items ?? [])
        if (item.plan?.S) plans.push(JSON.parse(item.plan.S) as ActionPlan);
      start = page.LastEvaluatedKey;
    } while (start);
    return plans;
  }
}

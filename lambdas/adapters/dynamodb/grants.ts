import {
  type AttributeValue,
  BatchGetItemCommand,
  DeleteItemCommand,
  type DynamoDBClient,
  PutItemCommand,
  QueryCommand,
} from '@aws-sdk/client-dynamodb';
import { marshall, unmarshall } from '@aws-sdk/util-dynamodb';
import type { GrantStore } from '#access/ports.ts';
import type { Grant } from '#access/rules/grants.ts';
import { GRANTS_PK, keys } from './keys.ts';
import { conditional } from './records.ts';
import { marshallKey } from './surveys.ts';

const grantOf = (item: Record<string, unknown>): Grant => ({
  subject: String(item.subject),
  places: (item.places as string[] | undefined) ?? [],
  updatedAt: String(item.updatedAt),
  updatedBy: String(item.updatedBy),
});

/** Grants are items of one partition (`ACCESS`), `GRANT#<subject>`: one Query lists them, one BatchGet reads a caller's. */
export class DynamoGrantStore implements GrantStore {
  constructor(
    private readonly client: DynamoDBClient,
    private readonly tableName: string,
  ) {}

  async of(subjects: readonly string[]): Promise<Grant[]> {
    const unique = [...new Set(subjects)].slice(0, 100);
    if (unique.length === 0) return [];
    const { Responses } = await this.client.send(
      new BatchGetItemCommand({
        RequestItems: {
          [this.tableName]: { Keys: unique.map((s) => marshallKey(keys.grant(s))), ConsistentRead: true },
        },
      }),
    );
    return (Responses?.[this.tableName] ?? []).map((item) => grantOf(unmarshall(item)));
  }

  async list(): Promise<Grant[]> {
    const grants: Grant[] = [];
    let start: Record<string, AttributeValue> | undefined;
    do {
      const page = await this.client.send(
        new QueryCommand({
          TableName: this.tableName,
          KeyConditionExpression: 'pk = :pk AND begins_with(sk, :sk)',
          ExpressionAttributeValues: { ':pk': { S: GRANTS_PK }, ':sk': { S: 'GRANT#' } },
          ExclusiveStartKey: start,
          ConsistentRead: true,
        }),
      );
      for (const item of page.Items ?? []) grants.push(grantOf(unmarshall(item)));
      start = page.LastEvaluatedKey;
    } while (start);
    return grants;
  }

  async put(grant: Grant): Promise<void> {
    await this.client.send(
      new PutItemCommand({
        TableName: this.tableName,
        Item: marshall({ ...keys.grant(grant.subject), type: 'grant', ...grant, places: [...grant.places] }),
      }),
    );
  }

  remove(subject: string): Promise<boolean> {
    return conditional(
      this.client.send(
        new DeleteItemCommand({
          TableName: this.tableName,
          Key: marshallKey(keys.grant(subject)),
          ConditionExpression: 'attribute_exists(pk)',
        }),
      ),
    );
  }
}

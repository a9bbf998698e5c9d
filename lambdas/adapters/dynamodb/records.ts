import {
  type AttributeValue,
  ConditionalCheckFailedException,
  type DynamoDBClient,
  GetItemCommand,
  PutItemCommand,
  QueryCommand,
} from '@aws-sdk/client-dynamodb';
import { marshall, unmarshall } from '@aws-sdk/util-dynamodb';
import { marshallKey } from './surveys.ts';

/**
 * What the stores of records kept one item each (campaigns, exports, share links) share: made once, read back
 * consistently, listed newest first through gsi1, and conditional writes that say whether they were made.
 */

/** True when the write was made, false when its condition failed; any other error is thrown. */
export async function conditional(write: Promise<unknown>): Promise<boolean> {
  try {
    await write;
    return true;
  } catch (err) {
    if (err instanceof ConditionalCheckFailedException) return false;
    throw err;
  }
}

/** Writes an item that must not exist yet: a second one under its key fails (ConditionalCheckFailedException). */
export async function putNew(client: DynamoDBClient, tableName: string, item: Record<string, unknown>) {
  await client.send(
    new PutItemCommand({
      TableName: tableName,
      Item: marshall(item, { removeUndefinedValues: true }),
      ConditionExpression: 'attribute_not_exists(pk)',
    }),
  );
}

/** An item read consistently (what was just written is there), unmarshalled. */
export async function getItem(
  client: DynamoDBClient,
  tableName: string,
  key: { pk: string; sk: string },
): Promise<Record<string, unknown> | undefined> {
  const { Item } = await client.send(
    new GetItemCommand({ TableName: tableName, Key: marshallKey(key), ConsistentRead: true }),
  );
  return Item ? unmarshall(Item) : undefined;
}

/** The items of a gsi1 partition, newest (highest gsi1sk) first: the first `limit`, or every page. */
export async function newestOf(
  client: DynamoDBClient,
  tableName: string,
  gsi1pk: string,
  limit?: number,
): Promise<Record<string, unknown>[]> {
  const items: Record<string, unknown>[] = [];
  let start: Record<string, AttributeValue> | undefined;
  do {
    const page = await client.send(
      new QueryCommand({
        TableName: tableName,
        IndexName: 'gsi1',
        KeyConditionExpression: 'gsi1pk = :pk',
        ExpressionAttributeValues: { ':pk': { S: gsi1pk } },
        ScanIndexForward: false,
        ...(limit === undefined ? {} : { Limit: limit }),
        ExclusiveStartKey: start,
      }),
    );
    for (const item of page.Items ?? []) items.push(unmarshall(item));
    start = limit === undefined ? page.LastEvaluatedKey : undefined;
  } while (start);
  return items;
}

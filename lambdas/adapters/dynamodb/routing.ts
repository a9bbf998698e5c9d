import { type DynamoDBClient, GetItemCommand, PutItemCommand } from '@aws-sdk/client-dynamodb';
import type { RoutingStore } from '#loop/ports.ts';
import { type RoutingTable, routingTableSchema } from '#loop/rules/routing.ts';
import { keys } from './keys.ts';
import { marshallKey } from './surveys.ts';

/** The routing table as one item (JSON); each container keeps it for `ttlMs`, as it changes rarely. */
export class DynamoRoutingStore implements RoutingStore {
  private cached?: { at: number; table: RoutingTable };
  constructor(
    private readonly client: DynamoDBClient,
    private readonly tableName: string,
    private readonly ttlMs = 30_000,
  ) {}

  async get(): Promise<RoutingTable> {
    if (this.cached && Date.now() - this.cached.at < this.ttlMs) return this.cached.table;
    const { Item } = await this.client.send(
      new GetItemCommand({
        TableName: this.tableName,
        Key: marshallKey(keys.routing()),
        ConsistentRead: true,
      }),
    );
    const table = Item?.table?.S ? routingTableSchema.parse(JSON.parse(Item.table.S)) : { routes: [] };
    this.cached = { at: Date.now(), table };
    return table;
  }

  async put(table: RoutingTable): Promise<void> {
    await this.client.send(
      new PutItemCommand({
        TableName: this.tableName,
        Item: {
          ...marshallKey(keys.routing()),
          type: { S: 'routing' },
          table: { S: JSON.stringify(table) },
          updatedAt: { S: new Date().toISOString() },
        },
      }),
    );
    this.cached = { at: Date.now(), table };
  }
}

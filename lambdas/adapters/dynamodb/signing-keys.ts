import { randomBytes } from 'node:crypto';
import {
  ConditionalCheckFailedException,
  type DynamoDBClient,
  GetItemCommand,
  PutItemCommand,
} from '@aws-sdk/client-dynamodb';
import type { SigningKeyStore } from '#kernel/ports.ts';
import { keys } from './keys.ts';
import { marshallKey } from './surveys.ts';

/**
 * Secret keys kept in the (encrypted) table, so they work the same locally and on AWS and need no secrets
 * service: created at random on first use with a conditional put (the first writer wins, the others read its
 * key), and cached for the life of the container, since a key never changes once made.
 */
export class DynamoSigningKeyStore implements SigningKeyStore {
  private readonly cache = new Map<string, Promise<Buffer>>();
  constructor(
    private readonly client: DynamoDBClient,
    private readonly tableName: string,
  ) {}

  get(name: string): Promise<Buffer> {
    let key = this.cache.get(name);
    if (!key) {
      key = this.load(name);
      // A failed read is not cached: the next request tries again.
      key.catch(() => this.cache.delete(name));
      this.cache.set(name, key);
    }
    return key;
  }

  private async load(name: string): Promise<Buffer> {
    const stored = await this.read(name);
    if (stored) return stored;
    const key = randomBytes(32);
    try {
      await this.client.send(
        new PutItemCommand({
          TableName: this.tableName,
          Item: {
            ...marshallKey(keys.signingKey(name)),
            type: { S: 'signing-key' },
            key: { B: key },
            createdAt: { S: new Date().toISOString() },
          },
          ConditionExpression: 'attribute_not_exists(pk)',
        }),
      );
      return key;
    } catch (err) {
      if (!(err instanceof ConditionalCheckFailedException)) throw err;
      const winner = await this.read(name);
      if (!winner) throw err;
      return winner;
    }
  }

  private async read(name: string): Promise<Buffer | undefined> {
    const { Item } = await this.client.send(
      new GetItemCommand({
        TableName: this.tableName,
        Key: marshallKey(keys.signingKey(name)),
        ConsistentRead: true,
      }),
    );
    return Item?.key?.B ? Buffer.from(Item.key.B) : undefined;
  }
}

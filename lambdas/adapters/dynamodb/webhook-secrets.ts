import { type DynamoDBClient, GetItemCommand, PutItemCommand } from '@aws-sdk/client-dynamodb';
import type { WebhookSecretStore } from '#capture/ports.ts';
import { keys } from './keys.ts';
import { marshallKey } from './surveys.ts';

/** Per-source signing secrets, kept in the (encrypted) table so they work the same locally and on AWS. */
export class DynamoWebhookSecretStore implements WebhookSecretStore {
  private readonly cache = new Map<string, { at: number; secrets: string[] }>();
  constructor(
    private readonly client: DynamoDBClient,
    private readonly tableName: string,
    private readonly ttlMs = 60_000,
  ) {}

  async get(source: string): Promise<string[] | undefined> {
    const hit = this.cache.get(source);
    if (hit && Date.now() - hit.at < this.ttlMs) return hit.secrets;
    const { Item } = await this.client.send(
      new GetItemCommand({ TableName: this.tableName, Key: marshallKey(keys.webhookSecret(source)) }),
    );
    const secrets = Item?.secrets?.SS;
    if (secrets) this.cache.set(source, { at: Date.now(), secrets });
    return secrets;
  }

  async put(source: string, secrets: string[]): Promise<void> {
    await this.client.send(
      new PutItemCommand({
        TableName: this.tableName,
        Item: {
          ...marshallKey(keys.webhookSecret(source)),
          type: { S: 'webhook-secret' },
          secrets: { SS: secrets },
          updatedAt: { S: new Date().toISOString() },
        },
      }),
    );
    this.cache.delete(source);
  }
}

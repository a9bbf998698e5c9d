import { DeleteItemCommand, type DynamoDBClient, PutItemCommand } from '@aws-sdk/client-dynamodb';
import { marshall } from '@aws-sdk/util-dynamodb';
import type { WebhookSourceStore } from '#capture/ports.ts';
import { WEBHOOK_KINDS, type WebhookSecret, type WebhookSource } from '#capture/rules/webhook.ts';
import { keys } from './keys.ts';
import { conditional, getItem, newestOf } from './records.ts';
import { marshallKey } from './surveys.ts';

const LIST = 'WEBHOOKS';

/**
 * Webhook sources with their signing secrets, kept in the (encrypted) table so they work the same locally and on
 * AWS. Read on every request (one strongly consistent read, 1 read unit): a rotation or a deletion applies to the
 * next request. Items of earlier releases (`secrets`, a string set, and no kind) read as standard sources.
 */
export class DynamoWebhookSourceStore implements WebhookSourceStore {
  constructor(
    private readonly client: DynamoDBClient,
    private readonly tableName: string,
  ) {}

  async get(name: string): Promise<WebhookSource | undefined> {
    const item = await getItem(this.client, this.tableName, keys.webhookSecret(name));
    return item ? sourceOf(name, item) : undefined;
  }

  async list(): Promise<WebhookSource[]> {
    const items = await newestOf(this.client, this.tableName, LIST);
    return items
      .flatMap((item) => {
        const source = sourceOf(String(item.name ?? ''), item);
        return source ? [source] : [];
      })
      .sort((a, b) => a.name.localeCompare(b.name));
  }

  async create(source: WebhookSource): Promise<boolean> {
    return conditional(this.write(source, 'attribute_not_exists(pk)'));
  }

  async put(source: WebhookSource): Promise<void> {
    await this.write(source);
  }

  async delete(name: string): Promise<boolean> {
    return conditional(
      this.client.send(
        new DeleteItemCommand({
          TableName: this.tableName,
          Key: marshallKey(keys.webhookSecret(name)),
          ConditionExpression: 'attribute_exists(pk)',
        }),
      ),
    );
  }

  private async write(source: WebhookSource, condition?: string) {
    await this.client.send(
      new PutItemCommand({
        TableName: this.tableName,
        Item: marshall(
          {
            ...keys.webhookSecret(source.name),
            type: 'webhook-source',
            gsi1pk: LIST,
            gsi1sk: source.name,
            ...source,
          },
          { removeUndefinedValues: true },
        ),
        ...(condition ? { ConditionExpression: condition } : {}),
      }),
    );
  }
}

function sourceOf(name: string, item: Record<string, unknown>): WebhookSource | undefined {
  const updatedAt = typeof item.updatedAt === 'string' ? item.updatedAt : new Date(0).toISOString();
  const secrets: WebhookSecret[] = Array.isArray(item.secrets)
    ? (item.secrets as WebhookSecret[])
    : item.secrets instanceof Set
      ? [...(item.secrets as Set<string>)].map((value) => ({ value, addedAt: updatedAt }))
      : [];
  const kind = WEBHOOK_KINDS.find((k) => k === item.kind) ?? 'standard';
  // Every source but an sms one signs with a secret: one without is not a source (yet).
  if (secrets.length === 0 && kind !== 'sms') return undefined;
  const text = (key: string) => (typeof item[key] === 'string' ? { [key]: item[key] as string } : {});
  return {
    name,
    kind,
    ...text('url'),
    ...text('surveyId'),
    ...text('ratingQuestion'),
    ...text('commentQuestion'),
    ...text('phoneNumberId'),
    ...text('phoneNumber'),
    ...text('verifyToken'),
    ...text('accessToken'),
    ...text('graphApiUrl'),
    ...(item.templates && typeof item.templates === 'object'
      ? { templates: item.templates as NonNullable<WebhookSource['templates']> }
      : {}),
    ...(typeof item.quietMinutes === 'number' ? { quietMinutes: item.quietMinutes } : {}),
    secrets,
    createdAt: typeof item.createdAt === 'string' ? item.createdAt : updatedAt,
    updatedAt,
  };
}

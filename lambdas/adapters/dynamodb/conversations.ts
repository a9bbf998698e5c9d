import { type DynamoDBClient, PutItemCommand } from '@aws-sdk/client-dynamodb';
import { marshall } from '@aws-sdk/util-dynamodb';
import type { Conversation, ConversationStore } from '#conversations/ports.ts';
import { conditional, getItem } from './records.ts';

const DAY_S = 86_400;

/** One item per customer and business number: the conversation open now, or the last one. TTL 30 days past it. */
const keyOf = (phoneNumberId: string, customer: string) => ({
  pk: `CONVERSATION#${phoneNumberId}#${customer}`,
  sk: 'LATEST',
});

export class DynamoConversationStore implements ConversationStore {
  constructor(
    private readonly client: DynamoDBClient,
    private readonly tableName: string,
  ) {}

  async get(phoneNumberId: string, customer: string): Promise<Conversation | undefined> {
    const item = await getItem(this.client, this.tableName, keyOf(phoneNumberId, customer));
    if (!item) return undefined;
    const { pk: _p, sk: _s, type: _t, expiresAt: _e, ...conversation } = item;
    return conversation as unknown as Conversation;
  }

  async save(conversation: Conversation, expected: number | undefined): Promise<boolean> {
    const at = Date.parse(conversation.lastInboundAt ?? conversation.startedAt);
    return conditional(
      this.client.send(
        new PutItemCommand({
          TableName: this.tableName,
          Item: marshall(
            {
              ...keyOf(conversation.phoneNumberId, conversation.customer),
              type: 'conversation',
              ...conversation,
              expiresAt: Math.floor(at / 1000) + 30 * DAY_S,
            },
            { removeUndefinedValues: true },
          ),
          ConditionExpression: expected === undefined ? 'attribute_not_exists(pk)' : 'version = :v',
          ...(expected === undefined ? {} : { ExpressionAttributeValues: { ':v': { N: String(expected) } } }),
        }),
      ),
    );
  }
}

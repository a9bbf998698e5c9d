import { type AttributeValue, type DynamoDBClient, PutItemCommand } from '@aws-sdk/client-dynamodb';
import { marshall, unmarshall } from '@aws-sdk/util-dynamodb';
import type { Conversation, ConversationStore } from '#conversations/ports.ts';
import { quietIndexPartitions, quietIndexPk } from './keys.ts';
import { dueInIndex } from './merge.ts';
import { conditional, getItem } from './records.ts';

const DAY_S = 86_400;

/** One item per customer and business number: the conversation open now, or the last one. TTL 30 days past it. */
const keyOf = (phoneNumberId: string, customer: string) => ({
  pk: `CONVERSATION#${phoneNumberId}#${customer}`,
  sk: 'LATEST',
});

function conversationOf(item: Record<string, unknown>): Conversation {
  const { pk: _p, sk: _s, type: _t, expiresAt: _e, gsi2pk: _g, gsi2sk: _k, ...conversation } = item;
  return conversation as unknown as Conversation;
}

export class DynamoConversationStore implements ConversationStore {
  constructor(
    private readonly client: DynamoDBClient,
    private readonly tableName: string,
  ) {}

  async get(phoneNumberId: string, customer: string): Promise<Conversation | undefined> {
    const item = await getItem(this.client, this.tableName, keyOf(phoneNumberId, customer));
    return item ? conversationOf(item) : undefined;
  }

  /** An open conversation is in the quiet index (gsi2) by its quietAt; the save of an ended one takes it out. */
  async save(conversation: Conversation, expected: number | undefined): Promise<boolean> {
    const at = Date.parse(conversation.lastInboundAt ?? conversation.startedAt);
    const key = keyOf(conversation.phoneNumberId, conversation.customer);
    const quiet =
      conversation.state.status === 'open' && conversation.quietAt
        ? { gsi2pk: quietIndexPk(key.pk), gsi2sk: conversation.quietAt }
        : {};
    return conditional(
      this.client.send(
        new PutItemCommand({
          TableName: this.tableName,
          Item: marshall(
            {
              ...key,
              type: 'conversation',
              ...conversation,
              ...quiet,
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

  async listQuiet(now: Date, limit: number): Promise<Conversation[]> {
    const items = await dueInIndex(
      this.client,
      this.tableName,
      quietIndexPartitions(),
      now.toISOString(),
      limit,
    );
    return items.map((item: Record<string, AttributeValue>) => conversationOf(unmarshall(item)));
  }
}

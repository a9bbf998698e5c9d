import {
  BatchWriteItemCommand,
  ConditionalCheckFailedException,
  DeleteItemCommand,
  type DynamoDBClient,
  GetItemCommand,
  QueryCommand,
  UpdateItemCommand,
} from '@aws-sdk/client-dynamodb';
import { marshall, unmarshall } from '@aws-sdk/util-dynamodb';
import type { ContactStore, FatigueStore } from '#invitations/ports.ts';
import type { Contact } from '#invitations/rules/contacts.ts';
import type { FatigueClaim } from '#invitations/rules/fatigue.ts';
import { quietUntil } from '#invitations/rules/fatigue.ts';
import { decodeCursor, encodeCursor } from './cursor.ts';

/** The contacts index partition: pages through every contact for campaign audiences. */
const CONTACTS_INDEX_PK = 'CONTACTS';

const contactKey = (contactId: string) => ({ pk: { S: `CONTACT#${contactId}` }, sk: { S: 'CONTACT' } });
const fatigueKey = (contactId: string) => ({ pk: { S: `CONTACT#${contactId}` }, sk: { S: 'FATIGUE' } });

export class DynamoContactStore implements ContactStore {
  constructor(
    private readonly client: DynamoDBClient,
    private readonly tableName: string,
  ) {}

  /** Writes contacts 25 at a time, retrying what DynamoDB leaves unprocessed. `keepDays` sets their TTL. */
  async putMany(contacts: readonly Contact[], keepDays?: number): Promise<void> {
    const expiresAt = keepDays ? Math.floor(Date.now() / 1000) + keepDays * 86_400 : undefined;
    for (let i = 0; i < contacts.length; i += 25) {
      let requests = contacts.slice(i, i + 25).map((c) => ({
        PutRequest: {
          Item: marshall(
            {
              ...unmarshall(contactKey(c.contactId)),
              type: 'contact',
              gsi1pk: CONTACTS_INDEX_PK,
              gsi1sk: c.contactId,
              ...c,
              updatedAt: new Date().toISOString(),
              expiresAt,
            },
            { removeUndefinedValues: true },
          ),
        },
      }));
      for (let attempt = 0; requests.length > 0; attempt++) {
        if (attempt > 8) throw new Error('DynamoDB kept contacts unprocessed');
        if (attempt > 0) await new Promise((r) => setTimeout(r, 50 * 2 ** attempt));
        const out = await this.client.send(
          new BatchWriteItemCommand({ RequestItems: { [this.tableName]: requests } }),
        );
        requests = (out.UnprocessedItems?.[this.tableName] ?? []) as typeof requests;
      }
    }
  }

  /** Erases the contact's personal data (the fatigue record, which holds none, stays so the quiet period holds). */
  async erase(contactId: string): Promise<void> {
    await this.client.send(new DeleteItemCommand({ TableName: this.tableName, Key: contactKey(contactId) }));
  }

  async get(contactId: string): Promise<Contact | undefined> {
    const { Item } = await this.client.send(
      new GetItemCommand({ TableName: this.tableName, Key: contactKey(contactId) }),
    );
    if (!Item) return undefined;
    return contactOf(Item);
  }

  async page(cursor: string | undefined, limit: number): Promise<{ contacts: Contact[]; cursor?: string }> {
    const out = await this.client.send(
      new QueryCommand({
        TableName: this.tableName,
        IndexName: 'gsi1',
        KeyConditionExpression: 'gsi1pk = :pk',
        ExpressionAttributeValues: { ':pk': { S: CONTACTS_INDEX_PK } },
        Limit: limit,
        ExclusiveStartKey: cursor ? decodeCursor(cursor) : undefined,
      }),
    );
    const contacts = (out.Items ?? []).map(contactOf);
    return out.LastEvaluatedKey ? { contacts, cursor: encodeCursor(out.LastEvaluatedKey) } : { contacts };
  }
}

function contactOf(item: Record<string, import('@aws-sdk/client-dynamodb').AttributeValue>): Contact {
  const {
    pk: _p,
    sk: _s,
    type: _t,
    gsi1pk: _g,
    gsi1sk: _h,
    updatedAt: _u,
    expiresAt: _e,
    ...contact
  } = unmarshall(item);
  return contact as Contact;
}

export class DynamoFatigueStore implements FatigueStore {
  constructor(
    private readonly client: DynamoDBClient,
    private readonly tableName: string,
  ) {}

  async claim(claim: FatigueClaim): Promise<boolean> {
    const until = Math.floor(quietUntil(claim).getTime() / 1000);
    try {
      await this.client.send(
        new UpdateItemCommand({
          TableName: this.tableName,
          Key: fatigueKey(claim.contactId),
          UpdateExpression:
            'SET #t = :type, quietUntil = :until, claimedBy = :by, claimedAt = :at, expiresAt = :until',
          // The one write that decides: a resting contact cannot be claimed by a second campaign, however close the
          // race. The same invitation may claim again (a redelivery after a crash).
          ConditionExpression: 'attribute_not_exists(quietUntil) OR quietUntil <= :now OR claimedBy = :by',
          ExpressionAttributeNames: { '#t': 'type' },
          ExpressionAttributeValues: {
            ':type': { S: 'fatigue' },
            ':until': { N: String(until) },
            ':by': { S: claim.by },
            ':at': { S: claim.at.toISOString() },
            ':now': { N: String(Math.floor(claim.at.getTime() / 1000)) },
          },
        }),
      );
      return true;
    } catch (err) {
      if (err instanceof ConditionalCheckFailedException) return false;
      throw err;
    }
  }
}

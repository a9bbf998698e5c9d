import {
  type AttributeValue,
  DeleteItemCommand,
  type DynamoDBClient,
  GetItemCommand,
  PutItemCommand,
  QueryCommand,
  UpdateItemCommand,
} from '@aws-sdk/client-dynamodb';
import { marshall, unmarshall } from '@aws-sdk/util-dynamodb';
import type {
  CampaignStore,
  InvitationStore,
  InvitationTransition,
  SuppressionStore,
} from '#invitations/ports.ts';
import type {
  Campaign,
  Invitation,
  InvitationEvent,
  Milestone,
  ReminderState,
  SuppressionReason,
} from '#invitations/rules/campaigns.ts';
import { decodeCursor, encodeCursor } from './cursor.ts';
import { CAMPAIGNS_INDEX_PK, keys } from './keys.ts';
import { conditional, getItem, newestOf, putNew } from './records.ts';
import { marshallKey } from './surveys.ts';

const strip = ({ pk: _p, sk: _s, type: _t, gsi1pk: _g, gsi1sk: _h, ...rest }: Record<string, unknown>) =>
  rest;

export class DynamoCampaignStore implements CampaignStore {
  constructor(
    private readonly client: DynamoDBClient,
    private readonly tableName: string,
  ) {}

  async create(campaign: Campaign): Promise<void> {
    await putNew(this.client, this.tableName, {
      ...keys.campaign(campaign.campaignId),
      type: 'campaign',
      gsi1pk: CAMPAIGNS_INDEX_PK,
      gsi1sk: `${campaign.createdAt}#${campaign.campaignId}`,
      ...campaign,
    });
  }

  async get(campaignId: string): Promise<Campaign | undefined> {
    const item = await getItem(this.client, this.tableName, keys.campaign(campaignId));
    return item ? (strip(item) as unknown as Campaign) : undefined;
  }

  async list(): Promise<Campaign[]> {
    const items = await newestOf(this.client, this.tableName, CAMPAIGNS_INDEX_PK);
    return items.map((item) => strip(item) as unknown as Campaign);
  }

  start(campaignId: string, at: Date): Promise<boolean> {
    return conditional(
      this.client.send(
        new UpdateItemCommand({
          TableName: this.tableName,
          Key: marshallKey(keys.campaign(campaignId)),
          UpdateExpression: 'SET #s = :sending, startedAt = :at',
          ConditionExpression: '#s = :draft',
          ExpressionAttributeNames: { '#s': 'status' },
          ExpressionAttributeValues: {
            ':sending': { S: 'sending' },
            ':draft': { S: 'draft' },
            ':at': { S: at.toISOString() },
          },
        }),
      ),
    );
  }

  audiencePageDone(campaignId: string, page: number, last: boolean): Promise<boolean> {
    return conditional(
      this.client.send(
        new UpdateItemCommand({
          TableName: this.tableName,
          Key: marshallKey(keys.campaign(campaignId)),
          UpdateExpression: 'SET audiencePages = :next, audienceDone = :last',
          ConditionExpression: 'audiencePages = :page',
          ExpressionAttributeValues: {
            ':page': { N: String(page) },
            ':next': { N: String(page + 1) },
            ':last': { BOOL: last },
          },
        }),
      ),
    );
  }
}

/** Invitations live in their campaign's partition, so one Query pages through a campaign. */
export class DynamoInvitationStore implements InvitationStore {
  constructor(
    private readonly client: DynamoDBClient,
    private readonly tableName: string,
    /** Parallel conditional puts when writing a page of invitations. */
    private readonly concurrency = 16,
  ) {}

  async createMissing(invitations: readonly Invitation[]): Promise<void> {
    let next = 0;
    const worker = async () => {
      for (let inv = invitations[next++]; inv; inv = invitations[next++]) {
        await conditional(
          this.client.send(
            new PutItemCommand({
              TableName: this.tableName,
              Item: marshall(
                { ...keys.invitation(inv.campaignId, inv.contactId), type: 'invitation', ...inv },
                { removeUndefinedValues: true },
              ),
              // A redelivered audience page leaves existing invitations as they are.
              ConditionExpression: 'attribute_not_exists(pk)',
            }),
          ),
        );
      }
    };
    await Promise.all(Array.from({ length: Math.min(this.concurrency, invitations.length) }, worker));
  }

  async get(campaignId: string, contactId: string): Promise<Invitation | undefined> {
    const { Item } = await this.client.send(
      new GetItemCommand({
        TableName: this.tableName,
        Key: marshallKey(keys.invitation(campaignId, contactId)),
        ConsistentRead: true,
      }),
    );
    return Item ? (strip(unmarshall(Item)) as unknown as Invitation) : undefined;
  }

  transition(campaignId: string, contactId: string, t: InvitationTransition): Promise<boolean> {
    const sets = ['#state = :to', '#event = :event', 'eventAt = :at'];
    const values: Record<string, AttributeValue> = {
      ':to': { S: t.to },
      ':event': { S: t.event },
      ':at': { S: t.at.toISOString() },
    };
    const from = t.from.map((s, i) => {
      values[`:from${i}`] = { S: s };
      return `:from${i}`;
    });
    if (t.reason) {
      sets.push('reason = :reason');
      values[':reason'] = { S: t.reason };
    }
    if (t.messageId) {
      sets.push('messageId = :mid, sentAt = :at');
      values[':mid'] = { S: t.messageId };
    }
    if (t.leaseUntil) {
      sets.push('leaseUntil = :lease');
      values[':lease'] = { S: t.leaseUntil.toISOString() };
    }
    return conditional(
      this.client.send(
        new UpdateItemCommand({
          TableName: this.tableName,
          Key: marshallKey(keys.invitation(campaignId, contactId)),
          UpdateExpression: `SET ${sets.join(', ')}${t.leaseUntil ? '' : ' REMOVE leaseUntil'}`,
          ConditionExpression: `#state IN (${from.join(', ')})`,
          ExpressionAttributeNames: { '#state': 'state', '#event': 'event' },
          ExpressionAttributeValues: values,
        }),
      ),
    );
  }

  reminder(
    campaignId: string,
    contactId: string,
    from: ReminderState | undefined,
    to: ReminderState | undefined,
    event: InvitationEvent,
    at: Date,
  ): Promise<boolean> {
    const values: Record<string, AttributeValue> = { ':event': { S: event }, ':at': { S: at.toISOString() } };
    if (from) values[':from'] = { S: from };
    if (to) values[':to'] = { S: to };
    return conditional(
      this.client.send(
        new UpdateItemCommand({
          TableName: this.tableName,
          Key: marshallKey(keys.invitation(campaignId, contactId)),
          UpdateExpression: `SET #event = :event, eventAt = :at${to ? ', reminderState = :to' : ' REMOVE reminderState'}`,
          ConditionExpression: from
            ? 'reminderState = :from'
            : 'attribute_exists(pk) AND attribute_not_exists(reminderState)',
          ExpressionAttributeNames: { '#event': 'event' },
          ExpressionAttributeValues: values,
        }),
      ),
    );
  }

  milestone(campaignId: string, contactId: string, milestone: Milestone, at: Date): Promise<boolean> {
    const attribute = `${milestone}At`;
    return conditional(
      this.client.send(
        new UpdateItemCommand({
          TableName: this.tableName,
          Key: marshallKey(keys.invitation(campaignId, contactId)),
          UpdateExpression: 'SET #m = :at, #event = :event, eventAt = :at',
          ConditionExpression: 'attribute_exists(pk) AND attribute_not_exists(#m)',
          ExpressionAttributeNames: { '#m': attribute, '#event': 'event' },
          ExpressionAttributeValues: { ':at': { S: at.toISOString() }, ':event': { S: milestone } },
        }),
      ),
    );
  }

  async page(campaignId: string, cursor?: string): Promise<{ items: Invitation[]; cursor?: string }> {
    const out = await this.client.send(
      new QueryCommand({
        TableName: this.tableName,
        KeyConditionExpression: 'pk = :pk AND begins_with(sk, :inv)',
        ExpressionAttributeValues: {
          ':pk': { S: keys.campaign(campaignId).pk },
          ':inv': { S: 'INV#' },
        },
        Limit: 1000,
        ExclusiveStartKey: cursor ? decodeCursor(cursor) : undefined,
      }),
    );
    const items = (out.Items ?? []).map((i) => strip(unmarshall(i)) as unknown as Invitation);
    return out.LastEvaluatedKey ? { items, cursor: encodeCursor(out.LastEvaluatedKey) } : { items };
  }
}

/** One item per suppressed contact, next to the contact; it holds no personal data and outlives an erase. */
export class DynamoSuppressionStore implements SuppressionStore {
  constructor(
    private readonly client: DynamoDBClient,
    private readonly tableName: string,
  ) {}

  async suppress(contactId: string, reason: SuppressionReason, at: Date): Promise<void> {
    await conditional(
      this.client.send(
        new PutItemCommand({
          TableName: this.tableName,
          Item: marshall({
            ...keys.suppression(contactId),
            type: 'suppression',
            contactId,
            reason,
            at: at.toISOString(),
          }),
          ConditionExpression: 'attribute_not_exists(pk)',
        }),
      ),
    );
  }

  async reasonFor(contactId: string): Promise<SuppressionReason | undefined> {
    const { Item } = await this.client.send(
      new GetItemCommand({ TableName: this.tableName, Key: marshallKey(keys.suppression(contactId)) }),
    );
    return Item?.reason?.S as SuppressionReason | undefined;
  }

  lift(contactId: string, reason: SuppressionReason): Promise<boolean> {
    return conditional(
      this.client.send(
        new DeleteItemCommand({
          TableName: this.tableName,
          Key: marshallKey(keys.suppression(contactId)),
          ConditionExpression: '#reason = :reason',
          ExpressionAttributeNames: { '#reason': 'reason' },
          ExpressionAttributeValues: { ':reason': { S: reason } },
        }),
      ),
    );
  }
}

import {
  ConditionalCheckFailedException,
  type DynamoDBClient,
  UpdateItemCommand,
} from '@aws-sdk/client-dynamodb';
import { marshall, unmarshall } from '@aws-sdk/util-dynamodb';
import type { ShareLinkStore } from '#insight/ports.ts';
import type { ShareLink } from '#insight/rules/share-links.ts';
import { keys, shareLinksIndexPk } from './keys.ts';
import { conditional, getItem, newestOf, putNew } from './records.ts';
import { marshallKey } from './surveys.ts';

/** An expired link stays listed (as expired) this long, then goes. */
const KEPT_AFTER_EXPIRY_S = 30 * 86_400;

/**
 * The stored item of a share link: the link's own expiry is `linkExpiresAt`, since `expiresAt` is the table's TTL
 * (epoch seconds), which removes the item 30 days after the link stopped working.
 */
export function shareLinkItem(link: ShareLink) {
  const { expiresAt, ...rest } = link;
  return {
    ...keys.shareLink(link.linkId),
    type: 'share-link',
    gsi1pk: shareLinksIndexPk(link.surveyId),
    gsi1sk: `${link.createdAt}#${link.linkId}`,
    ...rest,
    linkExpiresAt: expiresAt,
    expiresAt: Math.floor(Date.parse(expiresAt) / 1000) + KEPT_AFTER_EXPIRY_S,
  };
}

function linkFromItem(item: Record<string, unknown>): ShareLink {
  const { pk: _p, sk: _s, type: _t, gsi1pk: _g, gsi1sk: _k, expiresAt: _e, linkExpiresAt, ...link } = item;
  return { ...link, expiresAt: linkExpiresAt } as unknown as ShareLink;
}

/** Share links, one item each, listed per survey through gsi1; a minute's views are a counter item beside the link. */
export class DynamoShareLinkStore implements ShareLinkStore {
  constructor(
    private readonly client: DynamoDBClient,
    private readonly tableName: string,
  ) {}

  async create(link: ShareLink): Promise<void> {
    await putNew(this.client, this.tableName, shareLinkItem(link));
  }

  async get(linkId: string): Promise<ShareLink | undefined> {
    const item = await getItem(this.client, this.tableName, keys.shareLink(linkId));
    return item ? linkFromItem(item) : undefined;
  }

  async listOf(surveyId: string, limit: number): Promise<ShareLink[]> {
    return (await newestOf(this.client, this.tableName, shareLinksIndexPk(surveyId), limit)).map(
      linkFromItem,
    );
  }

  async revoke(linkId: string, by: string, at: string): Promise<ShareLink | undefined> {
    try {
      const { Attributes } = await this.client.send(
        new UpdateItemCommand({
          TableName: this.tableName,
          Key: marshallKey(keys.shareLink(linkId)),
          UpdateExpression: 'SET revokedAt = :at, revokedBy = :by',
          ConditionExpression: 'attribute_exists(pk) AND attribute_not_exists(revokedAt)',
          ExpressionAttributeValues: marshall({ ':at': at, ':by': by }),
          ReturnValues: 'ALL_NEW',
        }),
      );
      return Attributes ? linkFromItem(unmarshall(Attributes)) : undefined;
    } catch (err) {
      // Not there, or revoked already: what is stored says which.
      if (err instanceof ConditionalCheckFailedException) return this.get(linkId);
      throw err;
    }
  }

  countView(linkId: string, minute: string, limit: number): Promise<boolean> {
    return conditional(
      this.client.send(
        new UpdateItemCommand({
          TableName: this.tableName,
          Key: marshallKey(keys.shareViews(linkId, minute)),
          UpdateExpression: 'ADD n :one SET expiresAt = :expires, #type = :type',
          ConditionExpression: 'attribute_not_exists(n) OR n < :limit',
          ExpressionAttributeNames: { '#type': 'type' },
          ExpressionAttributeValues: {
            ':one': { N: '1' },
            ':limit': { N: String(limit) },
            ':type': { S: 'share-views' },
            // Gone a minute after its minute ends.
            ':expires': { N: String(Math.floor(Date.parse(`${minute}:00Z`) / 1000) + 120) },
          },
        }),
      ),
    );
  }
}

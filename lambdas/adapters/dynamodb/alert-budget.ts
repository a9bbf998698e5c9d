import {
  type AttributeValue,
  ConditionalCheckFailedException,
  type DynamoDBClient,
  QueryCommand,
  UpdateItemCommand,
  type UpdateItemCommandInput,
} from '@aws-sdk/client-dynamodb';
import { LOCALES, type Locale } from '#kernel/survey.ts';
import type { AlertBudgetStore } from '#loop/ports.ts';
import { type Admission, DIGEST_LISTED, hourOf, type PendingDigest } from '#loop/rules/digests.ts';
import { DIGESTS_INDEX_PK, keys } from './keys.ts';
import { marshallKey } from './surveys.ts';

const HOUR = 3_600_000;
const isLocale = (x: string | undefined): x is Locale => (LOCALES as readonly string[]).includes(x ?? '');

/**
 * One item per owner and hour, bounded whatever the hour's volume: `cases`, the ids sent one by one (at most
 * `limit`, so a retry of a sent case is sent again and counts nothing); `digested`, the first DIGEST_LISTED ids past
 * the budget (a set, so a retry of a listed case changes nothing); `more`, a count of the others.
 *
 * Why bounded: a write costs a write unit per KB of the larger of the item before and after, and the item is
 * projected whole into gsi2 (the DIGEST index), where each digest write is paid again. Keeping every case id of the
 * hour (20 characters each, twice for a digested case: 40 bytes) made the 500th admit of an hour cost 80 units
 * (20 KB, table and index), and the item passed DynamoDB's 400 KB at about 10,200 cases, after which every admit
 * failed and case alerts stopped. Now, with a 25-character owner email: keys, owner, hour, expiry, index keys and
 * locale ~ 250 bytes; 10 sent ids ~ 205; 20 listed ids ~ 410; `more` ~ 8: about 850 bytes (measured on DynamoDB
 * Local), one write unit. An owner email past about 80 characters, or a limit past about 18, makes it two; the
 * sent ids grow with the limit (20 bytes each), so the item holds up to a limit of about 19,000.
 *
 * An admit within the budget is one conditional update (1 unit). Past it, that update fails (still 1 unit, no
 * index write) and returns the item, from which the second write is chosen: add to the listing or count one more
 * (1 unit, plus 1 in gsi2). A retried alert of a listed case, or of any case once the digest is sent, writes
 * nothing more. `more` is not idempotent: an alert retried after it was counted and before its case was marked
 * notified is counted again. Counting it exactly would need a marker per case written with the count (a
 * transaction with the case item, twice the units of both writes), for a figure shown only as "N more cases".
 */
export class DynamoAlertBudgetStore implements AlertBudgetStore {
  constructor(
    private readonly client: DynamoDBClient,
    private readonly tableName: string,
  ) {}

  async admit(owner: string, caseId: string, at: Date, limit: number, locale?: Locale): Promise<Admission> {
    const hour = hourOf(at);
    const key = marshallKey(keys.alertBudget(owner, hour));
    const sent = await this.update(key, {
      UpdateExpression: 'SET #t = :type, #o = :owner, #h = :hour, expiresAt = :exp ADD cases :case',
      ConditionExpression: 'attribute_not_exists(cases) OR size(cases) < :limit OR contains(cases, :id)',
      ExpressionAttributeNames: { '#t': 'type', '#o': 'owner', '#h': 'hour' },
      ExpressionAttributeValues: {
        ':type': { S: 'alert-budget' },
        ':owner': { S: owner },
        ':hour': { S: hour },
        ':exp': { N: String(Math.floor(Date.parse(hour) / 1000) + 2 * 86_400) },
        ':case': { SS: [caseId] },
        ':id': { S: caseId },
        ':limit': { N: String(limit) },
      },
    });
    if (sent === true) return 'send';
    // The hour's digest is gone already (a late retry): that case is sent on its own.
    if (sent.sentAt) return 'send';
    const listed = sent.digested?.SS ?? [];
    if (listed.includes(caseId)) return 'digest';

    const digest = {
      // Set on every digest write (not only the first), so the item is in the index however the hour went.
      set: `SET gsi2pk = :pk, gsi2sk = :due${locale ? ', #l = :locale' : ''}`,
      names: locale ? { '#l': 'locale' } : undefined,
      values: {
        ...(locale ? { ':locale': { S: locale } } : {}),
        ':pk': { S: DIGESTS_INDEX_PK },
        ':due': { S: `${new Date(Date.parse(hour) + HOUR).toISOString()}#${owner}` },
      },
    };
    if (listed.length < DIGEST_LISTED) {
      const added = await this.update(key, {
        UpdateExpression: `${digest.set} ADD digested :case`,
        ConditionExpression:
          'attribute_not_exists(sentAt) AND (attribute_not_exists(digested) OR size(digested) < :listed OR contains(digested, :id))',
        ExpressionAttributeNames: digest.names,
        ExpressionAttributeValues: {
          ...digest.values,
          ':case': { SS: [caseId] },
          ':id': { S: caseId },
          ':listed': { N: String(DIGEST_LISTED) },
        },
      });
      if (added === true) return 'digest';
      if (added.sentAt) return 'send';
      // Another alert filled the listing since: this one is counted.
    }
    const counted = await this.update(key, {
      UpdateExpression: `${digest.set} ADD more :one`,
      ConditionExpression: 'attribute_not_exists(sentAt)',
      ExpressionAttributeNames: digest.names,
      ExpressionAttributeValues: { ...digest.values, ':one': { N: '1' } },
    });
    return counted === true ? 'digest' : 'send';
  }

  /** One conditional update of the hour's item: true, or the item as it was when the condition failed. */
  private async update(
    key: Record<string, AttributeValue>,
    expression: Pick<
      UpdateItemCommandInput,
      'UpdateExpression' | 'ConditionExpression' | 'ExpressionAttributeNames' | 'ExpressionAttributeValues'
    >,
  ): Promise<true | Record<string, AttributeValue>> {
    try {
      await this.client.send(
        new UpdateItemCommand({
          TableName: this.tableName,
          Key: key,
          ...expression,
          ReturnValuesOnConditionCheckFailure: 'ALL_OLD',
        }),
      );
      return true;
    } catch (err) {
      if (err instanceof ConditionalCheckFailedException) return err.Item ?? {};
      throw err;
    }
  }

  async pendingDigests(now: Date): Promise<PendingDigest[]> {
    const digests: PendingDigest[] = [];
    let start: Record<string, AttributeValue> | undefined;
    do {
      const page = await this.client.send(
        new QueryCommand({
          TableName: this.tableName,
          IndexName: 'gsi2',
          KeyConditionExpression: 'gsi2pk = :pk AND gsi2sk <= :now',
          ExpressionAttributeValues: {
            ':pk': { S: DIGESTS_INDEX_PK },
            ':now': { S: `${now.toISOString()}~` },
          },
          ExclusiveStartKey: start,
        }),
      );
      for (const item of page.Items ?? [])
        digests.push({
          owner: item.owner?.S ?? '',
          hour: item.hour?.S ?? '',
          caseIds: [...(item.digested?.SS ?? [])].sort(),
          more: Number(item.more?.N ?? 0),
          ...(isLocale(item.locale?.S) ? { locale: item.locale.S } : {}),
        });
      start = page.LastEvaluatedKey;
    } while (start);
    return digests;
  }

  async markDigestSent(owner: string, hour: string, at: Date): Promise<boolean> {
    try {
      await this.client.send(
        new UpdateItemCommand({
          TableName: this.tableName,
          Key: marshallKey(keys.alertBudget(owner, hour)),
          UpdateExpression: 'SET sentAt = :at REMOVE gsi2pk, gsi2sk',
          ConditionExpression: 'attribute_exists(pk) AND attribute_not_exists(sentAt)',
          ExpressionAttributeValues: { ':at': { S: at.toISOString() } },
        }),
      );
      return true;
    } catch (err) {
      if (err instanceof ConditionalCheckFailedException) return false;
      throw err;
    }
  }
}

import {
  type AttributeValue,
  ConditionalCheckFailedException,
  type DynamoDBClient,
  QueryCommand,
  UpdateItemCommand,
} from '@aws-sdk/client-dynamodb';
import { LOCALES, type Locale } from '#kernel/survey.ts';
import type { AlertBudgetStore } from '#loop/ports.ts';
import { type Admission, hourOf, type PendingDigest } from '#loop/rules/digests.ts';
import { DIGESTS_INDEX_PK, keys } from './keys.ts';
import { marshallKey } from './surveys.ts';

const HOUR = 3_600_000;
const isLocale = (x: string | undefined): x is Locale => (LOCALES as readonly string[]).includes(x ?? '');

/** One item per owner and hour: the case ids counted (a set, so a retry counts nothing), and those digested. */
export class DynamoAlertBudgetStore implements AlertBudgetStore {
  constructor(
    private readonly client: DynamoDBClient,
    private readonly tableName: string,
  ) {}

  async admit(owner: string, caseId: string, at: Date, limit: number, locale?: Locale): Promise<Admission> {
    const hour = hourOf(at);
    const key = marshallKey(keys.alertBudget(owner, hour));
    const { Attributes } = await this.client.send(
      new UpdateItemCommand({
        TableName: this.tableName,
        Key: key,
        UpdateExpression: 'SET #t = :type, #o = :owner, #h = :hour, expiresAt = :exp ADD cases :case',
        ExpressionAttributeNames: { '#t': 'type', '#o': 'owner', '#h': 'hour' },
        ExpressionAttributeValues: {
          ':type': { S: 'alert-budget' },
          ':owner': { S: owner },
          ':hour': { S: hour },
          ':exp': { N: String(Math.floor(Date.parse(hour) / 1000) + 2 * 86_400) },
          ':case': { SS: [caseId] },
        },
        ReturnValues: 'ALL_NEW',
      }),
    );
    if ((Attributes?.cases?.SS?.length ?? 0) <= limit) return 'send';
    try {
      await this.client.send(
        new UpdateItemCommand({
          TableName: this.tableName,
          Key: key,
          UpdateExpression: `SET gsi2pk = :pk, gsi2sk = :due${locale ? ', #l = :locale' : ''} ADD digested :case`,
          // The hour's digest is gone already (a late retry): that case is sent on its own.
          ConditionExpression: 'attribute_not_exists(sentAt)',
          ExpressionAttributeNames: locale ? { '#l': 'locale' } : undefined,
          ExpressionAttributeValues: {
            ...(locale ? { ':locale': { S: locale } } : {}),
            ':pk': { S: DIGESTS_INDEX_PK },
            ':due': { S: `${new Date(Date.parse(hour) + HOUR).toISOString()}#${owner}` },
            ':case': { SS: [caseId] },
          },
        }),
      );
      return 'digest';
    } catch (err) {
      if (err instanceof ConditionalCheckFailedException) return 'send';
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

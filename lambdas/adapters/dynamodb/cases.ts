import {
  type AttributeValue,
  ConditionalCheckFailedException,
  type DynamoDBClient,
  GetItemCommand,
  PutItemCommand,
  QueryCommand,
  UpdateItemCommand,
} from '@aws-sdk/client-dynamodb';
import { marshall, unmarshall } from '@aws-sdk/util-dynamodb';
import type { CaseQuery, CaseStore } from '#loop/ports.ts';
import type { Case } from '#loop/rules/case.ts';
import { nextDueAt } from '#loop/rules/cases.ts';
import { decodeCursor, encodeCursor } from './cursor.ts';
import { CASES_INDEX_PK, DUE_INDEX_PK, keys } from './keys.ts';
import { marshallKey } from './surveys.ts';

/** Where a case stands in the due index (gsi2, sparse; see nextDueAt): absent when nothing is due. */
function dueKey(c: Case): string | undefined {
  const at = nextDueAt(c);
  return at ? `${at}#${c.caseId}` : undefined;
}

function caseItem(c: Case) {
  const due = dueKey(c);
  return {
    ...keys.case(c.caseId),
    type: 'case',
    gsi1pk: CASES_INDEX_PK,
    gsi1sk: `${c.openedAt}#${c.caseId}`,
    ...(due ? { gsi2pk: DUE_INDEX_PK, gsi2sk: due } : {}),
    ...c,
  };
}

function caseFromItem(item: Record<string, AttributeValue>): Case {
  const {
    pk: _pk,
    sk: _sk,
    type: _t,
    gsi1pk: _g,
    gsi1sk: _s,
    gsi2pk: _h,
    gsi2sk: _i,
    ...rest
  } = unmarshall(item);
  return rest as Case;
}

export class DynamoCaseStore implements CaseStore {
  constructor(
    private readonly client: DynamoDBClient,
    private readonly tableName: string,
  ) {}

  async openIfAbsent(c: Case): Promise<{ created: boolean; stored: Case }> {
    try {
      await this.client.send(
        new PutItemCommand({
          TableName: this.tableName,
          Item: marshall(caseItem(c), { removeUndefinedValues: true }),
          ConditionExpression: 'attribute_not_exists(pk)',
          ReturnValuesOnConditionCheckFailure: 'ALL_OLD',
        }),
      );
      return { created: true, stored: c };
    } catch (err) {
      if (err instanceof ConditionalCheckFailedException && err.Item) {
        return { created: false, stored: caseFromItem(err.Item) };
      }
      throw err;
    }
  }

  async get(caseId: string): Promise<Case | undefined> {
    const { Item } = await this.client.send(
      new GetItemCommand({
        TableName: this.tableName,
        Key: marshallKey(keys.case(caseId)),
        ConsistentRead: true,
      }),
    );
    return Item ? caseFromItem(Item) : undefined;
  }

  async save(c: Case): Promise<boolean> {
    const expected = (c.version ?? 1) - 1;
    try {
      await this.client.send(
        new PutItemCommand({
          TableName: this.tableName,
          Item: marshall(caseItem(c), { removeUndefinedValues: true }),
          // Cases written before versions had none: they count as version 0.
          ConditionExpression:
            'attribute_exists(pk) AND (#v = :v OR (attribute_not_exists(#v) AND :v = :zero))',
          ExpressionAttributeNames: { '#v': 'version' },
          ExpressionAttributeValues: { ':v': { N: String(expected) }, ':zero': { N: '0' } },
        }),
      );
      return true;
    } catch (err) {
      if (err instanceof ConditionalCheckFailedException) return false;
      throw err;
    }
  }

  async markNotified(caseId: string, at: string): Promise<boolean> {
    try {
      await this.client.send(
        new UpdateItemCommand({
          TableName: this.tableName,
          Key: marshallKey(keys.case(caseId)),
          // A change like any other: a save that read the case before this one must read it again.
          UpdateExpression:
            'SET notifiedAt = :at, notifiedTier = if_not_exists(notifiedTier, :zero) ADD version :one',
          ConditionExpression: 'attribute_exists(pk) AND attribute_not_exists(notifiedAt)',
          ExpressionAttributeValues: { ':at': { S: at }, ':zero': { N: '0' }, ':one': { N: '1' } },
        }),
      );
      return true;
    } catch (err) {
      if (err instanceof ConditionalCheckFailedException) return false;
      throw err;
    }
  }

  async markTierNotified(c: Case, at: string): Promise<boolean> {
    const told: Case = { ...c, notifiedTier: c.tier };
    const due = dueKey(told);
    try {
      await this.client.send(
        new UpdateItemCommand({
          TableName: this.tableName,
          Key: marshallKey(keys.case(c.caseId)),
          UpdateExpression: due
            ? 'SET notifiedTier = :tier, tierNotifiedAt = :at, gsi2sk = :due ADD version :one'
            : 'SET notifiedTier = :tier, tierNotifiedAt = :at ADD version :one REMOVE gsi2pk, gsi2sk',
          ConditionExpression: '#t = :tier AND (attribute_not_exists(notifiedTier) OR notifiedTier < :tier)',
          ExpressionAttributeNames: { '#t': 'tier' },
          ExpressionAttributeValues: {
            ':tier': { N: String(c.tier) },
            ':at': { S: at },
            ':one': { N: '1' },
            ...(due ? { ':due': { S: due } } : {}),
          },
        }),
      );
      return true;
    } catch (err) {
      if (err instanceof ConditionalCheckFailedException) return false;
      throw err;
    }
  }

  async openedSince(from: Date, surveyId?: string): Promise<Case[]> {
    const items: Case[] = [];
    let start: Record<string, AttributeValue> | undefined;
    do {
      const page = await this.client.send(
        new QueryCommand({
          TableName: this.tableName,
          IndexName: 'gsi1',
          KeyConditionExpression: 'gsi1pk = :pk AND gsi1sk >= :from',
          FilterExpression: surveyId ? 'surveyId = :survey' : undefined,
          ExpressionAttributeValues: {
            ':pk': { S: CASES_INDEX_PK },
            ':from': { S: from.toISOString() },
            ...(surveyId ? { ':survey': { S: surveyId } } : {}),
          },
          ExclusiveStartKey: start,
        }),
      );
      for (const item of page.Items ?? []) items.push(caseFromItem(item));
      start = page.LastEvaluatedKey;
    } while (start);
    return items;
  }

  async listDue(now: Date, limit: number): Promise<Case[]> {
    const out = await this.client.send(
      new QueryCommand({
        TableName: this.tableName,
        IndexName: 'gsi2',
        // `~` sorts after `#`: every key of an instant up to now, whatever its case id.
        KeyConditionExpression: 'gsi2pk = :pk AND gsi2sk <= :now',
        ExpressionAttributeValues: { ':pk': { S: DUE_INDEX_PK }, ':now': { S: `${now.toISOString()}~` } },
        Limit: limit,
      }),
    );
    return (out.Items ?? []).map(caseFromItem);
  }

  async list(query: CaseQuery): Promise<{ items: Case[]; cursor?: string }> {
    const filters: string[] = [];
    const names: Record<string, string> = {};
    const values: Record<string, AttributeValue> = { ':pk': { S: CASES_INDEX_PK } };
    if (query.surveyId) {
      filters.push('surveyId = :survey');
      values[':survey'] = { S: query.surveyId };
    }
    if (query.status) {
      filters.push('#s = :status');
      names['#s'] = 'status';
      values[':status'] = { S: query.status };
    }
    const items: Case[] = [];
    let start = query.cursor ? decodeCursor(query.cursor) : undefined;
    // Filters apply after the read, so keep reading until the page is full or the index ends.
    do {
      const page = await this.client.send(
        new QueryCommand({
          TableName: this.tableName,
          IndexName: 'gsi1',
          KeyConditionExpression: 'gsi1pk = :pk',
          FilterExpression: filters.length ? filters.join(' AND ') : undefined,
          ExpressionAttributeNames: Object.keys(names).length ? names : undefined,
          ExpressionAttributeValues: values,
          ScanIndexForward: false,
          Limit: query.limit,
          ExclusiveStartKey: start,
        }),
      );
      for (const item of page.Items ?? []) items.push(caseFromItem(item));
      start = page.LastEvaluatedKey;
    } while (start && items.length < query.limit);
    return start ? { items, cursor: encodeCursor(start) } : { items };
  }
}

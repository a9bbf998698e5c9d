import {
  type AttributeValue,
  BatchGetItemCommand,
  ConditionalCheckFailedException,
  type DynamoDBClient,
  GetItemCommand,
  PutItemCommand,
  QueryCommand,
  UpdateItemCommand,
} from '@aws-sdk/client-dynamodb';
import { marshall, unmarshall } from '@aws-sdk/util-dynamodb';
import type { Answer } from '#capture/rules/response.ts';
import type { CaseLookup } from '#insight/ports.ts';
import type { CaseQuery, CaseStore } from '#loop/ports.ts';
import type { Case } from '#loop/rules/case.ts';
import { caseIdOf, nextDueAt } from '#loop/rules/cases.ts';
import { cursorAfter, encodeCursor } from './cursor.ts';
import { caseIndexPartitions, caseIndexPk, dueIndexPartitions, dueIndexPk, keys } from './keys.ts';
import { dueInIndex, mergePartitions, sortKeyOf } from './merge.ts';
import { marshallKey } from './surveys.ts';

type Item = Record<string, AttributeValue>;

/** Where a case stands in the due index (gsi2, sparse; see nextDueAt): absent when nothing is due. */
function dueKey(c: Case): string | undefined {
  const at = nextDueAt(c);
  return at ? `${at}#${c.caseId}` : undefined;
}

/**
 * Every write of a case puts it in its shard of both indexes (keys.ts, INDEX_SHARDS), so a case of the
 * unsharded partitions of earlier releases (`CASES`, `DUE`, still read) moves to its shard when next written.
 */
function caseItem(c: Case) {
  const due = dueKey(c);
  return {
    ...keys.case(c.caseId),
    type: 'case',
    gsi1pk: caseIndexPk(c.caseId),
    gsi1sk: `${c.openedAt}#${c.caseId}`,
    ...(due ? { gsi2pk: dueIndexPk(c.caseId), gsi2sk: due } : {}),
    ...c,
  };
}

function caseFromItem(item: Item): Case {
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

export class DynamoCaseStore implements CaseStore, CaseLookup {
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

  async addAnswers(caseId: string, answers: Readonly<Record<string, Answer>>): Promise<Case | undefined> {
    const entries = Object.entries(answers);
    if (entries.length === 0) return this.get(caseId);
    const names: Record<string, string> = { '#answers': 'answers' };
    const values: Record<string, AttributeValue> = {};
    entries.forEach(([q, a], i) => {
      names[`#q${i}`] = q;
      values[`:a${i}`] = typeof a === 'number' ? { N: String(a) } : { S: a };
    });
    try {
      const { Attributes } = await this.client.send(
        new UpdateItemCommand({
          TableName: this.tableName,
          Key: marshallKey(keys.case(caseId)),
          UpdateExpression: `SET ${entries.map((_, i) => `#answers.#q${i} = :a${i}`).join(', ')}`,
          ConditionExpression: [
            'attribute_exists(pk)',
            ...entries.map((_, i) => `attribute_not_exists(#answers.#q${i})`),
          ].join(' AND '),
          ExpressionAttributeNames: names,
          ExpressionAttributeValues: values,
          ReturnValues: 'ALL_NEW',
        }),
      );
      return Attributes ? caseFromItem(Attributes) : undefined;
    } catch (err) {
      // One of them is there already (a redelivered record): the case as it is.
      if (err instanceof ConditionalCheckFailedException) return this.get(caseId);
      throw err;
    }
  }

  async markNotified(caseId: string, at: string): Promise<boolean> {
    try {
      await this.client.send(
        new UpdateItemCommand({
          TableName: this.tableName,
          Key: marshallKey(keys.case(caseId)),
          // A change like any other: a save that read the case before this one must read it again. Its due
          // index key is left as it is (this write does not know it); the next save or tier update moves it.
          UpdateExpression:
            'SET notifiedAt = :at, notifiedTier = if_not_exists(notifiedTier, :zero), gsi1pk = :cases ' +
            'ADD version :one',
          ConditionExpression: 'attribute_exists(pk) AND attribute_not_exists(notifiedAt)',
          ExpressionAttributeValues: {
            ':at': { S: at },
            ':zero': { N: '0' },
            ':one': { N: '1' },
            ':cases': { S: caseIndexPk(caseId) },
          },
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
    const set = 'SET notifiedTier = :tier, tierNotifiedAt = :at, gsi1pk = :cases';
    try {
      await this.client.send(
        new UpdateItemCommand({
          TableName: this.tableName,
          Key: marshallKey(keys.case(c.caseId)),
          // Both index keys are written in full, so a case of the legacy partitions moves to its shards.
          UpdateExpression: due
            ? `${set}, gsi2pk = :duePk, gsi2sk = :due ADD version :one`
            : `${set} ADD version :one REMOVE gsi2pk, gsi2sk`,
          ConditionExpression: '#t = :tier AND (attribute_not_exists(notifiedTier) OR notifiedTier < :tier)',
          ExpressionAttributeNames: { '#t': 'tier' },
          ExpressionAttributeValues: {
            ':tier': { N: String(c.tier) },
            ':at': { S: at },
            ':one': { N: '1' },
            ':cases': { S: caseIndexPk(c.caseId) },
            ...(due ? { ':duePk': { S: dueIndexPk(c.caseId) }, ':due': { S: due } } : {}),
          },
        }),
      );
      return true;
    } catch (err) {
      if (err instanceof ConditionalCheckFailedException) return false;
      throw err;
    }
  }

  /** The case a response opened is `caseIdOf(survey, submission)`: one BatchGetItem of at most 100 keys asks. */
  async casesOf(surveyId: string, submissionIds: readonly string[]) {
    const found = new Map<string, { caseId: string; status: string }>();
    let keysLeft: Item[] = [...new Set(submissionIds)].map((id) =>
      marshallKey(keys.case(caseIdOf(surveyId, id))),
    );
    for (let attempt = 0; keysLeft.length > 0 && attempt < 5; attempt++) {
      if (attempt > 0) await new Promise((r) => setTimeout(r, 50 * 2 ** attempt));
      const batch = keysLeft.slice(0, 100);
      const { Responses, UnprocessedKeys } = await this.client.send(
        new BatchGetItemCommand({
          RequestItems: {
            [this.tableName]: {
              Keys: batch,
              ProjectionExpression: 'caseId, submissionId, #s',
              ExpressionAttributeNames: { '#s': 'status' },
            },
          },
        }),
      );
      for (const item of Responses?.[this.tableName] ?? []) {
        const { caseId, submissionId, status } = unmarshall(item);
        found.set(String(submissionId), { caseId: String(caseId), status: String(status) });
      }
      keysLeft = [...(UnprocessedKeys?.[this.tableName]?.Keys ?? []), ...keysLeft.slice(100)];
    }
    return found;
  }

  async openedSince(from: Date, surveyId?: string): Promise<Case[]> {
    const read = async (pk: string) => {
      const items: Item[] = [];
      let start: Item | undefined;
      do {
        const page = await this.client.send(
          new QueryCommand({
            TableName: this.tableName,
            IndexName: 'gsi1',
            KeyConditionExpression: 'gsi1pk = :pk AND gsi1sk >= :from',
            FilterExpression: surveyId ? 'surveyId = :survey' : undefined,
            ExpressionAttributeValues: {
              ':pk': { S: pk },
              ':from': { S: from.toISOString() },
              ...(surveyId ? { ':survey': { S: surveyId } } : {}),
            },
            ExclusiveStartKey: start,
          }),
        );
        items.push(...(page.Items ?? []));
        start = page.LastEvaluatedKey;
      } while (start);
      return items;
    };
    // Every partition at once; in the order they were opened, as the single partition gave them.
    const partitions = await Promise.all(caseIndexPartitions().map(read));
    return partitions
      .flat()
      .sort((a, b) => sortKeyOf(a, 'gsi1sk').localeCompare(sortKeyOf(b, 'gsi1sk')))
      .map(caseFromItem);
  }

  async listDue(now: Date, limit: number): Promise<Case[]> {
    // `~` sorts after `#`: every key of an instant up to now, whatever its case id.
    const items = await dueInIndex(
      this.client,
      this.tableName,
      dueIndexPartitions(),
      `${now.toISOString()}~`,
      limit,
    );
    return items.map(caseFromItem);
  }

  async list(query: CaseQuery): Promise<{ items: Case[]; cursor?: string }> {
    const after = query.cursor === undefined ? undefined : cursorAfter(query.cursor);
    const filters: string[] = [];
    const names: Record<string, string> = {};
    const values: Item = after ? { ':after': { S: after } } : {};
    if (query.surveyId) {
      filters.push('surveyId = :survey');
      values[':survey'] = { S: query.surveyId };
    }
    if (query.status) {
      filters.push('#s = :status');
      names['#s'] = 'status';
      values[':status'] = { S: query.status };
    }
    if (query.assignee) {
      filters.push('assignee = :assignee');
      values[':assignee'] = { S: query.assignee };
    }
    if (query.dueBefore) {
      filters.push('dueAt < :dueBefore');
      values[':dueBefore'] = { S: query.dueBefore.toISOString() };
    }
    const { items, more } = await mergePartitions(caseIndexPartitions(), query.limit, {
      sortKey: 'gsi1sk',
      descending: true,
      page: (pk, start, pageLimit) =>
        this.client.send(
          new QueryCommand({
            TableName: this.tableName,
            IndexName: 'gsi1',
            KeyConditionExpression: after ? 'gsi1pk = :pk AND gsi1sk < :after' : 'gsi1pk = :pk',
            FilterExpression: filters.length ? filters.join(' AND ') : undefined,
            ExpressionAttributeNames: Object.keys(names).length ? names : undefined,
            ExpressionAttributeValues: { ...values, ':pk': { S: pk } },
            ScanIndexForward: false,
            Limit: pageLimit,
            ExclusiveStartKey: start,
          }),
        ),
    });
    const last = items.at(-1);
    const cases = items.map(caseFromItem);
    // gsi1sk ends with the case id, so it orders cases totally: the next page starts strictly below the last one.
    return more && last
      ? { items: cases, cursor: encodeCursor({ gsi1sk: { S: sortKeyOf(last, 'gsi1sk') } }) }
      : { items: cases };
  }
}

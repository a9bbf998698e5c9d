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
import { ValidationError } from '#kernel/errors.ts';
import type { CaseQuery, CaseStore } from '#loop/ports.ts';
import type { Case } from '#loop/rules/case.ts';
import { nextDueAt } from '#loop/rules/cases.ts';
import { decodeCursor, encodeCursor } from './cursor.ts';
import { caseIndexPartitions, caseIndexPk, dueIndexPartitions, dueIndexPk, keys } from './keys.ts';
import { marshallKey } from './surveys.ts';

type Item = Record<string, AttributeValue>;

/** Where a case stands in the due index (gsi2, sparse; see nextDueAt): absent when nothing is due. */
function dueKey(c: Case): string | undefined {
  const at = nextDueAt(c);
  return at ? `${at}#${c.caseId}` : undefined;
}

/**
 * Every write of a case puts it in its shard of both indexes (keys.ts, CASE_INDEX_SHARDS), so a case of the
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
    const { items } = await mergePartitions(dueIndexPartitions(), limit, {
      sortKey: 'gsi2sk',
      descending: false,
      page: (pk, start, pageLimit) =>
        this.client.send(
          new QueryCommand({
            TableName: this.tableName,
            IndexName: 'gsi2',
            // `~` sorts after `#`: every key of an instant up to now, whatever its case id.
            KeyConditionExpression: 'gsi2pk = :pk AND gsi2sk <= :now',
            ExpressionAttributeValues: { ':pk': { S: pk }, ':now': { S: `${now.toISOString()}~` } },
            Limit: pageLimit,
            ExclusiveStartKey: start,
          }),
        ),
    });
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

const sortKeyOf = (item: Item, key: 'gsi1sk' | 'gsi2sk') => item[key]?.S ?? '';

/**
 * Where a page of the case list starts: below the `gsi1sk` in the cursor. The cursors of releases before the
 * shards (a LastEvaluatedKey, which holds its gsi1sk) still work; anything else is refused, not read from the top.
 */
function cursorAfter(cursor: string): string {
  const after = decodeCursor(cursor)?.gsi1sk?.S;
  if (typeof after === 'string') return after;
  throw new ValidationError('The cursor is not one this list gave.', [
    { field: 'cursor', code: 'invalid', message: 'pass the cursor of the previous page as it came' },
  ]);
}

interface PartitionRead {
  /** One Query of one partition from `start`, evaluating at most `limit` items. */
  readonly page: (
    partition: string,
    start: Item | undefined,
    limit: number,
  ) => Promise<{ Items?: Item[]; LastEvaluatedKey?: Item }>;
  readonly sortKey: 'gsi1sk' | 'gsi2sk';
  readonly descending: boolean;
}

/**
 * The first `limit` items of an index sharded over `partitions`, in the index's order: a k-way merge. Each partition
 * is read a few items at a time (twice as many each time it runs dry), so a page evaluates about `limit` items and a
 * few per partition, not `limit` from each. `more` while some partition may hold items after the last one given.
 */
async function mergePartitions(
  partitions: readonly string[],
  limit: number,
  read: PartitionRead,
): Promise<{ items: Item[]; more: boolean }> {
  const first = Math.ceil(limit / partitions.length) + 1;
  const heads = partitions.map((partition) => ({
    partition,
    items: [] as Item[],
    start: undefined as Item | undefined,
    done: false,
    next: first,
  }));
  const precedes = (a: Item, b: Item) => {
    const order = sortKeyOf(a, read.sortKey).localeCompare(sortKeyOf(b, read.sortKey));
    return read.descending ? order > 0 : order < 0;
  };
  const out: Item[] = [];
  while (out.length < limit) {
    // A partition with nothing in hand may hold the next item: read it before choosing (again, when a filter
    // dropped a whole page).
    const dry = heads.filter((h) => h.items.length === 0 && !h.done);
    if (dry.length > 0) {
      await Promise.all(
        dry.map(async (h) => {
          const page = await read.page(h.partition, h.start, h.next);
          h.items.push(...(page.Items ?? []));
          h.start = page.LastEvaluatedKey;
          h.done = !page.LastEvaluatedKey;
          h.next = Math.max(first, Math.min(h.next * 2, limit));
        }),
      );
      continue;
    }
    let best: (typeof heads)[number] | undefined;
    for (const h of heads) {
      const head = h.items[0];
      if (head && (!best?.items[0] || precedes(head, best.items[0]))) best = h;
    }
    const item = best?.items.shift();
    if (!item) break;
    out.push(item);
  }
  return { items: out, more: heads.some((h) => h.items.length > 0 || !h.done) };
}

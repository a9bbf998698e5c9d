import {
  type AttributeValue,
  ConditionalCheckFailedException,
  type DynamoDBClient,
  GetItemCommand,
  PutItemCommand,
  QueryCommand,
  ScanCommand,
  type ScanCommandOutput,
  UpdateItemCommand,
} from '@aws-sdk/client-dynamodb';
import { marshall, unmarshall } from '@aws-sdk/util-dynamodb';
import type { AddAnswersResult, PutResponseResult, ResponseStore } from '#capture/ports.ts';
import { type Answer, hasComment, type ResponseRecord } from '#capture/rules/response.ts';
import type { CommentIndex, CommentPageRequest, ResponseScan } from '#insight/ports.ts';
import { type Analysis, broughtBy } from '#kernel/analysis.ts';
import { cursorAfter, encodeCursor } from './cursor.ts';
import { commentIndexPartitions, commentIndexPk, keys } from './keys.ts';
import { mergePartitions, sortKeyOf } from './merge.ts';
import { marshallKey } from './surveys.ts';

const DAY_S = 86_400;

/**
 * The stored item of a response; the stream consumers read this shape from NEW_IMAGE. A response with a comment is
 * also in its survey's comment index (gsi1, sparse: docs/decisions/0013-comment-index.md).
 */
export function responseItem(r: ResponseRecord, retentionDays: number) {
  return {
    ...keys.response(r.surveyId, r.submissionId),
    type: 'response',
    ...(hasComment(r)
      ? { gsi1pk: commentIndexPk(r.surveyId, r.submissionId), gsi1sk: `${r.receivedAt}#${r.submissionId}` }
      : {}),
    ...r,
    expiresAt: Math.floor(Date.parse(r.receivedAt) / 1000) + retentionDays * DAY_S,
  };
}

export function responseFromItem(item: Record<string, unknown>): ResponseRecord {
  const {
    pk: _pk,
    sk: _sk,
    type: _type,
    expiresAt: _e,
    gsi1pk: _g,
    gsi1sk: _s,
    added: _a,
    parts: _p,
    ...rest
  } = item;
  return rest as unknown as ResponseRecord;
}

/** A part's reading, when it read a comment this write adds (a comment stored already keeps its own). */
function readingOf(
  part: ResponseRecord,
  added: ReadonlyArray<readonly [string, Answer]>,
): Analysis | undefined {
  return broughtBy(
    part.analysis,
    added.map(([q]) => q),
  )
    ? part.analysis
    : undefined;
}

export class DynamoResponseStore implements ResponseStore {
  constructor(
    private readonly client: DynamoDBClient,
    private readonly tableName: string,
  ) {}

  async putIfAbsent(response: ResponseRecord, retentionDays: number): Promise<PutResponseResult> {
    try {
      await this.client.send(
        new PutItemCommand({
          TableName: this.tableName,
          Item: marshall(responseItem(response, retentionDays), { removeUndefinedValues: true }),
          ConditionExpression: 'attribute_not_exists(pk)',
          // A repeat learns what was stored in the same call, with no extra read.
          ReturnValuesOnConditionCheckFailure: 'ALL_OLD',
        }),
      );
      return { created: true };
    } catch (err) {
      if (err instanceof ConditionalCheckFailedException && err.Item) {
        return { created: false, existing: responseFromItem(unmarshall(err.Item)) };
      }
      throw err;
    }
  }

  /**
   * One strongly consistent read, then one conditional write: a put that makes the submission (`attribute_not_exists`),
   * or an update that adds the new questions (`attribute_not_exists(answers.<q>)` for each). The write sets `added`
   * to the questions it added and counts `parts`; the stream's readers count `added` of an update and nothing
   * else, so a question is counted once, when it arrives. A write that lost a race reads again and tries once more.
   */
  async addAnswers(part: ResponseRecord, retentionDays: number): Promise<AddAnswersResult> {
    for (let attempt = 0; ; attempt++) {
      const stored = await this.get(part.surveyId, part.submissionId);
      const entries = Object.entries(part.answers);
      if (stored) {
        const conflict = entries
          .filter(([q, a]) => q in stored.answers && stored.answers[q] !== a)
          .map(([q]) => q);
        if (conflict.length > 0) return { status: 'conflict', questions: conflict, response: stored };
      }
      const added = entries.filter(([q]) => !stored || !(q in stored.answers));
      if (stored && added.length === 0) return { status: 'duplicate', response: stored };
      try {
        const response = stored
          ? await this.updateAnswers(stored, Object.fromEntries(added), readingOf(part, added))
          : await this.putFirst(part, retentionDays);
        return { status: 'added', added: added.map(([q]) => q), response };
      } catch (err) {
        // Another request of the same submission wrote first: read what it wrote, and decide again.
        if (!(err instanceof ConditionalCheckFailedException) || attempt >= 3) throw err;
      }
    }
  }

  private async putFirst(part: ResponseRecord, retentionDays: number): Promise<ResponseRecord> {
    const item = {
      ...responseItem(part, retentionDays),
      added: new Set(Object.keys(part.answers)),
      parts: 1,
    };
    await this.client.send(
      new PutItemCommand({
        TableName: this.tableName,
        Item: marshall(item, { removeUndefinedValues: true }),
        ConditionExpression: 'attribute_not_exists(pk)',
      }),
    );
    return part;
  }

  private async updateAnswers(
    stored: ResponseRecord,
    answers: Readonly<Record<string, Answer>>,
    analysis: Analysis | undefined,
  ): Promise<ResponseRecord> {
    const names: Record<string, string> = {};
    const values: Record<string, AttributeValue> = {
      ':added': { SS: Object.keys(answers) },
      ':one': { N: '1' },
      ':zero': { N: '0' },
    };
    const sets = ['added = :added', 'parts = if_not_exists(parts, :zero) + :one'];
    const absent: string[] = [];
    Object.entries(answers).forEach(([question, answer], i) => {
      names[`#q${i}`] = question;
      values[`:a${i}`] = typeof answer === 'number' ? { N: String(answer) } : { S: answer };
      sets.push(`answers.#q${i} = :a${i}`);
      absent.push(`attribute_not_exists(answers.#q${i})`);
    });
    let response: ResponseRecord = { ...stored, answers: { ...stored.answers, ...answers } };
    if (analysis && !stored.analysis) {
      // The first comment's reading stays: a later one, or a race lost to another part's, changes nothing.
      values[':an'] = { M: marshall(analysis, { removeUndefinedValues: true }) };
      sets.push('analysis = if_not_exists(analysis, :an)');
      response = { ...response, analysis };
    }
    if (!hasComment(stored) && hasComment(response)) {
      // The first comment puts the submission in its survey's comment index.
      const { gsi1pk, gsi1sk } = responseItem(response, 0);
      values[':g'] = { S: gsi1pk ?? '' };
      values[':gs'] = { S: gsi1sk ?? '' };
      sets.push('gsi1pk = :g', 'gsi1sk = :gs');
    }
    await this.client.send(
      new UpdateItemCommand({
        TableName: this.tableName,
        Key: marshallKey(keys.response(stored.surveyId, stored.submissionId)),
        UpdateExpression: `SET ${sets.join(', ')}`,
        ConditionExpression: ['attribute_exists(pk)', ...absent].join(' AND '),
        ExpressionAttributeNames: names,
        ExpressionAttributeValues: values,
      }),
    );
    return response;
  }

  async get(surveyId: string, submissionId: string): Promise<ResponseRecord | undefined> {
    const { Item } = await this.client.send(
      new GetItemCommand({
        TableName: this.tableName,
        Key: marshallKey(keys.response(surveyId, submissionId)),
        ConsistentRead: true,
      }),
    );
    return Item ? responseFromItem(unmarshall(Item)) : undefined;
  }
}

/**
 * A survey's comment index: its 16 shards merged newest first (merge.ts). The range is the key condition; the
 * request's other tests run on each response read, at most `examine` of them a page.
 */
export class DynamoCommentIndex implements CommentIndex {
  constructor(
    private readonly client: DynamoDBClient,
    private readonly tableName: string,
  ) {}

  async page(request: CommentPageRequest) {
    const after = request.cursor === undefined ? undefined : cursorAfter(request.cursor);
    // `~` sorts after every character of an ISO instant: the whole of the last day.
    const to = `${request.to}~`;
    const upper = after !== undefined && after < to ? after : to;
    if (upper < request.from) return { items: [] };
    const kept: ResponseRecord[] = [];
    const { more, last } = await mergePartitions(commentIndexPartitions(request.surveyId), request.limit, {
      sortKey: 'gsi1sk',
      descending: true,
      // Each response read is unmarshalled once; those kept are the page, in the merge's order.
      keep: (item) => {
        const response = responseFromItem(unmarshall(item));
        const keep = request.keep(response);
        if (keep) kept.push(response);
        return keep;
      },
      examine: request.examine,
      page: async (pk, start, pageLimit) => {
        const page = await this.client.send(
          new QueryCommand({
            TableName: this.tableName,
            IndexName: 'gsi1',
            KeyConditionExpression: 'gsi1pk = :pk AND gsi1sk BETWEEN :from AND :upper',
            ExpressionAttributeValues: {
              ':pk': { S: pk },
              ':from': { S: request.from },
              ':upper': { S: upper },
            },
            ScanIndexForward: false,
            Limit: pageLimit,
            ExclusiveStartKey: start,
          }),
        );
        // BETWEEN includes its ends: the cursor's own response was on the page before.
        return { ...page, Items: page.Items?.filter((item) => sortKeyOf(item, 'gsi1sk') !== after) };
      },
    });
    const lastKey = last ? sortKeyOf(last, 'gsi1sk') : undefined;
    return {
      items: kept,
      cursor: more && lastKey ? encodeCursor({ gsi1sk: { S: lastKey } }) : undefined,
      readTo: last ? receivedAtOf(last) : undefined,
    };
  }
}

const receivedAtOf = (item: Record<string, AttributeValue>) => item.receivedAt?.S;

/**
 * Every response of a survey within a range of days, by a parallel Scan of the table: a response is its own
 * partition and only those with a comment are indexed, so an export reads the table once, in `segments` parallel
 * parts, keeping the survey's responses of those days (docs/decisions/0014-exports.md). Pages come as they are
 * read, in no order.
 */
export class DynamoResponseScan implements ResponseScan {
  constructor(
    private readonly client: DynamoDBClient,
    private readonly tableName: string,
    private readonly segments = 4,
  ) {}

  async *pages(surveyId: string, from: string, to: string): AsyncIterable<readonly ResponseRecord[]> {
    const read = (segment: number, start?: Record<string, AttributeValue>) =>
      this.client
        .send(
          new ScanCommand({
            TableName: this.tableName,
            Segment: segment,
            TotalSegments: this.segments,
            FilterExpression: 'begins_with(pk, :prefix) AND receivedAt BETWEEN :from AND :to',
            ExpressionAttributeValues: {
              ':prefix': { S: `${keys.response(surveyId, '').pk}` },
              ':from': { S: from },
              // `~` sorts after every character of an ISO instant: the whole of the last day.
              ':to': { S: `${to}~` },
            },
            ExclusiveStartKey: start,
          }),
        )
        .then((page): [number, ScanCommandOutput] => [segment, page]);
    const reading = new Map<number, Promise<[number, ScanCommandOutput]>>();
    for (let segment = 0; segment < this.segments; segment += 1) reading.set(segment, read(segment));
    try {
      while (reading.size > 0) {
        const [segment, page] = await Promise.race(reading.values());
        reading.delete(segment);
        if (page.LastEvaluatedKey) reading.set(segment, read(segment, page.LastEvaluatedKey));
        const items = (page.Items ?? []).map((item) => responseFromItem(unmarshall(item)));
        if (items.length > 0) yield items;
      }
    } finally {
      // A reader that stops early leaves pages in flight: their outcome no longer matters.
      for (const pending of reading.values()) pending.catch(() => undefined);
    }
  }
}

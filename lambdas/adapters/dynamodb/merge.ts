import { type AttributeValue, type DynamoDBClient, QueryCommand } from '@aws-sdk/client-dynamodb';

type Item = Record<string, AttributeValue>;

export type IndexSortKey = 'gsi1sk' | 'gsi2sk';

export const sortKeyOf = (item: Item, key: IndexSortKey) => item[key]?.S ?? '';

export interface PartitionRead {
  /** One Query of one partition from `start`, evaluating at most `limit` items. */
  readonly page: (
    partition: string,
    start: Item | undefined,
    limit: number,
  ) => Promise<{ Items?: Item[]; LastEvaluatedKey?: Item }>;
  readonly sortKey: IndexSortKey;
  readonly descending: boolean;
  /** A test DynamoDB cannot make (text search): items it refuses are passed over, in order. */
  readonly keep?: (item: Item) => boolean;
  /** At most this many items taken from the merge, kept or not: what bounds a page's reads under `keep`. */
  readonly examine?: number;
}

export interface Merged {
  readonly items: Item[];
  /** Some partition may hold items after `last`. */
  readonly more: boolean;
  /** The last item taken from the merge (kept or not): the next page starts after it. */
  readonly last?: Item | undefined;
}

/**
 * The first `limit` items of an index sharded over `partitions`, in the index's order: a k-way merge. Each partition
 * is read a few items at a time (twice as many each time it runs dry), so a page evaluates about `limit` items and a
 * few per partition, not `limit` from each.
 */
export async function mergePartitions(
  partitions: readonly string[],
  limit: number,
  read: PartitionRead,
): Promise<Merged> {
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
  let taken = 0;
  let last: Item | undefined;
  while (out.length < limit && taken < (read.examine ?? Number.POSITIVE_INFINITY)) {
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
    taken += 1;
    last = item;
    if (!read.keep || read.keep(item)) out.push(item);
  }
  return { items: out, more: heads.some((h) => h.items.length > 0 || !h.done), last };
}

/**
 * The first `limit` items of a sparse gsi2 index sharded over `partitions` whose sort key is at most `upTo`,
 * earliest first: what a sweep takes (cases due, conversations gone quiet).
 */
export async function dueInIndex(
  client: DynamoDBClient,
  tableName: string,
  partitions: readonly string[],
  upTo: string,
  limit: number,
): Promise<Item[]> {
  const { items } = await mergePartitions(partitions, limit, {
    sortKey: 'gsi2sk',
    descending: false,
    page: (pk, start, pageLimit) =>
      client.send(
        new QueryCommand({
          TableName: tableName,
          IndexName: 'gsi2',
          KeyConditionExpression: 'gsi2pk = :pk AND gsi2sk <= :upTo',
          ExpressionAttributeValues: { ':pk': { S: pk }, ':upTo': { S: upTo } },
          Limit: pageLimit,
          ExclusiveStartKey: start,
        }),
      ),
  });
  return items;
}

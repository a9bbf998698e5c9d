import { type DynamoDBClient, GetItemCommand, PutItemCommand } from '@aws-sdk/client-dynamodb';
import { marshall, unmarshall } from '@aws-sdk/util-dynamodb';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { DynamoCaseStore } from '#adapters/dynamodb/cases.ts';
import { encodeCursor } from '#adapters/dynamodb/cursor.ts';
import {
  CASES_INDEX_PK,
  caseIndexPk,
  DUE_INDEX_PK,
  dueIndexPk,
  INDEX_SHARDS,
  keys,
} from '#adapters/dynamodb/keys.ts';
import { ValidationError } from '#kernel/errors.ts';
import type { Case, CaseStatus } from '#loop/rules/case.ts';
import { createTable } from '../../bench/support.ts';
import { startTestDynamo } from '../support/http.ts';

/**
 * The case indexes written across INDEX_SHARDS partitions (docs/decisions/0006-case-index-shards.md), on
 * DynamoDB Local: every reader merges the partitions (and the unsharded ones of earlier releases) back into one
 * order, and a case of the old partitions moves to its shard when it is next written.
 */
let dynamo: Awaited<ReturnType<typeof startTestDynamo>>;
let client: DynamoDBClient;
let tables = 0;

beforeAll(async () => {
  dynamo = await startTestDynamo();
  client = dynamo.client;
});
afterAll(async () => {
  await dynamo?.stop();
});

/** A store on a table of its own, so each test sees only its cases. */
async function freshStore(): Promise<{ store: DynamoCaseStore; table: string }> {
  const table = `case-shards-${Date.now()}-${tables++}`;
  await createTable(client, table);
  return { store: new DynamoCaseStore(client, table), table };
}

const t0 = Date.parse('2026-03-01T00:00:00Z');
const at = (minutes: number) => new Date(t0 + minutes * 60_000).toISOString();

function aCase(i: number, fields: Partial<Case> = {}): Case {
  return {
    caseId: `case-${String(i).padStart(3, '0')}`,
    surveyId: 'demo',
    submissionId: `sub-${i}`,
    status: 'open',
    severity: 'high',
    hits: [],
    answers: {},
    segment: { store: 's-1' },
    locale: 'en',
    openedAt: at(i),
    sla: { ackHours: 24, resolveHours: 48 },
    tiers: [],
    tier: 0,
    notifiedTier: 0,
    history: [],
    version: 1,
    ...fields,
  };
}

async function stored(table: string, caseId: string) {
  const { Item } = await client.send(
    new GetItemCommand({ TableName: table, Key: marshall(keys.case(caseId)), ConsistentRead: true }),
  );
  return unmarshall(Item ?? {});
}

async function allPages(store: DynamoCaseStore, limit: number, status?: CaseStatus): Promise<string[]> {
  const ids: string[] = [];
  let cursor: string | undefined;
  do {
    const page = await store.list({ limit, ...(status ? { status } : {}), ...(cursor ? { cursor } : {}) });
    expect(page.items.length).toBeLessThanOrEqual(limit);
    ids.push(...page.items.map((c) => c.caseId));
    cursor = page.cursor;
  } while (cursor);
  return ids;
}

/** Newest first, as the list orders them: by opening time, then case id. */
const newestFirst = (cases: readonly Case[]) =>
  [...cases]
    .sort((a, b) => `${b.openedAt}#${b.caseId}`.localeCompare(`${a.openedAt}#${a.caseId}`))
    .map((c) => c.caseId);

describe('the case indexes across partitions', () => {
  it('spreads cases over several partitions of both indexes when many open', async () => {
    const { store, table } = await freshStore();
    const cases = Array.from({ length: 40 }, (_, i) => aCase(i, { dueAt: at(i + 60), due: 'acknowledge' }));

    await Promise.all(cases.map((c) => store.openIfAbsent(c)));

    const items = await Promise.all(cases.map((c) => stored(table, c.caseId)));
    const shardOf = (pk: unknown, prefix: string) => {
      const match = new RegExp(`^${prefix}#(\\d+)$`).exec(String(pk));
      return match ? Number(match[1]) : -1;
    };
    const listShards = items.map((item) => shardOf(item.gsi1pk, CASES_INDEX_PK));
    const dueShards = items.map((item) => shardOf(item.gsi2pk, DUE_INDEX_PK));
    for (const k of [...listShards, ...dueShards]) {
      expect(k).toBeGreaterThanOrEqual(0);
      expect(k).toBeLessThan(INDEX_SHARDS);
    }
    expect(new Set(listShards).size).toBeGreaterThan(1);
    // A case sits in the same shard of both indexes.
    expect(dueShards).toEqual(listShards);
  });

  it('pages the list newest first, each case once, when pages are smaller than a partition', async () => {
    const { store } = await freshStore();
    const statuses: CaseStatus[] = ['open', 'acknowledged', 'resolved'];
    // Four cases opened at the same instant: the case id orders them.
    const cases = Array.from({ length: 40 }, (_, i) =>
      aCase(i, { status: statuses[i % 3] as CaseStatus, ...(i >= 36 ? { openedAt: at(36) } : {}) }),
    );
    await Promise.all(cases.map((c) => store.openIfAbsent(c)));

    expect(await allPages(store, 7)).toEqual(newestFirst(cases));
    expect(await allPages(store, 3)).toEqual(newestFirst(cases));
    expect(await allPages(store, 4, 'open')).toEqual(newestFirst(cases.filter((c) => c.status === 'open')));
    expect(await allPages(store, 100, 'resolved')).toEqual(
      newestFirst(cases.filter((c) => c.status === 'resolved')),
    );
  });

  it('ends the list without a cursor when the last page holds the last case', async () => {
    const { store } = await freshStore();
    await Promise.all(Array.from({ length: 6 }, (_, i) => store.openIfAbsent(aCase(i))));

    const whole = await store.list({ limit: 6 });
    const past = await store.list({ limit: 10 });

    expect(whole.items).toHaveLength(6);
    expect(whole.cursor).toBeUndefined();
    expect(past.items).toHaveLength(6);
    expect(past.cursor).toBeUndefined();
  });

  it("lists a person's cases and the overdue ones, across the partitions and pages", async () => {
    const { store } = await freshStore();
    const cases = Array.from({ length: 40 }, (_, i) =>
      aCase(i, {
        ...(i % 3 === 0 ? { assignee: 'bruno' } : i % 3 === 1 ? { assignee: 'carla' } : {}),
        ...(i % 4 === 3 ? {} : { dueAt: at(1_000 + 10 * i), due: 'acknowledge' as const }),
      }),
    );
    await Promise.all(cases.map((c) => store.openIfAbsent(c)));
    const ids = async (query: Omit<Parameters<DynamoCaseStore['list']>[0], 'limit' | 'cursor'>) => {
      const found: string[] = [];
      let cursor: string | undefined;
      do {
        const page = await store.list({ limit: 7, ...query, ...(cursor ? { cursor } : {}) });
        found.push(...page.items.map((c) => c.caseId));
        cursor = page.cursor;
      } while (cursor);
      return found;
    };
    const newestFirst = (keep: (c: Case) => boolean) =>
      cases
        .filter(keep)
        .map((c) => c.caseId)
        .reverse();
    const now = new Date(at(1_200));

    expect(await ids({ assignee: 'bruno' })).toEqual(newestFirst((c) => c.assignee === 'bruno'));
    expect(await ids({ dueBefore: now })).toEqual(
      newestFirst((c) => c.dueAt !== undefined && c.dueAt < now.toISOString()),
    );
    expect(await ids({ assignee: 'carla', dueBefore: now })).toEqual(
      newestFirst((c) => c.assignee === 'carla' && c.dueAt !== undefined && c.dueAt < now.toISOString()),
    );
  });

  it('refuses a cursor it did not give instead of reading from the top', async () => {
    const { store } = await freshStore();
    await store.openIfAbsent(aCase(1));

    await expect(store.list({ limit: 5, cursor: 'not a cursor' })).rejects.toBeInstanceOf(ValidationError);
    await expect(store.list({ limit: 5, cursor: encodeCursor({ pk: { S: 'CASE#x' } }) })).rejects.toThrow(
      'The cursor is not one this list gave.',
    );
  });

  it('gives the earliest due cases first, whatever partition they are in', async () => {
    const { store } = await freshStore();
    // Due times in a scrambled order; the last ten are not due yet.
    const cases = Array.from({ length: 40 }, (_, i) =>
      aCase(i, { dueAt: at(((i * 17) % 40) * 10), due: 'acknowledge' }),
    );
    await Promise.all(cases.map((c) => store.openIfAbsent(c)));
    const now = new Date(at(295));
    const dueByTime = cases
      .filter((c) => (c.dueAt ?? '') <= now.toISOString())
      .sort((a, b) => (a.dueAt ?? '').localeCompare(b.dueAt ?? ''))
      .map((c) => c.caseId);

    const first = await store.listDue(now, 10);
    const all = await store.listDue(now, 100);

    expect(dueByTime).toHaveLength(30);
    expect(new Set(first.map((c) => caseIndexPk(c.caseId))).size).toBeGreaterThan(1);
    expect(first.map((c) => c.caseId)).toEqual(dueByTime.slice(0, 10));
    expect(all.map((c) => c.caseId)).toEqual(dueByTime);
  });
});

describe('cases of the unsharded partitions of earlier releases', () => {
  /** The item as releases before the shards wrote it: one partition per index. */
  async function putLegacy(table: string, c: Case, dueAt: string) {
    await client.send(
      new PutItemCommand({
        TableName: table,
        Item: marshall(
          {
            ...keys.case(c.caseId),
            type: 'case',
            gsi1pk: CASES_INDEX_PK,
            gsi1sk: `${c.openedAt}#${c.caseId}`,
            gsi2pk: DUE_INDEX_PK,
            gsi2sk: `${dueAt}#${c.caseId}`,
            ...c,
          },
          { removeUndefinedValues: true },
        ),
      }),
    );
  }

  it('lists, counts and sweeps a legacy case, and moves it to its shard when its tier is told', async () => {
    const { store, table } = await freshStore();
    const sharded = Array.from({ length: 10 }, (_, i) =>
      aCase(i * 2, { dueAt: at(100 + i), due: 'acknowledge' }),
    );
    await Promise.all(sharded.map((c) => store.openIfAbsent(c)));
    // Escalated to tier 1 and not told yet: due since it escalated, before every sharded case.
    const legacy = aCase(5, { tier: 1, escalatedAt: at(50), dueAt: at(300), due: 'acknowledge' });
    await putLegacy(table, legacy, at(50));
    const everyone = [...sharded, legacy];

    expect(await allPages(store, 3)).toEqual(newestFirst(everyone));
    expect((await store.openedSince(new Date(at(0)))).map((c) => c.caseId)).toEqual(
      newestFirst(everyone).reverse(),
    );
    expect((await store.listDue(new Date(at(200)), 2)).map((c) => c.caseId)).toEqual([
      legacy.caseId,
      sharded[0]?.caseId,
    ]);

    expect(await store.markTierNotified(legacy, at(200))).toBe(true);

    const moved = await stored(table, legacy.caseId);
    expect(moved.gsi1pk).toBe(caseIndexPk(legacy.caseId));
    expect(moved.gsi2pk).toBe(dueIndexPk(legacy.caseId));
    expect(moved.gsi2sk).toBe(`${at(300)}#${legacy.caseId}`);
    expect(await allPages(store, 3)).toEqual(newestFirst(everyone));
    const due = await store.listDue(new Date(at(400)), 100);
    expect(due.filter((c) => c.caseId === legacy.caseId)).toHaveLength(1);
  });

  it('moves a legacy case to its shards when it is saved or its owner is told', async () => {
    const { store, table } = await freshStore();
    const saved = aCase(1, { dueAt: at(60), due: 'acknowledge' });
    const told = aCase(2, { dueAt: at(60), due: 'acknowledge', notifiedTier: undefined });
    await putLegacy(table, saved, at(60));
    await putLegacy(table, told, at(60));

    expect(await store.save({ ...saved, status: 'acknowledged', version: 2 })).toBe(true);
    expect(await store.markNotified(told.caseId, at(3))).toBe(true);

    const savedItem = await stored(table, saved.caseId);
    expect([savedItem.gsi1pk, savedItem.gsi2pk]).toEqual([
      caseIndexPk(saved.caseId),
      dueIndexPk(saved.caseId),
    ]);
    // Telling the owner moves the case list key; its due key moves with its next save or tier update.
    const toldItem = await stored(table, told.caseId);
    expect([toldItem.gsi1pk, toldItem.gsi2pk]).toEqual([caseIndexPk(told.caseId), DUE_INDEX_PK]);
    expect((await store.listDue(new Date(at(60)), 10)).map((c) => c.caseId)).toEqual([
      saved.caseId,
      told.caseId,
    ]);
  });
});

import { type DynamoDBClient, GetItemCommand, QueryCommand } from '@aws-sdk/client-dynamodb';
import { unmarshall } from '@aws-sdk/util-dynamodb';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { commentIndexPk, keys } from '#adapters/dynamodb/keys.ts';
import { DynamoCommentIndex, DynamoResponseStore } from '#adapters/dynamodb/responses.ts';
import { dayOf } from '#kernel/days.ts';
import type { Runtime } from '#local/runtime.ts';
import { type client, startTestRuntime } from '../support/http.ts';

let rt: Runtime;
let api: ReturnType<typeof client>;
let ddb: DynamoDBClient;
let stopRuntime: (() => Promise<void>) | undefined;
const run = Date.now().toString(36);
const surveyId = `resp-${run}`;
const XSS = '<img src=x onerror=alert(1)>';
const oldAt = new Date(Date.now() - 40 * 86_400_000).toISOString();

interface Listed {
  submissionId: string;
  receivedAt: string;
  answers: Record<string, number | string>;
  attributes: Record<string, string>;
  comments: string[];
  case?: { caseId: string; status: string };
  [other: string]: unknown;
}

const list = async (query: string) => {
  const res = await api.admin('GET', `v1/surveys/${surveyId}/responses?${query}`);
  expect(res.status, res.text).toBe(200);
  return res.json as { from: string; to: string; items: Listed[]; cursor?: string; readTo?: string };
};
const idsOf = (items: Listed[]) => items.map((r) => r.submissionId);
/** Newest first; two answers of one millisecond by submission id, descending, as the index orders them. */
const newestFirst = (a: Listed, b: Listed) =>
  `${b.receivedAt}#${b.submissionId}`.localeCompare(`${a.receivedAt}#${a.submissionId}`);

const sent: { id: string; comment?: string; nps: number; store: string }[] = [
  { id: `${run}-slow`, nps: 2, store: 'a1', comment: `La atención en CAJA fue lenta ${XSS}` },
  { id: `${run}-great`, nps: 10, store: 'a2', comment: 'Ótimo atendimento' },
  { id: `${run}-silent`, nps: 8, store: 'a1' },
  ...Array.from({ length: 12 }, (_, i) => ({
    id: `${run}-many-${String(i).padStart(2, '0')}`,
    nps: 7 + (i % 4),
    store: i % 2 ? 'a1' : 'a2',
    comment: `Comentario número ${i}`,
  })),
];

beforeAll(async () => {
  ({ rt, api, ddb, stop: stopRuntime } = await startTestRuntime());
  const demo = (await api.admin('GET', 'v1/surveys/demo')).json;
  const put = await api.admin('PUT', `v1/surveys/${surveyId}`, { ...demo, id: surveyId });
  expect(put.status, put.text).toBe(200);
  for (const r of sent) {
    const res = await api.respond({
      surveyId,
      submissionId: r.id,
      answers: { nps: r.nps, csat: 4, ces: 5, ...(r.comment ? { comment: r.comment } : {}) },
      attributes: { region: 'north', city: 'lima', store: r.store },
    });
    expect(res.status, res.text).toBe(201);
  }
  // Forty days ago, stored as capture stores a response.
  await new DynamoResponseStore(ddb, rt.tableName).putIfAbsent(
    {
      surveyId,
      submissionId: `${run}-old`,
      receivedAt: oldAt,
      locale: 'es',
      capturedVia: 'api',
      contentHash: 'old',
      answers: { nps: 9, comment: 'Hace mucho' },
      attributes: { region: 'north', city: 'lima', store: 'a1' },
    },
    400,
  );
  await rt.idle();
}, 120_000);

afterAll(async () => {
  await stopRuntime?.();
});

const commented = sent.filter((r) => r.comment);

describe('listing the responses with a comment', () => {
  it('gives the last 30 days newest first, each with its answers, attributes and comments, and none without one', async () => {
    const page = await list('limit=100');
    expect(page.to).toBe(dayOf(new Date()));
    expect(idsOf(page.items).sort()).toEqual(commented.map((r) => r.id).sort());
    expect([...page.items].sort(newestFirst)).toEqual(page.items);
    expect(page.cursor).toBeUndefined();
    const slow = page.items.find((r) => r.submissionId === `${run}-slow`);
    expect(slow).toMatchObject({
      answers: { nps: 2, csat: 4, ces: 5, comment: `La atención en CAJA fue lenta ${XSS}` },
      attributes: { store: 'a1', city: 'lima' },
      comments: [`La atención en CAJA fue lenta ${XSS}`],
      scores: [
        { questionId: 'nps', type: 'nps', score: 2, band: 'detractor' },
        { questionId: 'csat', type: 'csat', score: 4, band: 'satisfied' },
        { questionId: 'ces', type: 'ces', score: 5, band: 'low-effort' },
      ],
      locale: 'en',
      capturedVia: 'api',
    });
    // Nothing of the storage: no keys, no index keys, no content hash.
    expect(Object.keys(slow ?? {}).filter((k) => /^(pk|sk|gsi|type|expiresAt|contentHash)/.test(k))).toEqual(
      [],
    );
  });

  it('walks every comment once, in order, a page at a time, and ends without a cursor', async () => {
    const seen: Listed[] = [];
    let cursor: string | undefined;
    let pages = 0;
    do {
      const page = await list(`limit=4${cursor ? `&cursor=${encodeURIComponent(cursor)}` : ''}`);
      expect(page.items.length).toBeLessThanOrEqual(4);
      seen.push(...page.items);
      cursor = page.cursor;
      pages++;
    } while (cursor && pages < 10);
    expect(idsOf(seen)).toEqual(idsOf((await list('limit=100')).items));
    expect(pages).toBe(Math.ceil(commented.length / 4));
  });

  it('finds a comment by segment, score band and words without their accents, with the case it opened', async () => {
    const page = await list('segment=store:a1&band=detractor&q=atencion%20caja');
    expect(idsOf(page.items)).toEqual([`${run}-slow`]);
    expect(page.items[0]?.case).toMatchObject({ status: 'open' });
    const opened = await api.admin('GET', `v1/cases/${page.items[0]?.case?.caseId}`);
    expect(opened.json).toMatchObject({ submissionId: `${run}-slow` });
    // A promoter opened none.
    const great = (await list('band=promoter&q=otimo')).items;
    expect(idsOf(great)).toEqual([`${run}-great`]);
    expect(great[0]).not.toHaveProperty('case');
    expect(idsOf((await list('segment=store:a2&limit=100')).items).sort()).toEqual(
      commented
        .filter((r) => r.store === 'a2')
        .map((r) => r.id)
        .sort(),
    );
  });

  it('reads the window or the days asked for', async () => {
    expect(idsOf((await list('window=90d&q=mucho')).items)).toEqual([`${run}-old`]);
    expect((await list('q=mucho')).items).toEqual([]);
    const day = dayOf(oldAt);
    const exact = await list(`from=${day}&to=${day}`);
    expect({ from: exact.from, to: exact.to, ids: idsOf(exact.items) }).toEqual({
      from: day,
      to: day,
      ids: [`${run}-old`],
    });
  });

  it('refuses what it cannot answer with a problem naming the field, and an unknown survey with 404', async () => {
    for (const [query, field] of [
      ['band=promoter&question=csat', 'question'],
      ['segment=floor:2', 'segment'],
      ['from=2026-11-02&to=2026-11-01', 'from'],
      ['from=2026-02-30', 'from'],
      ['cursor=bm90LWEtY3Vyc29y', 'cursor'],
      [
        `cursor=${Buffer.from(JSON.stringify({ gsi1sk: { S: 'x'.repeat(1100) } })).toString('base64url')}`,
        'cursor',
      ],
      ['limit=0', 'limit'],
    ] as const) {
      const res = await api.admin('GET', `v1/surveys/${surveyId}/responses?${query}`);
      expect({ query, status: res.status, type: res.headers.get('content-type') }).toEqual({
        query,
        status: 400,
        type: 'application/problem+json',
      });
      expect(JSON.stringify(res.json.errors), query).toContain(field);
    }
    expect((await api.admin('GET', 'v1/surveys/no-such-survey/responses')).status).toBe(404);
  });
});

describe('the comment index', () => {
  it('holds a response with a comment in its shard, and one without none: it costs that one no index write', async () => {
    const itemOf = async (id: string) =>
      unmarshall(
        (await ddb.send(new GetItemCommand({ TableName: rt.tableName, Key: keyOf(id) }))).Item ?? {},
      );
    expect(await itemOf(`${run}-silent`)).not.toHaveProperty('gsi1pk');
    const slow = await itemOf(`${run}-slow`);
    expect(slow).toMatchObject({ gsi1pk: commentIndexPk(surveyId, `${run}-slow`) });
    expect(slow.gsi1pk).toMatch(new RegExp(`^COMMENTS#${surveyId}#([0-9]|1[0-5])$`));
    const { Items } = await ddb.send(
      new QueryCommand({
        TableName: rt.tableName,
        IndexName: 'gsi1',
        KeyConditionExpression: 'gsi1pk = :pk',
        ExpressionAttributeValues: { ':pk': { S: slow.gsi1pk } },
      }),
    );
    expect(Items?.map((i) => i.submissionId?.S)).toContain(`${run}-slow`);
  });

  it('reads at most the responses it is allowed a page, and says how far back it read', async () => {
    const index = new DynamoCommentIndex(ddb, rt.tableName);
    const all = (await list('limit=100')).items;
    const request = { surveyId, from: dayOf(oldAt), to: dayOf(new Date()), limit: 10, examine: 3 };
    const first = await index.page({ ...request, keep: () => false });
    expect(first.items).toEqual([]);
    expect(first.readTo).toBe(all[2]?.receivedAt);
    expect(first.cursor).toBeDefined();
    const next = await index.page({ ...request, cursor: first.cursor, keep: () => true });
    expect(next.items.map((r) => r.submissionId)).toEqual(idsOf(all.slice(3, 6)));
  });
});

const keyOf = (id: string) => {
  const { pk, sk } = keys.response(surveyId, id);
  return { pk: { S: pk }, sk: { S: sk } };
};

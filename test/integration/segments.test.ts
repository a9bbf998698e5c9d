import { type DynamoDBClient, QueryCommand } from '@aws-sdk/client-dynamodb';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { DynamoResponseStore } from '#adapters/dynamodb/responses.ts';
import type { Runtime } from '#local/runtime.ts';
import { type client, startTestRuntime } from '../support/http.ts';

let rt: Runtime;
let api: ReturnType<typeof client>;
let ddb: DynamoDBClient;
let stopRuntime: (() => Promise<void>) | undefined;
const run = Date.now().toString(36);
const surveyId = `seg-${run}`;
let sent = 0;

const places = {
  a1: { region: 'north', city: 'lima', store: 'a1' },
  a2: { region: 'north', city: 'lima', store: 'a2' },
  b1: { region: 'north', city: 'cusco', store: 'b1' },
  c1: { region: 'south', city: 'rio', store: 'c1' },
} as const;

/** `count` answers of one NPS score at a place, through the JSON API. */
const answer = async (place: keyof typeof places, nps: number, count: number) => {
  for (let i = 0; i < count; i++) {
    const res = await api.respond({
      surveyId,
      submissionId: `seg-${run}-${sent++}`,
      answers: { nps, csat: 4, ces: 5 },
      attributes: { ...places[place], channel: 'web' },
    });
    expect(res.status, res.text).toBe(201);
  }
};

const table = async (query: string) => {
  const res = await api.admin('GET', `v1/surveys/${surveyId}/segments?${query}`);
  expect(res.status, res.text).toBe(200);
  return res.json;
};

beforeAll(async () => {
  ({ rt, api, ddb, stop: stopRuntime } = await startTestRuntime());
  const demo = (await api.admin('GET', 'v1/surveys/demo')).json;
  const put = await api.admin('PUT', `v1/surveys/${surveyId}`, {
    ...demo,
    id: surveyId,
    alertRules: [],
    hierarchy: ['region', 'city', 'store'],
    targets: { nps: 40 },
    minResponsesToRank: 5,
  });
  expect(put.status, put.text).toBe(200);
  await answer('a1', 10, 6);
  await answer('a2', 0, 6);
  await answer('b1', 9, 2);
  await answer('c1', 8, 6);
  // a2 was all promoters 40 days ago (in the 30 days before this window): stored as capture stores a response,
  // with that day's time, and counted by the stream like any other.
  const responses = new DynamoResponseStore(ddb, rt.tableName);
  const before = new Date(Date.now() - 40 * 86_400_000).toISOString();
  for (let i = 0; i < 6; i++)
    await responses.putIfAbsent(
      {
        surveyId,
        submissionId: `seg-${run}-old-${i}`,
        receivedAt: before,
        locale: 'en',
        capturedVia: 'api',
        contentHash: `old-${i}`,
        answers: { nps: 10, csat: 5, ces: 6 },
        attributes: { ...places.a2, channel: 'web' },
      },
      400,
    );
  await rt.idle();
}, 120_000);

afterAll(async () => {
  await stopRuntime?.();
});

describe('the league table of segments', () => {
  it("lists the hierarchy's first level by default, with the figures the metrics API gives each value", async () => {
    const top = await table('window=30d');
    expect(top).toMatchObject({ key: 'region', parent: null, childKey: 'city', path: [], target: 40 });
    expect(top.rows.map((r: { segment: string }) => r.segment)).toEqual(['region:north', 'region:south']);
    for (const row of top.rows) {
      const metrics = await api.admin(
        'GET',
        `v1/surveys/${surveyId}/metrics?window=30d&segment=${encodeURIComponent(row.segment)}`,
      );
      expect({ n: row.n, score: row.score, ci95: row.ci95 }).toEqual({
        n: metrics.json.nps.n,
        score: metrics.json.nps.score,
        ci95: metrics.json.nps.ci95,
      });
    }
  });

  it('drills down to the cities of a region and the stores of a city, with the path there', async () => {
    const cities = await table('key=city&parent=region:north&window=30d');
    expect(cities).toMatchObject({
      key: 'city',
      parent: 'region:north',
      childKey: 'store',
      path: ['region:north'],
    });
    expect(cities.rows.map((r: { value: string }) => r.value).sort()).toEqual(['cusco', 'lima']);

    const stores = await table('key=store&parent=city:lima&window=30d');
    expect(stores).toMatchObject({ childKey: null, path: ['region:north', 'city:lima'] });
    expect(stores.rows).toMatchObject([
      { segment: 'store:a1', rank: 1, n: 6, score: 100, belowTarget: false, belowPrevious: false },
      {
        segment: 'store:a2',
        rank: 2,
        n: 6,
        score: -100,
        previous: { n: 6, score: 100 },
        belowTarget: true,
        belowPrevious: true,
      },
    ]);
  });

  it('ranks every value of a key, with too few answers shown last and unranked', async () => {
    const stores = await table('key=store&window=30d');
    expect(stores.rows.map((r: { value: string; rank: number | null }) => [r.value, r.rank])).toEqual([
      ['a1', 1],
      ['c1', 2],
      ['a2', 3],
      ['b1', null],
    ]);
    expect(stores.rows.at(-1)).toMatchObject({ tooFew: true, n: 2, belowTarget: false });
    const channels = await table('key=channel&window=7d');
    expect(channels).toMatchObject({ childKey: null, rows: [{ segment: 'channel:web', n: 20 }] });
  });

  it('keeps one catalogue item per segment value, however many answers name it', async () => {
    const { Items = [] } = await ddb.send(
      new QueryCommand({
        TableName: rt.tableName,
        KeyConditionExpression: 'pk = :pk',
        ExpressionAttributeValues: { ':pk': { S: `SEGMENTS#${surveyId}` } },
      }),
    );
    expect(Items.map((i) => i.sk?.S).sort()).toEqual([
      'channel#web',
      'city#cusco',
      'city#lima',
      'city#rio',
      'region#north',
      'region#south',
      'store#a1',
      'store#a2',
      'store#b1',
      'store#c1',
    ]);
  });

  it('answers 400 for a key, a parent or a question the survey does not have, and 404 for no survey', async () => {
    for (const q of [
      'key=floor',
      'key=city&parent=store:a1',
      'key=store&parent=region:north',
      'question=comment',
    ]) {
      const res = await api.admin('GET', `v1/surveys/${surveyId}/segments?${q}`);
      expect(res.status, q).toBe(400);
      expect(res.headers.get('content-type')).toContain('application/problem+json');
    }
    expect((await api.admin('GET', 'v1/surveys/nope/segments')).status).toBe(404);
    expect((await api.call('GET', `v1/surveys/${surveyId}/segments`)).status).toBe(401);
  });

  it("lists a key's values with their parents for a picker, without reading their figures", async () => {
    const res = await api.admin('GET', `v1/surveys/${surveyId}/segment-values?key=store`);
    expect(res.status, res.text).toBe(200);
    expect(res.json).toEqual({
      key: 'store',
      values: [
        { value: 'a1', parent: 'city:lima' },
        { value: 'a2', parent: 'city:lima' },
        { value: 'b1', parent: 'city:cusco' },
        { value: 'c1', parent: 'city:rio' },
      ],
    });
    expect((await api.admin('GET', `v1/surveys/${surveyId}/segment-values?key=region`)).json.values).toEqual([
      { value: 'north', parent: null },
      { value: 'south', parent: null },
    ]);
    for (const q of ['key=floor', '']) {
      const bad = await api.admin('GET', `v1/surveys/${surveyId}/segment-values?${q}`);
      expect(bad.status, q).toBe(400);
    }
  });
});

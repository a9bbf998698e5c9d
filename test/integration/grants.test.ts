import { type DynamoDBClient, QueryCommand } from '@aws-sdk/client-dynamodb';
import { parse } from 'csv-parse/sync';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Runtime } from '#local/runtime.ts';
import { routeEntries } from '#routes/index.ts';
import { holds } from '#routes/roles.ts';
import { isJwtRoute, partsOf, scopeOf } from '#routes/route.ts';
import { client, startTestRuntime } from '../support/http.ts';

/**
 * Grants narrow what managers and viewers see, server-side: a store manager sees their store, an area manager the
 * stores of their city, and a segment outside their places is refused, by any route that reads figures.
 */
let rt: Runtime;
let api: ReturnType<typeof client>;
let ddb: DynamoDBClient;
let stopRuntime: (() => Promise<void>) | undefined;
const run = Date.now().toString(36);
const surveyId = `grants-${run}`;
let sent = 0;
/** A plan of a store in the north, for the viewer's reads. */
let northPlan = '';

const places = {
  a1: { region: 'north', city: 'lima', store: 'a1' },
  a2: { region: 'north', city: 'lima', store: 'a2' },
  b1: { region: 'north', city: 'cusco', store: 'b1' },
  c1: { region: 'south', city: 'rio', store: 'c1' },
} as const;

const answer = async (place: keyof typeof places, nps: number, count: number) => {
  for (let i = 0; i < count; i++) {
    const res = await api.respond({
      surveyId,
      submissionId: `g-${run}-${sent++}`,
      answers: { nps, csat: 4, ces: 5, comment: `About ${place}` },
      attributes: { ...places[place], channel: 'web' },
    });
    expect(res.status, res.text).toBe(201);
  }
};

const tokenOf = (username: string) => rt.people.find((p) => p.username === username)?.accessToken ?? '';
/** A call as one of the demo people. */
const as = (username: string) => client(rt.apiUrl, tokenOf(username)).admin;
const grant = (subject: string, body: unknown) =>
  api.admin('PUT', `v1/access/grants/${encodeURIComponent(subject)}`, body);
const nps = async (username: string, segment?: string) => {
  const res = await as(username)(
    'GET',
    `v1/surveys/${surveyId}/metrics?window=7d${segment ? `&segment=${segment}` : ''}`,
  );
  return { status: res.status, n: res.json?.nps?.n as number | undefined, segment: res.json?.segment };
};

beforeAll(async () => {
  ({ rt, api, ddb, stop: stopRuntime } = await startTestRuntime());
  const demo = (await api.admin('GET', 'v1/surveys/demo')).json;
  const put = await api.admin('PUT', `v1/surveys/${surveyId}`, {
    ...demo,
    id: surveyId,
    // The default rules: a detractor opens a case.
    alertRules: undefined,
    hierarchy: ['region', 'city', 'store'],
  });
  expect(put.status, put.text).toBe(200);
  await answer('a1', 10, 3);
  await answer('a2', 0, 2);
  await answer('b1', 9, 4);
  await answer('c1', 8, 5);
  await rt.idle();
}, 120_000);

afterAll(async () => {
  await stopRuntime?.();
});

describe('grants', () => {
  it("starts with the demo people's places granted, then takes them back for the tests below", async () => {
    const seeded = await api.admin('GET', 'v1/access/grants');
    const bySubject = Object.fromEntries(
      seeded.json.items.map((g: { subject: string; places: string[] }) => [g.subject, g.places]),
    );
    expect(bySubject).toEqual({
      'person:carla': ['store:s-001'],
      'person:eli': ['city:lima'],
      'person:dev': ['region:north', 'region:south'],
    });
    for (const subject of Object.keys(bySubject))
      expect((await api.admin('DELETE', `v1/access/grants/${encodeURIComponent(subject)}`)).status).toBe(204);
  });

  it('shows a manager without a grant nothing, and an analyst everything whatever the grants', async () => {
    expect(await nps('carla')).toMatchObject({ status: 200, n: 0, segment: '' });
    expect(await nps('carla', 'store:a1')).toMatchObject({ status: 403 });
    expect(await nps('bruno')).toMatchObject({ status: 200, n: 14, segment: 'all' });
    const me = await as('carla')('GET', 'v1/me');
    expect(me.json).toEqual({ actor: 'carla', role: 'manager', places: [] });
    expect((await as('bruno')('GET', 'v1/me')).json).toMatchObject({ role: 'analyst', places: null });
  });

  it("narrows a store manager's figures, league tables and place lists to their store", async () => {
    expect((await grant('person:carla', { places: ['store:a1'] })).status).toBe(200);
    expect(await nps('carla')).toEqual({ status: 200, n: 3, segment: 'store:a1' });
    expect(await nps('carla', 'store:a1')).toMatchObject({ status: 200, n: 3 });
    for (const outside of ['store:a2', 'city:lima', 'region:north', 'store:nowhere'])
      expect((await nps('carla', outside)).status, outside).toBe(403);
    const stores = await as('carla')('GET', `v1/surveys/${surveyId}/segments?key=store&window=7d`);
    expect(stores.json.rows.map((r: { segment: string }) => r.segment)).toEqual(['store:a1']);
    const regions = await as('carla')('GET', `v1/surveys/${surveyId}/segments?key=region&window=7d`);
    expect(regions.json.rows).toEqual([]);
    // With no level named, the table starts at her store's level, not at regions she cannot see.
    const first = await as('carla')('GET', `v1/surveys/${surveyId}/segments?window=7d`);
    expect(first.json.rows.map((r: { segment: string }) => r.segment)).toEqual(['store:a1']);
    const values = await as('carla')('GET', `v1/surveys/${surveyId}/segment-values?key=store`);
    expect(values.json.values.map((v: { value: string }) => v.value)).toEqual(['a1']);
    expect((await as('carla')('GET', 'v1/me')).json.places).toEqual(['store:a1']);
  });

  it('gives an area manager every store under their city, and sums two places once each', async () => {
    await grant('person:carla', { places: ['city:lima', 'store:a1', 'store:c1'] });
    // lima (a1 + a2) and c1; a1 is under lima and counted once.
    expect(await nps('carla')).toEqual({ status: 200, n: 10, segment: 'city:lima,store:c1' });
    expect(await nps('carla', 'store:a2')).toMatchObject({ status: 200, n: 2 });
    expect((await nps('carla', 'store:b1')).status).toBe(403);
    const stores = await as('carla')('GET', `v1/surveys/${surveyId}/segments?key=store&window=7d`);
    expect(stores.json.rows.map((r: { segment: string }) => r.segment).sort()).toEqual([
      'store:a1',
      'store:a2',
      'store:c1',
    ]);
  });

  it("applies a group's grant to everyone in the group, beside their own", async () => {
    await grant('group:viewer', { places: ['region:north'] });
    expect(await nps('dev')).toEqual({ status: 200, n: 9, segment: 'region:north' });
    expect(await nps('dev', 'store:b1')).toMatchObject({ status: 200, n: 4 });
    expect((await nps('dev', 'region:south')).status).toBe(403);
    const list = await api.admin('GET', 'v1/access/grants');
    expect(list.json.items.map((g: { subject: string }) => g.subject).sort()).toEqual([
      'group:viewer',
      'person:carla',
    ]);
    expect(list.json.items.find((g: { subject: string }) => g.subject === 'group:viewer')).toMatchObject({
      places: ['region:north'],
      updatedBy: 'ana',
    });
  });

  it("narrows comments, cases and plans to the area manager's places, a guessed id being no case or plan", async () => {
    const comments = await as('carla')('GET', `v1/surveys/${surveyId}/responses?window=7d&limit=100`);
    expect(comments.status, comments.text).toBe(200);
    const stores = new Set(
      comments.json.items.map((r: { attributes: { store: string } }) => r.attributes.store),
    );
    expect([...stores].sort()).toEqual(['a1', 'a2', 'c1']);
    expect(
      (await as('carla')('GET', `v1/surveys/${surveyId}/responses?window=7d&segment=store:b1`)).status,
    ).toBe(403);

    // a2's detractors opened cases; so did b1's none (promoters). Bruno sees every case, Carla those of her places.
    await answer('b1', 1, 1);
    await rt.idle();
    const all = await api.admin('GET', `v1/cases?surveyId=${surveyId}&limit=100`);
    const storeOf = (c: { segment: { store: string } }) => c.segment.store;
    expect(new Set(all.json.items.map(storeOf))).toEqual(new Set(['a2', 'b1']));
    const mine = await as('carla')('GET', `v1/cases?surveyId=${surveyId}&limit=100`);
    expect(new Set(mine.json.items.map(storeOf))).toEqual(new Set(['a2']));
    const b1Case = all.json.items.find((c: { segment: { store: string } }) => c.segment.store === 'b1');
    for (const [method, action] of [
      ['GET', ''],
      ['POST', '/acknowledge'],
      ['POST', '/comments'],
    ] as const) {
      const res = await as('carla')(
        method,
        `v1/cases/${b1Case.caseId}${action}`,
        action ? { text: 'mine?' } : undefined,
      );
      expect(res.status, `${method} ${action}`).toBe(404);
    }
    expect((await api.admin('GET', `v1/cases/${b1Case.caseId}`)).json.status).toBe('open');
    const loop = await as('carla')('GET', `v1/loop/metrics?surveyId=${surveyId}&window=7d&by=store`);
    expect(loop.json.total.cases).toBe(mine.json.items.length);

    // Plans: hers for a store of hers; not for b1, nor for the whole survey; b1's plan is no plan to her.
    const today = new Date().toISOString().slice(0, 10);
    const plan = (segment: string) => ({
      title: `Plan ${segment}`,
      surveyId,
      segment,
      owner: 'carla@example.com',
      startDate: today,
      dueDate: today,
    });
    const made = await as('carla')('POST', 'v1/plans', plan('store:a2'));
    expect(made.status, made.text).toBe(201);
    for (const segment of ['store:b1', 'all'])
      expect((await as('carla')('POST', 'v1/plans', plan(segment))).status, segment).toBe(403);
    const theirs = await api.admin('POST', 'v1/plans', plan('store:b1'));
    expect(theirs.status, theirs.text).toBe(201);
    northPlan = theirs.json.planId;
    expect((await as('carla')('GET', `v1/plans/${theirs.json.planId}`)).status).toBe(404);
    expect((await as('carla')('PUT', `v1/plans/${theirs.json.planId}`, plan('store:a2'))).status).toBe(404);
    const listed = await as('carla')('GET', 'v1/plans');
    expect(
      listed.json.items.map((p: { segment: string }) => p.segment).filter((x: string) => x !== 'store:a2'),
    ).toEqual([]);
  });

  it("exports only the area manager's places, and shows them no one else's export", async () => {
    const asked = await as('carla')('POST', `v1/surveys/${surveyId}/exports`, {
      kind: 'responses',
      window: '7d',
    });
    expect(asked.status, asked.text).toBe(202);
    const theirs = await api.admin('POST', `v1/surveys/${surveyId}/exports`, {
      kind: 'responses',
      window: '7d',
    });
    await rt.idle();
    const view = await as('carla')('GET', `v1/exports/${asked.json.exportId}`);
    expect(view.json.status, view.text).toBe('ready');
    const csv = parse(Buffer.from(await (await fetch(view.json.download.url)).arrayBuffer()), {
      bom: true,
      columns: true,
    }) as { store: string }[];
    expect(new Set(csv.map((r) => r.store))).toEqual(new Set(['a1', 'a2', 'c1']));
    expect((await as('carla')('GET', `v1/exports/${theirs.json.exportId}`)).status).toBe(404);
    const listed = await as('carla')('GET', `v1/surveys/${surveyId}/exports`);
    expect(listed.json.items.map((e: { exportId: string }) => e.exportId)).toEqual([asked.json.exportId]);
    const outside = { kind: 'responses', window: '7d', segment: 'store:b1' };
    expect((await as('carla')('POST', `v1/surveys/${surveyId}/exports`, outside)).status).toBe(403);
  });

  it('lets the area manager share only their places, and hides the links of other places', async () => {
    const link = (segment?: string) => ({
      ...(segment ? { segment } : {}),
      expiresInDays: 7,
      comments: false,
    });
    const made = await as('carla')('POST', `v1/surveys/${surveyId}/share-links`, link('store:a2'));
    expect(made.status, made.text).toBe(201);
    for (const outside of ['store:b1', undefined])
      expect((await as('carla')('POST', `v1/surveys/${surveyId}/share-links`, link(outside))).status).toBe(
        403,
      );
    const theirs = await api.admin('POST', `v1/surveys/${surveyId}/share-links`, link('store:b1'));
    const listed = await as('carla')('GET', `v1/surveys/${surveyId}/share-links`);
    expect(listed.json.items.map((l: { linkId: string }) => l.linkId)).toEqual([made.json.linkId]);
    expect((await as('carla')('POST', `v1/share-links/${theirs.json.linkId}/revoke`)).status).toBe(404);
    expect((await api.admin('GET', `v1/shared/${theirs.json.token}`)).status).toBe(200);
  });

  it('takes a grant back for the very next request', async () => {
    const revoked = await api.admin('DELETE', `v1/access/grants/${encodeURIComponent('group:viewer')}`);
    expect(revoked.status).toBe(204);
    expect(await nps('dev')).toMatchObject({ status: 200, n: 0 });
    expect((await nps('dev', 'store:b1')).status).toBe(403);
    expect((await api.admin('DELETE', 'v1/access/grants/group%3Aviewer')).status).toBe(404);
  });

  it('refuses a bad grant with a 400 and keeps the one before', async () => {
    const before = await grantItems();
    for (const body of [
      { places: [] },
      { places: ['north'] },
      { places: ['store:'] },
      {},
      { places: ['store:a1'], extra: true },
    ]) {
      const res = await grant('person:carla', body);
      expect(res.status, JSON.stringify(body)).toBe(400);
      expect(res.headers.get('content-type')).toContain('application/problem+json');
    }
    expect((await grant('carla', { places: ['store:a1'] })).status).toBe(400);
    expect(await grantItems()).toEqual(before);
  });
});

describe("a viewer's reads", () => {
  it('hold no comment, email or phone on any route the viewer may call, derived from the route table', async () => {
    await grant('person:dev', { places: ['region:north'] });
    const ids: Record<string, string> = { surveyId, planId: northPlan };
    const reads = routeEntries().filter(
      (r) =>
        r.key.startsWith('GET ') &&
        isJwtRoute(r.spec) &&
        (!scopeOf(r.spec) || holds('viewer', scopeOf(r.spec) ?? '')),
    );
    expect(reads.length).toBeGreaterThan(5);
    const leaks: string[] = [];
    for (const route of reads) {
      const path = partsOf(route.key).path.replace(/\{(\w+)\}/g, (_, name: string) => ids[name] ?? 'none');
      const res = await as('dev')('GET', `${path.slice(1)}${path.includes('surveys/') ? '?window=30d' : ''}`);
      if (res.status >= 500) leaks.push(`${route.key}: ${res.status}`);
      for (const [what, pattern] of [
        ['an email', /[\w.+-]+@[\w-]+\.[\w.]+/],
        ['a comment', /About (a|b|c)\d/],
        ['a phone', /\+\d{8,}/],
        // Who made, changed or owns something: people, named by email on AWS (by username locally).
        ['a person', /"(createdBy|revokedBy|updatedBy|requestedBy|owner|owners|email|phone|assignee)"/],
      ] as const)
        if (pattern.test(res.text)) leaks.push(`${route.key}: ${what} in ${res.text.slice(0, 200)}`);
    }
    expect(leaks).toEqual([]);
  });
});

async function grantItems() {
  const { Items } = await ddb.send(
    new QueryCommand({
      TableName: rt.tableName,
      KeyConditionExpression: 'pk = :pk',
      ExpressionAttributeValues: { ':pk': { S: 'ACCESS' } },
    }),
  );
  return Items ?? [];
}

import { type DynamoDBClient, GetItemCommand } from '@aws-sdk/client-dynamodb';
import { unmarshall } from '@aws-sdk/util-dynamodb';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { keys } from '#adapters/dynamodb/keys.ts';
import { SHARED_VIEWS_PER_MINUTE } from '#insight/rules/share-links.ts';
import type { Runtime } from '#local/runtime.ts';
import { type client, startTestRuntime } from '../support/http.ts';

let rt: Runtime;
let api: ReturnType<typeof client>;
let ddb: DynamoDBClient;
let stopRuntime: (() => Promise<void>) | undefined;
const run = Date.now().toString(36);
const surveyId = `share-${run}`;
const SECRET_COMMENT = 'Ana from the till was rude to me';

interface Link {
  linkId: string;
  status: string;
  segment: string;
  comments: boolean;
  expiresAt: string;
  createdBy: string;
  token?: string;
  path?: string;
  [other: string]: unknown;
}

const make = async (body: Record<string, unknown>) => {
  const res = await api.admin('POST', `v1/surveys/${surveyId}/share-links`, body);
  expect(res.status, res.text).toBe(201);
  return res.json as Link;
};
/** Opens a shared view as anyone would: no token. */
const open = (token: string, query = '') => api.call('GET', `v1/shared/${token}${query}`);

beforeAll(async () => {
  ({ rt, api, ddb, stop: stopRuntime } = await startTestRuntime());
  const demo = (await api.admin('GET', 'v1/surveys/demo')).json;
  const put = await api.admin('PUT', `v1/surveys/${surveyId}`, { ...demo, id: surveyId, alertRules: [] });
  expect(put.status, put.text).toBe(200);
  for (const [i, nps, store, comment] of [
    [0, 10, 'a1', 'Great coffee'],
    [1, 9, 'a1', undefined],
    [2, 3, 'a1', SECRET_COMMENT],
    [3, 0, 'a2', 'Elsewhere'],
  ] as const) {
    const res = await api.respond({
      surveyId,
      submissionId: `${run}-${i}`,
      answers: { nps, csat: 4, ces: 5, ...(comment ? { comment } : {}) },
      attributes: { region: 'north', city: 'lima', store },
    });
    expect(res.status, res.text).toBe(201);
  }
  await rt.idle();
}, 120_000);

afterAll(async () => {
  await stopRuntime?.();
});

describe('share links', () => {
  it("shows one place's figures to anyone holding the link, and no comment unless allowed", async () => {
    const link = await make({ segment: 'store:a1', expiresInDays: 7 });
    expect(link).toMatchObject({ segment: 'store:a1', comments: false, status: 'active' });
    expect(Date.parse(link.expiresAt) - Date.now()).toBeGreaterThan(6.9 * 86_400_000);
    expect(link.path).toBe(`/app/shared/${link.token}`);
    const res = await open(link.token ?? '', '?window=7d');
    expect(res.status, res.text).toBe(200);
    expect(res.headers.get('cache-control')).toBe('no-store');
    expect(res.json).toMatchObject({
      survey: { id: surveyId },
      segment: 'store:a1',
      metrics: { segment: 'store:a1', window: '7d', nps: { n: 3 } },
    });
    // The same figures as the metrics API of that place.
    const metrics = await api.admin(
      'GET',
      `v1/surveys/${surveyId}/metrics?window=7d&segment=store:a1&trend=day`,
    );
    expect(res.json.metrics).toEqual(metrics.json);
    expect(res.json).not.toHaveProperty('comments');
    expect(res.text).not.toContain(SECRET_COMMENT);
  });

  it("shows the place's newest comments, and only them, when its owner turned them on", async () => {
    const link = await make({ segment: 'store:a1', comments: true });
    const res = await open(link.token ?? '');
    expect(res.status, res.text).toBe(200);
    const comments = res.json.comments as { text: string; receivedAt: string; scores: unknown[] }[];
    expect(comments.map((c) => c.text).sort()).toEqual(['Great coffee', SECRET_COMMENT].sort());
    expect(comments[0]).toMatchObject({
      scores: expect.arrayContaining([expect.objectContaining({ questionId: 'nps' })]),
    });
    // Nothing of the answer's other attributes or ids.
    expect(res.text).not.toContain(`${run}-2`);
    expect(res.text).not.toContain('Elsewhere');
  });

  it('refuses a revoked link at once, and a link whose secret is wrong as if it did not exist', async () => {
    const link = await make({});
    expect((await open(link.token ?? '')).status).toBe(200);
    const revoked = await api.admin('POST', `v1/share-links/${link.linkId}/revoke`);
    expect(revoked.status, revoked.text).toBe(200);
    expect(revoked.json).toMatchObject({ status: 'revoked', revokedBy: expect.any(String) });
    expect(revoked.json).not.toHaveProperty('token');
    const refused = await open(link.token ?? '');
    expect(refused.status).toBe(410);
    expect(refused.headers.get('content-type')).toBe('application/problem+json');
    expect(refused.text).toContain('revoked');
    // Revoking again changes nothing.
    const again = await api.admin('POST', `v1/share-links/${link.linkId}/revoke`);
    expect(again.json.revokedAt).toBe(revoked.json.revokedAt);
    const [id] = (link.token ?? '').split('.');
    for (const token of [
      `${id}.${'x'.repeat(32)}`,
      'nonsense',
      `${id}`,
      `shr_aaaaaaaaaaaa.${'a'.repeat(32)}`,
    ]) {
      expect((await open(token)).status, token).toBe(404);
    }
    // Only the hash of the secret is stored.
    const { Item } = await ddb.send(
      new GetItemCommand({
        TableName: rt.tableName,
        Key: { pk: { S: keys.shareLink(link.linkId).pk }, sk: { S: 'LINK' } },
      }),
    );
    const stored = unmarshall(Item ?? {});
    expect(JSON.stringify(stored)).not.toContain((link.token ?? '').split('.')[1]);
    expect(stored.secretHash).toMatch(/^[0-9a-f]{64}$/);
  });

  it('refuses a link past its expiry', async () => {
    const link = await make({ expiresInDays: 7 });
    // Stored as if made eight days ago.
    const { Item } = await ddb.send(
      new GetItemCommand({
        TableName: rt.tableName,
        Key: { pk: { S: keys.shareLink(link.linkId).pk }, sk: { S: 'LINK' } },
      }),
    );
    const { PutItemCommand } = await import('@aws-sdk/client-dynamodb');
    await ddb.send(
      new PutItemCommand({
        TableName: rt.tableName,
        Item: { ...Item, linkExpiresAt: { S: new Date(Date.now() - 86_400_000).toISOString() } },
      }),
    );
    const res = await open(link.token ?? '');
    expect(res.status).toBe(410);
    expect(res.text).toContain('expired');
    const listed = await api.admin('GET', `v1/surveys/${surveyId}/share-links?limit=50`);
    expect((listed.json.items as Link[]).find((l) => l.linkId === link.linkId)?.status).toBe('expired');
  });

  it(`serves a link ${SHARED_VIEWS_PER_MINUTE} times a minute, then says to wait`, async () => {
    const link = await make({});
    // The minute may turn during the loop: then the count starts again, so allow one more round.
    let refusedAt = -1;
    for (let i = 0; i < SHARED_VIEWS_PER_MINUTE * 2 + 1 && refusedAt < 0; i++) {
      const res = await open(link.token ?? '');
      if (res.status === 429) refusedAt = i;
      else expect(res.status, res.text).toBe(200);
    }
    expect(refusedAt).toBeGreaterThanOrEqual(SHARED_VIEWS_PER_MINUTE);
    const refused = await open(link.token ?? '');
    if (refused.status === 429) expect(Number(refused.headers.get('retry-after'))).toBeGreaterThan(0);
  });

  it('lists the survey’s links newest first without their tokens, and refuses bad requests storing nothing', async () => {
    const listed = await api.admin('GET', `v1/surveys/${surveyId}/share-links?limit=50`);
    expect(listed.status).toBe(200);
    const items = listed.json.items as Link[];
    expect(items.length).toBeGreaterThanOrEqual(5);
    expect(items.every((l) => l.token === undefined && !('secretHash' in l))).toBe(true);
    expect([...items].sort((a, b) => String(b.createdAt).localeCompare(String(a.createdAt)))).toEqual(items);
    for (const body of [{ expiresInDays: 365 }, { segment: 'shelf:1' }, { comments: 'yes' }]) {
      const res = await api.admin('POST', `v1/surveys/${surveyId}/share-links`, body);
      expect(res.status, JSON.stringify(body)).toBe(400);
    }
    expect((await api.admin('POST', 'v1/surveys/nope/share-links', {})).status).toBe(404);
    expect((await api.admin('POST', 'v1/share-links/shr_nothing/revoke')).status).toBe(404);
    const after = await api.admin('GET', `v1/surveys/${surveyId}/share-links?limit=50`);
    expect((after.json.items as Link[]).length).toBe(items.length);
    // Making and revoking need a token.
    expect((await api.call('POST', `v1/surveys/${surveyId}/share-links`, { body: {} })).status).toBe(401);
  });
});

import { type DynamoDBClient, QueryCommand } from '@aws-sdk/client-dynamodb';
import { unmarshall } from '@aws-sdk/util-dynamodb';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Runtime } from '#local/runtime.ts';
import { routeEntries } from '#routes/index.ts';
import { client, startTestRuntime } from '../support/http.ts';

/** The audit trail records each read of personal data and each change, with who, when and from where. */
let rt: Runtime;
let api: ReturnType<typeof client>;
let ddb: DynamoDBClient;
let stopRuntime: (() => Promise<void>) | undefined;

const as = (username: string) =>
  client(rt.apiUrl, rt.people.find((p) => p.username === username)?.accessToken ?? '').admin;
const trail = async (query = '') => {
  const res = await api.admin('GET', `v1/audit${query}`);
  expect(res.status, res.text).toBe(200);
  return res.json.items as Record<string, unknown>[];
};

beforeAll(async () => {
  ({ rt, api, ddb, stop: stopRuntime } = await startTestRuntime());
}, 120_000);

afterAll(async () => {
  await stopRuntime?.();
});

describe('the audit trail', () => {
  it('records who read comments or a contact, with the place and where from, and not a read of figures', async () => {
    expect((await as('bruno')('GET', 'v1/surveys/demo/responses?window=7d&segment=store:s-001')).status).toBe(
      200,
    );
    expect((await as('bruno')('GET', 'v1/contacts/nobody')).status).toBe(404);
    expect((await as('bruno')('GET', 'v1/surveys/demo/metrics?window=7d')).status).toBe(200);
    const entries = await trail('?actor=bruno');
    expect(entries).toEqual([
      expect.objectContaining({
        actor: 'bruno',
        role: 'analyst',
        action: 'read',
        route: 'GET /v1/surveys/{surveyId}/responses',
        target: { surveyId: 'demo' },
        segment: 'store:s-001',
        status: 200,
        sourceIp: expect.stringMatching(/^(127\.0\.0\.1|::1|::ffff:127\.0\.0\.1)$/),
      }),
    ]);
  });

  it('records each change with its target, and neither a refused nor a malformed one', async () => {
    const put = await api.admin('PUT', 'v1/access/grants/person%3Aeli', { places: ['city:lima'] });
    expect(put.status).toBe(200);
    expect((await api.admin('PUT', 'v1/access/grants/person%3Aeli', { places: [] })).status).toBe(400);
    expect((await as('bruno')('PUT', 'v1/access/grants/person%3Aeli', { places: ['store:x'] })).status).toBe(
      403,
    );
    const changes = await trail('?action=change');
    expect(changes).toEqual([
      expect.objectContaining({
        actor: 'ana',
        role: 'admin',
        route: 'PUT /v1/access/grants/{subject}',
        target: { subject: 'person:eli' },
        status: 200,
      }),
    ]);
    const all = await trail();
    expect(all.map((e) => e.action)).toEqual(['change', 'read']);
  });

  it('keeps an entry the days the stack says, and has no route that changes the trail', async () => {
    const { Items = [] } = await ddb.send(
      new QueryCommand({
        TableName: rt.tableName,
        KeyConditionExpression: 'pk = :pk',
        ExpressionAttributeValues: { ':pk': { S: `AUDIT#${new Date().toISOString().slice(0, 10)}` } },
      }),
    );
    expect(Items.length).toBe(2);
    for (const item of Items.map((i) => unmarshall(i))) {
      const days = (item.expiresAt * 1000 - Date.parse(item.at)) / 86_400_000;
      expect(Math.round(days)).toBe(365);
    }
    const auditRoutes = routeEntries().filter((r) => r.key.split(' ')[1]?.startsWith('/v1/audit'));
    expect(auditRoutes.map((r) => r.key)).toEqual(['GET /v1/audit']);
  });

  it('refuses a period longer than 31 days with a 400', async () => {
    const res = await api.admin('GET', 'v1/audit?from=2026-01-01&to=2026-03-01');
    expect(res.status).toBe(400);
    expect((await api.admin('GET', 'v1/audit?action=delete')).status).toBe(400);
  });
});

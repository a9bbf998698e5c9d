import { type DynamoDBClient, GetItemCommand, PutItemCommand, ScanCommand } from '@aws-sdk/client-dynamodb';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { keys } from '#adapters/dynamodb/keys.ts';
import { PREVIEW_MINUTES } from '#capture/rules/previews.ts';
import type { Runtime } from '#local/runtime.ts';
import { type client, startTestRuntime } from '../support/http.ts';

let rt: Runtime;
let api: ReturnType<typeof client>;
let ddb: DynamoDBClient;
let stopRuntime: (() => Promise<void>) | undefined;
const surveyId = `preview-${Date.now().toString(36)}`;
const XSS = '<img src=x onerror=alert(1)>';
let saved: Record<string, unknown>;

const previewItems = async () => {
  const { Items } = await ddb.send(
    new ScanCommand({
      TableName: rt.tableName,
      FilterExpression: 'begins_with(pk, :p)',
      ExpressionAttributeValues: { ':p': { S: 'PREVIEW#' } },
    }),
  );
  return Items?.length ?? 0;
};

beforeAll(async () => {
  ({ rt, api, ddb, stop: stopRuntime } = await startTestRuntime());
  const demo = (await api.admin('GET', 'v1/surveys/demo')).json;
  saved = { ...demo, id: surveyId };
  const put = await api.admin('PUT', `v1/surveys/${surveyId}`, saved);
  expect(put.status, put.text).toBe(200);
}, 120_000);

afterAll(async () => {
  await stopRuntime?.();
});

describe('survey previews', () => {
  it("shows a draft as the customer's page, in each of its languages, without saving it", async () => {
    const draft = {
      ...saved,
      title: { en: `Your visit ${XSS}`, es: 'Su visita' },
      questions: [
        ...(saved.questions as object[]),
        {
          id: 'staff',
          type: 'csat',
          text: { en: 'How helpful was our staff?', es: '¿Le ayudó el personal?' },
        },
      ],
    };
    const made = await api.admin('POST', `v1/surveys/${surveyId}/previews`, draft);
    expect(made.status, made.text).toBe(201);
    const { path, expiresAt } = made.json as { path: string; expiresAt: string };
    expect(path).toMatch(/^\/v1\/previews\/[a-z0-9]{24}$/);
    expect(Date.parse(expiresAt) - Date.now()).toBeGreaterThan((PREVIEW_MINUTES - 1) * 60_000);

    const page = await api.call('GET', `${path.slice(1)}?lang=en`);
    expect(page.status, page.text).toBe(200);
    expect(page.headers.get('content-type')).toContain('text/html');
    expect(page.headers.get('cache-control')).toBe('no-store');
    const csp = page.headers.get('content-security-policy') ?? '';
    expect(csp).toContain("frame-ancestors 'self'");
    expect(csp).not.toContain('script-src');
    expect(page.text).toContain('How helpful was our staff?');
    expect(page.text).not.toContain(XSS);
    expect(page.text).toContain('&lt;img src=x onerror=alert(1)&gt;');
    expect(page.text).toContain(`action="${path}"`);

    const spanish = await api.call('GET', `${path.slice(1)}?lang=es`);
    expect(spanish.text).toContain('Su visita');
    expect(spanish.text).toContain('¿Le ayudó el personal?');
    // The page's form posts to a path nothing answers a POST on.
    const posted = await api.call('POST', path.slice(1), {
      raw: 'nps=10',
      headers: { 'content-type': 'application/x-www-form-urlencoded' },
    });
    expect(posted.status).toBeGreaterThanOrEqual(400);
    expect(posted.status).toBeLessThan(500);

    const after = await api.admin('GET', `v1/surveys/${surveyId}`);
    expect(after.json).toEqual(saved);
  });

  it('refuses a draft the survey schema refuses, each field with its reason, and keeps nothing', async () => {
    const before = await previewItems();
    const bad = {
      ...saved,
      questions: [
        { id: 'nps', type: 'nps', text: { en: 'One' } },
        { id: 'nps', type: 'csat', text: { en: 'Two' } },
      ],
      hierarchy: ['shelf'],
    };
    const res = await api.admin('POST', `v1/surveys/${surveyId}/previews`, bad);
    expect(res.status, res.text).toBe(400);
    expect(res.headers.get('content-type')).toContain('application/problem+json');
    const fields = (res.json.errors as { field: string }[]).map((e) => e.field);
    expect(fields).toEqual(expect.arrayContaining(['questions.1.id', 'hierarchy.0']));

    const other = await api.admin('POST', `v1/surveys/${surveyId}/previews`, { ...saved, id: 'another' });
    expect(other.status).toBe(400);
    expect((other.json.errors as { field: string }[])[0]?.field).toBe('id');
    expect(await previewItems()).toBe(before);
  });

  it('answers 404 for a preview that is unknown, malformed or past its hour', async () => {
    for (const id of ['a'.repeat(24), 'not-a-preview', '../surveys']) {
      const res = await api.call('GET', `v1/previews/${encodeURIComponent(id)}`);
      expect(res.status, id).toBe(404);
    }
    const made = await api.admin('POST', `v1/surveys/${surveyId}/previews`, saved);
    const { previewId } = made.json as { previewId: string };
    const key = keys.surveyPreview(previewId);
    const { Item } = await ddb.send(
      new GetItemCommand({ TableName: rt.tableName, Key: { pk: { S: key.pk }, sk: { S: key.sk } } }),
    );
    // Stored as if made two hours ago: the table's TTL may not have removed it yet.
    await ddb.send(
      new PutItemCommand({
        TableName: rt.tableName,
        Item: { ...Item, previewExpiresAt: { S: new Date(Date.now() - 3_600_000).toISOString() } },
      }),
    );
    const res = await api.call('GET', `v1/previews/${previewId}`);
    expect(res.status).toBe(404);
  });
});

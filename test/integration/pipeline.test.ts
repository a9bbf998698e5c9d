import { type DynamoDBClient, ScanCommand } from '@aws-sdk/client-dynamodb';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Runtime } from '#local/runtime.ts';
import { caseIdOf } from '#loop/rules/cases.ts';
import { type client, eventually, signedWebhook, startTestRuntime } from '../support/http.ts';

let rt: Runtime;
let api: ReturnType<typeof client>;
let ddb: DynamoDBClient;
const run = Date.now().toString(36);
const sid = (name: string) => `${name}-${run}`;

const storedResponses = async () => {
  const out = await ddb.send(
    new ScanCommand({
      TableName: rt.tableName,
      FilterExpression: '#t = :r',
      ExpressionAttributeNames: { '#t': 'type' },
      ExpressionAttributeValues: { ':r': { S: 'response' } },
      Select: 'COUNT',
    }),
  );
  return out.Count ?? 0;
};
const metrics = async (segment?: string) => {
  const q = segment ? `&segment=${encodeURIComponent(segment)}` : '';
  const res = await api.admin('GET', `v1/surveys/demo/metrics?window=7d${q}`);
  expect(res.status).toBe(200);
  return res.json;
};

let stopRuntime: (() => Promise<void>) | undefined;

beforeAll(async () => {
  ({ rt, api, ddb, stop: stopRuntime } = await startTestRuntime());
});

afterAll(async () => {
  await stopRuntime?.();
});

describe('the JSON API and aggregation', () => {
  it('stores a response, counts it in every segment, and answers the metrics contract', async () => {
    const res = await api.respond({
      surveyId: 'demo',
      submissionId: sid('first'),
      answers: { nps: 10, csat: 5, ces: 7, comment: 'Lovely' },
      attributes: { store: 's-agg', region: 'east', channel: 'kiosk' },
    });
    expect(res.status).toBe(201);
    await rt.streamsIdle();
    const store = await metrics('store:s-agg');
    expect(store.nps).toMatchObject({ score: 100, promoters: 1, passives: 0, detractors: 0, n: 1 });
    expect(store.csat).toMatchObject({ score: 100, n: 1 });
    expect(store.ces).toMatchObject({ mean: 7, n: 1 });
    expect((await metrics('channel:kiosk')).nps.n).toBeGreaterThanOrEqual(1);
  });

  it('counts a submission once when it is sent again, even concurrently', async () => {
    const body = {
      surveyId: 'demo',
      submissionId: sid('dup'),
      answers: { nps: 8, csat: 4, ces: 5 },
      attributes: { store: 's-dup' },
    };
    const results = await Promise.all(Array.from({ length: 8 }, () => api.respond(body)));
    expect(results.filter((r) => r.status === 201)).toHaveLength(1);
    expect(results.filter((r) => r.status === 200)).toHaveLength(7);
    expect(new Set(results.map((r) => r.json.submissionId))).toEqual(new Set([body.submissionId]));
    await rt.streamsIdle();
    expect((await metrics('store:s-dup')).nps).toMatchObject({ n: 1, passives: 1 });
  });

  it('refuses the same submission id with different answers', async () => {
    const body = { surveyId: 'demo', submissionId: sid('conflict'), answers: { nps: 8, csat: 4, ces: 5 } };
    expect((await api.respond(body)).status).toBe(201);
    const again = await api.respond({ ...body, answers: { nps: 1, csat: 1, ces: 1 } });
    expect(again.status).toBe(409);
    expect(again.headers.get('content-type')).toContain('application/problem+json');
  });
});

describe('bad input', () => {
  const valid = { surveyId: 'demo', submissionId: 'bad-input-000', answers: { nps: 5, csat: 3, ces: 4 } };
  const cases: Array<{
    name: string;
    status: number;
    raw?: string;
    body?: unknown;
    headers?: Record<string, string>;
  }> = [
    { name: 'an NPS of 11', status: 400, body: { ...valid, answers: { nps: 11, csat: 3, ces: 4 } } },
    { name: 'a string score', status: 400, body: { ...valid, answers: { nps: 'ten', csat: 3, ces: 4 } } },
    {
      name: 'an unknown question',
      status: 400,
      body: { ...valid, answers: { nps: 5, csat: 3, ces: 4, zzz: 1 } },
    },
    { name: 'a missing submissionId', status: 400, body: { surveyId: 'demo', answers: valid.answers } },
    { name: 'a too short submissionId', status: 400, body: { ...valid, submissionId: 'x' } },
    { name: 'an extra field', status: 400, body: { ...valid, admin: true } },
    { name: 'an unknown survey', status: 404, body: { ...valid, surveyId: 'nope' } },
    { name: 'broken JSON', status: 400, raw: '{"surveyId":' },
    { name: 'an empty body', status: 400, raw: '' },
    { name: 'a JSON array', status: 400, raw: '[]' },
    { name: 'null', status: 400, raw: 'null' },
    {
      name: 'a 100 KB body',
      status: 413,
      raw: JSON.stringify({ ...valid, answers: { comment: 'x'.repeat(100_000) } }),
    },
    {
      name: 'form data',
      status: 415,
      raw: 'nps=5',
      headers: { 'content-type': 'application/x-www-form-urlencoded' },
    },
    { name: 'an attribute key with spaces', status: 400, body: { ...valid, attributes: { 'bad key': 'v' } } },
    {
      name: 'a prototype-polluting key',
      status: 400,
      raw: '{"surveyId":"demo","submissionId":"bad-input-001","answers":{"__proto__":{"x":1}}}',
    },
  ];

  it.each(cases)(
    'answers $status as problem+json and stores nothing for $name',
    async ({ status, raw, body, headers }) => {
      const before = await storedResponses();
      const res = await api.call('POST', 'v1/responses', {
        raw: raw ?? JSON.stringify(body),
        headers: { 'content-type': 'application/json', ...headers },
      });
      expect(res.status).toBe(status);
      expect(res.headers.get('content-type')).toContain('application/problem+json');
      expect(res.json).toMatchObject({ status, title: expect.any(String) });
      expect(await storedResponses()).toBe(before);
    },
  );

  it('lists each wrong field in the problem', async () => {
    const res = await api.respond({ ...valid, answers: { nps: 11, csat: 0 } });
    expect(res.json.errors.map((e: { field: string }) => e.field).sort()).toEqual([
      'answers.ces',
      'answers.csat',
      'answers.nps',
    ]);
  });

  it('refuses admin routes without the token', async () => {
    const res = await api.call('GET', 'v1/cases');
    expect(res.status).toBe(401);
  });
});

describe('the generic webhook', () => {
  const body = () =>
    JSON.stringify({
      surveyId: 'demo',
      answers: { nps: 9, csat: 5, ces: 6 },
      attributes: { channel: 'ivr', store: 's-wh' },
    });

  it('stores a signed webhook once, even when the vendor retries it', async () => {
    const secret = rt.webhookSecrets.generic ?? '';
    const payload = body();
    const id = sid('msg');
    const first = await api.call('POST', 'v1/webhooks/generic', {
      raw: payload,
      headers: signedWebhook(secret, payload, id),
    });
    expect(first.status).toBe(201);
    const retry = await api.call('POST', 'v1/webhooks/generic', {
      raw: payload,
      headers: signedWebhook(secret, payload, id),
    });
    expect(retry.status).toBe(200);
    expect(retry.json.submissionId).toBe(first.json.submissionId);
    await rt.streamsIdle();
    expect((await metrics('store:s-wh')).nps.n).toBe(1);
  });

  it.each([
    {
      name: 'a wrong secret',
      headers: (p: string) =>
        signedWebhook(`whsec_${Buffer.from('w'.repeat(32)).toString('base64')}`, p, 'msg-x'),
    },
    {
      name: 'a stale timestamp',
      headers: (p: string) =>
        signedWebhook(rt.webhookSecrets.generic ?? '', p, 'msg-y', new Date(Date.now() - 10 * 60_000)),
    },
    { name: 'no signature', headers: () => ({ 'content-type': 'application/json' }) },
  ])('answers 401 and stores nothing for $name', async ({ headers }) => {
    const before = await storedResponses();
    const payload = body();
    const res = await api.call('POST', 'v1/webhooks/generic', { raw: payload, headers: headers(payload) });
    expect(res.status).toBe(401);
    expect(await storedResponses()).toBe(before);
  });

  it('answers 404 for a source nobody configured', async () => {
    const res = await api.call('POST', 'v1/webhooks/nobody', {
      raw: '{}',
      headers: { 'content-type': 'application/json' },
    });
    expect(res.status).toBe(404);
  });
});

describe('alerts and cases', () => {
  it('turns a detractor into a case, an SNS message and an escaped email to the owner', async () => {
    const submissionId = sid('angry');
    const comment = '<script>alert(1)</script> awful';
    expect(
      (
        await api.respond({
          surveyId: 'demo',
          submissionId,
          answers: { nps: 1, csat: 1, ces: 1, comment },
          attributes: { store: 's-alert' },
        })
      ).status,
    ).toBe(201);
    await rt.streamsIdle();
    const caseId = caseIdOf('demo', submissionId);

    const sns = await eventually(async () =>
      rt.snsMessages().find((m) => m.messageAttributes.caseId?.StringValue === caseId),
    );
    expect(JSON.stringify(sns)).toContain('s-alert');

    const mail = await eventually(async () => {
      const store = (await (
        await fetch(new URL('store', rt.mailboxUrl.endsWith('/') ? rt.mailboxUrl : `${rt.mailboxUrl}/`))
      ).json()) as { emails: Array<{ destination: { to: string[] }; body: { html: string; text: string } }> };
      return store.emails.find((e) => JSON.stringify(e).includes(caseId));
    });
    expect(mail.destination.to).toEqual(['cx-team@example.com']);
    expect(mail.body.html).toContain('&lt;script&gt;alert(1)&lt;/script&gt; awful');
    expect(mail.body.html).not.toContain('<script>');
    expect(mail.body.text).toContain('<script>alert(1)</script> awful');

    const listed = await api.admin('GET', 'v1/cases?status=open&surveyId=demo');
    expect(listed.json.items.map((c: { caseId: string }) => c.caseId)).toContain(caseId);

    expect((await api.admin('POST', `v1/cases/${caseId}/resolve`, { note: '' })).status).toBe(400);
    const acked = await api.admin('POST', `v1/cases/${caseId}/acknowledge`);
    expect(acked.json).toMatchObject({ status: 'acknowledged', acknowledgedBy: 'ana' });
    const resolved = await api.admin('POST', `v1/cases/${caseId}/resolve`, {
      note: 'Called the customer; refunded the visit.',
      rootCause: 'service-speed',
      customerContacted: true,
    });
    expect(resolved.json).toMatchObject({
      status: 'resolved',
      resolutionNote: 'Called the customer; refunded the visit.',
    });
  });

  it('opens no case for a happy customer', async () => {
    const submissionId = sid('happy');
    await api.respond({ surveyId: 'demo', submissionId, answers: { nps: 10, csat: 5, ces: 7 } });
    await rt.streamsIdle();
    expect((await api.admin('GET', `v1/cases/${caseIdOf('demo', submissionId)}`)).status).toBe(404);
  });
});

describe('the survey page', () => {
  const form = (fields: Record<string, string>) =>
    api.call('POST', 's/demo', {
      raw: new URLSearchParams(fields).toString(),
      headers: { 'content-type': 'application/x-www-form-urlencoded' },
    });

  it('serves the page in the language the phone asks for, with link attributes as hidden fields', async () => {
    const res = await api.call('GET', 's/demo?store=s-page&region=south', {
      headers: { 'accept-language': 'pt-BR,pt;q=0.9' },
    });
    expect(res.status).toBe(200);
    expect(res.headers.get('content-type')).toContain('text/html');
    expect(res.text).toContain('<html lang="pt">');
    expect(res.text).toContain('name="attr.store" value="s-page"');
    expect(res.headers.get('content-security-policy')).toContain("default-src 'none'");
  });

  it('records a form post and thanks the customer; a second post of the same form counts nothing', async () => {
    const fields = {
      submissionId: sid('form'),
      locale: 'es',
      nps: '9',
      csat: '4',
      ces: '6',
      comment: 'Todo bien',
      'attr.store': 's-form',
    };
    const res = await form(fields);
    expect(res.status).toBe(200);
    expect(res.text).toContain('¡Gracias!');
    expect((await form(fields)).status).toBe(200);
    await rt.streamsIdle();
    expect((await metrics('store:s-form')).nps).toMatchObject({ n: 1, promoters: 1 });
  });

  it('shows the page again with errors next to the fields and the answers kept, storing nothing', async () => {
    const before = await storedResponses();
    const res = await form({ submissionId: sid('form-bad'), locale: 'en', nps: '3', comment: 'Slow' });
    expect(res.status).toBe(400);
    expect(res.text).toContain('id="err-csat"');
    expect(res.text).toMatch(/name="nps" value="3" checked/);
    expect(res.text).toContain('>Slow</textarea>');
    expect(await storedResponses()).toBe(before);
  });

  it('answers a friendly 404 page for an unknown survey', async () => {
    const res = await api.call('GET', 's/unknown-survey?lang=es');
    expect(res.status).toBe(404);
    expect(res.text).toContain('Encuesta no encontrada');
  });

  it.each([
    {
      name: 'a 100 KB form',
      status: 413,
      raw: `submissionId=form-big-000001&comment=${'x'.repeat(100_000)}`,
      type: 'application/x-www-form-urlencoded',
    },
    { name: 'JSON instead of a form', status: 415, raw: '{"nps":9}', type: 'application/json' },
    {
      name: 'an attribute key with spaces',
      status: 400,
      raw: 'submissionId=form-attr-000001&nps=9&csat=4&ces=6&attr.bad%20key=v',
      type: 'application/x-www-form-urlencoded',
    },
  ])('answers $status with a page in the customer language for $name', async ({ status, raw, type }) => {
    const before = await storedResponses();
    const res = await api.call('POST', 's/demo', {
      raw,
      headers: { 'content-type': type, 'accept-language': 'es' },
    });
    expect(res.status).toBe(status);
    expect(res.headers.get('content-type')).toContain('text/html');
    expect(res.text).toContain('<html lang="es">');
    expect(await storedResponses()).toBe(before);
  });

  it('refuses a tampered submission id with a page, not a crash', async () => {
    const res = await form({ submissionId: '<x>', nps: '9', csat: '4', ces: '6' });
    expect(res.status).toBe(400);
    expect(res.headers.get('content-type')).toContain('text/html');
  });
});

describe('contacts', () => {
  it('imports a CSV, keeps the good rows, reports bad ones by line, and erases a contact on request', async () => {
    const csv =
      'email,phone,locale,store\nana@example.com,,es,s-1\nnot-an-email,,es,s-2\n,+5511987654321,pt,s-3\n';
    const res = await api.call('POST', 'v1/contacts/import?keepDays=30', {
      raw: csv,
      headers: { 'content-type': 'text/csv' },
      admin: true,
    });
    expect(res.status).toBe(200);
    expect(res.json).toMatchObject({
      rows: 3,
      imported: 2,
      errors: [expect.objectContaining({ line: 3, field: 'email' })],
    });
    const { contactIdOf } = await import('#invitations/rules/contacts.ts');
    const id = contactIdOf('ana@example.com', undefined);
    expect((await api.admin('GET', `v1/contacts/${id}`)).json).toMatchObject({
      email: 'ana@example.com',
      locale: 'es',
      attributes: { store: 's-1' },
    });
    expect((await api.admin('DELETE', `v1/contacts/${id}`)).status).toBe(204);
    expect((await api.admin('GET', `v1/contacts/${id}`)).status).toBe(404);
  });

  it('refuses an import without the admin token or in another format', async () => {
    expect(
      (
        await api.call('POST', 'v1/contacts/import', {
          raw: 'email\na@b.co',
          headers: { 'content-type': 'text/csv' },
        })
      ).status,
    ).toBe(401);
    const xml = await api.call('POST', 'v1/contacts/import', {
      raw: '<x/>',
      headers: { 'content-type': 'application/xml' },
      admin: true,
    });
    expect(xml.status).toBe(415);
  });

  it('imports a large file through the CLI with a progress bar, reporting bad rows by their line in the file', async () => {
    const { mkdtempSync, writeFileSync } = await import('node:fs');
    const { tmpdir } = await import('node:os');
    const { join } = await import('node:path');
    const { execFile } = await import('node:child_process');
    const dir = mkdtempSync(join(tmpdir(), 'pulso-contacts-'));
    const file = join(dir, 'contacts.csv');
    const lines = ['email,locale,store'];
    for (let i = 0; i < 2500; i++)
      lines.push(i === 1234 ? 'broken,es,s-1' : `cli${i}@example.com,pt,s-${i % 9}`);
    writeFileSync(file, `${lines.join('\n')}\n`);
    const out = await new Promise<{ code: number; stdout: string }>((resolve) => {
      execFile(
        process.execPath,
        ['--import', 'tsx', 'scripts/import-contacts.ts', file, '--chunk', '400'],
        { env: { ...process.env, PULSO_API_URL: rt.apiUrl, PULSO_ADMIN_TOKEN: rt.adminToken } },
        (err, stdout) => resolve({ code: err ? ((err as { code?: number }).code ?? 1) : 0, stdout }),
      );
    });
    expect(out.stdout).toContain('2500 rows read, 2499 contacts imported, 1 rows refused.');
    expect(out.stdout).toContain('line 1236, email');
    expect(out.code).toBe(1);
  });
});

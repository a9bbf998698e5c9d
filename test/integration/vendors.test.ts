import { type DynamoDBClient, ScanCommand } from '@aws-sdk/client-dynamodb';
import { unmarshall } from '@aws-sdk/util-dynamodb';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Runtime } from '#local/runtime.ts';
import type { SeededVendors } from '#local/seed.ts';
import { send, twilioRequest, type VendorRequest, zendeskRequest } from '#local/vendors.ts';
import { caseIdOf } from '#loop/rules/cases.ts';
import { type client, signedWebhook, startTestRuntime } from '../support/http.ts';

let rt: Runtime;
let api: ReturnType<typeof client>;
let ddb: DynamoDBClient;
let vendors: SeededVendors;
let stopRuntime: (() => Promise<void>) | undefined;
const run = Date.now().toString(36);
/** A Twilio call id of this run: `CA` and 32 hex digits. */
const callSid = (n: number) =>
  `CA${(run + n.toString(16))
    .replace(/[^0-9a-f]/g, '0')
    .padStart(32, '0')
    .slice(-32)}`;

beforeAll(async () => {
  ({ rt, api, ddb, stop: stopRuntime } = await startTestRuntime());
  if (!rt.vendors) throw new Error('the seed made no vendor sources');
  vendors = rt.vendors;
});

afterAll(async () => {
  await stopRuntime?.();
});

/** Every response item of a submission, as stored (a scan: the test's own, never the handlers'). */
const stored = async (submissionId: string) => {
  const out = await ddb.send(
    new ScanCommand({
      TableName: rt.tableName,
      FilterExpression: 'submissionId = :s AND #t = :r',
      ExpressionAttributeNames: { '#t': 'type' },
      ExpressionAttributeValues: { ':s': { S: submissionId }, ':r': { S: 'response' } },
    }),
  );
  return (out.Items ?? []).map((i) => unmarshall(i));
};
const metrics = async (segment: string) => {
  const res = await api.admin(
    'GET',
    `v1/surveys/demo/metrics?window=7d&segment=${encodeURIComponent(segment)}`,
  );
  expect(res.status).toBe(200);
  return res.json;
};
const post = (request: VendorRequest) =>
  send(request).then((r) => ({ ...r, json: JSON.parse(r.text || '{}') }));

describe('Twilio Studio', () => {
  const question = (sid: string, q: string, answer: string, store: string) => ({
    CallSid: sid,
    survey: 'demo',
    question: q,
    answer,
    'attributes.store': store,
    'attributes.channel': 'ivr',
  });

  it('counts the two answers of a caller who hangs up before the third, each once as it arrives', async () => {
    const sid = callSid(1);
    const first = await post(twilioRequest(vendors.twilio, question(sid, 'nps', '3', 's-ivr')));
    expect(first.status).toBe(201);
    expect(first.json).toMatchObject({ submissionId: `twilio.${sid}`, status: 'created', added: ['nps'] });
    await rt.streamsIdle();
    expect((await metrics('store:s-ivr')).nps).toMatchObject({ n: 1, detractors: 1 });
    const second = await post(twilioRequest(vendors.twilio, question(sid, 'csat', '2', 's-ivr')));
    expect(second.json).toMatchObject({ status: 'created', added: ['csat'] });
    await rt.streamsIdle();
    const figures = await metrics('store:s-ivr');
    expect(figures.nps.n).toBe(1);
    expect(figures.csat.n).toBe(1);
    expect(figures.ces.n).toBe(0);
    const [item] = await stored(`twilio.${sid}`);
    expect(item).toMatchObject({ answers: { nps: 3, csat: 2 }, parts: 2, capturedVia: 'webhook:twilio' });
    // The detractor opened a case as soon as the NPS came, without waiting for the rest.
    const opened = await api.admin('GET', `v1/cases/${caseIdOf('demo', `twilio.${sid}`)}`);
    expect(opened.status).toBe(200);
    expect(opened.json.interaction).toEqual({ id: sid, vendor: 'twilio' });
  });

  it('counts a question once when Studio retries it, even at the same time', async () => {
    const request = twilioRequest(vendors.twilio, question(callSid(2), 'nps', '9', 's-ivr-retry'));
    const results = await Promise.all(Array.from({ length: 6 }, () => post(request)));
    expect(results.map((r) => r.status).sort()).toEqual([200, 200, 200, 200, 200, 201]);
    await rt.streamsIdle();
    expect((await metrics('store:s-ivr-retry')).nps).toMatchObject({ n: 1, promoters: 1 });
  });

  it('counts the answers of a JSON body sent at the end of a call, signed through bodySHA256', async () => {
    const body = { CallSid: callSid(3), answers: { nps: 10, ces: 6 }, attributes: { store: 's-ivr-json' } };
    const res = await post(twilioRequest(vendors.twilio, body, { json: true }));
    expect(res.status).toBe(201);
    expect(res.json.added.sort()).toEqual(['ces', 'nps']);
    await rt.streamsIdle();
    const figures = await metrics('store:s-ivr-json');
    expect(figures.nps.n).toBe(1);
    expect(figures.ces).toMatchObject({ n: 1, mean: 6 });
  });

  it('refuses another answer to a question already answered (409), keeping the first', async () => {
    const sid = callSid(4);
    expect((await post(twilioRequest(vendors.twilio, question(sid, 'nps', '7', 's-ivr-409')))).status).toBe(
      201,
    );
    const again = await post(twilioRequest(vendors.twilio, question(sid, 'nps', '8', 's-ivr-409')));
    expect(again.status).toBe(409);
    expect((await stored(`twilio.${sid}`))[0]?.answers).toEqual({ nps: 7 });
  });

  it.each([
    [
      'a wrong auth token',
      () =>
        twilioRequest(
          { ...vendors.twilio, authToken: 'f'.repeat(32) },
          question(callSid(5), 'nps', '1', 's-x'),
        ),
      401,
    ],
    [
      'a tampered field',
      () => {
        const signed = twilioRequest(vendors.twilio, question(callSid(5), 'nps', '9', 's-x'));
        return { ...signed, body: signed.body.replace('answer=9', 'answer=0') };
      },
      401,
    ],
    [
      'a URL other than the one set in Twilio',
      () => ({
        ...twilioRequest(
          { ...vendors.twilio, url: `${vendors.twilio.url}?survey=demo` },
          question(callSid(5), 'nps', '1', 's-x'),
        ),
        url: vendors.twilio.url,
      }),
      401,
    ],
    [
      'a tampered JSON body',
      () => {
        const signed = twilioRequest(
          vendors.twilio,
          { CallSid: callSid(5), answers: { nps: 9 } },
          { json: true },
        );
        return { ...signed, body: signed.body.replace('9', '0') };
      },
      401,
    ],
    [
      'no signature',
      () => {
        const { 'x-twilio-signature': _, ...headers } = twilioRequest(
          vendors.twilio,
          question(callSid(5), 'nps', '1', 's-x'),
        ).headers;
        return { ...twilioRequest(vendors.twilio, question(callSid(5), 'nps', '1', 's-x')), headers };
      },
      401,
    ],
    [
      'a signed body without its call',
      () => twilioRequest(vendors.twilio, { question: 'nps', answer: '9' }),
      400,
    ],
    [
      'a signed answer out of range',
      () => twilioRequest(vendors.twilio, question(callSid(5), 'nps', '11', 's-x')),
      400,
    ],
    [
      'a signed body that is not JSON',
      () => twilioRequest(vendors.twilio, '{nope' as never, { json: true }),
      400,
    ],
  ])('refuses %s and stores nothing', async (_, make, status) => {
    const res = await post(make());
    expect(res.status).toBe(status);
    expect(res.json.type).toMatch(/^urn:pulso:problem:/);
    expect(await stored(`twilio.${callSid(5)}`)).toEqual([]);
  });
});

describe('Zendesk', () => {
  const trigger = (ticket: number, satisfaction: Record<string, string>, store = 's-zd') => ({
    ticket: {
      id: String(ticket),
      url: `acme.zendesk.com/agent/tickets/${ticket}`,
      group: 'Soporte',
      assignee: 'Lucía Pérez',
      brand: 'Acme',
      channel: 'Web Form',
      language: 'Español',
    },
    satisfaction,
    attributes: { store },
  });
  const ticketOf = (n: number) => Number(`${Date.now() % 1_000_000}${n}`);

  it('counts a bad rating and opens a case that links back to the ticket', async () => {
    const ticket = ticketOf(1);
    const res = await post(
      zendeskRequest(
        vendors.zendesk,
        trigger(ticket, { rating: 'Bad, I’m unsatisfied', comment: 'Tres días sin respuesta' }),
      ),
    );
    expect(res.status).toBe(201);
    await rt.streamsIdle();
    expect((await metrics('store:s-zd')).csat).toMatchObject({ n: 1, score: 0 });
    const opened = await api.admin('GET', `v1/cases/${caseIdOf('demo', `zendesk.${ticket}`)}`);
    expect(opened.status).toBe(200);
    expect(opened.json.interaction).toEqual({
      id: String(ticket),
      vendor: 'zendesk',
      url: `https://acme.zendesk.com/agent/tickets/${ticket}`,
    });
    expect(opened.json.segment).toMatchObject({ group: 'Soporte', assignee: 'Lucía Pérez', brand: 'Acme' });
    expect(opened.json.locale).toBe('es');
  });

  it('counts a delivery Zendesk retries at the same time once', async () => {
    const ticket = ticketOf(3);
    const request = zendeskRequest(vendors.zendesk, trigger(ticket, { rating: '4' }, 's-zd-3'));
    const results = await Promise.all(Array.from({ length: 5 }, () => post(request)));
    expect(results.map((r) => r.status).sort()).toEqual([200, 200, 200, 200, 201]);
    await rt.streamsIdle();
    expect((await metrics('store:s-zd-3')).csat).toMatchObject({ n: 1, score: 100 });
  });

  it('counts a replayed delivery once, and adds a comment given later without counting the rating again', async () => {
    const ticket = ticketOf(2);
    const first = zendeskRequest(vendors.zendesk, trigger(ticket, { rating: 'good' }, 's-zd-2'));
    expect((await post(first)).status).toBe(201);
    expect((await post(first)).status).toBe(200);
    const comment = await post(
      zendeskRequest(
        vendors.zendesk,
        trigger(ticket, { rating: 'good', comment: 'Muy amables 👍' }, 's-zd-2'),
      ),
    );
    expect(comment.json).toMatchObject({ status: 'created', added: ['comment'] });
    await rt.streamsIdle();
    expect((await metrics('store:s-zd-2')).csat).toMatchObject({ n: 1, score: 100 });
    expect((await stored(`zendesk.${ticket}`))[0]?.answers).toEqual({ csat: 5, comment: 'Muy amables 👍' });
  });

  it.each([
    [
      'a wrong signing secret',
      () =>
        zendeskRequest(
          { ...vendors.zendesk, signingSecret: 'x'.repeat(44) },
          trigger(ticketOf(9), { rating: 'bad' }),
        ),
      401,
    ],
    [
      'a tampered body',
      () => {
        const signed = zendeskRequest(vendors.zendesk, trigger(ticketOf(9), { rating: 'good' }));
        return { ...signed, body: signed.body.replace('good', 'bad') };
      },
      401,
    ],
    [
      'a stale timestamp',
      () =>
        zendeskRequest(
          vendors.zendesk,
          trigger(ticketOf(9), { rating: 'bad' }),
          new Date(Date.now() - 10 * 60_000),
        ),
      401,
    ],
    [
      'no signature',
      () => {
        const signed = zendeskRequest(vendors.zendesk, trigger(ticketOf(9), { rating: 'bad' }));
        const { 'x-zendesk-webhook-signature': _, ...headers } = signed.headers;
        return { ...signed, headers };
      },
      401,
    ],
    [
      'a signed body of another shape',
      () => zendeskRequest(vendors.zendesk, { ticket: ticketOf(9), rating: 'bad' }),
      400,
    ],
    [
      'a signed ticket not rated yet',
      () => zendeskRequest(vendors.zendesk, trigger(ticketOf(9), { rating: 'offered' })),
      400,
    ],
    ['a signed body that is not JSON', () => zendeskRequest(vendors.zendesk, '{"ticket":'), 400],
  ])('refuses %s and stores nothing', async (_, make, status) => {
    const res = await post(make());
    expect(res.status).toBe(status);
    expect(res.json.type).toMatch(/^urn:pulso:problem:/);
    expect(await stored(`zendesk.${ticketOf(9)}`)).toEqual([]);
  });
});

describe('webhook sources through the admin API', () => {
  const body = JSON.stringify({
    surveyId: 'demo',
    answers: { nps: 9, csat: 5, ces: 6 },
    attributes: { store: 's-src' },
  });

  it('makes a standard source, answers its secret once, rotates it with an overlap, and deletes it', async () => {
    const name = `kiosk-${run}`;
    const made = await api.admin('PUT', `v1/webhooks/${name}`, { kind: 'standard' });
    expect(made.status).toBe(201);
    const first: string = made.json.secret;
    expect(first).toMatch(/^whsec_/);
    const listed = await api.admin('GET', 'v1/webhooks');
    expect(listed.json.sources.map((s: { name: string }) => s.name)).toContain(name);
    expect(listed.text).not.toContain(first);
    expect(listed.text).not.toContain(vendors.twilio.authToken);
    expect(listed.text).not.toContain(vendors.zendesk.signingSecret);

    const hook = (secret: string, id: string) =>
      api.call('POST', `v1/webhooks/${name}`, { raw: body, headers: signedWebhook(secret, body, id) });
    expect((await hook(first, `a-${run}`)).status).toBe(201);
    const rotated = await api.admin('POST', `v1/webhooks/${name}/secrets`, { previousValidForHours: 1 });
    expect(rotated.status).toBe(200);
    const second: string = rotated.json.secret;
    expect(rotated.json.source.secrets).toHaveLength(2);
    expect((await hook(second, `b-${run}`)).status).toBe(201);
    expect((await hook(first, `c-${run}`)).status).toBe(201);
    const abrupt = await api.admin('POST', `v1/webhooks/${name}/secrets`, { previousValidForHours: 0 });
    expect((await hook(second, `d-${run}`)).status).toBe(401);
    expect((await hook(abrupt.json.secret, `e-${run}`)).status).toBe(201);

    expect((await api.admin('DELETE', `v1/webhooks/${name}`)).status).toBe(204);
    expect((await hook(abrupt.json.secret, `f-${run}`)).status).toBe(404);
    expect((await api.admin('DELETE', `v1/webhooks/${name}`)).status).toBe(404);
  });

  it('refuses a standard body changed after it was signed, storing nothing', async () => {
    const name = `tamper-${run}`;
    const made = await api.admin('PUT', `v1/webhooks/${name}`, { kind: 'standard' });
    const headers = signedWebhook(made.json.secret, body, `t-${run}`);
    const tampered = body.replace('"nps":9', '"nps":0');
    const res = await api.call('POST', `v1/webhooks/${name}`, { raw: tampered, headers });
    expect(res.status).toBe(401);
    expect(await stored(`${name}.t-${run}`)).toEqual([]);
  });

  it.each([
    ['a twilio source without its console URL', { kind: 'twilio', secret: 'a'.repeat(32) }],
    ['a twilio source without its auth token', { kind: 'twilio', url: 'https://x.example/v1/webhooks/t' }],
    ['a zendesk source without its survey', { kind: 'zendesk', secret: 'z'.repeat(44) }],
    ['an unknown kind', { kind: 'typeform' }],
    ['a standard secret of the wrong form', { kind: 'standard', secret: 'hunter2' }],
  ])('refuses %s with a 400 and makes nothing', async (_, input) => {
    const name = `bad-${run}`;
    const res = await api.admin('PUT', `v1/webhooks/${name}`, input);
    expect(res.status).toBe(400);
    const listed = await api.admin('GET', 'v1/webhooks');
    expect(listed.json.sources.map((s: { name: string }) => s.name)).not.toContain(name);
  });

  it('refuses to change the kind of a source', async () => {
    const res = await api.admin('PUT', 'v1/webhooks/zendesk', { kind: 'standard' });
    expect(res.status).toBe(409);
  });
});

describe('npm run vendor', () => {
  /** Runs the CLI against this runtime's vendors, as `npm run vendor -- …` would against `npm start`'s. */
  const vendor = async (...args: string[]) => {
    const { mkdtempSync, writeFileSync } = await import('node:fs');
    const { tmpdir } = await import('node:os');
    const { join } = await import('node:path');
    const { execFile } = await import('node:child_process');
    const file = join(mkdtempSync(join(tmpdir(), 'pulso-vendor-')), 'runtime.json');
    writeFileSync(file, JSON.stringify({ vendors: rt.vendors }));
    return new Promise<{ code: number; stdout: string }>((resolve) => {
      execFile(
        process.execPath,
        ['--import', 'tsx', 'scripts/vendor.ts', ...args, '--runtime', file],
        (err, stdout) => resolve({ code: err ? ((err as { code?: number }).code ?? 1) : 0, stdout }),
      );
    });
  };

  it('plays an IVR call, a Zendesk rating and a contact flow whose answers arrive', async () => {
    const twilio = await vendor('twilio', '--answer', 'nps=4', '--answer', 'csat=3', '--attr', 'store=s-cli');
    expect(twilio.code).toBe(0);
    expect(twilio.stdout.match(/← 201/g)).toHaveLength(2);
    const zendesk = await vendor(
      'zendesk',
      '--rating',
      'good',
      '--comment',
      'Rápido',
      '--attr',
      'store=s-cli',
    );
    expect(zendesk.code).toBe(0);
    expect(zendesk.stdout).toContain('← 201');
    const connect = await vendor('connect', '--answer', 'nps=10', '--at-end', '--attr', 'store=s-cli');
    expect(connect.code).toBe(0);
    expect(connect.stdout).toContain('← created');
    await rt.streamsIdle();
    const figures = await metrics('store:s-cli');
    expect(figures.nps.n).toBe(2);
    expect(figures.csat.n).toBe(2);
  });

  it('exits 1 when the API refuses what it played', async () => {
    const out = await vendor('twilio', '--answer', 'nps=12');
    expect(out.code).toBe(1);
    expect(out.stdout).toContain('← 400');
  });
});

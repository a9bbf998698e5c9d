import { type DynamoDBClient, GetItemCommand, ScanCommand } from '@aws-sdk/client-dynamodb';
import fc from 'fast-check';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Runtime } from '#local/runtime.ts';
import { type LocalRoute, readStack, synthesizeTemplate } from '#local/template/index.ts';
import { FOLLOW_UP_FIELD } from '#loop/rules/recovery.ts';
import { type client, signedWebhook, startTestRuntime } from '../support/http.ts';

/**
 * Property-based fuzz of every route of the synthesized template, against the local runtime: whatever the request,
 * never a 5xx; every 4xx is problem+json (an HTML page on the customers' pages); and a batch of requests that were
 * all refused stores and counts nothing. The routes come from the template, so a new route is walked unedited.
 */

let rt: Runtime;
let api: ReturnType<typeof client>;
let ddb: DynamoDBClient;
let routes: readonly LocalRoute[];
let stop: (() => Promise<void>) | undefined;

const RUNS_PER_ROUTE = 3;
const BATCH = 10;
const PROTOTYPE_NAMES = [
  '__proto__',
  'constructor',
  'toString',
  'hasOwnProperty',
  'valueOf',
  'isPrototypeOf',
];

const figures = {
  routes: new Set<string>(),
  requests: 0,
  statuses: new Map<number, number>(),
  batchesChecked: 0,
  batchesWithAccepted: 0,
};

beforeAll(async () => {
  const template = await synthesizeTemplate();
  routes = readStack(template).routes;
  ({ rt, api, ddb, stop } = await startTestRuntime({ template }));
}, 240_000);

afterAll(async () => {
  const statuses = Object.fromEntries([...figures.statuses].sort(([a], [b]) => a - b));
  console.log(
    `[fuzz] routes walked: ${figures.routes.size}/${routes?.length ?? 0}, requests: ${figures.requests}, ` +
      `batches checked for storage: ${figures.batchesChecked} (with an accepted request, not checked: ` +
      `${figures.batchesWithAccepted}), statuses: ${JSON.stringify(statuses)}`,
  );
  await stop?.();
});

// ---------------------------------------------------------------------------------------------------------
// Generators

const entriesObject = <T>(entries: fc.Arbitrary<[string, T][]>) =>
  // Object.fromEntries keeps `__proto__` as an own key, so JSON.stringify writes it as a vendor could.
  entries.map((e) => Object.fromEntries(e));

const oddText = fc.oneof(
  fc.string({ maxLength: 20 }),
  fc.string({ unit: 'grapheme', maxLength: 10 }),
  fc.constantFrom(
    '',
    ' ',
    '<script>alert(1)</script>',
    '\u0000',
    'a\nb',
    '😀',
    '%',
    '../..',
    'x'.repeat(300),
  ),
  fc.constantFrom(...PROTOTYPE_NAMES),
);
const junk: fc.Arbitrary<unknown> = fc.oneof(
  fc.integer({ min: -20, max: 30 }),
  fc.constantFrom(null, true, false, 3.5, -0, 1e300, [], {}, { $gt: '' }),
  oddText,
  fc.array(fc.integer(), { maxLength: 2 }),
);
const key = fc.oneof(
  fc.constantFrom('nps', 'csat', 'ces', 'comment', 'store', 'region', 'channel'),
  fc.constantFrom(...PROTOTYPE_NAMES),
  oddText,
);
const record = (value: fc.Arbitrary<unknown>) =>
  entriesObject(fc.array(fc.tuple(key, value), { maxLength: 5 }));

/** Near-valid bodies of POST /v1/responses (and generic webhooks): mostly one or more defects. */
const responseBody = fc.record(
  {
    surveyId: fc.oneof(fc.constant('demo'), junk),
    submissionId: fc.oneof(
      fc.stringMatching(/^[a-z0-9]{8,12}$/).map((s) => `fuzz-${s}`),
      junk,
    ),
    answers: fc.oneof(record(fc.oneof(fc.integer({ min: -2, max: 12 }), junk)), junk),
    attributes: fc.oneof(record(fc.oneof(fc.constant('s-1'), junk)), junk),
    locale: fc.oneof(fc.constantFrom('en', 'es', 'pt', 'xx'), junk),
    extra: junk,
  },
  { requiredKeys: [] },
);
const jsonBody = fc.oneof(
  responseBody,
  record(junk),
  fc.jsonValue({ maxDepth: 3 }),
  entriesObject(
    fc.array(fc.tuple(fc.constantFrom(...PROTOTYPE_NAMES), fc.oneof(record(junk), junk)), {
      minLength: 1,
      maxLength: 2,
    }),
  ),
);

const formKey = fc.oneof(
  fc.constantFrom('nps', 'csat', 'ces', 'comment', 'submissionId', 'locale', 't', 'sig', FOLLOW_UP_FIELD),
  fc.constantFrom(...PROTOTYPE_NAMES).chain((k) => fc.constantFrom(k, `attr.${k}`)),
  fc.constantFrom('attr.store', 'attr.', 'attr.lang', 'attr.bad key'),
  oddText,
);
const formValue = fc.oneof(
  fc.integer({ min: -2, max: 12 }).map(String),
  oddText,
  fc.constant('fuzz-12345678'),
);
const formBody = fc
  .array(fc.tuple(formKey, formValue), { maxLength: 8 })
  .map((fields) => new URLSearchParams(fields).toString());

type Body = { readonly raw: string; readonly contentType?: string };
const body = (kind: 'json' | 'form'): fc.Arbitrary<Body | undefined> => {
  const right = kind === 'json' ? 'application/json' : 'application/x-www-form-urlencoded';
  const text = kind === 'json' ? jsonBody.map((v) => JSON.stringify(v) ?? '') : formBody;
  const contentType = fc.oneof(
    { weight: 4, arbitrary: fc.constant(right) },
    fc.constantFrom(
      undefined,
      'text/plain',
      'application/xml',
      'multipart/form-data; boundary=x',
      'application/json; charset=utf-8',
      'application/x-www-form-urlencoded',
      'application/json',
      'Application/JSON',
      'text/csv',
    ),
  );
  return fc.oneof(
    { weight: 6, arbitrary: fc.record({ raw: text, contentType }) },
    fc.record({ raw: fc.string({ maxLength: 40 }), contentType }),
    fc.record({ raw: text.map((t) => t.slice(0, Math.floor(t.length / 2))), contentType }),
    // Over the handlers' 64 KB limit.
    fc.record({ raw: fc.constant(`{"a":"${'x'.repeat(70_000)}"}`), contentType }),
    fc.constant(undefined),
  );
};

const query = fc
  .array(
    fc.tuple(
      fc.oneof(
        fc.constantFrom(
          'lang',
          't',
          'sig',
          'score',
          'window',
          'segment',
          'store',
          'cursor',
          'limit',
          'status',
        ),
        fc.constantFrom(...PROTOTYPE_NAMES),
        oddText,
      ),
      fc.oneof(fc.constantFrom('es', '9', '7d', 'store:s-1', 'AAAAAAAAAAAAAAAAAAAAAA', '-1'), oddText),
    ),
    { maxLength: 4 },
  )
  .map((q) => new URLSearchParams(q).toString());

// Header values are bytes on the wire: printable ASCII only (fetch refuses the rest before sending).
const headerText = oddText.map((s) => s.replace(/[^\x20-\x7e]/g, '?'));
const headers = fc.record(
  {
    'accept-language': fc.oneof(fc.constantFrom('es', 'pt-BR,pt;q=0.9', '*', 'xx;q=abc'), headerText),
    cookie: fc.oneof(fc.constantFrom('pulso_device=abc', 'pulso_device=', '=;;'), headerText),
    'x-odd': headerText,
  },
  { requiredKeys: [] },
);

/** A path parameter: known ids, odd text (encoded) and prototype names. */
const param = fc.oneof(
  fc.constantFrom('demo', 'generic', 'twilio', 'zendesk', 'nope', 'c-0000', ...PROTOTYPE_NAMES),
  oddText
    // `.` and `..` are path segments every URL parser resolves: they never reach a route.
    .filter((s) => s !== '' && s !== '.' && s !== '..')
    .map((s) => encodeURIComponent(s)),
);

interface FuzzRequest {
  readonly path: string;
  readonly query: string;
  readonly headers: Record<string, string>;
  readonly body: Body | undefined;
  /** For webhooks: sign the body with the source's secret. */
  readonly sign: boolean;
}

function requestsOf(route: LocalRoute): fc.Arbitrary<FuzzRequest> {
  const names = [...route.path.matchAll(/\{(\w+)\}/g)].map((m) => m[1] ?? '');
  const params = fc.tuple(...names.map(() => param));
  const kind = route.path.startsWith('/s/') || route.path.startsWith('/c/') ? 'form' : 'json';
  const hasBody = route.method !== 'GET' && route.method !== 'DELETE';
  return fc
    .record({
      params,
      query,
      headers,
      body: hasBody ? body(kind) : fc.constant(undefined),
      sign: fc.boolean(),
    })
    .map(({ params: values, query: q, headers: h, body: b, sign }) => ({
      path: names.reduce((p, name, i) => p.replace(`{${name}}`, values[i] ?? ''), route.path),
      query: q,
      headers: h as Record<string, string>,
      body: b,
      sign,
    }));
}

// ---------------------------------------------------------------------------------------------------------
// What "stored or counted" means: the table's items (but the keys made on first use), and the demo survey's
// counts of the last 7 days.

async function itemCount(): Promise<number> {
  let count = 0;
  let start: Record<string, unknown> | undefined;
  do {
    const out = await ddb.send(
      new ScanCommand({
        TableName: rt.tableName,
        Select: 'COUNT',
        ConsistentRead: true,
        // Keys made on first use (signing keys, the rate limit's salt) are not what a request stores.
        FilterExpression: 'attribute_not_exists(#type) OR #type <> :key',
        ExpressionAttributeNames: { '#type': 'type' },
        ExpressionAttributeValues: { ':key': { S: 'signing-key' } },
        // biome-ignore lint/suspicious/noExplicitAny: the key is passed back as DynamoDB returned it
        ExclusiveStartKey: start as any,
      }),
    );
    count += out.Count ?? 0;
    start = out.LastEvaluatedKey;
  } while (start);
  return count;
}

async function snapshot() {
  await rt.idle();
  const metrics = await api.admin('GET', 'v1/surveys/demo/metrics?window=7d');
  expect(metrics.status).toBe(200);
  return { items: await itemCount(), n: [metrics.json.nps?.n, metrics.json.csat?.n, metrics.json.ces?.n] };
}

const isPage = (route: LocalRoute) => route.path.startsWith('/s/') || route.path.startsWith('/c/');

async function send(route: LocalRoute, req: FuzzRequest) {
  const headers: Record<string, string> = { ...req.headers };
  const raw = req.body?.raw;
  if (req.body?.contentType) headers['content-type'] = req.body.contentType;
  if (route.path.startsWith('/v1/webhooks/') && req.sign) {
    // Sign with the source's secret, or with generic's for an unknown source (answered 404 before the check).
    const source = decodeURIComponent(req.path.split('/')[3] ?? '');
    const secrets = new Map(Object.entries(rt.webhookSecrets));
    const secret = secrets.get(source) ?? secrets.get('generic') ?? '';
    const signed = signedWebhook(secret, raw ?? '', `msg_${Math.random().toString(36).slice(2)}`);
    Object.assign(headers, { ...signed, 'content-type': req.body?.contentType ?? signed['content-type'] });
    if (!req.body?.contentType) delete headers['content-type'];
  }
  const res = await api.call(route.method, `${req.path.slice(1)}${req.query ? `?${req.query}` : ''}`, {
    headers,
    admin: route.authorization === 'JWT',
    ...(raw !== undefined ? { raw } : {}),
  });
  figures.requests += 1;
  figures.statuses.set(res.status, (figures.statuses.get(res.status) ?? 0) + 1);
  return res;
}

/** Why a response breaks the contract, or undefined. */
function defectOf(route: LocalRoute, res: Awaited<ReturnType<typeof send>>): string | undefined {
  if (res.status >= 500) return `answered ${res.status}`;
  if (res.status < 400) return undefined;
  const type = res.headers.get('content-type') ?? '';
  if (isPage(route)) return type.startsWith('text/html') ? undefined : `a ${res.status} page as ${type}`;
  if (!type.startsWith('application/problem+json')) return `a ${res.status} as ${type}`;
  return res.json?.status === res.status ? undefined : `a problem whose status is ${res.json?.status}`;
}

/** A refused capture request must not have stored its submission either. */
async function storedSubmission(req: FuzzRequest): Promise<boolean> {
  if (req.body?.raw === undefined) return false;
  let surveyId: unknown;
  let submissionId: unknown;
  try {
    ({ surveyId, submissionId } = JSON.parse(req.body.raw) as Record<string, unknown>);
  } catch {
    const form = new URLSearchParams(req.body.raw);
    surveyId = decodeURIComponent(req.path.split('/')[2] ?? '');
    submissionId = form.get('submissionId');
  }
  if (typeof surveyId !== 'string' || typeof submissionId !== 'string') return false;
  const { Item } = await ddb.send(
    new GetItemCommand({
      TableName: rt.tableName,
      Key: { pk: { S: `RESPONSE#${surveyId}#${submissionId}` }, sk: { S: 'RESPONSE' } },
      ConsistentRead: true,
    }),
  );
  return Item !== undefined;
}

describe('every route of the template, fuzzed', () => {
  it('walks the routes read from the template', () => {
    expect(routes.length).toBeGreaterThanOrEqual(39);
    expect(routes.map((r) => r.routeKey)).toEqual(
      expect.arrayContaining(['POST /v1/responses', 'POST /v1/webhooks/{source}', 'GET /s/{surveyId}']),
    );
  });

  it('answers a signed webhook whose body is not JSON with a 400 problem, storing nothing', async () => {
    const secret = rt.webhookSecrets.generic ?? '';
    const res = await api.call('POST', 'v1/webhooks/generic', {
      raw: 'not json {',
      headers: signedWebhook(secret, 'not json {', 'msg_notjson'),
    });
    expect(res.status).toBe(400);
    expect(res.headers.get('content-type')).toContain('application/problem+json');
  });

  it.each(PROTOTYPE_NAMES)('refuses an attribute or answer key "%s" with a 400 field error', async (name) => {
    const before = await snapshot();
    const submissionId = `proto-${name.replace(/_/g, 'u')}-${Date.now().toString(36)}`;
    const raw = (where: 'answers' | 'attributes') =>
      where === 'answers'
        ? `{"surveyId":"demo","submissionId":"${submissionId}","answers":{"nps":9,"${name}":3}}`
        : `{"surveyId":"demo","submissionId":"${submissionId}","answers":{"nps":9},"attributes":{"${name}":"x"}}`;
    for (const where of ['answers', 'attributes'] as const) {
      const res = await api.call('POST', 'v1/responses', {
        raw: raw(where),
        headers: { 'content-type': 'application/json' },
      });
      expect(res.status).toBe(400);
      expect(res.json.errors).toEqual(
        expect.arrayContaining([expect.objectContaining({ field: `${where}.${name}` })]),
      );
    }
    const form = await api.call('POST', 's/demo', {
      raw: new URLSearchParams([
        ['nps', '9'],
        [`attr.${name}`, 'x'],
        ['submissionId', submissionId],
      ]).toString(),
      headers: { 'content-type': 'application/x-www-form-urlencoded' },
    });
    expect(form.status).toBe(400);
    expect(form.headers.get('content-type')).toContain('text/html');
    expect(await snapshot()).toEqual(before);
  });

  it('never answers 5xx, answers every 4xx as a problem (or a page), and stores nothing it refused', async () => {
    const defects: string[] = [];
    for (const route of routes) {
      figures.routes.add(route.routeKey);
      await fc.assert(
        fc.asyncProperty(
          fc.array(requestsOf(route), { minLength: BATCH, maxLength: BATCH }),
          async (batch) => {
            const before = await snapshot();
            const results = await Promise.all(
              batch.map(async (req) => ({ req, res: await send(route, req) })),
            );
            const accepted = results.filter(({ res }) => res.status < 400);
            for (const { req, res } of results) {
              const defect = defectOf(route, res);
              if (defect)
                defects.push(
                  `${route.routeKey} ${req.path}?${req.query}: ${defect} ${res.text.slice(0, 160)}`,
                );
              if (!defect && res.status >= 400 && (await storedSubmission(req)))
                defects.push(
                  `${route.routeKey}: refused with ${res.status} but stored ${req.body?.raw.slice(0, 120)}`,
                );
            }
            if (accepted.length > 0) {
              figures.batchesWithAccepted += 1;
            } else {
              figures.batchesChecked += 1;
              expect(
                await snapshot(),
                `${route.routeKey}: a batch of refused requests changed the table`,
              ).toEqual(before);
            }
            expect(defects).toEqual([]);
          },
        ),
        { numRuns: RUNS_PER_ROUTE, endOnFailure: true },
      );
    }
    expect([...figures.routes].sort()).toEqual(routes.map((r) => r.routeKey).sort());
    expect(figures.batchesChecked).toBeGreaterThan(routes.length);
  }, 600_000);
});

import { type DynamoDBClient, ScanCommand } from '@aws-sdk/client-dynamodb';
import jsqr from 'jsqr';
import { PNG } from 'pngjs';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { DynamoSigningKeyStore } from '#adapters/dynamodb/signing-keys.ts';
import type { Runtime } from '#local/runtime.ts';
import { type client, startTestRuntime } from '../support/http.ts';
import { hiddenFields, postForm as postFormOf } from '../support/pages.ts';

let rt: Runtime;
let api: ReturnType<typeof client>;
let ddb: DynamoDBClient;
const run = Date.now().toString(36);
const store = `s-qr-${run}`;

const countItems = async (type: string) => {
  const out = await ddb.send(
    new ScanCommand({
      TableName: rt.tableName,
      FilterExpression: '#t = :t',
      ExpressionAttributeNames: { '#t': 'type' },
      ExpressionAttributeValues: { ':t': { S: type } },
    }),
  );
  return out.Items ?? [];
};

const postForm = (path: string, fields: Record<string, string>, cookie?: string) =>
  postFormOf(api, path, fields, cookie);

let stopRuntime: (() => Promise<void>) | undefined;

beforeAll(async () => {
  ({ rt, api, ddb, stop: stopRuntime } = await startTestRuntime());
});

afterAll(async () => {
  await stopRuntime?.();
});

describe('a QR code for a store, from making it to answering it', () => {
  let url: URL;
  let page: string;
  let cookie: string;

  it('is made by the admin API as a signed link with SVG and PNG codes', async () => {
    const res = await api.admin('POST', 'v1/surveys/demo/links', {
      attributes: { store, section: 'bar' },
    });
    expect(res.status).toBe(200);
    expect(res.json.attributes).toEqual({ store, section: 'bar' });
    expect(res.json.url).toMatch(
      new RegExp(`^${rt.apiUrl}s/demo\\?section=bar&store=${store}&sig=[\\w-]{22}$`),
    );
    expect(res.json.qr.svg).toMatch(/^<svg[^>]*>/);

    const png = PNG.sync.read(Buffer.from(res.json.qr.png, 'base64'));
    // jsqr is CommonJS with a `default` property: the same function, and the one TypeScript types.
    const decoded = jsqr.default(new Uint8ClampedArray(png.data), png.width, png.height);
    expect(decoded?.data).toBe(res.json.url);
    url = new URL(decoded?.data ?? '');
  });

  it('refuses a link for an unknown survey, a reserved attribute, or without a token', async () => {
    expect((await api.admin('POST', 'v1/surveys/nope/links', { attributes: { store } })).status).toBe(404);
    const reserved = await api.admin('POST', 'v1/surveys/demo/links', { attributes: { sig: 'x' } });
    expect(reserved.status).toBe(400);
    expect(reserved.json.errors).toEqual([expect.objectContaining({ field: 'attributes.sig' })]);
    expect((await api.call('POST', 'v1/surveys/demo/links', { body: { attributes: {} } })).status).toBe(401);
  });

  it('opens the page with the attributes and the sig as hidden fields, and a device cookie', async () => {
    const res = await fetch(url);
    page = await res.text();
    expect(res.status).toBe(200);
    expect(page).toContain(`name="attr.store" value="${store}"`);
    expect(hiddenFields(page).sig).toBe(url.searchParams.get('sig'));
    const setCookie = res.headers.getSetCookie()[0] ?? '';
    expect(setCookie).toMatch(/^pulso_device=[\w-]{22}; Path=\/; Max-Age=\d+; HttpOnly; SameSite=Lax$/);
    cookie = setCookie.split(';')[0] ?? '';
  });

  it('records the form post in the store segment', async () => {
    const res = await postForm(
      url.pathname.slice(1),
      { ...hiddenFields(page), nps: '10', csat: '5', ces: '7' },
      cookie,
    );
    expect(res.status).toBe(200);
    expect(res.text).toContain('Thank you!');
    await rt.streamsIdle();
    const metrics = await api.admin('GET', `v1/surveys/demo/metrics?window=7d&segment=store:${store}`);
    expect(metrics.json.nps).toMatchObject({ n: 1, promoters: 1 });
  });

  it('refuses a link whose store was changed, with a page in the customer language', async () => {
    const tampered = new URL(url);
    tampered.searchParams.set('store', 's-001');
    const res = await fetch(tampered, { headers: { 'accept-language': 'es' } });
    expect(res.status).toBe(403);
    expect(await res.text()).toContain('Este enlace fue modificado o está dañado');
  });

  it('stores nothing when a hidden attribute was changed before posting', async () => {
    const before = (await countItems('response')).length;
    const fields = { ...hiddenFields(page), submissionId: `qr-tamper-${run}`, 'attr.store': 's-001' };
    const res = await postForm(url.pathname.slice(1), { ...fields, nps: '0', csat: '1', ces: '1' }, cookie);
    expect(res.status).toBe(403);
    expect(res.text).toContain('This link was changed or is damaged');
    expect((await countItems('response')).length).toBe(before);
  });

  it('refuses the 4th post from one device in the window with 429, storing nothing; a double tap is not counted', async () => {
    const answer = (n: number) => ({
      ...hiddenFields(page),
      submissionId: `qr-dev-${n}-${run}`,
      nps: '8',
      csat: '4',
      ces: '5',
    });
    expect((await postForm(url.pathname.slice(1), answer(2), cookie)).status).toBe(200);
    expect((await postForm(url.pathname.slice(1), answer(3), cookie)).status).toBe(200);
    expect((await postForm(url.pathname.slice(1), answer(3), cookie)).status).toBe(200);
    const before = (await countItems('response')).length;
    const fourth = await postForm(url.pathname.slice(1), answer(4), cookie);
    expect(fourth.status).toBe(429);
    expect(fourth.headers.get('retry-after')).toMatch(/^\d+$/);
    expect(fourth.text).toContain('Too many answers');
    expect((await countItems('response')).length).toBe(before);
    // Another browser on the same network, and the JSON API, are not held back by this device.
    expect((await postForm(url.pathname.slice(1), answer(5))).status).toBe(200);
    const kiosk = await api.respond({
      surveyId: 'demo',
      submissionId: `qr-kiosk-${run}`,
      answers: { nps: 9, csat: 4, ces: 5 },
    });
    expect(kiosk.status).toBe(201);
    await rt.streamsIdle();
    const metrics = await api.admin('GET', `v1/surveys/demo/metrics?window=7d&segment=store:${store}`);
    expect(metrics.json.nps.n).toBe(4);
  });

  it('answers a refused post in the language of the form, not of the browser', async () => {
    const fields = {
      ...hiddenFields(page),
      submissionId: `qr-pt-${run}`,
      locale: 'pt',
      'attr.store': 's-001',
    };
    const res = await api.call('POST', url.pathname.slice(1), {
      raw: new URLSearchParams({ ...fields, nps: '0', csat: '1', ces: '1' }).toString(),
      headers: { 'content-type': 'application/x-www-form-urlencoded', 'accept-language': 'en' },
    });
    expect(res.status).toBe(403);
    expect(res.text).toContain('Este link foi alterado ou está danificado');
  });

  it('never stores lang, sig, t or score from a crafted post as segment attributes', async () => {
    const submissionId = `qr-crafted-${run}`;
    const fields = {
      ...hiddenFields(page),
      submissionId,
      'attr.lang': 'xx',
      'attr.sig': 'x',
      'attr.score': '1',
    };
    const res = await postForm(url.pathname.slice(1), { ...fields, nps: '7', csat: '4', ces: '5' });
    expect(res.status).toBe(200);
    const stored = (await countItems('response')).find((i) => i.submissionId?.S === submissionId);
    expect(Object.keys(stored?.attributes?.M ?? {}).sort()).toEqual(['section', 'store']);
  });

  it('keeps salted hashes in expiring counters, never the address or the device id', async () => {
    const counters = await countItems('rate-counter');
    expect(counters.length).toBeGreaterThan(0);
    const dump = JSON.stringify(counters);
    expect(dump).not.toContain('127.0.0.1');
    expect(dump).not.toContain(cookie.split('=')[1]);
    for (const item of counters) expect(Number(item.expiresAt?.N)).toBeGreaterThan(Date.now() / 1000);
  });
});

describe('the signing key adapter', () => {
  it('creates one signing key however many containers ask for it first', async () => {
    const stores = Array.from({ length: 4 }, () => new DynamoSigningKeyStore(ddb, rt.tableName));
    const keys = await Promise.all(stores.map((s) => s.get(`test-${run}`)));
    expect(keys[0]).toHaveLength(32);
    expect(new Set(keys.map((k) => k.toString('hex'))).size).toBe(1);
  });
});

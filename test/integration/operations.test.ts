import { type DynamoDBClient, ScanCommand } from '@aws-sdk/client-dynamodb';
import { unmarshall } from '@aws-sdk/util-dynamodb';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import {
  bucketOf,
  DURATION_RELATIVE_ERROR,
  quantile,
  resolvedOnFirstContact,
} from '#aggregation/rules/operations.ts';
import type { Interaction } from '#capture/rules/response.ts';
import type { Runtime } from '#local/runtime.ts';
import { send, zendeskRequest } from '#local/vendors.ts';
import { type client, signedWebhook, startTestRuntime } from '../support/http.ts';

let rt: Runtime;
let api: ReturnType<typeof client>;
let ddb: DynamoDBClient;
let stopRuntime: (() => Promise<void>) | undefined;
const run = Date.now().toString(36);
const store = `s-ops-${run}`;

beforeAll(async () => {
  ({ rt, api, ddb, stop: stopRuntime } = await startTestRuntime());
});

afterAll(async () => {
  await stopRuntime?.();
});

/** A reproducible stream of pseudo-random numbers in [0, 1). */
function random(seed: number) {
  let s = seed;
  return () => {
    s = (s * 1_103_515_245 + 12_345) % 2_147_483_648;
    return s / 2_147_483_648;
  };
}

const at = (base: number, seconds: number) => new Date(base + seconds * 1000).toISOString();

describe('operational metrics', () => {
  it('answers FCR, first response and resolution times that equal a recount of the stored responses', async () => {
    const r = random(11);
    const base = Date.now() - 3 * 86_400_000;
    const bodies = Array.from({ length: 60 }, (_, i) => {
      const first = Math.round(30 + r() * 7200);
      const resolved = first + Math.round(r() * 3 * 86_400);
      const contacts = 1 + Math.floor(r() * 3);
      return {
        surveyId: 'demo',
        submissionId: `ops-${run}-${i}`,
        answers: { nps: Math.floor(r() * 11), csat: 1 + Math.floor(r() * 5), ces: 1 + Math.floor(r() * 7) },
        attributes: { store },
        interaction: {
          id: `T-${i}`,
          channel: i % 2 ? 'chat' : 'voice',
          queue: 'billing',
          agent: `agent-${i % 4}`,
          openedAt: at(base, 0),
          firstResponseAt: at(base, first),
          // Some are still open: no resolution time, and no first-contact resolution from the contacts.
          ...(i % 5 === 4 ? {} : { resolvedAt: at(base, resolved) }),
          contacts,
        },
      };
    });
    for (const body of bodies) expect((await api.respond(body)).status).toBe(201);
    // A retry and a concurrent duplicate count nothing twice.
    const again = await Promise.all([api.respond(bodies[0]), api.respond(bodies[0]), api.respond(bodies[1])]);
    expect(again.map((a) => a.status)).toEqual([200, 200, 200]);
    // The same facts through a Standard Webhooks source and a Zendesk trigger.
    const secret = rt.webhookSecrets.generic ?? '';
    const hook = JSON.stringify({
      surveyId: 'demo',
      answers: { nps: 10, csat: 5, ces: 7 },
      attributes: { store },
      interaction: {
        id: 'W-1',
        openedAt: at(base, 0),
        firstResponseAt: at(base, 60),
        resolvedAt: at(base, 600),
        resolvedOnFirstContact: true,
      },
    });
    expect(
      (
        await api.call('POST', 'v1/webhooks/generic', {
          raw: hook,
          headers: signedWebhook(secret, hook, `w-${run}`),
        })
      ).status,
    ).toBe(201);
    const vendors = rt.vendors;
    if (!vendors) throw new Error('no vendors');
    const zendesk = await send(
      zendeskRequest(vendors.zendesk, {
        ticket: {
          id: `${Date.now() % 1_000_000}7`,
          createdAt: `${at(base, 0).slice(0, 16)}Z`,
          solvedAt: `${at(base, 7200).slice(0, 16)}Z`,
        },
        satisfaction: { rating: 'bad' },
        interaction: { firstResponseAt: at(base, 300), contacts: 2 },
        attributes: { store },
      }),
    );
    expect(zendesk.status, zendesk.text).toBe(201);
    await rt.streamsIdle();

    // The recount: every stored response of the store, read back by a scan.
    const items: Record<string, unknown>[] = [];
    let start: Record<string, unknown> | undefined;
    do {
      const page = await ddb.send(
        new ScanCommand({
          TableName: rt.tableName,
          FilterExpression: '#t = :r AND attributes.#s = :store',
          ExpressionAttributeNames: { '#t': 'type', '#s': 'store' },
          ExpressionAttributeValues: { ':r': { S: 'response' }, ':store': { S: store } },
          // biome-ignore lint/suspicious/noExplicitAny: the key goes back as DynamoDB gave it
          ExclusiveStartKey: start as any,
        }),
      );
      items.push(...(page.Items ?? []).map((i) => unmarshall(i)));
      start = page.LastEvaluatedKey;
    } while (start);
    const interactions = items.map((i) => i.interaction as Interaction).filter(Boolean);
    expect(interactions).toHaveLength(62);
    const seconds = (from?: string, to?: string) =>
      from && to ? [(Date.parse(to) - Date.parse(from)) / 1000] : [];
    const frt = interactions.flatMap((i) => seconds(i.openedAt, i.firstResponseAt));
    const rt2 = interactions.flatMap((i) => seconds(i.openedAt, i.resolvedAt));
    const fcr = interactions.map(resolvedOnFirstContact).filter((f) => f !== undefined);
    const sketch = (values: number[]) => {
      const h: Record<number, number> = {};
      for (const v of values) h[bucketOf(v)] = (h[bucketOf(v)] ?? 0) + 1;
      return h;
    };
    const exact = (values: number[], p: number) =>
      [...values].sort((a, b) => a - b)[Math.floor(p * (values.length - 1))] ?? 0;

    const res = await api.admin('GET', `v1/surveys/demo/metrics?window=7d&segment=store:${store}`);
    expect(res.status).toBe(200);
    const ops = res.json.operations;
    expect(ops.n).toBe(62);
    expect(ops.firstContactResolution).toMatchObject({ n: fcr.length, resolved: fcr.filter(Boolean).length });
    for (const [figure, values] of [
      [ops.firstResponseTime, frt],
      [ops.resolutionTime, rt2],
    ] as const) {
      expect(figure.n).toBe(values.length);
      expect(figure.meanSeconds).toBe(
        Math.round(values.reduce((a, b) => a + Math.round(b), 0) / values.length),
      );
      for (const [key, p] of [
        ['p50Seconds', 0.5],
        ['p90Seconds', 0.9],
      ] as const) {
        expect(figure[key]).toBe(Math.round(quantile(sketch(values), p) ?? 0));
        expect(Math.abs(figure[key] - exact(values, p)) / exact(values, p)).toBeLessThanOrEqual(
          DURATION_RELATIVE_ERROR + 0.01,
        );
      }
    }
    // CSAT next to them, of the same interactions, and split by first-contact resolution.
    const csats = items.filter(
      (i) => i.interaction && typeof (i.answers as Record<string, number>).csat === 'number',
    );
    expect(ops.csat.n).toBe(csats.length);
    const splitN = csats.filter((i) => resolvedOnFirstContact(i.interaction as Interaction) === true).length;
    expect(ops.byFirstContact.resolved.csat.n).toBe(splitN);
  });
});

import { Webhook } from 'standardwebhooks';

export const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

/** Polls until `check` returns a value that is not undefined (or throws after the timeout). */
export async function eventually<T>(check: () => Promise<T | undefined>, timeoutMs = 10_000): Promise<T> {
  const started = Date.now();
  let last: unknown;
  while (Date.now() - started < timeoutMs) {
    try {
      const value = await check();
      if (value !== undefined) return value;
    } catch (err) {
      last = err;
    }
    await sleep(50);
  }
  throw new Error(`condition not met within ${timeoutMs} ms${last ? `: ${String(last)}` : ''}`);
}

export function client(apiUrl: string, adminToken: string) {
  const call = async (
    method: string,
    path: string,
    init: { body?: unknown; headers?: Record<string, string>; raw?: string; admin?: boolean } = {},
  ) => {
    const headers: Record<string, string> = { ...(init.headers ?? {}) };
    if (init.body !== undefined) headers['content-type'] ??= 'application/json';
    if (init.admin) headers.authorization = `Bearer ${adminToken}`;
    const res = await fetch(new URL(path, apiUrl), {
      method,
      headers,
      body: init.raw ?? (init.body === undefined ? undefined : JSON.stringify(init.body)),
    });
    const text = await res.text();
    let json: unknown;
    try {
      json = JSON.parse(text);
    } catch {
      json = undefined;
    }
    // biome-ignore lint/suspicious/noExplicitAny: tests read response bodies loosely and assert on them
    return { status: res.status, headers: res.headers, text, json: json as Record<string, any> };
  };
  return {
    call,
    respond: (body: unknown) => call('POST', 'v1/responses', { body }),
    admin: (method: string, path: string, body?: unknown) => call(method, path, { body, admin: true }),
  };
}

export function signedWebhook(secret: string, body: string, id: string, at = new Date()) {
  return {
    'content-type': 'application/json',
    'webhook-id': id,
    'webhook-timestamp': String(Math.floor(at.getTime() / 1000)),
    'webhook-signature': new Webhook(secret).sign(id, at, body),
  };
}

import { DynamoDBClient } from '@aws-sdk/client-dynamodb';
import type { Clock } from '#local/clock.ts';
import { type DynamoDbEngine, startDynamoDb } from '#local/engines/dynamodb.ts';
import { startRuntime } from '#local/runtime.ts';
import type { CfnTemplate } from '#local/template/index.ts';

/** DynamoDB Local alone (no template, no pollers), with a client, for adapter-level integration tests. */
export async function startTestDynamo(): Promise<{
  engine: DynamoDbEngine;
  client: DynamoDBClient;
  stop: () => Promise<void>;
}> {
  const engine = await startDynamoDb({ port: 0 });
  const client = new DynamoDBClient({
    endpoint: engine.endpoint,
    region: 'us-east-1',
    credentials: { accessKeyId: 'l', secretAccessKey: 'l' },
  });
  return {
    engine,
    client,
    stop: async () => {
      client.destroy();
      await engine.stop();
    },
  };
}

/**
 * The local runtime on free ports, an API client and a DynamoDB client on its engine, for one test file.
 * Scheduled rules run only through `rt.runSchedule()`; `rt.idle()` waits for streams, queues, SES events, SNS
 * deliveries and scheduled runs.
 */
export async function startTestRuntime(opts: { template?: CfnTemplate; clock?: Clock } = {}) {
  const rt = await startRuntime({
    ...(opts.template ? { template: opts.template } : {}),
    ...(opts.clock ? { clock: opts.clock } : {}),
    ports: { api: 0, dynamodb: 0, ses: 0, sns: 0 },
    quiet: true,
    schedules: 'manual',
    asyncRetryDelayMs: () => 50,
  });
  const ddb = new DynamoDBClient({
    endpoint: rt.dynamodbEndpoint,
    region: 'us-east-1',
    credentials: { accessKeyId: 'l', secretAccessKey: 'l' },
  });
  return {
    rt,
    api: client(rt.apiUrl, rt.adminToken),
    ddb,
    stop: async () => {
      ddb.destroy();
      await rt.stop();
    },
  };
}

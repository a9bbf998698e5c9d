import { CreateTopicCommand, PublishCommand, SNSClient } from '@aws-sdk/client-sns';
import type { APIGatewayProxyEventV2WithJWTAuthorizer } from 'aws-lambda';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { SnsMessage } from '#local/engines/sns.ts';
import type { Runtime } from '#local/runtime.ts';
import { localCredentials, startFixtureRuntime } from './support.ts';

interface Echo {
  event: APIGatewayProxyEventV2WithJWTAuthorizer;
  context: {
    containerId: string;
    functionName: string;
    awsRequestId: string;
    remaining: number;
    memoryLimitInMB: string;
  };
  env: Record<string, string | undefined>;
}

let rt: Runtime;

beforeAll(async () => {
  rt = await startFixtureRuntime();
});

afterAll(async () => {
  await rt?.stop();
});

async function echo(path: string, init?: RequestInit): Promise<{ status: number; body: Echo }> {
  const res = await fetch(`${rt.apiUrl}${path}`, init);
  return { status: res.status, body: (await res.json()) as Echo };
}

describe('local API emulation', () => {
  it('builds a payload format 2.0 event when a public route is called', async () => {
    const { status, body } = await echo('items/echo?lang=es&tag=a&tag=b&q=x%20y', {
      headers: { 'X-Custom': 'One', cookie: 'session=abc; theme=dark', 'user-agent': 'pulso-test' },
    });

    expect(status).toBe(200);
    const event = body.event;
    expect(event.version).toBe('2.0');
    expect(event.routeKey).toBe('GET /items/{action}');
    expect(event.rawPath).toBe('/items/echo');
    expect(event.rawQueryString).toBe('lang=es&tag=a&tag=b&q=x%20y');
    expect(event.queryStringParameters).toEqual({ lang: 'es', tag: 'a,b', q: 'x y' });
    expect(event.pathParameters).toEqual({ action: 'echo' });
    expect(event.cookies).toEqual(['session=abc', 'theme=dark']);
    expect(event.headers['x-custom']).toBe('One');
    expect(event.headers.cookie).toBeUndefined();
    expect(event.requestContext.http).toMatchObject({
      method: 'GET',
      path: '/items/echo',
      sourceIp: '127.0.0.1',
      userAgent: 'pulso-test',
    });
    expect(event.requestContext.routeKey).toBe('GET /items/{action}');
    expect(event.requestContext.stage).toBe('$default');
    expect(event.requestContext.requestId).toMatch(/\S+/);
    expect(Math.abs(event.requestContext.timeEpoch - Date.now())).toBeLessThan(60_000);
    expect(event.requestContext.authorizer).toBeUndefined();
    expect(event.body).toBeUndefined();
    expect(event.isBase64Encoded).toBe(false);
  });

  it('gives the function its own resolved environment and a Lambda context when it runs', async () => {
    const { body } = await echo('items/echo');

    expect(body.env).toMatchObject({
      TABLE_NAME: rt.tableName,
      PUBLIC_URL: rt.apiUrl,
      ALERTS_TOPIC_ARN: rt.topicArns.AlertsTopic,
      AWS_REGION: 'us-east-1',
      AWS_ENDPOINT_URL_DYNAMODB: rt.dynamodbEndpoint,
      AWS_LAMBDA_FUNCTION_NAME: 'HttpFixtureFn',
    });
    expect(body.context.functionName).toBe('HttpFixtureFn');
    expect(body.context.memoryLimitInMB).toBe('256');
    expect(body.context.remaining).toBeGreaterThan(0);
    expect(body.context.remaining).toBeLessThanOrEqual(2000);
  });

  it('passes JSON bodies as text and form bodies base64-encoded when a request has a body', async () => {
    const json = await echo('items/echo', {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify({ nps: 9 }),
    });
    const form = await echo('items/echo', {
      method: 'POST',
      headers: { 'content-type': 'application/x-www-form-urlencoded' },
      body: 'nps=9&comment=ol%C3%A1',
    });

    expect(json.body.event.body).toBe('{"nps":9}');
    expect(json.body.event.isBase64Encoded).toBe(false);
    expect(form.body.event.isBase64Encoded).toBe(true);
    expect(Buffer.from(form.body.event.body ?? '', 'base64').toString('utf8')).toBe('nps=9&comment=ol%C3%A1');
  });

  it('answers 401 like the JWT authorizer when an admin route has no valid bearer token', async () => {
    const missing = await fetch(`${rt.apiUrl}admin/echo`);
    const wrong = await fetch(`${rt.apiUrl}admin/echo`, { headers: { authorization: 'Bearer nope' } });

    expect(missing.status).toBe(401);
    expect(await missing.json()).toEqual({ message: 'Unauthorized' });
    expect(wrong.status).toBe(401);
  });

  it('passes the claims of the token as API Gateway does when an admin route has a valid access token', async () => {
    const { status, body } = await echo('admin/echo', {
      headers: { authorization: `Bearer ${rt.adminToken}` },
    });

    expect(status).toBe(200);
    const { claims } = body.event.requestContext.authorizer.jwt;
    expect(claims).toMatchObject({
      iss: rt.oidc.issuer,
      sub: 'ana',
      username: 'ana',
      client_id: 'pulso-web',
      'cognito:groups': '[admin]',
    });
    // Every value a string, as the JWT authorizer passes them.
    expect(Object.values(claims).every((v) => typeof v === 'string')).toBe(true);
  });

  it('answers 404 Not Found when no route matches', async () => {
    const unknownPath = await fetch(`${rt.apiUrl}nowhere`);
    const wrongMethod = await fetch(`${rt.apiUrl}admin/echo`, { method: 'DELETE' });

    expect(unknownPath.status).toBe(404);
    expect(await unknownPath.json()).toEqual({ message: 'Not Found' });
    expect(wrongMethod.status).toBe(404);
  });

  it('prefers a literal route over a path variable and matches greedy variables when several routes fit', async () => {
    const special = await echo('items/special');
    const greedy = await echo('proxy/a/b/c', { method: 'DELETE' });

    expect(special.body.event.routeKey).toBe('GET /items/special');
    expect(greedy.body.event.routeKey).toBe('ANY /proxy/{proxy+}');
    expect(greedy.body.event.pathParameters).toEqual({ proxy: 'a/b/c' });
  });

  it('answers 500 Internal Server Error when the handler throws or returns a malformed response', async () => {
    const crash = await fetch(`${rt.apiUrl}items/crash`);
    const bad = await fetch(`${rt.apiUrl}items/bad`);

    expect(crash.status).toBe(500);
    expect(await crash.json()).toEqual({ message: 'Internal Server Error' });
    expect(bad.status).toBe(500);
  });

  it('reuses the warm container when calls come one after another', async () => {
    const first = await echo('items/echo');
    const second = await echo('items/echo');

    expect(second.body.context.containerId).toBe(first.body.context.containerId);
    expect(second.body.context.awsRequestId).not.toBe(first.body.context.awsRequestId);
  });

  it('runs up to four containers of a function when calls overlap', async () => {
    const ids = await Promise.all(
      Array.from({ length: 6 }, async () => (await fetch(`${rt.apiUrl}items/wait`)).text()),
    );

    const containers = new Set(ids);
    expect(containers.size).toBeGreaterThan(1);
    expect(containers.size).toBeLessThanOrEqual(4);
  });

  it('answers 500 and replaces the container when the handler runs past its timeout', async () => {
    const before = await echo('items/echo');
    const slow = await fetch(`${rt.apiUrl}items/slow`);
    const after = await echo('items/echo');

    expect(slow.status).toBe(500);
    expect(after.status).toBe(200);
    expect(after.body.context.containerId).not.toBe(before.body.context.containerId);
  });

  it('maps results like HTTP API when handlers return plain objects, base64 bodies, cookies and headers', async () => {
    const plain = await fetch(`${rt.apiUrl}items/plain`);
    const binary = await fetch(`${rt.apiUrl}items/binary`);
    const cookies = await fetch(`${rt.apiUrl}items/cookies`);

    expect(plain.status).toBe(200);
    expect(plain.headers.get('content-type')).toBe('application/json');
    expect(await plain.json()).toEqual({ hello: 'world' });
    expect(binary.status).toBe(201);
    expect([...new Uint8Array(await binary.arrayBuffer())]).toEqual([0, 1, 2, 255]);
    expect(cookies.headers.getSetCookie()).toEqual(['a=1; Path=/', 'b=2; HttpOnly']);
    expect(cookies.headers.get('x-one')).toBe('a');
    expect(cookies.headers.get('x-many')).toBe('b, c');
    expect(cookies.headers.get('apigw-requestid')).toBeTruthy();
  });

  it('answers 413 when the payload is larger than 10 MB', async () => {
    const res = await fetch(`${rt.apiUrl}items/echo`, {
      method: 'POST',
      headers: { 'content-type': 'application/octet-stream' },
      body: Buffer.alloc(10 * 1024 * 1024 + 1),
    });

    expect(res.status).toBe(413);
  });

  it('answers CORS preflights from the API CORS configuration when a browser asks', async () => {
    const res = await fetch(`${rt.apiUrl}items/echo`, {
      method: 'OPTIONS',
      headers: { origin: 'https://shop.example', 'access-control-request-method': 'POST' },
    });

    expect(res.status).toBe(204);
    expect(res.headers.get('access-control-allow-origin')).toBe('*');
    expect(res.headers.get('access-control-allow-methods')).toBe('GET,POST,PUT,OPTIONS');
    expect(res.headers.get('access-control-max-age')).toBe('3600');
  });

  it('reports health on /_local/health when the runtime is up', async () => {
    const res = await fetch(`${rt.apiUrl}_local/health`);

    expect(res.status).toBe(200);
    expect(await res.json()).toEqual({ status: 'ok' });
  });

  it('invokes a function directly by construct id when a test calls invoke()', async () => {
    const result = (await rt.invoke('Http', { pathParameters: { action: 'plain' } })) as unknown;

    expect(result).toEqual({ hello: 'world' });
  });
});

describe('local SNS endpoint', () => {
  const client = () =>
    new SNSClient({ endpoint: rt.snsUrl, region: 'us-east-1', credentials: localCredentials });

  it('shows a message in the inbox JSON when it is published through @aws-sdk/client-sns', async () => {
    const sns = client();
    const topicArn = rt.topicArns.AlertsTopic;
    await sns.send(
      new PublishCommand({
        TopicArn: topicArn,
        Subject: 'Detractor at store 12',
        Message: 'NPS 2: <script>alert(1)</script>',
        MessageAttributes: { store: { DataType: 'String', StringValue: '12' } },
      }),
    );

    const res = await fetch(`${rt.snsInboxUrl}messages`);
    const messages = (await res.json()) as SnsMessage[];
    const message = messages.find((m) => m.subject === 'Detractor at store 12');
    expect(message).toMatchObject({
      topicArn,
      message: 'NPS 2: <script>alert(1)</script>',
      messageAttributes: { store: { DataType: 'String', StringValue: '12' } },
    });
    const page = await (await fetch(rt.snsInboxUrl)).text();
    expect(page).toContain('NPS 2: &lt;script&gt;alert(1)&lt;/script&gt;');
    expect(page).not.toContain('<script>alert(1)</script>');
    sns.destroy();
  });

  it('fails with NotFound when the topic does not exist', async () => {
    const sns = client();
    const missing = sns.send(
      new PublishCommand({ TopicArn: 'arn:aws:sns:us-east-1:000000000000:missing', Message: 'x' }),
    );

    await expect(missing).rejects.toMatchObject({
      name: 'NotFoundException',
      $metadata: { httpStatusCode: 404 },
    });
    sns.destroy();
  });

  it('creates topics with local ARNs when CreateTopic is called', async () => {
    const sns = client();
    const out = await sns.send(new CreateTopicCommand({ Name: 'extra' }));

    expect(out.TopicArn).toBe('arn:aws:sns:us-east-1:000000000000:extra');
    sns.destroy();
  });
});

import { DynamoDBClient, PutItemCommand } from '@aws-sdk/client-dynamodb';
import { marshall } from '@aws-sdk/util-dynamodb';
import type { APIGatewayProxyEventV2, Context } from 'aws-lambda';
import { responseItem } from '#adapters/dynamodb/responses.ts';
import { DynamoSurveyStore } from '#adapters/dynamodb/surveys.ts';
import { buildResponse } from '#capture/rules/response.ts';
import { demoSurvey, surveySchema } from '#kernel/survey.ts';
import { createTable, credentials, meteredClient, region } from './support.ts';

export interface IngestFigures {
  readonly requests: number;
  readonly concurrency: number;
  readonly rawPutsPerSecond: number;
  readonly handlerPerSecond: number;
  readonly ratio: number;
}

const context = (i: number) =>
  ({
    functionName: 'SubmitResponse',
    functionVersion: '$LATEST',
    awsRequestId: `bench-${i}`,
    memoryLimitInMB: '512',
    invokedFunctionArn: 'arn:aws:lambda:us-east-1:000000000000:function:SubmitResponse',
    getRemainingTimeInMillis: () => 10_000,
  }) as unknown as Context;

async function run(n: number, concurrency: number, task: (i: number) => Promise<void>): Promise<number> {
  let next = 0;
  const started = performance.now();
  await Promise.all(
    Array.from({ length: concurrency }, async () => {
      for (let i = next++; i < n; i = next++) await task(i);
    }),
  );
  return (n / (performance.now() - started)) * 1000;
}

/** The dispatcher finds the route by API Gateway's routeKey, as on AWS. */
const ROUTE = 'POST /v1/responses';

/**
 * POST /v1/responses through the real handler (validation, survey lookup, conditional put) next to a bare PutItem
 * of the same item, on the same DynamoDB Local, at the same concurrency.
 */
export async function measureIngest(
  endpoint: string,
  n: number,
  concurrency: number,
): Promise<IngestFigures> {
  const { client } = meteredClient(endpoint);
  const table = `bench-ingest-${Date.now()}`;
  await createTable(client, table);
  const survey = surveySchema.parse(demoSurvey);
  await new DynamoSurveyStore(client, table).put(survey);

  Object.assign(process.env, {
    TABLE_NAME: table,
    AWS_ENDPOINT_URL_DYNAMODB: endpoint,
    AWS_REGION: region,
    AWS_ACCESS_KEY_ID: credentials.accessKeyId,
    AWS_SECRET_ACCESS_KEY: credentials.secretAccessKey,
    POWERTOOLS_SERVICE_NAME: 'pulso',
    LOG_LEVEL: 'ERROR',
  });
  const { handler } = await import('#handlers/submit-response.ts');
  const body = (i: number, prefix: string) => ({
    surveyId: 'demo',
    submissionId: `${prefix}-${String(i).padStart(8, '0')}`,
    answers: { nps: i % 11, csat: (i % 5) + 1, ces: (i % 7) + 1, comment: 'Quick and kind' },
    attributes: { store: `s-${i % 100}`, region: `r-${i % 5}`, channel: 'kiosk' },
  });
  // Warm both paths (connections, survey cache) before timing.
  await run(50, concurrency, (i) =>
    handler(
      {
        routeKey: ROUTE,
        headers: { 'content-type': 'application/json' },
        body: JSON.stringify(body(i, 'warm')),
        isBase64Encoded: false,
      } as unknown as APIGatewayProxyEventV2,
      context(i),
    ).then(() => undefined),
  );

  // A plain client, as the handler's adapter uses (no capacity metering).
  const plain = new DynamoDBClient({ endpoint, region, credentials, maxAttempts: 5 });
  const rawRound = (round: number) =>
    run(n, concurrency, async (i) => {
      const b = body(i, `raw${round}`);
      const r = buildResponse({ survey, ...b, capturedVia: 'api', now: new Date() });
      await plain.send(
        new PutItemCommand({
          TableName: table,
          Item: marshall(responseItem(r, survey.retentionDays), { removeUndefinedValues: true }),
        }),
      );
    });
  const handlerRound = (round: number) =>
    run(n, concurrency, async (i) => {
      const event = {
        routeKey: ROUTE,
        headers: { 'content-type': 'application/json' },
        body: JSON.stringify(body(i, `handler${round}`)),
        isBase64Encoded: false,
        requestContext: { http: { method: 'POST', path: '/v1/responses' } },
      } as unknown as APIGatewayProxyEventV2;
      const result = (await handler(event, context(i))) as { statusCode: number };
      if (result.statusCode !== 201) throw new Error(`handler answered ${result.statusCode}`);
    });
  // DynamoDB Local (a JVM) speeds up as it warms: warm it, then alternate rounds and keep the medians.
  await rawRound(0);
  const raws: number[] = [];
  const handled: number[] = [];
  for (let round = 1; round <= 3; round++) {
    // Alternate which path goes first, so neither gains from the engine's state.
    if (round % 2) {
      raws.push(await rawRound(round));
      handled.push(await handlerRound(round));
    } else {
      handled.push(await handlerRound(round));
      raws.push(await rawRound(round));
    }
  }
  const median = (xs: number[]) => [...xs].sort((a, b) => a - b)[1] ?? Number.NaN;
  const raw = median(raws);
  const viaHandler = median(handled);
  client.destroy();
  plain.destroy();
  return {
    requests: n,
    concurrency,
    rawPutsPerSecond: raw,
    handlerPerSecond: viaHandler,
    ratio: viaHandler / raw,
  };
}

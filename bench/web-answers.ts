import { createHash } from 'node:crypto';
import { ScanCommand } from '@aws-sdk/client-dynamodb';
import { BuiltinAnalyzer } from '#adapters/builtin-analyzer.ts';
import { DynamoRateCounterStore } from '#adapters/dynamodb/rate-counters.ts';
import { DynamoResponseStore } from '#adapters/dynamodb/responses.ts';
import { DynamoSigningKeyStore } from '#adapters/dynamodb/signing-keys.ts';
import { CachedSurveyStore, DynamoSurveyStore } from '#adapters/dynamodb/surveys.ts';
import { type FormPost, recordFormResponse } from '#capture/use-cases/record-form-response.ts';
import { RateLimitedError } from '#kernel/errors.ts';
import { DEFAULT_RATE_LIMIT, demoSurvey, surveySchema } from '#kernel/survey.ts';
import { createTable, itemBytes, meteredClient } from './support.ts';

export interface WebAnswerFigures {
  readonly answers: number;
  /** Write units per accepted web answer: the response, the rate limits, both. */
  readonly responseUnits: number;
  readonly rateLimitUnits: number;
  readonly totalUnits: number;
  /** Read units per accepted web answer, in a warm container (survey and salt cached). */
  readonly readUnits: number;
  /** Write units of a double tap (the same submission posted again). */
  readonly repeatUnits: number;
  /** Write units of a post refused by the device limit, and by the address limit. */
  readonly refusedByDeviceUnits: number;
  readonly refusedByAddressUnits: number;
  /** The largest rate-limit item after the run (an address filled to its limit by distinct devices). */
  readonly largestCounterBytes: number;
}

/** A device id as the survey page's cookie holds it (22 base64url characters). */
const deviceId = (name: string) =>
  createHash('sha256').update(name).digest().subarray(0, 16).toString('base64url');

/**
 * Web answers through the real form-post use case (`recordFormResponse`) and the DynamoDB adapters, each store on
 * its own metered client so the response and the rate limits are billed apart. `n` answers from distinct devices:
 * three in five on their own mobile address, two in five on one of four shops' Wi-Fi, one in ten without a device
 * cookie; none is over a limit. Then double taps, a device's 4th post and an address's 31st, metered one by one.
 */
export async function measureWebAnswers(endpoint: string, n = 200): Promise<WebAnswerFigures> {
  const run = Date.now().toString(36);
  const table = `bench-web-${run}`;
  const setup = meteredClient(endpoint);
  await createTable(setup.client, table);
  const survey = surveySchema.parse(demoSurvey);
  await new DynamoSurveyStore(setup.client, table).put(survey);

  const responses = meteredClient(endpoint);
  const limits = meteredClient(endpoint);
  const others = meteredClient(endpoint);
  const now = new Date();
  const deps = {
    surveys: new CachedSurveyStore(new DynamoSurveyStore(others.client, table)),
    signingKeys: new DynamoSigningKeyStore(others.client, table),
    responses: new DynamoResponseStore(responses.client, table),
    analyzer: new BuiltinAnalyzer(undefined, { now: () => now }),
    rateCounters: new DynamoRateCounterStore(limits.client, table),
    clock: { now: () => now },
  };
  const post = (submissionId: string, client: FormPost['client']): FormPost => ({
    surveyId: survey.id,
    submissionId,
    answers: { nps: '9', csat: '5', ces: '6' },
    attributes: { store: 's-001' },
    locale: 'en',
    client,
  });
  const posts = Array.from({ length: n }, (_, i) =>
    post(`web-${run}-${i}`, {
      deviceId: i % 10 === 9 ? undefined : deviceId(`device-${i}`),
      sourceIp: i % 5 < 2 ? `198.51.100.${i % 4}` : `203.0.${Math.floor(i / 250)}.${i % 250}`,
    }),
  );
  // Warm the container first: the salt and the survey are read once per container, not per answer.
  await recordFormResponse(deps, post(`web-${run}-warm`, { sourceIp: '192.0.2.250' }));
  const meters = [responses.meter, limits.meter, others.meter];
  const reset = () => {
    for (const m of meters) Object.assign(m, { writeUnits: 0, writes: 0, readUnits: 0, reads: 0 });
  };
  const writeUnits = () => meters.reduce((sum, m) => sum + m.writeUnits, 0);

  reset();
  for (let i = 0; i < posts.length; i += 20)
    await Promise.all(posts.slice(i, i + 20).map((p) => recordFormResponse(deps, p)));
  const responseUnits = responses.meter.writeUnits / n;
  const rateLimitUnits = limits.meter.writeUnits / n;
  const readUnits = meters.reduce((sum, m) => sum + m.readUnits, 0) / n;

  reset();
  const taps = posts.slice(0, 20);
  for (const p of taps) await recordFormResponse(deps, p);
  const repeatUnits = writeUnits() / taps.length;

  const refused = async (p: FormPost) => {
    reset();
    const outcome = await recordFormResponse(deps, p).catch((err: unknown) => err);
    if (!(outcome instanceof RateLimitedError)) throw new Error(`${p.submissionId} was not refused`);
    return writeUnits();
  };
  const phone = { deviceId: deviceId(`phone-${run}`), sourceIp: '192.0.2.1' };
  for (let i = 0; i < DEFAULT_RATE_LIMIT.perDevice; i++)
    await recordFormResponse(deps, post(`web-${run}-phone-${i}`, phone));
  const refusedByDeviceUnits = await refused(post(`web-${run}-phone-over`, phone));

  const hall = (i: number) => ({ deviceId: deviceId(`hall-${i}`), sourceIp: '192.0.2.2' });
  for (let i = 0; i < DEFAULT_RATE_LIMIT.perAddress; i++)
    await recordFormResponse(deps, post(`web-${run}-hall-${i}`, hall(i)));
  const refusedByAddressUnits = await refused(
    post(`web-${run}-hall-over`, hall(DEFAULT_RATE_LIMIT.perAddress)),
  );

  const counters = await setup.client.send(
    new ScanCommand({
      TableName: table,
      FilterExpression: '#t = :t',
      ExpressionAttributeNames: { '#t': 'type' },
      ExpressionAttributeValues: { ':t': { S: 'rate-counter' } },
    }),
  );
  const largestCounterBytes = Math.max(0, ...(counters.Items ?? []).map((item) => itemBytes(item)));
  for (const c of [setup, responses, limits, others]) c.client.destroy();
  return {
    answers: n,
    responseUnits,
    rateLimitUnits,
    totalUnits: responseUnits + rateLimitUnits,
    readUnits,
    repeatUnits,
    refusedByDeviceUnits,
    refusedByAddressUnits,
    largestCounterBytes,
  };
}

import { GetItemCommand } from '@aws-sdk/client-dynamodb';
import { keys, WATERMARK_PREFIX } from '#adapters/dynamodb/keys.ts';
import { marshallKey } from '#adapters/dynamodb/surveys.ts';
import { ALL } from '#aggregation/rules/aggregation.ts';
import { foldBatch } from '#aggregation/use-cases/fold-batch.ts';
import { dayOf } from '#kernel/days.ts';
import { type CfnTemplate, readStack } from '#local/template/index.ts';
import { evaluateRules } from '#loop/rules/cases.ts';
import { type MappingSettings, poissonArrivals, simulateBatches } from './stream-batches.ts';
import { itemBytes, onFreshDynamoDb, percentile } from './support.ts';
import { storedWorkload } from './write-units.ts';

/**
 * List prices in us-east-1 (USD), first tier, no free tier: what a deployment pays per unit.
 * HTTP API requests; Lambda requests and arm64 GB-seconds; DynamoDB on-demand write and read request units;
 * SNS publishes; SES outbound emails.
 */
export const PRICES = {
  httpApiRequest: 1.0 / 1e6,
  lambdaRequest: 0.2 / 1e6,
  lambdaArmGbSecond: 0.0000133334,
  dynamoWriteUnit: 0.625 / 1e6,
  dynamoReadUnit: 0.125 / 1e6,
  snsPublish: 0.5 / 1e6,
  sesEmail: 0.1 / 1e3,
} as const;

/** The functions and mappings of the synthesized stack that a response goes through. */
export interface TrafficSettings {
  readonly aggregator: MappingSettings & { readonly memoryMb: number };
  readonly alerter: MappingSettings;
  readonly ingestMemoryMb: number;
}

const entryIs = (entry: string, file: string) => entry.endsWith(`/lambdas/handlers/${file}`);

/** Reads the stream mappings' batching and the functions' memory from the template, as Lambda would get them. */
export function trafficSettings(template: CfnTemplate): TrafficSettings {
  const model = readStack(template);
  const local = {
    apiUrl: 'http://localhost/',
    streamArns: Object.fromEntries(model.tables.map((t) => [t.logicalId, `arn:stream:${t.logicalId}`])),
  };
  const functions = model.functions(local);
  const mappings = model.mappings(local);
  const fn = (file: string) => {
    const found = functions.find((f) => entryIs(f.entry, file));
    if (!found) throw new Error(`The template has no function for lambdas/handlers/${file}`);
    return found;
  };
  const mappingOf = (file: string): MappingSettings => {
    const id = fn(file).logicalId;
    const m = mappings.find((x) => x.functionId === id);
    if (!m) throw new Error(`The template has no stream mapping for ${file}`);
    return {
      batchSize: m.batchSize,
      windowSeconds: m.maxBatchingWindowSeconds,
      parallelizationFactor: m.parallelizationFactor,
    };
  };
  return {
    aggregator: { ...mappingOf('aggregator.ts'), memoryMb: fn('aggregator.ts').memoryMb },
    alerter: mappingOf('alerter.ts'),
    ingestMemoryMb: fn('submit-response.ts').memoryMb,
  };
}

export interface RateFigures {
  readonly ratePerSecond: number;
  readonly responses: number;
  readonly batches: number;
  readonly meanBatch: number;
  readonly ingestUnits: number;
  readonly aggregateUnits: number;
  readonly laneUnits: number;
  readonly totalUnits: number;
  readonly readUnits: number;
  /** Seconds from a response's arrival in the stream until its aggregates count it. */
  readonly lateP50: number;
  readonly lateP95: number;
  /** Seconds the records took to arrive: batches per second is `batches / seconds`. */
  readonly seconds: number;
  /** The survey's all-responses item of the day after the run, the one every batch writes. */
  readonly hotItem: {
    readonly bytes: number;
    readonly watermarks: number;
    /** Bytes of one lane's watermark (name and value). */
    readonly bytesPerWatermark: number;
  };
  /** Share of responses that raise a case alert (the survey's alert rules on this workload). */
  readonly alertShare: number;
  /** USD per million responses. */
  readonly dollars: {
    readonly api: number;
    readonly lambda: number;
    readonly dynamodb: number;
    readonly sns: number;
    readonly ses: number;
    readonly total: number;
  };
}

/**
 * One arrival rate on one shard: the workload of the write-units bench stored through the response adapter, its
 * stream records handed to the real fold (DynamoDB adapters) in the batches Lambda would cut at that rate with
 * the template's settings, one batch at a time, each batch's fold timed on this machine, on a DynamoDB Local of
 * its own. `ingestMsPerRequest` is the submit handler's measured time per request (billed duration of the ingest
 * Lambda).
 */
export function measureRate(
  settings: TrafficSettings,
  ratePerSecond: number,
  n: number,
  ingestMsPerRequest: number,
): Promise<RateFigures> {
  return onFreshDynamoDb((endpoint) =>
    measureRateOn(endpoint, settings, ratePerSecond, n, ingestMsPerRequest),
  );
}

async function measureRateOn(
  endpoint: string,
  settings: TrafficSettings,
  ratePerSecond: number,
  n: number,
  ingestMsPerRequest: number,
): Promise<RateFigures> {
  const { client, table, meter, survey, responses, ingestUnits, records, deps } = await storedWorkload(
    endpoint,
    n,
    `bench-rate-${String(ratePerSecond).replace('.', '_')}-${Date.now()}`,
  );
  const alerts = responses.filter((r) => evaluateRules(survey, r).length > 0).length;
  const arrivals = poissonArrivals(records.length, ratePerSecond);
  const late: number[] = [];
  let aggregateUnits = 0;
  let billedMs = 0;
  meter.writeUnits = 0;
  meter.readUnits = 0;
  const batches = await simulateBatches(arrivals, settings.aggregator, async (b) => {
    const started = performance.now();
    const result = await foldBatch(deps, records.slice(b.first, b.first + b.count));
    if (result.retryFrom) throw new Error(`A fold failed: ${String(result.errors[0])}`);
    aggregateUnits += result.writeUnits;
    const took = (performance.now() - started) / 1000;
    billedMs += Math.ceil(took * 1000);
    for (let i = b.first; i < b.first + b.count; i++) late.push(b.invokedAt + took - (arrivals[i] ?? 0));
    return took;
  });
  const laneUnits = meter.writeUnits - aggregateUnits;
  const readUnits = meter.readUnits;
  // The alerter reads the same shard with its own mapping; only its invocations are counted here.
  const alerterBatches = await simulateBatches(arrivals, settings.alerter, async () => 0);
  const day = dayOf(responses[0]?.receivedAt ?? new Date());
  const { Item: hot = {} } = await client.send(
    new GetItemCommand({
      TableName: table,
      Key: marshallKey(keys.aggregate({ surveyId: survey.id, segment: ALL, day })),
    }),
  );
  const watermarks = Object.entries(hot).filter(([name]) => name.startsWith(WATERMARK_PREFIX));
  client.destroy();

  const per = (x: number) => x / n;
  const totalUnits = per(ingestUnits + aggregateUnits + laneUnits);
  const gbSeconds =
    (ingestMsPerRequest / 1000) * (settings.ingestMemoryMb / 1024) +
    per(billedMs / 1000) * (settings.aggregator.memoryMb / 1024);
  const lambdaRequests = 1 + per(batches.length) + per(alerterBatches.length);
  const million = 1e6;
  const dollars = {
    api: million * PRICES.httpApiRequest,
    lambda: million * (lambdaRequests * PRICES.lambdaRequest + gbSeconds * PRICES.lambdaArmGbSecond),
    dynamodb: million * (totalUnits * PRICES.dynamoWriteUnit + per(readUnits) * PRICES.dynamoReadUnit),
    sns: million * per(alerts) * PRICES.snsPublish,
    ses: million * per(alerts) * PRICES.sesEmail,
  };
  return {
    ratePerSecond,
    responses: n,
    batches: batches.length,
    meanBatch: n / batches.length,
    ingestUnits: per(ingestUnits),
    aggregateUnits: per(aggregateUnits),
    laneUnits: per(laneUnits),
    totalUnits,
    readUnits: per(readUnits),
    lateP50: percentile(late, 50),
    lateP95: percentile(late, 95),
    seconds: arrivals.at(-1) ?? 0,
    hotItem: {
      bytes: itemBytes(hot),
      watermarks: watermarks.length,
      bytesPerWatermark: watermarks.length
        ? itemBytes(Object.fromEntries(watermarks)) / watermarks.length
        : 0,
    },
    alertShare: per(alerts),
    dollars: { ...dollars, total: Object.values(dollars).reduce((a, b) => a + b, 0) },
  };
}

/** Responses simulated per arrival rate: enough batches at every rate for a p95 of lateness. */
const RATES: ReadonlyArray<readonly [rate: number, responses: number]> = [
  [0.1, 200],
  [1, 600],
  [10, 2_000],
  [100, 4_000],
  [1_000, 6_000],
];
const TRADE_OFF_WINDOWS = [0, 5, 20, 60, 120];

type Out = (line?: string) => void;
type Fmt = (x: number, digits?: number) => string;

/**
 * The cost-and-freshness tables of docs/performance.md: the shipped settings at each arrival rate, then the
 * aggregation window's trade-off at 1 and 100 answers a second.
 */
export async function writeTrafficSection(
  template: CfnTemplate,
  ingestMsPerRequest: number,
  out: Out,
  f: Fmt,
  scale = 1,
): Promise<RateFigures[]> {
  const settings = trafficSettings(template);
  const { batchSize, windowSeconds } = settings.aggregator;
  out(
    `The aggregator's stream mapping as the synthesized template sets it (BatchSize ${f(batchSize)}, MaximumBatchingWindowInSeconds ${windowSeconds}, ParallelizationFactor ${settings.aggregator.parallelizationFactor}, ${settings.aggregator.memoryMb} MB). Responses of the write-units workload arrive on one shard as a Poisson process at each rate; Lambda's polling (four a second), the batch size and the window cut them into batches (bench/stream-batches.ts), and each batch is folded by the real aggregator code with the DynamoDB adapters, one at a time, timed on this machine's DynamoDB Local (slower than DynamoDB, so lateness at high rates is pessimistic). "Late" is from a response's arrival in the stream until its aggregates count it. Dollars per million responses at us-east-1 list prices (bench/traffic.ts): HTTP API $1.00/M, Lambda $0.20/M requests and $0.0000133334/GB-s on arm64 (ingest at ${f(ingestMsPerRequest, 1)} ms per request, from the ingest figures above; the aggregator's measured fold times; the alerter's invocations, not its duration), DynamoDB on-demand $0.625/M write and $0.125/M read units, SNS $0.50/M publishes and SES $0.10 per 1,000 emails, one of each per case alert.`,
  );
  out();
  out(
    '| answers/s | mean batch | ingest | aggregates | lane starts | **total WCU** | reads | late p50 | late p95 | $/M: API | Lambda | DynamoDB | SNS + SES | **total** |',
  );
  out('|---:|---:|---:|---:|---:|---:|---:|---:|---:|---:|---:|---:|---:|---:|');
  const figures: RateFigures[] = [];
  for (const [rate, n] of RATES) {
    const r = await measureRate(settings, rate, Math.round(n * scale), ingestMsPerRequest);
    figures.push(r);
    const d = r.dollars;
    out(
      `| ${f(rate, rate < 1 ? 1 : 0)} | ${f(r.meanBatch, 1)} | ${f(r.ingestUnits, 3)} | ${f(r.aggregateUnits, 3)} | ${f(r.laneUnits, 3)} | **${f(r.totalUnits, 3)}** | ${f(r.readUnits, 3)} | ${f(r.lateP50, 1)} s | ${f(r.lateP95, 1)} s | ${f(d.api, 2)} | ${f(d.lambda, 2)} | ${f(d.dynamodb, 2)} | ${f(d.sns + d.ses, 2)} | **${f(d.total, 2)}** |`,
    );
  }
  out();
  const share = figures[0]?.alertShare ?? 0;
  out(
    `This workload's scores are spread evenly, so ${f(share * 100)}% of its responses open a case, and the owner emails (SES) are most of the bill. Without the emails, a million responses cost $${f((figures[1]?.dollars.total ?? 0) - (figures[1]?.dollars.ses ?? 0), 2)} at 1 answer a second and $${f((figures[3]?.dollars.total ?? 0) - (figures[3]?.dollars.ses ?? 0), 2)} at 100.`,
  );
  out();
  out('### The aggregation window: fresher or cheaper');
  out();
  out(
    'The same measurement with the window set by `-c aggregationWindowSeconds=<0..300>` (the other settings as shipped). A batch holds about rate x window responses; each aggregate item a batch touches (the survey, its region, store and channel) costs one write, so at low rates the window decides the bill.',
  );
  out();
  out('| window | WCU/response at 1/s | late p95 at 1/s | WCU/response at 100/s | late p95 at 100/s |');
  out('|---:|---:|---:|---:|---:|');
  const shipped = (rate: number) => figures.find((r) => r.ratePerSecond === rate);
  for (const w of TRADE_OFF_WINDOWS) {
    const tuned = { ...settings, aggregator: { ...settings.aggregator, windowSeconds: w } };
    // The shipped window's runs are the arrival-rate table's.
    const at = async (rate: number, n: number) =>
      (w === windowSeconds ? shipped(rate) : undefined) ??
      (await measureRate(tuned, rate, Math.round(n * scale), ingestMsPerRequest));
    const slow = await at(1, 600);
    const fast = await at(100, 4_000);
    out(
      `| ${w} s${w === windowSeconds ? ' (shipped)' : ''} | ${f(slow.totalUnits, 3)} | ${f(slow.lateP95, 1)} s | ${f(fast.totalUnits, 3)} | ${f(fast.lateP95, 1)} s |`,
    );
  }
  out();
  return figures;
}

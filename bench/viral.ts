import type { CfnTemplate } from '#local/template/index.ts';
import { measureRate, type RateFigures, trafficSettings } from './traffic.ts';

/**
 * A survey that goes viral: 10,000 answers a second on one survey (a QR code on television, a campaign to a
 * million customers sent at once). What the shipped stack does with it, from the template's settings, one shard
 * simulated with the real fold on DynamoDB Local, and arithmetic for the rest.
 */
export const VIRAL_RATE = 10_000;

/** DynamoDB: a partition takes 1,000 write units a second; a new on-demand table 4,000 at once (warm throughput). */
const PARTITION_WRITES = 1_000;
const NEW_TABLE_WARM_WRITES = 4_000;
/** Default account quotas per region: API Gateway 10,000 requests a second; Lambda 1,000 concurrent executions. */
const ACCOUNT_API_RPS = 10_000;
const ACCOUNT_LAMBDA_CONCURRENCY = 1_000;
/** A web answer is two requests (the page, the post); an API or webhook answer one. */
const WEB_REQUESTS_PER_ANSWER = 2;
const KB = 1024;

export interface ViralFigures {
  readonly shards: number;
  readonly tableWritesPerSecond: number;
  readonly hotItemUnitsPerSecond: number;
  readonly refusedShare: number;
}

interface StackLimits {
  readonly apiRateLimit: number;
  readonly apiBurstLimit: number;
  readonly warmWrites: number;
  readonly sendRatePerSecond: number;
}

/** The API stage's throttling, the table's warm throughput and the sender's pace, as the template sets them. */
export function stackLimits(template: CfnTemplate): StackLimits {
  const resources = Object.values(template.Resources);
  const props = (type: string) =>
    (resources.find((r) => r.Type === type)?.Properties ?? {}) as Record<string, unknown>;
  const routes = (props('AWS::ApiGatewayV2::Stage').DefaultRouteSettings ?? {}) as Record<string, number>;
  const warm = (props('AWS::DynamoDB::Table').WarmThroughput ?? {}) as Record<string, number>;
  const sender = resources.find(
    (r) =>
      r.Type === 'AWS::Lambda::Function' &&
      (r.Properties as { Environment?: { Variables?: Record<string, string> } }).Environment?.Variables
        ?.SEND_RATE !== undefined,
  );
  const sendRate = (sender?.Properties as { Environment: { Variables: Record<string, string> } } | undefined)
    ?.Environment.Variables.SEND_RATE;
  return {
    apiRateLimit: routes.ThrottlingRateLimit ?? Number.POSITIVE_INFINITY,
    apiBurstLimit: routes.ThrottlingBurstLimit ?? Number.POSITIVE_INFINITY,
    warmWrites: warm.WriteUnitsPerSecond ?? NEW_TABLE_WARM_WRITES,
    sendRatePerSecond: Number(sendRate ?? 0),
  };
}

type Out = (line?: string) => void;
type Fmt = (x: number, digits?: number) => string;

/**
 * The viral section of docs/performance.md. `atFullBatches` is the arrival-rate bench's figure at 1,000 answers a
 * second (full batches: the write units per answer a viral survey pays); `ingestMsPerRequest` the measured time of
 * the submit handler per request.
 */
export async function writeViralSection(
  template: CfnTemplate,
  atFullBatches: RateFigures,
  ingestMsPerRequest: number,
  out: Out,
  f: Fmt,
  scale = 1,
): Promise<ViralFigures> {
  const settings = trafficSettings(template);
  const limits = stackLimits(template);
  const { parallelizationFactor, batchSize } = settings.aggregator;

  // The stream has a shard per table partition; the table needs a partition per 1,000 write units a second.
  const tableWritesPerSecond = VIRAL_RATE * atFullBatches.totalUnits;
  const shards = Math.ceil(tableWritesPerSecond / PARTITION_WRITES);
  const perShard = VIRAL_RATE / shards;
  const shard = await measureRate(settings, perShard, Math.round(6_000 * scale), ingestMsPerRequest);
  const batchesPerShardSecond = shard.batches / shard.seconds;

  // Every batch writes the survey's all-responses item of the day: the hottest aggregate item.
  const hotWritesPerSecond = shards * parallelizationFactor * batchesPerShardSecond;
  const { bytes, watermarks, bytesPerWatermark } = shard.hotItem;
  const baseBytes = bytes - watermarks * bytesPerWatermark;
  // One watermark per aggregator container alive (each drops its finished lanes with its next write), plus one
  // left by each container that ended during the day: nobody is left to drop it until the day's item is done.
  const live = shards * parallelizationFactor;
  const itemAt = (ended: number) => {
    const size = baseBytes + (live + ended) * bytesPerWatermark;
    const units = Math.ceil(size / KB);
    return { size, units, perSecond: hotWritesPerSecond * units };
  };
  const refusedShare = Math.max(0, 1 - limits.apiRateLimit / VIRAL_RATE);
  const webRequests = VIRAL_RATE * WEB_REQUESTS_PER_ANSWER;
  const captureConcurrency = (webRequests * ingestMsPerRequest) / 1000;
  const streamConcurrency = 2 * shards * parallelizationFactor;

  out(
    `${f(VIRAL_RATE)} answers a second on one survey, with the stack as synthesized. The write units per answer are the arrival-rate bench's at 1,000 a second (full batches: ${f(atFullBatches.totalUnits, 3)}); one shard is simulated with the real fold at its share of the traffic; the rest is arithmetic with DynamoDB's, API Gateway's and Lambda's published limits (bench/viral.ts).`,
  );
  out();
  out('| what | figure | limit | |');
  out('|---|---:|---:|---|');
  const row = (what: string, figure: string, limit: string, verdict: string) =>
    out(`| ${what} | ${figure} | ${limit} | ${verdict} |`);
  row(
    'table writes a second (ingest, aggregates, lane starts; cases come on top)',
    f(tableWritesPerSecond),
    `${f(limits.warmWrites)} at once (warm throughput)`,
    tableWritesPerSecond <= limits.warmWrites
      ? 'served at once'
      : `**throttled** until DynamoDB splits partitions (it doubles the previous peak within 30 min): set \`tableWarmWritesPerSecond\` to ${f(Math.ceil(tableWritesPerSecond / 1000) * 1000)} a day before`,
  );
  row('stream shards (a partition each)', f(shards), '', `${f(perShard)} answers a second each`);
  row(
    'aggregator batches per shard',
    `${f(batchesPerShardSecond, 2)}/s of ${f(shard.meanBatch)} answers`,
    `batch size ${f(batchSize)}`,
    `aggregates ${f(shard.lateP50, 1)} s late at p50, ${f(shard.lateP95, 1)} s at p95 on this machine's DynamoDB Local`,
  );
  row(
    'writes a second on the hottest aggregate item (the survey, all answers, today)',
    f(hotWritesPerSecond, 1),
    `${f(PARTITION_WRITES)} write units a second per partition`,
    `${f(itemAt(0).perSecond, 0)} write units a second: ${f((itemAt(0).perSecond / PARTITION_WRITES) * 100, 1)}% of a partition`,
  );
  row(
    'Lambda concurrency: capture (page and post, 2 requests per web answer)',
    f(captureConcurrency),
    `${f(ACCOUNT_LAMBDA_CONCURRENCY)} per account and region`,
    `at this machine's ${f(ingestMsPerRequest, 1)} ms per request; ${captureConcurrency + streamConcurrency <= ACCOUNT_LAMBDA_CONCURRENCY ? 'within the default quota' : '**over the default quota**: ask for more'}`,
  );
  row(
    'Lambda concurrency: aggregator and alerter',
    f(streamConcurrency),
    'one per shard each',
    'fixed by the shards, whatever the rate',
  );
  row(
    'API requests a second (web answers)',
    f(webRequests),
    `stage ${f(limits.apiRateLimit)} (burst ${f(limits.apiBurstLimit)}); account ${f(ACCOUNT_API_RPS)}`,
    `**${f(refusedShare * 100)}% of answers refused** (429) at the shipped throttle; above ${f(ACCOUNT_API_RPS)} the account's quota must be raised first`,
  );
  out();
  out(
    `The hottest aggregate item weighs ${f(baseBytes)} bytes of counters and keys plus ${f(bytesPerWatermark)} bytes per lane watermark (\`w#<lane>\`, a 40-digit stream position). Each live aggregator container keeps one watermark on it; each container that ends during the day leaves one behind until the day is over (its lanes are only known to it). What a write to that item costs as they accumulate:`,
  );
  out();
  out('| containers ended today | item size | write units per write | write units a second on it |');
  out('|---:|---:|---:|---:|');
  for (const ended of [0, shards, 4 * shards, 12 * shards]) {
    const at = itemAt(ended);
    out(`| ${f(ended)} | ${f(at.size / KB, 2)} KB | ${f(at.units)} | ${f(at.perSecond)} |`);
  }
  out();
  out(
    `So the hottest item stays far below a partition's 1,000 write units a second, and a write costs ${f(itemAt(0).units)} to ${f(itemAt(12 * shards).units)} units instead of one as watermarks pile up. Every aggregate item of a busy survey collects them alike, so with full batches aggregates cost up to ${f(itemAt(12 * shards).units * shard.aggregateUnits, 3)} write units per answer instead of ${f(shard.aggregateUnits, 3)}: the price of exactly-once counting without a marker per answer, paid only on days of this volume. Items of earlier days are not written again.`,
  );
  out();
  out(
    `A campaign to a million customers is paced by \`sendRatePerSecond\` (${f(limits.sendRatePerSecond)} as synthesized), so its answers arrive at most at the send rate times the share who answer: at 30% and two requests per web answer, the API needs about 0.6 requests a second per invitation sent per second, twice that for bursts. The shipped ${f(limits.apiRateLimit)} requests a second (burst ${f(limits.apiBurstLimit)}) serve send rates up to about ${f(Math.floor(limits.apiRateLimit / 1.2))} a second; for faster sending set \`apiRateLimit\` to 1.2 x the send rate and \`apiBurstLimit\` to twice that. A QR code or link shown to an audience at once (television, a stadium) is not paced: size \`apiRateLimit\` for the audience's peak, pre-warm the table with \`tableWarmWritesPerSecond\` (${f(atFullBatches.totalUnits, 2)} write units per answer), and ask AWS for the account quotas above ${f(ACCOUNT_API_RPS)} requests a second and ${f(ACCOUNT_LAMBDA_CONCURRENCY)} concurrent executions beforehand.`,
  );
  out();
  return { shards, tableWritesPerSecond, hotItemUnitsPerSecond: itemAt(0).perSecond, refusedShare };
}

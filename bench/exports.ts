import { type ChildProcess, spawn } from 'node:child_process';
import { basename } from 'node:path';
import { fileURLToPath } from 'node:url';
import { setFlagsFromString } from 'node:v8';
import { runInNewContext } from 'node:vm';
import {
  BatchWriteItemCommand,
  type DynamoDBClient,
  paginateScan,
  type WriteRequest,
} from '@aws-sdk/client-dynamodb';
import { HeadObjectCommand, S3Client } from '@aws-sdk/client-s3';
import { marshall } from '@aws-sdk/util-dynamodb';
import type { DynamoDBRecord } from 'aws-lambda';
import { DynamoAggregateStore } from '#adapters/dynamodb/aggregates.ts';
import { DynamoExportStore } from '#adapters/dynamodb/exports.ts';
import { DynamoLaneStore } from '#adapters/dynamodb/lanes.ts';
import { DynamoResponseScan, responseItem } from '#adapters/dynamodb/responses.ts';
import { DynamoSegmentCatalogue } from '#adapters/dynamodb/segment-values.ts';
import { responseOfStreamRecord } from '#adapters/dynamodb/stream-records.ts';
import { CachedSurveyStore, DynamoSurveyStore } from '#adapters/dynamodb/surveys.ts';
import { S3ExportFiles } from '#adapters/s3-export-files.ts';
import { type BatchRecord, foldBatch, LaneMemory } from '#aggregation/use-cases/fold-batch.ts';
import { noteSegments, SegmentMemory } from '#aggregation/use-cases/note-segments.ts';
import { buildResponse, type ResponseRecord } from '#capture/rules/response.ts';
import type { ResponseScan } from '#insight/ports.ts';
import type { ExportJob } from '#insight/rules/exports.ts';
import { type RunExportDeps, runExport } from '#insight/use-cases/exports.ts';
import { DAY_MS, dayOf } from '#kernel/days.ts';
import { demoSurvey, type Survey, surveySchema } from '#kernel/survey.ts';
import { startS3 } from '#local/engines/s3.ts';
import {
  createTable,
  credentials,
  itemBytes,
  meteredClient,
  onFreshDynamoDb,
  readStream,
  region,
} from './support.ts';
import { PRICES } from './traffic.ts';

/** What DynamoDB reported for one kind of request: how many were sent and the read units they consumed. */
interface Requests {
  readonly requests: number;
  readonly readUnits: number;
}

export interface ExportFigures {
  /** Responses of the exported survey, and of another survey in the same table. */
  readonly responses: number;
  readonly others: number;
  readonly days: number;
  /** What the Scan goes through: every item of the table, and their size as DynamoDB bills it. */
  readonly tableItems: number;
  readonly tableBytes: number;
  /** Of which the responses' items (both surveys). */
  readonly responseBytes: number;
  readonly responseExport: {
    readonly rows: number;
    readonly bytes: number;
    readonly scan: Requests;
    /** The median round's; every round's in `roundsMs`. */
    readonly ms: number;
    readonly roundsMs: readonly number[];
    /** 0.5 read units per 4 KB of the table, read once. */
    readonly floorUnits: number;
    /**
     * The process's memory before an export (after a GC); the largest growth sampled every 5 ms during the timed
     * rounds (the heap's includes garbage not yet collected); and what it holds after each Scan page (after a GC),
     * on the heap and in buffers.
     */
    readonly memory: {
      readonly baseline: { readonly rss: number; readonly heapUsed: number };
      readonly peakGrowth: { readonly rss: number; readonly heapUsed: number };
      readonly perPage: ReadonlyArray<{
        readonly rows: number;
        readonly heapUsed: number;
        readonly arrayBuffers: number;
      }>;
    };
  };
  readonly aggregateExport: {
    readonly rows: number;
    readonly bytes: number;
    /** Segment values read: ALL and every value in the catalogue. */
    readonly segments: number;
    readonly queries: Requests;
    readonly ms: number;
  };
}

const BUCKET = 'bench-exports';
const SERVE_S3 = '--serve-s3';
const CHANNELS = ['web', 'email', 'kiosk'];
const WORDS = ['fast', 'friendly', 'queue', 'price', 'clean', 'staff', 'parking', 'fresh'];

/**
 * `n` responses of a survey over `days` days: 100 stores in 10 cities in 5 regions, 3 channels, NPS, CSAT, CES,
 * a comment on one in four.
 */
function responsesOf(survey: Survey, n: number, days: number, now: number): ResponseRecord[] {
  return Array.from({ length: n }, (_, i) => {
    const store = i % 100;
    return buildResponse({
      survey,
      submissionId: `bench-${String(i).padStart(8, '0')}`,
      answers: {
        nps: (i * 7) % 11,
        csat: ((i * 3) % 5) + 1,
        ces: ((i * 5) % 7) + 1,
        comment: i % 4 ? '' : `${WORDS[i % WORDS.length]} and ${WORDS[(i >> 3) % WORDS.length]}`,
      },
      attributes: {
        region: `r-${store % 5}`,
        city: `c-${store % 10}`,
        store: `s-${String(store).padStart(3, '0')}`,
        channel: CHANNELS[i % 3] ?? 'web',
      },
      capturedVia: 'api',
      now: new Date(now - Math.floor((i / n) * (days - 1) * DAY_MS)),
    });
  });
}

/** Counts requests and read units by command; a Scan is asked for its consumed capacity too (meteredClient's are not). */
function tallied(client: DynamoDBClient) {
  const byCommand: Record<string, { requests: number; readUnits: number }> = {};
  client.middlewareStack.add(
    (next, context) => async (args) => {
      const name = context.commandName ?? '';
      if (name === 'ScanCommand')
        (args as { input: Record<string, unknown> }).input.ReturnConsumedCapacity = 'TOTAL';
      const out = await next(args);
      const cc = (out.output as { ConsumedCapacity?: { CapacityUnits?: number } }).ConsumedCapacity;
      const tally = byCommand[name] ?? { requests: 0, readUnits: 0 };
      tally.requests += 1;
      if (name === 'ScanCommand' || name === 'QueryCommand' || name === 'GetItemCommand')
        tally.readUnits += cc?.CapacityUnits ?? 0;
      byCommand[name] = tally;
      return out;
    },
    { step: 'initialize', name: 'tally' },
  );
  const snapshot = () => structuredClone(byCommand);
  /** What `command` did since `before`. */
  const since = (before: typeof byCommand, command: string): Requests => ({
    requests: (byCommand[command]?.requests ?? 0) - (before[command]?.requests ?? 0),
    readUnits: (byCommand[command]?.readUnits ?? 0) - (before[command]?.readUnits ?? 0),
  });
  return { snapshot, since };
}

/** V8's collector, to start each export from a heap without the filling's garbage (the flag set at run time). */
function collector(): () => void {
  setFlagsFromString('--expose-gc');
  return runInNewContext('gc') as () => void;
}

/**
 * The local S3 engine in a child process of its own: the export's process then holds only what the exporter does
 * (on AWS, S3 is elsewhere), and s3rver's work on the parts takes no time from it.
 */
async function s3InChild(): Promise<{ url: string; stop(): Promise<void> }> {
  const child: ChildProcess = spawn(
    process.execPath,
    [...process.execArgv, fileURLToPath(import.meta.url), SERVE_S3],
    {
      stdio: ['pipe', 'pipe', 'inherit'],
    },
  );
  const exited = new Promise<void>((resolve) => child.once('exit', () => resolve()));
  const url = await new Promise<string>((resolve, reject) => {
    child.stdout?.once('data', (chunk: Buffer) => resolve(chunk.toString().trim()));
    child.once('exit', (code) => reject(new Error(`The S3 engine stopped before it started (exit ${code})`)));
  });
  return {
    url,
    stop: async () => {
      child.stdin?.end(); // the child stops its engine and exits when its input closes
      await exited;
    },
  };
}

/**
 * A table holding `n` responses of the exported survey over `days` days and `others` of another survey, in the
 * response adapter's stored shape, folded from the table's stream by the real aggregator code (segment catalogue
 * and aggregates, batches of 1,000); then exports of the whole period through runExport with the real Scan, export
 * store and S3 file writer against the local S3 engine, metered: `rounds` responses exports (timed), one more that
 * collects garbage after each Scan page (what the export holds), and an aggregates export.
 */
export function measureExports(n: number, others = n, days = 30, rounds = 3): Promise<ExportFigures> {
  return onFreshDynamoDb(async (endpoint) => {
    const gc = collector();
    const s3 = await s3InChild();
    const { client } = meteredClient(endpoint);
    const { snapshot, since } = tallied(client);
    const s3Client = new S3Client({ endpoint: s3.url, forcePathStyle: true, region, credentials });
    try {
      const table = `bench-exports-${Date.now()}`;
      const streamArn = await createTable(client, table);
      const survey = surveySchema.parse(demoSurvey);
      const other = surveySchema.parse({ ...demoSurvey, id: 'other' });
      const surveys = new DynamoSurveyStore(client, table);
      await surveys.put(survey);
      await surveys.put(other);

      // Both surveys' answers arrive interleaved, as they would in one table. The response adapter's item
      // (responseItem), 25 to a BatchWriteItem: the table fills in a fraction of the time of one conditional put
      // each, and the stream carries the same records.
      const now = Date.now();
      const mine = responsesOf(survey, n, days, now);
      const theirs = responsesOf(other, others, days, now);
      const requests: WriteRequest[] = Array.from({ length: Math.max(n, others) }, (_, i) => [
        mine[i],
        theirs[i],
      ])
        .flat()
        .filter((r): r is ResponseRecord => r !== undefined)
        .map((r) => ({
          PutRequest: {
            Item: marshall(responseItem(r, survey.retentionDays), { removeUndefinedValues: true }),
          },
        }));
      const putAll = async (batch: WriteRequest[]) => {
        for (let left = batch; left.length > 0; ) {
          const out = await client.send(new BatchWriteItemCommand({ RequestItems: { [table]: left } }));
          left = out.UnprocessedItems?.[table] ?? [];
        }
      };
      for (let i = 0; i < requests.length; i += 25 * 8)
        await Promise.all(
          Array.from({ length: 8 }, (_, k) => requests.slice(i + k * 25, i + (k + 1) * 25))
            .filter((b) => b.length > 0)
            .map(putAll),
        );

      // The aggregator's work on that stream, as its handler does it: the catalogue, then the fold.
      const records: BatchRecord[] = (await readStream(endpoint, streamArn))
        .flat()
        .filter((r) => r.dynamodb?.NewImage?.type?.S === 'response')
        .map((r) => ({
          eventId: r.eventID ?? '',
          sequenceNumber: r.dynamodb?.SequenceNumber ?? '',
          response: responseOfStreamRecord(r as unknown as DynamoDBRecord),
        }));
      const cached = new CachedSurveyStore(surveys);
      const catalogue = new DynamoSegmentCatalogue(client, table);
      const aggregates = new DynamoAggregateStore(client, table);
      const fold = {
        surveys: cached,
        aggregates,
        lanes: new DynamoLaneStore(client, table),
        memory: new LaneMemory(),
        clock: { now: () => new Date() },
      };
      const segmentMemory = new SegmentMemory();
      for (let i = 0; i < records.length; i += 1_000) {
        const batch = records.slice(i, i + 1_000);
        const responses = batch.flatMap((b) => (b.response ? [b.response] : []));
        await noteSegments({ surveys: cached, catalogue, memory: segmentMemory }, responses);
        await foldBatch(fold, batch);
      }

      // The table as the Scan finds it: responses, aggregates, segment values, lane starts, surveys.
      let tableItems = 0;
      let tableBytes = 0;
      let responseBytes = 0;
      for await (const page of paginateScan({ client }, { TableName: table }))
        for (const item of page.Items ?? []) {
          tableItems += 1;
          tableBytes += itemBytes(item);
          if (item.type?.S === 'response') responseBytes += itemBytes(item);
        }

      const exportsStore = new DynamoExportStore(client, table);
      const scan = new DynamoResponseScan(client, table);
      // What the process holds after each Scan page, measured in the round that collects garbage first.
      let perPage: { rows: number; heapUsed: number; arrayBuffers: number }[] | undefined;
      let baseline = process.memoryUsage();
      const watched: ResponseScan = {
        async *pages(surveyId, fromDay, toDay) {
          let read = 0;
          for await (const page of scan.pages(surveyId, fromDay, toDay)) {
            read += page.length;
            if (perPage) {
              gc();
              const m = process.memoryUsage();
              perPage.push({
                rows: read,
                heapUsed: m.heapUsed - baseline.heapUsed,
                arrayBuffers: m.arrayBuffers - baseline.arrayBuffers,
              });
            }
            yield page;
          }
        },
      };
      const deps: RunExportDeps = {
        surveys,
        exports: exportsStore,
        responses: watched,
        segmentValues: catalogue,
        aggregates,
        files: new S3ExportFiles(s3Client, BUCKET),
        clock: { now: () => new Date() },
      };
      let jobs = 0;
      const run = async (kind: ExportJob['kind']) => {
        jobs += 1;
        const job: ExportJob = {
          exportId: `exp_bench_${jobs}`,
          surveyId: survey.id,
          kind,
          from: dayOf(new Date(now - (days - 1) * DAY_MS)),
          to: dayOf(new Date(now)),
          segment: 'all:all',
          requestedBy: 'bench',
          requestedAt: new Date().toISOString(),
          status: 'running',
        };
        await exportsStore.create(job);
        gc();
        baseline = process.memoryUsage();
        const peak = { rss: baseline.rss, heapUsed: baseline.heapUsed };
        const sampler = setInterval(() => {
          const m = process.memoryUsage();
          peak.rss = Math.max(peak.rss, m.rss);
          peak.heapUsed = Math.max(peak.heapUsed, m.heapUsed);
        }, 5);
        const before = snapshot();
        const started = performance.now();
        const outcome = await runExport(deps, job);
        const ms = performance.now() - started;
        clearInterval(sampler);
        if (outcome.outcome !== 'ready')
          throw new Error(`The ${kind} export did not finish: ${outcome.outcome}`);
        const { ContentLength } = await s3Client.send(
          new HeadObjectCommand({ Bucket: BUCKET, Key: (await exportsStore.get(job.exportId))?.objectKey }),
        );
        if (ContentLength !== outcome.bytes)
          throw new Error(
            `The ${kind} file holds ${ContentLength} bytes, the export counted ${outcome.bytes}`,
          );
        return {
          ...outcome,
          ms,
          scans: since(before, 'ScanCommand'),
          queries: since(before, 'QueryCommand'),
          peakGrowth: { rss: peak.rss - baseline.rss, heapUsed: peak.heapUsed - baseline.heapUsed },
        };
      };

      const timed = [];
      for (let i = 0; i < rounds; i += 1) timed.push(await run('responses'));
      perPage = [];
      await run('responses');
      const median = [...timed].sort((a, b) => a.ms - b.ms)[Math.floor(timed.length / 2)] ?? timed[0];
      if (!median) throw new Error('No responses export ran');
      const responseExport = {
        rows: median.rows,
        bytes: median.bytes,
        scan: median.scans,
        ms: median.ms,
        roundsMs: timed.map((t) => t.ms),
        floorUnits: (tableBytes / 4096) * 0.5,
        memory: {
          baseline: { rss: baseline.rss, heapUsed: baseline.heapUsed },
          peakGrowth: {
            rss: Math.max(...timed.map((t) => t.peakGrowth.rss)),
            heapUsed: Math.max(...timed.map((t) => t.peakGrowth.heapUsed)),
          },
          perPage,
        },
      };
      const aggs = await run('aggregates');
      const aggregateExport = {
        rows: aggs.rows,
        bytes: aggs.bytes,
        segments: (await catalogue.all(survey.id)).length + 1,
        queries: aggs.queries,
        ms: aggs.ms,
      };
      return {
        responses: n,
        others,
        days,
        tableItems,
        tableBytes,
        responseBytes,
        responseExport,
        aggregateExport,
      };
    } finally {
      client.destroy();
      s3Client.destroy();
      await s3.stop();
    }
  });
}

/** Read units and dollars of the Scan, per exported row and extrapolated to a table of a million responses. */
export function scanCost(x: ExportFigures) {
  const units = x.responseExport.scan.readUnits;
  const inTable = x.responses + x.others;
  const perMillionInTable = (units / inTable) * 1e6;
  return {
    unitsPerRow: units / x.responseExport.rows,
    unitsPerGb: units / (x.tableBytes / 2 ** 30),
    perMillionInTable,
    dollarsPerMillionInTable: perMillionInTable * PRICES.dynamoReadUnit,
  };
}

if (process.argv.includes(SERVE_S3)) {
  const engine = await startS3({ port: 0, buckets: [BUCKET] });
  process.stdout.write(`${engine.url}\n`);
  process.stdin.resume();
  process.stdin.once('end', () => void engine.stop().then(() => process.exit(0)));
} else if (process.argv[1] && import.meta.url.endsWith(basename(process.argv[1]))) {
  // npx tsx bench/exports.ts [responses] [other responses]
  const n = Number(process.argv[2] ?? 10_000);
  const x = await measureExports(n, Number(process.argv[3] ?? n));
  const c = scanCost(x);
  const r = x.responseExport;
  const mb = (b: number) => `${(b / 2 ** 20).toFixed(1)} MB`;
  console.log(
    `table: ${x.tableItems} items, ${mb(x.tableBytes)} (${x.responses} responses of the survey, ${x.others} of another, over ${x.days} days: ${mb(x.responseBytes)} of responses)`,
  );
  console.log(
    `responses export: ${r.rows} rows, ${mb(r.bytes)}, ${r.scan.requests} Scans, ${r.scan.readUnits} read units (floor ${r.floorUnits.toFixed(1)}), ${r.ms.toFixed(0)} ms (rounds ${r.roundsMs.map((t) => t.toFixed(0)).join(', ')}), ${(r.rows / (r.ms / 1000)).toFixed(0)} rows/s`,
  );
  console.log(
    `  ${c.unitsPerRow.toFixed(4)} units per row, ${c.unitsPerGb.toFixed(0)} per table GB; per million responses in the table ${c.perMillionInTable.toFixed(0)} units, $${c.dollarsPerMillionInTable.toFixed(4)}`,
  );
  console.log(
    `  memory: baseline RSS ${mb(r.memory.baseline.rss)}, heap ${mb(r.memory.baseline.heapUsed)}; peak growth RSS ${mb(r.memory.peakGrowth.rss)}, heap ${mb(r.memory.peakGrowth.heapUsed)}`,
  );
  for (const m of r.memory.perPage)
    console.log(`    after ${m.rows} rows: heap ${mb(m.heapUsed)}, buffers ${mb(m.arrayBuffers)}`);
  const a = x.aggregateExport;
  console.log(
    `aggregates export: ${a.rows} rows, ${mb(a.bytes)}, ${a.segments} segment values, ${a.queries.requests} Queries, ${a.queries.readUnits} read units, ${a.ms.toFixed(0)} ms`,
  );
  process.exit(0);
}

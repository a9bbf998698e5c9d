import { randomUUID } from 'node:crypto';
import { existsSync, mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { dirname } from 'node:path';
import {
  DescribeStreamCommand,
  DynamoDBStreamsClient,
  GetRecordsCommand,
  GetShardIteratorCommand,
  type Shard,
  type ShardIteratorType,
  type _Record as StreamRecord,
} from '@aws-sdk/client-dynamodb-streams';
import type { DynamoDBBatchResponse, DynamoDBRecord } from 'aws-lambda';
import { sleep } from './clock.ts';
import {
  type DlqMessage,
  type LocalDlq,
  queueNameOfArn,
  type RedriveResult,
  type StreamFailureRecord,
} from './dlq.ts';
import type { SnsEngine } from './engines/sns.ts';
import { matchesAnyFilter } from './event-filter.ts';
import { FunctionError, type LambdaHost } from './invoke.ts';
import type { LocalFunction, LocalMapping } from './template/index.ts';

// Lambda caps a stream batch's payload at 6 MB; leave room for the envelope.
const MAX_BATCH_BYTES = 5.5 * 1024 * 1024;

/** Where each mapping has got to in each shard; kept in a file when tables persist between runs. */
export class Checkpoints {
  private readonly data: Record<string, string>;

  constructor(private readonly file?: string) {
    this.data =
      file && existsSync(file) ? (JSON.parse(readFileSync(file, 'utf8')) as Record<string, string>) : {};
  }

  get(mappingId: string, shardId: string): string | undefined {
    return this.data[`${mappingId}/${shardId}`];
  }

  set(mappingId: string, shardId: string, sequenceNumber: string): void {
    this.data[`${mappingId}/${shardId}`] = sequenceNumber;
    if (this.file) {
      mkdirSync(dirname(this.file), { recursive: true });
      writeFileSync(this.file, JSON.stringify(this.data, null, 1));
    }
  }
}

export interface StreamPollersOptions {
  readonly endpoint: string;
  readonly region: string;
  readonly mappings: readonly LocalMapping[];
  readonly functions: readonly LocalFunction[];
  readonly host: LambdaHost;
  readonly dlq: LocalDlq;
  /** For on-failure destinations that are SNS topics. */
  readonly sns?: SnsEngine;
  readonly checkpoints?: Checkpoints;
  /** Pause between GetRecords calls on a caught-up shard. @default 100 */
  readonly pollIntervalMs?: number;
  /** Pause between DescribeStream calls that look for new shards. @default 1000 */
  readonly describeIntervalMs?: number;
  /** Pause before retry number `attempt` of a failed batch. @default 50 ms doubling, at most 1 s */
  readonly retryDelayMs?: (attempt: number) => number;
  readonly log?: (message: string) => void;
}

export type { RedriveResult } from './dlq.ts';

/** One poller per event source mapping and shard, with Lambda's batching, filtering and retry semantics. */
export class StreamPollers {
  private readonly client: DynamoDBStreamsClient;
  private readonly mappings: MappingPoller[];
  private readonly stopController = new AbortController();
  private draining = 0;

  constructor(private readonly opts: StreamPollersOptions) {
    this.client = new DynamoDBStreamsClient({
      endpoint: opts.endpoint,
      region: opts.region,
      credentials: { accessKeyId: 'local', secretAccessKey: 'local' },
      maxAttempts: 3,
    });
    const runnable = opts.mappings.filter((m) => {
      if (!m.enabled) return false;
      if (opts.functions.some((f) => f.logicalId === m.functionId)) return true;
      opts.log?.(`${m.logicalId}: function ${m.functionId} does not run locally, so the mapping is left out`);
      return false;
    });
    this.mappings = runnable.map((m) => new MappingPoller(m, this.context()));
    for (const m of opts.mappings) {
      if (m.parallelizationFactor > 1) {
        opts.log?.(
          `${m.logicalId}: ParallelizationFactor ${m.parallelizationFactor} runs as 1 locally (one batch per shard)`,
        );
      }
    }
  }

  start(): void {
    for (const m of this.mappings) m.start();
  }

  /**
   * Resolves once every shard of every mapping has been read to its end by a GetRecords call that started
   * after this call, and no batch is being gathered or processed. While it waits, batching windows
   * (MaximumBatchingWindowInSeconds) close at once: a test sees the fold without waiting out the window, while
   * `npm start` keeps the window as Lambda would.
   */
  async idle(timeoutMs = 60_000): Promise<void> {
    const since = performance.now();
    const deadline = Date.now() + timeoutMs;
    this.draining++;
    try {
      while (!this.mappings.every((m) => m.idleSince(since))) {
        if (this.stopController.signal.aborted) return;
        if (Date.now() > deadline) {
          const busy = this.mappings.flatMap((m) => m.busyShards(since));
          throw new Error(`Stream pollers still busy after ${timeoutMs} ms: ${busy.join(', ')}`);
        }
        await sleep(20);
      }
    } finally {
      this.draining--;
    }
  }

  async stop(): Promise<void> {
    this.stopController.abort();
    await Promise.all(this.mappings.map((m) => m.done()));
    this.client.destroy();
  }

  /**
   * Invokes the consumer again with the records of each stream batch of `queue` and removes the ones that
   * succeed; messages a redrive policy moved there go back to their source queue (see LocalDlq.redrive).
   */
  redrive(queue: string): Promise<RedriveResult> {
    return this.opts.dlq.redrive(queue, (message) => this.replay(message));
  }

  /** Runs a stream batch from a DLQ through its function again; true when it succeeds. */
  async replay(message: DlqMessage): Promise<boolean> {
    const mapping = this.opts.mappings.find((m) => m.logicalId === message.mappingId);
    try {
      const result = await this.opts.host.invoke(message.functionId, { Records: message.records });
      if (!mapping?.reportBatchItemFailures) return true;
      return readBatchResponse(result, message.records as DynamoDBRecord[]).kind === 'ok';
    } catch {
      return false;
    }
  }

  private context(): PollerContext {
    return {
      ...this.opts,
      client: this.client,
      signal: this.stopController.signal,
      draining: () => this.draining > 0,
    };
  }
}

interface PollerContext extends StreamPollersOptions {
  readonly client: DynamoDBStreamsClient;
  readonly signal: AbortSignal;
  /** True while someone waits for idle(): batching windows close at once instead of running out. */
  readonly draining: () => boolean;
}

class MappingPoller {
  private readonly shards = new Map<string, ShardPoller>();
  private discovered = false;
  private loop: Promise<void> = Promise.resolve();

  constructor(
    readonly mapping: LocalMapping,
    private readonly ctx: PollerContext,
  ) {}

  start(): void {
    this.loop = this.discover();
  }

  idleSince(since: number): boolean {
    return this.discovered && [...this.shards.values()].every((s) => s.idleSince(since));
  }

  busyShards(since: number): string[] {
    if (!this.discovered) return [`${this.mapping.logicalId} (no DescribeStream yet)`];
    return [...this.shards.values()]
      .filter((s) => !s.idleSince(since))
      .map((s) => `${this.mapping.logicalId}/${s.shardId}`);
  }

  async done(): Promise<void> {
    await this.loop;
    await Promise.all([...this.shards.values()].map((s) => s.done()));
  }

  private async discover(): Promise<void> {
    const { ctx } = this;
    let first = true;
    while (!ctx.signal.aborted) {
      try {
        for (const shard of await this.describe()) {
          if (!shard.ShardId || this.shards.has(shard.ShardId)) continue;
          // Shards found later (after a split) are read from their start, as Lambda does.
          const start = first ? this.mapping.startingPosition : 'TRIM_HORIZON';
          const poller = new ShardPoller(this.mapping, shard, start, ctx, (id) => this.shards.get(id));
          this.shards.set(shard.ShardId, poller);
          poller.start();
        }
        first = false;
        this.discovered = true;
      } catch (err) {
        if (ctx.signal.aborted) return;
        ctx.log?.(`${this.mapping.logicalId}: DescribeStream failed: ${(err as Error).message}`);
      }
      await sleep(ctx.describeIntervalMs ?? 1000, ctx.signal);
    }
  }

  private async describe(): Promise<Shard[]> {
    const shards: Shard[] = [];
    let exclusiveStart: string | undefined;
    do {
      const out = await this.ctx.client.send(
        new DescribeStreamCommand({
          StreamArn: this.mapping.streamArn,
          ExclusiveStartShardId: exclusiveStart,
        }),
      );
      shards.push(...(out.StreamDescription?.Shards ?? []));
      exclusiveStart = out.StreamDescription?.LastEvaluatedShardId;
    } while (exclusiveStart);
    return shards;
  }
}

interface WorkItem {
  records: DynamoDBRecord[];
  /** Retries spent on these records (splitting a batch does not count, as on Lambda). */
  attempts: number;
  invocations: number;
  lastError?: string;
  functionError?: string;
}

export type Verdict = { kind: 'ok' } | { kind: 'partial'; from: number } | { kind: 'failed'; reason: string };

class ShardPoller {
  readonly shardId: string;
  private iterator: string | undefined;
  private buffer: DynamoDBRecord[] = [];
  /** Sequence number of the last record taken off the buffer (matching the filter or not). */
  private consumed: string | undefined;
  /** Sequence number of the last record read from the stream. */
  private read: string | undefined;
  private closed = false;
  private finished = false;
  private processing = false;
  /** performance.now() when the last GetRecords that found the shard drained was sent. */
  private drainedAt = -1;
  private loop: Promise<void> = Promise.resolve();
  private readonly fn: LocalFunction;

  constructor(
    private readonly mapping: LocalMapping,
    private readonly shard: Shard,
    private readonly startingPosition: 'TRIM_HORIZON' | 'LATEST',
    private readonly ctx: PollerContext,
    private readonly sibling: (shardId: string) => ShardPoller | undefined,
  ) {
    this.shardId = shard.ShardId as string;
    const fn = ctx.functions.find((f) => f.logicalId === mapping.functionId);
    if (!fn) throw new Error(`${mapping.logicalId}: function ${mapping.functionId} does not run locally`);
    this.fn = fn;
  }

  start(): void {
    this.loop = this.run().catch((err: unknown) => {
      this.ctx.log?.(`${this.mapping.logicalId}/${this.shardId}: poller stopped: ${(err as Error).message}`);
    });
  }

  done(): Promise<void> {
    return this.loop;
  }

  isFinished(): boolean {
    return this.finished;
  }

  idleSince(since: number): boolean {
    if (this.finished) return true;
    return !this.processing && this.buffer.length === 0 && this.drainedAt >= since;
  }

  private async run(): Promise<void> {
    const { ctx } = this;
    // A child shard waits until its parent is read to the end, so records of one key stay in order.
    const parentId = this.shard.ParentShardId;
    while (
      parentId &&
      !ctx.signal.aborted &&
      this.sibling(parentId) &&
      !this.sibling(parentId)?.isFinished()
    ) {
      this.drainedAt = performance.now();
      await sleep(ctx.pollIntervalMs ?? 100, ctx.signal);
    }
    let checkpointed: string | undefined;
    while (!ctx.signal.aborted) {
      if (this.buffer.length === 0) {
        if (this.closed) {
          this.finished = true;
          return;
        }
        const got = await this.fetch();
        if (!got) {
          await sleep(ctx.pollIntervalMs ?? 100, ctx.signal);
          continue;
        }
      }
      // Busy from the first buffered record until its batch has ended, batching window included.
      this.processing = true;
      try {
        const batch = await this.nextBatch();
        if (ctx.signal.aborted) return;
        if (batch.length > 0 && !(await this.process(batch))) return;
      } finally {
        this.processing = false;
      }
      if (this.consumed && this.consumed !== checkpointed) {
        checkpointed = this.consumed;
        ctx.checkpoints?.set(this.mapping.logicalId, this.shardId, this.consumed);
      }
    }
  }

  /** Reads more records into the buffer; false when there were none. */
  private async fetch(): Promise<boolean> {
    const { ctx } = this;
    const sentAt = performance.now();
    try {
      this.iterator ??= await this.newIterator();
      if (!this.iterator) {
        this.closed = true;
        return false;
      }
      const out = await ctx.client.send(new GetRecordsCommand({ ShardIterator: this.iterator, Limit: 1000 }));
      this.iterator = out.NextShardIterator;
      if (!out.NextShardIterator) this.closed = true;
      const records = (out.Records ?? []).map((r) => this.toLambdaRecord(r));
      if (records.length === 0) {
        this.drainedAt = sentAt;
        return false;
      }
      this.buffer.push(...records);
      this.read = records.at(-1)?.dynamodb?.SequenceNumber;
      return true;
    } catch (err) {
      if (ctx.signal.aborted) return false;
      const name = (err as Error).name;
      if (name === 'ExpiredIteratorException' || name === 'TrimmedDataAccessException') {
        this.iterator = undefined;
        if (name === 'TrimmedDataAccessException') this.read = undefined;
        return false;
      }
      if (name === 'ResourceNotFoundException') {
        this.closed = true;
        return false;
      }
      ctx.log?.(`${this.mapping.logicalId}/${this.shardId}: GetRecords failed: ${(err as Error).message}`);
      await sleep(1000, ctx.signal);
      return false;
    }
  }

  private async newIterator(): Promise<string | undefined> {
    const position = this.read ?? this.ctx.checkpoints?.get(this.mapping.logicalId, this.shardId);
    const input = position
      ? { ShardIteratorType: 'AFTER_SEQUENCE_NUMBER' as ShardIteratorType, SequenceNumber: position }
      : { ShardIteratorType: this.startingPosition as ShardIteratorType };
    const out = await this.ctx.client.send(
      new GetShardIteratorCommand({ StreamArn: this.mapping.streamArn, ShardId: this.shardId, ...input }),
    );
    return out.ShardIterator;
  }

  /** Up to BatchSize matching records, waiting up to MaximumBatchingWindowInSeconds for more. */
  private async nextBatch(): Promise<DynamoDBRecord[]> {
    const { ctx, mapping } = this;
    const batch: DynamoDBRecord[] = [];
    let bytes = 0;
    let windowEnds: number | undefined;
    while (!ctx.signal.aborted) {
      while (this.buffer.length > 0 && batch.length < mapping.batchSize) {
        const record = this.buffer[0] as DynamoDBRecord;
        if (matchesAnyFilter(mapping.filterPatterns, record)) {
          const size = JSON.stringify(record).length;
          if (batch.length > 0 && bytes + size > MAX_BATCH_BYTES) return batch;
          batch.push(record);
          bytes += size;
        }
        this.buffer.shift();
        this.consumed = record.dynamodb?.SequenceNumber;
      }
      if (batch.length >= mapping.batchSize || batch.length === 0) return batch;
      windowEnds ??= Date.now() + mapping.maxBatchingWindowSeconds * 1000;
      if (Date.now() >= windowEnds || this.closed || ctx.draining()) return batch;
      const got = await this.fetch();
      if (!got)
        await sleep(Math.min(ctx.pollIntervalMs ?? 100, Math.max(0, windowEnds - Date.now())), ctx.signal);
    }
    return batch;
  }

  /** Runs one batch to an end (success or on-failure destination); false when stopped half way. */
  private async process(batch: DynamoDBRecord[]): Promise<boolean> {
    const { ctx, mapping } = this;
    const work: WorkItem[] = [{ records: batch, attempts: 0, invocations: 0 }];
    while (work.length > 0) {
      if (ctx.signal.aborted) return false;
      const item = work[0] as WorkItem;
      this.discardExpired(item);
      if (item.records.length === 0) {
        work.shift();
        continue;
      }
      const verdict = await this.invoke(item);
      if (ctx.signal.aborted) return false;
      if (verdict.kind === 'ok') {
        work.shift();
        continue;
      }
      if (verdict.kind === 'partial') {
        // Checkpoint before the lowest failed record; only it and the records after it are retried.
        item.records = item.records.slice(verdict.from);
      } else if (mapping.bisectOnError && item.records.length > 1) {
        const half = Math.ceil(item.records.length / 2);
        const { attempts, invocations, lastError, functionError } = item;
        work.splice(
          0,
          1,
          { records: item.records.slice(0, half), attempts, invocations, lastError, functionError },
          { records: item.records.slice(half), attempts, invocations, lastError, functionError },
        );
        continue;
      }
      item.attempts++;
      if (mapping.maxRetryAttempts >= 0 && item.attempts > mapping.maxRetryAttempts) {
        this.sendToDestination(item, 'RetryAttemptsExhausted');
        work.shift();
        continue;
      }
      await sleep((ctx.retryDelayMs ?? defaultRetryDelay)(item.attempts), ctx.signal);
    }
    return true;
  }

  private async invoke(item: WorkItem): Promise<Verdict> {
    item.invocations++;
    try {
      const result = await this.ctx.host.invoke(this.mapping.functionId, { Records: item.records });
      item.functionError = undefined;
      if (!this.mapping.reportBatchItemFailures) return { kind: 'ok' };
      const verdict = readBatchResponse(result, item.records);
      if (verdict.kind !== 'ok') {
        item.lastError = verdict.kind === 'failed' ? verdict.reason : 'partial batch failure';
      }
      return verdict;
    } catch (err) {
      item.functionError = 'Unhandled';
      item.lastError = err instanceof FunctionError ? `${err.errorType}: ${err.errorMessage}` : String(err);
      if (!this.ctx.signal.aborted) {
        this.ctx.log?.(
          `${this.fn.constructId} failed on ${item.records.length} stream record(s): ${item.lastError}`,
        );
      }
      return { kind: 'failed', reason: item.lastError };
    }
  }

  private discardExpired(item: WorkItem): void {
    const maxAge = this.mapping.maxRecordAgeSeconds;
    if (maxAge < 0) return;
    // DynamoDB Local rounds creation times down to the minute; the slack keeps young records from expiring early.
    const oldest = Date.now() / 1000 - maxAge - 60;
    const expired = item.records.findIndex((r) => (r.dynamodb?.ApproximateCreationDateTime ?? 0) >= oldest);
    const count = expired < 0 ? item.records.length : expired;
    if (count === 0) return;
    this.sendToDestination({ ...item, records: item.records.slice(0, count) }, 'RecordAgeExceeded');
    item.records = item.records.slice(count);
  }

  private sendToDestination(
    item: WorkItem,
    condition: StreamFailureRecord['requestContext']['condition'],
  ): void {
    const { ctx, mapping } = this;
    const first = item.records[0]?.dynamodb;
    const last = item.records.at(-1)?.dynamodb;
    const arrival = (seconds: number | undefined) =>
      new Date((seconds ?? 0) * 1000).toISOString().replace(/\.\d+Z$/, 'Z');
    const body: StreamFailureRecord = {
      requestContext: {
        requestId: randomUUID(),
        functionArn: this.fn.arn,
        condition,
        approximateInvokeCount: item.invocations,
      },
      responseContext: {
        statusCode: 200,
        executedVersion: '$LATEST',
        ...(item.functionError ? { functionError: item.functionError } : {}),
      },
      version: '1.0',
      timestamp: new Date().toISOString(),
      DDBStreamBatchInfo: {
        shardId: this.shardId,
        startSequenceNumber: first?.SequenceNumber ?? '',
        endSequenceNumber: last?.SequenceNumber ?? '',
        approximateArrivalOfFirstRecord: arrival(first?.ApproximateCreationDateTime),
        approximateArrivalOfLastRecord: arrival(last?.ApproximateCreationDateTime),
        batchSize: item.records.length,
        streamArn: mapping.streamArn,
      },
    };
    const destination = mapping.onFailureArn;
    const queue = destination ? queueNameOfArn(destination) : undefined;
    if (queue && ctx.dlq.has(queue)) {
      ctx.dlq.send(queue, {
        body,
        records: item.records,
        mappingId: mapping.logicalId,
        functionId: mapping.functionId,
        lastError: item.lastError,
      });
      ctx.log?.(
        `${this.fn.constructId}: ${item.records.length} record(s) sent to DLQ ${queue} (${condition})`,
      );
    } else if (destination?.startsWith('arn:aws:sns:') && ctx.sns) {
      ctx.sns.publish({ topicArn: destination, message: JSON.stringify(body) });
    } else {
      ctx.log?.(
        `${this.fn.constructId}: ${item.records.length} record(s) discarded (${condition}), no destination`,
      );
    }
  }

  private toLambdaRecord(r: StreamRecord): DynamoDBRecord {
    const d = r.dynamodb ?? {};
    const created = d.ApproximateCreationDateTime;
    return {
      eventID: r.eventID,
      eventName: r.eventName as DynamoDBRecord['eventName'],
      eventVersion: r.eventVersion ?? '1.1',
      eventSource: 'aws:dynamodb',
      awsRegion: this.ctx.region,
      dynamodb: {
        ApproximateCreationDateTime:
          created instanceof Date ? Math.floor(created.getTime() / 1000) : Number(created ?? 0),
        Keys: d.Keys as NonNullable<DynamoDBRecord['dynamodb']>['Keys'],
        ...(d.NewImage
          ? { NewImage: d.NewImage as NonNullable<DynamoDBRecord['dynamodb']>['NewImage'] }
          : {}),
        ...(d.OldImage
          ? { OldImage: d.OldImage as NonNullable<DynamoDBRecord['dynamodb']>['OldImage'] }
          : {}),
        SequenceNumber: d.SequenceNumber,
        SizeBytes: d.SizeBytes,
        StreamViewType: d.StreamViewType as NonNullable<DynamoDBRecord['dynamodb']>['StreamViewType'],
      },
      eventSourceARN: this.mapping.streamArn,
      ...(r.userIdentity ? { userIdentity: r.userIdentity } : {}),
    };
  }
}

/**
 * Reads a ReportBatchItemFailures response as Lambda does: empty or null means success; a missing, empty or
 * unknown itemIdentifier fails the whole batch; otherwise the lowest failed record is where to resume.
 */
export function readBatchResponse(result: unknown, records: readonly DynamoDBRecord[]): Verdict {
  if (result === null || result === undefined) return { kind: 'ok' };
  if (typeof result !== 'object') return { kind: 'ok' };
  const failures = (result as DynamoDBBatchResponse).batchItemFailures as unknown;
  if (failures === null || failures === undefined) return { kind: 'ok' };
  if (!Array.isArray(failures)) return { kind: 'failed', reason: 'malformed batchItemFailures' };
  if (failures.length === 0) return { kind: 'ok' };
  let from = Number.POSITIVE_INFINITY;
  for (const failure of failures) {
    const id = (failure as { itemIdentifier?: unknown } | null)?.itemIdentifier;
    if (typeof id !== 'string' || id === '')
      return { kind: 'failed', reason: 'batchItemFailures with an empty itemIdentifier' };
    const index = records.findIndex((r) => r.dynamodb?.SequenceNumber === id);
    if (index < 0)
      return { kind: 'failed', reason: `batchItemFailures names ${id}, which is not in the batch` };
    from = Math.min(from, index);
  }
  return { kind: 'partial', from };
}

function defaultRetryDelay(attempt: number): number {
  return Math.min(50 * 2 ** attempt, 1000);
}

import type { SQSBatchResponse, SQSRecord } from 'aws-lambda';
import { type Clock, sleep, systemClock } from './clock.ts';
import type { SqsEngine, SqsReceivedMessage } from './engines/sqs/index.ts';
import { matchesAnyFilter } from './event-filter.ts';
import { FunctionError, type LambdaHost } from './invoke.ts';
import type { LocalFunction, LocalQueueMapping } from './template/index.ts';

// Lambda caps an invocation's payload at 6 MB; leave room for the envelope.
const MAX_BATCH_BYTES = 5.5 * 1024 * 1024;
// Lambda's SQS pollers long-poll for 20 s.
const LONG_POLL_MS = 20_000;
/** Batches in flight per mapping without ScalingConfig.MaximumConcurrency (Lambda scales far higher). */
export const DEFAULT_QUEUE_CONCURRENCY = 2;

export interface QueuePollersOptions {
  readonly engine: SqsEngine;
  readonly region: string;
  readonly mappings: readonly LocalQueueMapping[];
  readonly functions: readonly LocalFunction[];
  readonly host: LambdaHost;
  readonly log?: (message: string) => void;
  /** The SQS engine's clock: batching windows and the pause after a failed poll. @default the system clock */
  readonly clock?: Clock;
}

export type QueueVerdict =
  | { kind: 'ok' }
  | { kind: 'partial'; failed: ReadonlySet<string> }
  | { kind: 'failed'; reason: string };

/**
 * SQS event source mappings with Lambda's semantics: long polling, batch size and batching window, concurrent
 * batches up to MaximumConcurrency, filters (messages that do not match are deleted), deletion of a batch when
 * the function succeeds, partial batch responses, and nothing deleted when it fails (the messages come back
 * after the visibility timeout, and the queue's redrive policy moves them to its dead-letter queue).
 */
export class QueuePollers {
  private readonly pollers: MappingPoller[];
  private readonly stopController = new AbortController();
  private readonly watched: Set<string>;
  private changes = 0;
  private readonly unsubscribe: () => void;

  constructor(private readonly opts: QueuePollersOptions) {
    const runnable = opts.mappings.filter((m) => {
      if (!m.enabled) return false;
      if (!opts.engine.resolve(m.queueName)) {
        opts.log?.(`${m.logicalId}: queue ${m.queueName} does not exist locally, so the mapping is left out`);
        return false;
      }
      if (opts.functions.some((f) => f.logicalId === m.functionId)) return true;
      opts.log?.(`${m.logicalId}: function ${m.functionId} does not run locally, so the mapping is left out`);
      return false;
    });
    this.pollers = runnable.map((m) => new MappingPoller(m, opts, this.stopController.signal));
    this.watched = new Set(runnable.map((m) => m.queueName));
    this.unsubscribe = opts.engine.onChange((queue) => {
      if (this.watched.has(queue)) this.changes++;
    });
  }

  start(): void {
    for (const p of this.pollers) p.start();
  }

  /** Names of the queues that mappings read. */
  queues(): string[] {
    return [...this.watched];
  }

  /** Grows with every message sent to or removed from a mapped queue, and every batch started. */
  activity(): number {
    return this.changes + this.pollers.reduce((n, p) => n + p.batches, 0);
  }

  /** True when every mapped queue is empty (delayed and in-flight messages count) and no batch runs. */
  isIdle(): boolean {
    return this.busy().length === 0;
  }

  /** What keeps the pollers from being idle, for humans. */
  busy(): string[] {
    const out: string[] = [];
    for (const queue of this.watched) {
      if (!this.opts.engine.resolve(queue)) continue;
      const c = this.opts.engine.counts(queue);
      if (c.visible + c.inFlight + c.delayed > 0) {
        out.push(`${queue} (${c.visible} visible, ${c.inFlight} in flight, ${c.delayed} delayed)`);
      }
    }
    for (const p of this.pollers) {
      if (p.running > 0) out.push(`${p.mapping.logicalId} (${p.running} batch(es) running)`);
    }
    return out;
  }

  /** Resolves once every mapped queue is drained and no batch is being processed. */
  async idle(timeoutMs = 60_000): Promise<void> {
    const deadline = Date.now() + timeoutMs;
    while (!this.isIdle()) {
      if (this.stopController.signal.aborted) return;
      if (Date.now() > deadline) {
        throw new Error(`Queue pollers still busy after ${timeoutMs} ms: ${this.busy().join(', ')}`);
      }
      await sleep(20);
    }
  }

  async stop(): Promise<void> {
    this.stopController.abort();
    this.unsubscribe();
    await Promise.all(this.pollers.map((p) => p.done()));
  }
}

class MappingPoller {
  /** Batches being gathered or processed. */
  running = 0;
  /** Batches started so far. */
  batches = 0;
  private loops: Promise<void>[] = [];
  private readonly fn: LocalFunction;

  constructor(
    readonly mapping: LocalQueueMapping,
    private readonly opts: QueuePollersOptions,
    private readonly signal: AbortSignal,
  ) {
    this.fn = opts.functions.find((f) => f.logicalId === mapping.functionId) as LocalFunction;
  }

  start(): void {
    const slots = Math.max(1, this.mapping.maxConcurrency ?? DEFAULT_QUEUE_CONCURRENCY);
    this.loops = Array.from({ length: slots }, () =>
      this.run().catch((err: unknown) => {
        this.opts.log?.(`${this.mapping.logicalId}: poller stopped: ${(err as Error).message}`);
      }),
    );
  }

  async done(): Promise<void> {
    await Promise.all(this.loops);
  }

  private async run(): Promise<void> {
    while (!this.signal.aborted) {
      // While a batch is gathered its messages are in flight, which keeps the queue from counting as idle.
      let batch: SqsReceivedMessage[];
      try {
        batch = await this.collect();
      } catch (err) {
        if (this.signal.aborted) return;
        this.opts.log?.(
          `${this.mapping.logicalId}: polling ${this.mapping.queueName} failed: ${(err as Error).message}`,
        );
        await sleep(1000, this.signal, this.opts.clock);
        continue;
      }
      if (batch.length === 0 || this.signal.aborted) continue;
      this.running++;
      this.batches++;
      try {
        await this.process(batch);
      } catch (err) {
        this.opts.log?.(`${this.mapping.logicalId}: batch failed: ${(err as Error).message}`);
      } finally {
        this.running--;
      }
    }
  }

  /** Up to BatchSize messages: one long poll, then more until the batch is full or the window has passed. */
  private async collect(): Promise<SqsReceivedMessage[]> {
    const { engine } = this.opts;
    const { queueName, batchSize, maxBatchingWindowSeconds } = this.mapping;
    const first = await engine.receive(queueName, {
      max: Math.min(10, batchSize),
      waitMs: LONG_POLL_MS,
      signal: this.signal,
    });
    if (first.length === 0) return first;
    const batch = [...first];
    let bytes = batch.reduce((n, m) => n + recordSize(m), 0);
    const clock = this.opts.clock ?? systemClock;
    const windowEnds = clock.now() + maxBatchingWindowSeconds * 1000;
    while (batch.length < batchSize && clock.now() < windowEnds && !this.signal.aborted) {
      const more = await engine.receive(queueName, {
        max: Math.min(10, batchSize - batch.length),
        waitMs: windowEnds - clock.now(),
        signal: this.signal,
      });
      for (const m of more) {
        if (bytes + recordSize(m) > MAX_BATCH_BYTES) {
          // Over the payload limit: back to the queue for the next batch.
          engine.changeVisibility(queueName, m.receiptHandle, 0);
          return batch;
        }
        bytes += recordSize(m);
        batch.push(m);
      }
    }
    return batch;
  }

  private async process(batch: SqsReceivedMessage[]): Promise<void> {
    const { host, log } = this.opts;
    const { mapping } = this;
    const records: SQSRecord[] = [];
    for (const m of batch) {
      const record = this.toRecord(m);
      if (matchesAnyFilter(mapping.filterPatterns, filterView(record))) records.push(record);
      // Lambda deletes the messages its filters drop.
      else this.delete(m.receiptHandle);
    }
    if (records.length === 0) return;
    let verdict: QueueVerdict;
    try {
      const result = await host.invoke(mapping.functionId, { Records: records });
      verdict = mapping.reportBatchItemFailures ? readSqsBatchResponse(result, records) : { kind: 'ok' };
    } catch (err) {
      verdict = {
        kind: 'failed',
        reason: err instanceof FunctionError ? `${err.errorType}: ${err.errorMessage}` : String(err),
      };
    }
    if (this.signal.aborted) return;
    if (verdict.kind === 'failed') {
      log?.(
        `${this.fn.constructId} failed on ${records.length} SQS message(s) of ${mapping.queueName}: ${verdict.reason}; ` +
          'they return after the visibility timeout',
      );
      return;
    }
    const failed = verdict.kind === 'partial' ? verdict.failed : new Set<string>();
    for (const r of records) if (!failed.has(r.messageId)) this.delete(r.receiptHandle);
  }

  private delete(receiptHandle: string): void {
    try {
      this.opts.engine.deleteMessage(this.mapping.queueName, receiptHandle);
    } catch (err) {
      this.opts.log?.(`${this.mapping.logicalId}: DeleteMessage failed: ${(err as Error).message}`);
    }
  }

  private toRecord(m: SqsReceivedMessage): SQSRecord {
    const a = m.attributes;
    const attributes: Record<string, string> = {
      ApproximateReceiveCount: a.ApproximateReceiveCount ?? '1',
      SentTimestamp: a.SentTimestamp ?? '',
      SenderId: a.SenderId ?? '',
      ApproximateFirstReceiveTimestamp: a.ApproximateFirstReceiveTimestamp ?? '',
    };
    for (const name of ['SequenceNumber', 'MessageGroupId', 'MessageDeduplicationId', 'AWSTraceHeader']) {
      const value = a[name];
      if (value !== undefined) attributes[name] = value;
    }
    const messageAttributes: SQSRecord['messageAttributes'] = {};
    for (const [name, v] of Object.entries(m.messageAttributes)) {
      messageAttributes[name] = {
        ...(v.StringValue !== undefined ? { stringValue: v.StringValue } : {}),
        ...(v.BinaryValue !== undefined ? { binaryValue: v.BinaryValue } : {}),
        stringListValues: [...(v.StringListValues ?? [])],
        binaryListValues: [...(v.BinaryListValues ?? [])],
        dataType: v.DataType,
      } as SQSRecord['messageAttributes'][string];
    }
    return {
      messageId: m.messageId,
      receiptHandle: m.receiptHandle,
      body: m.body,
      attributes: attributes as unknown as SQSRecord['attributes'],
      messageAttributes,
      md5OfBody: m.md5OfBody,
      ...(m.md5OfMessageAttributes ? { md5OfMessageAttributes: m.md5OfMessageAttributes } : {}),
      eventSource: 'aws:sqs',
      eventSourceARN: this.mapping.queueArn,
      awsRegion: this.opts.region,
    };
  }
}

/** What filter patterns see: the record, with a JSON body as an object (Lambda filters on its properties). */
function filterView(record: SQSRecord): unknown {
  try {
    const body = JSON.parse(record.body) as unknown;
    if (body !== null && typeof body === 'object') return { ...record, body };
  } catch {
    // A plain-text body is matched as a string.
  }
  return record;
}

/**
 * Reads a ReportBatchItemFailures response as Lambda does for SQS: empty or null means success; a missing,
 * empty or unknown itemIdentifier fails the whole batch; otherwise the named messages failed.
 */
export function readSqsBatchResponse(result: unknown, records: readonly SQSRecord[]): QueueVerdict {
  if (result === null || result === undefined || typeof result !== 'object') return { kind: 'ok' };
  const failures = (result as SQSBatchResponse).batchItemFailures as unknown;
  if (failures === null || failures === undefined) return { kind: 'ok' };
  if (!Array.isArray(failures)) return { kind: 'failed', reason: 'malformed batchItemFailures' };
  const failed = new Set<string>();
  for (const failure of failures) {
    const id = (failure as { itemIdentifier?: unknown } | null)?.itemIdentifier;
    if (typeof id !== 'string' || id === '') {
      return { kind: 'failed', reason: 'batchItemFailures with an empty itemIdentifier' };
    }
    if (!records.some((r) => r.messageId === id)) {
      return { kind: 'failed', reason: `batchItemFailures names ${id}, which is not in the batch` };
    }
    failed.add(id);
  }
  return failed.size === 0 ? { kind: 'ok' } : { kind: 'partial', failed };
}

function recordSize(m: SqsReceivedMessage): number {
  return Buffer.byteLength(m.body) + Buffer.byteLength(JSON.stringify(m.messageAttributes)) + 600;
}

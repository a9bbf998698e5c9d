import type { DynamoDBRecord } from 'aws-lambda';
import type { SqsEngine, SqsMessageAttributeValue, SqsMessageRecord } from './engines/sqs/index.ts';
import { QueueFiles } from './queue-files.ts';

/** Lambda's invocation record for a stream batch it gave up on (what the SQS message body holds on AWS). */
export interface StreamFailureRecord {
  readonly requestContext: {
    readonly requestId: string;
    readonly functionArn: string;
    readonly condition: 'RetryAttemptsExhausted' | 'RecordAgeExceeded';
    readonly approximateInvokeCount: number;
  };
  readonly responseContext: {
    readonly statusCode: number;
    readonly executedVersion: string;
    readonly functionError?: string;
  };
  readonly version: '1.0';
  readonly timestamp: string;
  readonly DDBStreamBatchInfo: {
    readonly shardId: string;
    readonly startSequenceNumber: string;
    readonly endSequenceNumber: string;
    readonly approximateArrivalOfFirstRecord: string;
    readonly approximateArrivalOfLastRecord: string;
    readonly batchSize: number;
    readonly streamArn: string;
  };
}

/** What a stream poller attaches to the message it sends to its on-failure queue (local only, not on the wire). */
interface StreamBatchExtra {
  readonly kind: 'stream-batch';
  readonly records: readonly DynamoDBRecord[];
  readonly mappingId: string;
  readonly functionId: string;
  readonly lastError?: string;
}

/** A stream batch Lambda gave up on, as its on-failure queue holds it. */
export interface DlqMessage {
  readonly kind: 'stream-batch';
  /** The SQS message id. */
  readonly messageId: string;
  readonly queue: string;
  readonly sentAt: string;
  /** Times the message was received from the queue (by an SDK client or a mapping). */
  readonly receiveCount: number;
  /** The message body, as the SQS queue holds it (JSON there). */
  readonly body: StreamFailureRecord;
  /** Local only: the discarded records themselves, so they can be read and redriven after the stream moved on. */
  readonly records: readonly DynamoDBRecord[];
  /** Event source mapping that gave up on them (logical id). */
  readonly mappingId: string;
  /** Its function (logical id). */
  readonly functionId: string;
  /** Last error seen, for humans. */
  readonly lastError?: string;
}

/** Any other message of a failure queue: one a redrive policy moved there, or one sent to it directly. */
export interface DeadLetterMessage {
  readonly kind: 'message';
  readonly messageId: string;
  readonly queue: string;
  readonly sentAt: string;
  readonly receiveCount: number;
  readonly body: string;
  readonly messageAttributes: Record<string, SqsMessageAttributeValue>;
  /** Queue a redrive policy moved it from (where a redrive puts it back). */
  readonly sourceQueue?: string;
}

export type DlqEntry = DlqMessage | DeadLetterMessage;

export interface RedriveResult {
  readonly redriven: number;
  readonly failed: number;
  readonly remaining: number;
}

/**
 * The failure queues (stream on-failure destinations and redrive policies' dead-letter queues): queues of the
 * SQS engine, seen as dead-letter messages, mirrored to `<dir>/<queue>.jsonl`.
 */
export class LocalDlq {
  private readonly queues: readonly string[];
  private readonly files?: QueueFiles;

  /**
   * @param dir folder of the jsonl files; none = memory only
   * @param keep read the messages left by an earlier run (with persisted tables); otherwise start empty
   */
  constructor(
    private readonly engine: SqsEngine,
    queueNames: readonly string[],
    dir: string | undefined,
    keep: boolean,
  ) {
    this.queues = queueNames.filter((q) => engine.resolve(q));
    if (dir) this.files = new QueueFiles(engine, dir, this.queues, keep);
  }

  names(): string[] {
    return [...this.queues];
  }

  has(queue: string): boolean {
    return this.queues.includes(queue) && this.engine.resolve(queue) !== undefined;
  }

  /** The stream batches of one failure queue, or of all. */
  list(queue?: string): DlqMessage[] {
    return this.entries(queue).filter((m): m is DlqMessage => m.kind === 'stream-batch');
  }

  /** Every message of one failure queue, or of all, oldest first. */
  entries(queue?: string): DlqEntry[] {
    const names = queue ? [queue].filter((q) => this.has(q)) : this.queues.filter((q) => this.has(q));
    return names.flatMap((name) => this.engine.peek(name).map((m) => toEntry(name, m)));
  }

  send(queue: string, message: { body: StreamFailureRecord } & Omit<StreamBatchExtra, 'kind'>): DlqMessage {
    const { body, ...rest } = message;
    const extra: StreamBatchExtra = { kind: 'stream-batch', ...rest };
    const sent = this.engine.send(queue, { body: JSON.stringify(body), extra });
    return {
      ...extra,
      messageId: sent.messageId,
      queue,
      sentAt: new Date().toISOString(),
      receiveCount: 0,
      body,
    };
  }

  remove(queue: string, messageIds: readonly string[]): void {
    if (this.has(queue)) this.engine.remove(queue, messageIds);
    this.files?.flush();
  }

  /**
   * Stream batches go to `replay` (their function again) and leave the queue when it succeeds; messages a
   * redrive policy moved here go back to their source queue; others stay, counted as failed.
   */
  async redrive(queue: string, replay: (message: DlqMessage) => Promise<boolean>): Promise<RedriveResult> {
    if (!this.has(queue)) throw new Error(`No local queue ${queue}`);
    const done: string[] = [];
    let failed = 0;
    const back: string[] = [];
    for (const entry of this.entries(queue)) {
      if (entry.kind === 'message') {
        back.push(entry.messageId);
        continue;
      }
      if (await replay(entry).catch(() => false)) done.push(entry.messageId);
      else failed++;
    }
    const { moved, unmovable } = this.engine.moveToSource(queue, back);
    this.remove(queue, done);
    return {
      redriven: done.length + moved.length,
      failed: failed + unmovable.length,
      remaining: this.entries(queue).length,
    };
  }

  close(): void {
    this.files?.close();
  }
}

function toEntry(queue: string, m: SqsMessageRecord): DlqEntry {
  const base = {
    messageId: m.messageId,
    queue,
    sentAt: new Date(m.sentTimestamp).toISOString(),
    receiveCount: m.receiveCount,
  };
  const extra = m.extra as Partial<StreamBatchExtra> | undefined;
  if (extra?.kind === 'stream-batch') {
    return {
      kind: 'stream-batch',
      ...base,
      body: JSON.parse(m.body) as StreamFailureRecord,
      records: extra.records ?? [],
      mappingId: extra.mappingId ?? '',
      functionId: extra.functionId ?? '',
      ...(extra.lastError ? { lastError: extra.lastError } : {}),
    };
  }
  return {
    kind: 'message',
    ...base,
    body: m.body,
    messageAttributes: m.messageAttributes,
    ...(m.deadLetterQueueSourceArn ? { sourceQueue: queueNameOfArn(m.deadLetterQueueSourceArn) } : {}),
  };
}

/** Queue name from an SQS ARN (`arn:aws:sqs:region:account:name`). */
export function queueNameOfArn(arn: string): string | undefined {
  const parts = arn.split(':');
  return parts[2] === 'sqs' ? parts[5] : undefined;
}

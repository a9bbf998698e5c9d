import { randomUUID } from 'node:crypto';
import { appendFileSync, existsSync, mkdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import type { DynamoDBRecord } from 'aws-lambda';

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

export interface DlqMessage {
  readonly messageId: string;
  readonly queue: string;
  readonly sentAt: string;
  /** The message body, as the SQS queue would hold it. */
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

/** The on-failure SQS queues, kept in memory and appended to `<dir>/<queue>.jsonl`. */
export class LocalDlq {
  private readonly queues = new Map<string, DlqMessage[]>();

  /**
   * @param dir folder of the jsonl files; none = memory only
   * @param keep read the messages left by an earlier run (with persisted tables); otherwise start empty
   */
  constructor(
    queueNames: readonly string[],
    private readonly dir: string | undefined,
    keep: boolean,
  ) {
    if (dir) mkdirSync(dir, { recursive: true });
    for (const name of queueNames) {
      this.queues.set(name, keep ? this.load(name) : []);
      if (dir && !keep) rmSync(this.file(name), { force: true });
    }
  }

  names(): string[] {
    return [...this.queues.keys()];
  }

  has(queue: string): boolean {
    return this.queues.has(queue);
  }

  list(queue?: string): DlqMessage[] {
    if (queue) return [...(this.queues.get(queue) ?? [])];
    return [...this.queues.values()].flat();
  }

  send(queue: string, message: Omit<DlqMessage, 'messageId' | 'queue' | 'sentAt'>): DlqMessage {
    const full: DlqMessage = { messageId: randomUUID(), queue, sentAt: new Date().toISOString(), ...message };
    const messages = this.queues.get(queue) ?? [];
    messages.push(full);
    this.queues.set(queue, messages);
    if (this.dir) appendFileSync(this.file(queue), `${JSON.stringify(full)}\n`);
    return full;
  }

  remove(queue: string, messageIds: readonly string[]): void {
    const gone = new Set(messageIds);
    const left = (this.queues.get(queue) ?? []).filter((m) => !gone.has(m.messageId));
    this.queues.set(queue, left);
    if (this.dir) writeFileSync(this.file(queue), left.map((m) => `${JSON.stringify(m)}\n`).join(''));
  }

  private file(queue: string): string {
    return join(this.dir as string, `${queue}.jsonl`);
  }

  private load(queue: string): DlqMessage[] {
    if (!this.dir || !existsSync(this.file(queue))) return [];
    return readFileSync(this.file(queue), 'utf8')
      .split('\n')
      .filter((line) => line.trim() !== '')
      .map((line) => JSON.parse(line) as DlqMessage);
  }
}

/** Queue name from an SQS ARN (`arn:aws:sqs:region:account:name`). */
export function queueNameOfArn(arn: string): string | undefined {
  const parts = arn.split(':');
  return parts[2] === 'sqs' ? parts[5] : undefined;
}

import { appendFileSync, existsSync, mkdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import type { SqsEngine, SqsMessageRecord } from './engines/sqs/index.ts';

// Rewrites after deletes are gathered for this long (a busy queue deletes many messages a second).
const REWRITE_DELAY_MS = 50;

/**
 * Mirrors the messages of some queues of the SQS engine to `<dir>/<queue>.jsonl`, one message a line: a send
 * appends its line, deletes rewrite the file shortly after (or at flush()), and close() writes every queue as it
 * is. Visibility and receipt handles are not kept: messages read back at the next start are visible.
 */
export class QueueFiles {
  private readonly watched: Set<string>;
  private readonly dirty = new Set<string>();
  private timer: NodeJS.Timeout | undefined;
  private readonly unsubscribe: () => void;

  /** @param keep read the messages an earlier run left into the engine; otherwise start with empty files */
  constructor(
    private readonly engine: SqsEngine,
    private readonly dir: string,
    queues: readonly string[],
    keep: boolean,
  ) {
    this.watched = new Set(queues);
    mkdirSync(dir, { recursive: true });
    for (const queue of queues) {
      if (keep) engine.restore(queue, this.load(queue));
      else rmSync(this.file(queue), { force: true });
    }
    this.unsubscribe = engine.onChange((queue, change) => {
      if (!this.watched.has(queue)) return;
      if (change.type === 'sent') {
        appendFileSync(this.file(queue), `${JSON.stringify(change.message)}\n`);
      } else {
        this.dirty.add(queue);
        this.timer ??= setTimeout(() => this.flush(), REWRITE_DELAY_MS);
      }
    });
  }

  /** Writes the pending rewrites now. */
  flush(): void {
    clearTimeout(this.timer);
    this.timer = undefined;
    for (const queue of this.dirty) {
      const messages = this.engine.resolve(queue) ? this.engine.peek(queue) : [];
      const lines = messages.map(({ state: _state, visibleAt: _visibleAt, ...record }) =>
        JSON.stringify(record),
      );
      writeFileSync(this.file(queue), lines.map((line) => `${line}\n`).join(''));
    }
    this.dirty.clear();
  }

  /** Writes every queue as it is now (receive counts included) and stops following the engine. */
  close(): void {
    this.unsubscribe();
    for (const queue of this.watched) this.dirty.add(queue);
    this.flush();
  }

  private file(queue: string): string {
    return join(this.dir, `${queue}.jsonl`);
  }

  private load(queue: string): SqsMessageRecord[] {
    if (!existsSync(this.file(queue))) return [];
    return readFileSync(this.file(queue), 'utf8')
      .split('\n')
      .filter((line) => line.trim() !== '')
      .map((line) => fromLine(JSON.parse(line) as Record<string, unknown>));
  }
}

/** A kept line; lines written before the SQS engine (the stream DLQ's own format) are read too. */
function fromLine(line: Record<string, unknown>): SqsMessageRecord {
  if (typeof line.body === 'string') return line as unknown as SqsMessageRecord;
  const sent = Date.parse(String(line.sentAt ?? ''));
  return {
    messageId: String(line.messageId),
    body: JSON.stringify(line.body),
    messageAttributes: {},
    sentTimestamp: Number.isNaN(sent) ? Date.now() : sent,
    senderId: '000000000000',
    receiveCount: 0,
    extra: {
      kind: 'stream-batch',
      records: line.records,
      mappingId: line.mappingId,
      functionId: line.functionId,
      ...(line.lastError ? { lastError: line.lastError } : {}),
    },
  };
}

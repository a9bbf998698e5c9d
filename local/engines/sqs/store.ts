import { type Clock, systemClock } from '../../clock.ts';
import { err, SqsError } from './errors.ts';
import type {
  SqsChange,
  SqsMessageRecord,
  SqsMessageState,
  SqsPeekedMessage,
  SqsQueueCounts,
  SqsQueueSummary,
} from './types.ts';

export interface Queue {
  readonly name: string;
  readonly url: string;
  readonly arn: string;
  readonly fifo: boolean;
  readonly attributes: Record<string, string>;
  readonly created: number;
  lastModified: number;
  /** In send order (a Map keeps insertion order; deletes are O(1)). */
  readonly messages: Map<string, Message>;
  readonly dedup: Map<string, { messageId: string; sequenceNumber?: string; expires: number }>;
  readonly waiters: Set<() => void>;
  readonly tags: Record<string, string>;
  lastPurge?: number;
  lastExpired: number;
  sequence: bigint;
}

export interface Message {
  record: SqsMessageRecord;
  visibleAt: number;
  receiptHandle?: string;
}

/** Attribute values a queue has until it sets them. */
export const DEFAULTS: Record<string, string> = {
  DelaySeconds: '0',
  MaximumMessageSize: '262144',
  MessageRetentionPeriod: '345600',
  ReceiveMessageWaitTimeSeconds: '0',
  VisibilityTimeout: '30',
  SqsManagedSseEnabled: 'true',
};

/**
 * The engine's state, shared by its action groups: the queues and their messages, how queues are named (name,
 * URL or ARN), the change listeners and waiting receives, and the clock all of them read.
 */
export class QueueStore {
  readonly queues = new Map<string, Queue>();
  /** When a queue was deleted, by name (SQS refuses the same name for 60 s). */
  readonly deletedAt = new Map<string, number>();
  /** Aborted by stop(): every waiting receive answers at once. */
  readonly stopController = new AbortController();
  /** The endpoint, ending in `/`; known once the server listens. */
  baseUrl = '';
  private readonly listeners = new Set<(queue: string, change: SqsChange) => void>();

  constructor(
    readonly region: string,
    readonly accountId: string,
    readonly clock: Clock = systemClock,
  ) {}

  queueUrl(name: string): string {
    return `${this.baseUrl}${this.accountId}/${name}`;
  }

  queueArn(name: string): string {
    return `arn:aws:sqs:${this.region}:${this.accountId}:${name}`;
  }

  onChange(listener: (queue: string, change: SqsChange) => void): () => void {
    this.listeners.add(listener);
    return () => this.listeners.delete(listener);
  }

  emit(queue: string, change: SqsChange): void {
    for (const listener of this.listeners) listener(queue, change);
  }

  /** Wakes the receives waiting on `q`, so they look again. */
  notify(q: Queue): void {
    for (const wake of [...q.waiters]) wake();
  }

  /** Queue name from a name, a queue URL (any host) or an ARN. */
  nameOf(ref: string): string {
    if (ref.startsWith('arn:')) {
      const parts = ref.split(':');
      return parts[2] === 'sqs' && parts[4] === this.accountId ? (parts[5] ?? '') : '';
    }
    if (/^https?:\/\//.test(ref)) {
      let path: string;
      try {
        path = new URL(ref).pathname;
      } catch {
        throw new SqsError(
          'InvalidAddress',
          `The address ${ref} is not valid for this endpoint.`,
          'InvalidAddress',
          404,
        );
      }
      const [account, name, ...rest] = path.split('/').filter(Boolean);
      return account === this.accountId && name && rest.length === 0 ? decodeURIComponent(name) : '';
    }
    return ref;
  }

  /** Name of an existing queue, or undefined. */
  resolve(ref: string): string | undefined {
    try {
      const name = this.nameOf(ref);
      return this.queues.has(name) ? name : undefined;
    } catch {
      return undefined;
    }
  }

  require(ref: string | undefined): Queue {
    if (!ref) throw err.missing('QueueUrl');
    const q = this.queues.get(this.nameOf(ref));
    if (!q) throw err.noQueue();
    return q;
  }

  /** A numeric attribute of `q`, or its default. */
  num(q: Queue, attribute: string): number {
    return Number(q.attributes[attribute] ?? DEFAULTS[attribute] ?? 0);
  }

  /** Drops the messages past the retention period (counted from the first send, as on AWS); once a second. */
  expire(q: Queue, now: number): void {
    if (now - q.lastExpired < 1000) return;
    q.lastExpired = now;
    const retentionMs = this.num(q, 'MessageRetentionPeriod') * 1000;
    const gone: string[] = [];
    for (const [id, m] of q.messages) {
      if (m.record.sentTimestamp + retentionMs <= now) gone.push(id);
    }
    for (const id of gone) q.messages.delete(id);
    if (gone.length > 0) this.emit(q.name, { type: 'removed', messageIds: gone });
    for (const [key, entry] of q.dedup) if (entry.expires <= now) q.dedup.delete(key);
  }

  counts(q: Queue): SqsQueueCounts {
    const now = this.clock.now();
    this.expire(q, now);
    let visible = 0;
    let inFlight = 0;
    let delayed = 0;
    for (const m of q.messages.values()) {
      const state = stateOf(m, now);
      if (state === 'visible') visible++;
      else if (state === 'inFlight') inFlight++;
      else delayed++;
    }
    return { visible, inFlight, delayed };
  }

  peek(q: Queue): SqsPeekedMessage[] {
    const now = this.clock.now();
    this.expire(q, now);
    return [...q.messages.values()].map((m) => ({
      ...m.record,
      state: stateOf(m, now),
      visibleAt: m.visibleAt,
    }));
  }

  summary(q: Queue): SqsQueueSummary {
    return {
      name: q.name,
      url: q.url,
      arn: q.arn,
      fifo: q.fifo,
      messages: this.counts(q),
      attributes: { ...q.attributes },
    };
  }

  /** Deletes messages by id, whatever their state; answers how many there were. */
  remove(q: Queue, ids: readonly string[]): number {
    const gone = ids.filter((id) => q.messages.delete(id));
    if (gone.length > 0) this.emit(q.name, { type: 'removed', messageIds: gone });
    return gone.length;
  }
}

function stateOf(m: Message, now: number): SqsMessageState {
  return m.visibleAt <= now ? 'visible' : m.receiptHandle ? 'inFlight' : 'delayed';
}
